import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.assets.choices import AssetStatus
from houqin.assets.tests.factories import make_asset, make_place
from houqin.core.models import AuditEvent, PolicyValue
from houqin.core.testing import HouqinTestCase
from houqin.orgs.models import Department
from houqin.procurement import rules, selectors, services
from houqin.procurement.choices import (
    ApprovalLevel,
    FundingSource,
    ProcurementMethod,
    RequestStatus,
    StepStatus,
    ValueBasis,
)
from houqin.procurement.models import Donation, PurchaseRequest, Quote, Supplier
from houqin.procurement.services import purchase_requests as pr
from houqin.procurement.services import registers
from houqin.procurement.tests.factories import approved_request, asset_line, line, make_request
from houqin.stock.tests.factories import make_item


class MethodTests(HouqinTestCase):
    """B1: the procurement regime follows the estimated amount and the thresholds in force."""

    def method_for(self, amount):
        return rules.Thresholds.for_school(self.school_a).required_method(Decimal(amount))

    def test_the_default_thresholds(self):
        self.assertEqual(self.method_for("5000.00"), ProcurementMethod.DIRECT)
        self.assertEqual(self.method_for("5000.01"), ProcurementMethod.QUOTES)
        self.assertEqual(self.method_for("999999.99"), ProcurementMethod.QUOTES)
        self.assertEqual(self.method_for("1000000.00"), ProcurementMethod.GOVERNMENT)
        self.assertEqual(self.method_for("1500000.00"), ProcurementMethod.GOVERNMENT)
        self.assertEqual(self.method_for("2000000.00"), ProcurementMethod.TENDER)

    def test_a_school_override_of_the_quote_limit_applies(self):
        PolicyValue.objects.create(
            district=self.district,
            school=self.school_a,
            key="procurement.quote_required_above",
            value="1000",
            effective_from=dt.date(2020, 1, 1),
        )
        self.assertEqual(self.method_for("2000"), ProcurementMethod.QUOTES)
        self.assertEqual(rules.Thresholds.for_school(self.school_b).required_method(Decimal("2000")), "direct")

    def test_a_new_request_gets_the_method_its_amount_needs(self):
        request = make_request(self.teacher, line("跳绳", "400", "15.00"))
        self.assertEqual(request.estimated_total, Decimal("6000.00"))
        self.assertEqual(request.method, ProcurementMethod.QUOTES)

    def test_a_lighter_method_than_the_amount_needs_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "6000.00"):
            make_request(self.teacher, line("跳绳", "400", "15.00"), method=ProcurementMethod.DIRECT)

    def test_a_stricter_method_may_be_chosen(self):
        request = make_request(
            self.teacher, asset_line("台式电脑", "8", "7000.00"), method=ProcurementMethod.GOVERNMENT
        )
        self.assertEqual(request.method, ProcurementMethod.GOVERNMENT)

    def test_a_non_open_method_above_the_tender_threshold_needs_the_approval_document(self):
        lines = [asset_line("教学楼改造", "1", "2500000.00")]
        with self.assertRaises(ValidationError):
            make_request(self.teacher, *lines, method=ProcurementMethod.GOVERNMENT)
        request = make_request(
            self.teacher,
            *lines,
            method=ProcurementMethod.GOVERNMENT,
            approval_document="区财采批〔2026〕3号",
            procedure=services.Procedure(non_open_reason="汛期前必须完工，公开招标时间不足"),
        )
        self.assertEqual(request.method, ProcurementMethod.GOVERNMENT)
        self.assertEqual(request.non_open_reason, "汛期前必须完工，公开招标时间不足")


class CreateTests(HouqinTestCase):
    def test_numbers_run_per_school_and_year(self):
        year = timezone.localdate().year
        first = make_request(self.teacher)
        second = make_request(self.teacher)
        other = make_request(self.teacher_b)
        self.assertEqual(first.number, f"CG-{year}-00001")
        self.assertEqual(second.number, f"CG-{year}-00002")
        self.assertEqual(other.number, f"CG-{year}-00001")

    def test_the_request_is_a_draft_with_its_lines_and_total_and_is_audited(self):
        request = make_request(self.teacher, line("跳绳", "10", "15.00"), line("篮球", "5", "120.50", unit="个"))
        self.assertEqual(request.status, RequestStatus.DRAFT)
        self.assertEqual(request.estimated_total, Decimal("752.50"))
        self.assertEqual([ln.name for ln in request.lines.all()], ["跳绳", "篮球"])
        self.assertEqual(request.fiscal_year, timezone.localdate().year)
        self.assertAudited(request, "procurement.purchaserequest.created", actor=self.teacher)

    def test_a_request_without_lines_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(pr.NO_LINES)):
            services.request_create(actor=self.teacher, title="x", lines=[], funding_source="自筹", reason="x")

    def test_a_line_with_zero_quantity_or_a_negative_price_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(pr.QUANTITY_NOT_POSITIVE)):
            make_request(self.teacher, line(quantity="0"))
        with self.assertRaisesMessage(ValidationError, _(pr.PRICE_NEGATIVE)):
            make_request(self.teacher, line(price="-1"))

    def test_another_schools_store_item_or_department_is_refused(self):
        with self.assertRaises(ValidationError):
            make_request(self.teacher, line(stock_item=make_item(self.school_b)))
        with self.assertRaises(ValidationError):
            make_request(self.teacher, department=self.department_b)

    def test_assets_are_counted_in_whole_units(self):
        with self.assertRaisesMessage(ValidationError, "投影仪"):
            make_request(self.teacher, asset_line("投影仪", quantity="1.5"))

    def test_only_a_consumable_line_links_to_a_store_item(self):
        with self.assertRaisesMessage(ValidationError, _(pr.STOCK_ITEM_ONLY_FOR_CONSUMABLES)):
            make_request(self.teacher, asset_line(stock_item=make_item(self.school_a)))

    def test_an_unknown_funding_source_is_refused(self):
        with self.assertRaises(ValidationError):
            make_request(self.teacher, funding_source="小金库")

    def test_bureau_staff_cannot_draft_requests(self):
        with self.assertRaises(PermissionDenied):
            make_request(self.bureau)


class DuplicateTests(HouqinTestCase):
    """避免重复采购: what the school already has of the same kind is listed."""

    def test_stock_in_hand_with_a_matching_name_is_listed(self):
        paper = make_item(self.school_a, name="A4复印纸", balance=100)
        make_item(self.school_a, name="A3复印纸")  # none in hand
        make_item(self.school_b, name="A4复印纸", balance=5)
        found = selectors.duplicates_for(school=self.school_a, names=["复印纸"])
        self.assertEqual([(d.kind, d.id) for d in found], [("stock", paper.pk)])
        self.assertEqual(found[0].detail, "100 包")

    def test_a_store_item_whose_name_is_inside_the_line_name_is_listed(self):
        chalk = make_item(self.school_a, name="粉笔", unit="盒", balance=20)
        found = selectors.duplicates_for(school=self.school_a, names=["无尘粉笔"])
        self.assertEqual([d.id for d in found], [chalk.pk])

    def test_pinyin_initials_find_the_item(self):
        chalk = make_item(self.school_a, name="粉笔", unit="盒", balance=20)
        self.assertEqual([d.id for d in selectors.duplicates_for(school=self.school_a, names=["fb"])], [chalk.pk])

    def test_idle_assets_of_the_same_kind_are_listed(self):
        storeroom = make_place(self.school_a, "库房")
        idle = make_asset(self.assetkeeper, "投影仪", place=storeroom, status=AssetStatus.IDLE)
        make_asset(self.assetkeeper, "投影仪")  # in use
        make_asset(self.assetkeeper_b, "投影仪", status=AssetStatus.IDLE)
        found = selectors.duplicates_for(school=self.school_a, names=["投影仪"])
        self.assertEqual([(d.kind, d.id, d.detail) for d in found], [("asset", idle.pk, f"{idle.asset_no} · 库房")])

    def test_a_request_past_approval_lists_no_duplicates(self):
        make_item(self.school_a, name="跳绳", unit="根", balance=30)
        self.assertEqual(selectors.duplicates_for_request(approved_request(self, line("跳绳"))), [])

    def test_the_submission_records_the_duplicates_shown(self):
        make_item(self.school_a, name="跳绳", unit="根", balance=30)
        request = make_request(self.teacher, line("跳绳"))
        services.request_submit(actor=self.teacher, request=request)
        event = self.assertAudited(request, "procurement.purchaserequest.submitted", actor=self.teacher)
        self.assertEqual(event.changes["duplicates"][1], ["跳绳: 跳绳 (30 根)"])


class ApprovalTests(HouqinTestCase):
    def submitted(self, price="15.00", actor=None):
        request = make_request(actor or self.teacher, line("跳绳", "10", price))
        return services.request_submit(actor=actor or self.teacher, request=request)

    def test_a_small_request_needs_the_logistics_director_only(self):
        request = self.submitted()
        self.assertEqual(list(request.steps.values_list("level", flat=True)), [ApprovalLevel.LOGISTICS])
        services.request_approve(actor=self.logistics, request=request, comment="同意采购")
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.APPROVED)
        self.assertEqual(request.current_level, "")
        event = self.assertAudited(request, "procurement.purchaserequest.approved", actor=self.logistics)
        self.assertEqual(event.message, "同意采购")

    def test_above_the_principals_limit_the_principal_approves_second(self):
        request = self.submitted(price="1500.00")
        self.assertEqual(request.current_level, ApprovalLevel.LOGISTICS)
        services.request_approve(actor=self.logistics, request=request)
        request.refresh_from_db()
        self.assertEqual((request.status, request.current_level), (RequestStatus.SUBMITTED, ApprovalLevel.PRINCIPAL))
        self.assertAudited(request, "procurement.purchaserequest.step_approved", actor=self.logistics)
        services.request_approve(actor=self.principal, request=request)
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.APPROVED)

    def test_above_the_bureau_limit_the_bureau_approves_last(self):
        request = self.submitted(price="15000.00")
        self.assertEqual(
            list(request.steps.values_list("level", flat=True)),
            [ApprovalLevel.LOGISTICS, ApprovalLevel.PRINCIPAL, ApprovalLevel.BUREAU],
        )
        services.request_approve(actor=self.logistics, request=request)
        services.request_approve(actor=self.principal, request=request)
        with self.assertRaises(PermissionDenied):
            services.request_approve(actor=self.principal, request=request)
        services.request_approve(actor=self.bureau, request=request)
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.APPROVED)

    def test_the_limits_are_the_documented_defaults(self):
        self.assertEqual(rules.approval_levels(rules.PRINCIPAL_APPROVAL_ABOVE), [ApprovalLevel.LOGISTICS])
        self.assertEqual(len(rules.approval_levels(rules.PRINCIPAL_APPROVAL_ABOVE + Decimal("0.01"))), 2)
        self.assertEqual(len(rules.approval_levels(rules.BUREAU_APPROVAL_ABOVE + Decimal("0.01"))), 3)

    def test_nobody_approves_their_own_request(self):
        request = self.submitted(actor=self.logistics)
        with self.assertRaisesMessage(ValidationError, _(pr.CANNOT_DECIDE_OWN)):
            services.request_approve(actor=self.logistics, request=request)
        services.request_approve(actor=self.principal, request=request)  # the principal may decide the first step

    def test_a_teacher_cannot_approve(self):
        with self.assertRaisesMessage(PermissionDenied, _(pr.NOT_AN_APPROVER)):
            services.request_approve(actor=self.headteacher, request=self.submitted())

    def test_the_logistics_director_cannot_decide_the_principals_step(self):
        request = self.submitted(price="1500.00")
        services.request_approve(actor=self.logistics, request=request)
        with self.assertRaises(PermissionDenied):
            services.request_approve(actor=self.logistics, request=request)

    def test_a_rejection_needs_a_comment_and_ends_the_request(self):
        request = self.submitted()
        with self.assertRaisesMessage(ValidationError, _(pr.COMMENT_REQUIRED)):
            services.request_reject(actor=self.logistics, request=request, comment=" ")
        services.request_reject(actor=self.logistics, request=request, comment="库房尚有存货")
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.REJECTED)
        self.assertEqual(request.steps.get().status, StepStatus.REJECTED)
        event = self.assertAudited(request, "procurement.purchaserequest.rejected", actor=self.logistics)
        self.assertEqual(event.message, "库房尚有存货")

    def test_a_draft_cannot_be_approved(self):
        with self.assertRaises(ValidationError):
            services.request_approve(actor=self.logistics, request=make_request(self.teacher))

    def test_only_the_requester_submits_and_only_once(self):
        request = make_request(self.teacher)
        with self.assertRaisesMessage(PermissionDenied, _(pr.ONLY_REQUESTER)):
            services.request_submit(actor=self.headteacher, request=request)
        services.request_submit(actor=self.teacher, request=request)
        with self.assertRaises(ValidationError):
            services.request_submit(actor=self.teacher, request=request)

    def test_the_approval_queue_lists_the_requests_at_the_users_level(self):
        small, large = self.submitted(), self.submitted(price="1500.00")
        self.assertEqual(set(selectors.requests_waiting_for(user=self.logistics)), {small, large})
        self.assertEqual(list(selectors.requests_waiting_for(user=self.principal)), [small, large][::-1])
        services.request_approve(actor=self.logistics, request=large)
        self.assertEqual(list(selectors.requests_waiting_for(user=self.logistics)), [small])
        self.assertEqual(list(selectors.requests_waiting_for(user=self.teacher)), [])


class CancelTests(HouqinTestCase):
    def test_the_requester_withdraws_a_draft(self):
        request = services.request_cancel(actor=self.teacher, request=make_request(self.teacher))
        self.assertEqual(request.status, RequestStatus.CANCELLED)

    def test_an_approved_request_is_cancelled_by_the_buyer_with_a_reason(self):
        request = approved_request(self)
        with self.assertRaises(PermissionDenied):
            services.request_cancel(actor=self.teacher, request=request, reason="不需要了")
        with self.assertRaisesMessage(ValidationError, _(pr.CANCEL_REASON_REQUIRED)):
            services.request_cancel(actor=self.logistics, request=request)
        services.request_cancel(actor=self.logistics, request=request, reason="学期调整")
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.CANCELLED)


class QuoteTests(HouqinTestCase):
    def setUp(self):
        self.request = make_request(self.teacher, line("跳绳", "400", "15.00"))

    def quote(self, supplier, amount, **kw):
        return services.quote_add(
            actor=self.logistics, request=self.request, supplier_name=supplier, amount=Decimal(amount), **kw
        )

    def test_quotes_are_recorded_and_audited_on_the_request(self):
        quote = self.quote("城区体育用品店", "5800")
        self.assertEqual(quote.amount, Decimal("5800.00"))
        self.assertAudited(self.request, "procurement.quote.added", actor=self.logistics)

    def test_a_second_price_from_the_same_supplier_is_refused(self):
        self.quote("城区体育用品店", "5800")
        with self.assertRaises(ValidationError):
            self.quote("城区 体育用品店", "5600")
        self.assertEqual(Quote.objects.count(), 1)

    def test_a_zero_amount_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(pr.AMOUNT_NOT_POSITIVE)):
            self.quote("城区体育用品店", "0")

    def test_a_known_supplier_is_linked_by_name(self):
        supplier = services.supplier_create(actor=self.logistics, school=self.school_a, name="城区体育用品店")
        self.assertEqual(self.quote("城区体育用品店", "5800").supplier, supplier)

    def test_a_teacher_cannot_record_quotes(self):
        with self.assertRaises(PermissionDenied):
            services.quote_add(actor=self.teacher, request=self.request, supplier_name="x", amount=Decimal("1"))

    def test_choosing_the_lowest_needs_no_justification(self):
        self.quote("甲", "5800")
        lowest = self.quote("乙", "5600")
        services.quote_choose(actor=self.logistics, quote=lowest)
        self.assertTrue(Quote.objects.get(pk=lowest.pk).chosen)

    def test_choosing_a_higher_quote_needs_a_justification(self):
        dearer = self.quote("甲", "5800")
        self.quote("乙", "5600")
        with self.assertRaisesMessage(ValidationError, "5600.00"):
            services.quote_choose(actor=self.logistics, quote=dearer)
        services.quote_choose(actor=self.logistics, quote=dearer, justification="乙家质保期短")
        self.request.refresh_from_db()
        self.assertEqual(self.request.choice_justification, "乙家质保期短")
        event = self.assertAudited(self.request, "procurement.quote.chosen", actor=self.logistics)
        self.assertEqual(event.message, "乙家质保期短")

    def test_only_one_quote_is_chosen(self):
        first, second = self.quote("甲", "5600"), self.quote("乙", "5600")
        services.quote_choose(actor=self.logistics, quote=first)
        services.quote_choose(actor=self.logistics, quote=second)
        self.assertEqual(list(Quote.objects.filter(chosen=True)), [second])

    def test_no_quotes_after_ordering(self):
        request = approved_request(self, line("跳绳", "10", "15.00"))
        services.request_order(actor=self.logistics, request=request)
        with self.assertRaisesMessage(ValidationError, _(pr.NOT_QUOTABLE)):
            services.quote_add(actor=self.logistics, request=request, supplier_name="甲", amount=Decimal("1"))


class OrderTests(HouqinTestCase):
    def quotes(self, request, *amounts):
        return [
            services.quote_add(
                actor=self.logistics, request=request, supplier_name=f"供应商{n}", amount=Decimal(amount)
            )
            for n, amount in enumerate(amounts)
        ]

    def test_fewer_than_three_quotes_need_a_recorded_reason(self):
        request = approved_request(self, line("跳绳", "400", "15.00"))
        services.quote_choose(actor=self.logistics, quote=self.quotes(request, "5800", "5900")[0])
        with self.assertRaisesMessage(ValidationError, "2"):
            services.request_order(actor=self.logistics, request=request)
        services.request_order(actor=self.logistics, request=request, quote_exemption_reason="本地仅两家供应商")
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ORDERED)
        self.assertEqual(request.quote_exemption_reason, "本地仅两家供应商")

    def test_three_quotes_and_a_chosen_one_allow_the_order(self):
        request = approved_request(self, line("跳绳", "400", "15.00"))
        quotes = self.quotes(request, "5800", "5600", "5900")
        with self.assertRaisesMessage(ValidationError, _(pr.CHOOSE_A_QUOTE)):
            services.request_order(actor=self.logistics, request=request)
        services.quote_choose(actor=self.logistics, quote=quotes[1])
        services.request_order(actor=self.logistics, request=request)
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ORDERED)
        self.assertAudited(request, "procurement.purchaserequest.ordered", actor=self.logistics)

    def test_government_procurement_needs_its_reference_number(self):
        request = approved_request(self, asset_line("台式电脑", "8", "7000.00"), method=ProcurementMethod.GOVERNMENT)
        with self.assertRaises(ValidationError):
            services.request_order(actor=self.logistics, request=request)
        services.request_order(actor=self.logistics, request=request, reference_number="DZMC-2026-0815")
        request.refresh_from_db()
        self.assertEqual(request.reference_number, "DZMC-2026-0815")

    def test_a_small_purchase_is_ordered_without_quotes(self):
        request = approved_request(self)
        services.request_order(actor=self.assetkeeper, request=request)
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ORDERED)

    def test_only_an_approved_request_is_ordered_and_only_by_a_buyer(self):
        with self.assertRaises(ValidationError):
            services.request_order(actor=self.logistics, request=make_request(self.teacher))
        with self.assertRaises(PermissionDenied):
            services.request_order(actor=self.teacher, request=approved_request(self))

    def test_ordering_errors_name_what_is_missing(self):
        request = approved_request(self, line("跳绳", "400", "15.00"))
        self.assertEqual(set(services.ordering_errors(request)), {"quote_exemption_reason"})


class ProbablyAssetTests(HouqinTestCase):
    """A8: what reaches the fixed-asset threshold should become a card, not a store item."""

    def test_a_consumable_line_at_the_threshold_is_flagged(self):
        lines = [line("打印机", "1", "1000.00", unit="台"), line("硒鼓", "2", "999.99", unit="个"), asset_line()]
        self.assertEqual(selectors.probably_assets(school=self.school_a, lines=lines), ["打印机"])


class SuggestedPriceTests(HouqinTestCase):
    def test_the_estimates_without_a_chosen_quote_and_scaled_to_it_otherwise(self):
        request = make_request(self.teacher, line("跳绳", "100", "15.00"), line("篮球", "20", "125.00"))
        ropes, balls = request.lines.all()
        self.assertEqual(selectors.suggested_unit_prices(request), {ropes.pk: Decimal("15.00"), balls.pk: 125})
        quote = services.quote_add(actor=self.logistics, request=request, supplier_name="甲", amount=Decimal("3600"))
        services.quote_choose(actor=self.logistics, quote=quote)
        self.assertEqual(
            selectors.suggested_unit_prices(request), {ropes.pk: Decimal("13.50"), balls.pk: Decimal("112.50")}
        )


class SplitPurchaseTests(HouqinTestCase):
    """B2 (化整为零): same item, same fiscal year, a sum that needs a stricter method than was used."""

    def test_two_small_purchases_of_the_same_item_above_the_quote_limit_are_flagged(self):
        first = make_request(self.teacher, line("跳绳", "200", "15.00"))
        services.request_submit(actor=self.teacher, request=first)
        second = make_request(self.teacher, line("跳绳", "200", "15.00"))
        warnings = selectors.split_warnings(second)
        self.assertEqual(len(warnings), 1)
        self.assertEqual(warnings[0].total, Decimal("6000.00"))
        self.assertEqual(warnings[0].required, ProcurementMethod.QUOTES)
        self.assertEqual(warnings[0].numbers, [first.number, second.number])

    def test_a_single_request_or_another_item_is_not_flagged(self):
        services.request_submit(actor=self.teacher, request=make_request(self.teacher, line("篮球", "40", "120")))
        self.assertEqual(selectors.split_warnings(make_request(self.teacher, line("跳绳", "200", "15.00"))), [])

    def test_rejected_requests_and_other_years_do_not_count(self):
        old = make_request(self.teacher, line("跳绳", "200", "15.00"))
        services.request_submit(actor=self.teacher, request=old)
        PurchaseRequest.objects.filter(pk=old.pk).update(fiscal_year=old.fiscal_year - 1)
        draft = make_request(self.teacher, line("跳绳", "200", "15.00"))  # drafts are not live
        self.assertEqual(selectors.split_warnings(make_request(self.teacher, line("跳绳", "200", "15.00"))), [])
        self.assertTrue(draft.pk)

    def test_purchases_already_under_the_stricter_method_are_not_flagged(self):
        first = make_request(self.teacher, line("跳绳", "200", "15.00"), method=ProcurementMethod.QUOTES)
        services.request_submit(actor=self.teacher, request=first)
        second = make_request(self.teacher, line("跳绳", "200", "15.00"), method=ProcurementMethod.QUOTES)
        self.assertEqual(selectors.split_warnings(second), [])


class SupplierTests(HouqinTestCase):
    def test_the_buyer_adds_a_supplier_and_a_name_twice_is_refused(self):
        supplier = services.supplier_create(
            actor=self.assetkeeper,
            school=self.school_a,
            name="城区体育用品店",
            licence_number="91110000MA01",
            licence_expires_on=dt.date(2020, 1, 1),
        )
        self.assertTrue(supplier.licence_expired)
        self.assertAudited(supplier, "procurement.supplier.created", actor=self.assetkeeper)
        with self.assertRaises(ValidationError):
            services.supplier_create(actor=self.assetkeeper, school=self.school_a, name="城区体育用品店")

    def test_a_teacher_cannot_add_suppliers(self):
        with self.assertRaises(PermissionDenied):
            services.supplier_create(actor=self.teacher, school=self.school_a, name="x")

    def test_a_supplier_is_updated_with_its_history(self):
        supplier = Supplier.objects.create(school=self.school_a, name="甲")
        services.supplier_update(actor=self.logistics, supplier=supplier, phone="13800000000")
        self.assertAudited(supplier, "procurement.supplier.updated", actor=self.logistics)


class DonationTests(HouqinTestCase):
    def donate(self, **fields):
        values = {
            "donor_name": "五年二班朱厚达同学家长",
            "kind": "works",
            "description": "修建喷泉及养鱼池",
            "received_on": dt.date(2026, 5, 20),
            "value_basis": ValueBasis.DOCUMENT,
            "value": Decimal("30000"),
            "receipt_number": "0012345",
            "purpose": "校园环境改造",
            **fields,
        }
        return services.donation_create(actor=self.accountant, school=self.school_a, **values)

    def test_a_donation_is_registered_with_its_number_and_receipt(self):
        donation = self.donate()
        self.assertEqual(donation.number, "JZ-2026-00001")
        self.assertEqual(donation.value, Decimal("30000.00"))
        self.assertAudited(donation, "procurement.donation.created", actor=self.accountant)

    def test_without_a_document_appraisal_or_price_it_is_recorded_at_one_yuan(self):
        donation = self.donate(value_basis=ValueBasis.NOMINAL, value=None, description="旧图书一批")
        self.assertEqual(donation.value, Decimal("1.00"))
        self.assertTrue(donation.is_nominal)

    def test_a_value_is_needed_otherwise(self):
        with self.assertRaisesMessage(ValidationError, _(registers.VALUE_REQUIRED)):
            self.donate(value=None)

    def test_a_receipt_number_is_registered_once(self):
        self.donate()
        with self.assertRaises(ValidationError):
            self.donate(description="铺沥青路面")
        self.assertEqual(Donation.objects.count(), 1)

    def test_the_use_is_recorded(self):
        donation = services.donation_record_use(actor=self.accountant, donation=self.donate(), use="喷泉已建成")
        self.assertEqual(donation.use, "喷泉已建成")
        self.assertAudited(donation, "procurement.donation.updated", actor=self.accountant)

    def test_a_change_of_purpose_needs_the_donors_consent(self):
        donation = self.donate()
        with self.assertRaisesMessage(ValidationError, _(registers.CONSENT_REQUIRED)):
            services.donation_change_purpose(actor=self.accountant, donation=donation, purpose="购买图书", consent="")
        donation = services.donation_change_purpose(
            actor=self.accountant, donation=donation, purpose="购买图书", consent="家长2026-06-01书面同意"
        )
        self.assertEqual((donation.purpose, donation.purpose_consent), ("购买图书", "家长2026-06-01书面同意"))

    def test_a_teacher_cannot_register_donations(self):
        with self.assertRaises(PermissionDenied):
            services.donation_create(
                actor=self.teacher,
                school=self.school_a,
                donor_name="x",
                kind="money",
                description="x",
                received_on=dt.date(2026, 1, 1),
                value_basis=ValueBasis.DOCUMENT,
                value=Decimal("1"),
                receipt_number="1",
                purpose="x",
            )


class SpendingTests(HouqinTestCase):
    def test_approved_requests_are_committed_by_funding_source_and_department(self):
        department = Department.objects.create(school=self.school_a, name="体育组")
        approved_request(self, line("跳绳", "10", "15.00"), department=department, funding_source="财政拨款")
        make_request(self.teacher, line("篮球", "1", "100"))  # a draft is not spending
        year = timezone.localdate().year
        by_source = selectors.spending_by_funding_source(user=self.accountant, year=year)
        self.assertEqual(
            [(r.label, r.committed, r.spent) for r in by_source], [(str(FundingSource.FISCAL.label), 150, 0)]
        )
        by_department = selectors.spending_by_department(user=self.accountant, year=year)
        self.assertEqual([(r.label, r.committed) for r in by_department], [("体育组", Decimal("150.00"))])
        self.assertEqual(selectors.spending_by_funding_source(user=self.accountant_b, year=year), [])

    def test_donations_total_counts_the_year(self):
        Donation.objects.create(
            school=self.school_a,
            number="JZ-1",
            donor_name="x",
            kind="money",
            description="x",
            received_on=dt.date(2026, 3, 1),
            value=Decimal("52000"),
            value_basis=ValueBasis.DOCUMENT,
            receipt_number="1",
            purpose="x",
            recorded_by=self.accountant,
        )
        self.assertEqual(selectors.donations_total(user=self.principal, year=2026), Decimal("52000"))
        self.assertEqual(selectors.donations_total(user=self.principal, year=2025), 0)


class AuditTrailTests(HouqinTestCase):
    def test_every_decision_of_the_chain_is_in_the_requests_history(self):
        request = approved_request(self, line("跳绳", "100", "150.00"))
        actions = list(
            AuditEvent.objects.filter(target_id=str(request.pk), target_type="procurement.purchaserequest")
            .order_by("id")
            .values_list("action", flat=True)
        )
        self.assertEqual(
            actions,
            [
                "procurement.purchaserequest.created",
                "procurement.purchaserequest.submitted",
                "procurement.purchaserequest.step_approved",
                "procurement.purchaserequest.approved",
            ],
        )
