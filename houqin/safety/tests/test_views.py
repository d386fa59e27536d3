from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.core.registry import today_for
from houqin.core.testing import HouqinTestCase
from houqin.safety import services
from houqin.safety.choices import Frequency, HazardStatus
from houqin.safety.models import ChecklistTemplate, Hazard, Inspection
from houqin.safety.tests.factories import days_ago, make_hazard, make_person, make_place, make_template, past_weekday

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SafetyViewTestCase(HouqinTestCase):
    def setUp(self):
        self.worker = make_person(self.school_a, "张师傅", user=self.teacher)
        self.hazard = make_hazard(self.safety, responsible=self.worker, deadline=days_ago(-3))
        self.other_school_hazard = make_hazard(self.safety_b)

    def login(self, user):
        self.client.force_login(user, backend="houqin.accounts.backends.RoleBackend")


class HazardPageTests(SafetyViewTestCase):
    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("safety:hazard_list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_a_teacher_sees_the_register_but_cannot_open_the_checklists(self):
        self.login(self.teacher)
        self.assertContains(self.client.get(reverse("safety:hazard_list")), self.hazard.title)
        self.assertEqual(self.client.get(reverse("safety:template_list")).status_code, 403)
        self.assertEqual(self.client.get(reverse("safety:hazard_update", args=[self.hazard.pk])).status_code, 403)

    def test_another_schools_hazard_is_404(self):
        self.login(self.safety)
        url = reverse("safety:hazard_detail", args=[self.other_school_hazard.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_teacher_reports_a_hazard_from_the_form(self):
        self.login(self.headteacher)
        response = self.client.post(
            reverse("safety:hazard_create"),
            {"title": "教室插座松动", "found_on": str(days_ago(0)), "category": "electrical", "level": "general"},
        )
        hazard = Hazard.objects.get(title="教室插座松动")
        self.assertRedirects(response, hazard.get_absolute_url())
        self.assertEqual(hazard.reported_by, self.headteacher)

    def test_a_deadline_before_the_finding_date_comes_back_to_the_form(self):
        self.login(self.safety)
        response = self.client.post(
            reverse("safety:hazard_create"),
            {"title": "x", "found_on": str(days_ago(1)), "deadline": str(days_ago(4)), "level": "general"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertFalse(Hazard.objects.filter(title="x").exists())

    def test_rectify_then_verify_from_the_hazard_page(self):
        self.login(self.teacher)
        page = self.client.get(self.hazard.get_absolute_url())
        self.assertTrue(page.context["can_rectify"])
        self.assertFalse(page.context["can_verify"])
        self.client.post(
            reverse("safety:hazard_rectify", args=[self.hazard.pk]),
            {"measures": "已更换扶手", "rectified_on": str(days_ago(0))},
        )
        self.login(self.safety)
        self.assertTrue(self.client.get(self.hazard.get_absolute_url()).context["can_verify"])
        self.client.post(reverse("safety:hazard_verify", args=[self.hazard.pk]), {"passed": "1", "note": "合格"})
        self.hazard.refresh_from_db()
        self.assertEqual(self.hazard.status, HazardStatus.CLOSED)

    def test_verification_is_post_only_and_needs_the_permission(self):
        url = reverse("safety:hazard_verify", args=[self.hazard.pk])
        self.login(self.teacher)
        self.assertEqual(self.client.get(url).status_code, 405)
        self.assertEqual(self.client.post(url, {"passed": "1"}).status_code, 403)

    def test_export_in_the_ledger_columns(self):
        self.login(self.safety)
        export = self.client.get(reverse("safety:hazard_list"), {"export": "xlsx"})
        self.assertEqual(export["Content-Type"].split(";")[0], XLSX)

    def test_overdue_filter(self):
        overdue = make_hazard(
            self.safety, title="过期", found_on=days_ago(9), responsible=self.worker, deadline=days_ago(2)
        )
        self.login(self.safety)
        response = self.client.get(reverse("safety:hazard_list"), {"overdue": "on"})
        self.assertEqual(list(response.context["object_list"]), [overdue])

    def test_list_query_count_does_not_grow_with_rows(self):
        self.login(self.safety)
        self.client.get(reverse("safety:hazard_list"))
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("safety:hazard_list"))
        for n in range(20):
            make_hazard(
                self.safety, title=f"隐患{n}", responsible=self.worker, place=make_place(self.school_a, f"地点{n}")
            )
        with CaptureQueriesContext(connection) as many:
            self.client.get(reverse("safety:hazard_list"))
        self.assertEqual(len(few), len(many))

    def test_stats_page_shows_the_rate_and_the_chart_data(self):
        services.hazard_rectify(actor=self.teacher, hazard=self.hazard, measures="x", rectified_on=days_ago(0))
        services.hazard_verify(actor=self.safety, hazard=self.hazard, passed=True)
        make_hazard(self.safety, title="另一处")
        self.login(self.principal)
        response = self.client.get(reverse("safety:hazard_stats"))
        self.assertEqual(response.context["stats"].rectification_rate, 50.0)
        self.assertContains(response, 'id="trend-data"')

    def test_the_bureau_sees_the_stats_by_school(self):
        self.login(self.bureau)
        response = self.client.get(reverse("safety:hazard_stats"))
        self.assertEqual(response.context["stats"].found, 2)

    def test_the_safety_officer_home_shows_overdue_hazards(self):
        make_hazard(self.safety, title="过期", found_on=days_ago(9), responsible=self.worker, deadline=days_ago(2))
        self.assertIn(_("Overdue hazards"), [item.title for item in today_for(self.safety)])


class InspectionPageTests(SafetyViewTestCase):
    def setUp(self):
        super().setUp()
        self.gate = make_place(self.school_a)
        self.template = make_template(self.safety, places=[self.gate], frequency=Frequency.DAILY, name="校门日查")

    def test_the_round_lists_the_checks_of_the_day(self):
        self.login(self.safety)
        response = self.client.get(reverse("safety:round"), {"date": str(past_weekday(1))})
        self.assertEqual(len(response.context["checks"]), 1)
        self.assertContains(response, "校门日查")

    def test_an_inspection_from_the_phone_form_then_one_tap_raises_a_hazard(self):
        self.login(self.safety)
        first, second = self.template.items.all()
        response = self.client.post(
            reverse("safety:inspection_create"),
            {
                "template": self.template.pk,
                "place": self.gate.pk,
                f"ok_{first.pk}": "ok",
                f"ok_{second.pk}": "fail",
                f"note_{second.pk}": "东门通道堆放杂物",
            },
        )
        inspection = Inspection.objects.get()
        self.assertRedirects(response, inspection.get_absolute_url())
        failed = inspection.results.get(ok=False)
        raised = self.client.post(reverse("safety:inspection_raise", args=[inspection.pk]), {"result": failed.pk})
        hazard = Hazard.objects.get(raised_from=failed)
        self.assertRedirects(raised, hazard.get_absolute_url())

    def test_the_checklists_page_installs_the_defaults(self):
        self.login(self.safety)
        self.client.post(reverse("safety:template_defaults"))
        self.assertContains(self.client.get(reverse("safety:template_list")), "食堂每日检查")

    def test_a_checklist_is_created_from_the_form(self):
        self.login(self.safety)
        response = self.client.post(
            reverse("safety:template_create"),
            {
                "name": "操场周查",
                "area_type": "other",
                "frequency": "weekly",
                "starts_on": str(days_ago(0)),
                "items": "器材牢固\n地面平整\n",
            },
        )
        self.assertEqual(response.status_code, 302)
        created = ChecklistTemplate.objects.get(name="操场周查")
        self.assertEqual(list(created.items.values_list("text", flat=True)), ["器材牢固", "地面平整"])

    def test_the_inspection_form_of_another_schools_checklist_is_404(self):
        other = make_template(self.safety_b, name="乙校")
        self.login(self.safety)
        response = self.client.get(reverse("safety:inspection_create"), {"template": other.pk})
        self.assertEqual(response.status_code, 404)

    def test_campaign_pages(self):
        self.login(self.safety)
        response = self.client.post(
            reverse("safety:campaign_create"), {"name": "第一次拉网式排查", "starts_on": str(days_ago(5))}
        )
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(response["Location"]), "第一次拉网式排查")
        self.assertContains(self.client.get(reverse("safety:campaign_list")), "第一次拉网式排查")

    def test_every_page_renders_for_the_safety_officer(self):
        services.templates_install_defaults(actor=self.safety, school=self.school_a)
        inspection = services.inspection_record(
            actor=self.safety,
            template=self.template,
            place=self.gate,
            results=[services.ResultInput(item, False, "坏") for item in self.template.items.all()],
        )
        campaign = services.campaign_create(actor=self.safety, school=self.school_a, name="排查", starts_on=days_ago(3))
        self.login(self.safety)
        urls = [
            reverse("safety:hazard_create"),
            reverse("safety:hazard_update", args=[self.hazard.pk]),
            self.hazard.get_absolute_url(),
            reverse("safety:round"),
            reverse("safety:inspection_create") + f"?template={self.template.pk}&place={self.gate.pk}",
            reverse("safety:inspection_list"),
            inspection.get_absolute_url(),
            reverse("safety:template_detail", args=[self.template.pk]),
            reverse("safety:template_update", args=[self.template.pk]),
            reverse("safety:template_create"),
            campaign.get_absolute_url(),
            reverse("safety:campaign_update", args=[campaign.pk]),
            reverse("core:home"),
        ]
        for url in urls:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_ledger_prints_with_the_lists_filters(self):
        make_hazard(self.safety, title="另一处隐患", category="fire")
        self.login(self.safety)
        response = self.client.get(reverse("safety:hazard_print"), {"category": "fire"})
        self.assertContains(response, "另一处隐患")
        self.assertNotContains(response, self.hazard.title)

    def test_the_ledger_as_a_pdf(self):
        self.login(self.safety)
        response = self.client.get(reverse("safety:hazard_print"), {"category": "fire", "format": "pdf"})
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
