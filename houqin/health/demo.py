"""Demo health records: a semester up to today of morning and noon checks for every class of the demo schools (a few
missed), absences with their follow-up and return, a norovirus-like cluster in one class that raised an alert (and
was reported), observation-room visits, and disinfection schedules with their records (a few missed). Protective
supplies (口罩, 84消毒液, 体温计, 测温仪) are already stock items of the stock demo."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from houqin.demo.registry import DemoContext, DemoSchool, register_step
from houqin.health import services
from houqin.health.choices import Frequency, Outcome, Reason, Session, Symptom
from houqin.health.models import (
    ClassCheck,
    DisinfectionRecord,
    DisinfectionSchedule,
    HealthAlert,
    ObservationVisit,
    StudentCase,
)
from houqin.orgs.models import Student

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import SchoolClass

HOLIDAYS = {dt.date(2026, 10, d) for d in range(1, 8)}  # 国庆
# symptoms, diagnosis, notifiable disease, weight (influenza and chickenpox are rare outside the cluster)
ILLNESSES = (
    (["fever", "cough"], "上呼吸道感染", ""),
    (["fever", "sore_throat"], "急性扁桃体炎", ""),
    (["cough"], "支气管炎", ""),
    (["diarrhoea"], "急性肠胃炎", ""),
    (["headache", "fatigue"], "", ""),
    (["fever", "cough", "sore_throat"], "流行性感冒", "influenza"),
    (["rash", "fever"], "水痘", "chickenpox"),
)
ILLNESS_WEIGHTS = (8, 6, 6, 5, 4, 1, 1)
PERSONAL = ("家中有事", "随家长外出", "参加市级比赛")
CLUSTER_CLASS_INDEX = 7  # 二年级三班 in 实验小学
# area use or name, agent, minimum mg/L, contact minutes, frequency
SCHEDULES = (
    ("classroom", "含氯消毒剂（84消毒液 1:100）", "500", 30, Frequency.DAILY),
    ("toilet", "含氯消毒剂（84消毒液 1:50）", "1000", 30, Frequency.DAILY),
    ("canteen", "含氯消毒剂（餐桌）", "250", 10, Frequency.DAILY),
    ("sports", "含氯消毒剂（器材）", "500", 30, Frequency.WEEKLY),
)


def _school_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in days if day.weekday() < 5 and day not in HOLIDAYS]


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    # Minutes are added, not put into dt.time(): an offset past :59 rolls into the next hour instead of failing.
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)) + dt.timedelta(minutes=minute))


class _Builder:
    """Rows of one school, built in memory and inserted in a few bulk statements."""

    def __init__(self, ctx: DemoContext, demo: DemoSchool, checker: User, days: list[dt.date]):
        self.ctx, self.demo, self.rng, self.checker, self.days = ctx, demo, ctx.rng, checker, days
        self.roll = {c.pk: list(Student.objects.filter(school_class=c).order_by("id")) for c in demo.classes}
        self.checks: list[ClassCheck] = []
        # The demo head teacher's class is left for them to check today.
        login = ctx.users.get("headteacher")
        self.own = {login.person_id} if login is not None and login.person_id else set()
        self.cases: list[tuple[ClassCheck, StudentCase]] = []

    def absences_for(self, rng: random.Random, students: list[Student], day: dt.date) -> list[StudentCase]:
        count = rng.choices((0, 1, 2, 3), weights=(55, 30, 12, 3))[0]
        cases = []
        for student in rng.sample(students, count):
            reason = rng.choices((Reason.ILLNESS, Reason.PERSONAL, Reason.UNKNOWN), weights=(60, 28, 12))[0]
            case = StudentCase(
                school=self.demo.school, student=student, school_class=student.school_class, date=day, reason=reason
            )
            if reason == Reason.ILLNESS:
                symptoms, diagnosis, disease = rng.choices(ILLNESSES, weights=ILLNESS_WEIGHTS)[0]
                case.symptoms, case.diagnosis, case.disease = symptoms, diagnosis, disease
                case.onset_on = day - dt.timedelta(days=rng.randint(0, 1))
                case.visited_doctor = bool(diagnosis)
                case.institution = "区人民医院" if diagnosis else ""
                if "fever" in symptoms:
                    high = disease == "influenza"
                    case.temperature = Decimal(rng.choice(("38.6", "39.0") if high else ("37.5", "37.7", "37.9")))
            cases.append(case)
        return cases

    def follow_up_and_return(self, case: StudentCase, today: dt.date) -> None:
        rng = self.rng
        if case.reason == Reason.UNKNOWN and case.date < today:
            case.contacted_at = _at(case.date, 9, rng.randint(0, 50))
            case.family_answer, case.reason = rng.choice(
                (("孩子发烧在家休息", Reason.ILLNESS), ("家中有事", Reason.PERSONAL))
            )
            if case.reason == Reason.ILLNESS:
                case.symptoms, case.temperature = ["fever"], Decimal("38.0")
        elif case.reason == Reason.PERSONAL:
            case.family_answer = rng.choice(PERSONAL)
        back = case.date + dt.timedelta(days=rng.randint(1, 4 if case.disease else 2))
        if back < today:
            case.returned_on = back
            if case.disease:
                case.certificate_ref = f"区人民医院复课证明 {rng.randint(100, 999)}"

    def build(self, today: dt.date, now: dt.datetime) -> None:
        rng = self.rng
        for day in self.days:
            sessions = [Session.MORNING]
            if day < today or now >= _at(day, 14, 0):
                sessions.append(Session.NOON)
            for index, school_class in enumerate(self.demo.classes):
                students = self.roll[school_class.pk]
                if not students or (day == today and (index % 11 == 3 or school_class.head_teacher_id in self.own)):
                    continue  # a few classes have not checked yet today
                absences = self.absences_for(rng, students, day)
                for case in absences:
                    self.follow_up_and_return(case, today)
                for session in sessions:
                    if day < today and rng.random() < 0.004:
                        continue  # missed
                    self.check(school_class, day, session, len(students), absences)

    def check(
        self, school_class: SchoolClass, day: dt.date, session: str, enrolled: int, absences: list[StudentCase]
    ) -> None:
        hour, minute = (7, 30) if session == Session.MORNING else (13, 20)
        check = ClassCheck(
            school=self.demo.school,
            school_class=school_class,
            date=day,
            session=session,
            enrolled=enrolled,
            present=enrolled - len(absences),
            absent=len(absences),
            symptomatic=sum(1 for case in absences if case.symptoms),
            checked_by=self.checker,
            checked_at=_at(day, hour, minute + self.rng.randint(0, 20)),
        )
        self.checks.append(check)
        for case in absences:
            copy = StudentCase(
                **{
                    f.attname: getattr(case, f.attname)
                    for f in StudentCase._meta.concrete_fields
                    if f.attname not in ("id", "check_record_id")
                }
            )
            self.cases.append((check, copy))

    def save(self) -> None:
        self.ctx.bulk(self.checks, school=self.demo.school)
        for check, case in self.cases:
            case.check_record = check
        self.ctx.bulk([case for _check, case in self.cases], school=self.demo.school)


def _cluster(ctx: DemoContext, demo: DemoSchool, doctor: User, day: dt.date) -> None:
    """Four pupils of one class with vomiting and diarrhoea the same day (诺如病毒感染): the alert is raised by
    the rule, and the doctor reported it the same morning."""
    school_class = demo.classes[CLUSTER_CLASS_INDEX]
    checks = list(ClassCheck.objects.filter(school_class=school_class, date=day))
    already = set(StudentCase.objects.filter(check_record__in=checks).values_list("student_id", flat=True))
    pupils = [s for s in Student.objects.filter(school_class=school_class).order_by("id") if s.pk not in already][:4]
    cases = [
        StudentCase(
            school=demo.school,
            check_record=check,
            student=s,
            school_class=school_class,
            date=day,
            reason=Reason.ILLNESS,
            symptoms=[Symptom.VOMITING, Symptom.DIARRHOEA],
            onset_on=day,
            visited_doctor=True,
            institution="区妇幼保健院",
            diagnosis="诺如病毒感染",
            disease="norovirus",
            returned_on=day + dt.timedelta(days=3),
            certificate_ref=f"区妇幼保健院复课证明 {n + 201}",
        )
        for check in checks
        for n, s in enumerate(pupils)
    ]
    ctx.bulk(cases, school=demo.school)
    ClassCheck.objects.filter(pk__in=[c.pk for c in checks]).update(
        absent=F("absent") + len(pupils), present=F("present") - len(pupils), symptomatic=F("symptomatic") + len(pupils)
    )
    raised = _at(day, 8, 40)
    for alert in services.raise_alerts(school_class=school_class, day=day):
        HealthAlert.objects.filter(pk=alert.pk).update(
            raised_at=raised,
            report_due_at=raised + dt.timedelta(hours=24),
            reported_at=raised + dt.timedelta(hours=2),
            reported_by=doctor,
            report_note="已电话报告区疾控中心及区教育局，教室终末消毒",
        )


def _observation(ctx: DemoContext, demo: DemoSchool, doctor: User, days: list[dt.date]) -> None:
    rng, rows = ctx.rng, []
    students = list(Student.objects.filter(school=demo.school).order_by("id")[:400])
    for day in rng.sample(days[:-1], min(14, len(days) - 1)):
        came = _at(day, rng.randint(8, 15), rng.randint(0, 59))
        outcome = rng.choice((Outcome.BACK_TO_CLASS, Outcome.SENT_HOME, Outcome.SENT_HOME, Outcome.HOSPITAL))
        rows.append(
            ObservationVisit(
                school=demo.school,
                student=rng.choice(students),
                came_at=came,
                temperature=Decimal(rng.choice(("37.4", "37.9", "38.3", "38.8"))),
                symptoms=["fever"],
                measures="物理降温，测体温，通知家长",
                parent_notified_at=came + dt.timedelta(minutes=10),
                left_at=came + dt.timedelta(minutes=rng.randint(30, 90)),
                outcome=outcome,
                recorded_by=doctor,
            )
        )
    now = timezone.now()
    rows.append(
        ObservationVisit(
            school=demo.school,
            student=rng.choice(students),
            came_at=now - dt.timedelta(minutes=20),
            temperature=Decimal("38.1"),
            symptoms=["fever", "headache"],
            measures="物理降温",
            recorded_by=doctor,
            parent_notified_at=now - dt.timedelta(minutes=15),
        )
    )
    ctx.bulk(sorted(rows, key=lambda v: v.came_at), school=demo.school)


def _disinfection(ctx: DemoContext, demo: DemoSchool, actor: User, days: list[dt.date]) -> None:
    rng, places = ctx.rng, list(demo.places.values())
    department = demo.departments.get("总务处")
    schedules = []
    for use, agent, minimum, minutes, frequency in SCHEDULES:
        for place in [p for p in places if p.use == use][: 3 if use == "classroom" else 1]:
            schedules.append(
                DisinfectionSchedule(
                    school=demo.school,
                    area=place,
                    department=department,
                    agent=agent,
                    min_concentration=Decimal(minimum),
                    contact_minutes=minutes,
                    frequency=frequency,
                )
            )
    schedules = ctx.bulk(schedules, school=demo.school)
    records = []
    for schedule in schedules:
        for day in days:
            if schedule.frequency == Frequency.WEEKLY and day.weekday() != 4:
                continue
            if day == days[-1] or rng.random() < 0.03:
                continue  # missed (and today's not done yet)
            records.append(
                DisinfectionRecord(
                    school=demo.school,
                    schedule=schedule,
                    done_at=_at(day, 16, rng.randint(30, 59)),
                    agent=schedule.agent,
                    concentration=schedule.min_concentration + rng.choice((0, 0, 50, 100)),
                    contact_minutes=schedule.contact_minutes + rng.choice((0, 5)),
                    operator=rng.choice(("王保洁", "刘保洁")),
                    recorded_by=actor,
                )
            )
    ctx.bulk(records, school=demo.school)


@register_step(order=300)
def health(ctx: DemoContext) -> None:
    today, now = timezone.localdate(), timezone.now()
    semester = next((s for s in ctx.semesters if s.starts_on <= today <= s.ends_on), ctx.semesters[0])
    days = _school_days(max(semester.starts_on, today - dt.timedelta(days=140)), today)
    if not days:
        return
    doctor = ctx.users["doctor"]
    for index, demo in enumerate(ctx.schools):
        checker = doctor if index == 0 else ctx.users.get("logistics2", doctor)
        builder = _Builder(ctx, demo, checker, days)
        builder.build(today, now)
        builder.save()
    cluster_day = days[-8] if len(days) > 8 else days[0]
    _cluster(ctx, ctx.schools[0], doctor, cluster_day)
    _observation(ctx, ctx.schools[0], doctor, days)
    _disinfection(ctx, ctx.schools[0], ctx.users["logistics"], days)
