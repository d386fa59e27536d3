import json

from django.utils.translation import gettext as _

from houqin.core.testing import HouqinTestCase
from houqin.safety import services
from houqin.safety.choices import Frequency, HazardStatus
from houqin.safety.models import Hazard
from houqin.safety.tests.factories import (
    days_ago,
    make_hazard,
    make_person,
    make_place,
    make_template,
    noon,
    past_weekday,
)


class SafetyApiTestCase(HouqinTestCase):
    def setUp(self):
        self.worker = make_person(self.school_a, "张师傅", user=self.teacher)

    def post(self, user, path, body=None):
        return self.api(user).post(path, json.dumps(body or {}), content_type="application/json")


class HazardApiTests(SafetyApiTestCase):
    def test_report_rectify_and_verify_by_two_people(self):
        created = self.post(
            self.safety,
            "/api/safety/hazards",
            {
                "title": "配电箱未上锁",
                "found_on": str(days_ago(2)),
                "source": "patrol",
                "level": "general",
                "responsible_id": self.worker.pk,
                "deadline": str(days_ago(-5)),
            },
        )
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["status"], "open")
        hazard_id = created.json()["id"]
        rectified = self.post(
            self.teacher,
            f"/api/safety/hazards/{hazard_id}/rectify",
            {"measures": "已加锁", "rectified_on": str(days_ago(0))},
        )
        self.assertEqual(rectified.json()["status"], "rectified", rectified.content)
        verified = self.post(self.safety, f"/api/safety/hazards/{hazard_id}/verify", {"passed": True, "note": "合格"})
        self.assertEqual(verified.json()["status"], "closed")
        detail = self.api(self.principal).get(f"/api/safety/hazards/{hazard_id}").json()
        self.assertEqual([a["kind"] for a in detail["actions"]], ["reported", "rectified", "verified"])
        self.assertEqual(detail["actions"][1]["actor_name"], self.teacher.display_name)

    def test_the_rectifier_verifying_gets_a_409_with_the_chinese_message(self):
        hazard = make_hazard(self.safety, responsible=self.worker)
        services.hazard_rectify(actor=self.safety, hazard=hazard, measures="x", rectified_on=days_ago(0))
        response = self.post(self.safety, f"/api/safety/hazards/{hazard.pk}/verify", {"passed": True})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["detail"], _(services.VERIFIER_IS_RECTIFIER))

    def test_a_deadline_before_the_finding_date_is_refused(self):
        response = self.post(
            self.safety,
            "/api/safety/hazards",
            {"title": "x", "found_on": str(days_ago(1)), "deadline": str(days_ago(3))},
        )
        self.assertIn(response.status_code, (409, 422))
        self.assertFalse(Hazard.objects.exists())

    def test_a_teacher_reports_but_cannot_rectify_someone_elses_hazard(self):
        created = self.post(
            self.headteacher, "/api/safety/hazards", {"title": "窗户限位器坏", "found_on": str(days_ago(0))}
        )
        self.assertEqual(created.status_code, 201)
        refused = self.post(
            self.headteacher,
            f"/api/safety/hazards/{created.json()['id']}/rectify",
            {"measures": "x", "rectified_on": str(days_ago(0))},
        )
        self.assertEqual(refused.status_code, 403)

    def test_another_schools_hazard_is_404(self):
        hazard = make_hazard(self.safety_b)
        self.assertEqual(self.api(self.safety).get(f"/api/safety/hazards/{hazard.pk}").status_code, 404)

    def test_stats_for_a_window_give_the_seeds_rate(self):
        for n in range(16):
            hazard = make_hazard(self.safety, title=f"隐患{n}", found_on=days_ago(30), responsible=self.worker)
            if n < 11:
                services.hazard_rectify(actor=self.teacher, hazard=hazard, measures="整改", rectified_on=days_ago(1))
                services.hazard_verify(actor=self.safety, hazard=hazard, passed=True)
        response = self.api(self.bureau).get(
            "/api/safety/hazards/stats", {"from": str(days_ago(60)), "to": str(days_ago(0))}
        )
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        self.assertEqual((body["found"], body["rectified"], body["closed"]), (16, 11, 11))
        self.assertEqual(body["rectification_rate"], 68.8)
        self.assertEqual(body["by_level"][0]["found"], 16)

    def test_stats_with_the_window_the_wrong_way_round_are_422(self):
        response = self.api(self.safety).get("/api/safety/hazards/stats", {"from": "2026-10-01", "to": "2026-09-01"})
        self.assertEqual(response.status_code, 422)

    def test_list_filters_overdue_hazards(self):
        make_hazard(self.safety, title="过期", found_on=days_ago(9), responsible=self.worker, deadline=days_ago(2))
        make_hazard(self.safety, title="未到期", responsible=self.worker, deadline=days_ago(-2))
        response = self.api(self.safety).get("/api/safety/hazards", {"overdue": "true"})
        self.assertEqual([h["title"] for h in response.json()["items"]], ["过期"])
        self.assertTrue(response.json()["items"][0]["overdue"])


class InspectionApiTests(SafetyApiTestCase):
    def setUp(self):
        super().setUp()
        self.gate = make_place(self.school_a)
        self.template = make_template(self.safety, places=[self.gate], frequency=Frequency.DAILY, name="校门日查")

    def results(self, failed_raise=False):
        items = list(self.template.items.all())
        return [
            {"item_id": items[0].pk, "ok": True, "note": ""},
            {"item_id": items[1].pk, "ok": False, "note": "安全出口堆放杂物", "raise_hazard": failed_raise},
        ]

    def test_due_on_a_day_then_done_after_an_inspection_that_raises_a_hazard(self):
        wednesday = past_weekday(2)
        due = self.api(self.safety).get("/api/safety/inspections/due", {"date": str(wednesday)}).json()
        self.assertEqual([(c["template_id"], c["done"]) for c in due["items"]], [(self.template.pk, False)])
        created = self.post(
            self.safety,
            "/api/safety/inspections",
            {
                "template_id": self.template.pk,
                "place_id": self.gate.pk,
                "results": self.results(failed_raise=True),
                "performed_at": noon(wednesday).isoformat(),
            },
        )
        self.assertEqual(created.status_code, 201, created.content)
        failed = created.json()["results"][1]
        self.assertIsNotNone(failed["hazard_id"])
        hazard = Hazard.objects.get(pk=failed["hazard_id"])
        self.assertEqual((hazard.source, hazard.status), ("inspection", HazardStatus.OPEN))
        after = self.api(self.safety).get("/api/safety/inspections/due", {"date": str(wednesday)}).json()
        self.assertEqual((after["done"], after["items"][0]["inspection_id"]), (1, created.json()["id"]))

    def test_an_item_of_another_checklist_is_422(self):
        other = make_template(self.safety, name="其他", items=["别的"])
        body = {"template_id": self.template.pk, "place_id": self.gate.pk, "results": self.results()}
        body["results"][0]["item_id"] = other.items.get().pk
        self.assertEqual(self.post(self.safety, "/api/safety/inspections", body).status_code, 422)

    def test_a_place_outside_the_school_is_404(self):
        body = {"template_id": self.template.pk, "place_id": make_place(self.school_b).pk, "results": self.results()}
        self.assertEqual(self.post(self.safety, "/api/safety/inspections", body).status_code, 404)

    def test_defaults_install_through_the_api(self):
        response = self.post(self.safety, "/api/safety/templates/install-defaults")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(len(response.json()["installed"]), 7)
        self.assertEqual(self.api(self.safety).get("/api/safety/templates").json()["count"], 8)
