"""Idle timeout: the session is renewed at most once a minute, not written on every request."""

from django.contrib.sessions.models import Session
from django.test import override_settings

from houqin.core.testing import HouqinTestCase


class SessionIdleTests(HouqinTestCase):
    def test_a_busy_user_causes_one_session_write_per_minute_at_most(self):
        self.client.force_login(self.teacher, backend="houqin.accounts.backends.RoleBackend")
        self.client.get("/")
        first = Session.objects.get().expire_date
        self.client.get("/")
        self.assertEqual(Session.objects.get().expire_date, first)

    @override_settings(HOUQIN_SESSION_TOUCH_SECONDS=0)
    def test_activity_after_the_touch_interval_renews_the_expiry(self):
        self.client.force_login(self.teacher, backend="houqin.accounts.backends.RoleBackend")
        self.client.get("/")
        first = Session.objects.get().expire_date
        self.client.get("/")
        self.assertGreaterEqual(Session.objects.get().expire_date, first)
        self.assertIn("_touched", self.client.session)
