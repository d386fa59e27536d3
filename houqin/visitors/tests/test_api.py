import json

from django.utils.translation import gettext as _

from houqin.core.testing import HouqinTestCase
from houqin.visitors import services
from houqin.visitors.models import Visit
from houqin.visitors.tests.factories import make_host, register


class VisitApiTests(HouqinTestCase):
    def setUp(self):
        self.host = make_host(self.school_a)

    def post(self, user, path, body=None):
        return self.api(user).post(path, json.dumps(body or {}), content_type="application/json")

    def body(self, **fields):
        return {
            "name": "王建国",
            "phone": "13812345678",
            "id_tail": "1234",
            "purpose": "送教学资料",
            "host_person_id": self.host.pk,
            "host_confirmed_by": "冯老师",
            **fields,
        }

    def test_a_visitor_in_and_out(self):
        created = self.post(self.guard, "/api/visitors/visits", self.body())
        self.assertEqual(created.status_code, 201, created.content)
        self.assertIn("+08:00", created.json()["entered_at"])
        self.assertEqual(created.json()["phone"], "138****5678")
        on_campus = self.api(self.guard).get("/api/visitors/on-campus").json()
        self.assertEqual([v["id"] for v in on_campus["items"]], [created.json()["id"]])
        left = self.post(self.guard, f"/api/visitors/visits/{created.json()['id']}/leave")
        self.assertEqual(left.status_code, 200)
        self.assertIsNotNone(left.json()["left_at"])
        self.assertEqual(self.api(self.guard).get("/api/visitors/on-campus").json()["count"], 0)

    def test_without_host_confirmation_the_entry_is_refused(self):
        response = self.post(self.guard, "/api/visitors/visits", self.body(host_confirmed_by=""))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["msg"], _(services.HOST_NOT_CONFIRMED))
        self.assertFalse(Visit.objects.exists())

    def test_a_blacklist_match_is_a_409_until_acknowledged(self):
        services.blacklist_add(actor=self.safety, school=self.school_a, name="王建国", reason="法院禁止令")
        refused = self.post(self.guard, "/api/visitors/visits", self.body())
        self.assertEqual(refused.status_code, 409)
        self.assertIn("法院禁止令", refused.json()["detail"])
        let_in = self.post(self.guard, "/api/visitors/visits", self.body(blacklist_acknowledged=True))
        self.assertEqual(let_in.status_code, 201)

    def test_leaving_twice_is_409(self):
        visit = register(self.guard, self.host)
        self.post(self.guard, f"/api/visitors/visits/{visit.pk}/leave")
        self.assertEqual(self.post(self.guard, f"/api/visitors/visits/{visit.pk}/leave").status_code, 409)

    def test_another_schools_host_and_visit_are_404(self):
        other_host = make_host(self.school_b)
        response = self.post(self.guard, "/api/visitors/visits", self.body(host_person_id=other_host.pk))
        self.assertEqual(response.status_code, 404)
        other_visit = register(self.guard_b, other_host)
        self.assertEqual(self.api(self.guard).get(f"/api/visitors/visits/{other_visit.pk}").status_code, 404)

    def test_a_teacher_cannot_see_the_visitor_log(self):
        self.assertEqual(self.api(self.teacher).get("/api/visitors/on-campus").status_code, 403)

    def test_staff_going_out_and_back(self):
        leader = make_host(self.school_a, "刘校长")
        created = self.post(
            self.guard,
            "/api/visitors/outings",
            {"person_id": self.host.pk, "reason": "去教育局送材料", "approved_by_id": leader.pk},
        )
        self.assertEqual(created.status_code, 201, created.content)
        back = self.post(self.guard, f"/api/visitors/outings/{created.json()['id']}/back")
        self.assertIsNotNone(back.json()["back_at"])


class GatePassApiTests(HouqinTestCase):
    def post(self, user, path, body=None):
        return self.api(user).post(path, json.dumps(body or {}), content_type="application/json")

    def test_a_pass_from_request_to_back(self):
        from houqin.assets.tests.factories import make_asset

        asset = make_asset(self.assetkeeper, "投影仪", "3200.00")
        created = self.post(self.assetkeeper, "/api/visitors/gate-passes", {"asset_id": asset.pk, "reason": "送修"})
        self.assertEqual(created.status_code, 201, created.content)
        gatepass = created.json()["id"]
        self.assertEqual(self.post(self.guard, f"/api/visitors/gate-passes/{gatepass}/out").status_code, 409)
        self.assertEqual(
            self.post(self.guard, f"/api/visitors/gate-passes/{gatepass}/decide", {"approve": True}).status_code, 403
        )
        self.post(self.principal, f"/api/visitors/gate-passes/{gatepass}/decide", {"approve": True})
        out = self.post(self.guard, f"/api/visitors/gate-passes/{gatepass}/out")
        self.assertEqual(out.json()["status"], "out")
        self.assertEqual(self.api(self.guard).get("/api/visitors/gate-passes").json()["count"], 1)
        self.assertEqual(self.api(self.guard_b).get(f"/api/visitors/gate-passes/{gatepass}").status_code, 404)

    def test_another_schools_asset_is_404_and_a_missing_reason_422(self):
        from houqin.assets.tests.factories import make_asset

        other = make_asset(self.assetkeeper_b, "投影仪", "3200.00")
        body = {"asset_id": other.pk, "reason": "送修"}
        self.assertEqual(self.post(self.assetkeeper, "/api/visitors/gate-passes", body).status_code, 404)
        mine = make_asset(self.assetkeeper, "投影仪", "3200.00")
        missing = self.post(self.assetkeeper, "/api/visitors/gate-passes", {"asset_id": mine.pk})
        self.assertEqual(missing.status_code, 422)

    def test_an_outside_vehicle_is_let_in_only_when_approved(self):
        body = {"plate": "鄂E·3K215", "driver": "王师傅", "purpose": "送器材"}
        vehicle = self.post(self.safety, "/api/visitors/vehicles", body).json()["id"]
        self.assertEqual(self.post(self.guard, f"/api/visitors/vehicles/{vehicle}/in").status_code, 409)
        self.post(self.logistics, f"/api/visitors/vehicles/{vehicle}/decide", {"approve": True})
        self.assertEqual(self.post(self.guard, f"/api/visitors/vehicles/{vehicle}/in").json()["status"], "in")
