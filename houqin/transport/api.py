"""/api/transport: buses, drivers, routes with stops and riders, trips with boarding and the close, waiting rooms,
school-bus drills, the driving record of a trip and its speeding (D5)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.api import ERRORS, Id, Input, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.orgs.models import Person, Place, Student
from houqin.transport import selectors, services
from houqin.transport.choices import Direction, RoadType
from houqin.transport.models import (
    BusDrill,
    Driver,
    Route,
    SpeedingReview,
    Stop,
    Trip,
    Vehicle,
    WaitingSession,
)

router = Router(tags=["transport"])


#
# Buses and drivers
#


def _rule_book(context: Any) -> selectors.RuleBook:
    """One RuleBook per request, so a list reads the rules once and not once per row."""
    request = (context or {}).get("request")
    if request is None:
        return selectors.RuleBook()
    if not hasattr(request, "transport_rules"):
        request.transport_rules = selectors.RuleBook()
    return request.transport_rules


class BusVehicleIn(Input):
    school_id: OptionalId = None
    plate: str = Field(..., min_length=1, max_length=20)
    seats: int = Field(..., ge=1, le=100)
    model_name: str = Field("", max_length=60)
    operator: str = Field("", max_length=100)
    sign_valid_until: dt.date | None = None
    last_inspection_on: dt.date | None = None
    insurance_until: dt.date | None = None
    kit_checked_on: dt.date | None = None
    gps_ok: bool = False


class BusVehicleOut(Schema):
    id: int
    school_id: int
    plate: str
    seats: int
    model_name: str
    operator: str
    sign_valid_until: dt.date | None
    last_inspection_on: dt.date | None
    insurance_until: dt.date | None
    kit_checked_on: dt.date | None
    gps_ok: bool
    is_active: bool
    problems_today: list[str] = Field(..., description="what keeps the bus off the road today (D1)")

    @staticmethod
    def resolve_problems_today(obj: Vehicle, context: Any) -> list[str]:
        return selectors.vehicle_problems(obj, timezone.localdate(), _rule_book(context))


@router.get("/vehicles", auth=needs("transport.view_vehicle"), response={200: list[BusVehicleOut], **ERRORS})
@paginate
def vehicle_list(request: HttpRequest):
    return selectors.vehicles(user=request.user)


@router.post("/vehicles", auth=needs("transport.add_vehicle"), response={201: BusVehicleOut, **ERRORS})
def vehicle_create(request: HttpRequest, payload: BusVehicleIn):
    school = school_for_write(request, payload.school_id)
    vehicle = services.vehicle_create(actor=request.user, school=school, **payload.dict(exclude={"school_id"}))
    return Status(201, vehicle)


@router.get("/vehicles/{vehicle_id}", auth=needs("transport.view_vehicle"), response={200: BusVehicleOut, **ERRORS})
def vehicle_get(request: HttpRequest, vehicle_id: Id):
    return in_scope(selectors.vehicles(user=request.user), request, vehicle_id)


class DriverIn(Input):
    school_id: OptionalId = None
    name: str = Field(..., min_length=1, max_length=50)
    person_id: OptionalId = None
    birth_date: dt.date
    licence_since: dt.date
    has_endorsement: bool = False
    annual_review_until: dt.date | None = None
    phone: str = Field("", max_length=20)


class DriverOut(Schema):
    id: int
    school_id: int
    name: str
    person_id: int | None
    birth_date: dt.date
    licence_since: dt.date
    has_endorsement: bool
    annual_review_until: dt.date | None
    phone: str = Field(..., description="masked")
    is_active: bool
    problems_today: list[str] = Field(..., description="what keeps the driver off a school bus today (D2)")

    @staticmethod
    def resolve_phone(obj: Driver) -> str:
        return obj.phone_masked

    @staticmethod
    def resolve_problems_today(obj: Driver, context: Any) -> list[str]:
        return selectors.driver_problems(obj, timezone.localdate(), _rule_book(context))


@router.get("/drivers", auth=needs("transport.view_driver"), response={200: list[DriverOut], **ERRORS})
@paginate
def driver_list(request: HttpRequest):
    return selectors.drivers(user=request.user)


@router.post("/drivers", auth=needs("transport.add_driver"), response={201: DriverOut, **ERRORS})
def driver_create(request: HttpRequest, payload: DriverIn):
    school = school_for_write(request, payload.school_id)
    person = in_scope(Person.objects, request, payload.person_id) if payload.person_id else None
    values = payload.dict(exclude={"school_id", "person_id"})
    return Status(201, services.driver_create(actor=request.user, school=school, person=person, **values))


@router.get("/drivers/{driver_id}", auth=needs("transport.view_driver"), response={200: DriverOut, **ERRORS})
def driver_get(request: HttpRequest, driver_id: Id):
    return in_scope(selectors.drivers(user=request.user), request, driver_id)


#
# Routes, stops, riders
#


class StopOut(Schema):
    id: int
    order: int
    name: str
    time: dt.time | None


class BusRouteOut(Schema):
    id: int
    school_id: int
    name: str
    vehicle_id: int
    vehicle_plate: str = Field(..., alias="vehicle.plate")
    driver_id: int
    driver_name: str = Field(..., alias="driver.name")
    trip_number: int
    is_outsourced: bool
    provider: str
    agreement_filed_on: dt.date | None
    is_active: bool
    stops: list[StopOut]

    @staticmethod
    def resolve_stops(obj: Route) -> list[Stop]:
        return list(obj.stops.all())


class BusRouteIn(Input):
    school_id: OptionalId = None
    name: str = Field(..., min_length=1, max_length=60)
    vehicle_id: Id
    driver_id: Id
    trip_number: int = Field(1, ge=1, le=2)
    is_outsourced: bool = False
    provider: str = Field("", max_length=100)
    agreement_filed_on: dt.date | None = None


@router.get("/routes", auth=needs("transport.view_route"), response={200: list[BusRouteOut], **ERRORS})
@paginate
def route_list(request: HttpRequest):
    return selectors.routes(user=request.user)


@router.post("/routes", auth=needs("transport.add_route"), response={201: BusRouteOut, **ERRORS})
def route_create(request: HttpRequest, payload: BusRouteIn):
    school = school_for_write(request, payload.school_id)
    route = services.route_create(
        actor=request.user,
        school=school,
        vehicle=in_scope(Vehicle.objects, request, payload.vehicle_id),
        driver=in_scope(Driver.objects, request, payload.driver_id),
        **payload.dict(exclude={"school_id", "vehicle_id", "driver_id"}),
    )
    return Status(201, _route(request, route.pk))


def _stop(route_id: int, stop_id: int | None) -> Stop | None:
    if stop_id is None:
        return None
    stop = Stop.objects.filter(route_id=route_id, pk=stop_id).first()
    if stop is None:
        raise ValidationError({"stop_id": _(services.STOP_OF_OTHER_ROUTE)})
    return stop


def _route(request: HttpRequest, route_id: int) -> Route:
    return in_scope(selectors.routes(user=request.user), request, route_id)


@router.get("/routes/{route_id}", auth=needs("transport.view_route"), response={200: BusRouteOut, **ERRORS})
def route_get(request: HttpRequest, route_id: Id):
    return _route(request, route_id)


class StopIn(Input):
    name: str = Field(..., min_length=1, max_length=60)
    order: int | None = Field(None, ge=1, le=999)
    time: dt.time | None = None


@router.post("/routes/{route_id}/stops", auth=needs("transport.change_route"), response={201: BusRouteOut, **ERRORS})
def stop_create(request: HttpRequest, route_id: Id, payload: StopIn):
    services.stop_add(actor=request.user, route=_route(request, route_id), **payload.dict())
    return Status(201, _route(request, route_id))


class GuardianIO(Input):
    name: str = Field(..., min_length=1, max_length=50)
    relation: str = Field(..., min_length=1, max_length=20)
    phone: str = Field("", max_length=20)


class GuardianOut(Schema):
    name: str
    relation: str
    phone: str = Field(..., description="masked")

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone_masked


class RiderIn(Input):
    student_id: Id
    stop_id: OptionalId = None
    guardians: list[GuardianIO] = Field(default_factory=list, max_length=10)


class RiderOut(Schema):
    id: int
    route_id: int
    student_id: int
    student_name: str = Field(..., alias="student.name")
    class_name: str = Field(..., alias="student.school_class.name")
    stop_id: int | None
    guardians: list[GuardianOut]

    @staticmethod
    def resolve_guardians(obj) -> list:
        return list(obj.guardians.all())


class RiderFilter(Input):
    route_id: OptionalId = None


@router.get("/riders", auth=needs("transport.view_rider"), response={200: list[RiderOut], **ERRORS})
@paginate
def rider_list(request: HttpRequest, filters: Query[RiderFilter]):
    route = _route(request, filters.route_id) if filters.route_id else None
    return selectors.riders(user=request.user, route=route)


@router.post("/routes/{route_id}/riders", auth=needs("transport.change_route"), response={201: RiderOut, **ERRORS})
def rider_create(request: HttpRequest, route_id: Id, payload: RiderIn):
    route = _route(request, route_id)
    stop = _stop(route.pk, payload.stop_id)
    rider = services.rider_add(
        actor=request.user,
        route=route,
        student=in_scope(Student.objects, request, payload.student_id),
        stop=stop,
        guardians=[g.dict() for g in payload.guardians],
    )
    return Status(201, selectors.riders(user=request.user).get(pk=rider.pk))


#
# Trips
#


class TripIn(Input):
    route_id: Id
    date: dt.date
    direction: Direction
    attendant_id: Id = Field(..., description="the attendant (随车照管人员), a person of the school")
    vehicle_id: OptionalId = Field(None, description="default: the route's bus")
    driver_id: OptionalId = Field(None, description="default: the route's driver")


class TripOut(Schema):
    id: int
    school_id: int
    route_id: int
    route_name: str = Field(..., alias="route.name")
    date: dt.date
    direction: str
    vehicle_id: int
    vehicle_plate: str = Field(..., alias="vehicle.plate")
    seats: int = Field(..., alias="vehicle.seats")
    driver_id: int
    driver_name: str = Field(..., alias="driver.name")
    attendant_id: int
    attendant_name: str = Field(..., alias="attendant.name")
    status: str
    departed_at: dt.datetime | None
    mismatch_at: dt.datetime | None
    no_child_left: bool
    closed_at: dt.datetime | None
    adverse_conditions: str = Field(..., description="adverse road or weather conditions; blank when none (D5)")


class StudentStateOut(Schema):
    student_id: int
    name: str
    class_name: str
    grade: int
    stop: str
    is_rider: bool
    state: str = Field(..., description="waiting | boarded | alighted | handed_over | returned")
    receiver: str


class TripDetailOut(TripOut):
    boarded: int
    alighted: int
    handed_over: int
    returned: int
    on_board: int
    students: list[StudentStateOut]


class TripFilter(Input):
    date: dt.date | None = None


def _trip(request: HttpRequest, trip_id: int) -> Trip:
    """A trip of the user's school: 404 outside it, 403 unless the user oversees trips or accompanies this one."""
    trip = in_scope(selectors.trip_scope(user=request.user), request, trip_id)
    if not selectors.can_see_trip(request.user, trip):
        raise PermissionDenied(_(services.NOT_ATTENDANT))
    return trip


def _detail(trip: Trip) -> Trip:
    """The trip with its counts and each student's state, for TripDetailOut."""
    roster = selectors.roster(trip)
    trip.students = [  # type: ignore[attr-defined]
        {
            "student_id": r.student.pk,
            "name": r.student.name,
            "class_name": r.student.school_class.name,
            "grade": r.student.school_class.grade,
            "stop": r.stop.name if r.stop else "",
            "is_rider": r.is_rider,
            "state": r.state,
            "receiver": r.off.receiver_name if r.off else "",
        }
        for r in roster.rows
    ]
    trip.boarded, trip.alighted = roster.boarded, roster.alighted  # type: ignore[attr-defined]
    trip.handed_over, trip.returned = roster.handed_over, roster.returned  # type: ignore[attr-defined]
    trip.on_board = len(roster.on_board)  # type: ignore[attr-defined]
    return trip


@router.get("/trips", auth=needs("transport.attend_trip"), response={200: list[TripOut], **ERRORS})
@paginate
def trip_list(request: HttpRequest, filters: Query[TripFilter]):
    return selectors.trips(user=request.user, date=filters.date)


@router.post("/trips", auth=needs("transport.add_trip"), response={201: TripDetailOut, **ERRORS})
def trip_create(request: HttpRequest, payload: TripIn):
    trip = services.trip_plan(
        actor=request.user,
        route=_route(request, payload.route_id),
        date=payload.date,
        direction=payload.direction,
        attendant=in_scope(Person.objects, request, payload.attendant_id),
        vehicle=in_scope(Vehicle.objects, request, payload.vehicle_id) if payload.vehicle_id else None,
        driver=in_scope(Driver.objects, request, payload.driver_id) if payload.driver_id else None,
    )
    return Status(201, _detail(_trip(request, trip.pk)))


@router.get("/trips/{trip_id}", auth=needs("transport.attend_trip"), response={200: TripDetailOut, **ERRORS})
def trip_get(request: HttpRequest, trip_id: Id):
    return _detail(_trip(request, trip_id))


class DepartIn(Input):
    doors_and_belts: bool = Field(False, description="the attendant: doors closed, belts fastened")
    check_brakes: bool = False
    check_steering: bool = False
    check_lights: bool = False
    check_tyres: bool = False
    check_emergency_door: bool = False
    check_seats: bool = False
    check_belts: bool = False


@router.post("/trips/{trip_id}/depart", auth=needs("transport.attend_trip"), response={200: TripDetailOut, **ERRORS})
def trip_depart(request: HttpRequest, trip_id: Id, payload: DepartIn):
    services.trip_depart(actor=request.user, trip=_trip(request, trip_id), **payload.dict())
    return _detail(_trip(request, trip_id))


class StudentsIn(Input):
    student_ids: list[Id] = Field(..., min_length=1, max_length=200)
    at: dt.datetime | None = Field(None, description="default: now")


class BoardIn(StudentsIn):
    extra: bool = Field(False, description="take students who do not ride this route")


class AlightIn(StudentsIn):
    stop_id: OptionalId = None


class HandOverIn(AlightIn):
    receiver_name: str = Field(..., min_length=1, max_length=50)
    receiver_relation: str = Field(..., min_length=1, max_length=20)


@router.post("/trips/{trip_id}/board", auth=needs("transport.attend_trip"), response={200: TripDetailOut, **ERRORS})
def trip_board(request: HttpRequest, trip_id: Id, payload: BoardIn):
    services.trip_board(actor=request.user, trip=_trip(request, trip_id), **payload.dict())
    return _detail(_trip(request, trip_id))


@router.post("/trips/{trip_id}/alight", auth=needs("transport.attend_trip"), response={200: TripDetailOut, **ERRORS})
def trip_alight(request: HttpRequest, trip_id: Id, payload: AlightIn):
    trip = _trip(request, trip_id)
    values = payload.dict(exclude={"stop_id"})
    services.trip_alight(actor=request.user, trip=trip, stop=_stop(trip.route_id, payload.stop_id), **values)
    return _detail(_trip(request, trip_id))


@router.post("/trips/{trip_id}/hand-over", auth=needs("transport.attend_trip"), response={200: TripDetailOut, **ERRORS})
def trip_hand_over(request: HttpRequest, trip_id: Id, payload: HandOverIn):
    trip = _trip(request, trip_id)
    values = payload.dict(exclude={"stop_id"})
    services.trip_hand_over(actor=request.user, trip=trip, stop=_stop(trip.route_id, payload.stop_id), **values)
    return _detail(_trip(request, trip_id))


@router.post("/trips/{trip_id}/return", auth=needs("transport.attend_trip"), response={200: TripDetailOut, **ERRORS})
def trip_return(request: HttpRequest, trip_id: Id, payload: StudentsIn):
    services.trip_return(actor=request.user, trip=_trip(request, trip_id), **payload.dict())
    return _detail(_trip(request, trip_id))


class CloseIn(Input):
    no_child_left: bool = Field(..., description="the attendant walked the bus: no child left on it")


@router.post("/trips/{trip_id}/close", auth=needs("transport.attend_trip"), response={200: TripDetailOut, **ERRORS})
def trip_close(request: HttpRequest, trip_id: Id, payload: CloseIn):
    services.trip_close(actor=request.user, trip=_trip(request, trip_id), no_child_left=payload.no_child_left)
    return _detail(_trip(request, trip_id))


class TripConditionsIn(Input):
    adverse_conditions: str = Field(
        ..., max_length=200, description="e.g. 雨、雾、冰雪、急弯陡坡; an empty string clears the tag"
    )


@router.post(
    "/trips/{trip_id}/conditions", auth=needs("transport.attend_trip"), response={200: TripDetailOut, **ERRORS}
)
def trip_conditions(request: HttpRequest, trip_id: Id, payload: TripConditionsIn):
    services.trip_set_conditions(
        actor=request.user, trip=_trip(request, trip_id), adverse_conditions=payload.adverse_conditions
    )
    return _detail(_trip(request, trip_id))


#
# The driving record and speeding (D5)
#


class BusSpeedPointIn(Input):
    recorded_at: dt.datetime = Field(..., description="on the trip's day; without an offset, Beijing time")
    speed_kmh: Decimal = Field(..., description="km/h, 0 to 200; kept to one decimal place")
    road_type: RoadType = RoadType.OTHER
    location: str = Field("", max_length=200)


class BusTelemetryIn(Input):
    points: list[BusSpeedPointIn] = Field(..., description="all are stored or none")


class BusSpeedRecordOut(Schema):
    id: int
    trip_id: int
    recorded_at: dt.datetime
    speed_kmh: Decimal
    road_type: str
    location: str
    limit_kmh: int = Field(..., description="the limit that applied when the record was stored")
    is_speeding: bool


class BusTelemetryOut(Schema):
    stored: int
    speeding: int
    speeding_records: list[BusSpeedRecordOut]


def _trip_for_speed(request: HttpRequest, trip_id: int) -> Trip:
    return in_scope(selectors.trip_scope(user=request.user), request, trip_id)


@router.post(
    "/trips/{trip_id}/telemetry", auth=needs("transport.add_speedrecord"), response={201: BusTelemetryOut, **ERRORS}
)
def trip_telemetry(request: HttpRequest, trip_id: Id, payload: BusTelemetryIn):
    points = [services.SpeedPoint(**point.dict()) for point in payload.points]
    records = services.telemetry_import(actor=request.user, trip=_trip_for_speed(request, trip_id), points=points)
    flagged = [r for r in records if r.is_speeding]
    return Status(201, {"stored": len(records), "speeding": len(flagged), "speeding_records": flagged})


@router.get(
    "/trips/{trip_id}/speeding",
    auth=needs("transport.view_speedrecord"),
    response={200: list[BusSpeedRecordOut], **ERRORS},
)
@paginate
def trip_speeding(request: HttpRequest, trip_id: Id):
    return selectors.speeding(_trip_for_speed(request, trip_id))


class BusSpeedingReviewIn(Input):
    note: str = Field(..., min_length=1, max_length=2000, description="what was done about the speeding")


class BusSpeedingReviewOut(Schema):
    id: int
    trip_id: int
    through_record_id: int = Field(..., description="the review covers the flagged records up to this one")
    note: str
    at: dt.datetime
    by_id: int


@router.post(
    "/trips/{trip_id}/speeding/review",
    auth=needs("transport.add_speedingreview"),
    response={201: BusSpeedingReviewOut, **ERRORS},
)
def trip_speeding_review(request: HttpRequest, trip_id: Id, payload: BusSpeedingReviewIn):
    trip = _trip_for_speed(request, trip_id)
    review: SpeedingReview = services.speeding_review(actor=request.user, trip=trip, note=payload.note)
    return Status(201, review)


#
# Waiting for the second trip
#


class WaitingIn(Input):
    school_id: OptionalId = None
    date: dt.date
    room_id: Id
    teacher_id: Id
    route_id: OptionalId = None
    student_ids: list[Id] = Field(..., min_length=1, max_length=500)


class WaitingStudentOut(Schema):
    student_id: int
    name: str
    signed_off_at: dt.datetime | None


class WaitingOut(Schema):
    id: int
    date: dt.date
    room_id: int
    room_name: str
    teacher_id: int
    teacher_name: str = Field(..., alias="teacher.name")
    route_id: int | None
    students: list[WaitingStudentOut]

    @staticmethod
    def resolve_room_name(obj: WaitingSession) -> str:
        return str(obj.room)

    @staticmethod
    def resolve_students(obj: WaitingSession) -> list[dict]:
        return [
            {"student_id": w.student_id, "name": w.student.name, "signed_off_at": w.signed_off_at}
            for w in obj.students.all()
        ]


def _waiting(request: HttpRequest) -> QuerySet[WaitingSession]:
    return selectors.waiting_sessions(user=request.user)


@router.get("/waiting", auth=needs("transport.view_waitingsession"), response={200: list[WaitingOut], **ERRORS})
@paginate
def waiting_list(request: HttpRequest, filters: Query[TripFilter]):
    sessions = _waiting(request)
    return sessions.filter(date=filters.date) if filters.date else sessions


@router.post("/waiting", auth=needs("transport.add_waitingsession"), response={201: WaitingOut, **ERRORS})
def waiting_create(request: HttpRequest, payload: WaitingIn):
    session = services.waiting_open(
        actor=request.user,
        school=school_for_write(request, payload.school_id),
        date=payload.date,
        room=in_scope(Place.objects, request, payload.room_id),
        teacher=in_scope(Person.objects, request, payload.teacher_id),
        route=_route(request, payload.route_id) if payload.route_id else None,
        student_ids=payload.student_ids,
    )
    return Status(201, in_scope(_waiting(request), request, session.pk))


class SignOffIn(Input):
    student_ids: list[Id] = Field(..., min_length=1, max_length=500)


@router.post(
    "/waiting/{session_id}/sign-off",
    auth=needs("transport.view_waitingsession"),
    response={200: WaitingOut, **ERRORS},
)
def waiting_sign_off(request: HttpRequest, session_id: Id, payload: SignOffIn):
    session = in_scope(WaitingSession.objects, request, session_id)
    services.waiting_sign_off(actor=request.user, session=session, student_ids=payload.student_ids)
    return in_scope(_waiting(request), request, session_id)


#
# Drills (D7)
#


class BusDrillIn(Input):
    school_id: OptionalId = None
    held_on: dt.date
    route_id: OptionalId = None
    vehicle_id: OptionalId = None
    participants: int = Field(0, ge=0, le=10000)
    notes: str = Field("", max_length=2000)


class BusDrillOut(Schema):
    id: int
    school_id: int
    held_on: dt.date
    route_id: int | None
    vehicle_id: int | None
    participants: int
    notes: str


@router.get("/drills", auth=needs("transport.view_busdrill"), response={200: list[BusDrillOut], **ERRORS})
@paginate
def drill_list(request: HttpRequest):
    return selectors.drills(user=request.user)


@router.post("/drills", auth=needs("transport.add_busdrill"), response={201: BusDrillOut, **ERRORS})
def drill_create(request: HttpRequest, payload: BusDrillIn):
    drill = services.drill_record(
        actor=request.user,
        school=school_for_write(request, payload.school_id),
        held_on=payload.held_on,
        route=_route(request, payload.route_id) if payload.route_id else None,
        vehicle=in_scope(Vehicle.objects, request, payload.vehicle_id) if payload.vehicle_id else None,
        participants=payload.participants,
        notes=payload.notes,
    )
    return Status(201, BusDrill.objects.get(pk=drill.pk))
