"""Health reads, always from visible_to(user); a head teacher without the school-wide permission sees only the
classes they lead (G5)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from houqin.core.policies import effective_all, policy
from houqin.core.sensitive import mask_name
from houqin.health.choices import AlertKind, Assessment, Disease, Reason, Session
from houqin.health.models import (
    ClassCheck,
    DisinfectionRecord,
    DisinfectionSchedule,
    HealthAlert,
    HealthStaffing,
    ObservationVisit,
    ReporterTraining,
    StudentCase,
)
from houqin.orgs.models import Person, School, SchoolClass, Semester, Student

if TYPE_CHECKING:
    from houqin.accounts.models import User

SCHOOL_WIDE = "health.view_school_health"
CUTOFF_POLICY: dict[str, str] = {
    Session.MORNING: "health.morning_check_cutoff",
    Session.NOON: "health.noon_check_cutoff",
    Session.EVENING: "health.evening_check_cutoff",
}
# Art. 20 of 学校卫生工作条例 covers primary and secondary schools, not kindergartens (F7).
STAFFING_KINDS = {"primary", "junior", "senior", "nine_year", "complete"}


def sessions_for(school: School) -> list[str]:
    """The checks of a school day: morning and noon, and the evening check for a boarding school (F1)."""
    sessions: list[str] = [Session.MORNING, Session.NOON]
    return [*sessions, Session.EVENING] if school.is_boarding else sessions


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


def mass_unknown(rows: list[tuple[int, int]], *, per_class: int, per_school: int) -> tuple[dict[int, int], int | None]:
    """From (class id, student id) rows of unknown absences not followed up: the classes at or above their
    threshold with their count, and the school's count when at or above its threshold (else None)."""
    by_class: dict[int, set[int]] = defaultdict(set)
    for class_id, student_id in rows:
        by_class[class_id].add(student_id)
    classes = {c: len(s) for c, s in by_class.items() if len(s) >= per_class}
    total = len({student for students in by_class.values() for student in students})
    return classes, total if total >= per_school else None


def mass_unknown_now(*, user: User, day: dt.date, now: dt.datetime | None = None) -> int:
    """Unknown absences not followed up in the classes and school above the thresholds, once the follow-up
    cut-off has passed (0 before it, or when no threshold is reached)."""
    school = user.school  # type: ignore[attr-defined]
    if school is None:
        return 0
    keys = ["health.unknown_follow_up_cutoff", "health.unknown_absences_class", "health.unknown_absences_school"]
    cutoff, per_class, per_school = (
        e.value for e in effective_all(district_id=school.district_id, school_id=school.pk, on=day, keys=keys)
    )
    if (now or timezone.now()) < _at(day, cutoff):
        return 0
    rows = unknown_not_followed_up(user=user, day=day).values_list("school_class_id", "student_id")
    classes, total = mass_unknown(list(rows), per_class=per_class, per_school=per_school)
    return total if total is not None else sum(classes.values())


def alerts(*, user: User, day: dt.date | None = None, open_only: bool = False) -> QuerySet[HealthAlert]:
    rows = HealthAlert.objects.visible_to(user).select_related("school_class", "school", "student", "reported_by")
    if day is not None:
        rows = rows.filter(date=day)
    if open_only:
        rows = rows.filter(reported_at__isnull=True)
    return rows


def _at(day: dt.date, hhmm: Any) -> dt.datetime:
    hours, minutes = (int(part) for part in str(hhmm).split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hours, minutes)))


def check_cutoff(school: School, day: dt.date, session: str) -> dt.datetime | None:
    """When the session's check is due (the policy's "HH:MM" on that day, local time); None for an evening check
    at a day school."""
    key = CUTOFF_POLICY.get(session)
    if key is None or session not in sessions_for(school):
        return None
    return _at(day, policy(key, school=school, on=day))


def _cutoffs(school: School, day: dt.date) -> dict[str, dt.datetime]:
    """The school's check cut-offs of the day, one query for all sessions."""
    keys = [CUTOFF_POLICY[session] for session in sessions_for(school)]
    values = effective_all(district_id=school.district_id, school_id=school.pk, on=day, keys=keys)
    return {session: _at(day, e.value) for session, e in zip(sessions_for(school), values, strict=True)}


def missing_checks(*, user: User, day: dt.date, now: dt.datetime | None = None) -> list[tuple[SchoolClass, str]]:
    """Classes without their morning or noon check (and the evening check at a boarding school) once its cut-off
    has passed (F1); none on weekends."""
    now = now or timezone.now()
    if day.weekday() >= 5:
        return []
    classes = list(classes_for(user).select_related("school"))
    done = set(ClassCheck.objects.filter(school_class__in=classes, date=day).values_list("school_class_id", "session"))
    cutoffs = {school.pk: _cutoffs(school, day) for school in {c.school for c in classes}}
    missing: list[tuple[SchoolClass, str]] = []
    for session in (Session.MORNING, Session.NOON, Session.EVENING):
        for school_class in classes:
            cutoff = cutoffs[school_class.school_id].get(session)
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


def staffing_needed(school: School, students: int, per_worker: int) -> int:
    """F7: full-time health workers needed, ceil(students / per_worker), for the school types of art. 20 (none for
    a kindergarten)."""
    if school.kind not in STAFFING_KINDS or not students:
        return 0
    return -(-students // per_worker)


def staffing_have(staffing: HealthStaffing | None, doctors: int) -> int:
    """The full-time health workers recorded for the school, or else its school doctors' accounts."""
    return staffing.full_time if staffing is not None else doctors


def health_staffing(school: School, day: dt.date | None = None) -> tuple[int, int]:
    """F7: (full-time health workers needed = ceil(students / policy), full-time health workers)."""
    from houqin.accounts.models import User
    from houqin.accounts.roles import Role

    per_worker = policy("health.students_per_health_worker", school=school, on=day or timezone.localdate())
    enrolled = Student.objects.filter(school=school, is_active=True).count()
    staffing = HealthStaffing.objects.filter(school=school).first()
    doctors = User.objects.having_role(Role.DOCTOR).filter(school=school).count() if staffing is None else 0
    return staffing_needed(school, enrolled, per_worker), staffing_have(staffing, doctors)


def current_semester(district_id: int | None, day: dt.date) -> Semester | None:
    return Semester.objects.filter(district_id=district_id or 0, starts_on__lte=day, ends_on__gte=day).first()


def reporters(*, user: User, semester: Semester | None) -> list[dict[str, Any]]:
    """F8: every head teacher of an active class (the class reporters) with their training of the semester:
    {"person_id", "name", "classes", "training" (ReporterTraining or None), "trained" (passed the assessment)}."""
    classes = SchoolClass.objects.visible_to(user).filter(is_active=True, head_teacher__isnull=False)
    rows: dict[int, dict[str, Any]] = {}
    for class_name, person_id, person_name in classes.order_by("grade", "number", "id").values_list(
        "name", "head_teacher_id", "head_teacher__name"
    ):
        row = rows.setdefault(person_id, {"person_id": person_id, "name": person_name, "classes": [], "training": None})
        row["classes"].append(class_name)
    trainings = ReporterTraining.objects.visible_to(user).filter(semester=semester, person_id__in=list(rows))
    for training in trainings if semester is not None else []:
        rows[training.person_id]["training"] = training
    for row in rows.values():
        row["trained"] = row["training"] is not None and row["training"].is_trained
    return list(rows.values())


def trainings(*, user: User) -> QuerySet[ReporterTraining]:
    return ReporterTraining.objects.visible_to(user).select_related("semester", "person", "school")


def dashboard(*, user: User, day: dt.date, now: dt.datetime | None = None) -> dict[str, Any]:
    """The doctor's page for today in a fixed number of queries whatever the size of the school: one per panel
    (values only, no model instances), the rules' values in one query.

    Panels: open alerts, missing checks (weekdays), unknown absences not followed up with the classes and the
    school above the mass-absence thresholds once the follow-up cut-off has passed, the observation room, the class
    reporters not trained this semester (F8), the checks done of the classes, and the health staffing (F7)."""

    now = now or timezone.now()
    school = user.school  # type: ignore[attr-defined]
    see_names = user.has_perm("health.see_student_names")
    result: dict[str, Any] = {"today": day, "school": school}
    keys = [
        *CUTOFF_POLICY.values(),
        "health.unknown_follow_up_cutoff",
        "health.unknown_absences_class",
        "health.unknown_absences_school",
        "health.students_per_health_worker",
    ]
    rules = {}
    if school is not None:
        rules = {
            e.policy.key: e.value
            for e in effective_all(district_id=school.district_id, school_id=school.pk, on=day, keys=keys)
        }
    kinds, diseases = dict(AlertKind.choices), dict(Disease.choices)
    result["alerts"] = [
        {
            **row,
            "kind_label": " · ".join(
                str(x) for x in (kinds.get(row["kind"], row["kind"]), diseases.get(row["disease"])) if x
            ),
            "where": row["school_class__name"] or row["school__name"],
        }
        for row in alerts(user=user, open_only=True).values(
            "id", "kind", "disease", "school_class__name", "school__name", "date", "cases", "report_due_at"
        )[:20]
    ]
    unknown = list(
        StudentCase.objects.visible_to(user)
        .filter(date=day, is_absent=True, reason=Reason.UNKNOWN, contacted_at__isnull=True)
        .order_by("school_class__grade", "school_class__number", "school_class_id", "student_id")
        .values_list("id", "school_class_id", "school_class__name", "student_id", "student__name")
    )
    result["unknown"] = [
        {
            "url": reverse("health:case_detail", args=[pk]),
            "class_name": class_name,
            "name": name if see_names else mask_name(name),
        }
        for pk, _class_id, class_name, _student_id, name in unknown
    ]
    result["mass_unknown"], result["mass_unknown_school"] = [], None
    if school is not None and now >= _at(day, rules["health.unknown_follow_up_cutoff"]):
        over, total = mass_unknown(
            [(class_id, student_id) for _pk, class_id, _n, student_id, _s in unknown],
            per_class=rules["health.unknown_absences_class"],
            per_school=rules["health.unknown_absences_school"],
        )
        names = {class_id: class_name for _pk, class_id, class_name, _s, _n in unknown}
        result["mass_unknown"] = [(names[c], n) for c, n in sorted(over.items(), key=lambda item: names[item[0]])]
        result["mass_unknown_school"] = total
    visits = ObservationVisit.objects.visible_to(user).filter(left_at__isnull=True)
    result["in_room"] = [
        {"name": name if see_names else mask_name(name), "came_at": came_at, "temperature": temperature}
        for name, came_at, temperature in visits.values_list("student__name", "came_at", "temperature")
    ]
    classes = classes_for(user)
    untrained: dict[str, list[str]] = {}
    for class_name, teacher in _untrained(user, day):
        untrained.setdefault(teacher, []).append(class_name)
    result["untrained"] = sorted(untrained.items())
    result["missing"] = []
    if day.weekday() < 5:
        due = [(s, _at(day, rules[CUTOFF_POLICY[s]])) for s in sessions_for(school)] if school is not None else []
        done = {
            s: Exists(ClassCheck.objects.filter(school_class=OuterRef("pk"), date=day, session=s))
            for s in Session.values
        }
        rows = classes.annotate(**done).order_by("grade", "number", "id").values("name", "head_teacher__name", *done)
        for session, cutoff in due:
            label = dict(Session.choices)[session]
            result["missing"] += [
                {"class_name": row["name"], "session": label, "head_teacher": row["head_teacher__name"]}
                for row in rows
                if now >= cutoff and not row[session]
            ]
    if school is None:
        result |= {"checked": checks(user=user, date=day).count(), "classes": classes.count()}
        return result
    counts = _school_counts(school, day)
    needed = staffing_needed(school, counts["students"], rules["health.students_per_health_worker"])
    have = counts["full_time"] if counts["full_time"] is not None else counts["doctors"]
    result |= {"checked": counts["checked"], "classes": counts["classes"], "staff_needed": needed, "staff_have": have}
    if counts["semester"] is None:
        result["untrained"] = []  # no semester set: nothing to be trained for yet
    return result


def _untrained(user: User, day: dt.date) -> list[tuple[str, str]]:
    """(class, head teacher) of the active classes whose head teacher has not passed the assessment of a semester
    covering the day (F8); plain SQL for a school's doctor (one statement), the ORM otherwise."""
    school = user.school  # type: ignore[attr-defined]
    trained = ReporterTraining.objects.filter(
        person_id=OuterRef("head_teacher_id"),
        assessment=Assessment.PASSED,
        semester__starts_on__lte=day,
        semester__ends_on__gte=day,
    )
    if school is None:
        rows = classes_for(user).filter(head_teacher__isnull=False).exclude(Exists(trained))
        return list(rows.order_by("grade", "number", "id").values_list("name", "head_teacher__name"))
    tables = {
        "class": SchoolClass._meta.db_table,
        "person": Person._meta.db_table,
        "training": ReporterTraining._meta.db_table,
        "semester": Semester._meta.db_table,
    }
    sql = """SELECT c.name, p.name FROM {class} c INNER JOIN {person} p ON p.id = c.head_teacher_id
        WHERE c.school_id = %s AND c.is_active AND NOT EXISTS (
            SELECT 1 FROM {training} t INNER JOIN {semester} s ON s.id = t.semester_id
            WHERE t.person_id = c.head_teacher_id AND t.assessment = %s AND s.starts_on <= %s AND s.ends_on >= %s)
        ORDER BY c.grade, c.number, c.id""".format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(sql, [school.pk, str(Assessment.PASSED), day, day])
        return [(name, teacher) for name, teacher in cursor.fetchall()]


def _school_counts(school: School, day: dt.date) -> dict[str, Any]:
    """The dashboard's figures in one statement of scalar subqueries (plain SQL: the ORM takes longer to build this
    than the database to run it): checks done today, active classes and students, school doctors, the full-time
    health workers recorded (or NULL), and the semester covering the day (or NULL)."""
    from houqin.accounts.models import User as Account
    from houqin.accounts.models import UserRole
    from houqin.accounts.roles import Role

    tables = {
        "check": ClassCheck._meta.db_table,
        "class": SchoolClass._meta.db_table,
        "student": Student._meta.db_table,
        "user": Account._meta.db_table,
        "role": UserRole._meta.db_table,
        "staffing": HealthStaffing._meta.db_table,
        "semester": Semester._meta.db_table,
    }
    sql = """SELECT
        (SELECT COUNT(*) FROM {check} WHERE school_id = %s AND date = %s),
        (SELECT COUNT(*) FROM {class} WHERE school_id = %s AND is_active),
        (SELECT COUNT(*) FROM {student} WHERE school_id = %s AND is_active),
        (SELECT COUNT(DISTINCT u.id) FROM {user} u INNER JOIN {role} r ON r.user_id = u.id
            WHERE u.school_id = %s AND u.is_active AND r.role = %s),
        (SELECT full_time FROM {staffing} WHERE school_id = %s),
        (SELECT MIN(id) FROM {semester} WHERE district_id = %s AND starts_on <= %s AND ends_on >= %s)""".format(
        **tables
    )
    params: list[Any] = [school.pk, day, school.pk, school.pk, school.pk, str(Role.DOCTOR), school.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, school.district_id, day, day])
        row = cursor.fetchone()
    return dict(zip(("checked", "classes", "students", "doctors", "full_time", "semester"), row, strict=True))


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
