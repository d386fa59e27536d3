from django.test import TestCase

from houqin.accounts.models import User
from houqin.demo.builder import build
from houqin.visitors.models import BlacklistEntry, StaffOuting, Visit


class GateDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build()
        cls.guard = User.objects.get(username="guard")

    def test_a_week_of_confirmed_visitors(self):
        visits = Visit.objects.visible_to(self.guard)
        self.assertGreaterEqual(visits.count(), 10)
        self.assertFalse(visits.filter(host_confirmed_by="").exists())

    def test_a_blacklist_entry_and_staff_going_out(self):
        self.assertTrue(BlacklistEntry.objects.visible_to(self.guard).exists())
        self.assertTrue(StaffOuting.objects.visible_to(self.guard).filter(back_at__isnull=True).exists())
