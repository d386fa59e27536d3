import datetime as dt
from unittest import mock

from django.db.models import Count, F, Q
from django.test import TestCase
from django.utils import timezone

from houqin.accounts.models import User
from houqin.demo.builder import build
from houqin.health.choices import AlertKind
from houqin.health.models import ClassCheck, DisinfectionRecord, HealthAlert, ObservationVisit


class HealthDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build()
        cls.doctor = User.objects.get(username="doctor")

    def test_a_semester_of_checks_that_add_up(self):
        checks = ClassCheck.objects.visible_to(self.doctor)
        self.assertGreater(checks.count(), 1000)
        self.assertFalse(checks.exclude(enrolled=F("present") + F("absent")).exists())
        listed = checks.annotate(n=Count("cases", filter=Q(cases__is_absent=True)))
        self.assertFalse(listed.exclude(absent=F("n")).exists())

    def test_the_cluster_raised_an_alert_that_was_reported(self):
        alert = HealthAlert.objects.filter(school=self.doctor.school, kind=AlertKind.CLASS_DAY).first()
        self.assertIsNotNone(alert)
        self.assertGreaterEqual(alert.cases, 3)
        self.assertIsNotNone(alert.reported_at)

    def test_disinfection_records_meet_their_minimum_and_observation_visits_exist(self):
        records = DisinfectionRecord.objects.visible_to(self.doctor)
        self.assertGreater(records.count(), 50)
        self.assertFalse(records.filter(concentration__lt=F("schedule__min_concentration")).exists())
        self.assertTrue(ObservationVisit.objects.visible_to(self.doctor).filter(left_at__isnull=True).exists())


class DemoClockTests(TestCase):
    """The demo's times must not depend on the time of day it is built at."""

    def test_times_past_the_hour_roll_over(self):
        from houqin.health.demo import _at

        day = dt.date(2026, 11, 20)
        self.assertEqual(timezone.localtime(_at(day, 13, 75)).time(), dt.time(14, 15))
        self.assertEqual(timezone.localtime(_at(day, 23, 59)).time(), dt.time(23, 59))

    def test_the_demo_builds_late_at_night_and_just_after_midnight(self):
        for local in (dt.datetime(2026, 11, 20, 23, 59, 30), dt.datetime(2026, 11, 23, 0, 0, 5)):
            frozen = timezone.make_aware(local)
            with self.subTest(at=local), mock.patch("django.utils.timezone.now", return_value=frozen):
                build(force=True)
                self.assertTrue(ClassCheck.objects.filter(date__lte=frozen.date()).exists())
