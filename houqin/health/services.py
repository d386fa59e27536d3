"""Every health write: the class checks with their absent and unwell students (F1–F2), the alerts they raise
(F3–F5), follow-up and return, the observation room, and disinfection (F6).

A check is saved whole or not at all: the counts must add up to the class roll, every absent student has an entry,
a temperature outside 34.0–43.0 °C is refused, and only the head teacher of the class (or a holder of
health.check_any_class) may record it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.accounts.models import User
from houqin.accounts.roles import Role
from houqin.core import audit
from houqin.core.crud import create_audited, lock, require_perm, require_same_school, update_audited
from houqin.core.policies import POLICIES, effective_all, policy
from houqin.core.sensitive import mask_name
from houqin.core.services import notify
from houqin.health.choices import AlertKind, Assessment, Disease, Reason, Session, Symptom
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
from houqin.health.selectors import enrolled_count, is_own_class, mass_unknown
from houqin.orgs.models import SchoolClass, Semester, Student

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from houqin.orgs.models import Department, Person, Place, School

NOT_YOUR_CLASS = gettext_noop("Only the head teacher of %(class)s records its check.")
ALREADY_CHECKED = gettext_noop("The %(session)s of %(class)s on %(date)s is already recorded; correct it instead.")
COUNTS_DO_NOT_ADD_UP = gettext_noop(
    "Present (%(present)s) and absent (%(absent)s) must add up to the %(enrolled)s students enrolled in the class."
)
ENTRIES_DO_NOT_MATCH = gettext_noop("%(absent)s absent, but %(entries)s absent students listed.")
TEMPERATURE_OUT_OF_RANGE = gettext_noop("Temperature %(value)s °C is not a body temperature (34.0–43.0 °C).")
NOT_IN_CLASS = gettext_noop("This student is not in %(class)s.")
LISTED_TWICE = gettext_noop("This student is listed twice.")
SYMPTOMS_REQUIRED = gettext_noop("An illness absence needs its symptoms.")
UNKNOWN_SYMPTOM = gettext_noop("Unknown symptom: %(value)s.")
INSTITUTION_REQUIRED = gettext_noop("Say which hospital or clinic.")
FUTURE_DATE = gettext_noop("The date cannot be in the future.")
EVENING_ONLY_BOARDING = gettext_noop("%(school)s is not a boarding school: it has no evening check.")
NOT_A_REPORTER = gettext_noop("%(person)s is not the head teacher of a class of the school.")
TRAINED_AFTER_SEMESTER = gettext_noop("The training date is outside the semester %(semester)s (%(start)s – %(end)s).")
SCORE_RANGE = gettext_noop("The score is between 0 and 100.")
ONSET_AFTER_DATE = gettext_noop("The illness cannot start after the day of the check.")
FOLLOW_UP_ONLY_UNKNOWN = gettext_noop("Only an absence with an unknown reason is followed up.")
FOLLOW_UP_SAME_DAY = gettext_noop("An unknown absence is followed up on the same school day (%(date)s).")
ANSWER_REQUIRED = gettext_noop("Write down the family's answer.")
NOT_ABSENT = gettext_noop("This student was not absent.")
ALREADY_RETURNED = gettext_noop("The student already returned on %(date)s.")
CERTIFICATE_REQUIRED = gettext_noop(
    "After %(disease)s the student returns only with a recovery certificate: attach it or give its reference."
)
ALREADY_REPORTED = gettext_noop("This alert was already reported at %(time)s.")
ALREADY_LEFT = gettext_noop("The student already left the observation room at %(time)s.")
BELOW_MINIMUM = gettext_noop("%(value)s mg/L is below the minimum of %(minimum)s mg/L for this area.")
CONTACT_TOO_SHORT = gettext_noop("%(value)s minutes is shorter than the %(minimum)s minutes of contact required.")
IN_FUTURE = gettext_noop("The time cannot be in the future.")
REQUIRED = gettext_noop("This field is required.")
ALERT_TITLE = gettext_noop("Health alert: %(alert)s, %(cases)s cases, report by %(due)s")
DISEASE_TITLE = gettext_noop("Infectious disease (%(disease)s) in %(class)s: report immediately")
FEVER_TITLE = gettext_noop("Fever %(temperature)s °C in %(class)s: observation room, and tell the family")

LOWEST, HIGHEST = Decimal("34.0"), Decimal("43.0")
ILI_FEVER = Decimal("38.0")
ILI_SYMPTOMS = {Symptom.COUGH, Symptom.SORE_THROAT}
SIMILAR_SYMPTOMS = set(Symptom) - {Symptom.OTHER}
DISEASE_RULES = [code for code in Disease.values if f"health.{code}_school_cases" in POLICIES]
DISEASE_PARTS = ("class_day", "class_3_days", "school_cases", "school_days")
LONGEST_WINDOW = 31  # days: a school window set longer is counted over the last 31 days


#
# Class checks (F1, F2)
#


def _check_permission(actor: User, school_class: SchoolClass) -> None:
    require_perm(actor, "health.add_classcheck")
    if not actor.has_perm("health.check_any_class") and not is_own_class(actor, school_class):
        raise PermissionDenied(_(NOT_YOUR_CLASS) % {"class": school_class})


def _temperature(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    value = Decimal(str(value)).quantize(Decimal("0.1"))
    if not LOWEST <= value <= HIGHEST:
        raise ValidationError({field: _(TEMPERATURE_OUT_OF_RANGE) % {"value": value}})
    return value


def _entry(
    raw: dict[str, Any], *, field: str, school_class: SchoolClass, day: dt.date, absent: bool, fever: Decimal
) -> StudentCase:
    """One absent or unwell student, validated (field names like absences.0.temperature in errors)."""
    student: Student = raw["student"]
    if student.school_class_id != school_class.pk or not student.is_active:
        raise ValidationError({f"{field}.student_id": _(NOT_IN_CLASS) % {"class": school_class}})
    symptoms = list(dict.fromkeys(raw.get("symptoms") or []))
    unknown = [s for s in symptoms if s not in Symptom.values]
    if unknown:
        raise ValidationError({f"{field}.symptoms": _(UNKNOWN_SYMPTOM) % {"value": unknown[0]}})
    temperature = _temperature(raw.get("temperature"), f"{field}.temperature")
    if temperature is not None and temperature >= fever and Symptom.FEVER not in symptoms:
        symptoms.insert(0, Symptom.FEVER)  # F5: a reading at or above the threshold marks the student symptomatic
    reason = raw.get("reason") or (Reason.ILLNESS if symptoms else Reason.UNKNOWN)
    if not absent:
        reason = Reason.ILLNESS
    if reason == Reason.ILLNESS and not symptoms:
        raise ValidationError({f"{field}.symptoms": _(SYMPTOMS_REQUIRED)})
    onset = raw.get("onset_on") or (day if reason == Reason.ILLNESS else None)
    if onset and onset > day:
        raise ValidationError({f"{field}.onset_on": _(ONSET_AFTER_DATE)})
    if raw.get("visited_doctor") and not (raw.get("institution") or "").strip():
        raise ValidationError({f"{field}.institution": _(INSTITUTION_REQUIRED)})
    return StudentCase(
        school=school_class.school,
        student=student,
        school_class=school_class,
        date=day,
        is_absent=absent,
        reason=reason,
        symptoms=[str(s) for s in symptoms],
        temperature=temperature,
        onset_on=onset,
        visited_doctor=bool(raw.get("visited_doctor")),
        institution=(raw.get("institution") or "").strip(),
        diagnosis=(raw.get("diagnosis") or "").strip(),
        disease=raw.get("disease") or "",
    )


def _entries(
    absences: list[dict[str, Any]], unwell: list[dict[str, Any]], *, school_class: SchoolClass, day: dt.date
) -> list[StudentCase]:
    fever = policy("health.fever_threshold", school=school_class.school, on=day)
    entries, seen = [], set()
    for group, rows, absent in (("absences", absences, True), ("unwell", unwell, False)):
        for index, raw in enumerate(rows):
            field = f"{group}.{index}"
            if raw["student"].pk in seen:
                raise ValidationError({f"{field}.student_id": _(LISTED_TWICE)})
            seen.add(raw["student"].pk)
            entries.append(_entry(raw, field=field, school_class=school_class, day=day, absent=absent, fever=fever))
    return entries


@transaction.atomic
def check_submit(
    *,
    actor: User,
    school_class: SchoolClass,
    date: dt.date,
    session: str,
    present: int,
    absent: int,
    absences: list[dict[str, Any]] | None = None,
    unwell: list[dict[str, Any]] | None = None,
    symptomatic: int | None = None,
) -> ClassCheck:
    """Record a class's check. `absences` and `unwell` are dicts with a `student` (Student) and the optional
    reason, symptoms, temperature, onset_on, visited_doctor, institution, diagnosis and disease.

    Rule chosen for the counts: present + absent = the students enrolled in the class (when its roll is empty,
    the counts given are taken as the roll)."""
    _check_permission(actor, school_class)
    absences, unwell = absences or [], unwell or []
    if date > timezone.localdate():
        raise ValidationError({"date": _(FUTURE_DATE)})
    if session == Session.EVENING and not school_class.school.is_boarding:
        raise ValidationError({"session": _(EVENING_ONLY_BOARDING) % {"school": school_class.school}})
    enrolled = enrolled_count(school_class) or present + absent
    if present + absent != enrolled:
        raise ValidationError(
            {"present": _(COUNTS_DO_NOT_ADD_UP) % {"present": present, "absent": absent, "enrolled": enrolled}}
        )
    if len(absences) != absent:
        raise ValidationError({"absences": _(ENTRIES_DO_NOT_MATCH) % {"absent": absent, "entries": len(absences)}})
    entries = _entries(absences, unwell, school_class=school_class, day=date)
    if ClassCheck.objects.filter(school_class=school_class, date=date, session=session).exists():
        label = dict(Session.choices)[session]
        raise ValidationError(_(ALREADY_CHECKED) % {"session": label, "class": school_class, "date": date})
    counted = sum(1 for entry in entries if entry.symptoms)
    check = ClassCheck(
        school=school_class.school,
        school_class=school_class,
        date=date,
        session=session,
        enrolled=enrolled,
        present=present,
        absent=absent,
        symptomatic=max(symptomatic or 0, counted),
        checked_by=actor,
    )
    check.full_clean()
    check.save()
    for entry in entries:
        entry.check_record = check
    StudentCase.objects.bulk_create(entries)
    audit.record(
        actor=actor,
        action="health.classcheck.created",
        target=check,
        changes={"present": [None, present], "absent": [None, absent], "symptomatic": [None, check.symptomatic]},
    )
    _fever_follow_up(actor=actor, check=check, entries=entries)
    _disease_follow_up(check=check, entries=entries)
    # The per-disease and unexplained-absence counts only grow with a diagnosed or an unknown entry: an ordinary
    # check (the morning peak) reads neither rule.
    raise_alerts(school_class=school_class, day=date, diseases=any(entry.disease for entry in entries))
    if any(entry.is_absent and entry.reason == Reason.UNKNOWN for entry in entries):
        raise_unknown_absence_alerts(school=school_class.school, day=date)
    return check


def _disease_follow_up(*, check: ClassCheck, entries: list[StudentCase]) -> None:
    """F3: a case of a notifiable infectious disease is a "report immediately" task for the doctor."""
    labels = dict(Disease.choices)
    for case in entries:
        if case.disease:
            notify(
                recipients=_doctors_and_head_teacher(check.school, None),
                kind="health.disease",
                title=_(DISEASE_TITLE) % {"disease": labels.get(case.disease), "class": check.school_class},
                url=case.get_absolute_url(),
                school=check.school,
            )


@transaction.atomic
def check_correct(
    *, actor: User, check: ClassCheck, present: int, absent: int, symptomatic: int, note: str = ""
) -> ClassCheck:
    """Correct the counts of a recorded check (audited with old → new); the students listed stay as they are."""
    require_perm(actor, "health.change_classcheck")
    check = lock(ClassCheck, check.pk)
    _check_permission(actor, check.school_class)
    if present + absent != check.enrolled:
        raise ValidationError(
            {"present": _(COUNTS_DO_NOT_ADD_UP) % {"present": present, "absent": absent, "enrolled": check.enrolled}}
        )
    values = {"present": present, "absent": absent, "symptomatic": symptomatic}
    return update_audited(actor=actor, instance=check, values=values, message=note.strip())


def _doctors_and_head_teacher(school: School, school_class: SchoolClass | None) -> list[User]:
    users = User.objects.having_role(Role.DOCTOR).filter(school=school)
    if school_class is not None and school_class.head_teacher_id:
        users = users | User.objects.filter(person_id=school_class.head_teacher_id, is_active=True)
    return list(users.distinct())


def _fever_follow_up(*, actor: User, check: ClassCheck, entries: list[StudentCase]) -> None:
    """F5: a student at school with a fever goes to the observation room and the family is told (inbox tasks for
    the doctor and the head teacher)."""
    threshold = policy("health.fever_threshold", school=check.school, on=check.date)
    for case in entries:
        if case.is_absent or case.temperature is None or case.temperature < threshold:
            continue
        visit = ObservationVisit.objects.create(
            school=check.school,
            student=case.student,
            case=case,
            came_at=timezone.now(),
            temperature=case.temperature,
            symptoms=case.symptoms,
            recorded_by=actor,
        )
        notify(
            recipients=_doctors_and_head_teacher(check.school, check.school_class),
            kind="health.fever",
            title=_(FEVER_TITLE) % {"temperature": case.temperature, "class": check.school_class},
            body=mask_name(case.student.name),
            url=visit.get_absolute_url(),
            school=check.school,
        )


#
# Alerts (F3–F5)
#


def _raise(
    *, school: School, kind: str, key: str, day: dt.date, cases: int, school_class: Any = None, **fields: Any
) -> HealthAlert | None:
    """Raise an alert once (its key is unique per school) and tell the doctors and the head teacher."""
    if HealthAlert.objects.filter(school=school, key=key).exists():
        return None
    now = timezone.now()
    hours = policy("health.report_deadline_hours", school=school, on=day)
    alert = HealthAlert.objects.create(
        school=school,
        kind=kind,
        key=key,
        date=day,
        cases=cases,
        school_class=school_class,
        raised_at=now,
        report_due_at=now + dt.timedelta(hours=hours),
        **fields,
    )
    due = f"{timezone.localtime(alert.report_due_at):%m-%d %H:%M}"
    notify(
        recipients=_doctors_and_head_teacher(school, school_class),
        kind="health.alert",
        title=_(ALERT_TITLE) % {"alert": alert, "cases": cases, "due": due},
        url=alert.get_absolute_url(),
        school=school,
    )
    audit.record(actor=None, action="health.healthalert.raised", target=alert, changes={"cases": [None, cases]})
    return alert


def _students_by_symptom(rows: list[tuple[int, list[str]]]) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for student_id, symptoms in rows:
        for symptom in symptoms or []:
            if symptom in SIMILAR_SYMPTOMS:
                found[symptom].add(student_id)
    return found


def raise_alerts(*, school_class: SchoolClass, day: dt.date, diseases: bool = True) -> list[HealthAlert]:
    """Apply the cluster rules for a class on a day, the school-wide influenza-like rule and (unless `diseases` is
    False) the per-disease rules; idempotent."""
    school = school_class.school
    per_day = policy("health.cluster_cases_per_day", school=school, on=day)
    over_3_days = policy("health.cluster_cases_3_days", school=school, on=day)
    fever = policy("health.fever_threshold", school=school, on=day)
    window = StudentCase.objects.filter(school_class=school_class, date__range=(day - dt.timedelta(days=2), day))
    rows = list(window.values_list("student_id", "symptoms", "date", "temperature"))
    raised = []
    today = _students_by_symptom([(s, symptoms) for s, symptoms, d, _t in rows if d == day])
    for symptom, students in sorted(today.items()):
        if len(students) >= per_day:
            key = f"{AlertKind.CLASS_DAY}:{school_class.pk}:{day}:{symptom}"
            raised.append(
                _raise(
                    school=school,
                    kind=AlertKind.CLASS_DAY,
                    key=key,
                    day=day,
                    cases=len(students),
                    school_class=school_class,
                    symptom=symptom,
                )
            )
    three_days = _students_by_symptom([(s, symptoms) for s, symptoms, _d, _t in rows])
    for symptom, students in sorted(three_days.items()):
        recent = HealthAlert.objects.filter(
            school=school,
            kind=AlertKind.CLASS_3_DAYS,
            school_class=school_class,
            symptom=symptom,
            date__gte=day - dt.timedelta(days=2),
        )
        if len(students) > over_3_days and not recent.exists():
            key = f"{AlertKind.CLASS_3_DAYS}:{school_class.pk}:{day}:{symptom}"
            raised.append(
                _raise(
                    school=school,
                    kind=AlertKind.CLASS_3_DAYS,
                    key=key,
                    day=day,
                    cases=len(students),
                    school_class=school_class,
                    symptom=symptom,
                )
            )
    for student_id, _symptoms, d, temperature in rows:
        if d == day and temperature is not None and temperature >= fever:
            key = f"{AlertKind.FEVER}:{student_id}:{day}"
            raised.append(
                _raise(
                    school=school,
                    kind=AlertKind.FEVER,
                    key=key,
                    day=day,
                    cases=1,
                    school_class=school_class,
                    student_id=student_id,
                    symptom=Symptom.FEVER,
                )
            )
    raised.append(_raise_ili(school=school, day=day))
    if diseases:
        raised += _raise_disease_clusters(school_class=school_class, day=day)
    return [alert for alert in raised if alert is not None]


def disease_thresholds(
    school: School | None, day: dt.date, *, district_id: int | None = None
) -> dict[str, dict[str, int]]:
    """Per disease (F3/F4): {"class_day": n, "class_3_days": n, "school_cases": n, "school_days": n}, the class
    figures falling back to the general class rule when set to 0; all read in one query."""
    keys = ["health.cluster_cases_per_day", "health.cluster_cases_3_days"]
    keys += [f"health.{code}_{part}" for code in DISEASE_RULES for part in DISEASE_PARTS]
    district_id = school.district_id if school is not None else district_id
    school_id = school.pk if school is not None else None
    values = {
        e.policy.key: e.value
        for e in effective_all(district_id=district_id or 0, school_id=school_id, on=day, keys=keys)
    }
    general = {"class_day": values[keys[0]], "class_3_days": values[keys[1]]}
    return {
        code: {part: values[f"health.{code}_{part}"] or general.get(part, 0) for part in DISEASE_PARTS}
        for code in DISEASE_RULES
    }


def _raise_disease_clusters(*, school_class: SchoolClass, day: dt.date) -> list[HealthAlert | None]:
    """F3/F4 per disease: diagnosed cases of one disease in the class on the day (at least the threshold), in the
    class over 3 days (more than the threshold), and in the school over the disease's window."""
    school = school_class.school
    start = day - dt.timedelta(days=LONGEST_WINDOW - 1)
    rows = list(
        StudentCase.objects.filter(school=school, disease__in=DISEASE_RULES, date__range=(start, day)).values_list(
            "student_id", "disease", "date", "school_class_id"
        )
    )
    if not rows:  # the usual check: no diagnosed case in the window, no rule to read
        return []
    thresholds = disease_thresholds(school, day)
    raised: list[HealthAlert | None] = []
    for disease, rule in thresholds.items():
        in_class = [(s, d) for s, code, d, c in rows if code == disease and c == school_class.pk]
        on_day = {s for s, d in in_class if d == day}
        three_days = {s for s, d in in_class if d >= day - dt.timedelta(days=2)}
        since = day - dt.timedelta(days=min(rule["school_days"], LONGEST_WINDOW) - 1)
        in_school = {s for s, code, d, _c in rows if code == disease and d >= since}
        checks = (
            (AlertKind.DISEASE_CLASS_DAY, on_day, len(on_day) >= rule["class_day"], school_class, day),
            (
                AlertKind.DISEASE_CLASS_3_DAYS,
                three_days,
                len(three_days) > rule["class_3_days"],
                school_class,
                day - dt.timedelta(days=2),
            ),
            (
                AlertKind.DISEASE_SCHOOL,
                in_school,
                rule["school_cases"] > 0 and len(in_school) >= rule["school_cases"],
                None,
                since,
            ),
        )
        for kind, students, reached, where, window_start in checks:
            if not students or not reached:
                continue
            earlier = HealthAlert.objects.filter(
                school=school, kind=kind, disease=disease, school_class=where, date__gte=window_start
            )
            if kind != AlertKind.DISEASE_CLASS_DAY and earlier.exists():
                continue  # one alert per window, not one a day while the cases stay above the threshold
            key = f"{kind}:{where.pk if where else 0}:{day}:{disease}"
            raised.append(
                _raise(
                    school=school, kind=kind, key=key, day=day, cases=len(students), school_class=where, disease=disease
                )
            )
    return raised


def unknown_cutoff(school: School, day: dt.date, value: str | None = None) -> dt.datetime:
    """When unknown absences must have been followed up (the policy's "HH:MM" on that day)."""
    raw = value or str(policy("health.unknown_follow_up_cutoff", school=school, on=day))
    hours, minutes = (int(part) for part in raw.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hours, minutes)))


@transaction.atomic
def raise_unknown_absence_alerts(*, school: School, day: dt.date, now: dt.datetime | None = None) -> list[HealthAlert]:
    """F3/5.9: once the follow-up cut-off has passed, many unknown absences not followed up in a class or in the
    school on one day raise an alert to the doctor (once per class, or the school, per day). Called after each
    check and by `manage.py health_alerts` (cron)."""
    keys = ["health.unknown_follow_up_cutoff", "health.unknown_absences_class", "health.unknown_absences_school"]
    cutoff, per_class, per_school = (
        e.value for e in effective_all(district_id=school.district_id, school_id=school.pk, on=day, keys=keys)
    )
    if (now or timezone.now()) < unknown_cutoff(school, day, str(cutoff)):
        return []
    rows = StudentCase.objects.filter(
        school=school, date=day, is_absent=True, reason=Reason.UNKNOWN, contacted_at__isnull=True
    ).values_list("school_class_id", "student_id")
    classes, school_total = mass_unknown(list(rows), per_class=per_class, per_school=per_school)
    raised = []
    found = SchoolClass.objects.in_bulk(list(classes))
    for class_id, count in sorted(classes.items()):
        key = f"{AlertKind.UNKNOWN_CLASS}:{class_id}:{day}"
        raised.append(
            _raise(
                school=school, kind=AlertKind.UNKNOWN_CLASS, key=key, day=day, cases=count, school_class=found[class_id]
            )
        )
    if school_total is not None:
        key = f"{AlertKind.UNKNOWN_SCHOOL}:{day}"
        raised.append(_raise(school=school, kind=AlertKind.UNKNOWN_SCHOOL, key=key, day=day, cases=school_total))
    return [alert for alert in raised if alert is not None]


def _raise_ili(*, school: School, day: dt.date) -> HealthAlert | None:
    """F4: influenza-like cases (≥ 38 °C with cough or sore throat) in the school over 7 days."""
    threshold = policy("health.ili_cases_7_days", school=school, on=day)
    start = day - dt.timedelta(days=6)
    rows = StudentCase.objects.filter(school=school, date__range=(start, day), temperature__gte=ILI_FEVER)
    students = {s for s, symptoms in rows.values_list("student_id", "symptoms") if ILI_SYMPTOMS & set(symptoms or [])}
    if len(students) < threshold:
        return None
    if HealthAlert.objects.filter(school=school, kind=AlertKind.ILI_7_DAYS, date__gte=start).exists():
        return None
    return _raise(
        school=school, kind=AlertKind.ILI_7_DAYS, key=f"{AlertKind.ILI_7_DAYS}:{day}", day=day, cases=len(students)
    )


@transaction.atomic
def alert_report(*, actor: User, alert: HealthAlert, note: str = "") -> HealthAlert:
    """The alert was reported to the CDC / bureau (the 24-hour deadline is met or missed by this time)."""
    require_perm(actor, "health.report_healthalert")
    alert = lock(HealthAlert, alert.pk)
    if alert.reported_at is not None:
        raise ValidationError(_(ALREADY_REPORTED) % {"time": f"{timezone.localtime(alert.reported_at):%m-%d %H:%M}"})
    values = {"reported_at": timezone.now(), "reported_by": actor, "report_note": note.strip()[:300]}
    return update_audited(actor=actor, instance=alert, values=values)


#
# Absences: follow-up and return (F2)
#


def _case_permission(actor: User, case: StudentCase) -> None:
    require_perm(actor, "health.change_studentcase")
    if not actor.has_perm("health.view_school_health") and not is_own_class(actor, case.school_class):
        raise PermissionDenied(_(NOT_YOUR_CLASS) % {"class": case.school_class})


@transaction.atomic
def case_follow_up(
    *,
    actor: User,
    case: StudentCase,
    family_answer: str,
    contacted_at: dt.datetime | None = None,
    reason: str | None = None,
    **illness: Any,
) -> StudentCase:
    """The family of a student absent for an unknown reason was contacted the same school day; their answer may
    give the real reason (illness with symptoms, or personal)."""
    case = lock(StudentCase, case.pk)
    _case_permission(actor, case)
    if case.reason != Reason.UNKNOWN or not case.is_absent:
        raise ValidationError(_(FOLLOW_UP_ONLY_UNKNOWN))
    if not family_answer.strip():
        raise ValidationError({"family_answer": _(ANSWER_REQUIRED)})
    contacted_at = contacted_at or timezone.now()
    if contacted_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"contacted_at": _(IN_FUTURE)})
    if timezone.localtime(contacted_at).date() != case.date:
        raise ValidationError({"contacted_at": _(FOLLOW_UP_SAME_DAY) % {"date": case.date}})
    values: dict[str, Any] = {"contacted_at": contacted_at, "family_answer": family_answer.strip()}
    if reason and reason != Reason.UNKNOWN:
        symptoms = illness.get("symptoms") or []
        if reason == Reason.ILLNESS and not symptoms:
            raise ValidationError({"symptoms": _(SYMPTOMS_REQUIRED)})
        values |= {"reason": reason, "symptoms": list(symptoms), "onset_on": illness.get("onset_on") or case.date}
        values |= {k: illness[k] for k in ("diagnosis", "disease") if illness.get(k)}
    case = update_audited(actor=actor, instance=case, values=values)
    if reason == Reason.ILLNESS:
        raise_alerts(school_class=case.school_class, day=case.date)
    return case


@transaction.atomic
def case_return(
    *,
    actor: User,
    case: StudentCase,
    returned_on: dt.date | None = None,
    certificate: UploadedFile | None = None,
    certificate_ref: str = "",
) -> StudentCase:
    """The student is back: the absence closes. After a listed infectious disease a recovery certificate is
    required (a file, or the reference of the paper certificate kept by the doctor)."""
    case = lock(StudentCase, case.pk)
    _case_permission(actor, case)
    if not case.is_absent:
        raise ValidationError(_(NOT_ABSENT))
    if case.returned_on is not None:
        raise ValidationError(_(ALREADY_RETURNED) % {"date": case.returned_on})
    returned_on = returned_on or timezone.localdate()
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": _(FUTURE_DATE)})
    certificate_ref = certificate_ref.strip()
    if case.disease and not certificate and not certificate_ref:
        label = dict(Disease.choices).get(case.disease, case.disease)
        raise ValidationError({"certificate": _(CERTIFICATE_REQUIRED) % {"disease": label}})
    values: dict[str, Any] = {"returned_on": returned_on, "certificate_ref": certificate_ref}
    if certificate:
        case.certificate.save(certificate.name, certificate, save=False)
        values["certificate"] = case.certificate
    case = update_audited(actor=actor, instance=case, values=values)
    # The earlier checks' entries of the same absence (morning, noon, the days before) close with it.
    StudentCase.objects.filter(
        student=case.student, is_absent=True, returned_on__isnull=True, date__lte=returned_on
    ).exclude(pk=case.pk).update(returned_on=returned_on)
    return case


def case_viewed(*, actor: User, case: StudentCase) -> None:
    """G5: every read of one student's health case is logged."""
    audit.record(actor=actor, action="health.studentcase.viewed", target=case)


#
# Observation room (F5)
#


@transaction.atomic
def observation_open(
    *,
    actor: User,
    student: Student,
    temperature: Any = None,
    symptoms: list[str] | None = None,
    measures: str = "",
    came_at: dt.datetime | None = None,
) -> ObservationVisit:
    require_perm(actor, "health.add_observationvisit")
    came_at = came_at or timezone.now()
    if came_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"came_at": _(IN_FUTURE)})
    values = {
        "school": student.school,
        "student": student,
        "came_at": came_at,
        "temperature": _temperature(temperature, "temperature"),
        "symptoms": list(symptoms or []),
        "measures": measures.strip(),
        "recorded_by": actor,
    }
    return create_audited(actor=actor, model=ObservationVisit, values=values)


@transaction.atomic
def observation_close(
    *,
    actor: User,
    visit: ObservationVisit,
    outcome: str,
    measures: str = "",
    parent_notified_at: dt.datetime | None = None,
    left_at: dt.datetime | None = None,
) -> ObservationVisit:
    require_perm(actor, "health.change_observationvisit")
    visit = lock(ObservationVisit, visit.pk)
    if visit.left_at is not None:
        raise ValidationError(_(ALREADY_LEFT) % {"time": f"{timezone.localtime(visit.left_at):%H:%M}"})
    if not outcome:
        raise ValidationError({"outcome": _(REQUIRED)})
    values = {
        "outcome": outcome,
        "left_at": left_at or timezone.now(),
        "parent_notified_at": parent_notified_at or visit.parent_notified_at,
        "measures": measures.strip() or visit.measures,
    }
    return update_audited(actor=actor, instance=visit, values=values)


#
# Disinfection (F6)
#


@transaction.atomic
def disinfection_schedule_add(
    *,
    actor: User,
    school: School,
    area: Place,
    agent: str,
    min_concentration: Decimal,
    contact_minutes: int,
    frequency: str,
    department: Department | None = None,
) -> DisinfectionSchedule:
    require_perm(actor, "health.add_disinfectionschedule")
    require_same_school(school, area=area, department=department)
    if not agent.strip():
        raise ValidationError({"agent": _(REQUIRED)})
    values = {
        "school": school,
        "area": area,
        "department": department,
        "agent": agent.strip(),
        "min_concentration": min_concentration,
        "contact_minutes": contact_minutes,
        "frequency": frequency,
    }
    return create_audited(actor=actor, model=DisinfectionSchedule, values=values)


@transaction.atomic
def disinfection_record(
    *,
    actor: User,
    schedule: DisinfectionSchedule,
    concentration: Decimal,
    contact_minutes: int,
    operator: str = "",
    agent: str = "",
    done_at: dt.datetime | None = None,
) -> DisinfectionRecord:
    """A disinfection done; a concentration below the schedule's minimum, or a shorter contact time, is refused."""
    require_perm(actor, "health.add_disinfectionrecord")
    if concentration < schedule.min_concentration:
        raise ValidationError(
            {"concentration": _(BELOW_MINIMUM) % {"value": concentration, "minimum": schedule.min_concentration}}
        )
    if contact_minutes < schedule.contact_minutes:
        raise ValidationError(
            {"contact_minutes": _(CONTACT_TOO_SHORT) % {"value": contact_minutes, "minimum": schedule.contact_minutes}}
        )
    done_at = done_at or timezone.now()
    if done_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"done_at": _(IN_FUTURE)})
    values = {
        "school": schedule.school,
        "schedule": schedule,
        "done_at": done_at,
        "agent": agent.strip() or schedule.agent,
        "concentration": concentration,
        "contact_minutes": contact_minutes,
        "operator": operator.strip() or actor.name or actor.username,
        "recorded_by": actor,
    }
    return create_audited(actor=actor, model=DisinfectionRecord, values=values)


#
# Class reporters' training (F8) and health staffing (F7)
#


@transaction.atomic
def training_record(
    *,
    actor: User,
    school: School,
    semester: Semester,
    person: Person,
    trained_on: dt.date,
    assessment: str = Assessment.PENDING,
    hours: Decimal | None = None,
    score: int | None = None,
    note: str = "",
) -> ReporterTraining:
    """Record (or correct) a class reporter's training and assessment for a semester: the reporter is the head
    teacher of an active class of the school, and the training falls within the semester."""
    require_perm(actor, "health.add_reportertraining", "health.change_reportertraining")
    require_same_school(school, person=person)
    if semester.district_id != school.district_id:
        raise PermissionDenied
    if not SchoolClass.objects.filter(school=school, head_teacher=person, is_active=True).exists():
        raise ValidationError({"person": _(NOT_A_REPORTER) % {"person": person}})
    if not semester.starts_on <= trained_on <= semester.ends_on:
        raise ValidationError(
            {
                "trained_on": _(TRAINED_AFTER_SEMESTER)
                % {"semester": semester, "start": semester.starts_on, "end": semester.ends_on}
            }
        )
    if trained_on > timezone.localdate():
        raise ValidationError({"trained_on": _(FUTURE_DATE)})
    if score is not None and not 0 <= score <= 100:
        raise ValidationError({"score": _(SCORE_RANGE)})
    values: dict[str, Any] = {
        "trained_on": trained_on,
        "assessment": assessment,
        "score": score,
        "note": note.strip(),
    }
    if hours is not None:
        values["hours"] = hours
    existing = ReporterTraining.objects.select_for_update().filter(semester=semester, person=person).first()
    if existing is not None:
        return update_audited(actor=actor, instance=existing, values=values)
    values |= {"school": school, "semester": semester, "person": person, "recorded_by": actor}
    return create_audited(actor=actor, model=ReporterTraining, values=values)


@transaction.atomic
def staffing_set(*, actor: User, school: School, full_time: int, part_time: int = 0) -> HealthStaffing:
    """The school's full-time health workers and part-time health teachers (F7)."""
    require_perm(actor, "health.change_healthstaffing")
    existing = HealthStaffing.objects.select_for_update().filter(school=school).first()
    values = {"full_time": full_time, "part_time": part_time, "updated_by": actor}
    if existing is not None:
        return update_audited(actor=actor, instance=existing, values=values)
    return create_audited(actor=actor, model=HealthStaffing, values={"school": school, **values})
