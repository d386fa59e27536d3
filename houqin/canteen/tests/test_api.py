import datetime as dt
import json

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.canteen import services
from houqin.canteen.models import AccompaniedMeal, Sample
from houqin.canteen.tests.factories import leader_person, person, published_menu, sample, supplier
from houqin.core.testing import HouqinTestCase


class CanteenApiTests(HouqinTestCase):
    def post(self, user, path, body=None):
        return self.api(user).post(path, json.dumps(body or {}), content_type="application/json")

    def sample_body(self, **fields):
        now = timezone.localtime()
        return {"meal_date": f"{now:%Y-%m-%d}", "meal": "lunch", "dish": "熘肉段", "weight_g": 150,
                "taken_at": now.isoformat(), "fridge": "留样柜1", **fields}  # fmt: skip

    def test_a_sample_is_recorded_and_listed(self):
        created = self.post(self.canteen, "/api/canteen/samples", self.sample_body())
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["taken_by"], "周食堂")
        listed = self.api(self.canteen).get("/api/canteen/samples").json()
        self.assertEqual([s["id"] for s in listed["items"]], [created.json()["id"]])
        self.assertEqual(self.api(self.bureau).get("/api/canteen/samples").json()["count"], 1)

    def test_a_light_sample_is_422_naming_weight_g_in_chinese(self):
        response = self.post(self.canteen, "/api/canteen/samples", self.sample_body(weight_g=124))
        self.assertEqual(response.status_code, 422)
        error = response.json()["detail"][0]
        self.assertEqual(error["loc"], ["body", "weight_g"])
        self.assertIn("125", error["msg"])
        self.assertFalse(Sample.objects.exists())

    def test_an_early_discard_is_409_and_a_late_one_records_who(self):
        early = sample(self.canteen)
        response = self.post(self.canteen, f"/api/canteen/samples/{early.pk}/discard")
        self.assertEqual(response.status_code, 409)
        self.assertIn("48", response.json()["detail"])
        late = sample(self.canteen, taken_at=timezone.now() - dt.timedelta(hours=48, minutes=1))
        done = self.post(self.canteen, f"/api/canteen/samples/{late.pk}/discard")
        self.assertEqual(done.status_code, 200, done.content)
        self.assertEqual(done.json()["discarded_by"], self.canteen.pk)

    def test_access_401_403_404(self):
        self.assertEqual(Client().get("/api/canteen/samples").status_code, 401)
        self.assertEqual(self.post(self.teacher, "/api/canteen/samples", self.sample_body()).status_code, 403)
        other = sample(self.canteen_b)
        self.assertEqual(self.post(self.canteen, f"/api/canteen/samples/{other.pk}/discard").status_code, 404)

    def test_accompanied_meal_by_a_leader(self):
        body = {"meal_date": f"{timezone.localdate():%Y-%m-%d}", "meal": "lunch", "feedback": "菜品偏咸"}
        created = self.post(
            self.principal, "/api/canteen/accompanied-meals", {**body, "leader_id": leader_person(self.principal).pk}
        )
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["leader_name"], "刘校长")
        refused = self.post(
            self.principal, "/api/canteen/accompanied-meals", {**body, "leader_id": person(self.school_a).pk}
        )
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(refused.json()["detail"][0]["loc"], ["body", "leader_id"])
        other_school = self.post(
            self.principal, "/api/canteen/accompanied-meals", {**body, "leader_id": person(self.school_b).pk}
        )
        self.assertEqual(other_school.status_code, 404)
        follow = self.post(
            self.principal,
            f"/api/canteen/accompanied-meals/{created.json()['id']}/follow-up",
            {"rectification": "done", "follow_up": "已调整盐量"},
        )
        self.assertEqual(follow.json()["rectification"], "done")
        self.assertEqual(AccompaniedMeal.objects.count(), 1)

    def test_dashboard_shows_coverage(self):
        published_menu(self.canteen, self.school_a, timezone.localdate(), {"lunch": ["熘肉段", "米饭"]})
        sample(self.canteen, dish="熘肉段")
        meals = self.api(self.canteen).get("/api/canteen/dashboard").json()["meals"]
        self.assertEqual(meals[0]["missing_samples"], ["米饭"])
        self.assertFalse(meals[0]["samples_complete"])

    def test_menu_with_a_banned_dish_and_publication(self):
        menu = self.post(
            self.canteen, "/api/canteen/menus", {"title": "运动会餐", "week_start": "2026-10-12", "event": "运动会"}
        )
        self.assertEqual(menu.status_code, 201, menu.content)
        path = f"/api/canteen/menus/{menu.json()['id']}"
        banned = self.post(self.canteen, f"{path}/dishes", {"day": "2026-10-12", "meal": "lunch", "name": "凉拌四季豆"})
        self.assertEqual(banned.status_code, 422)
        self.assertIn("四季豆", banned.json()["detail"][0]["msg"])
        dish = {"day": "2026-10-12", "meal": "lunch", "name": "素炒三丁", "vegetarian": True, "portion_g": 120}
        self.assertEqual(self.post(self.canteen, f"{path}/dishes", dish).status_code, 201)
        published = self.post(self.canteen, f"{path}/publish")
        self.assertEqual(published.json()["status"], "published")
        self.assertIsNotNone(published.json()["published_at"])
        self.assertEqual(self.post(self.canteen, f"{path}/publish").status_code, 409)

    def test_delivery_with_nitrite_is_422_and_early_delete_is_409(self):
        shop, inspector = supplier(self.school_a), person(self.school_a)
        body = {"supplier_id": shop.pk, "purchased_on": f"{timezone.localdate():%Y-%m-%d}", "inspector_id": inspector.pk,
                "lines": [{"name": "亚硝酸钠", "quantity": "1", "unit": "kg", "kind": "prepackaged"}]}  # fmt: skip
        self.assertEqual(self.post(self.canteen, "/api/canteen/deliveries", body).status_code, 422)
        body["lines"][0]["name"] = "酱油"
        created = self.post(self.canteen, "/api/canteen/deliveries", body)
        self.assertEqual(created.status_code, 201, created.content)
        deleted = self.api(self.canteen).delete(f"/api/canteen/deliveries/{created.json()['id']}")
        self.assertEqual(deleted.status_code, 409)

    def test_a_banned_item_in_a_delivery_is_422_naming_its_line(self):
        shop, inspector = supplier(self.school_a), person(self.school_a)
        lines = [{"name": "酱油", "quantity": "1", "unit": "瓶", "kind": "prepackaged"},
                 {"name": "发芽土豆", "quantity": "5", "unit": "kg", "kind": "farm"}]  # fmt: skip
        body = {"supplier_id": shop.pk, "purchased_on": f"{timezone.localdate():%Y-%m-%d}", "inspector_id": inspector.pk,
                "lines": lines}  # fmt: skip
        response = self.post(self.canteen, "/api/canteen/deliveries", body)
        self.assertEqual(response.status_code, 422)
        error = response.json()["detail"][0]
        self.assertEqual(error["loc"], ["body", "lines.1.name"])
        self.assertIn("发芽土豆", error["msg"])

    def test_ledger_refuses_rent_as_income(self):
        body = {"occurred_on": "2026-10-01", "direction": "income", "category": "rent", "amount": "3000.00"}
        self.assertEqual(self.post(self.canteen, "/api/canteen/ledger", body).status_code, 422)
        self.assertEqual(self.api(self.accountant).get("/api/canteen/ledger").status_code, 200)
        self.assertEqual(self.post(self.accountant, "/api/canteen/ledger", body).status_code, 403)

    def test_feedback_reply_masks_contact(self):
        cache.clear()
        menu = published_menu(self.canteen, self.school_a, timezone.localdate(), {"lunch": ["熘肉段"]})
        services.feedback_submit(menu=menu, text="为什么在熘肉段里放胡萝卜", ip="1.2.3.4", contact="13812345678")
        listed = self.api(self.canteen).get("/api/canteen/feedback").json()["items"]
        self.assertEqual(listed[0]["contact"], "138****5678")
        reply = self.post(self.canteen, f"/api/canteen/feedback/{listed[0]['id']}/reply", {"reply": "胡萝卜富含维生素"})
        self.assertEqual(reply.json()["status"], "replied")

    def test_lists_do_not_grow_queries(self):
        client = self.api(self.canteen)
        client.get("/api/me")
        for path, make in (
            ("/api/canteen/samples", lambda n: sample(self.canteen, dish=f"菜{n}")),
            ("/api/canteen/certificates", lambda n: services.certificate_record(
                actor=self.canteen, school=self.school_a, person=person(self.school_a), number=f"JK{n}",
                issued_on=timezone.localdate())),
        ):  # fmt: skip
            make(0)
            with CaptureQueriesContext(connection) as one:
                client.get(path)
            for n in range(1, 4):
                make(n)
            with CaptureQueriesContext(connection) as four:
                client.get(path)
            self.assertEqual(len(four), len(one), path)
