from io import BytesIO

from openpyxl import load_workbook

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.core.testing import HouqinTestCase
from houqin.visitors import services
from houqin.visitors.models import BlacklistEntry, StaffOuting, Visit
from houqin.visitors.tests.factories import make_host, register

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class GatePageTests(HouqinTestCase):
    def setUp(self):
        self.host = make_host(self.school_a)

    def login(self, user):
        self.client.force_login(user, backend="houqin.accounts.backends.RoleBackend")

    def form(self, **fields):
        return {
            "name": "王建国",
            "phone": "13812345678",
            "purpose": "送教学资料",
            "host": self.host.pk,
            "host_confirmed_by": "冯老师",
            "id_type": "resident_id",
            "id_tail": "1234",
            **fields,
        }

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("visitors:gate"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_a_teacher_cannot_open_the_gate(self):
        self.login(self.teacher)
        self.assertEqual(self.client.get(reverse("visitors:gate")).status_code, 403)

    def test_the_guard_registers_a_visitor_who_shows_on_campus_then_leaves(self):
        self.login(self.guard)
        response = self.client.post(reverse("visitors:visit_create"), self.form())
        self.assertRedirects(response, reverse("visitors:gate"))
        visit = Visit.objects.get()
        page = self.client.get(reverse("visitors:gate"))
        self.assertEqual(list(page.context["visits"]), [visit])
        self.client.post(reverse("visitors:visit_leave", args=[visit.pk]), {"next": reverse("visitors:gate")})
        self.assertEqual(list(self.client.get(reverse("visitors:gate")).context["visits"]), [])

    def test_without_host_confirmation_the_form_comes_back(self):
        self.login(self.guard)
        response = self.client.post(reverse("visitors:visit_create"), self.form(host_confirmed_by=""))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertFalse(Visit.objects.exists())

    def test_a_blacklist_match_shows_the_warning_and_the_tick(self):
        services.blacklist_add(actor=self.safety, school=self.school_a, name="王建国", reason="法院禁止令")
        self.login(self.guard)
        response = self.client.post(reverse("visitors:visit_create"), self.form())
        self.assertTrue(response.context["form"].blacklist_warning)
        self.assertContains(response, "法院禁止令")
        self.assertContains(response, 'name="blacklist_acknowledged"')
        let_in = self.client.post(reverse("visitors:visit_create"), self.form(blacklist_acknowledged="on"))
        self.assertEqual(let_in.status_code, 302)

    def test_another_schools_visit_is_404(self):
        visit = register(self.guard_b, make_host(self.school_b))
        self.login(self.guard)
        self.assertEqual(self.client.get(visit.get_absolute_url()).status_code, 404)

    def test_the_log_export_keeps_phones_masked(self):
        register(self.guard, self.host)
        self.login(self.principal)
        export = self.client.get(reverse("visitors:visit_list"), {"export": "xlsx"})
        self.assertEqual(export["Content-Type"].split(";")[0], XLSX)
        sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
        cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
        self.assertIn("138****5678", cells)
        self.assertNotIn("13812345678", " ".join(cells))

    def test_list_query_count_does_not_grow_with_rows(self):
        self.login(self.guard)
        register(self.guard, self.host)
        self.client.get(reverse("visitors:visit_list"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("visitors:gate"))
        for n in range(10):
            register(self.guard, make_host(self.school_a, f"老师{n}"), name=f"访客{n}")
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("visitors:gate"))
        self.assertEqual(len(few), len(many))

    def test_staff_going_out_and_back_from_the_pages(self):
        leader = make_host(self.school_a, "刘校长")
        self.login(self.guard)
        response = self.client.post(
            reverse("visitors:outing_create"), {"person": self.host.pk, "reason": "送材料", "approved_by": leader.pk}
        )
        self.assertEqual(response.status_code, 302)
        outing = StaffOuting.objects.get()
        self.client.post(reverse("visitors:outing_back", args=[outing.pk]))
        outing.refresh_from_db()
        self.assertIsNotNone(outing.back_at)

    def test_the_safety_officer_keeps_the_blacklist_and_flags_a_visit(self):
        visit = register(self.guard, self.host)
        self.login(self.safety)
        self.client.post(reverse("visitors:blacklist_create"), {"name": "张三", "reason": "多次滋扰"})
        self.assertTrue(BlacklistEntry.objects.filter(name="张三").exists())
        self.client.post(reverse("visitors:visit_flag", args=[visit.pk]), {"note": "校门冲突"})
        visit.refresh_from_db()
        self.assertTrue(visit.incident_flag)

    def test_every_page_renders_for_the_guard(self):
        visit = register(self.guard, self.host)
        self.login(self.guard)
        for url in (
            reverse("visitors:visit_create"),
            reverse("visitors:visit_list"),
            visit.get_absolute_url(),
            reverse("visitors:blacklist"),
            reverse("visitors:outing_list"),
            reverse("visitors:outing_create"),
            reverse("core:home"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)


class GatePassPageTests(HouqinTestCase):
    def login(self, user):
        self.client.force_login(user, backend="houqin.accounts.backends.RoleBackend")

    def test_a_pass_asked_approved_and_checked_out(self):
        from houqin.assets.tests.factories import make_asset
        from houqin.visitors.models import GatePass

        asset = make_asset(self.assetkeeper, "投影仪", "3200.00")
        self.login(self.assetkeeper)
        self.client.post(reverse("visitors:gatepass_create"), {"asset": asset.pk, "reason": "送修"})
        gatepass = GatePass.objects.get()
        self.login(self.principal)
        self.assertEqual(self.client.get(reverse("visitors:gatepass_list")).status_code, 200)
        self.client.post(reverse("visitors:gatepass_decide", args=[gatepass.pk]), {"decision": "approved"})
        self.login(self.guard)
        self.assertContains(self.client.get(gatepass.get_absolute_url()), "check-out")
        self.client.post(reverse("visitors:gatepass_out", args=[gatepass.pk]))
        gatepass.refresh_from_db()
        self.assertEqual(gatepass.status, "out")
        self.login(self.guard_b)
        self.assertEqual(self.client.get(gatepass.get_absolute_url()).status_code, 404)
        self.login(self.teacher)
        self.assertEqual(self.client.get(reverse("visitors:gatepass_list")).status_code, 403)

    def test_vehicle_pages(self):
        services.vehicle_request(
            actor=self.safety, school=self.school_a, plate="鄂E·3K215", driver="王师傅", purpose="送器材"
        )
        self.login(self.principal)
        self.assertContains(self.client.get(reverse("visitors:vehicle_list")), "鄂E·3K215")
        self.assertEqual(self.client.get(reverse("visitors:vehicle_create")).status_code, 200)
