import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.core.exporting import XLSX
from houqin.core.testing import HouqinTestCase
from houqin.procurement import services
from houqin.procurement.choices import RequestStatus
from houqin.procurement.models import Donation, PurchaseRequest, Quote, Supplier
from houqin.procurement.tests.factories import approved_request, inspectors, line, make_request
from houqin.stock.models import StockItem
from houqin.stock.tests.factories import make_item


class ProcurementViewTestCase(HouqinTestCase):
    def login(self, user):
        self.client.force_login(user, backend="houqin.accounts.backends.RoleBackend")

    def form_data(self, **extra):
        data = {
            "title": "体育课器材",
            "funding_source": "自筹",
            "reason": "体育课教学需要",
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-0-name": "跳绳",
            "lines-0-kind": "consumable",
            "lines-0-quantity": "10",
            "lines-0-unit": "根",
            "lines-0-estimated_unit_price": "15",
            "lines-1-name": "",
            "lines-1-kind": "consumable",
        }
        return {**data, **extra}


class AccessTests(ProcurementViewTestCase):
    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("procurement:request_list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_without_the_role_pages_are_403(self):
        self.login(self.teacher)
        for name in ("supplier_create", "donation_list", "spending"):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(f"procurement:{name}")).status_code, 403)
        request = approved_request(self)
        self.assertEqual(self.client.get(reverse("procurement:acceptance_create", args=[request.pk])).status_code, 403)

    def test_another_schools_request_is_404(self):
        other = make_request(self.teacher_b)
        self.login(self.logistics)
        self.assertEqual(self.client.get(other.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.post(reverse("procurement:request_approve", args=[other.pk])).status_code, 404)

    def test_actions_are_post_only(self):
        request = make_request(self.teacher)
        self.login(self.teacher)
        self.assertEqual(self.client.get(reverse("procurement:request_submit", args=[request.pk])).status_code, 405)


class RequestFormTests(ProcurementViewTestCase):
    def test_a_teacher_saves_a_draft_from_the_form(self):
        self.login(self.teacher)
        response = self.client.post(reverse("procurement:request_create"), self.form_data())
        request = PurchaseRequest.objects.get(school=self.school_a)
        self.assertRedirects(response, request.get_absolute_url())
        self.assertEqual(request.lines.get().quantity, Decimal("10"))
        self.assertEqual(request.requested_by, self.teacher)

    def test_check_shows_the_duplicates_and_the_method_without_saving(self):
        make_item(self.school_a, name="跳绳", unit="根", balance=30)
        self.login(self.teacher)
        response = self.client.post(reverse("procurement:request_create"), self.form_data(check="1"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(PurchaseRequest.objects.exists())
        self.assertEqual([d.name for d in response.context["duplicates"]], ["跳绳"])
        self.assertContains(response, 'data-testid="duplicates"')

    def test_check_flags_a_consumable_line_that_is_probably_an_asset(self):
        self.login(self.teacher)
        data = self.form_data(check="1", **{"lines-0-name": "打印机", "lines-0-estimated_unit_price": "1680"})
        response = self.client.post(reverse("procurement:request_create"), data)
        self.assertEqual(response.context["probably_assets"], ["打印机"])
        self.assertContains(response, 'data-testid="probably-assets"')

    def test_a_line_without_a_price_is_shown_beside_the_field(self):
        self.login(self.teacher)
        response = self.client.post(reverse("procurement:request_create"), self.form_data(**{"lines-0-unit": ""}))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["formset"].forms[0].errors["unit"])
        self.assertFalse(PurchaseRequest.objects.exists())

    def test_a_rule_of_the_service_comes_back_to_the_form(self):
        self.login(self.teacher)
        response = self.client.post(
            reverse("procurement:request_create"), self.form_data(method="direct", **{"lines-0-quantity": "400"})
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["method"])


class RequestPageTests(ProcurementViewTestCase):
    def test_the_requester_submits_and_the_director_approves_from_the_page(self):
        request = make_request(self.teacher)
        self.login(self.teacher)
        self.assertTrue(self.client.get(request.get_absolute_url()).context["can_submit"])
        self.client.post(reverse("procurement:request_submit", args=[request.pk]))
        self.login(self.logistics)
        page = self.client.get(request.get_absolute_url())
        self.assertTrue(page.context["can_decide"])
        self.client.post(reverse("procurement:request_approve", args=[request.pk]), {"comment": "同意"})
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.APPROVED)

    def test_the_requester_cannot_decide_and_a_refusal_is_a_message(self):
        request = services.request_submit(actor=self.logistics, request=make_request(self.logistics))
        self.login(self.logistics)
        self.assertFalse(self.client.get(request.get_absolute_url()).context["can_decide"])
        response = self.client.post(reverse("procurement:request_approve", args=[request.pk]), follow=True)
        self.assertEqual(len(list(response.context["messages"])), 1)
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.SUBMITTED)

    def test_quotes_side_by_side_with_the_lowest_and_the_chosen_marked(self):
        request = make_request(self.teacher, line("跳绳", "400", "15.00"))
        self.login(self.logistics)
        for supplier, amount in (("甲", "5900"), ("乙", "5800"), ("丙", "6000")):
            self.client.post(
                reverse("procurement:quote_add", args=[request.pk]), {"supplier_name": supplier, "amount": amount}
            )
        dearer = Quote.objects.get(supplier_name="甲")
        self.client.post(reverse("procurement:quote_choose", args=[dearer.pk]), {"justification": "售后近"})
        page = self.client.get(request.get_absolute_url())
        marks = [(q.supplier_name, lowest, q.chosen) for q, lowest in page.context["quotes"]]
        self.assertEqual(marks, [("乙", True, False), ("甲", False, True), ("丙", False, False)])
        self.assertContains(page, 'data-testid="lowest"', count=1)
        self.assertContains(page, 'data-testid="chosen"', count=1)

    def test_the_storekeeper_places_the_order_from_the_page(self):
        request = approved_request(self)
        self.login(self.assetkeeper)
        self.assertTrue(self.client.get(request.get_absolute_url()).context["can_order"])
        self.client.post(reverse("procurement:request_order", args=[request.pk]))
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ORDERED)

    def test_the_approval_queue_lists_what_waits_for_the_user(self):
        waiting = services.request_submit(actor=self.teacher, request=make_request(self.teacher))
        make_request(self.teacher)
        self.login(self.logistics)
        response = self.client.get(reverse("procurement:approval_queue"))
        self.assertEqual(list(response.context["object_list"]), [waiting])

    def test_the_bureau_starts_from_the_districts_requests(self):
        request = make_request(self.teacher)
        self.login(self.bureau)
        response = self.client.get(reverse("procurement:request_list"))
        self.assertEqual(list(response.context["object_list"]), [request])

    def test_list_query_count_does_not_grow_with_rows_and_exports(self):
        self.login(self.accountant)
        url = reverse("procurement:request_list") + "?scope=all"
        make_request(self.teacher)
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for _n in range(15):
            make_request(self.teacher)
        with CaptureQueriesContext(connection) as many:
            self.client.get(url)
        self.assertEqual(len(few), len(many))
        export = self.client.get(url + "&export=xlsx")
        self.assertEqual(export["Content-Type"].split(";")[0], XLSX)


class AcceptancePageTests(ProcurementViewTestCase):
    def test_the_storekeeper_accepts_and_gets_the_slip(self):
        request = approved_request(self)
        people = inspectors(self.school_a)
        self.login(self.assetkeeper)
        form = self.client.get(reverse("procurement:acceptance_create", args=[request.pk]))
        self.assertEqual(form.status_code, 200)
        line_id = request.lines.get().pk
        response = self.client.post(
            reverse("procurement:acceptance_create", args=[request.pk]),
            {
                "inspectors": [p.pk for p in people],
                "received_on": "2026-09-03",
                "passed": "on",
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "1",
                "lines-0-line_id": line_id,
                "lines-0-accepted_quantity": "10",
                "lines-0-unit_price": "15",
            },
        )
        acceptance = request.acceptances.get()
        self.assertRedirects(response, reverse("procurement:acceptance_slip", args=[acceptance.pk]))
        self.assertEqual(StockItem.objects.get(school=self.school_a).balance, Decimal("10"))
        slip = self.client.get(response["Location"])
        self.assertContains(slip, acceptance.slip_number)
        self.assertContains(slip, "壹佰伍拾元整")

    def test_one_inspector_comes_back_to_the_form(self):
        request = approved_request(self)
        person = inspectors(self.school_a)[0]
        self.login(self.assetkeeper)
        response = self.client.post(
            reverse("procurement:acceptance_create", args=[request.pk]),
            {
                "inspectors": [person.pk],
                "received_on": "2026-09-03",
                "passed": "on",
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "1",
                "lines-0-line_id": request.lines.get().pk,
                "lines-0-accepted_quantity": "10",
                "lines-0-unit_price": "15",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertFalse(request.acceptances.exists())


class RegisterPageTests(ProcurementViewTestCase):
    def test_the_buyer_adds_a_supplier(self):
        self.login(self.assetkeeper)
        response = self.client.post(reverse("procurement:supplier_create"), {"name": "城区体育用品店", "phone": "1"})
        supplier = Supplier.objects.get(school=self.school_a)
        self.assertRedirects(response, supplier.get_absolute_url())
        self.assertContains(self.client.get(reverse("procurement:supplier_list")), "城区体育用品店")

    def test_the_accountant_registers_a_donation_at_nominal_value(self):
        self.login(self.accountant)
        response = self.client.post(
            reverse("procurement:donation_create"),
            {
                "donor_name": "校友会",
                "donor_kind": "alumni",
                "kind": "goods",
                "description": "旧图书一批",
                "received_on": "2026-04-01",
                "value_basis": "nominal",
                "receipt_number": "0099",
                "purpose": "充实图书室",
            },
        )
        donation = Donation.objects.get(school=self.school_a)
        self.assertRedirects(response, donation.get_absolute_url())
        self.assertEqual(donation.value, Decimal("1.00"))
        self.client.post(reverse("procurement:donation_use", args=[donation.pk]), {"use": "已上架"})
        donation.refresh_from_db()
        self.assertEqual(donation.use, "已上架")

    def test_the_spending_report_for_the_accountant(self):
        approved_request(self, funding_source="财政拨款")
        Donation.objects.create(
            school=self.school_a,
            number="JZ-1",
            donor_name="家长",
            kind="works",
            description="喷泉",
            received_on=dt.date.today(),
            value=Decimal("52000"),
            value_basis="document",
            receipt_number="1",
            purpose="校园",
            recorded_by=self.accountant,
        )
        self.login(self.accountant)
        response = self.client.get(reverse("procurement:spending"))
        self.assertEqual(response.status_code, 200)
        rows = response.context["tables"][0][1]
        self.assertEqual([r.committed for r in rows], [Decimal("150.00")])
        self.assertContains(response, "52,000.00")
