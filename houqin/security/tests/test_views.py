import datetime as dt

from django.urls import reverse
from django.utils import timezone

from houqin.assets.tests.factories import make_asset
from houqin.core.registry import registry
from houqin.core.testing import HouqinTestCase
from houqin.safety.models import Hazard
from houqin.security import services
from houqin.security.models import Camera, GuardShift, PatrolLog
from houqin.security.tests.factories import make_guard, make_route, walk

PAGES = (
    "security:dashboard",
    "security:patrols",
    "security:route_list",
    "security:route_create",
    "security:roster",
    "security:shift_create",
    "security:vetting_list",
    "security:vetting_create",
    "security:camera_list",
    "security:camera_create",
    "security:fire",
    "security:fire_patrol_create",
    "security:fire_inspection_create",
    "security:fire_test_create",
    "security:equipment",
    "security:equipment_create",
)


class SecurityPageTests(HouqinTestCase):
    def setUp(self):
        self.route = make_route(self.safety)
        self.camera = services.camera_create(actor=self.safety, school=self.school_a, name="校门口1号", covers="校门")
        fork = make_asset(self.assetkeeper, "钢叉", "120.00")
        services.equipment_add(actor=self.safety, school=self.school_a, asset=fork, kind="fork")

    def login(self, user):
        self.client.force_login(user, backend="houqin.accounts.backends.RoleBackend")

    def test_every_page_renders_for_the_safety_officer(self):
        self.login(self.safety)
        walk(self.guard, self.route)
        for name in PAGES:
            with self.subTest(page=name):
                self.assertEqual(self.client.get(reverse(name)).status_code, 200)
        for url in (
            self.route.get_absolute_url(),
            self.camera.get_absolute_url(),
            PatrolLog.objects.get().get_absolute_url(),
        ):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_403_without_the_role_and_404_across_schools(self):
        self.login(self.teacher)
        self.assertEqual(self.client.get(reverse("security:patrols")).status_code, 403)
        self.assertEqual(self.client.get(reverse("security:camera_list")).status_code, 403)
        self.login(self.safety_b)
        self.assertEqual(self.client.get(self.camera.get_absolute_url()).status_code, 404)
        self.login(self.guard_b)
        self.assertEqual(self.client.post(reverse("security:patrol_start", args=[self.route.pk])).status_code, 404)

    def test_a_guards_patrol_with_a_finding(self):
        self.login(self.guard)
        response = self.client.post(reverse("security:patrol_start", args=[self.route.pk]))
        log = PatrolLog.objects.get()
        self.assertRedirects(response, log.get_absolute_url())
        first, second = self.route.checkpoints.all()
        tick = reverse("security:patrol_tick", args=[log.pk])
        self.client.post(tick, {"checkpoint": first.pk, "result": "normal"})
        self.client.post(tick, {"checkpoint": second.pk, "result": "finding", "note": "消防通道堆放杂物"})
        self.client.post(reverse("security:patrol_finish", args=[log.pk]))
        log.refresh_from_db()
        self.assertEqual(log.status, "finished")
        self.assertEqual(Hazard.objects.get().title, "消防通道堆放杂物")
        page = self.client.get(log.get_absolute_url())
        self.assertContains(page, Hazard.objects.get().number)

    def test_the_roster_form_refuses_an_unvetted_guard(self):
        self.login(self.safety)
        from houqin.security.tests.factories import make_person

        person = make_person(self.school_a, "钱保安")
        form = {"person": person.pk, "day": str(timezone.localdate()), "starts": "08:00", "ends": "20:00"}
        response = self.client.post(reverse("security:shift_create"), form)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(GuardShift.objects.exists())
        guard = make_guard(self.safety)
        response = self.client.post(reverse("security:shift_create"), {**form, "person": guard.pk})
        self.assertEqual(GuardShift.objects.count(), 1)

    def test_a_camera_fault_from_the_page(self):
        self.login(self.safety)
        self.client.post(reverse("security:camera_fault", args=[self.camera.pk]), {"note": "画面黑屏"})
        self.assertEqual(Camera.objects.get().status, "fault")
        self.assertTrue(Hazard.objects.exists())

    def test_today_lines_for_the_safety_officer(self):
        from django.utils.translation import gettext as _

        from houqin.security.today import items_for

        titles = [item.title for item in items_for(self.safety)]
        self.assertIn(_("Hours with nobody at the gatehouse"), titles)
        self.assertIn(_("Gate equipment checks due"), titles)
        self.assertTrue(any(item.count == 5 for item in items_for(self.guard)))
        self.assertTrue(any(items_for(self.safety) for provider in registry.today_providers if provider is items_for))

    def test_patrol_days_table_lists_a_short_day(self):
        self.login(self.safety)
        yesterday = timezone.now() - dt.timedelta(days=1)
        walk(self.guard, self.route, yesterday)
        response = self.client.get(reverse("security:dashboard"))
        self.assertContains(response, "1 / 5")
