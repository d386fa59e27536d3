"""Reads of 安全保卫: the guard formula (E5), roster coverage, patrol counts against the rules, fire-record gaps (E3),
equipment checks due and staff whose vetting (E10) has lapsed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from houqin.core.policies import policy
from houqin.orgs.models import Person, School, Student
from houqin.security.choices import CameraStatus, PatrolStatus, VettingResult
from houqin.security.models import (
    Camera,
    FireInspection,
    FirePatrol,
    GateEquipment,
    GuardShift,
    PatrolLog,
    VettingCheck,
)

if TYPE_CHECKING:
    from houqin.accounts.models import User

DAY = dt.timedelta(days=1)


def required_guards(students: int, *, school: School, on: dt.date | None = None) -> int:
    """GB/T 29315-2022 by default: < 100 students → 1; 100–999 → 2; ≥ 1000 → 3 + one per further 500."""

    def rule(key: str) -> int:
        return policy(f"safety.guards_{key}", school=school, on=on)

    if students < rule("step1_students"):
        return rule("base")
    if students < rule("step2_students"):
        return rule("step1")
    return rule("step2") + (students - rule("step2_students")) // rule("extra_per_students")


def enrolled_students(school: School) -> int:
    return Student.objects.filter(school=school, is_active=True).count()


@dataclass(frozen=True)
class Staffing:
    school: School
    students: int
    required: int
    rostered: int  # distinct guards on the roster that day
    gaps: list[tuple[dt.datetime, dt.datetime]]

    @property
    def short(self) -> int:
        return max(self.required - self.rostered, 0)


def coverage_gaps(school: School, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The stretches of `day` (00:00–24:00) with nobody on duty at the gatehouse, night shifts from the day
    before included."""
    start, end = dt.datetime.combine(day, dt.time()), dt.datetime.combine(day + DAY, dt.time())
    shifts = GuardShift.objects.filter(school=school, day__in=[day - DAY, day])
    intervals = sorted(shift.interval() for shift in shifts)
    gaps, covered_to = [], start
    for begins, ends in intervals:
        if ends <= covered_to:
            continue
        if begins > covered_to:
            gaps.append((covered_to, min(begins, end)))
        covered_to = max(covered_to, ends)
        if covered_to >= end:
            break
    if covered_to < end:
        gaps.append((covered_to, end))
    return [(a, b) for a, b in gaps if a < b]


def staffing(school: School, day: dt.date | None = None) -> Staffing:
    day = day or timezone.localdate()
    students = enrolled_students(school)
    rostered = GuardShift.objects.filter(school=school, day=day).values("person").distinct().count()
    return Staffing(
        school=school,
        students=students,
        required=required_guards(students, school=school, on=day),
        rostered=rostered,
        gaps=coverage_gaps(school, day),
    )


@dataclass(frozen=True)
class PatrolDay:
    day: dt.date
    key_area: int
    required: int
    dorm_night: int | None  # None for a day school
    night_required: int | None

    @property
    def short(self) -> bool:
        night_short = self.dorm_night is not None and self.dorm_night < (self.night_required or 0)
        return self.key_area < self.required or night_short


def _patrols_by_day(school: School, since: dt.date, until: dt.date, **flags: bool) -> dict[dt.date, int]:
    rows = (
        PatrolLog.objects.filter(
            school=school,
            status=PatrolStatus.FINISHED,
            started_at__date__gte=since,
            started_at__date__lte=until,
            **flags,
        )
        .annotate(day=TruncDate("started_at"))
        .values("day")
        .annotate(n=Count("id"))
    )
    return {row["day"]: row["n"] for row in rows}


def _nights(school: School, since: dt.date, until: dt.date) -> dict[dt.date, int]:
    """Dorm night patrols by night: a patrol before noon belongs to the night that began the evening before."""
    logs = PatrolLog.objects.filter(
        school=school,
        status=PatrolStatus.FINISHED,
        is_dorm_night=True,
        started_at__date__gte=since,
        started_at__date__lte=until + DAY,
    ).values_list("started_at", flat=True)
    counts: dict[dt.date, int] = {}
    for started in logs:
        night = (timezone.localtime(started) - dt.timedelta(hours=12)).date()
        counts[night] = counts.get(night, 0) + 1
    return counts


def patrol_days(school: School, since: dt.date, until: dt.date) -> list[PatrolDay]:
    """Key-area patrols per day against the rule, and dorm night patrols per night for a boarding school."""
    key_area = _patrols_by_day(school, since, until, is_key_area=True)
    nights = _nights(school, since, until) if school.is_boarding else {}
    required = policy("safety.key_area_patrols_per_day", school=school, on=until)
    night_required = policy("safety.dorm_night_patrols_per_night", school=school, on=until)
    days, day = [], until
    while day >= since:
        days.append(
            PatrolDay(
                day=day,
                key_area=key_area.get(day, 0),
                required=required,
                dorm_night=nights.get(day, 0) if school.is_boarding else None,
                night_required=night_required if school.is_boarding else None,
            )
        )
        day -= DAY
    return days


def patrols(*, user: User) -> QuerySet[PatrolLog]:
    return PatrolLog.objects.visible_to(user).select_related("route", "patroller")


def fire_missing_days(school: School, since: dt.date, until: dt.date) -> list[dt.date]:
    """School days (Monday to Friday) without a fire patrol record."""
    done = set(FirePatrol.objects.filter(school=school, day__range=(since, until)).values_list("day", flat=True))
    days = [since + DAY * n for n in range((until - since).days + 1)]
    return [d for d in days if d.weekday() < 5 and d not in done]


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def fire_missing_quarters(school: School, year: int, until: dt.date | None = None) -> list[int]:
    """Quarters of `year` up to the current one without a countersigned fire inspection."""
    until = until or timezone.localdate()
    signed = FireInspection.objects.filter(school=school, inspected_on__year=year, head_signed_at__isnull=False)
    done = {quarter_of(day)[1] for day in signed.values_list("inspected_on", flat=True)}
    last = 4 if year < until.year else quarter_of(until)[1]
    return [q for q in range(1, last + 1) if q not in done]


def equipment_due(school: School, on: dt.date | None = None) -> list[GateEquipment]:
    on = on or timezone.localdate()
    equipment = (
        GateEquipment.objects.filter(school=school).select_related("asset").annotate(last=Max("checks__checked_on"))
    )
    return [e for e in equipment if e.last is None or e.last + DAY * e.check_every_days <= on]


def vetting_expired(school: School, on: dt.date | None = None) -> QuerySet[Person]:
    """Staff on the roster from today on without a clear criminal-record check this calendar year (E10)."""
    on = on or timezone.localdate()
    vetted = VettingCheck.objects.filter(school=school, result=VettingResult.CLEAR, checked_on__year=on.year)
    rostered = GuardShift.objects.filter(school=school, day__gte=on).values("person")
    return Person.objects.filter(pk__in=rostered).exclude(pk__in=vetted.values("person")).order_by("name", "id")


def cameras_in_fault(school: School) -> int:
    return Camera.objects.filter(school=school, status=CameraStatus.FAULT).count()
