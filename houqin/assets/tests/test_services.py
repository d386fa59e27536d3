import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.accounts.models import UserRole
from houqin.accounts.roles import Role
from houqin.assets import selectors, services
from houqin.assets.choices import AssetClass, AssetStatus, DisposalMethod, EventKind, TransferStatus
from houqin.assets.models import Asset, AssetEvent
from houqin.assets.services import cards, common, disposal, movements
from houqin.assets.tests.factories import make_asset, make_person, make_place
from houqin.core.models import PolicyValue
from houqin.core.testing import HouqinTestCase, make_user


class AssetTestCase(HouqinTestCase):
    def setUp(self):
        self.room = make_place(self.school_a, "101")
        self.office = make_place(self.school_a, "总务处办公室")
        self.keeper_person = make_person(self.school_a, "赵校产", user=self.assetkeeper)
        self.teacher_person = make_person(self.school_a, "何老师", user=self.teacher)

    def register(self, name="台式计算机", unit_price="4800.00", **fields):
        return make_asset(self.assetkeeper, name=name, unit_price=unit_price, **fields)

    def kinds(self, asset):
        return list(AssetEvent.objects.filter(asset=asset).order_by("id").values_list("kind", flat=True))


class ClassificationTests(AssetTestCase):
    def test_exactly_the_threshold_is_a_fixed_asset(self):
        self.assertEqual(self.register(unit_price="1000.00").asset_class, AssetClass.FIXED)

    def test_one_fen_below_the_threshold_is_not(self):
        self.assertEqual(self.register(unit_price="999.99").asset_class, AssetClass.LOW_VALUE)

    def test_a_bulk_batch_of_durable_items_is_fixed_below_the_threshold(self):
        desks = self.register("课桌椅", unit_price="380.00", quantity=50, unit="套", is_bulk_batch=True)
        self.assertEqual(desks.asset_class, AssetClass.FIXED)

    def test_an_item_that_lasts_a_year_or_less_is_a_consumable(self):
        self.assertEqual(
            self.register("试剂", unit_price="1200.00", useful_life_months=12).asset_class, AssetClass.CONSUMABLE
        )

    def test_legacy_mode_compares_special_equipment_with_1500(self):
        PolicyValue.objects.create(
            district=self.district,
            key="assets.special_equipment_threshold",
            value="1500.00",
            effective_from=dt.date(2020, 1, 1),
        )
        special = self.register("显微镜", unit_price="1200.00", is_special_equipment=True)
        general = self.register("打印机", unit_price="1200.00")
        self.assertEqual(special.asset_class, AssetClass.LOW_VALUE)
        self.assertEqual(general.asset_class, AssetClass.FIXED)

    def test_the_threshold_in_force_on_the_acquisition_date_applies(self):
        PolicyValue.objects.create(
            district=self.district, key="assets.fixed_threshold", value="500.00", effective_from=dt.date(2025, 6, 1)
        )
        before = self.register(unit_price="800.00", acquired_on=dt.date(2025, 5, 31))
        after = self.register(unit_price="800.00", acquired_on=dt.date(2025, 6, 1))
        self.assertEqual((before.asset_class, after.asset_class), (AssetClass.LOW_VALUE, AssetClass.FIXED))


class RegisterTests(AssetTestCase):
    def test_cards_are_numbered_per_school_and_valued(self):
        first = self.register(quantity=2)
        second = self.register()
        other = make_asset(self.assetkeeper_b)
        year = timezone.localdate().year
        self.assertEqual(first.asset_no, f"ZC-{year}-00001")
        self.assertEqual(second.asset_no, f"ZC-{year}-00002")
        self.assertEqual(other.asset_no, f"ZC-{year}-00001")
        self.assertEqual(first.original_value, Decimal("9600.00"))

    def test_registration_is_the_first_line_of_the_history_and_audited(self):
        asset = self.register(source="YS-2026-00003")
        self.assertEqual(self.kinds(asset), [EventKind.REGISTERED])
        self.assertEqual(asset.events.get().message, "YS-2026-00003")
        self.assertAudited(asset, "assets.asset.created", actor=self.assetkeeper)

    def test_an_unknown_class_code_is_refused(self):
        with self.assertRaisesMessage(ValidationError, "A09"):
            self.register(category_code="A09")

    def test_a_known_code_is_kept_with_its_table_and_a_padded_code_is_read_as_short(self):
        asset = self.register(category_code="a02010000")
        self.assertEqual((asset.category_code, asset.category_version), ("A0201", "GB/T 14885-2022"))

    def test_the_life_defaults_to_the_class_floor_and_cannot_go_below_it(self):
        self.assertEqual(self.register(category_code="A02010105").useful_life_months, 72)
        with self.assertRaises(ValidationError) as caught:
            self.register(category_code="A02010105", useful_life_months=60)
        self.assertIn("useful_life_months", caught.exception.message_dict)

    def test_another_schools_place_or_person_is_refused(self):
        other_place = make_place(self.school_b, "201")
        other_person = make_person(self.school_b, "外校老师")
        for fields in ({"place": other_place}, {"custodian": other_person}):
            with self.subTest(fields=fields), self.assertRaises(ValidationError):
                self.register(**fields)

    def test_a_teacher_cannot_register(self):
        with self.assertRaises(PermissionDenied):
            make_asset(self.teacher)

    def test_a_keeper_cannot_register_into_another_school(self):
        with self.assertRaises(PermissionDenied):
            make_asset(self.assetkeeper, school=self.school_b)

    def test_a_number_already_used_is_refused(self):
        self.register(asset_no="GZ-0001")
        with self.assertRaises(ValidationError):
            self.register(asset_no="GZ-0001")

    def test_a_negative_price_or_zero_quantity_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(cards.PRICE_NEGATIVE)):
            self.register(unit_price="-1")
        with self.assertRaisesMessage(ValidationError, _(cards.QUANTITY_NOT_POSITIVE)):
            self.register(quantity=0)

    def test_generated_numbers_skip_those_an_import_already_used(self):
        year = timezone.localdate().year
        self.register(asset_no=f"ZC-{year}-00001")
        self.assertEqual(self.register().asset_no, f"ZC-{year}-00002")


class UpdateTests(AssetTestCase):
    def test_a_price_correction_recomputes_the_value_and_the_class(self):
        asset = self.register(unit_price="1500.00", quantity=2)
        services.asset_update(actor=self.assetkeeper, asset=asset, unit_price=Decimal("900"))
        asset.refresh_from_db()
        self.assertEqual((asset.original_value, asset.asset_class), (Decimal("1800.00"), AssetClass.LOW_VALUE))
        self.assertEqual(self.kinds(asset), [EventKind.REGISTERED, EventKind.UPDATED])

    def test_an_empty_place_may_be_filled_in_but_a_move_needs_a_transfer(self):
        asset = self.register()
        services.asset_update(actor=self.assetkeeper, asset=asset, place=self.room)
        with self.assertRaisesMessage(ValidationError, "place"):
            services.asset_update(actor=self.assetkeeper, asset=asset, place=self.office)

    def test_status_goes_idle_and_back_but_not_to_disposed(self):
        asset = self.register()
        services.asset_set_status(actor=self.assetkeeper, asset=asset, status=AssetStatus.IDLE, reason="换新")
        with self.assertRaises(ValidationError):
            services.asset_set_status(actor=self.assetkeeper, asset=asset, status=AssetStatus.DISPOSED)


class TransferTests(AssetTestCase):
    def setUp(self):
        super().setUp()
        self.asset = self.register(place=self.room, custodian=self.keeper_person)

    def request(self, **fields):
        values = {"to_place": self.office, "to_custodian": self.teacher_person, "reason": "调整办公室", **fields}
        return services.transfer_request(actor=self.assetkeeper, asset=self.asset, **values)

    def test_the_asset_moves_only_when_approved(self):
        transfer = self.request()
        self.asset.refresh_from_db()
        self.assertEqual(self.asset.place, self.room)
        services.transfer_approve(actor=self.logistics, transfer=transfer)
        self.asset.refresh_from_db()
        self.assertEqual((self.asset.place, self.asset.custodian), (self.office, self.teacher_person))
        self.assertEqual(
            self.kinds(self.asset), [EventKind.REGISTERED, EventKind.TRANSFER_REQUESTED, EventKind.TRANSFERRED]
        )
        transfer.refresh_from_db()
        self.assertEqual(transfer.status, TransferStatus.DONE)
        self.assertAudited(transfer, "assets.transfer.done", actor=self.logistics)

    def test_nobody_approves_their_own_transfer(self):
        transfer = services.transfer_request(
            actor=self.logistics, asset=self.asset, to_place=self.office, reason="自用"
        )
        with self.assertRaisesMessage(ValidationError, _(common.CANNOT_DECIDE_OWN)):
            services.transfer_approve(actor=self.logistics, transfer=transfer)

    def test_approval_needs_the_permission(self):
        with self.assertRaises(PermissionDenied):
            services.transfer_approve(actor=self.accountant, transfer=self.request())

    def test_a_transfer_is_approved_only_once(self):
        transfer = self.request()
        services.transfer_approve(actor=self.logistics, transfer=transfer)
        with self.assertRaises(ValidationError):
            services.transfer_approve(actor=self.principal, transfer=transfer)
        self.assertEqual(self.asset.events.filter(kind=EventKind.TRANSFERRED).count(), 1)

    def test_a_rejection_needs_a_comment_and_leaves_the_card(self):
        transfer = self.request()
        with self.assertRaisesMessage(ValidationError, _(common.COMMENT_REQUIRED)):
            services.transfer_reject(actor=self.logistics, transfer=transfer, comment=" ")
        services.transfer_reject(actor=self.logistics, transfer=transfer, comment="不需要")
        self.asset.refresh_from_db()
        self.assertEqual(self.asset.place, self.room)

    def test_a_second_pending_transfer_of_the_same_asset_is_refused(self):
        self.request()
        with self.assertRaises(ValidationError):
            self.request(to_place=self.room, to_custodian=None)

    def test_a_transfer_that_changes_nothing_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(movements.NOTHING_TO_CHANGE)):
            self.request(to_place=self.room, to_custodian=None)

    def test_another_schools_place_is_refused(self):
        with self.assertRaises(ValidationError):
            self.request(to_place=make_place(self.school_b, "201"))

    def test_a_disposed_asset_cannot_be_transferred(self):
        Asset.objects.filter(pk=self.asset.pk).update(status=AssetStatus.DISPOSED)
        with self.assertRaisesMessage(ValidationError, str(self.asset.asset_no)):
            self.request()

    def test_the_requester_cancels(self):
        cancelled = services.transfer_cancel(actor=self.assetkeeper, transfer=self.request())
        self.assertEqual(cancelled.status, TransferStatus.CANCELLED)

    def test_both_custodians_sign_the_hand_over(self):
        transfer = services.transfer_approve(actor=self.logistics, transfer=self.request())
        self.assertFalse(transfer.handover_complete)
        self.assertIn(transfer, selectors.handovers_to_sign(user=self.teacher))
        with self.assertRaises(PermissionDenied):
            services.handover_sign(actor=self.principal, transfer=transfer)
        services.handover_sign(actor=self.assetkeeper, transfer=transfer)
        signed = services.handover_sign(actor=self.teacher, transfer=transfer)
        self.assertTrue(signed.handover_complete)
        with self.assertRaisesMessage(ValidationError, _(movements.ALREADY_SIGNED)):
            services.handover_sign(actor=self.teacher, transfer=transfer)
        self.assertFalse(selectors.handovers_to_sign(user=self.teacher).exists())

    def test_a_batch_moves_several_assets_or_none(self):
        second = self.register("打印机", place=self.room)
        transfers = services.transfer_request_batch(
            actor=self.assetkeeper, assets=[self.asset, second], reason="搬迁", to_place=self.office
        )
        self.assertEqual(len({t.batch for t in transfers}), 1)
        with self.assertRaises(ValidationError):
            services.transfer_request_batch(actor=self.assetkeeper, assets=[], reason="搬迁", to_place=self.office)


class LoanTests(AssetTestCase):
    def setUp(self):
        super().setUp()
        self.camera = self.register("照相机", status=AssetStatus.IDLE)

    def lend(self, **fields):
        values = {"borrower": self.teacher_person, "due_on": timezone.localdate() + dt.timedelta(days=7), **fields}
        return services.loan_create(actor=self.assetkeeper, asset=self.camera, **values)

    def test_a_loan_marks_the_asset_out_and_the_return_restores_it(self):
        loan = self.lend(purpose="运动会拍照")
        self.camera.refresh_from_db()
        self.assertEqual(self.camera.status, AssetStatus.ON_LOAN)
        services.loan_return(actor=self.assetkeeper, loan=loan, condition="完好")
        self.camera.refresh_from_db()
        self.assertEqual(self.camera.status, AssetStatus.IDLE)
        self.assertEqual(self.kinds(self.camera), [EventKind.REGISTERED, EventKind.LENT, EventKind.RETURNED])

    def test_a_damaged_return_goes_under_repair(self):
        services.loan_return(actor=self.assetkeeper, loan=self.lend(), condition="镜头划伤", damaged=True)
        self.camera.refresh_from_db()
        self.assertEqual(self.camera.status, AssetStatus.UNDER_REPAIR)

    def test_an_asset_on_loan_cannot_be_lent_again_nor_returned_twice(self):
        loan = self.lend()
        with self.assertRaises(ValidationError):
            self.lend()
        services.loan_return(actor=self.assetkeeper, loan=loan)
        with self.assertRaisesMessage(ValidationError, _(movements.ALREADY_RETURNED)):
            services.loan_return(actor=self.assetkeeper, loan=loan)

    def test_a_due_date_before_the_loan_is_refused(self):
        with self.assertRaisesMessage(ValidationError, _(movements.DUE_IN_PAST)):
            self.lend(due_on=timezone.localdate() - dt.timedelta(days=1))

    def test_a_borrower_of_another_school_is_refused(self):
        with self.assertRaises(ValidationError):
            self.lend(borrower=make_person(self.school_b, "外校老师"))

    def test_overdue_loans_are_listed(self):
        loan = self.lend(lent_on=dt.date(2025, 1, 1), due_on=dt.date(2025, 1, 10))
        self.assertEqual(list(selectors.overdue_loans(user=self.assetkeeper)), [loan])
        self.assertFalse(selectors.overdue_loans(user=self.assetkeeper_b).exists())


class DisposalTests(AssetTestCase):
    def old(self, name="旧电脑", unit_price="4800.00", **fields):
        return self.register(name, unit_price=unit_price, acquired_on=dt.date(2015, 9, 1), **fields)

    def request(self, assets, **fields):
        values = {"reason": "主板损坏无法修复", "collective_decision": "2026年第3次校长办公会纪要", **fields}
        return services.disposal_request(actor=self.assetkeeper, assets=assets, **values)

    def test_the_tier_follows_the_original_value(self):
        self.assertEqual(services.disposal_tier(Decimal("20000.00")).code, "leader")
        self.assertEqual(services.disposal_tier(Decimal("20000.01")).code, "principal")
        self.assertEqual(services.disposal_tier(Decimal("1000000.01")).code, "finance")
        self.assertEqual(services.disposal_tier(Decimal("50000.00"), ["A0203"]).code, "finance")

    def test_approval_closes_the_card_but_keeps_it(self):
        asset = self.old()
        disposal = self.request([asset])
        asset.refresh_from_db()
        self.assertEqual(asset.status, AssetStatus.AWAITING_DISPOSAL)
        services.disposal_approve(actor=self.logistics, disposal=disposal)
        asset.refresh_from_db()
        self.assertEqual(asset.status, AssetStatus.DISPOSED)
        self.assertEqual(asset.disposed_on, timezone.localdate())
        self.assertEqual(self.kinds(asset)[-1], EventKind.DISPOSED)

    def test_a_batch_is_tiered_by_its_total_value(self):
        assets = [self.old(unit_price="15000.00"), self.old(unit_price="15000.00")]
        disposal = self.request(assets)
        self.assertEqual((disposal.original_value, disposal.tier), (Decimal("30000.00"), "principal"))
        with self.assertRaises(PermissionDenied):
            services.disposal_approve(actor=self.logistics, disposal=disposal)
        services.disposal_approve(actor=self.principal, disposal=disposal)

    def test_a_tier_above_the_school_needs_the_approval_document(self):
        disposal = self.request([self.old("校车", unit_price="300000.00", category_code="A0203")])
        with self.assertRaises(ValidationError):
            services.disposal_approve(actor=self.principal, disposal=disposal)
        done = services.disposal_approve(actor=self.principal, disposal=disposal, approval_document="示教财〔2026〕5号")
        self.assertEqual(done.approval_document, "示教财〔2026〕5号")

    def test_a_collective_decision_is_required(self):
        with self.assertRaisesMessage(ValidationError, _(disposal.DECISION_REQUIRED)):
            self.request([self.old()], collective_decision="")

    def test_an_asset_below_its_minimum_life_is_written_off_only_as_a_loss(self):
        young = self.register(category_code="A02010105", acquired_on=timezone.localdate() - dt.timedelta(days=400))
        with self.assertRaises(ValidationError):
            self.request([young])
        self.request([young], method=DisposalMethod.LOSS, reason="被盗，已报案")

    def test_a_rejection_puts_the_assets_back(self):
        asset = self.old(status=AssetStatus.IDLE)
        services.disposal_reject(actor=self.logistics, disposal=self.request([asset]), comment="还能用")
        asset.refresh_from_db()
        self.assertEqual(asset.status, AssetStatus.IDLE)

    def test_nobody_approves_their_own_disposal(self):
        both = make_user("keeper_and_head", role=Role.ASSET_KEEPER, school=self.school_a)
        UserRole.objects.create(user=both, role=Role.LOGISTICS_HEAD)
        disposal = services.disposal_request(
            actor=both, assets=[self.old()], reason="损坏", collective_decision="会议纪要"
        )
        with self.assertRaisesMessage(ValidationError, _(common.CANNOT_DECIDE_OWN)):
            services.disposal_approve(actor=both, disposal=disposal)

    def test_a_disposed_card_stays_and_cannot_be_disposed_again(self):
        asset = self.old()
        services.disposal_approve(actor=self.logistics, disposal=self.request([asset]))
        with self.assertRaises(ValidationError):
            self.request([asset])
        self.assertTrue(Asset.objects.filter(pk=asset.pk).exists())


class SelectorTests(AssetTestCase):
    def test_similar_idle_assets_match_the_name_of_idle_assets_of_the_school(self):
        idle = self.register("投影仪", status=AssetStatus.IDLE)
        self.register("投影仪")
        make_asset(self.assetkeeper_b, name="投影仪", status=AssetStatus.IDLE)
        self.assertEqual(list(selectors.similar_idle_assets(school=self.school_a, name="投影仪")), [idle])
        self.assertEqual(list(selectors.similar_idle_assets(school=self.school_a, name="tyy")), [idle])

    def test_my_assets_are_those_i_keep(self):
        mine = self.register(custodian=self.teacher_person)
        self.register(custodian=self.keeper_person)
        self.assertEqual(list(selectors.my_assets(user=self.teacher)), [mine])
        self.assertFalse(selectors.my_assets(user=self.principal).exists())
