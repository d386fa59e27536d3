"""The procedure page of a request (B4–B6, B8) and the procedure on the request page."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from houqin.procurement import services
from houqin.procurement.choices import ProcurementMethod
from houqin.procurement.models import PurchaseRequest
from houqin.procurement.services import Procedure
from houqin.procurement.tests.factories import approved_request, asset_line, make_request
from houqin.procurement.tests.test_views import ProcurementViewTestCase


class ProcedurePageTests(ProcurementViewTestCase):
    def setUp(self):
        self.request = make_request(self.teacher, asset_line("台式电脑", "8", "7000.00"), method="government")
        self.url = reverse("procurement:request_procedure", args=[self.request.pk])

    def test_without_the_permission_it_is_403(self):
        self.login(self.teacher)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, {}).status_code, 403)

    def test_another_schools_request_is_404(self):
        self.login(self.logistics_b)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_the_buyer_records_an_rfq_panel(self):
        self.login(self.logistics)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        data = {
            "statutory_method": "rfq",
            "non_open_reason": "规格标准统一、货源充足",
            "panel_experts": "张专家\n李专家",
            "panel_others": "王采购",
        }
        response = self.client.post(self.url, data)
        self.assertRedirects(response, self.request.get_absolute_url())
        self.request.refresh_from_db()
        self.assertEqual([m["expert"] for m in self.request.panel], [True, True, False])
        page = self.client.get(self.request.get_absolute_url())
        self.assertContains(page, "张专家")
        self.assertContains(page, 'data-testid="procedure"')

    def test_an_invalid_panel_comes_back_with_the_rule_and_nothing_saved(self):
        self.login(self.logistics)
        data = {"statutory_method": "rfq", "non_open_reason": "x", "panel_experts": "张专家\n李专家\n赵专家\n钱专家"}
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "B4")
        self.request.refresh_from_db()
        self.assertEqual(self.request.panel, [])

    def test_the_request_page_shows_the_contract_warning(self):
        request = approved_request(
            self,
            asset_line("台式电脑", "8", "7000.00"),
            method=ProcurementMethod.GOVERNMENT,
            procedure=Procedure(statutory_method="open_tender"),
        )
        today = timezone.localdate()
        services.award_record(actor=self.logistics, request=request, awarded_on=today - dt.timedelta(days=31))
        self.login(self.logistics)
        page = self.client.get(request.get_absolute_url())
        self.assertContains(page, 'data-testid="deadlines"')
        self.assertContains(page, "text-bg-danger")
        listed = self.client.get(reverse("procurement:request_list") + "?scope=all&contract=due")
        self.assertContains(listed, request.number)


class RequestFormReasonTests(ProcurementViewTestCase):
    def test_a_non_open_method_above_the_threshold_is_saved_with_its_reason(self):
        self.login(self.teacher)
        data = self.form_data(
            **{
                "lines-0-name": "教学楼改造",
                "lines-0-quantity": "1",
                "lines-0-unit": "项",
                "lines-0-estimated_unit_price": "2500000",
                "method": "government",
                "approval_document": "区财采批〔2026〕3号",
            }
        )
        refused = self.client.post(reverse("procurement:request_create"), data)
        self.assertContains(refused, "B8")
        saved = self.client.post(reverse("procurement:request_create"), {**data, "non_open_reason": "汛期前须完工"})
        self.assertEqual(saved.status_code, 302)
        self.assertEqual(PurchaseRequest.objects.get().non_open_reason, "汛期前须完工")


class ContractFormTests(ProcurementViewTestCase):
    def setUp(self):
        self.request = approved_request(
            self,
            asset_line("台式电脑", "8", "7000.00"),
            method=ProcurementMethod.GOVERNMENT,
            procedure=Procedure(statutory_method="open_tender"),
        )
        self.today = timezone.localdate()

    def url(self, name, request=None):
        return reverse(f"procurement:{name}", args=[(request or self.request).pk])

    def test_without_the_permission_it_is_403_and_another_school_404(self):
        self.login(self.teacher)
        self.assertEqual(self.client.post(self.url("request_award"), {"awarded_on": "2026-01-05"}).status_code, 403)
        self.login(self.logistics_b)
        self.assertEqual(self.client.post(self.url("request_award"), {"awarded_on": "2026-01-05"}).status_code, 404)

    def test_award_contract_and_supplements_from_the_request_page(self):
        self.login(self.logistics)
        page = self.client.get(self.request.get_absolute_url())
        self.assertContains(page, 'data-testid="award-form"')
        awarded = str(self.today - dt.timedelta(days=10))
        self.assertRedirects(
            self.client.post(self.url("request_award"), {"awarded_on": awarded}), self.request.get_absolute_url()
        )
        signed = str(self.today - dt.timedelta(days=5))
        self.client.post(self.url("request_contract"), {"signed_on": signed, "amount": "55000"})
        self.client.post(self.url("request_supplement"), {"amount": "5500", "signed_on": str(self.today)})
        self.request.refresh_from_db()
        self.assertEqual(self.request.contract_amount, 55000)
        self.assertEqual(self.request.supplements.count(), 1)
        response = self.client.post(
            self.url("request_supplement"), {"amount": "0.01", "signed_on": str(self.today)}, follow=True
        )
        self.assertContains(response, "B6")
        self.assertEqual(self.request.supplements.count(), 1)
