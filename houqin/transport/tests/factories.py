"""Test data for the school bus: a compliant bus and driver on 2025-06-01, a route with two stops and riders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from houqin.orgs.models import Person, SchoolClass, Student
from houqin.transport.models import Driver, Guardian, Rider, Route, Stop, Trip, Vehicle

DAY = dt.date(2025, 6, 1)


def make_vehicle(school: Any, **fields: Any) -> Vehicle:
    values = {
        "plate": "鄂E·X1234",
        "seats": 3,
        "sign_valid_until": dt.date(2026, 1, 1),
        "last_inspection_on": dt.date(2025, 3, 1),
        "insurance_until": dt.date(2026, 1, 1),
        "kit_checked_on": dt.date(2025, 5, 20),
        "gps_ok": True,
        **fields,
    }
    return Vehicle.objects.create(school=school, **values)


def make_driver(school: Any, **fields: Any) -> Driver:
    values = {
        "name": "张师傅",
        "birth_date": dt.date(1975, 3, 1),
        "licence_since": dt.date(2010, 1, 1),
        "has_endorsement": True,
        "annual_review_until": dt.date(2026, 1, 1),
        "phone": "13912345678",
        **fields,
    }
    return Driver.objects.create(school=school, **values)


def make_route(school: Any, **fields: Any) -> Route:
    if "vehicle" not in fields:
        fields["vehicle"] = make_vehicle(school)
    if "driver" not in fields:
        fields["driver"] = make_driver(school)
    fields.setdefault("name", "一号线")
    route = Route.objects.create(school=school, **fields)
    Stop.objects.create(route=route, order=1, name="东湖小区")
    Stop.objects.create(route=route, order=2, name="西陵广场")
    return route


def make_student(school: Any, name: str, grade: int = 5, head_teacher: Person | None = None) -> Student:
    school_class, _created = SchoolClass.objects.get_or_create(
        school=school, name=f"{grade}年级1班", defaults={"grade": grade, "head_teacher": head_teacher}
    )
    return Student.objects.create(school=school, school_class=school_class, name=name)


def add_rider(route: Route, student: Student, guardian: tuple[str, str] | None = ("王妈妈", "母亲")) -> Rider:
    rider = Rider.objects.create(school=route.school, route=route, student=student, stop=route.stops.first())
    if guardian:
        Guardian.objects.create(rider=rider, name=guardian[0], relation=guardian[1], phone="13800001111")
    return rider


def make_trip(route: Route, attendant: Person, date: dt.date = DAY, **fields: Any) -> Trip:
    return Trip.objects.create(
        school=route.school,
        route=route,
        date=date,
        direction=fields.pop("direction", "from_school"),
        vehicle=route.vehicle,
        driver=route.driver,
        attendant=attendant,
        **fields,
    )


CHECKS = {
    "check_brakes": True,
    "check_steering": True,
    "check_lights": True,
    "check_tyres": True,
    "check_emergency_door": True,
    "check_seats": True,
    "check_belts": True,
}
