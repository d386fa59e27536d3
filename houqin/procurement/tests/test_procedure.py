"""The statutory procedure (B4 panel, B5 single source, B6 deadlines, B8 retention and the non-open reason)."""

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.models import PolicyValue
from houqin.core.testing import HouqinTestCase
from houqin.procurement import rules, selectors, services, today
from houqin.procurement.choices import ProcurementMethod, RequestStatus, SingleSourceReason, StatutoryMethod
from houqin.procurement.models import PurchaseRequest
from houqin.procurement.services import Procedure
from houqin.procurement.services import procedure as proc
from houqin.procurement.tests.factories import approved_request, asset_line, make_request

GOV = ProcurementMethod.GOVERNMENT
RFQ = StatutoryMethod.RFQ
PCS = asset_line("台式电脑", "8", "7000.00")  # 56,000 yuan


def panel(members: int, experts: int) -> list[services.PanelMember]:
    return [services.PanelMember(name=f"评审{n}", expert=n <= experts) for n in range(1, members + 1)]


def gov(cast, *lines, **procedure):
    return make_request(cast.teacher, *(lines or [PCS]), method=GOV, procedure=Procedure(**procedure))


class WorkingDayTests(HouqinTestCase):
    def test_working_days_skip_the_weekend(self):
        friday = dt.date(2026, 11, 20)
        self.assertEqual(rules.add_working_days(friday, 1), dt.date(2026, 11, 23))
        self.assertEqual(rules.add_working_days(friday, 5), dt.date(2026, 11, 27))
        self.assertEqual(rules.working_days_between(friday, dt.date(2026, 11, 27)), 5)


class NonOpenReasonTests(HouqinTestCase):
    """B8: the record states the reason for any non-open method."""

    def test_a_non_open_government_method_needs_its_reason(self):
        with self.assertRaisesMessage(ValidationError, "B8"):
            gov(self, statutory_method=StatutoryMethod.INVITED_TENDER)
        request = gov(self, statutory_method=StatutoryMethod.INVITED_TENDER, non_open_reason="专业性强，供应商有限")
        self.assertEqual(request.non_open_reason, "专业性强，供应商有限")

    def test_open_tender_and_school_purchases_need_no_reason(self):
        request = gov(self, statutory_method=StatutoryMethod.OPEN_TENDER)
        self.assertEqual(request.non_open_reason, "")
        self.assertEqual(make_request(self.teacher).statutory_method, "")

    def test_an_open_tender_request_cannot_follow_another_procedure(self):
        with self.assertRaises(ValidationError):
            make_request(
                self.teacher,
                asset_line("教学楼改造", "1", "2500000.00"),
                method=ProcurementMethod.TENDER,
                procedure=Procedure(statutory_method=RFQ, non_open_reason="x"),
            )


class PanelTests(HouqinTestCase):
    """B4: an RFQ or negotiation panel has an odd number of members, at least 3, at least two thirds experts."""

    def make(self, members, experts, method=RFQ):
        return gov(self, statutory_method=method, non_open_reason="规格标准统一", panel=panel(members, experts))

    def test_three_members_with_two_experts_is_valid(self):
        request = self.make(3, 2)
        self.assertEqual(len(request.panel), 3)
        self.assertEqual(sum(m["expert"] for m in request.panel), 2)

    def test_an_even_panel_is_refused_naming_the_rule(self):
        with self.assertRaisesMessage(ValidationError, "B4"):
            self.make(4, 4)

    def test_fewer_than_three_members_are_refused(self):
        with self.assertRaises(ValidationError):
            self.make(1, 1, StatutoryMethod.NEGOTIATION)

    def test_fewer_than_two_thirds_experts_are_refused(self):
        with self.assertRaises(ValidationError):
            self.make(3, 1)
        with self.assertRaises(ValidationError):
            self.make(5, 3)
        self.assertEqual(len(self.make(5, 4, StatutoryMethod.NEGOTIATION).panel), 5)

    def test_a_panel_belongs_to_rfq_or_negotiation_only(self):
        with self.assertRaises(ValidationError):
            gov(self, statutory_method=StatutoryMethod.OPEN_TENDER, panel=panel(3, 3))

    def test_ordering_an_rfq_needs_its_panel(self):
        request = approved_request(
            self, PCS, method=GOV, procedure=Procedure(statutory_method=RFQ, non_open_reason="x")
        )
        with self.assertRaisesMessage(ValidationError, "B4"):
            services.request_order(actor=self.logistics, request=request, reference_number="XJ-1")
        services.procedure_update(
            actor=self.logistics,
            request=request,
            procedure=Procedure(statutory_method=RFQ, non_open_reason="x", panel=panel(3, 2)),
        )
        self.assertAudited(request, "procurement.purchaserequest.procedure_changed", actor=self.logistics)
        services.request_order(actor=self.logistics, request=request, reference_number="XJ-1")
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ORDERED)

    def test_only_buyers_change_the_procedure(self):
        request = gov(self)
        with self.assertRaises(PermissionDenied):
            services.procedure_update(actor=self.teacher, request=request, procedure=Procedure())


class SingleSourceTests(HouqinTestCase):
    """B5: a statutory reason; an add-on within 10% of the original contract; publication 5 working days ahead."""

    def single(self, *lines, **fields):
        values = {"statutory_method": StatutoryMethod.SINGLE_SOURCE, "non_open_reason": "专利产品", **fields}
        return gov(self, *lines, **values)

    def test_single_source_needs_a_statutory_reason(self):
        with self.assertRaisesMessage(ValidationError, "B5"):
            self.single()
        request = self.single(single_source_reason=SingleSourceReason.UNIQUE_SUPPLIER)
        self.assertEqual(request.single_source_reason, SingleSourceReason.UNIQUE_SUPPLIER)

    def test_an_add_on_is_at_most_ten_percent_of_the_original_contract(self):
        add_on = {"single_source_reason": SingleSourceReason.ADD_ON}
        with self.assertRaises(ValidationError):
            self.single(**add_on)  # the original amount is missing
        self.single(**add_on, original_contract_amount=Decimal("560000.00"))  # 56,000 = 10%
        with self.assertRaisesMessage(ValidationError, "10%"):
            self.single(**add_on, original_contract_amount=Decimal("559440.56"))  # 56,000 ≈ 10.01%

    def above_threshold(self):
        return approved_request(
            self,
            asset_line("专用实验设备", "1", "2500000.00"),
            method=GOV,
            approval_document="区财采批〔2026〕9号",
            procedure=Procedure(
                statutory_method=StatutoryMethod.SINGLE_SOURCE,
                non_open_reason="仅一家供应商",
                single_source_reason=SingleSourceReason.UNIQUE_SUPPLIER,
            ),
        )

    def test_above_the_threshold_the_publication_is_five_working_days_before_the_award(self):
        request = self.above_threshold()
        monday = dt.date(2026, 11, 2)
        with self.assertRaisesMessage(ValidationError, "B5"):
            services.award_record(actor=self.logistics, request=request, awarded_on=dt.date(2026, 11, 6))
        with self.assertRaises(ValidationError):  # Monday + 4 working days
            services.award_record(
                actor=self.logistics, request=request, awarded_on=dt.date(2026, 11, 6), publication_date=monday
            )
        services.award_record(
            actor=self.logistics, request=request, awarded_on=dt.date(2026, 11, 9), publication_date=monday
        )
        request.refresh_from_db()
        self.assertEqual(request.awarded_on, dt.date(2026, 11, 9))
        self.assertAudited(request, "procurement.purchaserequest.awarded", actor=self.logistics)

    def test_ordering_above_the_threshold_needs_the_publication(self):
        request = self.above_threshold()
        errors = services.ordering_errors(request)
        self.assertIn("publication_date", errors)


class TenderPeriodTests(HouqinTestCase):
    """B6: at least 20 calendar days from issuing the tender documents to the bid deadline."""

    def tender(self, days):
        issued = dt.date(2026, 10, 1)
        return gov(
            self,
            statutory_method=StatutoryMethod.OPEN_TENDER,
            tender_issued_on=issued,
            bid_deadline=issued + dt.timedelta(days=days),
        )

    def test_exactly_twenty_days_is_allowed(self):
        self.assertEqual(self.tender(20).bid_deadline, dt.date(2026, 10, 21))

    def test_nineteen_days_are_refused(self):
        with self.assertRaisesMessage(ValidationError, "B6"):
            self.tender(19)

    def test_ordering_a_tender_needs_its_dates(self):
        request = approved_request(self, PCS, method=GOV, procedure=Procedure(statutory_method="open_tender"))
        self.assertIn("bid_deadline", services.ordering_errors(request))


class ContractTests(HouqinTestCase):
    """B6: the contract within 30 days of the award (warning from day 25), published within 2 and filed within 7
    working days of signing; supplementary contracts within 10% of the original."""

    def setUp(self):
        self.request = approved_request(
            self, PCS, method=GOV, procedure=Procedure(statutory_method=StatutoryMethod.OPEN_TENDER)
        )
        self.today = timezone.localdate()

    def award(self, days_ago):
        services.award_record(
            actor=self.logistics, request=self.request, awarded_on=self.today - dt.timedelta(days=days_ago)
        )
        self.request.refresh_from_db()

    def sign(self, signed_on, **kw):
        services.contract_record(
            actor=self.logistics, request=self.request, signed_on=signed_on, amount=Decimal("55000"), **kw
        )
        self.request.refresh_from_db()

    def state(self, today=None):
        return selectors.deadlines_of(self.request, today or self.today)

    def test_the_warning_starts_on_day_25_and_the_flag_after_day_30(self):
        self.award(24)
        self.assertFalse(self.state().contract_warning)
        self.assertFalse(selectors.contract_deadlines(user=self.logistics))
        self.award(25)
        self.assertTrue(self.state().contract_warning)
        titles = [item.title for item in today.items_for(self.logistics)]
        self.assertIn(_("Contracts to sign within 30 days of the award"), titles)
        self.award(30)
        self.assertTrue(self.state().contract_warning)
        self.assertFalse(self.state().contract_overdue)
        self.award(31)
        self.assertTrue(self.state().contract_overdue)
        self.assertEqual([r for r, _s in selectors.contract_deadlines(user=self.logistics)], [self.request])
        self.assertFalse(selectors.contract_deadlines(user=self.logistics_b))

    def test_the_warning_day_is_a_district_setting(self):
        PolicyValue.objects.create(
            key="procurement.contract_warn_day", district=self.district, value="20", effective_from=dt.date(2020, 1, 1)
        )
        self.award(20)
        self.assertTrue(self.state().contract_warning)

    def test_the_contract_needs_the_award_first(self):
        with self.assertRaises(ValidationError):
            self.sign(self.today)

    def test_publication_and_filing_are_flagged_when_late(self):
        self.award(40)
        friday = self.today - dt.timedelta(days=(self.today.weekday() - 4) % 7 + 14)
        self.sign(friday)
        on_time = self.state(rules.add_working_days(friday, 2))
        self.assertFalse(on_time.publication_overdue)
        self.assertTrue(self.state(rules.add_working_days(friday, 3)).publication_overdue)
        self.assertFalse(self.state(rules.add_working_days(friday, 7)).filing_overdue)
        self.assertTrue(self.state(rules.add_working_days(friday, 8)).filing_overdue)
        self.sign(friday, published_on=rules.add_working_days(friday, 2), filed_on=rules.add_working_days(friday, 7))
        self.assertFalse(self.state().publication_overdue)
        self.assertFalse(self.state().filing_overdue)
        self.assertAudited(self.request, "procurement.purchaserequest.contract_recorded", actor=self.logistics)

    def test_supplementary_contracts_total_at_most_ten_percent(self):
        self.award(10)
        self.sign(self.today - dt.timedelta(days=5))
        add = services.supplement_add
        add(actor=self.logistics, request=self.request, amount=Decimal("3000"), signed_on=self.today)
        add(actor=self.logistics, request=self.request, amount=Decimal("2500"), signed_on=self.today)  # 5,500 = 10%
        with self.assertRaisesMessage(ValidationError, "10%"):
            add(actor=self.logistics, request=self.request, amount=Decimal("0.01"), signed_on=self.today)
        self.assertEqual(self.request.supplements.count(), 2)
        self.assertAudited(self.request, "procurement.purchaserequest.supplement_added", actor=self.logistics)

    def test_ten_point_zero_one_percent_is_refused(self):
        self.award(10)
        self.sign(self.today - dt.timedelta(days=5))
        with self.assertRaises(ValidationError):
            services.supplement_add(
                actor=self.logistics, request=self.request, amount=Decimal("5505.50"), signed_on=self.today
            )


class RetentionTests(HouqinTestCase):
    """B8: procurement files are kept 15 years after completion."""

    def setUp(self):
        self.request = make_request(self.teacher)
        services.request_cancel(actor=self.teacher, request=self.request)
        self.request.refresh_from_db()

    def test_a_file_cannot_be_deleted_within_15_years(self):
        completed = self.request.completed_on
        self.assertEqual(self.request.retained_until, completed.replace(year=completed.year + 15))
        with self.assertRaisesMessage(ValidationError, "15"):
            self.request.delete()
        with self.assertRaises(ValidationError):
            PurchaseRequest.objects.filter(pk=self.request.pk).delete()
        with self.assertRaises(PermissionDenied):
            services.request_delete(actor=self.teacher, request=self.request)
        with self.assertRaisesMessage(ValidationError, "15"):
            services.request_delete(actor=self.logistics, request=self.request)
        self.assertTrue(PurchaseRequest.objects.filter(pk=self.request.pk).exists())

    def test_an_open_request_is_never_deletable(self):
        request = make_request(self.teacher)
        self.assertIsNone(request.retained_until)
        with self.assertRaises(ValidationError):
            request.delete()

    def test_after_15_years_the_file_may_be_deleted(self):
        long_ago = timezone.now().replace(year=timezone.now().year - 15) - dt.timedelta(days=1)
        PurchaseRequest.objects.filter(pk=self.request.pk).update(decided_at=long_ago)
        self.request.refresh_from_db()
        self.assertTrue(self.request.retention_over)
        with mock.patch.object(proc, "require_perm"):
            services.request_delete(actor=self.logistics, request=self.request)
        self.assertFalse(PurchaseRequest.objects.filter(pk=self.request.pk).exists())


class ProcedureErrorsTests(HouqinTestCase):
    def test_the_panel_message_names_counts(self):
        self.assertIn("4", proc.panel_error([{"name": str(n), "expert": True} for n in range(4)]))
        self.assertEqual(proc.panel_error([{"name": str(n), "expert": n < 2} for n in range(3)]), "")
