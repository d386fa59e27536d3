"""Per-disease cluster thresholds (F3/F4), unexplained absences not followed up (F3, 5.9), the evening check of
boarding schools (F1), class reporters' training (F8) and health staffing (F7)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from houqin.core.models import Notification
from houqin.core.services import policy_set
from houqin.health import selectors, services
from houqin.health.choices import AlertKind, Assessment, Session
from houqin.health.models import HealthAlert, HealthStaffing, ReporterTraining
from houqin.health.tests.factories import make_class, students
from houqin.health.tests.test_services import CheckTestCase, absent
from houqin.orgs.models import Semester, Student

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


def last_weekday(before: dt.date = TODAY) -> dt.date:
    day = before - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class DiseaseThresholdTests(CheckTestCase):
    def diseased(self, *kids, disease="chickenpox", day=TODAY, session=Session.MORNING):
        return self.submit(
            day=day, session=session, absences=[absent(kid, symptoms=("rash",), disease=disease) for kid in kids]
        )

    def set(self, key, value, school=None):
        policy_set(
            actor=self.bureau_admin,
            key=key,
            value=value,
            district=self.district,
            school=school,
            effective_from=TODAY - dt.timedelta(days=30),
        )

    def disease_alerts(self, kind):
        return HealthAlert.objects.filter(kind=kind)

    def test_by_default_a_disease_follows_the_general_class_rule_of_3_in_a_day(self):
        self.set("health.cluster_cases_per_day", 9)  # the symptom rule out of the way; the disease falls back to it
        self.set("health.chickenpox_class_day", 0)
        self.diseased(*self.kids[:2])
        self.assertFalse(self.disease_alerts(AlertKind.DISEASE_CLASS_DAY).exists())
        rules = services.disease_thresholds(self.school_a, TODAY)
        self.assertEqual(rules["chickenpox"]["class_day"], 9)
        self.assertEqual(rules["chickenpox"]["school_cases"], 5)
        self.assertEqual((rules["measles"]["school_cases"], rules["measles"]["school_days"]), (2, 10))

    def test_three_cases_of_a_disease_in_a_class_raise_its_alert_to_the_reporters(self):
        self.diseased(*self.kids[:3])
        alert = self.disease_alerts(AlertKind.DISEASE_CLASS_DAY).get()
        self.assertEqual((alert.disease, alert.cases, alert.school_class), ("chickenpox", 3, self.school_class))
        told = set(Notification.objects.filter(kind="health.alert").values_list("recipient__username", flat=True))
        self.assertEqual(told, {"doctor", "headteacher"})

    def test_a_school_override_lowers_the_class_threshold_of_one_disease(self):
        self.set("health.chickenpox_class_day", 2, school=self.school_a)
        self.diseased(*self.kids[:2])
        self.assertEqual(self.disease_alerts(AlertKind.DISEASE_CLASS_DAY).get().cases, 2)
        self.diseased(*self.kids[2:4], disease="influenza", session=Session.NOON)
        self.assertFalse(self.disease_alerts(AlertKind.DISEASE_CLASS_DAY).filter(disease="influenza").exists())

    def test_hand_foot_and_mouth_disease_alerts_from_2_cases_in_a_class(self):
        self.diseased(*self.kids[:2], disease="hfmd")
        self.assertTrue(self.disease_alerts(AlertKind.DISEASE_CLASS_DAY).filter(disease="hfmd").exists())

    def test_more_than_the_3_day_threshold_over_3_days_raises_one_alert(self):
        self.set("health.norovirus_class_3_days", 2)
        self.diseased(self.kids[0], disease="norovirus", day=TODAY - dt.timedelta(days=2))
        self.diseased(self.kids[1], disease="norovirus", day=YESTERDAY)
        self.assertFalse(self.disease_alerts(AlertKind.DISEASE_CLASS_3_DAYS).exists())
        self.diseased(self.kids[2], disease="norovirus")
        alert = self.disease_alerts(AlertKind.DISEASE_CLASS_3_DAYS).get()
        self.assertEqual((alert.disease, alert.cases), ("norovirus", 3))
        self.diseased(self.kids[3], disease="norovirus", session=Session.NOON)
        self.assertEqual(self.disease_alerts(AlertKind.DISEASE_CLASS_3_DAYS).count(), 1)

    def test_measles_alerts_school_wide_from_2_cases_in_10_days(self):
        other = make_class(self.school_a, name="五年级一班")
        services.check_submit(
            actor=self.doctor,
            school_class=other,
            date=TODAY - dt.timedelta(days=8),
            session=Session.MORNING,
            present=9,
            absent=1,
            absences=[absent(students(other)[0], symptoms=("rash", "fever"), disease="measles")],
        )
        self.assertFalse(self.disease_alerts(AlertKind.DISEASE_SCHOOL).exists())
        self.diseased(self.kids[0], disease="measles")
        alert = self.disease_alerts(AlertKind.DISEASE_SCHOOL).get()
        self.assertEqual((alert.disease, alert.cases, alert.school_class), ("measles", 2, None))


class UnknownAbsenceTests(CheckTestCase):
    def setUp(self):
        super().setUp()
        policy_set(
            actor=self.bureau_admin,
            key="health.unknown_absences_class",
            value=3,
            district=self.district,
            effective_from=TODAY - dt.timedelta(days=30),
        )

    def unknown(self, count, day=YESTERDAY):
        return self.submit(day=day, absences=[absent(kid, reason="unknown", symptoms=()) for kid in self.kids[:count]])

    def test_many_unknown_absences_not_followed_up_by_the_cut_off_alert_the_doctor_once(self):
        self.unknown(3)
        alert = HealthAlert.objects.get(kind=AlertKind.UNKNOWN_CLASS)
        self.assertEqual((alert.cases, alert.school_class, alert.date), (3, self.school_class, YESTERDAY))
        self.assertEqual(services.raise_unknown_absence_alerts(school=self.school_a, day=YESTERDAY), [])
        self.assertTrue(Notification.objects.filter(kind="health.alert", recipient=self.doctor).exists())

    def test_fewer_than_the_threshold_or_before_the_cut_off_raise_nothing(self):
        self.unknown(2)
        self.assertFalse(HealthAlert.objects.filter(kind=AlertKind.UNKNOWN_CLASS).exists())
        early = at(TODAY, 9, 59)
        self.assertEqual(services.raise_unknown_absence_alerts(school=self.school_a, day=TODAY, now=early), [])

    def test_absences_followed_up_do_not_count(self):
        check = self.submit(day=TODAY, absences=[absent(kid, reason="unknown", symptoms=()) for kid in self.kids[:3]])
        case = check.cases.first()
        services.case_follow_up(actor=self.headteacher, case=case, family_answer="发烧在家")
        late = at(TODAY, 23, 0)
        HealthAlert.objects.filter(kind=AlertKind.UNKNOWN_CLASS).delete()
        self.assertEqual(services.raise_unknown_absence_alerts(school=self.school_a, day=TODAY, now=late), [])

    def test_the_school_threshold_counts_every_class(self):
        policy_set(
            actor=self.bureau_admin,
            key="health.unknown_absences_school",
            value=2,
            district=self.district,
            school=self.school_a,
            effective_from=TODAY - dt.timedelta(days=30),
        )
        self.unknown(2)
        alert = HealthAlert.objects.get(kind=AlertKind.UNKNOWN_SCHOOL)
        self.assertEqual((alert.cases, alert.school_class), (2, None))

    def test_the_doctors_home_page_counts_them_past_the_cut_off(self):
        self.submit(day=TODAY, absences=[absent(kid, reason="unknown", symptoms=()) for kid in self.kids[:3]])
        self.assertEqual(selectors.mass_unknown_now(user=self.doctor, day=TODAY, now=at(TODAY, 11)), 3)
        self.assertEqual(selectors.mass_unknown_now(user=self.doctor, day=TODAY, now=at(TODAY, 9)), 0)
        data = selectors.dashboard(user=self.doctor, day=TODAY, now=at(TODAY, 11))
        self.assertEqual(data["mass_unknown"], [(self.school_class.name, 3)])


class EveningCheckTests(CheckTestCase):
    def test_a_day_school_has_no_evening_check(self):
        with self.assertRaises(ValidationError) as raised:
            self.submit(session=Session.EVENING)
        self.assertIn("session", raised.exception.message_dict)

    def test_a_boarding_school_records_it_and_misses_it_after_the_cut_off(self):
        self.school_a.is_boarding = True
        self.school_a.save()
        day = last_weekday()
        self.assertEqual(self.submit(day=day, session=Session.EVENING).session, Session.EVENING)
        other = make_class(self.school_a, name="六年级一班")
        missing = selectors.missing_checks(user=self.doctor, day=day, now=at(day, 19, 30))
        self.assertIn((other, Session.EVENING), missing)
        self.assertNotIn((self.school_class, Session.EVENING), missing)
        before = selectors.missing_checks(user=self.doctor, day=day, now=at(day, 18, 0))
        self.assertNotIn((other, Session.EVENING), before)
        self.assertEqual(selectors.sessions_for(self.school_a)[-1], Session.EVENING)
        self.assertEqual(selectors.check_cutoff(self.school_a, day, Session.EVENING), at(day, 19, 0))

    def test_the_day_schools_missing_checks_have_no_evening(self):
        day = last_weekday()
        missing = selectors.missing_checks(user=self.doctor, day=day, now=at(day, 21))
        self.assertEqual({session for _c, session in missing}, {Session.MORNING, Session.NOON})


class TrainingTests(CheckTestCase):
    def setUp(self):
        super().setUp()
        self.semester = Semester.objects.create(
            district=self.district,
            name="本学期",
            starts_on=TODAY - dt.timedelta(days=60),
            ends_on=TODAY + dt.timedelta(days=60),
        )

    def record(self, actor=None, **values):
        values = {
            "school": self.school_a,
            "semester": self.semester,
            "person": self.headteacher.person,
            "trained_on": TODAY - dt.timedelta(days=3),
            "assessment": Assessment.PASSED,
            **values,
        }
        return services.training_record(actor=actor or self.doctor, **values)

    def test_the_doctor_records_a_reporters_training_once_per_semester(self):
        training = self.record(assessment=Assessment.FAILED, score=55)
        self.assertFalse(training.is_trained)
        self.assertAudited(training, "health.reportertraining.created", actor=self.doctor)
        again = self.record(score=88)
        self.assertEqual((again.pk, again.assessment, again.score), (training.pk, Assessment.PASSED, 88))
        self.assertEqual(ReporterTraining.objects.count(), 1)

    def test_only_a_head_teacher_within_the_semester_and_by_a_permitted_user(self):
        from houqin.orgs.models import Person

        stranger = Person.objects.create(school=self.school_a, name="王老师")
        with self.assertRaises(ValidationError) as raised:
            self.record(person=stranger)
        self.assertIn("person", raised.exception.message_dict)
        with self.assertRaises(ValidationError) as raised:
            self.record(trained_on=self.semester.starts_on - dt.timedelta(days=1))
        self.assertIn("trained_on", raised.exception.message_dict)
        with self.assertRaises(ValidationError):
            self.record(score=101)
        with self.assertRaises(PermissionDenied):
            self.record(actor=self.headteacher)
        self.assertFalse(ReporterTraining.objects.exists())

    def test_untrained_reporters_are_flagged_until_they_pass(self):
        rows = selectors.reporters(user=self.doctor, semester=self.semester)
        self.assertEqual([(r["name"], r["trained"]) for r in rows], [(self.headteacher.person.name, False)])
        data = selectors.dashboard(user=self.doctor, day=TODAY)
        self.assertEqual(data["untrained"], [(self.headteacher.person.name, [self.school_class.name])])
        self.record()
        self.assertTrue(selectors.reporters(user=self.doctor, semester=self.semester)[0]["trained"])
        self.assertEqual(selectors.dashboard(user=self.doctor, day=TODAY)["untrained"], [])

    def test_no_semester_no_flag(self):
        self.semester.delete()
        self.assertEqual(selectors.dashboard(user=self.doctor, day=TODAY)["untrained"], [])


class StaffingTests(CheckTestCase):
    def test_one_full_time_health_worker_per_600_students_for_schools_not_kindergartens(self):
        self.assertEqual(selectors.staffing_needed(self.school_a, 1201, 600), 3)
        self.assertEqual(selectors.staffing_needed(self.school_a, 600, 600), 1)
        self.assertEqual(selectors.staffing_needed(self.school_a, 0, 600), 0)
        self.school_a.kind = "kindergarten"
        self.assertEqual(selectors.staffing_needed(self.school_a, 1201, 600), 0)

    def test_the_recorded_staff_replace_the_count_of_doctor_accounts(self):
        Student.objects.bulk_create(
            [Student(school=self.school_a, school_class=self.school_class, name=f"学生{n}") for n in range(600)]
        )
        self.assertEqual(selectors.health_staffing(self.school_a), (2, 1))  # 610 students, one doctor account
        staffing = services.staffing_set(actor=self.doctor, school=self.school_a, full_time=0, part_time=1)
        self.assertAudited(staffing, "health.healthstaffing.created", actor=self.doctor)
        self.assertEqual(selectors.health_staffing(self.school_a), (2, 0))
        self.assertEqual(selectors.dashboard(user=self.doctor, day=TODAY)["staff_have"], 0)
        services.staffing_set(actor=self.doctor, school=self.school_a, full_time=2)
        self.assertEqual(HealthStaffing.objects.get().full_time, 2)
        with self.assertRaises(PermissionDenied):
            services.staffing_set(actor=self.principal, school=self.school_a, full_time=5)
