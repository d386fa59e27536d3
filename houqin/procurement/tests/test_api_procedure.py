"""The API of the statutory procedure (B4–B6, B8)."""

import datetime as dt

from django.utils import timezone

from houqin.procurement.choices import ProcurementMethod
from houqin.procurement.models import PurchaseRequest
from houqin.procurement.services import Procedure
from houqin.procurement.tests.factories import approved_request, asset_line
from houqin.procurement.tests.test_api import ProcurementApiTestCase

PCS = {"name": "台式电脑", "quantity": "8", "unit": "台", "estimated_unit_price": "7000", "kind": "asset"}
PANEL_OK = [{"name": "张专家", "expert": True}, {"name": "李专家", "expert": True}, {"name": "王采购", "expert": False}]


class ProcedureApiTests(ProcurementApiTestCase):
    def test_an_rfq_request_is_created_with_its_panel_and_reason(self):
        response = self.create(
            lines=[PCS],
            method="government",
            statutory_method="rfq",
            non_open_reason="规格标准统一、货源充足",
            panel=PANEL_OK,
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["statutory_method"], "rfq")
        self.assertEqual(len(body["panel"]), 3)
        self.assertIsNone(body["deadlines"])

    def test_an_invalid_panel_is_refused_with_the_rule(self):
        response = self.create(
            lines=[PCS], method="government", statutory_method="rfq", non_open_reason="x", panel=PANEL_OK[:2]
        )
        self.assertEqual(response.status_code, 422, response.content)
        self.assertIn("B4", response.content.decode())
        self.assertFalse(PurchaseRequest.objects.exists())

    def test_a_tender_period_of_19_days_is_refused(self):
        body = {"lines": [PCS], "method": "government", "statutory_method": "open_tender"}
        short = self.create(**body, tender_issued_on="2026-10-01", bid_deadline="2026-10-20")
        self.assertEqual(short.status_code, 422, short.content)
        ok = self.create(**body, tender_issued_on="2026-10-01", bid_deadline="2026-10-21")
        self.assertEqual(ok.status_code, 201, ok.content)

    def test_award_contract_and_supplements(self):
        request = approved_request(
            self,
            asset_line("台式电脑", "8", "7000.00"),
            method=ProcurementMethod.GOVERNMENT,
            procedure=Procedure(statutory_method="open_tender"),
        )
        path = f"/requests/{request.pk}"
        today = timezone.localdate()
        awarded = self.post(self.logistics, f"{path}/award", {"awarded_on": str(today - dt.timedelta(days=26))})
        self.assertEqual(awarded.status_code, 200, awarded.content)
        self.assertTrue(awarded.json()["deadlines"]["contract_warning"])
        signed = today - dt.timedelta(days=1)
        contract = self.post(self.logistics, f"{path}/contract", {"signed_on": str(signed), "amount": "55000"})
        self.assertEqual(contract.status_code, 200, contract.content)
        self.assertEqual(contract.json()["contract_amount"], "55000.00")
        self.assertFalse(contract.json()["deadlines"]["contract_warning"])
        ok = self.post(self.logistics, f"{path}/supplements", {"amount": "5500", "signed_on": str(today)})
        self.assertEqual(ok.status_code, 201, ok.content)
        self.assertEqual([s["amount"] for s in ok.json()["supplements"]], ["5500.00"])
        refused = self.post(self.logistics, f"{path}/supplements", {"amount": "0.01", "signed_on": str(today)})
        self.assertEqual(refused.status_code, 422, refused.content)

    def test_the_procedure_is_changed_by_buyers_only_and_within_the_school(self):
        request = approved_request(self, asset_line("台式电脑", "8", "7000.00"), method=ProcurementMethod.GOVERNMENT)
        body = {"statutory_method": "negotiation", "non_open_reason": "技术复杂", "panel": PANEL_OK}
        self.assertEqual(self.post(self.teacher, f"/requests/{request.pk}/procedure", body).status_code, 403)
        self.assertEqual(self.post(self.logistics_b, f"/requests/{request.pk}/procedure", body).status_code, 404)
        response = self.post(self.logistics, f"/requests/{request.pk}/procedure", body)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["statutory_method"], "negotiation")

    def test_a_file_within_its_retention_period_cannot_be_deleted(self):
        created = self.create().json()
        path = f"/api/procurement/requests/{created['id']}"
        self.assertEqual(self.api(self.teacher).delete(path).status_code, 403)
        self.assertEqual(self.api(self.logistics_b).delete(path).status_code, 404)
        refused = self.api(self.logistics).delete(path)
        self.assertEqual(refused.status_code, 409, refused.content)
        self.assertIn("15", refused.content.decode())
        self.assertIsNone(created["retained_until"])
        self.assertTrue(PurchaseRequest.objects.filter(pk=created["id"]).exists())
