import json
from decimal import Decimal

from houqin.core.testing import HouqinTestCase
from houqin.stock import services
from houqin.stock.models import StockItem
from houqin.stock.tests.factories import make_item


class StockApiTests(HouqinTestCase):
    def setUp(self):
        self.paper = make_item(self.school_a, balance=10)

    def post(self, user, path, body=None):
        return self.api(user).post(path, json.dumps(body or {}), content_type="application/json")

    def test_storekeeper_creates_an_item_and_receives_goods(self):
        created = self.post(self.assetkeeper, "/api/stock/items", {"name": "粉笔", "unit": "盒", "min_quantity": "5"})
        self.assertEqual(created.status_code, 201, created.content)
        item_id = created.json()["id"]
        receipt = self.post(
            self.assetkeeper, "/api/stock/receipts", {"item_id": item_id, "quantity": "20", "unit_price": "3.50"}
        )
        self.assertEqual(receipt.status_code, 201, receipt.content)
        self.assertEqual(Decimal(receipt.json()["balance_after"]), Decimal("20"))
        item = self.api(self.teacher).get(f"/api/stock/items/{item_id}").json()
        self.assertEqual(Decimal(item["balance"]), Decimal("20"))
        self.assertEqual(item["school_id"], self.school_a.pk)

    def test_requisition_then_issue_and_a_409_when_stock_runs_out(self):
        created = self.post(
            self.teacher,
            "/api/stock/requisitions",
            {"lines": [{"item_id": self.paper.pk, "quantity": "8"}], "purpose": "考试"},
        )
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual(created.json()["status"], "pending")
        issued = self.post(self.assetkeeper, f"/api/stock/requisitions/{created.json()['id']}/issue")
        self.assertEqual(issued.json()["status"], "issued")
        second = self.post(
            self.teacher,
            "/api/stock/requisitions",
            {"lines": [{"item_id": self.paper.pk, "quantity": "8"}], "purpose": "考试"},
        ).json()
        refused = self.post(self.assetkeeper, f"/api/stock/requisitions/{second['id']}/issue")
        self.assertEqual(refused.status_code, 409)
        self.assertIn("A4复印纸", refused.json()["detail"])
        self.paper.refresh_from_db()
        self.assertEqual(self.paper.balance, Decimal("2"))

    def test_bad_quantity_is_422_naming_the_field(self):
        response = self.post(
            self.teacher,
            "/api/stock/requisitions",
            {"lines": [{"item_id": self.paper.pk, "quantity": "-1"}], "purpose": "考试"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("quantity", response.json()["detail"][0]["loc"])

    def test_another_schools_item_is_404(self):
        other = make_item(self.school_b, balance=1)
        self.assertEqual(self.api(self.teacher).get(f"/api/stock/items/{other.pk}").status_code, 404)
        response = self.post(
            self.teacher, "/api/stock/requisitions", {"lines": [{"item_id": other.pk, "quantity": "1"}], "purpose": "x"}
        )
        self.assertEqual(response.status_code, 404)

    def test_teacher_cannot_receive_goods(self):
        response = self.post(
            self.teacher, "/api/stock/receipts", {"item_id": self.paper.pk, "quantity": "1", "unit_price": "1"}
        )
        self.assertEqual(response.status_code, 403)

    def test_low_filter_and_list_shape(self):
        make_item(self.school_a, name="粉笔", unit="盒", balance=1, min_quantity=Decimal("5"))
        body = self.api(self.assetkeeper).get("/api/stock/items?low=true").json()
        self.assertEqual(body["count"], 1)
        self.assertEqual(body["items"][0]["name"], "粉笔")
        self.assertTrue(body["items"][0]["is_low"])

    def test_reject_needs_a_comment(self):
        requisition = services.requisition_create(actor=self.teacher, lines=[(self.paper, Decimal("1"))], purpose="x")
        response = self.post(self.logistics, f"/api/stock/requisitions/{requisition.pk}/reject", {"comment": ""})
        self.assertEqual(response.status_code, 422)

    def test_money_and_quantities_are_strings(self):
        body = self.api(self.assetkeeper).get(f"/api/stock/items/{self.paper.pk}").json()
        self.assertIsInstance(body["balance"], str)
        self.assertEqual(StockItem.objects.get(pk=self.paper.pk).balance, Decimal(body["balance"]))
