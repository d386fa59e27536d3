import datetime as dt
from decimal import Decimal
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.accounts.roles import Role
from houqin.assets.choices import AcquisitionMethod, AssetClass
from houqin.assets.models import Asset
from houqin.core.testing import HouqinTestCase, make_user
from houqin.orgs.models import Department, Person
from houqin.procurement import services
from houqin.procurement.choices import ProcurementMethod, RequestStatus
from houqin.procurement.models import Acceptance, AcceptanceLine
from houqin.procurement.services import AcceptedLine
from houqin.procurement.services import acceptance as acc
from houqin.procurement.tests.factories import approved_request, asset_line, inspectors, line
from houqin.stock.models import StockItem, StockMovement
from houqin.stock.tests.factories import make_item


class AcceptanceTestCase(HouqinTestCase):
    def setUp(self):
        self.people = inspectors(self.school_a)

    def ordered(self, *lines, **fields):
        request = approved_request(self, *lines, **fields)
        services.request_order(actor=self.assetkeeper, request=request, quote_exemption_reason="原厂专供")
        request.refresh_from_db()
        return request

    def accept(self, request, quantities=None, passed=True, people=None, actor=None, **fields):
        rows = list(request.lines.all())
        quantities = quantities or [row.quantity for row in rows]
        lines = [AcceptedLine(row, Decimal(q)) for row, q in zip(rows, quantities, strict=True)]
        return services.acceptance_record(
            actor=actor or self.assetkeeper,
            request=request,
            inspectors=self.people if people is None else people,
            lines=lines,
            passed=passed,
            received_on=dt.date(2026, 9, 3),
            **fields,
        )


class ConsumableAcceptanceTests(AcceptanceTestCase):
    def test_a_passed_acceptance_receives_the_consumables_into_the_store(self):
        request = self.ordered(line("跳绳", "10", "15.00"))
        acceptance = self.accept(request)
        item = StockItem.objects.get(school=self.school_a, name="跳绳")
        self.assertEqual((item.balance, item.unit), (Decimal("10"), "根"))
        movement = StockMovement.objects.get(item=item)
        self.assertEqual((movement.source, movement.unit_price), (request.number, Decimal("15.0000")))
        self.assertEqual(acceptance.lines.get().stock_movement, movement)
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ACCEPTED)
        self.assertEqual(request.lines.get().stock_item, item)
        self.assertEqual(acceptance.slip_number, f"RK-{timezone.localdate().year}-00001")
        self.assertEqual(set(acceptance.inspectors.all()), set(self.people))
        self.assertAudited(request, "procurement.purchaserequest.accepted", actor=self.assetkeeper)

    def test_the_linked_or_same_named_store_item_receives_the_goods(self):
        chalk = make_item(self.school_a, name="粉笔", unit="盒", balance=5)
        paper = make_item(self.school_a, name="A4复印纸", balance=5)
        request = self.ordered(line("粉笔", "20", "6.00", unit="盒"), line("A4复印纸", "10", "22.5", stock_item=paper))
        self.accept(request)
        chalk.refresh_from_db()
        paper.refresh_from_db()
        self.assertEqual((chalk.balance, paper.balance), (Decimal("25"), Decimal("15")))
        self.assertEqual(StockItem.objects.filter(school=self.school_a).count(), 2)

    def test_the_accepted_quantity_and_price_are_what_goes_into_the_store(self):
        request = self.ordered(line("跳绳", "10", "15.00"))
        row = request.lines.get()
        services.acceptance_record(
            actor=self.assetkeeper,
            request=request,
            inspectors=self.people,
            lines=[AcceptedLine(row, Decimal("8"), Decimal("14.50"))],
            passed=True,
        )
        movement = StockMovement.objects.get()
        self.assertEqual((movement.quantity, movement.amount), (Decimal("8"), Decimal("116.00")))
        self.assertEqual(AcceptanceLine.objects.get().amount, Decimal("116.00"))

    def test_the_chosen_quotes_supplier_is_on_the_receipt(self):
        request = approved_request(self, line("跳绳", "10", "15.00"))
        quote = services.quote_add(
            actor=self.logistics, request=request, supplier_name="城区体育用品店", amount=Decimal("150")
        )
        services.quote_choose(actor=self.logistics, quote=quote)
        services.request_order(actor=self.logistics, request=request)
        acceptance = self.accept(request)
        self.assertEqual(acceptance.supplier_name, "城区体育用品店")
        self.assertEqual(StockMovement.objects.get().supplier_name, "城区体育用品店")

    def test_a_failed_acceptance_is_recorded_but_takes_nothing_in(self):
        request = self.ordered(line("跳绳", "10", "15.00"))
        acceptance = self.accept(request, passed=False, note="质量不合格，退货")
        self.assertEqual(acceptance.slip_number, "")
        self.assertFalse(StockMovement.objects.exists())
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ORDERED)
        self.assertAudited(request, "procurement.purchaserequest.acceptance_failed", actor=self.assetkeeper)
        self.accept(request)  # the next delivery
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ACCEPTED)

    def test_a_request_is_accepted_once(self):
        request = self.ordered()
        self.accept(request)
        with self.assertRaises(ValidationError):
            self.accept(request)


class AcceptanceRuleTests(AcceptanceTestCase):
    def assertNothingSaved(self):
        self.assertFalse(Acceptance.objects.exists())
        self.assertFalse(StockMovement.objects.exists())

    def test_at_least_two_different_inspectors_sign(self):
        request = self.ordered()
        for people in ([self.people[0]], [self.people[0], self.people[0]]):
            with self.assertRaisesMessage(ValidationError, _(acc.AT_LEAST_TWO_INSPECTORS)):
                self.accept(request, people=people)
        self.assertNothingSaved()

    def test_an_inspector_of_another_school_is_refused(self):
        stranger = Person.objects.create(school=self.school_b, name="外校人员")
        with self.assertRaises(ValidationError):
            self.accept(self.ordered(), people=[self.people[0], stranger])
        self.assertNothingSaved()

    def test_an_inspector_who_left_is_refused(self):
        left = Person.objects.create(school=self.school_a, name="已离职", is_active=False)
        with self.assertRaises(ValidationError):
            self.accept(self.ordered(), people=[self.people[0], left])

    def test_more_than_requested_or_a_negative_quantity_is_refused(self):
        request = self.ordered(line("跳绳", "10", "15.00"))
        with self.assertRaisesMessage(ValidationError, "10"):
            self.accept(request, quantities=["11"])
        with self.assertRaisesMessage(ValidationError, _(acc.QUANTITY_NEGATIVE)):
            self.accept(request, quantities=["-1"])
        self.assertNothingSaved()

    def test_a_line_of_another_request_or_twice_is_refused(self):
        request, other = self.ordered(), self.ordered()
        with self.assertRaisesMessage(ValidationError, _(acc.LINE_NOT_IN_REQUEST)):
            services.acceptance_record(
                actor=self.assetkeeper,
                request=request,
                inspectors=self.people,
                lines=[AcceptedLine(other.lines.get(), Decimal("1"))],
                passed=True,
            )
        row = request.lines.get()
        with self.assertRaises(ValidationError):
            services.acceptance_record(
                actor=self.assetkeeper,
                request=request,
                inspectors=self.people,
                lines=[AcceptedLine(row, Decimal("1")), AcceptedLine(row, Decimal("1"))],
                passed=True,
            )

    def test_a_passed_acceptance_of_nothing_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(acc.NOTHING_ACCEPTED)):
            self.accept(self.ordered(), quantities=["0"])

    def test_a_request_not_approved_is_refused(self):
        from houqin.procurement.tests.factories import make_request

        draft = make_request(self.teacher)
        with self.assertRaisesMessage(ValidationError, str(RequestStatus.DRAFT.label)):
            self.accept(draft)
        submitted = services.request_submit(actor=self.teacher, request=make_request(self.teacher))
        with self.assertRaises(ValidationError):
            self.accept(submitted)
        self.assertNothingSaved()

    def test_an_approved_request_is_accepted_directly_only_when_the_ordering_rules_are_met(self):
        request = approved_request(self, line("跳绳", "400", "15.00"))  # needs three quotes
        with self.assertRaises(ValidationError):
            self.accept(request)
        self.assertNothingSaved()
        small = approved_request(self)
        self.accept(small)
        small.refresh_from_db()
        self.assertEqual(small.status, RequestStatus.ACCEPTED)

    def test_without_the_permission_nothing_is_accepted(self):
        with self.assertRaises(PermissionDenied):
            self.accept(self.ordered(), actor=self.teacher)


class AssetAcceptanceTests(AcceptanceTestCase):
    def test_asset_lines_become_cards_in_the_register(self):
        department = Department.objects.create(school=self.school_a, name="教导处")
        request = self.ordered(
            asset_line("投影仪", "2", "4200", spec="EB-X51"), department=department, funding_source="财政拨款"
        )
        acceptance = self.accept(request)
        card = Asset.objects.get(school=self.school_a)
        self.assertEqual((card.name, card.spec, card.quantity, card.unit), ("投影仪", "EB-X51", 2, "台"))
        self.assertEqual((card.unit_price, card.original_value), (Decimal("4200.00"), Decimal("8400.00")))
        self.assertEqual((card.asset_class, card.funding_source), (AssetClass.FIXED, "财政拨款"))
        self.assertEqual((card.acquisition_method, card.acquired_on), (AcquisitionMethod.PURCHASE, dt.date(2026, 9, 3)))
        self.assertEqual((card.department, card.source), (department, request.number))
        self.assertEqual(acceptance.lines.get().asset_refs, [{"id": card.pk, "asset_no": card.asset_no}])

    def test_consumables_and_assets_of_one_delivery_are_taken_in_together(self):
        request = self.ordered(line("跳绳", "10", "15.00"), asset_line("投影仪", "1", "4200"))
        self.accept(request)
        self.assertEqual(Asset.objects.filter(school=self.school_a).count(), 1)
        self.assertEqual(StockItem.objects.get(school=self.school_a).balance, Decimal("10"))

    def test_a_card_the_register_refuses_undoes_the_whole_acceptance(self):
        request = self.ordered(line("跳绳", "10", "15.00"), asset_line("投影仪", "1", "4200", category_code="9999999"))
        with self.assertRaises(ValidationError):
            self.accept(request)
        self.assertFalse(Acceptance.objects.exists())
        self.assertFalse(StockMovement.objects.exists())
        self.assertFalse(StockItem.objects.exists())
        self.assertFalse(Asset.objects.exists())
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ORDERED)

    def test_an_acceptor_without_the_registers_permissions_saves_nothing(self):
        request = self.ordered(line("跳绳", "10", "15.00"))
        clerk = make_user("clerk", role=Role.STAFF, school=self.school_a)
        with mock.patch("houqin.procurement.services.acceptance.require_perm"), self.assertRaises(PermissionDenied):
            self.accept(request, actor=clerk)
        self.assertFalse(Acceptance.objects.exists())

    def test_assets_are_accepted_in_whole_units(self):
        request = self.ordered(asset_line("投影仪", "2", "4200"))
        with self.assertRaisesMessage(ValidationError, "投影仪"):
            self.accept(request, quantities=["1.5"])

    def test_a_government_purchase_of_computers_goes_from_order_to_cards(self):
        request = approved_request(self, asset_line("台式电脑", "8", "7000.00"), method=ProcurementMethod.GOVERNMENT)
        services.request_order(actor=self.logistics, request=request, reference_number="DZMC-2026-0815")
        self.accept(request)
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ACCEPTED)
        self.assertEqual(Asset.objects.get().original_value, Decimal("56000.00"))
