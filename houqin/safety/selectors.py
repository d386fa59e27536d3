"""Reads of the safety module, always from visible_to(user): the hazard ledger and its statistics (E2), and the
checks due on a day, computed from the checklists' frequencies and the term calendar (no scheduled job)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from houqin.core.policies import policy
from houqin.core.search import search
from houqin.orgs.models import SchoolClass, Semester
from houqin.safety.choices import EVACUATION_KINDS, Frequency, HazardStatus
from houqin.safety.models import (
    Agreement,
    AgreementSignature,
    ChecklistTemplate,
    Drill,
    Hazard,
    Inspection,
    Notice,
)

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Place, School

#
# Hazards
#


def hazard_list(
    *, user: User, q: str | None = None, overdue: bool = False, on: dt.date | None = None, **filters: Any
) -> QuerySet[Hazard]:
    hazards: QuerySet[Hazard] = Hazard.objects.visible_to(user).select_related(
        "place", "responsible", "campaign", "school"
    )
    hazards = hazards.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    if overdue:
        hazards = overdue_only(hazards, on)
    return search(hazards, q) if q else hazards


def overdue_only(hazards: QuerySet[Hazard], on: dt.date | None = None) -> QuerySet[Hazard]:
    """Open hazards past their deadline (see Hazard.is_overdue)."""
    return hazards.filter(overdue_condition(on))


def overdue_condition(on: dt.date | None = None) -> Q:
    return Q(status=HazardStatus.OPEN, deadline__lt=on or timezone.localdate())


def rate(closed: int, found: int) -> float | None:
    """closed ÷ found × 100, rounded half up to 0.1 (11 of 16 → 68.8); None when nothing was found."""
    if not found:
        return None
    return float((Decimal(closed * 100) / Decimal(found)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class HazardStats:
    found: int
    rectified: int
    closed: int
    overdue: int

    @property
    def rectification_rate(self) -> float | None:
        return rate(self.closed, self.found)


def _counts(on: dt.date | None) -> dict[str, Any]:
    done = [HazardStatus.RECTIFIED, HazardStatus.CLOSED]
    return {
        "found": Count("id"),
        "rectified": Count("id", filter=Q(status__in=done)),
        "closed": Count("id", filter=Q(status=HazardStatus.CLOSED)),
        "overdue": Count("id", filter=overdue_condition(on)),
    }


def hazards_found_between(
    *, user: User, start: dt.date | None, end: dt.date | None, school_id: int | None = None
) -> QuerySet[Hazard]:
    hazards = Hazard.objects.visible_to(user)
    if start is not None:
        hazards = hazards.filter(found_on__gte=start)
    if end is not None:
        hazards = hazards.filter(found_on__lte=end)
    return hazards.filter(school_id=school_id) if school_id else hazards


def hazard_stats(
    *,
    user: User,
    start: dt.date | None,
    end: dt.date | None,
    school_id: int | None = None,
    on: dt.date | None = None,
) -> HazardStats:
    """Over the hazards found in the window: how many, rectified (incl. closed), closed, overdue today (E2)."""
    return stats_of(hazards_found_between(user=user, start=start, end=end, school_id=school_id), on)


def stats_of(hazards: QuerySet[Hazard], on: dt.date | None = None) -> HazardStats:
    """The counts of any set of hazards (a window, a campaign), in one query."""
    return HazardStats(**hazards.aggregate(**_counts(on)))


def hazard_breakdown(hazards: QuerySet[Hazard], field: str, on: dt.date | None = None) -> list[dict[str, Any]]:
    """The same counts per value of `field` (category, source, level, place__full_name, school__name…)."""
    rows = hazards.order_by().values(field).annotate(**_counts(on)).order_by("-found", field)
    return [{**row, "key": row[field], "rate": rate(row["closed"], row["found"])} for row in rows]


def hazard_trend(hazards: QuerySet[Hazard]) -> list[dict[str, Any]]:
    """Found and closed per month of finding, for the trend chart."""
    rows = (
        hazards.order_by()
        .annotate(month=TruncMonth("found_on"))
        .values("month")
        .annotate(found=Count("id"), closed=Count("id", filter=Q(status=HazardStatus.CLOSED)))
        .order_by("month")
    )
    return [{"month": f"{row['month']:%Y-%m}", "found": row["found"], "closed": row["closed"]} for row in rows]


def default_window(user: User, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The term containing today, or else the last 120 days."""
    today = today or timezone.localdate()
    term = Semester.objects.filter(district_id=user.district_id or 0, starts_on__lte=today, ends_on__gte=today).first()
    if term is not None:
        return term.starts_on, today
    return today - dt.timedelta(days=120), today


#
# Checks due (日常检查的应检清单)
#


@dataclass(frozen=True)
class Check:
    """One check a checklist asks for: at a place (or school-wide) within a period, done or not."""

    template: ChecklistTemplate
    place: Place | None
    period_start: dt.date
    period_end: dt.date
    inspection_id: int | None = None

    @property
    def done(self) -> bool:
        return self.inspection_id is not None

    @property
    def key(self) -> tuple[int, int | None, dt.date]:
        return (self.template.pk, self.place.pk if self.place else None, self.period_start)


class Calendar:
    """School days and terms of one district: weekdays inside a term (every weekday when no term is defined)."""

    def __init__(self, district_id: int | None):
        self.terms = list(Semester.objects.filter(district_id=district_id or 0).order_by("starts_on"))

    def term_of(self, day: dt.date) -> tuple[dt.date, dt.date] | None:
        for term in self.terms:
            if term.starts_on <= day <= term.ends_on:
                return term.starts_on, term.ends_on
        if self.terms:
            return None
        half_start = dt.date(day.year, 1 if day.month <= 6 else 7, 1)
        half_end = dt.date(day.year, 6, 30) if day.month <= 6 else dt.date(day.year, 12, 31)
        return half_start, half_end

    def is_school_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and self.term_of(day) is not None

    def period(self, frequency: str, day: dt.date) -> tuple[dt.date, dt.date] | None:
        """The period a check done on `day` counts for; None when nothing of this frequency is due that day."""
        term = self.term_of(day)
        if term is None:
            return None
        if frequency == Frequency.DAILY:
            return (day, day) if day.weekday() < 5 else None
        if frequency == Frequency.WEEKLY:
            monday = day - dt.timedelta(days=day.weekday())
            return max(monday, term[0]), min(monday + dt.timedelta(days=6), term[1])
        if frequency == Frequency.MONTHLY:
            first = day.replace(day=1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            return max(first, term[0]), min(last, term[1])
        return term


def active_templates(user: User, school_id: int | None = None) -> list[ChecklistTemplate]:
    templates = ChecklistTemplate.objects.visible_to(user).filter(is_active=True).prefetch_related("places")
    if school_id:
        templates = templates.filter(school_id=school_id)
    return list(templates.select_related("inspector").order_by("school_id", "area_type", "name"))


def _scheduled(templates: Iterable[ChecklistTemplate], days: Iterable[dt.date], calendar: Calendar) -> dict:
    checks: dict[tuple, Check] = {}
    for day in days:
        for template in templates:
            period = calendar.period(template.frequency, day)
            if period is None or period[1] < template.starts_on:
                continue
            places: list[Place | None] = list(template.places.all())
            for place in places or [None]:
                check = Check(template, place, *period)
                checks.setdefault(check.key, check)
    return checks


def _with_done_flags(checks: dict[tuple, Check]) -> list[Check]:
    """One query for the inspections of every period, then matched in memory."""
    if not checks:
        return []
    values = list(checks.values())
    start = min(c.period_start for c in values)
    end = max(c.period_end for c in values)
    done: dict[tuple[int, int | None], list[tuple[dt.date, int]]] = {}
    rows = Inspection.objects.filter(
        template__in={c.template.pk for c in values}, performed_on__range=(start, end)
    ).values_list("template_id", "place_id", "performed_on", "id")
    for template_id, place_id, performed_on, inspection_id in rows:
        done.setdefault((template_id, place_id), []).append((performed_on, inspection_id))
    result = []
    for check in values:
        hits = [
            pk
            for day, pk in done.get((check.template.pk, check.place.pk if check.place else None), [])
            if check.period_start <= day <= check.period_end
        ]
        result.append(
            Check(check.template, check.place, check.period_start, check.period_end, hits[0] if hits else None)
        )
    return sorted(result, key=lambda c: (c.place.full_name if c.place else "", c.template.name))


def checks_due(*, user: User, on: dt.date, school_id: int | None = None, mine: bool = False) -> list[Check]:
    """The checks due on a day (daily ones that day, weekly that week…), each with its `done` flag."""
    templates = [t for t in active_templates(user, school_id) if not mine or t.inspector_id in (None, user.pk)]
    calendar = Calendar(user.district_id)
    return _with_done_flags(_scheduled(templates, [on], calendar))


def missed_checks(*, user: User, on: dt.date, days: int = 7) -> list[Check]:
    """Checks whose period ended in the last `days` days without being done: overdue on the officer's home page."""
    templates = active_templates(user)
    calendar = Calendar(user.district_id)
    window = [on - dt.timedelta(days=n) for n in range(1, days + 1)]
    scheduled = {k: c for k, c in _scheduled(templates, window, calendar).items() if c.period_end < on}
    return [check for check in _with_done_flags(scheduled) if not check.done]


#
# Drills (E4), agreements (E8), notices to parents
#


@dataclass(frozen=True)
class DrillMonth:
    """One term month: evacuation drills held against the number required ("safety.evacuation_drills_per_month")."""

    month: dt.date
    held: int
    required: int
    in_progress: bool

    @property
    def short(self) -> bool:
        return not self.in_progress and self.held < self.required


def _term_months(calendar: Calendar, start: dt.date, end: dt.date) -> list[dt.date]:
    months, day = [], start
    while day <= end:
        first = day.replace(day=1)
        if calendar.term_of(day) is not None and first not in months:
            months.append(first)
        day += dt.timedelta(days=1)
    return months


def drill_months(*, school: School, start: dt.date, end: dt.date, today: dt.date | None = None) -> list[DrillMonth]:
    """Each term month between start and end with its evacuation drills; a finished month short of them is flagged."""
    today = today or timezone.localdate()
    months = _term_months(Calendar(school.district_id), start, end)
    held = dict(
        Drill.objects.filter(school=school, kind__in=EVACUATION_KINDS, held_on__range=(start, end))
        .order_by()
        .annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    return [
        DrillMonth(
            month=month,
            held=held.get(month, 0),
            required=policy("safety.evacuation_drills_per_month", school=school, on=month),
            in_progress=month.year == today.year and month.month == today.month,
        )
        for month in months
    ]


def agreements_with_coverage(*, user: User) -> QuerySet[Agreement]:
    """Agreements with `to_sign` and `signed` counts (coverage = signed ÷ to_sign)."""
    return Agreement.objects.visible_to(user).annotate(
        to_sign=Count("signatures"), signed=Count("signatures", filter=Q(signatures__signed_at__isnull=False))
    )


def signatures_for(*, user: User) -> QuerySet[AgreementSignature]:
    """The agreements this user is to sign or has signed."""
    if user.person_id is None:
        return AgreementSignature.objects.none()
    return AgreementSignature.objects.visible_to(user).filter(person_id=user.person_id).select_related("agreement")


def notices_with_returns(*, user: User) -> QuerySet[Notice]:
    return Notice.objects.visible_to(user).annotate(
        sent=Count("receipts"), returned=Count("receipts", filter=Q(receipts__returned_at__isnull=False))
    )


def notice_classes(notice: Notice) -> list[dict[str, Any]]:
    """Per class of a notice: sent, returned and the return rate."""
    rows = (
        notice.receipts.order_by()
        .values("school_class_id", "school_class__name", "school_class__grade")
        .annotate(sent=Count("id"), returned=Count("id", filter=Q(returned_at__isnull=False)))
        .order_by("school_class__grade", "school_class__name")
    )
    return [{**row, "rate": rate(row["returned"], row["sent"])} for row in rows]


def classes_headed_by(user: User) -> QuerySet[SchoolClass]:
    if user.person_id is None:
        return SchoolClass.objects.none()
    return SchoolClass.objects.visible_to(user).filter(head_teacher_id=user.person_id)
