import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from houqin.core.models import AuditEvent, Notification
from houqin.core.services import policy_set
from houqin.core.testing import HouqinTestCase
from houqin.health import selectors, services
from houqin.health.choices import AlertKind, Session
from houqin.health.models import ClassCheck, HealthAlert, ObservationVisit, StudentCase
from houqin.health.tests.factories import make_class, students

TODAY = timezone.localdate()


def absent(student, reason="illness", symptoms=("cough",), **fields):
    return {"student": student, "reason": reason, "symptoms": list(symptoms), **fields}


class CheckTestCase(HouqinTestCase):
    def setUp(self):
        self.school_class = make_class(self.school_a, head_teacher_user=self.headteacher)
        self.kids = students(self.school_class)

    def submit(self, *, actor=None, day=TODAY, session=Session.MORNING, absences=(), unwell=(), present=None, **kw):
        absences = list(absences)
        present = len(self.kids) - len(absences) if present is None else present
        return services.check_submit(
            actor=actor or self.headteacher,
            school_class=self.school_class,
            date=day,
            session=session,
            present=present,
            absent=len(absences),
            absences=absences,
            unwell=list(unwell),
            **kw,
        )


class CheckSubmitTests(CheckTestCase):
    def test_the_head_teacher_records_the_morning_check_with_its_absences(self):
        check = self.submit(absences=[absent(self.kids[0]), absent(self.kids[1], reason="personal", symptoms=())])
        self.assertEqual((check.present, check.absent, check.enrolled, check.symptomatic), (8, 2, 10, 1))
        self.assertEqual(StudentCase.objects.filter(check_record=check).count(), 2)
        self.assertAudited(check, "health.classcheck.created", actor=self.headteacher)

    def test_another_head_teachers_class_is_refused_but_the_doctor_may_check_any_class(self):
        with self.assertRaises(PermissionDenied):
            self.submit(actor=self.teacher)
        other = make_class(self.school_a, name="四年级一班")
        with self.assertRaises(PermissionDenied):
            services.check_submit(
                actor=self.headteacher, school_class=other, date=TODAY, session="morning", present=10, absent=0
            )
        self.assertEqual(self.submit(actor=self.doctor).checked_by, self.doctor)

    def test_counts_must_add_up_to_the_roll(self):
        with self.assertRaises(ValidationError) as raised:
            self.submit(present=8)
        self.assertIn("present", raised.exception.message_dict)
        self.assertFalse(ClassCheck.objects.exists())

    def test_every_absent_student_needs_an_entry(self):
        with self.assertRaises(ValidationError) as raised:
            services.check_submit(
                actor=self.headteacher,
                school_class=self.school_class,
                date=TODAY,
                session="morning",
                present=9,
                absent=1,
                absences=[],
            )
        self.assertIn("absences", raised.exception.message_dict)

    def test_a_second_check_of_the_same_session_is_refused_the_other_session_is_not(self):
        self.submit()
        with self.assertRaises(ValidationError) as raised:
            self.submit()
        self.assertFalse(hasattr(raised.exception, "error_dict"))  # a broken rule, not a field: 409 in the API
        self.submit(session=Session.NOON)
        self.assertEqual(ClassCheck.objects.count(), 2)

    def test_a_temperature_of_60_is_refused_naming_the_field_and_nothing_is_saved(self):
        with self.assertRaises(ValidationError) as raised:
            self.submit(absences=[absent(self.kids[0], temperature=Decimal("60"))])
        self.assertIn("absences.0.temperature", raised.exception.message_dict)
        self.assertFalse(ClassCheck.objects.exists() or StudentCase.objects.exists())

    def test_an_illness_absence_needs_symptoms_and_a_student_of_the_class(self):
        with self.assertRaises(ValidationError):
            self.submit(absences=[absent(self.kids[0], symptoms=())])
        stranger = students(make_class(self.school_a, name="五年级一班", size=1))[0]
        with self.assertRaises(ValidationError) as raised:
            self.submit(absences=[absent(stranger)])
        self.assertIn("absences.0.student_id", raised.exception.message_dict)

    def test_a_check_in_the_future_is_refused(self):
        with self.assertRaises(ValidationError):
            self.submit(day=TODAY + dt.timedelta(days=1))

    def test_a_correction_is_audited_with_old_and_new_counts(self):
        check = self.submit()
        services.check_correct(actor=self.doctor, check=check, present=9, absent=1, symptomatic=0, note="漏报")
        event = self.assertAudited(check, "health.classcheck.updated", actor=self.doctor)
        self.assertEqual(event.changes["present"], [10, 9])


class FeverTests(CheckTestCase):
    def test_37_2_is_not_a_fever(self):
        self.submit(unwell=[{"student": self.kids[0], "symptoms": ["headache"], "temperature": Decimal("37.2")}])
        self.assertFalse(ObservationVisit.objects.exists())
        self.assertFalse(HealthAlert.objects.filter(kind=AlertKind.FEVER).exists())

    def test_37_3_opens_an_observation_visit_and_tells_the_doctor_and_head_teacher(self):
        self.submit(unwell=[{"student": self.kids[0], "temperature": Decimal("37.3")}])
        case = StudentCase.objects.get()
        self.assertEqual(case.symptoms, ["fever"])
        self.assertEqual(ObservationVisit.objects.get().student, self.kids[0])
        self.assertTrue(HealthAlert.objects.filter(kind=AlertKind.FEVER, student=self.kids[0]).exists())
        told = set(Notification.objects.filter(kind="health.fever").values_list("recipient__username", flat=True))
        self.assertEqual(told, {"doctor", "headteacher"})

    def test_the_threshold_is_a_policy(self):
        policy_set(
            actor=self.bureau_admin,
            key="health.fever_threshold",
            value="37.5",
            district=self.district,
            effective_from=TODAY - dt.timedelta(days=1),
        )
        self.submit(unwell=[{"student": self.kids[0], "symptoms": ["cough"], "temperature": Decimal("37.4")}])
        self.assertFalse(ObservationVisit.objects.exists())


class ClusterTests(CheckTestCase):
    def test_2_cases_in_a_day_raise_nothing_3_raise_one_alert_with_a_24_hour_deadline(self):
        self.submit(absences=[absent(k, symptoms=["vomiting"]) for k in self.kids[:2]])
        self.assertFalse(HealthAlert.objects.filter(kind=AlertKind.CLASS_DAY).exists())
        self.submit(session=Session.NOON, present=7, absences=[absent(k, symptoms=["vomiting"]) for k in self.kids[:3]])
        alert = HealthAlert.objects.get(kind=AlertKind.CLASS_DAY)
        self.assertEqual((alert.cases, alert.symptom, alert.school_class), (3, "vomiting", self.school_class))
        self.assertEqual(alert.report_due_at - alert.raised_at, dt.timedelta(hours=24))

    def test_the_alert_is_raised_once(self):
        self.submit(absences=[absent(k, symptoms=["vomiting"]) for k in self.kids[:3]])
        self.submit(session=Session.NOON, absences=[absent(k, symptoms=["vomiting"]) for k in self.kids[:4]])
        self.assertEqual(HealthAlert.objects.filter(kind=AlertKind.CLASS_DAY).count(), 1)

    def test_different_symptoms_are_not_similar(self):
        symptoms = (["cough"], ["rash"], ["diarrhoea"])
        self.submit(absences=[absent(k, symptoms=s) for k, s in zip(self.kids, symptoms, strict=False)])
        self.assertFalse(HealthAlert.objects.exists())

    def _days(self, per_day):
        kids = iter(self.kids)
        for offset, count in zip((2, 1, 0), per_day, strict=True):
            self.submit(day=TODAY - dt.timedelta(days=offset), absences=[absent(next(kids)) for _n in range(count)])

    def test_5_cases_over_3_days_raise_nothing(self):
        self._days((2, 2, 1))
        self.assertFalse(HealthAlert.objects.exists())

    def test_6_cases_over_3_days_raise_the_3_day_alert(self):
        self._days((2, 2, 2))
        alert = HealthAlert.objects.get()
        self.assertEqual((alert.kind, alert.cases, alert.date), (AlertKind.CLASS_3_DAYS, 6, TODAY))

    def _ili(self, sizes):
        for n, size in enumerate(sizes):
            school_class = make_class(self.school_a, name=f"六年级{n + 1}班", size=2)
            services.check_submit(
                actor=self.doctor,
                school_class=school_class,
                date=TODAY - dt.timedelta(days=len(sizes) - 1 - n),
                session="morning",
                present=2 - size,
                absent=size,
                absences=[absent(k, symptoms=["cough"], temperature="38.5") for k in students(school_class)[:size]],
            )

    def test_9_influenza_like_cases_in_the_school_over_7_days_raise_no_ili_alert(self):
        self._ili((2, 2, 2, 2, 1))
        self.assertFalse(HealthAlert.objects.filter(kind=AlertKind.ILI_7_DAYS).exists())

    def test_10_influenza_like_cases_in_the_school_over_7_days_raise_the_ili_alert(self):
        self._ili((2, 2, 2, 2, 2))
        self.assertEqual(HealthAlert.objects.get(kind=AlertKind.ILI_7_DAYS).cases, 10)


class FollowUpAndReturnTests(CheckTestCase):
    def setUp(self):
        super().setUp()
        self.submit(
            absences=[absent(self.kids[0], reason="unknown", symptoms=()), absent(self.kids[1], disease="chickenpox")]
        )
        self.unknown = StudentCase.objects.get(student=self.kids[0])
        self.chickenpox = StudentCase.objects.get(student=self.kids[1])

    def test_unknown_absences_not_followed_up_are_listed(self):
        self.assertEqual(list(selectors.unknown_not_followed_up(user=self.doctor, day=TODAY)), [self.unknown])

    def test_the_follow_up_records_the_familys_answer_the_same_day(self):
        services.case_follow_up(
            actor=self.headteacher,
            case=self.unknown,
            family_answer="发烧在家休息",
            reason="illness",
            symptoms=["fever"],
        )
        self.unknown.refresh_from_db()
        self.assertEqual((self.unknown.reason, self.unknown.symptoms), ("illness", ["fever"]))
        self.assertEqual(list(selectors.unknown_not_followed_up(user=self.doctor, day=TODAY)), [])

    def test_a_follow_up_on_another_day_is_refused(self):
        yesterday = timezone.now() - dt.timedelta(days=1)
        with self.assertRaises(ValidationError) as raised:
            services.case_follow_up(
                actor=self.headteacher, case=self.unknown, family_answer="事假", contacted_at=yesterday
            )
        self.assertIn("contacted_at", raised.exception.message_dict)

    def test_another_head_teacher_cannot_follow_up(self):
        with self.assertRaises(PermissionDenied):
            services.case_follow_up(actor=self.headteacher_b, case=self.unknown, family_answer="事假")

    def test_a_return_after_a_listed_disease_needs_a_certificate(self):
        with self.assertRaises(ValidationError) as raised:
            services.case_return(actor=self.headteacher, case=self.chickenpox)
        self.assertIn("certificate", raised.exception.message_dict)
        services.case_return(actor=self.headteacher, case=self.chickenpox, certificate_ref="区妇幼保健院 2026-118")
        self.chickenpox.refresh_from_db()
        self.assertEqual(self.chickenpox.returned_on, TODAY)
        self.assertNotIn(self.chickenpox, selectors.open_absences(user=self.headteacher))

    def test_an_ordinary_absence_returns_without_a_certificate(self):
        services.case_return(actor=self.headteacher, case=self.unknown)
        with self.assertRaises(ValidationError):
            services.case_return(actor=self.headteacher, case=self.unknown)


class CutoffTests(CheckTestCase):
    def test_the_cutoff_comes_from_the_policy_in_local_time(self):
        cutoff = selectors.check_cutoff(self.school_a, TODAY, Session.MORNING)
        self.assertEqual(timezone.localtime(cutoff).strftime("%H:%M"), "08:30")
        self.assertEqual(timezone.localtime(selectors.check_cutoff(self.school_a, TODAY, "noon")).hour, 14)

    def test_a_class_is_missing_only_after_the_cutoff(self):
        monday = TODAY - dt.timedelta(days=TODAY.weekday() + 7)
        at = lambda h, m: timezone.make_aware(dt.datetime.combine(monday, dt.time(h, m)))  # noqa: E731
        self.assertEqual(selectors.missing_checks(user=self.doctor, day=monday, now=at(8, 29)), [])
        self.assertEqual(
            selectors.missing_checks(user=self.doctor, day=monday, now=at(8, 30)), [(self.school_class, "morning")]
        )
        self.submit(day=monday)
        self.assertEqual(selectors.missing_checks(user=self.doctor, day=monday, now=at(9, 0)), [])
        self.assertEqual(len(selectors.missing_checks(user=self.doctor, day=monday, now=at(14, 0))), 1)

    def test_no_check_is_missing_on_a_weekend(self):
        saturday = TODAY - dt.timedelta(days=TODAY.weekday() - 5 if TODAY.weekday() >= 5 else TODAY.weekday() + 2)
        self.assertEqual(selectors.missing_checks(user=self.doctor, day=saturday), [])


class ScopeTests(CheckTestCase):
    def test_a_head_teacher_sees_only_their_class_the_doctor_the_school(self):
        other = make_class(self.school_a, name="四年级一班")
        self.submit()
        services.check_submit(
            actor=self.doctor, school_class=other, date=TODAY, session="morning", present=10, absent=0
        )
        self.assertEqual(selectors.checks(user=self.headteacher).count(), 1)
        self.assertEqual(selectors.checks(user=self.doctor).count(), 2)
        self.assertEqual(selectors.checks(user=self.doctor_b).count(), 0)

    def test_the_daily_report_counts_the_morning_check_per_school(self):
        self.submit(absences=[absent(self.kids[0]), absent(self.kids[1], reason="personal", symptoms=())])
        rows = {r["school_name"]: r for r in selectors.daily_report(user=self.bureau, day=TODAY)}
        self.assertEqual(set(rows), {"实验小学", "中南路小学"})
        a = rows["实验小学"]
        self.assertEqual(
            (a["classes_checked"], a["classes_total"], a["enrolled"], a["present"], a["absent"]), (1, 1, 10, 8, 2)
        )
        self.assertEqual((a["illness_absent"], a["by_symptom"]), (1, {"cough": 1}))
        self.assertEqual(rows["中南路小学"]["classes_checked"], 0)


class AuditOfReadsTests(CheckTestCase):
    def test_reading_a_case_is_audited(self):
        self.submit(absences=[absent(self.kids[0])])
        case = StudentCase.objects.get()
        services.case_viewed(actor=self.doctor, case=case)
        self.assertTrue(AuditEvent.objects.filter(action="health.studentcase.viewed", actor=self.doctor).exists())


class StaffingTests(CheckTestCase):
    def test_one_health_worker_per_600_students(self):
        self.assertEqual(selectors.health_staffing(self.school_a), (1, 1))
        make_class(self.school_a, name="六年级九班", size=600)
        self.assertEqual(selectors.health_staffing(self.school_a), (2, 1))


class DiseaseTests(CheckTestCase):
    def test_a_notifiable_disease_is_a_report_immediately_task_for_the_doctor(self):
        self.submit(absences=[absent(self.kids[0], symptoms=["rash"], disease="chickenpox")])
        told = Notification.objects.filter(kind="health.disease")
        self.assertEqual(list(told.values_list("recipient__username", flat=True)), ["doctor"])
