"""Every write of the school bus. A trip runs only with a compliant bus and driver (D1–D2) and, on an outsourced
route, a filed responsibility agreement (D6); the attendant records who boards and how each one leaves the bus,
departs after the checklist (D3), and closes only when nobody is left on board (D4). A mismatch at the close alerts
the safety officer and the head teachers at once, and the alert is kept even though the close is refused. Imported
telemetry is checked against the speed limits of the trip's day and conditions, and the safety officer reviews what
was over them (D5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import NO_PERMISSION, create_audited, lock, require_perm, require_same_school, update_audited
from houqin.core.policies import policy
from houqin.core.sensitive import mask_name
from houqin.core.services import notify
from houqin.orgs.models import Student
from houqin.transport import selectors
from houqin.transport.choices import CHECKLIST, EventKind, RoadType, TripStatus
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
    from houqin.orgs.models import Person, Place, School

CANNOT_RUN = gettext_noop("The trip cannot run on %(date)s: %(problems)s.")
ATTENDANT_LEFT = gettext_noop("%(person)s is no longer on the staff.")
NOT_ATTENDANT = gettext_noop("Only the trip's attendant records this trip.")
TRIP_CLOSED = gettext_noop("The trip is closed.")
NOT_PLANNED = gettext_noop("The trip has already departed.")
NOT_DEPARTED = gettext_noop("The trip has not departed yet.")
UNKNOWN_STUDENTS = gettext_noop("Unknown students: %(ids)s.")
NO_STUDENTS = gettext_noop("Choose at least one student.")
NOT_A_RIDER = gettext_noop("%(names)s do not ride this route (tick “extra rider” to take them anyway).")
ALREADY_BOARDED = gettext_noop("%(names)s already boarded this trip.")
NOT_ON_BOARD = gettext_noop("%(names)s are not on the bus.")
OVER_SEATS = gettext_noop("%(count)s students on board but the bus has %(seats)s seats: the bus cannot depart.")
CHECKLIST_MISSING = gettext_noop("Tick every item before departure: %(items)s.")
DOORS_NOT_CONFIRMED = gettext_noop("Confirm that the doors are closed and the belts fastened.")
RECEIVER_REQUIRED = gettext_noop("Write who received the student and their relation.")
NOT_A_GUARDIAN = gettext_noop(
    "%(names)s (grade %(grade)s) may be handed over only to a registered guardian; %(receiver)s is not one."
)
STILL_ON_BOARD = gettext_noop(
    "Boarded %(boarded)s ≠ alighted %(alighted)s + handed over %(handed)s + returned %(returned)s: "
    "%(names)s still on the bus. The safety officer and head teachers have been alerted."
)
CONFIRM_NO_CHILD = gettext_noop("Check the whole bus and confirm “no child left on the bus” before closing.")
STOP_OF_OTHER_ROUTE = gettext_noop("The stop is not on this route.")
DRILL_IN_FUTURE = gettext_noop("A drill is recorded once it has been held; the date cannot be in the future.")
ALERT_TITLE = gettext_noop("School bus %(route)s: %(count)s students not accounted for")
SPEED_OUT_OF_RANGE = gettext_noop("The speed must be from 0 to 200 km/h.")
TIME_NOT_ON_TRIP_DAY = gettext_noop("The time must be on the day of the trip, %(date)s.")
TIME_ALREADY_RECORDED = gettext_noop("A speed record at this time already exists for this trip.")
SAME_TIME_AS_POINT = gettext_noop("the same time as points[%(index)s].")
ROAD_TYPE_UNKNOWN = gettext_noop("Choose one of: %(choices)s.")
POINT_ERROR = gettext_noop("points[%(index)s]: %(message)s")
NO_POINTS = gettext_noop("Send at least one point.")
TOO_MANY_POINTS = gettext_noop("At most %(max)s points at a time.")
CONDITIONS_FIXED = gettext_noop(
    "Speed records of this trip were already checked against its conditions; the conditions can no longer change."
)
REVIEW_NOTE_REQUIRED = gettext_noop("Write what was done about the speeding.")
NOTHING_TO_REVIEW = gettext_noop("This trip has no speeding left to review.")

MAX_SPEED = Decimal(200)
MAX_POINTS = 20000


def _problems(*, route: Route, vehicle: Vehicle, driver: Driver, on: dt.date) -> None:
    problems = (
        selectors.route_problems(route)
        + selectors.vehicle_problems(vehicle, on)
        + selectors.driver_problems(driver, on)
    )
    if problems:
        raise ValidationError(_(CANNOT_RUN) % {"date": f"{on:%Y-%m-%d}", "problems": "；".join(problems)})


def _names(students: Iterable[Student]) -> str:
    return "、".join(s.name for s in students)


#
# Buses, drivers, routes, riders
#


@transaction.atomic
def vehicle_create(*, actor: User, school: School, **values: Any) -> Vehicle:
    require_perm(actor, "transport.add_vehicle")
    return create_audited(actor=actor, model=Vehicle, values={"school": school, **values})


@transaction.atomic
def vehicle_update(*, actor: User, vehicle: Vehicle, **values: Any) -> Vehicle:
    require_perm(actor, "transport.change_vehicle")
    return update_audited(actor=actor, instance=lock(Vehicle, vehicle.pk), values=values)


@transaction.atomic
def driver_create(*, actor: User, school: School, **values: Any) -> Driver:
    require_perm(actor, "transport.add_driver")
    require_same_school(school, person=values.get("person"))
    return create_audited(actor=actor, model=Driver, values={"school": school, **values})


@transaction.atomic
def driver_update(*, actor: User, driver: Driver, **values: Any) -> Driver:
    require_perm(actor, "transport.change_driver")
    require_same_school(driver.school, person=values.get("person"))
    return update_audited(actor=actor, instance=lock(Driver, driver.pk), values=values)


@transaction.atomic
def route_create(*, actor: User, school: School, vehicle: Vehicle, driver: Driver, **values: Any) -> Route:
    require_perm(actor, "transport.add_route")
    require_same_school(school, vehicle=vehicle, driver=driver)
    return create_audited(
        actor=actor, model=Route, values={"school": school, "vehicle": vehicle, "driver": driver, **values}
    )


@transaction.atomic
def route_update(*, actor: User, route: Route, **values: Any) -> Route:
    require_perm(actor, "transport.change_route")
    require_same_school(route.school, vehicle=values.get("vehicle"), driver=values.get("driver"))
    return update_audited(actor=actor, instance=lock(Route, route.pk), values=values)


@transaction.atomic
def stop_add(*, actor: User, route: Route, name: str, order: int | None = None, time: dt.time | None = None) -> Stop:
    require_perm(actor, "transport.change_route")
    if order is None:
        order = route.stops.count() + 1
    stop = Stop(route=route, name=name.strip(), order=order, time=time)
    stop.full_clean()
    stop.save()
    audit.record(actor=actor, action="transport.stop.created", target=route, changes={"stop": [None, stop.name]})
    return stop


@transaction.atomic
def rider_add(
    *,
    actor: User,
    route: Route,
    student: Student,
    stop: Stop | None = None,
    guardians: Iterable[dict[str, str]] = (),
) -> Rider:
    """A student rides the route from a stop; the guardians listed may receive them (names, relations, phones)."""
    require_perm(actor, "transport.change_route")
    require_same_school(route.school, student=student)
    if stop is not None and stop.route_id != route.pk:
        raise ValidationError({"stop": _(STOP_OF_OTHER_ROUTE)})
    rider = create_audited(
        actor=actor, model=Rider, values={"school": route.school, "route": route, "student": student, "stop": stop}
    )
    for values in guardians:
        guardian = Guardian(rider=rider, **values)
        guardian.full_clean()
        guardian.save()
    return rider


#
# Trips
#


@transaction.atomic
def trip_plan(
    *,
    actor: User,
    route: Route,
    date: dt.date,
    direction: str,
    attendant: Person,
    vehicle: Vehicle | None = None,
    driver: Driver | None = None,
) -> Trip:
    """Put a trip on the day's schedule with its attendant; refused when the bus, driver or route may not run."""
    require_perm(actor, "transport.add_trip")
    vehicle, driver = vehicle or route.vehicle, driver or route.driver
    require_same_school(route.school, vehicle=vehicle, driver=driver, attendant=attendant)
    if not attendant.is_active:
        raise ValidationError({"attendant": _(ATTENDANT_LEFT) % {"person": attendant}})
    _problems(route=route, vehicle=vehicle, driver=driver, on=date)
    values = {
        "school": route.school,
        "route": route,
        "date": date,
        "direction": direction,
        "vehicle": vehicle,
        "driver": driver,
        "attendant": attendant,
    }
    return create_audited(actor=actor, model=Trip, values=values)


def _attending(actor: User, trip: Trip) -> Trip:
    """The trip re-read under lock, if the actor is its attendant (or oversees trips) and it is not closed."""
    require_perm(actor, "transport.attend_trip")
    if actor.person_id != trip.attendant_id and not actor.has_perm("transport.change_trip"):
        raise PermissionDenied(_(NOT_ATTENDANT))
    trip = lock(Trip, trip.pk)
    if trip.status == TripStatus.CLOSED:
        raise ValidationError(_(TRIP_CLOSED))
    return trip


def _students(trip: Trip, student_ids: Iterable[int]) -> list[Student]:
    ids = list(dict.fromkeys(student_ids))
    if not ids:
        raise ValidationError({"student_ids": _(NO_STUDENTS)})
    students = list(Student.objects.filter(school_id=trip.school_id, pk__in=ids).select_related("school_class"))
    unknown = set(ids) - {s.pk for s in students}
    if unknown:
        raise ValidationError({"student_ids": _(UNKNOWN_STUDENTS) % {"ids": ", ".join(map(str, sorted(unknown)))}})
    return students


def _record(
    actor: User, trip: Trip, students: list[Student], kind: str, at: dt.datetime | None, **fields: Any
) -> list[TripEvent]:
    at = at or timezone.now()
    events = TripEvent.objects.bulk_create(
        [
            TripEvent(school_id=trip.school_id, trip=trip, student=s, kind=kind, at=at, by=actor, **fields)
            for s in students
        ]
    )
    audit.record(
        actor=actor,
        action=f"transport.trip.{kind}",
        target=trip,
        changes={kind: [None, [mask_name(s.name) for s in students]]},
        message=fields.get("receiver_name", ""),
    )
    return events


@transaction.atomic
def trip_board(
    *, actor: User, trip: Trip, student_ids: Iterable[int], extra: bool = False, at: dt.datetime | None = None
) -> list[TripEvent]:
    """Students get on the bus: each once, riders of the route unless `extra`; never above the seats on the road."""
    trip = _attending(actor, trip)
    students = _students(trip, student_ids)
    roster = {r.student.pk: r for r in selectors.roster(trip).rows}
    strangers = [s for s in students if s.pk not in roster or not roster[s.pk].is_rider]
    if strangers and not extra:
        raise ValidationError(_(NOT_A_RIDER) % {"names": _names(strangers)})
    twice = [s for s in students if s.pk in roster and roster[s.pk].boarded]
    if twice:
        raise ValidationError(_(ALREADY_BOARDED) % {"names": _names(twice)})
    on_board = sum(1 for r in roster.values() if r.on_board) + len(students)
    if trip.status == TripStatus.DEPARTED and on_board > trip.vehicle.seats:
        raise ValidationError(_(OVER_SEATS) % {"count": on_board, "seats": trip.vehicle.seats})
    events = _record(actor, trip, students, EventKind.BOARDED, at)
    if trip.route.trip_number == 2:
        _sign_off_waiting(trip, students, at or timezone.now())
    return events


def _getting_off(actor: User, trip: Trip, student_ids: Iterable[int]) -> tuple[Trip, list[Student], dict]:
    trip = _attending(actor, trip)
    students = _students(trip, student_ids)
    roster = {r.student.pk: r for r in selectors.roster(trip).rows}
    absent = [s for s in students if s.pk not in roster or not roster[s.pk].on_board]
    if absent:
        raise ValidationError(_(NOT_ON_BOARD) % {"names": _names(absent)})
    return trip, students, roster


@transaction.atomic
def trip_alight(
    *, actor: User, trip: Trip, student_ids: Iterable[int], stop: Stop | None = None, at: dt.datetime | None = None
) -> list[TripEvent]:
    """Students get off at a stop (or at school, on the way in)."""
    trip, students, _roster = _getting_off(actor, trip, student_ids)
    if stop is not None and stop.route_id != trip.route_id:
        raise ValidationError({"stop_id": _(STOP_OF_OTHER_ROUTE)})
    return _record(actor, trip, students, EventKind.ALIGHTED, at, stop=stop)


@transaction.atomic
def trip_hand_over(
    *,
    actor: User,
    trip: Trip,
    student_ids: Iterable[int],
    receiver_name: str,
    receiver_relation: str,
    stop: Stop | None = None,
    at: dt.datetime | None = None,
) -> list[TripEvent]:
    """Students handed to a guardian; up to the configured grade, only to a guardian registered for the bus."""
    receiver_name, receiver_relation = receiver_name.strip(), receiver_relation.strip()
    if not receiver_name or not receiver_relation:
        raise ValidationError({"receiver_name": _(RECEIVER_REQUIRED)})
    trip, students, _roster = _getting_off(actor, trip, student_ids)
    max_grade = policy("duties.handover_max_grade", school=trip.school, on=trip.date)
    registered = set(
        Guardian.objects.filter(rider__route_id=trip.route_id, name=receiver_name).values_list(
            "rider__student_id", flat=True
        )
    )
    refused = [s for s in students if s.school_class.grade <= max_grade and s.pk not in registered]
    if refused:
        raise ValidationError(
            _(NOT_A_GUARDIAN)
            % {"names": _names(refused), "grade": refused[0].school_class.grade, "receiver": receiver_name}
        )
    return _record(
        actor,
        trip,
        students,
        EventKind.HANDED_OVER,
        at,
        stop=stop,
        receiver_name=receiver_name,
        receiver_relation=receiver_relation,
    )


@transaction.atomic
def trip_return(
    *, actor: User, trip: Trip, student_ids: Iterable[int], at: dt.datetime | None = None
) -> list[TripEvent]:
    """Students brought back to school (nobody to receive them, or taken off before departure)."""
    trip, students, _roster = _getting_off(actor, trip, student_ids)
    return _record(actor, trip, students, EventKind.RETURNED, at)


@transaction.atomic
def trip_depart(*, actor: User, trip: Trip, doors_and_belts: bool, **checklist: bool) -> Trip:
    """The driver's checklist and the attendant's "doors closed, belts fastened"; never above the rated seats."""
    trip = _attending(actor, trip)
    if trip.status != TripStatus.PLANNED:
        raise ValidationError(_(NOT_PLANNED))
    missing = [str(label) for name, label in CHECKLIST if not checklist.get(name)]
    if missing:
        raise ValidationError(_(CHECKLIST_MISSING) % {"items": "、".join(missing)})
    if not doors_and_belts:
        raise ValidationError(_(DOORS_NOT_CONFIRMED))
    _problems(route=trip.route, vehicle=trip.vehicle, driver=trip.driver, on=trip.date)
    on_board = len(selectors.roster(trip).on_board)
    if on_board > trip.vehicle.seats:
        raise ValidationError(_(OVER_SEATS) % {"count": on_board, "seats": trip.vehicle.seats})
    values: dict[str, Any] = {name: True for name, _label in CHECKLIST}
    values.update(doors_and_belts=True, status=TripStatus.DEPARTED, departed_at=timezone.now())
    return update_audited(actor=actor, instance=trip, values=values)


def trip_close(*, actor: User, trip: Trip, no_child_left: bool) -> Trip:
    """Close the trip when everyone who boarded is accounted for and the attendant confirms the bus is empty.

    Not one transaction: when children are missing the alert is committed before the close is refused."""
    with transaction.atomic():
        trip = _attending(actor, trip)
        if trip.status != TripStatus.DEPARTED:
            raise ValidationError(_(NOT_DEPARTED))
        roster = selectors.roster(trip)
        missing = roster.on_board
        if missing:
            message = _(STILL_ON_BOARD) % {
                "boarded": roster.boarded,
                "alighted": roster.alighted,
                "handed": roster.handed_over,
                "returned": roster.returned,
                "names": _names(r.student for r in missing),
            }
            _raise_alert(actor, trip, [r.student for r in missing], message)
    if missing:
        raise ValidationError(message)
    with transaction.atomic():
        trip = lock(Trip, trip.pk)
        if not no_child_left:
            raise ValidationError(_(CONFIRM_NO_CHILD))
        values = {"status": TripStatus.CLOSED, "no_child_left": True, "closed_at": timezone.now(), "closed_by": actor}
        return update_audited(actor=actor, instance=trip, values=values)


def _raise_alert(actor: User, trip: Trip, missing: list[Student], message: str) -> None:
    """Tell the school's safety officers and the missing students' head teachers, at once (D4)."""
    from houqin.accounts.models import User
    from houqin.accounts.roles import Role

    note = "、".join(sorted(mask_name(s.name) for s in missing))[:300]
    if trip.mismatch_note == note:
        return  # the same children were already reported
    teachers = {s.school_class.head_teacher_id for s in missing} - {None}
    recipients = (
        User.objects.filter(school_id=trip.school_id, is_active=True)
        .filter(Q(role_assignments__role=Role.SAFETY_OFFICER) | Q(person_id__in=teachers))
        .distinct()
    )
    notify(
        recipients=list(recipients),
        kind="transport.trip.mismatch",
        title=_(ALERT_TITLE) % {"route": trip.route, "count": len(missing)},
        body=message,
        url=reverse("transport:trip_detail", args=[trip.pk]),
        school=trip.school,
    )
    trip.mismatch_at, trip.mismatch_note = timezone.now(), note
    trip.save(update_fields=["mismatch_at", "mismatch_note", "updated_at"])
    audit.record(actor=actor, action="transport.trip.mismatch", target=trip, message=note)


#
# Waiting for the second trip
#


@transaction.atomic
def waiting_open(
    *,
    actor: User,
    school: School,
    date: dt.date,
    room: Place,
    teacher: Person,
    student_ids: Iterable[int],
    route: Route | None = None,
) -> WaitingSession:
    """Students wait for the second trip in a room under a named teacher."""
    require_perm(actor, "transport.add_waitingsession")
    require_same_school(school, room=room, teacher=teacher, route=route)
    session = create_audited(
        actor=actor,
        model=WaitingSession,
        values={"school": school, "date": date, "room": room, "teacher": teacher, "route": route},
    )
    ids = list(dict.fromkeys(student_ids))
    students = list(Student.objects.filter(school=school, pk__in=ids))
    if len(students) != len(ids):
        raise ValidationError({"student_ids": _(UNKNOWN_STUDENTS) % {"ids": len(ids) - len(students)}})
    WaitingStudent.objects.bulk_create([WaitingStudent(session=session, student=s) for s in students])
    return session


@transaction.atomic
def waiting_sign_off(*, actor: User, session: WaitingSession, student_ids: Iterable[int]) -> int:
    """The supervising teacher (or a manager) signs students off as they leave the room for the bus."""
    if actor.person_id != session.teacher_id and not actor.has_perm("transport.change_waitingsession"):
        raise PermissionDenied(_(NO_PERMISSION))
    rows = WaitingStudent.objects.select_for_update().filter(
        session=session, student_id__in=list(student_ids), signed_off_at__isnull=True
    )
    count = rows.update(signed_off_at=timezone.now())
    audit.record(actor=actor, action="transport.waiting.signed_off", target=session, changes={"count": [None, count]})
    return count


def _sign_off_waiting(trip: Trip, students: list[Student], at: dt.datetime) -> None:
    WaitingStudent.objects.filter(
        session__school_id=trip.school_id,
        session__date=trip.date,
        student__in=students,
        signed_off_at__isnull=True,
    ).update(signed_off_at=at, trip=trip)


#
# Drills (D7)
#


@transaction.atomic
def drill_record(*, actor: User, school: School, held_on: dt.date, **values: Any) -> BusDrill:
    require_perm(actor, "transport.add_busdrill")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _(DRILL_IN_FUTURE)})
    require_same_school(school, route=values.get("route"), vehicle=values.get("vehicle"))
    return create_audited(
        actor=actor, model=BusDrill, values={"school": school, "held_on": held_on, "recorded_by": actor, **values}
    )


#
# Speed (D5)
#


@dataclass(frozen=True)
class SpeedPoint:
    """One point of a bus's driving record as imported: when, how fast, on which road, where."""

    recorded_at: dt.datetime
    speed_kmh: Decimal
    road_type: str = RoadType.OTHER
    location: str = ""


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _speed(value: Any) -> Decimal | None:
    """The speed to one decimal place, or None when it is not a number from 0 to 200."""
    try:
        speed = Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return speed if 0 <= speed <= MAX_SPEED else None
    except ArithmeticError:  # not a number, NaN or infinite
        return None


def _point_errors(trip: Trip, point: SpeedPoint) -> dict[str, str]:
    """What is wrong with one point, by field (empty when it may be stored)."""
    errors = {}
    if _speed(point.speed_kmh) is None:
        errors["speed_kmh"] = _(SPEED_OUT_OF_RANGE)
    if timezone.localtime(_aware(point.recorded_at)).date() != trip.date:
        errors["recorded_at"] = _(TIME_NOT_ON_TRIP_DAY) % {"date": f"{trip.date:%Y-%m-%d}"}
    if point.road_type not in RoadType.values:
        errors["road_type"] = _(ROAD_TYPE_UNKNOWN) % {"choices": "、".join(str(label) for label in RoadType.labels)}
    if len(point.location) > 200:
        errors["location"] = _("At most %(max_length)s characters.") % {"max_length": 200}
    return errors


def _speed_record(actor: User, trip: Trip, point: SpeedPoint, limits: selectors.SpeedLimits) -> SpeedRecord:
    """The record of a checked point, flagged when over the limit that applies (the limit is kept on the row)."""
    speed = _speed(point.speed_kmh)
    assert speed is not None
    limit = limits.for_road(point.road_type)
    return SpeedRecord(
        school_id=trip.school_id,
        trip=trip,
        recorded_at=_aware(point.recorded_at),
        speed_kmh=speed,
        road_type=point.road_type,
        location=point.location.strip(),
        limit_kmh=limit,
        is_speeding=speed > limit,
        by=actor,
    )


def _importable(actor: User, trip: Trip) -> Trip:
    require_perm(actor, "transport.add_speedrecord")
    trip = lock(Trip, trip.pk)
    if trip.status == TripStatus.PLANNED:
        raise ValidationError(_(NOT_DEPARTED))
    return trip


@transaction.atomic
def telemetry_import(*, actor: User, trip: Trip, points: Sequence[SpeedPoint]) -> list[SpeedRecord]:
    """Store a departed trip's driving record: all points or none, every error naming its point's index; each point
    over the limit of its road (or the adverse-conditions limit) is flagged for the safety officer (D5)."""
    trip = _importable(actor, trip)
    if not points:
        raise ValidationError({"points": _(NO_POINTS)})
    if len(points) > MAX_POINTS:
        raise ValidationError({"points": _(TOO_MANY_POINTS) % {"max": MAX_POINTS}})
    moments = [_aware(p.recorded_at) for p in points]
    stored = set(SpeedRecord.objects.filter(trip=trip, recorded_at__in=moments).values_list("recorded_at", flat=True))
    errors: list[str] = []
    seen: dict[dt.datetime, int] = {}
    for index, (point, moment) in enumerate(zip(points, moments, strict=True)):
        messages = list(_point_errors(trip, point).values())
        if moment in seen:
            messages.append(_(SAME_TIME_AS_POINT) % {"index": seen[moment]})
        elif moment in stored:
            messages.append(_(TIME_ALREADY_RECORDED))
        seen.setdefault(moment, index)
        errors += [_(POINT_ERROR) % {"index": index, "message": message} for message in messages]
    if errors:
        raise ValidationError({"points": errors})
    limits = selectors.speed_limits(trip)
    records = SpeedRecord.objects.bulk_create([_speed_record(actor, trip, p, limits) for p in points])
    flagged = sum(1 for r in records if r.is_speeding)
    audit.record(
        actor=actor,
        action="transport.trip.telemetry_imported",
        target=trip,
        changes={"speed_records": [None, len(records)], "speeding": [None, flagged]},
    )
    return records


@transaction.atomic
def speed_record_add(
    *, actor: User, trip: Trip, point: SpeedPoint, limits: selectors.SpeedLimits | None = None
) -> SpeedRecord:
    """One row of an Excel driving record, checked and flagged like telemetry_import; the import of the file is
    one transaction (nothing kept on any error) and one audit event."""
    trip = _importable(actor, trip)
    errors = _point_errors(trip, point)
    if errors:
        raise ValidationError(errors)
    if SpeedRecord.objects.filter(trip=trip, recorded_at=_aware(point.recorded_at)).exists():
        raise ValidationError({"recorded_at": _(TIME_ALREADY_RECORDED)})
    record = _speed_record(actor, trip, point, limits or selectors.speed_limits(trip))
    record.save()
    return record


@transaction.atomic
def trip_set_conditions(*, actor: User, trip: Trip, adverse_conditions: str) -> Trip:
    """The attendant (or whoever oversees trips) tags the trip with adverse road or weather conditions, or clears
    the tag; fixed once speed records were checked against it."""
    require_perm(actor, "transport.attend_trip")
    if actor.person_id != trip.attendant_id and not actor.has_perm("transport.change_trip"):
        raise PermissionDenied(_(NOT_ATTENDANT))
    trip = lock(Trip, trip.pk)
    text = adverse_conditions.strip()
    if text != trip.adverse_conditions and SpeedRecord.objects.filter(trip=trip).exists():
        raise ValidationError({"adverse_conditions": _(CONDITIONS_FIXED)})
    return update_audited(actor=actor, instance=trip, values={"adverse_conditions": text})


@transaction.atomic
def speeding_review(*, actor: User, trip: Trip, note: str) -> SpeedingReview:
    """The safety officer notes what was done about the trip's speeding; it covers every flagged record so far."""
    require_perm(actor, "transport.add_speedingreview")
    trip = lock(Trip, trip.pk)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _(REVIEW_NOTE_REQUIRED)})
    open_records = list(selectors.unreviewed_speeding(trip).values_list("pk", flat=True))
    if not open_records:
        raise ValidationError(_(NOTHING_TO_REVIEW))
    review = SpeedingReview(
        school_id=trip.school_id, trip=trip, through_record_id=max(open_records), note=note, by=actor
    )
    review.full_clean()
    review.save()
    audit.record(
        actor=actor,
        action="transport.trip.speeding_reviewed",
        target=trip,
        changes={"speeding_reviewed": [None, len(open_records)]},
        message=note[:300],
    )
    return review
