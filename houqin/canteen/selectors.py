"""Reads of the canteen: the daily dashboard (samples cover every dish, 陪餐 done, staff fit), reminders."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import F, Max, QuerySet, Sum
from django.utils import timezone

from houqin.canteen.choices import FeedbackStatus, IncidentStatus, Meal, MenuStatus
from houqin.canteen.models import (
    AccompaniedMeal,
    CommitteeMember,
    Feedback,
    FoodIncident,
    FridgeReading,
    HealthCertificate,
    MealCount,
    MenuDish,
    PreShiftCheck,
    Sample,
    SatisfactionSurvey,
)
from houqin.core.policies import policy
from houqin.orgs.models import SchoolClass, Semester

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import School


@dataclass
class MealStatus:
    """One served meal of a day: its dishes, the dishes sampled, and its 陪餐 records."""

    day: dt.date
    meal: str
    dishes: list[str] = field(default_factory=list)
    sampled: set[str] = field(default_factory=set)
    leaders: list[str] = field(default_factory=list)

    @property
    def label(self) -> Any:
        return Meal(self.meal).label

    @property
    def missing_samples(self) -> list[str]:
        return [dish for dish in self.dishes if dish not in self.sampled]

    @property
    def samples_complete(self) -> bool:
        return not self.missing_samples

    @property
    def accompanied(self) -> bool:
        return bool(self.leaders)


MEAL_ORDER = {meal: index for index, meal in enumerate(Meal.values)}


def served_dishes(school: Any, first: dt.date, last: dt.date) -> QuerySet[MenuDish]:
    return MenuDish.objects.filter(
        menu__school=school, menu__status=MenuStatus.PUBLISHED, day__gte=first, day__lte=last
    ).order_by("day", "meal", "id")


def meal_statuses(school: Any, first: dt.date, last: dt.date | None = None) -> list[MealStatus]:
    """Every served meal (a meal of a published menu) between two days, with sample coverage (C3) and 陪餐 (C5)."""
    last = last or first
    meals: dict[tuple[dt.date, str], MealStatus] = {}
    for day, meal, name in served_dishes(school, first, last).values_list("day", "meal", "name"):
        status = meals.setdefault((day, meal), MealStatus(day, meal))
        if name not in status.dishes:
            status.dishes.append(name)
    samples = Sample.objects.filter(school=school, meal_date__gte=first, meal_date__lte=last)
    for day, meal, dish in samples.values_list("meal_date", "meal", "dish"):
        if (day, meal) in meals:
            meals[day, meal].sampled.add(dish)
    accompanied = AccompaniedMeal.objects.filter(school=school, meal_date__gte=first, meal_date__lte=last)
    for day, meal, leader in accompanied.values_list("meal_date", "meal", "leader__name"):
        if (day, meal) in meals:
            meals[day, meal].leaders.append(leader)
    return sorted(meals.values(), key=lambda m: (m.day, MEAL_ORDER[m.meal]))


def meals_without_leader(school: Any, today: dt.date, days: int = 7) -> list[MealStatus]:
    """Served meals of the past days (the meal day over) with no 陪餐 record (C5)."""
    yesterday = today - dt.timedelta(days=1)
    return [m for m in meal_statuses(school, today - dt.timedelta(days=days), yesterday) if not m.accompanied]


def samples_to_discard(school: Any, now: dt.datetime | None = None) -> QuerySet[Sample]:
    """Samples kept past the retention period and not yet discarded (the 48-hour reminder, C2)."""
    now = now or timezone.now()
    hours = policy("canteen.sample_retention_hours", school=school, on=timezone.localtime(now).date())
    return Sample.objects.filter(
        school=school, discarded_at__isnull=True, taken_at__lte=now - dt.timedelta(hours=hours)
    ).order_by("taken_at", "id")


def expiring_certificates(school: Any, today: dt.date) -> QuerySet[HealthCertificate]:
    """The latest certificate of each person when it expires within the warning period (or already has)."""
    days = policy("canteen.health_cert_warning_days", school=school, on=today)
    latest: dict[int, HealthCertificate] = {}
    for cert in HealthCertificate.objects.filter(school=school).order_by("person_id", "expires_on"):
        latest[cert.person_id] = cert
    ids = [c.pk for c in latest.values() if c.expires_on <= today + dt.timedelta(days=days)]
    return HealthCertificate.objects.filter(pk__in=ids).select_related("person").order_by("expires_on", "id")


def suspended_today(school: Any, today: dt.date) -> list[PreShiftCheck]:
    checks = PreShiftCheck.objects.filter(school=school, day=today).select_related("person")
    return [check for check in checks if check.suspended]


def fridge_alerts(school: Any, since: dt.datetime) -> QuerySet[FridgeReading]:
    return FridgeReading.objects.filter(school=school, out_of_range=True, read_at__gte=since)


def fridge_range(school: Any, day: dt.date) -> tuple[Any, Any]:
    """The fridge temperature range in force (C4), lowest and highest °C."""
    return (
        policy("canteen.fridge_min_celsius", school=school, on=day),
        policy("canteen.fridge_max_celsius", school=school, on=day),
    )


def fridge_names(user: User) -> list[str]:
    """The fridges already read or used for samples, for the form's suggestions."""
    read = FridgeReading.objects.visible_to(user).values_list("fridge", flat=True).distinct()
    sampled = Sample.objects.visible_to(user).exclude(fridge="").values_list("fridge", flat=True).distinct()
    return sorted(set(read[:100]) | set(sampled[:100]))


def open_incidents(school: Any) -> QuerySet[FoodIncident]:
    return FoodIncident.objects.filter(school=school).exclude(status=IncidentStatus.CLOSED)


def rent_offsets(user: User) -> list[dict[str, Any]]:
    """Per tenant, the meals offset against its rent and their amount (staff or tenant meals, C14)."""
    rows = (
        MealCount.objects.visible_to(user)
        .filter(offset_against_rent=True, tenant__isnull=False)
        .values("tenant__name")
        .annotate(most_diners=Max("diners"), total_meals=Sum("meals"), total_amount=Sum(F("meals") * F("unit_price")))
        .order_by("tenant__name")
    )
    return list(rows)


COMMITTEE_MIN_MEMBERS = 7  # C13; the services import it from here
SURVEY_DUE_WEEK = 16


def semester_on(school: Any, day: dt.date) -> Semester | None:
    """The semester of the school's district that includes the day."""
    return Semester.objects.filter(district_id=school.district_id, starts_on__lte=day, ends_on__gte=day).first()


def semester_week(semester: Semester, day: dt.date) -> int:
    """The week of the semester the day falls in (the first week is 1)."""
    return (day - semester.starts_on).days // 7 + 1


@dataclass
class CommitteeStatus:
    """The dining committee of a semester against C13: enough members, every grade represented."""

    semester: Semester
    members: list[CommitteeMember]
    grades: list[int]
    minimum: int = COMMITTEE_MIN_MEMBERS

    @property
    def missing_grades(self) -> list[int]:
        present = {member.school_class.grade for member in self.members}
        return [grade for grade in self.grades if grade not in present]

    @property
    def too_few(self) -> bool:
        return len(self.members) < self.minimum

    @property
    def complete(self) -> bool:
        return not self.too_few and not self.missing_grades


def committee_status(school: Any, semester: Semester) -> CommitteeStatus:
    members = CommitteeMember.objects.filter(school=school, semester=semester).select_related("school_class")
    grades = SchoolClass.objects.filter(school=school, is_active=True).values_list("grade", flat=True).distinct()
    return CommitteeStatus(semester, list(members), sorted(set(grades)))


def survey_overdue(school: Any, today: dt.date) -> dict[str, Any] | None:
    """From week 16 of the semester, the semester and week when no satisfaction survey was held yet (C13)."""
    semester = semester_on(school, today)
    if semester is None or semester_week(semester, today) < SURVEY_DUE_WEEK:
        return None
    if SatisfactionSurvey.objects.filter(school=school, semester=semester).exists():
        return None
    return {"semester": semester, "week": semester_week(semester, today)}


def new_feedback(user: User) -> QuerySet[Feedback]:
    return Feedback.objects.visible_to(user).filter(status=FeedbackStatus.NEW)


def dashboard(school: School, today: dt.date) -> dict[str, Any]:
    """Everything the canteen manager checks in the morning."""
    return {
        "today": today,
        "meals": meal_statuses(school, today),
        "to_discard": list(samples_to_discard(school)[:50]),
        "without_leader": meals_without_leader(school, today),
        "expiring": list(expiring_certificates(school, today)),
        "suspended": suspended_today(school, today),
        "fridge_alerts": list(fridge_alerts(school, timezone.now() - dt.timedelta(days=1))),
        "open_incidents": list(open_incidents(school)[:20]),
        "survey_overdue": survey_overdue(school, today),
        "committee": _committee_now(school, today),
        "min_grams": policy("canteen.sample_min_grams", school=school, on=today),
    }


def _committee_now(school: Any, today: dt.date) -> CommitteeStatus | None:
    semester = semester_on(school, today)
    return committee_status(school, semester) if semester is not None else None


def coverage_by_day(school: Any, first: dt.date, last: dt.date) -> dict[dt.date, list[MealStatus]]:
    days: dict[dt.date, list[MealStatus]] = defaultdict(list)
    for status in meal_statuses(school, first, last):
        days[status.day].append(status)
    return days
