"""Reads of the school bus: compliance of buses and drivers on a date (D1–D2), the roster of a trip with each
student's state (D3–D4), drills per semester (D7). Lists start from visible_to(user)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, IntegerField, Max, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.policies import effective_all, policy
from houqin.orgs.models import SchoolClass, Semester, Student
from houqin.transport.choices import OFF_KINDS, EventKind, RoadType, TripStatus
from houqin.transport.models import (
    BusDrill,
    Driver,
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
    from houqin.orgs.models import School

KIT_CHECK_DAYS = 31  # the escape hammer, extinguisher and first-aid kit are checked every month
EXPIRY_WARNING_DAYS = 30


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def full_years(since: dt.date, on: dt.date) -> int:
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


RULE_KEYS = [
    "transport.inspection_months",
    "transport.driver_min_age",
    "transport.driver_max_age",
    "transport.driver_min_licence_years",
]


def rules(school: School, on: dt.date) -> dict[str, Any]:
    """The bus rules in force for a school on a day, in one query (lists check many rows against them)."""
    values = effective_all(district_id=school.district_id, school_id=school.pk, on=on, keys=RULE_KEYS)
    return {e.policy.key: e.value for e in values}


class RuleBook:
    """rules() per school and day, read once per list."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, dt.date], dict[str, Any]] = {}

    def __call__(self, school: School, on: dt.date) -> dict[str, Any]:
        key = (school.pk, on)
        if key not in self._cache:
            self._cache[key] = rules(school, on)
        return self._cache[key]


def vehicle_problems(vehicle: Vehicle, on: dt.date, book: RuleBook | None = None) -> list[str]:
    """What keeps this bus off the road on day `on` (D1); empty when it may run."""
    months = (book or rules)(vehicle.school, on)["transport.inspection_months"]
    problems = []
    if vehicle.sign_valid_until is None or vehicle.sign_valid_until < on:
        problems.append(_("school-bus sign (校车标牌) missing or expired"))
    if vehicle.last_inspection_on is None or add_months(vehicle.last_inspection_on, months) < on:
        problems.append(_("safety inspection older than %(months)s months") % {"months": months})
    if vehicle.insurance_until is None or vehicle.insurance_until < on:
        problems.append(_("carrier liability insurance missing or expired"))
    if vehicle.kit_checked_on is None or vehicle.kit_checked_on + dt.timedelta(days=KIT_CHECK_DAYS) < on:
        problems.append(_("escape hammer, extinguisher and first-aid kit not checked this month"))
    if not vehicle.gps_ok:
        problems.append(_("GPS with driving records not working"))
    if not vehicle.is_active:
        problems.append(_("bus out of service"))
    return problems


def driver_problems(driver: Driver, on: dt.date, book: RuleBook | None = None) -> list[str]:
    """What keeps this driver from a school bus on day `on` (D2); empty when they may drive."""
    values = (book or rules)(driver.school, on)
    youngest, oldest = values["transport.driver_min_age"], values["transport.driver_max_age"]
    licence_years = values["transport.driver_min_licence_years"]
    age = full_years(driver.birth_date, on)
    problems = []
    if not youngest <= age <= oldest:
        problems.append(
            _("driver aged %(age)s (allowed %(min)s–%(max)s)") % {"age": age, "min": youngest, "max": oldest}
        )
    if full_years(driver.licence_since, on) < licence_years:
        problems.append(_("licensed less than %(years)s years") % {"years": licence_years})
    if not driver.has_endorsement:
        problems.append(_("no school-bus endorsement"))
    if driver.annual_review_until is None or driver.annual_review_until < on:
        problems.append(_("annual review missing or expired"))
    if not driver.is_active:
        problems.append(_("driver out of service"))
    return problems


def route_problems(route: Route) -> list[str]:
    if route.is_outsourced and route.agreement_filed_on is None:
        return [_("no school-bus safety responsibility agreement (校车安全管理责任书) filed with the bureau")]
    return []


def expiring(vehicle: Vehicle, today: dt.date, book: RuleBook | None = None) -> list[str]:
    """Papers of a bus that run out within EXPIRY_WARNING_DAYS."""
    soon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    months = (book or rules)(vehicle.school, today)["transport.inspection_months"]
    dates = {
        _("school-bus sign"): vehicle.sign_valid_until,
        _("insurance"): vehicle.insurance_until,
        _("safety inspection"): vehicle.last_inspection_on and add_months(vehicle.last_inspection_on, months),
    }
    return [label for label, until in dates.items() if until and today <= until <= soon]


#
# Lists
#


def vehicles(*, user: User) -> QuerySet[Vehicle]:
    return Vehicle.objects.visible_to(user).select_related("school")


def drivers(*, user: User) -> QuerySet[Driver]:
    return Driver.objects.visible_to(user).select_related("school")


def routes(*, user: User) -> QuerySet[Route]:
    return (
        Route.objects.visible_to(user)
        .select_related("vehicle", "driver")
        .prefetch_related(Prefetch("stops", queryset=Stop.objects.order_by("order", "id")))
    )


def classes_headed_by(user: User) -> QuerySet[SchoolClass]:
    if user.person_id is None:
        return SchoolClass.objects.none()
    return SchoolClass.objects.visible_to(user).filter(head_teacher_id=user.person_id)


def riders(*, user: User, route: Route | None = None) -> QuerySet[Rider]:
    """Riders with their guardians; a head teacher without the route permission sees only their class's."""
    rows = (
        Rider.objects.visible_to(user)
        .select_related("route", "stop", "student__school_class")
        .prefetch_related("guardians")
    )
    if route is not None:
        rows = rows.filter(route=route)
    if not user.has_perm("transport.view_route"):
        rows = rows.filter(student__school_class__in=classes_headed_by(user))
    return rows


def trip_scope(*, user: User) -> QuerySet[Trip]:
    return Trip.objects.visible_to(user).select_related("route", "vehicle", "driver", "attendant", "school")


def can_see_trip(user: User, trip: Trip) -> bool:
    return user.has_perm("transport.view_trip") or (user.person_id is not None and user.person_id == trip.attendant_id)


def trips(*, user: User, date: dt.date | None = None) -> QuerySet[Trip]:
    """All trips for those who oversee them; one's own trips for an attendant."""
    rows = trip_scope(user=user)
    if not user.has_perm("transport.view_trip"):
        rows = rows.filter(attendant_id=user.person_id or 0)
    return rows.filter(date=date) if date else rows


def open_trips_today(*, user: User) -> QuerySet[Trip]:
    return trips(user=user, date=timezone.localdate()).exclude(status=TripStatus.CLOSED)


#
# The roster of a trip
#


@dataclass
class RiderState:
    student: Student
    stop: Stop | None = None
    is_rider: bool = True
    events: dict[str, TripEvent] = field(default_factory=dict)

    @property
    def boarded(self) -> bool:
        return EventKind.BOARDED in self.events

    @property
    def off(self) -> TripEvent | None:
        return next((self.events[k] for k in OFF_KINDS if k in self.events), None)

    @property
    def on_board(self) -> bool:
        return self.boarded and self.off is None

    @property
    def state(self) -> str:
        if self.off is not None:
            return self.off.kind
        return EventKind.BOARDED if self.boarded else "waiting"


@dataclass
class Roster:
    rows: list[RiderState]

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rows if kind in r.events)

    @property
    def boarded(self) -> int:
        return self.count(EventKind.BOARDED)

    @property
    def alighted(self) -> int:
        return self.count(EventKind.ALIGHTED)

    @property
    def handed_over(self) -> int:
        return self.count(EventKind.HANDED_OVER)

    @property
    def returned(self) -> int:
        return self.count(EventKind.RETURNED)

    @property
    def on_board(self) -> list[RiderState]:
        return [r for r in self.rows if r.on_board]

    @property
    def not_boarded(self) -> int:
        return sum(1 for r in self.rows if not r.boarded)


def roster(trip: Trip) -> Roster:
    """Every rider of the route (and any extra who boarded) with what happened to them on this trip."""
    states: dict[int, RiderState] = {}
    for rider in Rider.objects.filter(route_id=trip.route_id).select_related("student__school_class", "stop"):
        states[rider.student_id] = RiderState(student=rider.student, stop=rider.stop)
    for event in TripEvent.objects.filter(trip=trip).select_related("student__school_class", "stop"):
        state = states.setdefault(event.student_id, RiderState(student=event.student, is_rider=False))
        state.events[event.kind] = event
    rows = sorted(states.values(), key=lambda s: (s.stop.order if s.stop else 999, s.student.name, s.student.pk))
    return Roster(rows)


#
# Drills (D7)
#


@dataclass
class DrillCount:
    semester: Semester | None
    held: int
    required: int

    @property
    def short(self) -> bool:
        return self.held < self.required


def semester_of(school: School, on: dt.date) -> Semester | None:
    return Semester.objects.filter(district_id=school.district_id, starts_on__lte=on, ends_on__gte=on).first()


def drill_count(*, school: School, on: dt.date | None = None) -> DrillCount:
    on = on or timezone.localdate()
    term = semester_of(school, on)
    start = term.starts_on if term else on - dt.timedelta(days=150)
    held = BusDrill.objects.filter(school=school, held_on__gte=start, held_on__lte=on).count()
    return DrillCount(term, held, policy("transport.bus_drills_per_semester", school=school, on=on))


def waiting_sessions(*, user: User) -> QuerySet[WaitingSession]:
    """Every waiting room for those who organise them; the rooms one supervises for a teacher."""
    rows = (
        WaitingSession.objects.visible_to(user)
        .select_related("room", "teacher", "route")
        .prefetch_related(Prefetch("students", queryset=WaitingStudent.objects.select_related("student")))
    )
    if not user.has_perm("transport.change_waitingsession"):
        rows = rows.filter(teacher_id=user.person_id or 0)
    return rows


def drills(*, user: User) -> QuerySet[BusDrill]:
    return BusDrill.objects.visible_to(user).select_related("route", "vehicle", "school")


#
# Speed (D5)
#

SPEED_KEYS = [
    "transport.speed_limit_expressway_kmh",
    "transport.speed_limit_road_kmh",
    "transport.speed_limit_adverse_kmh",
]
SPEEDING_DAYS = 7  # the safety officer's list: trips of the last week with speeding not yet reviewed


@dataclass(frozen=True)
class SpeedLimits:
    """The limits in force for a trip on its day, and whether the trip was tagged with adverse conditions."""

    expressway: int
    road: int
    adverse: int
    is_adverse: bool

    def for_road(self, road_type: str) -> int:
        """The limit that applies: adverse conditions cap every road, else the road's own limit."""
        limit = self.expressway if road_type == RoadType.EXPRESSWAY else self.road
        return min(limit, self.adverse) if self.is_adverse else limit


def speed_limits(trip: Trip) -> SpeedLimits:
    values = effective_all(district_id=trip.school.district_id, school_id=trip.school_id, on=trip.date, keys=SPEED_KEYS)
    by_key = {e.policy.key: e.value for e in values}
    return SpeedLimits(
        expressway=by_key["transport.speed_limit_expressway_kmh"],
        road=by_key["transport.speed_limit_road_kmh"],
        adverse=by_key["transport.speed_limit_adverse_kmh"],
        is_adverse=bool(trip.adverse_conditions.strip()),
    )


def reviewed_through(trip: Trip) -> int:
    """The id of the last flagged record a review covered (0 when none was reviewed)."""
    last = SpeedingReview.objects.filter(trip=trip).aggregate(last=Max("through_record_id"))["last"]
    return last or 0


def speeding(trip: Trip) -> QuerySet[SpeedRecord]:
    """The trip's flagged records, in time order."""
    return SpeedRecord.objects.filter(trip=trip, is_speeding=True).order_by("recorded_at", "id")


def unreviewed_speeding(trip: Trip) -> QuerySet[SpeedRecord]:
    return speeding(trip).filter(pk__gt=reviewed_through(trip))


@dataclass
class SpeedingSummary:
    records: int
    flagged: list[SpeedRecord]
    unreviewed: int
    reviewed_through: int
    reviews: list[SpeedingReview]
    limits: SpeedLimits


def speeding_summary(trip: Trip) -> SpeedingSummary:
    """What the trip page shows about speed: counts, the flagged records, the reviews."""
    through = reviewed_through(trip)
    flagged = list(speeding(trip))
    return SpeedingSummary(
        records=SpeedRecord.objects.filter(trip=trip).count(),
        flagged=flagged,
        unreviewed=sum(1 for r in flagged if r.pk > through),
        reviewed_through=through,
        reviews=list(SpeedingReview.objects.filter(trip=trip).select_related("by").order_by("at", "id")),
        limits=speed_limits(trip),
    )


def speeding_to_review(*, user: User, today: dt.date | None = None) -> QuerySet[Trip]:
    """Trips of the last SPEEDING_DAYS days with flagged records that no review covers yet, newest first."""
    today = today or timezone.localdate()
    through = Coalesce(
        Subquery(
            SpeedingReview.objects.filter(trip=OuterRef("trip"))
            .values("trip")
            .annotate(last=Max("through_record_id"))
            .values("last")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )
    open_flags = SpeedRecord.objects.filter(trip=OuterRef("pk"), is_speeding=True).annotate(through=through)
    open_flags = open_flags.filter(pk__gt=F("through"))
    return (
        Trip.objects.visible_to(user)
        .filter(date__gt=today - dt.timedelta(days=SPEEDING_DAYS), date__lte=today)
        .filter(Exists(open_flags))
        .select_related("route")
        .order_by("-date", "route__name", "id")
    )
