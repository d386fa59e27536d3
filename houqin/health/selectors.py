"""Health reads, always from visible_to(user); a head teacher without the school-wide permission sees only the
classes they lead (G5)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Max, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from houqin.core.policies import policy
from houqin.health.choices import Reason, Session
from houqin.health.models import ClassCheck, DisinfectionRecord, DisinfectionSchedule, HealthAlert, StudentCase
from houqin.orgs.models import School, SchoolClass, Semester, Student

if TYPE_CHECKING:
    from houqin.accounts.models import User

SCHOOL_WIDE = "health.view_school_health"
CUTOFF_POLICY = {Session.MORNING: "health.morning_check_cutoff", Session.NOON: "health.noon_check_cutoff"}


def own_classes_only(user: User) -> bool:
    return not user.has_perm(SCHOOL_WIDE)


def _limit_to_own_classes(rows: QuerySet, user: User, field: str = "school_class") -> QuerySet:
    if not own_classes_only(user):
        return rows
    if user.person_id is None:  # type: ignore[attr-defined]
        return rows.none()
    lookup = f"{field}__head_teacher_id" if field else "head_teacher_id"
    return rows.filter(**{lookup: user.person_id})  # type: ignore[attr-defined]


def is_own_class(user: User, school_class: SchoolClass) -> bool:
    return user.person_id is not None and school_class.head_teacher_id == user.person_id  # type: ignore[attr-defined]


def classes_for(user: User) -> QuerySet[SchoolClass]:
    classes = SchoolClass.objects.visible_to(user).filter(is_active=True).select_related("head_teacher")
    return _limit_to_own_classes(classes, user, field="")


def enrolled_count(school_class: SchoolClass) -> int:
    return Student.objects.filter(school_class=school_class, is_active=True).count()


def checks(*, user: User, **filters: Any) -> QuerySet[ClassCheck]:
    rows = ClassCheck.objects.visible_to(user).select_related("school_class", "school", "checked_by")
    rows = rows.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    return _limit_to_own_classes(rows, user)


def cases(*, user: User, **filters: Any) -> QuerySet[StudentCase]:
    rows = StudentCase.objects.visible_to(user).select_related("student", "school_class", "school")
    rows = rows.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    return _limit_to_own_classes(rows, user)


def open_absences(*, user: User) -> QuerySet[StudentCase]:
    """Absences not closed by a return, one row per student (their latest check: the morning and noon entries of
    an absence are one absence)."""
    still_open = StudentCase.objects.filter(is_absent=True, returned_on__isnull=True)
    latest = still_open.values("student").annotate(last=Max("id")).values("last")
    rows = cases(user=user).filter(pk__in=Subquery(latest))
    return rows.order_by("school_class__grade", "school_class__number", "school_class_id", "student_id", "-date")


def unknown_not_followed_up(*, user: User, day: dt.date) -> QuerySet[StudentCase]:
    return cases(user=user, date=day).filter(is_absent=True, reason=Reason.UNKNOWN, contacted_at__isnull=True)


def alerts(*, user: User, day: dt.date | None = None, open_only: bool = False) -> QuerySet[HealthAlert]:
    rows = HealthAlert.objects.visible_to(user).select_related("school_class", "school", "student", "reported_by")
    if day is not None:
        rows = rows.filter(date=day)
    if open_only:
        rows = rows.filter(reported_at__isnull=True)
    return rows


def check_cutoff(school: School, day: dt.date, session: str) -> dt.datetime | None:
    """When the session's check is due (the policy's "HH:MM" on that day, local time); None for the evening check."""
    key = CUTOFF_POLICY.get(session)
    if key is None:
        return None
    hours, minutes = (int(part) for part in str(policy(key, school=school, on=day)).split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hours, minutes)))


def missing_checks(*, user: User, day: dt.date, now: dt.datetime | None = None) -> list[tuple[SchoolClass, str]]:
    """Classes without their morning or noon check once its cut-off has passed (F1); none on weekends."""
    now = now or timezone.now()
    if day.weekday() >= 5:
        return []
    classes = list(classes_for(user).select_related("school"))
    done = set(ClassCheck.objects.filter(school_class__in=classes, date=day).values_list("school_class_id", "session"))
    cutoffs = {
        (school.pk, session): check_cutoff(school, day, session)
        for school in {c.school for c in classes}
        for session in (Session.MORNING, Session.NOON)
    }
    missing = []
    for session in (Session.MORNING, Session.NOON):
        for school_class in classes:
            cutoff = cutoffs[(school_class.school_id, session)]
            if cutoff is not None and now >= cutoff and (school_class.pk, session) not in done:
                missing.append((school_class, session))
    return missing


def missed_disinfections(*, user: User, since: dt.date, until: dt.date) -> list[tuple[DisinfectionSchedule, dt.date]]:
    """Scheduled periods (school days, or weeks) between `since` and `until` with no record (F6)."""
    schedules = list(DisinfectionSchedule.objects.visible_to(user).filter(is_active=True).select_related("area"))
    done: dict[int, set[dt.date]] = defaultdict(set)
    records = DisinfectionRecord.objects.filter(
        schedule__in=schedules, done_at__date__gte=since - dt.timedelta(days=6), done_at__date__lte=until
    )
    for schedule_id, done_at in records.values_list("schedule_id", "done_at"):
        done[schedule_id].add(timezone.localtime(done_at).date())
    school_days = [since + dt.timedelta(days=n) for n in range((until - since).days + 1)]
    school_days = [day for day in school_days if day.weekday() < 5]
    missed = []
    for schedule in schedules:
        periods_done = {schedule.period_start(day) for day in done[schedule.pk]}
        due = sorted({schedule.period_start(day) for day in school_days})
        missed += [(schedule, period) for period in due if period not in periods_done]
    return missed


def daily_report(*, user: User, day: dt.date) -> list[dict[str, Any]]:
    """因病缺课 statistics per school for the bureau (classes checked of total, enrolled, present, absent, illness
    absences, by symptom, infectious cases), from the morning check."""
    schools = School.objects.visible_to(user).order_by("name", "id")
    if user.school_id is not None:  # type: ignore[attr-defined]
        schools = schools.filter(pk=user.school_id)  # type: ignore[attr-defined]
    schools = list(schools)
    ids = [s.pk for s in schools]
    totals = {
        row["school"]: row
        for row in ClassCheck.objects.filter(school_id__in=ids, date=day, session=Session.MORNING)
        .values("school")
        .annotate(classes=Count("id"), enrolled=Sum("enrolled"), present=Sum("present"), absent=Sum("absent"))
    }
    class_totals = dict(
        SchoolClass.objects.filter(school_id__in=ids, is_active=True)
        .values("school")
        .annotate(n=Count("id"))
        .values_list("school", "n")
    )
    morning_cases = StudentCase.objects.filter(
        school_id__in=ids, date=day, check_record__session=Session.MORNING, is_absent=True
    )
    illness = dict(
        morning_cases.filter(reason=Reason.ILLNESS).values("school").annotate(n=Count("id")).values_list("school", "n")
    )
    infectious = dict(
        StudentCase.objects.filter(school_id__in=ids, date=day)
        .exclude(disease="")
        .values("school")
        .annotate(n=Count("student", distinct=True))
        .values_list("school", "n")
    )
    by_symptom: dict[int, Counter] = defaultdict(Counter)
    for school_id, symptoms in morning_cases.filter(reason=Reason.ILLNESS).values_list("school", "symptoms"):
        by_symptom[school_id].update(symptoms or [])
    report = []
    for school in schools:
        row = totals.get(school.pk, {})
        report.append(
            {
                "school_id": school.pk,
                "school_name": school.name,
                "date": day,
                "classes_checked": row.get("classes", 0),
                "classes_total": class_totals.get(school.pk, 0),
                "enrolled": row.get("enrolled") or 0,
                "present": row.get("present") or 0,
                "absent": row.get("absent") or 0,
                "illness_absent": illness.get(school.pk, 0),
                "by_symptom": dict(by_symptom[school.pk]),
                "infectious_cases": infectious.get(school.pk, 0),
            }
        )
    return report


def disinfection_records(*, user: User) -> QuerySet[DisinfectionRecord]:
    return DisinfectionRecord.objects.visible_to(user).select_related("schedule__area", "recorded_by")


def health_staffing(school: School, day: dt.date | None = None) -> tuple[int, int]:
    """F7: (health workers needed = ceil(students / policy), school doctors on the staff)."""
    from houqin.accounts.models import User
    from houqin.accounts.roles import Role

    per_worker = policy("health.students_per_health_worker", school=school, on=day or timezone.localdate())
    enrolled = Student.objects.filter(school=school, is_active=True).count()
    needed = -(-enrolled // per_worker) if enrolled else 0
    return needed, User.objects.having_role(Role.DOCTOR).filter(school=school).count()


def term_window(user: User, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The current semester of the user's district up to today, or else the last 120 days."""
    today = today or timezone.localdate()
    term = Semester.objects.filter(district_id=user.district_id or 0, starts_on__lte=today, ends_on__gte=today).first()
    return (term.starts_on, today) if term is not None else (today - dt.timedelta(days=120), today)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def semester_stats(*, user: User, start: dt.date, end: dt.date, school_id: int | None = None) -> dict[str, Any]:
    """A period's health figures for the term summary, all from GROUP BY queries (constant count, any size):
    checks recorded, student-days absent and absent through illness (morning checks) and their rates, by month and
    by class, illness absences by disease, alerts raised and reported within their deadline."""
    checks = ClassCheck.objects.visible_to(user).filter(date__range=(start, end))
    cases = StudentCase.objects.visible_to(user).filter(date__range=(start, end), is_absent=True)
    if school_id:
        checks, cases = checks.filter(school_id=school_id), cases.filter(school_id=school_id)
    mornings = checks.filter(session=Session.MORNING).order_by()
    illness = cases.filter(reason=Reason.ILLNESS, check_record__session=Session.MORNING)
    sums = {"enrolled": Sum("enrolled"), "absent": Sum("absent")}
    totals = mornings.aggregate(**sums, days=Count("date", distinct=True))
    by_month = {
        row["month"]: row for row in mornings.annotate(month=TruncMonth("date")).values("month").annotate(**sums)
    }
    illness_by_month = dict(
        illness.annotate(month=TruncMonth("date")).values("month").annotate(n=Count("id")).values_list("month", "n")
    )
    by_class = mornings.values("school_class", "school_class__name", "school_class__grade").annotate(**sums)
    illness_by_class = dict(illness.values("school_class").annotate(n=Count("id")).values_list("school_class", "n"))
    alerts = HealthAlert.objects.visible_to(user).filter(date__range=(start, end))
    if school_id:
        alerts = alerts.filter(school_id=school_id)
    alert_counts = alerts.aggregate(
        raised=Count("id"),
        reported=Count("id", filter=Q(reported_at__isnull=False)),
        in_time=Count("id", filter=Q(reported_at__lte=F("report_due_at"))),
    )
    enrolled, illness_total = totals["enrolled"] or 0, illness.count()
    return {
        "start": start,
        "end": end,
        "school_days": totals["days"],
        "checks": checks.count(),
        "student_days": enrolled,
        "absent_days": totals["absent"] or 0,
        "illness_days": illness_total,
        "absence_rate": _rate(totals["absent"] or 0, enrolled),
        "illness_rate": _rate(illness_total, enrolled),
        "by_month": [
            {
                "month": month.strftime("%Y-%m") if hasattr(month, "strftime") else str(month)[:7],
                "student_days": row["enrolled"] or 0,
                "absent_days": row["absent"] or 0,
                "illness_days": illness_by_month.get(month, 0),
                "illness_rate": _rate(illness_by_month.get(month, 0), row["enrolled"] or 0),
            }
            for month, row in sorted(by_month.items())
        ],
        "by_class": [
            {
                "class_id": row["school_class"],
                "class_name": row["school_class__name"],
                "student_days": row["enrolled"] or 0,
                "absent_days": row["absent"] or 0,
                "illness_days": illness_by_class.get(row["school_class"], 0),
                "illness_rate": _rate(illness_by_class.get(row["school_class"], 0), row["enrolled"] or 0),
            }
            for row in sorted(by_class, key=lambda r: (r["school_class__grade"], r["school_class__name"]))
        ],
        "by_disease": dict(
            cases.exclude(disease="")
            .values("disease")
            .annotate(n=Count("student", distinct=True))
            .values_list("disease", "n")
        ),
        "alerts": alert_counts,
    }
