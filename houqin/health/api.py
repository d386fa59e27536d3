"""/api/health: class checks (晨午检), absences with follow-up and return, alerts, the daily report for the bureau,
the observation room and disinfection. Student names are masked for readers without health.see_student_names."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Query, Router, Schema, Status

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.api import ERRORS, FORBIDDEN, Id, Input, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.core.sensitive import mask_name
from houqin.health import selectors, services
from houqin.health.choices import Assessment, Disease, Frequency, Outcome, Reason, Session, Symptom
from houqin.health.models import (
    ClassCheck,
    DisinfectionSchedule,
    HealthAlert,
    HealthStaffing,
    ObservationVisit,
    StudentCase,
)
from houqin.orgs.models import Department, Person, Place, SchoolClass, Semester, Student

router = Router(tags=["health"])

Temperature = Decimal | None


def _name(request: HttpRequest, student: Student) -> str:
    return student.name if request.user.has_perm("health.see_student_names") else mask_name(student.name)


class CaseIn(Input):
    student_id: Id
    reason: Reason | None = Field(None, description="illness | personal | unknown (unwell entries: illness)")
    symptoms: list[Symptom] = Field(default_factory=list, max_length=9)
    temperature: Temperature = Field(None, max_digits=4, decimal_places=1, description="°C, 34.0–43.0")
    onset_on: dt.date | None = None
    visited_doctor: bool = False
    institution: str = Field("", max_length=100)
    diagnosis: str = Field("", max_length=200)
    disease: Disease | None = Field(None, description="a notifiable infectious disease, if diagnosed")


class CheckIn(Input):
    class_id: Id
    date: dt.date
    session: Literal["morning", "noon", "evening"]
    present: int = Field(..., ge=0, le=500)
    absent: int = Field(..., ge=0, le=500)
    symptomatic: int | None = Field(None, ge=0, le=500, description="default: the students listed with symptoms")
    absences: list[CaseIn] = Field(default_factory=list, max_length=500, description="one entry per absent student")
    unwell: list[CaseIn] = Field(default_factory=list, max_length=500, description="unwell but present students")


class CaseOut(Schema):
    id: int
    check_id: int = Field(..., alias="check_record_id")
    student_id: int
    student_name: str
    class_id: int = Field(..., alias="school_class_id")
    class_name: str = Field(..., alias="school_class.name")
    date: dt.date
    absent: bool = Field(..., alias="is_absent")
    reason: str
    symptoms: list[str]
    temperature: Decimal | None
    onset_on: dt.date | None
    visited_doctor: bool
    institution: str
    diagnosis: str
    disease: str
    contacted_at: dt.datetime | None
    family_answer: str
    returned_on: dt.date | None
    certificate_ref: str
    has_certificate: bool

    @staticmethod
    def resolve_student_name(obj: StudentCase, context: dict[str, Any]) -> str:
        return _name(context["request"], obj.student)

    @staticmethod
    def resolve_has_certificate(obj: StudentCase) -> bool:
        return bool(obj.certificate)


class HealthCheckOut(Schema):
    id: int
    school_id: int
    class_id: int = Field(..., alias="school_class_id")
    class_name: str = Field(..., alias="school_class.name")
    date: dt.date
    session: str
    enrolled: int
    present: int
    absent: int
    symptomatic: int
    checked_by: str
    checked_at: dt.datetime

    @staticmethod
    def resolve_checked_by(obj: ClassCheck) -> str:
        return obj.checked_by.name or obj.checked_by.username


class CheckDetailOut(HealthCheckOut):
    cases: list[CaseOut]

    @staticmethod
    def resolve_cases(obj: ClassCheck) -> list[StudentCase]:
        return list(obj.cases.select_related("student", "school_class"))


def _check(request: HttpRequest, check_id: int) -> ClassCheck:
    return in_scope(selectors.checks(user=request.user), request, check_id)


def _case(request: HttpRequest, case_id: int) -> StudentCase:
    case = in_scope(StudentCase.objects.select_related("student", "school_class"), request, case_id)
    if selectors.own_classes_only(request.user) and not selectors.is_own_class(request.user, case.school_class):
        raise PermissionDenied(str(FORBIDDEN))
    return case


def _students(request: HttpRequest, rows: list[CaseIn]) -> list[dict[str, Any]]:
    return [
        {**row.dict(exclude={"student_id"}), "student": in_scope(Student.objects, request, row.student_id)}
        for row in rows
    ]


@router.post("/checks", auth=needs("health.add_classcheck"), response={201: CheckDetailOut, **ERRORS})
def check_create(request: HttpRequest, payload: CheckIn):
    """A class's morning or noon check (and the evening check at a boarding school, 422 elsewhere). 409 if already recorded (use /checks/{id}/correct), 403 for another
    head teacher's class, 422 when the counts do not add up or a temperature is outside 34.0–43.0 °C."""
    school_class = in_scope(SchoolClass.objects.select_related("school"), request, payload.class_id)
    check = services.check_submit(
        actor=request.user,
        school_class=school_class,
        date=payload.date,
        session=payload.session,
        present=payload.present,
        absent=payload.absent,
        symptomatic=payload.symptomatic,
        absences=_students(request, payload.absences),
        unwell=_students(request, payload.unwell),
    )
    return Status(201, _check(request, check.pk))


class CheckFilter(Input):
    date: dt.date | None = None
    class_id: OptionalId = None
    session: Session | None = None


@router.get("/checks", auth=needs("health.view_classcheck"), response={200: list[HealthCheckOut], **ERRORS})
@paginate
def check_list(request: HttpRequest, filters: Query[CheckFilter]):
    return selectors.checks(
        user=request.user, date=filters.date, school_class_id=filters.class_id, session=filters.session
    )


@router.get("/checks/{health_check_id}", auth=needs("health.view_classcheck"), response={200: CheckDetailOut, **ERRORS})
def check_get(request: HttpRequest, health_check_id: Id):
    return _check(request, health_check_id)


class CorrectIn(Input):
    present: int = Field(..., ge=0, le=500)
    absent: int = Field(..., ge=0, le=500)
    symptomatic: int = Field(..., ge=0, le=500)
    note: str = Field("", max_length=300, description="why the counts were corrected")


@router.post(
    "/checks/{health_check_id}/correct",
    auth=needs("health.change_classcheck"),
    response={200: HealthCheckOut, **ERRORS},
)
def check_correct(request: HttpRequest, health_check_id: Id, payload: CorrectIn):
    services.check_correct(actor=request.user, check=_check(request, health_check_id), **payload.dict())
    return _check(request, health_check_id)


class MissingOut(Schema):
    class_id: int
    class_name: str
    session: str
    cutoff: dt.datetime | None


@router.get("/missing-checks", auth=needs("health.view_school_health"), response={200: list[MissingOut], **ERRORS})
def missing_checks(request: HttpRequest, date: dt.date | None = None):
    """Classes without their check once the cut-off time has passed (F1)."""
    day = date or timezone.localdate()
    return [
        {"class_id": c.pk, "class_name": c.name, "session": s, "cutoff": selectors.check_cutoff(c.school, day, s)}
        for c, s in selectors.missing_checks(user=request.user, day=day)
    ]


#
# Absences
#


class AbsenceFilter(Input):
    open: bool = Field(True, description="only absences not closed by a return")
    date: dt.date | None = None
    class_id: OptionalId = None
    reason: Reason | None = None


@router.get("/absences", auth=needs("health.view_studentcase"), response={200: list[CaseOut], **ERRORS})
@paginate
def absence_list(request: HttpRequest, filters: Query[AbsenceFilter]):
    rows: QuerySet = (
        selectors.open_absences(user=request.user)
        if filters.open
        else selectors.cases(user=request.user).filter(is_absent=True)
    )
    return rows.filter(
        **{
            k: v
            for k, v in {"date": filters.date, "school_class_id": filters.class_id, "reason": filters.reason}.items()
            if v
        }
    )


@router.get("/cases/{health_case_id}", auth=needs("health.view_studentcase"), response={200: CaseOut, **ERRORS})
def case_get(request: HttpRequest, health_case_id: Id):
    """One student's case; every read is audited (G5)."""
    case = _case(request, health_case_id)
    services.case_viewed(actor=request.user, case=case)
    return case


class FollowUpIn(Input):
    family_answer: str = Field(..., min_length=1, max_length=300)
    contacted_at: dt.datetime | None = Field(None, description="default: now; must be the day of the absence")
    reason: Reason | None = Field(None, description="the real reason, if the family gave it")
    symptoms: list[Symptom] = Field(default_factory=list, max_length=9)
    diagnosis: str = Field("", max_length=200)
    disease: Disease | None = None


@router.post(
    "/cases/{health_case_id}/follow-up", auth=needs("health.change_studentcase"), response={200: CaseOut, **ERRORS}
)
def case_follow_up(request: HttpRequest, health_case_id: Id, payload: FollowUpIn):
    services.case_follow_up(actor=request.user, case=_case(request, health_case_id), **payload.dict())
    return _case(request, health_case_id)


class HealthReturnIn(Input):
    returned_on: dt.date | None = Field(None, description="default: today")
    certificate_ref: str = Field("", max_length=100, description="the recovery certificate's reference")


@router.post(
    "/cases/{health_case_id}/return", auth=needs("health.change_studentcase"), response={200: CaseOut, **ERRORS}
)
def case_return(request: HttpRequest, health_case_id: Id, payload: HealthReturnIn):
    """Close the absence; after a listed infectious disease a certificate reference is required (422 otherwise)."""
    services.case_return(actor=request.user, case=_case(request, health_case_id), **payload.dict())
    return _case(request, health_case_id)


#
# Alerts and the daily report
#


class AlertOut(Schema):
    id: int
    school_id: int
    school_name: str = Field(..., alias="school.name")
    kind: str
    disease: str = Field(..., description="the infectious disease of a per-disease cluster alert, else empty")
    class_id: int | None = Field(None, alias="school_class_id")
    class_name: str | None
    date: dt.date
    symptom: str
    cases: int
    raised_at: dt.datetime
    report_due_at: dt.datetime
    reported_at: dt.datetime | None
    report_note: str
    status: str

    @staticmethod
    def resolve_class_name(obj: HealthAlert) -> str | None:
        return obj.school_class.name if obj.school_class else None


class AlertFilter(Input):
    date: dt.date | None = None
    open: bool = Field(False, description="only alerts not reported yet")


@router.get("/alerts", auth=needs("health.view_healthalert"), response={200: list[AlertOut], **ERRORS})
@paginate
def alert_list(request: HttpRequest, filters: Query[AlertFilter]):
    return selectors.alerts(user=request.user, day=filters.date, open_only=filters.open)


class ReportIn(Input):
    note: str = Field("", max_length=300, description="to whom and how it was reported")


@router.post(
    "/alerts/{health_alert_id}/report", auth=needs("health.report_healthalert"), response={200: AlertOut, **ERRORS}
)
def alert_report(request: HttpRequest, health_alert_id: Id, payload: ReportIn | None = None):
    alert = in_scope(HealthAlert.objects, request, health_alert_id)
    services.alert_report(actor=request.user, alert=alert, note=payload.note if payload else "")
    return in_scope(selectors.alerts(user=request.user), request, health_alert_id)


class DailyReportRow(Schema):
    school_id: int
    school_name: str
    date: dt.date
    classes_checked: int
    classes_total: int
    enrolled: int
    present: int
    absent: int
    illness_absent: int
    by_symptom: dict[str, int]
    infectious_cases: int


class DailyReportOut(Schema):
    date: dt.date
    items: list[DailyReportRow]
    count: int


@router.get("/daily-report", auth=needs("health.view_daily_report"), response={200: DailyReportOut, **ERRORS})
def daily_report(request: HttpRequest, date: dt.date | None = None):
    """因病缺课 statistics per school from the morning check (bureau staff: every school of the district)."""
    day = date or timezone.localdate()
    rows = selectors.daily_report(user=request.user, day=day)
    return {"date": day, "items": rows, "count": len(rows)}


class MonthOut(Schema):
    month: str
    student_days: int
    absent_days: int
    illness_days: int
    illness_rate: float | None


class ClassStatsOut(Schema):
    class_id: int
    class_name: str
    student_days: int
    absent_days: int
    illness_days: int
    illness_rate: float | None


class HealthStatsOut(Schema):
    start: dt.date
    end: dt.date
    school_days: int
    checks: int
    student_days: int = Field(..., description="enrolled students summed over the morning checks")
    absent_days: int
    illness_days: int
    absence_rate: float | None = Field(..., description="per cent of student-days")
    illness_rate: float | None = Field(..., description="per cent of student-days (因病缺课率)")
    by_month: list[MonthOut]
    by_class: list[ClassStatsOut]
    by_disease: dict[str, int]
    alerts: dict[str, int]


class StatsFilter(Schema):
    start: dt.date | None = Field(None, ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    end: dt.date | None = Field(None, ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))
    school_id: OptionalId = None


@router.get("/stats", auth=needs("health.view_school_health"), response={200: HealthStatsOut, **ERRORS})
def stats(request: HttpRequest, filters: Query[StatsFilter]):
    """A period's health figures (default: the current semester up to today) for the term summary."""
    start, end = selectors.term_window(request.user)
    start, end = filters.start or start, filters.end or end
    if start > end:
        raise ValidationError({"start": _("The start of the period is after its end.")})
    return selectors.semester_stats(user=request.user, start=start, end=end, school_id=filters.school_id)


#
# Observation room
#


class HealthVisitIn(Input):
    student_id: Id
    temperature: Temperature = Field(None, max_digits=4, decimal_places=1)
    symptoms: list[Symptom] = Field(default_factory=list, max_length=9)
    measures: str = Field("", max_length=300)


class HealthVisitOut(Schema):
    id: int
    student_id: int
    student_name: str
    came_at: dt.datetime
    temperature: Decimal | None
    symptoms: list[str]
    measures: str
    parent_notified_at: dt.datetime | None
    left_at: dt.datetime | None
    outcome: str

    @staticmethod
    def resolve_student_name(obj: ObservationVisit, context: dict[str, Any]) -> str:
        return _name(context["request"], obj.student)


def _visits(request: HttpRequest) -> QuerySet[ObservationVisit]:
    return ObservationVisit.objects.visible_to(request.user).select_related("student")


@router.get(
    "/observation-visits", auth=needs("health.view_observationvisit"), response={200: list[HealthVisitOut], **ERRORS}
)
@paginate
def visit_list(request: HttpRequest, in_room: bool = False):
    visits = _visits(request)
    return visits.filter(left_at__isnull=True) if in_room else visits


@router.post("/observation-visits", auth=needs("health.add_observationvisit"), response={201: HealthVisitOut, **ERRORS})
def visit_create(request: HttpRequest, payload: HealthVisitIn):
    student = in_scope(Student.objects, request, payload.student_id)
    visit = services.observation_open(actor=request.user, student=student, **payload.dict(exclude={"student_id"}))
    return Status(201, in_scope(_visits(request), request, visit.pk))


class VisitCloseIn(Input):
    outcome: Outcome
    measures: str = Field("", max_length=300)
    parent_notified_at: dt.datetime | None = None


@router.post(
    "/observation-visits/{observation_id}/close",
    auth=needs("health.change_observationvisit"),
    response={200: HealthVisitOut, **ERRORS},
)
def visit_close(request: HttpRequest, observation_id: Id, payload: VisitCloseIn):
    visit = in_scope(ObservationVisit.objects, request, observation_id)
    services.observation_close(actor=request.user, visit=visit, **payload.dict())
    return in_scope(_visits(request), request, observation_id)


#
# Disinfection
#


class ScheduleIn(Input):
    school_id: OptionalId = None
    area_id: Id
    department_id: OptionalId = None
    agent: str = Field(..., min_length=1, max_length=50)
    min_concentration: Decimal = Field(..., ge=0, max_digits=7, decimal_places=1, description="mg/L")
    contact_minutes: int = Field(..., ge=1, le=1440)
    frequency: Frequency = Frequency.DAILY


class ScheduleOut(Schema):
    id: int
    school_id: int
    area_id: int
    area_name: str = Field(..., alias="area.full_name")
    department_id: int | None
    agent: str
    min_concentration: Decimal
    contact_minutes: int
    frequency: str
    is_active: bool


@router.get(
    "/disinfection/schedules",
    auth=needs("health.view_disinfectionschedule"),
    response={200: list[ScheduleOut], **ERRORS},
)
@paginate
def schedule_list(request: HttpRequest):
    return DisinfectionSchedule.objects.visible_to(request.user).select_related("area")


@router.post(
    "/disinfection/schedules", auth=needs("health.add_disinfectionschedule"), response={201: ScheduleOut, **ERRORS}
)
def schedule_create(request: HttpRequest, payload: ScheduleIn):
    school = school_for_write(request, payload.school_id)
    department = in_scope(Department.objects, request, payload.department_id) if payload.department_id else None
    schedule = services.disinfection_schedule_add(
        actor=request.user,
        school=school,
        area=in_scope(Place.objects, request, payload.area_id),
        department=department,
        **payload.dict(exclude={"school_id", "area_id", "department_id"}),
    )
    return Status(201, DisinfectionSchedule.objects.select_related("area").get(pk=schedule.pk))


class RecordIn(Input):
    schedule_id: Id
    concentration: Decimal = Field(..., ge=0, max_digits=7, decimal_places=1, description="mg/L")
    contact_minutes: int = Field(..., ge=0, le=1440)
    agent: str = Field("", max_length=50, description="default: the schedule's")
    operator: str = Field("", max_length=50, description="default: the user")
    done_at: dt.datetime | None = None


class RecordOut(Schema):
    id: int
    schedule_id: int
    area_name: str = Field(..., alias="schedule.area.full_name")
    done_at: dt.datetime
    agent: str
    concentration: Decimal
    contact_minutes: int
    operator: str


@router.get(
    "/disinfection/records", auth=needs("health.view_disinfectionrecord"), response={200: list[RecordOut], **ERRORS}
)
@paginate
def record_list(request: HttpRequest):
    return selectors.disinfection_records(user=request.user)


@router.post("/disinfection/records", auth=needs("health.add_disinfectionrecord"), response={201: RecordOut, **ERRORS})
def record_create(request: HttpRequest, payload: RecordIn):
    schedule = in_scope(DisinfectionSchedule.objects, request, payload.schedule_id)
    record = services.disinfection_record(
        actor=request.user, schedule=schedule, **payload.dict(exclude={"schedule_id"})
    )
    return Status(201, in_scope(selectors.disinfection_records(user=request.user), request, record.pk))


class MissedOut(Schema):
    schedule_id: int
    area_name: str
    due: dt.date


@router.get(
    "/disinfection/missed", auth=needs("health.view_disinfectionschedule"), response={200: list[MissedOut], **ERRORS}
)
def missed_list(request: HttpRequest, since: dt.date | None = None, until: dt.date | None = None):
    """Scheduled disinfections with no record (default: the last 7 days up to yesterday)."""
    until = until or timezone.localdate() - dt.timedelta(days=1)
    since = since or until - dt.timedelta(days=6)
    if (until - since).days > 366:
        since = until - dt.timedelta(days=366)
    missed = selectors.missed_disinfections(user=request.user, since=since, until=until)
    return [{"schedule_id": s.pk, "area_name": s.area.full_name, "due": day} for s, day in missed]


#
# Class reporters' training (F8), health staffing (F7), disease thresholds (F3/F4), the doctor's day
#


class ReporterTrainingOut(Schema):
    id: int
    semester_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    trained_on: dt.date
    hours: Decimal
    assessment: str
    score: int | None
    note: str


class HealthReporterOut(Schema):
    person_id: int
    name: str
    classes: list[str]
    trained: bool = Field(..., description="passed the semester's assessment")
    training: ReporterTrainingOut | None


class HealthReportersOut(Schema):
    semester_id: int | None
    items: list[HealthReporterOut]
    untrained: int


@router.get("/reporters", auth=needs("health.view_reportertraining"), response={200: HealthReportersOut, **ERRORS})
def reporter_list(request: HttpRequest, semester_id: Id | None = None):
    """F8: the class reporters (head teachers of active classes) with their training and assessment of the semester
    (default: the semester covering today)."""
    if semester_id:
        semester = in_scope(Semester.objects.visible_to(request.user), request, semester_id)
    else:
        semester = selectors.current_semester(request.user.district_id, timezone.localdate())
    rows = selectors.reporters(user=request.user, semester=semester)
    untrained = sum(1 for row in rows if not row["trained"])
    return {"semester_id": semester.pk if semester else None, "items": rows, "untrained": untrained}


class ReporterTrainingIn(Input):
    semester_id: Id
    person_id: Id
    trained_on: dt.date
    assessment: Assessment = Assessment.PENDING
    hours: Decimal | None = Field(None, ge=0, max_digits=4, decimal_places=1)
    score: int | None = Field(None, ge=0, le=100)
    note: str = Field("", max_length=200)


@router.post(
    "/reporters/training", auth=needs("health.add_reportertraining"), response={200: ReporterTrainingOut, **ERRORS}
)
def training_record(request: HttpRequest, payload: ReporterTrainingIn):
    """Record or correct a reporter's training of a semester (one per reporter and semester)."""
    person = in_scope(Person.objects, request, payload.person_id)
    semester = in_scope(Semester.objects.visible_to(request.user), request, payload.semester_id)
    training = services.training_record(
        actor=request.user,
        school=person.school,
        semester=semester,
        person=person,
        **payload.dict(exclude={"semester_id", "person_id"}),
    )
    return in_scope(selectors.trainings(user=request.user), request, training.pk)


class HealthStaffingOut(Schema):
    school_id: int
    students: int
    needed: int = Field(..., description="full-time health workers needed: ceil(students / 600) (art. 20)")
    full_time: int
    part_time: int
    short: bool = Field(..., description="fewer full-time health workers than needed")


def _staffing(request: HttpRequest) -> dict[str, Any]:
    school = request.user.school
    if school is None:
        raise PermissionDenied(str(FORBIDDEN))
    needed, have = selectors.health_staffing(school)
    record = HealthStaffing.objects.filter(school=school).first()
    students = Student.objects.filter(school=school, is_active=True).count()
    part_time = record.part_time if record else 0
    return {
        "school_id": school.pk,
        "students": students,
        "needed": needed,
        "full_time": have,
        "part_time": part_time,
        "short": have < needed,
    }


@router.get("/staffing", auth=needs("health.view_healthstaffing"), response={200: HealthStaffingOut, **ERRORS})
def staffing_get(request: HttpRequest):
    """F7: the school's health staff against 1 full-time health worker per 600 students."""
    return _staffing(request)


class HealthStaffingIn(Input):
    full_time: int = Field(..., ge=0, le=100)
    part_time: int = Field(0, ge=0, le=100)


@router.put("/staffing", auth=needs("health.change_healthstaffing"), response={200: HealthStaffingOut, **ERRORS})
def staffing_put(request: HttpRequest, payload: HealthStaffingIn):
    if request.user.school is None:
        raise PermissionDenied(str(FORBIDDEN))
    services.staffing_set(actor=request.user, school=request.user.school, **payload.dict())
    return _staffing(request)


class DiseaseThresholdOut(Schema):
    disease: str
    class_day: int = Field(..., description="cases in a class in one day that raise an alert (at least)")
    class_3_days: int = Field(..., description="cases in a class over 3 days above which an alert is raised")
    school_cases: int = Field(..., description="cases in the school within school_days that raise an alert")
    school_days: int


@router.get(
    "/disease-thresholds", auth=needs("health.view_school_health"), response={200: list[DiseaseThresholdOut], **ERRORS}
)
def disease_thresholds(request: HttpRequest, date: dt.date | None = None):
    """F3/F4: the per-disease cluster thresholds in force for the user's school, or the district's for bureau staff
    (settings health.<disease>_*)."""
    day, user = date or timezone.localdate(), request.user
    rules = services.disease_thresholds(user.school, day, district_id=user.district_id)
    return [{"disease": code, **rule} for code, rule in rules.items()]


class HealthMassUnknownOut(Schema):
    class_name: str
    absences: int


class HealthTodayOut(Schema):
    date: dt.date
    checked: int
    classes: int
    missing: int
    open_alerts: int
    unknown_not_followed_up: int
    mass_unknown: list[HealthMassUnknownOut]
    mass_unknown_school: int | None
    untrained_reporters: list[str]
    staff_needed: int | None
    staff_have: int | None


@router.get("/today", auth=needs("health.view_school_health"), response={200: HealthTodayOut, **ERRORS})
def today(request: HttpRequest):
    """The doctor's day in figures (the dashboard): checks done, missing checks, open alerts, unknown absences
    and a mass of them past the follow-up cut-off, untrained class reporters (F8) and the staffing (F7)."""
    data = selectors.dashboard(user=request.user, day=timezone.localdate())
    return {
        "date": data["today"],
        "checked": data["checked"],
        "classes": data["classes"],
        "missing": len(data["missing"]),
        "open_alerts": len(data["alerts"]),
        "unknown_not_followed_up": len(data["unknown"]),
        "mass_unknown": [{"class_name": name, "absences": n} for name, n in data["mass_unknown"]],
        "mass_unknown_school": data["mass_unknown_school"],
        "untrained_reporters": [teacher for teacher, _classes in data["untrained"]],
        "staff_needed": data.get("staff_needed"),
        "staff_have": data.get("staff_have"),
    }
