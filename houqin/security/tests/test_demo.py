import datetime as dt

from django.test import TestCase
from django.utils import timezone

from houqin.demo.builder import build
from houqin.orgs.models import School
from houqin.security import selectors
from houqin.security.models import Camera, PatrolLog


class SecurityDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build()
        cls.school = School.objects.get(name="实验小学")

    def test_a_term_of_patrols_with_some_days_short(self):
        self.assertGreater(PatrolLog.objects.filter(school=self.school).count(), 100)
        today = timezone.localdate()
        days = selectors.patrol_days(self.school, today - dt.timedelta(days=60), today - dt.timedelta(days=1))
        self.assertTrue(any(day.short for day in days))
        self.assertTrue(any(not day.short for day in days))

    def test_six_cameras_one_in_fault(self):
        self.assertEqual(Camera.objects.filter(school=self.school).count(), 6)
        self.assertEqual(selectors.cameras_in_fault(self.school), 1)
