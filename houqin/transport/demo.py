"""Demo school bus for 实验小学: two routes (the second outsourced, with its filed agreement, and run as the second
trip) with stops and riders, closed trips every school day of the semester up to today, one trip whose missing
child was alerted and then found, today's afternoon trips still to run, a waiting room and one drill; this morning's
driving record of route 1 with a stretch over 60 km/h not yet reviewed, and a rainy trip of route 2 whose speeding
the safety officer has reviewed (D5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from houqin.demo.registry import DemoContext, register_step
from houqin.demo.steps import random_name, random_phone
from houqin.orgs.choices import Sex
from houqin.orgs.models import Student
from houqin.transport import selectors
from houqin.transport.choices import CHECKLIST, Direction, EventKind, RoadType, TripStatus
from houqin.transport.models import (
    BusDrill,
    Driver,
    Guardian,
    Rider,
    Route,
    SpeedingReview,
    SpeedRecord,
    Stop,
    Trip,
    TripEvent,
    Vehicle,
    WaitingSession,
    WaitingStudent,
)

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Person, School

ROUTES = (
    ("一号线（东湖方向）", "鄂E·C0317", 1, "", ("东湖小区", "夷陵广场", "樵湖岭", "学校")),
    ("二号线（桃花岭方向）", "鄂E·C0528", 2, "宜昌顺达客运有限公司", ("桃花岭", "西陵二路", "港窑路", "学校")),
)
RIDERS_PER_ROUTE = 16
TIMES = {Direction.TO_SCHOOL: (7, 10), Direction.FROM_SCHOOL: (16, 40)}


def _moment(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _fleet(ctx: DemoContext, school: School, today: dt.date) -> list[Route]:
    year = today + dt.timedelta(days=300)
    vehicles = ctx.bulk(
        [
            Vehicle(
                school=school,
                plate=plate,
                seats=19 if number == 1 else 35,
                model_name="宇通 ZK6609DX" if number == 1 else "金龙 XMQ6900",
                operator=provider or "实验小学",
                sign_valid_until=year,
                last_inspection_on=today - dt.timedelta(days=40 * number),
                insurance_until=today + dt.timedelta(days=20 if number == 2 else 200),  # one expiring soon
                kit_checked_on=today - dt.timedelta(days=3),
                gps_ok=True,
            )
            for _name, plate, number, provider, _stops in ROUTES
        ],
        school=school,
    )
    drivers = ctx.bulk(
        [
            Driver(
                school=school,
                name=name,
                birth_date=birth,
                licence_since=dt.date(2006, 3, 1),
                has_endorsement=True,
                annual_review_until=year,
                phone=random_phone(ctx.rng),
            )
            for name, birth in (("杨建军", dt.date(1972, 4, 18)), ("黄志刚", dt.date(1968, 9, 2)))
        ],
        school=school,
    )
    routes = ctx.bulk(
        [
            Route(
                school=school,
                name=name,
                vehicle=vehicle,
                driver=driver,
                trip_number=number,
                is_outsourced=bool(provider),
                provider=provider,
                agreement_filed_on=dt.date(today.year, 2, 20) if provider else None,
            )
            for (name, _plate, number, provider, _stops), vehicle, driver in zip(ROUTES, vehicles, drivers, strict=True)
        ],
        school=school,
    )
    Stop.objects.bulk_create(
        [
            Stop(route=route, order=order, name=stop, time=dt.time(7, 5 + 8 * order))
            for route, spec in zip(routes, ROUTES, strict=True)
            for order, stop in enumerate(spec[4], start=1)
        ]
    )
    return routes


def _riders(ctx: DemoContext, school: School, routes: list[Route]) -> dict[int, list[Rider]]:
    students = list(Student.objects.filter(school=school, is_active=True).select_related("school_class"))
    chosen = ctx.rng.sample(students, RIDERS_PER_ROUTE * len(routes))
    riders = []
    for index, route in enumerate(routes):
        stops = [s for s in route.stops.all() if s.name != "学校"]
        group = chosen[index * RIDERS_PER_ROUTE : (index + 1) * RIDERS_PER_ROUTE]
        riders += [Rider(school=school, route=route, student=s, stop=ctx.rng.choice(stops)) for s in group]
    riders = ctx.bulk(riders, school=school)
    guardians = []
    for rider in riders:
        surname = rider.student.name[:1]
        guardians.append(Guardian(rider=rider, name=surname + random_name(ctx.rng, Sex.FEMALE)[1:], relation="母亲"))
        guardians.append(Guardian(rider=rider, name=random_name(ctx.rng, Sex.FEMALE), relation="外婆"))
    for guardian in guardians:
        guardian.phone = random_phone(ctx.rng)
    Guardian.objects.bulk_create(guardians)
    by_route: dict[int, list[Rider]] = {}
    for rider in riders:
        by_route.setdefault(rider.route_id, []).append(rider)
    return by_route


def _school_days(ctx: DemoContext, today: dt.date) -> list[dt.date]:
    term = next((s for s in ctx.semesters if s.starts_on <= today <= s.ends_on), None)
    start = term.starts_on if term else today - dt.timedelta(days=60)
    days = (start + dt.timedelta(days=n) for n in range((today - start).days))
    return [d for d in days if d.weekday() < 5]


def _trip(route: Route, day: dt.date, direction: str, attendant: Person, closed: bool) -> Trip:
    hour, minute = TIMES[direction]
    start = _moment(day, hour, minute)
    return Trip(
        school=route.school,
        route=route,
        date=day,
        direction=direction,
        vehicle=route.vehicle,
        driver=route.driver,
        attendant=attendant,
        status=TripStatus.CLOSED if closed else TripStatus.PLANNED,
        departed_at=start if closed else None,
        closed_at=start + dt.timedelta(minutes=50) if closed else None,
        no_child_left=closed,
        doors_and_belts=closed,
        **dict.fromkeys((name for name, _label in CHECKLIST), closed),
    )


def _events(ctx: DemoContext, trip: Trip, riders: list[Rider], user: User) -> list[TripEvent]:
    """Everyone who came that day boards; on the way home low grades are handed to their mother."""
    events = []
    start = _moment(trip.date, *TIMES[trip.direction])
    for rider in riders:
        if ctx.rng.random() < 0.04:
            continue  # absent that day
        events.append(
            TripEvent(school=trip.school, trip=trip, student=rider.student, kind=EventKind.BOARDED, at=start, by=user)
        )
        off = start + dt.timedelta(minutes=10 + 8 * rider.stop.order)
        if trip.direction == Direction.FROM_SCHOOL and rider.student.school_class.grade <= 2:
            mother = rider.guardians_cache[0]
            events.append(
                TripEvent(
                    school=trip.school,
                    trip=trip,
                    student=rider.student,
                    kind=EventKind.HANDED_OVER,
                    stop=rider.stop,
                    receiver_name=mother.name,
                    receiver_relation=mother.relation,
                    at=off,
                    by=user,
                )
            )
        else:
            stop = rider.stop if trip.direction == Direction.FROM_SCHOOL else None
            events.append(
                TripEvent(
                    school=trip.school,
                    trip=trip,
                    student=rider.student,
                    kind=EventKind.ALIGHTED,
                    stop=stop,
                    at=off,
                    by=user,
                )
            )
    return events


@register_step(order=320)
def school_bus(ctx: DemoContext) -> None:
    demo = ctx.schools[0]
    school, today = demo.school, timezone.localdate()
    safety, teacher = ctx.users["safety"], ctx.users["teacher"]
    routes = _fleet(ctx, school, today)
    riders = _riders(ctx, school, routes)
    for rider_list in riders.values():
        guardians = {g.rider_id: g for g in Guardian.objects.filter(rider__in=rider_list).order_by("id")}
        for rider in rider_list:
            rider.guardians_cache = [guardians[rider.pk]]
    attendants = [demo.staff["teacher"], next(p for p in demo.people if p.pk != demo.staff["teacher"].pk)]
    trips = [
        _trip(route, day, direction, attendant, closed=True)
        for day in _school_days(ctx, today)
        for route, attendant in zip(routes, attendants, strict=True)
        for direction in Direction.values
    ]
    # Today: the morning runs are done; the afternoon runs wait for their attendants.
    for route, attendant in zip(routes, attendants, strict=True):
        trips.append(_trip(route, today, Direction.TO_SCHOOL, attendant, closed=True))
        trips.append(_trip(route, today, Direction.FROM_SCHOOL, attendant, closed=False))
    trips = ctx.bulk(trips, school=school)
    events = []
    for trip in trips:
        if trip.status == TripStatus.CLOSED:
            events += _events(ctx, trip, riders[trip.route_id], teacher)
    ctx.bulk(events, school=school)
    _mismatch_resolved(trips, riders)
    _driving_records(ctx, trips, safety)
    _waiting_room(ctx, demo, routes[1], riders[routes[1].pk], today)
    ctx.bulk(
        [
            BusDrill(
                school=school,
                held_on=trips[0].date + dt.timedelta(days=9),
                route=routes[0],
                vehicle=routes[0].vehicle,
                participants=RIDERS_PER_ROUTE + 3,
                notes="车辆起火应急疏散：安全锤破窗、应急门开启，全体学生 1 分 10 秒撤离至安全区域。",
                recorded_by=safety,
            )
        ],
        school=school,
    )


def _mismatch_resolved(trips: list[Trip], riders: dict[int, list[Rider]]) -> None:
    """A week ago a child was missed at the close; the attendant found her asleep on the back seat."""
    closed = [t for t in trips if t.status == TripStatus.CLOSED and t.direction == Direction.FROM_SCHOOL]
    trip = closed[-10] if len(closed) >= 10 else closed[0]
    trip.mismatch_at = trip.closed_at - dt.timedelta(minutes=3)
    trip.mismatch_note = "一名学生未下车（在后排睡着），已找到并送交家长"
    Trip.objects.filter(pk=trip.pk).update(mismatch_at=trip.mismatch_at, mismatch_note=trip.mismatch_note)


def _waiting_room(ctx: DemoContext, demo, route: Route, riders: list[Rider], today: dt.date) -> None:
    room = next((p for name, p in demo.places.items() if name.endswith("图书室")), None) or next(
        iter(demo.places.values())
    )
    session = ctx.bulk(
        [WaitingSession(school=demo.school, date=today, route=route, room=room, teacher=demo.staff["headteacher"])],
        school=demo.school,
    )[0]
    WaitingStudent.objects.bulk_create([WaitingStudent(session=session, student=r.student) for r in riders])


def _record(trip: Trip, start: dt.datetime, speeds: list[float], places: tuple[str, ...], user: User) -> list:
    limits = selectors.speed_limits(trip)
    limit = limits.for_road(RoadType.OTHER)
    rows = []
    for n, value in enumerate(speeds):
        speed = Decimal(str(round(value, 1)))
        rows.append(
            SpeedRecord(
                school=trip.school,
                trip=trip,
                recorded_at=start + dt.timedelta(seconds=30 * n),
                speed_kmh=speed,
                road_type=RoadType.OTHER,
                location=places[n * len(places) // len(speeds)],
                limit_kmh=limit,
                is_speeding=speed > limit,
                by=user,
            )
        )
    return rows


def _driving_records(ctx: DemoContext, trips: list[Trip], safety: User) -> None:
    """This morning route 1 ran above 60 km/h for two minutes on 夷陵大道 (not reviewed yet); on a rainy afternoon
    route 2 went 24 km/h for a moment, and the safety officer spoke to the driver."""
    school = trips[0].school
    closed = [t for t in trips if t.status == TripStatus.CLOSED]
    morning = next(
        t for t in reversed(closed) if t.direction == Direction.TO_SCHOOL and t.route_id == closed[0].route_id
    )
    other_route = next(t.route_id for t in closed if t.route_id != morning.route_id)
    rainy_candidates = [t for t in closed if t.direction == Direction.FROM_SCHOOL and t.route_id == other_route]
    rainy = rainy_candidates[-4] if len(rainy_candidates) >= 4 else rainy_candidates[0]
    rainy.adverse_conditions = "小雨，路面湿滑"
    Trip.objects.filter(pk=rainy.pk).update(adverse_conditions=rainy.adverse_conditions)
    fast = [35 + ctx.rng.random() * 20 for _n in range(70)]
    fast[40:44] = [62.5, 65.0, 63.5, 61.0]
    slow = [10 + ctx.rng.random() * 9 for _n in range(60)]
    slow[25] = 24.0
    records = _record(morning, _moment(morning.date, *TIMES[morning.direction]), fast, ROUTES[0][4], safety)
    records += _record(rainy, _moment(rainy.date, *TIMES[rainy.direction]), slow, ROUTES[1][4], safety)
    records = ctx.bulk(records, school=school)
    flagged = [r for r in records if r.trip_id == rainy.pk and r.is_speeding]
    ctx.bulk(
        [
            SpeedingReview(
                school=school,
                trip=rainy,
                through_record=flagged[-1],
                note="雨天在西陵二路短时超过 20 公里/小时，已约谈驾驶员，重申雨雾天气限速 20 公里/小时。",
                by=safety,
            )
        ],
        school=school,
    )
