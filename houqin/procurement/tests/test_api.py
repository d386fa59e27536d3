import json
from decimal import Decimal

from django.utils.translation import gettext as _

from houqin.core.testing import HouqinTestCase
from houqin.orgs.models import Person
from houqin.procurement import services
from houqin.procurement.services import acceptance as acc
from houqin.procurement.services import purchase_requests as pr
from houqin.procurement.tests.factories import approved_request, inspectors, line, make_request
from houqin.stock.models import StockItem
from houqin.stock.tests.factories import make_item

BASE = "/api/procurement"
ROPES = {"name": "跳绳", "quantity": "10", "unit": "根", "estimated_unit_price": "15"}


class ProcurementApiTestCase(HouqinTestCase):
    def post(self, user, path, body=None):
        return self.api(user).post(BASE + path, json.dumps(body or {}), content_type="application/json")

    def get(self, user, path):
        return self.api(user).get(BASE + path)

    def create(self, user=None, **body):
        values = {"title": "体育课器材", "lines": [ROPES], "funding_source": "自筹", "reason": "体育课教学", **body}
        return self.post(user or self.teacher, "/requests", values)


class ContractFlowTests(ProcurementApiTestCase):
    def test_from_request_to_goods_in_the_store(self):
        make_item(self.school_a, name="跳绳", unit="根", balance=30)
        created = self.create()
        self.assertEqual(created.status_code, 201, created.content)
        body = created.json()
        self.assertEqual(body["status"], "draft")
        self.assertRegex(body["number"], r"^CG-\d{4}-00001$")
        self.assertEqual(body["estimated_total"], "150.00")
        self.assertEqual([(d["kind"], d["name"]) for d in body["duplicates"]], [("stock", "跳绳")])
        request_id = body["id"]

        self.assertEqual(self.post(self.teacher, f"/requests/{request_id}/submit").json()["status"], "submitted")
        approved = self.post(self.logistics, f"/requests/{request_id}/approve", {"comment": "同意"})
        self.assertEqual(approved.json()["status"], "approved", approved.content)
        for supplier, amount in (("甲", "150"), ("乙", "140"), ("丙", "160")):
            quote = self.post(
                self.logistics, f"/requests/{request_id}/quotes", {"supplier_name": supplier, "amount": amount}
            )
            self.assertEqual(quote.status_code, 201, quote.content)

        detail = self.get(self.teacher, f"/requests/{request_id}").json()
        self.assertEqual([q["amount"] for q in detail["quotes"]], ["140.00", "150.00", "160.00"])
        self.assertEqual([q["lowest"] for q in detail["quotes"]], [True, False, False])
        self.assertIn("procurement.purchaserequest.approved", [h["action"] for h in detail["history"]])
        line_id = detail["lines"][0]["id"]
        self.assertEqual(detail["lines"][0]["quantity"], "10.00")
        self.assertEqual(set(detail["ordering_errors"]), {"quotes"})
        self.assertTrue(self.post(self.logistics, f"/quotes/{detail['quotes'][0]['id']}/choose").json()["chosen"])

        accepted = self.post(
            self.assetkeeper,
            f"/requests/{request_id}/acceptance",
            {
                "inspectors": [p.pk for p in inspectors(self.school_a)],
                "lines": [{"line_id": line_id, "accepted_quantity": "10"}],
                "passed": True,
            },
        )
        self.assertEqual(accepted.status_code, 201, accepted.content)
        self.assertEqual(accepted.json()["request_status"], "accepted")
        self.assertEqual(StockItem.objects.get(school=self.school_a, name="跳绳").balance, Decimal("40"))

    def test_the_order_step_with_quotes_and_a_chosen_supplier(self):
        request = approved_request(self, line("跳绳", "400", "15.00"))
        quote = services.quote_add(actor=self.logistics, request=request, supplier_name="甲", amount=Decimal("5900"))
        services.quote_add(actor=self.logistics, request=request, supplier_name="乙", amount=Decimal("5800"))
        dearer = self.post(self.logistics, f"/quotes/{quote.pk}/choose")
        self.assertEqual(dearer.status_code, 422)
        self.assertEqual(dearer.json()["detail"][0]["loc"], ["body", "justification"])
        chosen = self.post(self.logistics, f"/quotes/{quote.pk}/choose", {"justification": "售后更近"})
        self.assertTrue(chosen.json()["chosen"])
        refused = self.post(self.logistics, f"/requests/{request.pk}/order")
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(refused.json()["detail"][0]["loc"], ["body", "quote_exemption_reason"])
        self.assertIn("3", refused.json()["detail"][0]["msg"])
        ordered = self.post(self.logistics, f"/requests/{request.pk}/order", {"quote_exemption_reason": "仅两家"})
        self.assertEqual(ordered.json()["status"], "ordered")


class RequestApiTests(ProcurementApiTestCase):
    def test_a_bad_funding_source_or_no_lines_is_422(self):
        self.assertEqual(self.create(funding_source="小金库").status_code, 422)
        self.assertEqual(self.create(lines=[]).status_code, 422)

    def test_a_lighter_method_than_the_amount_needs_is_422_with_the_message(self):
        response = self.create(lines=[{**ROPES, "quantity": "400"}], method="direct")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "method"])

    def test_the_requester_cannot_approve_their_own_request(self):
        request = services.request_submit(actor=self.logistics, request=make_request(self.logistics))
        response = self.post(self.logistics, f"/requests/{request.pk}/approve")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["detail"], _(pr.CANNOT_DECIDE_OWN))

    def test_a_teacher_cannot_approve(self):
        request = services.request_submit(actor=self.teacher, request=make_request(self.teacher))
        self.assertEqual(self.post(self.headteacher, f"/requests/{request.pk}/approve").status_code, 403)

    def test_reject_with_a_comment(self):
        request = services.request_submit(actor=self.teacher, request=make_request(self.teacher))
        self.assertEqual(self.post(self.logistics, f"/requests/{request.pk}/reject", {"comment": ""}).status_code, 422)
        rejected = self.post(self.logistics, f"/requests/{request.pk}/reject", {"comment": "库房有存货"})
        self.assertEqual(rejected.json()["status"], "rejected")
        self.assertEqual(rejected.json()["steps"][0]["comment"], "库房有存货")

    def test_a_second_price_from_one_supplier_is_422(self):
        request = make_request(self.teacher)
        self.post(self.logistics, f"/requests/{request.pk}/quotes", {"supplier_name": "甲", "amount": "100"})
        again = self.post(self.logistics, f"/requests/{request.pk}/quotes", {"supplier_name": "甲", "amount": "90"})
        self.assertEqual(again.status_code, 422)
        self.assertEqual(again.json()["detail"][0]["msg"], _(pr.ONE_PRICE_PER_SUPPLIER) % {"supplier": "甲"})

    def test_another_schools_request_is_404(self):
        other = make_request(self.teacher_b)
        self.assertEqual(self.get(self.teacher, f"/requests/{other.pk}").status_code, 404)
        self.assertEqual(self.post(self.logistics, f"/requests/{other.pk}/approve").status_code, 404)

    def test_anonymous_is_401(self):
        self.assertEqual(self.api().get(BASE + "/requests").status_code, 401)

    def test_lists_mine_and_waiting(self):
        mine = make_request(self.teacher)
        waiting = services.request_submit(actor=self.headteacher, request=make_request(self.headteacher))
        body = self.get(self.teacher, "/requests?mine=true").json()
        self.assertEqual([r["id"] for r in body["items"]], [mine.pk])
        body = self.get(self.logistics, "/requests?waiting=true").json()
        self.assertEqual([r["id"] for r in body["items"]], [waiting.pk])
        self.assertEqual(body["count"], 1)

    def test_the_bureau_sees_the_district_and_approves_its_step(self):
        request = make_request(self.teacher, line("多媒体教室设备", "1", "150000"))
        services.request_submit(actor=self.teacher, request=request)
        services.request_approve(actor=self.logistics, request=request)
        services.request_approve(actor=self.principal, request=request)
        self.assertEqual(self.get(self.bureau, "/requests?waiting=true").json()["count"], 1)
        approved = self.post(self.bureau, f"/requests/{request.pk}/approve", {"comment": "同意"})
        self.assertEqual(approved.json()["status"], "approved")


class AcceptanceApiTests(ProcurementApiTestCase):
    def setUp(self):
        self.request = approved_request(self)
        self.people = inspectors(self.school_a)

    def accept(self, people=None, lines=None, request=None):
        request = request or self.request
        body = {
            "inspectors": [p.pk for p in (self.people if people is None else people)],
            "lines": lines or [{"line_id": request.lines.get().pk, "accepted_quantity": "10"}],
            "passed": True,
        }
        return self.post(self.assetkeeper, f"/requests/{request.pk}/acceptance", body)

    def test_one_inspector_is_422(self):
        response = self.accept(people=self.people[:1])
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["msg"], _(acc.AT_LEAST_TWO_INSPECTORS))

    def test_an_inspector_of_another_school_is_404(self):
        stranger = Person.objects.create(school=self.school_b, name="外校")
        self.assertEqual(self.accept(people=[self.people[0], stranger]).status_code, 404)

    def test_a_line_of_another_request_is_422(self):
        other = approved_request(self)
        response = self.accept(lines=[{"line_id": other.lines.get().pk, "accepted_quantity": "1"}])
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["msg"], _(acc.LINE_NOT_IN_REQUEST))

    def test_a_request_not_approved_is_409(self):
        draft = make_request(self.teacher)
        self.assertEqual(self.accept(request=draft).status_code, 409)

    def test_the_acceptance_and_its_slip_are_readable(self):
        acceptance_id = self.accept().json()["id"]
        body = self.get(self.accountant, f"/acceptances/{acceptance_id}").json()
        self.assertRegex(body["slip_number"], r"^RK-\d{4}-00001$")
        self.assertEqual(body["total"], "150.00")
        self.assertEqual(sorted(body["inspectors"]), sorted(p.pk for p in self.people))
        self.assertEqual(self.get(self.teacher, f"/acceptances/{acceptance_id}").status_code, 403)


class RegisterApiTests(ProcurementApiTestCase):
    def test_a_supplier_is_added_and_listed(self):
        created = self.post(
            self.assetkeeper, "/suppliers", {"name": "城区体育用品店", "licence_expires_on": "2020-01-01"}
        )
        self.assertEqual(created.status_code, 201, created.content)
        self.assertTrue(created.json()["licence_expired"])
        self.assertEqual(self.get(self.teacher, "/suppliers?q=cqty").json()["count"], 1)
        self.assertEqual(self.post(self.teacher, "/suppliers", {"name": "x"}).status_code, 403)

    def test_a_donation_without_a_price_is_one_yuan(self):
        body = {
            "donor_name": "校友会",
            "kind": "goods",
            "description": "旧图书一批",
            "received_on": "2026-04-01",
            "value_basis": "nominal",
            "receipt_number": "0099",
            "purpose": "充实图书室",
        }
        created = self.post(self.accountant, "/donations", body)
        self.assertEqual(created.status_code, 201, created.content)
        self.assertEqual((created.json()["value"], created.json()["is_nominal"]), ("1.00", True))
        used = self.post(self.accountant, f"/donations/{created.json()['id']}/use", {"use": "已上架"})
        self.assertEqual(used.json()["use"], "已上架")
        refused = self.post(
            self.accountant, f"/donations/{created.json()['id']}/purpose", {"purpose": "x", "consent": ""}
        )
        self.assertEqual(refused.status_code, 422)

    def test_spending_for_the_accountant_only(self):
        approved_request(self, funding_source="财政拨款")
        body = self.get(self.accountant, "/spending").json()
        self.assertEqual(body["by_funding_source"][0]["committed"], "150.00")
        self.assertEqual(body["donations_total"], "0.00")
        self.assertEqual(self.get(self.teacher, "/spending").status_code, 403)
