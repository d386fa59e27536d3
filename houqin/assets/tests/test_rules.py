"""Rules added to the register: card completeness before use (A7), sale floor (A13), disposal tiers as
settings (A12), items found in a stocktake registered on the spot (盘盈), cards kept by staff who left."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from houqin.assets import selectors, services
from houqin.assets.choices import AcquisitionMethod, AssetStatus, DisposalMethod, ValueType
from houqin.assets.models import Asset
from houqin.assets.tests.test_services import AssetTestCase
from houqin.core.models import PolicyValue
from houqin.orgs.models import Department

COMPLETE = {"category_code": "A02010105", "voucher_no": "记-202503-001"}


class CardCompletenessTests(AssetTestCase):
    def complete(self, **fields):
        values = {**COMPLETE, "place": self.room, "custodian": self.teacher_person, **fields}
        return self.register(
            department=Department.objects.get_or_create(school=self.school_a, name="教务处")[0], **values
        )

    def test_an_incomplete_fixed_asset_is_registered_but_not_in_use(self):
        asset = self.register()
        self.assertEqual(asset.status, AssetStatus.REGISTERED)
        self.assertEqual(len(asset.missing_card_fields), 6)

    def test_a_complete_card_is_in_use_at_once(self):
        self.assertEqual(self.complete().status, AssetStatus.IN_USE)

    def test_setting_in_use_needs_the_missing_fields(self):
        asset = self.register(place=self.room)
        with self.assertRaises(ValidationError) as raised:
            services.asset_set_status(actor=self.assetkeeper, asset=asset, status=AssetStatus.IN_USE)
        self.assertIn(str(asset._meta.get_field("voucher_no").verbose_name), str(raised.exception))
        department = Department.objects.get_or_create(school=self.school_a, name="总务处")[0]
        services.asset_update(
            actor=self.assetkeeper, asset=asset, custodian=self.teacher_person, department=department, **COMPLETE
        )
        services.asset_set_status(actor=self.assetkeeper, asset=asset, status=AssetStatus.IN_USE)
        self.assertEqual(Asset.objects.get(pk=asset.pk).status, AssetStatus.IN_USE)

    def test_low_value_items_need_no_full_card(self):
        self.assertEqual(self.register("订书机", unit_price="35.00").status, AssetStatus.IN_USE)


class DisposalRuleTests(AssetTestCase):
    def old(self, unit_price="4800.00"):
        return self.register("旧电脑", unit_price=unit_price, acquired_on=dt.date(2015, 9, 1))

    def sale(self, appraised="1000.00"):
        return services.disposal_request(
            actor=self.assetkeeper,
            assets=[self.old()],
            reason="淘汰出售",
            collective_decision="2026年第3次校长办公会纪要",
            method=DisposalMethod.SALE,
            appraised_value=Decimal(appraised),
        )

    def test_a_sale_needs_the_appraised_value(self):
        with self.assertRaises(ValidationError) as raised:
            services.disposal_request(
                actor=self.assetkeeper,
                assets=[self.old()],
                reason="出售",
                collective_decision="会议纪要",
                method="sale",
            )
        self.assertIn("appraised_value", raised.exception.message_dict)

    def test_a_sale_below_90_percent_of_the_appraisal_cannot_complete(self):
        disposal = self.sale("1000.00")
        with self.assertRaises(ValidationError) as raised:
            services.disposal_approve(actor=self.logistics, disposal=disposal, sale_price=Decimal("899.99"))
        self.assertIn("900.00", str(raised.exception))
        with self.assertRaises(ValidationError):
            services.disposal_approve(actor=self.logistics, disposal=disposal)
        done = services.disposal_approve(actor=self.logistics, disposal=disposal, sale_price=Decimal("900.00"))
        self.assertEqual((done.status, done.sale_price), ("done", Decimal("900.00")))

    def test_the_floor_is_a_district_setting(self):
        PolicyValue.objects.create(
            district=self.district, key="assets.sale_floor_ratio", value="0.80", effective_from=dt.date(2020, 1, 1)
        )
        disposal = self.sale("1000.00")
        done = services.disposal_approve(actor=self.logistics, disposal=disposal, sale_price=Decimal("800.00"))
        self.assertEqual(done.status, "done")

    def test_the_tier_limits_are_district_settings(self):
        self.assertEqual(services.disposal_tier(Decimal("30000.00"), school=self.school_a).code, "principal")
        PolicyValue.objects.create(
            district=self.district,
            key="assets.disposal_leader_limit",
            value="50000.00",
            effective_from=dt.date(2020, 1, 1),
        )
        self.assertEqual(services.disposal_tier(Decimal("30000.00"), school=self.school_a).code, "leader")
        disposal = services.disposal_request(
            actor=self.assetkeeper, assets=[self.old("30000.00")], reason="损坏", collective_decision="会议纪要"
        )
        self.assertEqual(disposal.tier, "leader")


class FoundInStocktakeTests(AssetTestCase):
    def setUp(self):
        super().setUp()
        self.stocktake = services.stocktake_create(
            actor=self.assetkeeper, school=self.school_a, name="期末盘点", places=[self.room]
        )

    def found(self, **fields):
        values = {"name": "旧钢琴", "estimated_value": Decimal("3000.00"), "place": self.room, **fields}
        return services.stocktake_register_found(actor=self.assetkeeper, stocktake=self.stocktake, **values)

    def test_the_card_is_created_only_when_the_differences_are_approved(self):
        line = self.found(cause="捐赠未入账")
        self.assertFalse(Asset.objects.filter(name="旧钢琴").exists())
        services.stocktake_close(actor=self.assetkeeper, stocktake=self.stocktake)
        services.stocktake_approve(actor=self.logistics, stocktake=self.stocktake)
        card = Asset.objects.get(name="旧钢琴")
        line.refresh_from_db()
        self.assertEqual(line.asset, card)
        self.assertEqual(
            (card.acquisition_method, card.value_type, card.place, card.unit_price, card.source),
            (
                AcquisitionMethod.STOCKTAKE_GAIN,
                ValueType.ESTIMATE,
                self.room,
                Decimal("3000.00"),
                self.stocktake.number,
            ),
        )

    def test_the_found_item_needs_a_name_a_value_and_a_place(self):
        for field, value in (("name", ""), ("estimated_value", None), ("place", None)):
            with self.assertRaises(ValidationError) as raised:
                self.found(**{field: value})
            self.assertIn(field, raised.exception.message_dict)

    def test_a_found_item_without_cause_blocks_the_approval(self):
        self.found()
        services.stocktake_close(actor=self.assetkeeper, stocktake=self.stocktake)
        with self.assertRaises(ValidationError):
            services.stocktake_approve(actor=self.logistics, stocktake=self.stocktake)

    def test_registered_from_the_room_page(self):
        self.client.force_login(self.assetkeeper, backend="houqin.accounts.backends.RoleBackend")
        room = self.client.get(self.stocktake.get_absolute_url(), {"place": self.room.pk})
        self.assertContains(room, 'data-testid="found-form"')
        self.client.post(
            reverse("assets:stocktake_found", args=[self.stocktake.pk]),
            {"name": "旧钢琴", "estimated_value": "3000", "cause": "未入账", "place": self.room.pk},
        )
        self.assertEqual(self.stocktake.lines.get(name="旧钢琴").result, "surplus")


class LeaverTests(AssetTestCase):
    def test_cards_kept_by_someone_who_left_are_listed_for_hand_over(self):
        asset = self.register(custodian=self.teacher_person)
        self.assertEqual(list(selectors.to_hand_over(self.teacher_person)), [asset])
        self.assertFalse(selectors.kept_by_leavers(user=self.assetkeeper).exists())
        self.teacher_person.is_active, self.teacher_person.left_on = False, timezone.localdate()
        self.teacher_person.save()
        self.assertEqual(list(selectors.kept_by_leavers(user=self.assetkeeper)), [asset])
        self.assertFalse(selectors.kept_by_leavers(user=self.assetkeeper_b).exists())
        self.client.force_login(self.assetkeeper, backend="houqin.accounts.backends.RoleBackend")
        listed = self.client.get(reverse("assets:asset_list"), {"custodian_left": "true"})
        self.assertEqual(list(listed.context["object_list"]), [asset])
        home = self.client.get("/")
        self.assertContains(home, reverse("assets:asset_list") + "?custodian_left=true")


class LeavingTests(AssetTestCase):
    def test_nobody_leaves_while_keeping_or_borrowing_assets(self):
        from houqin.orgs import services as orgs_services

        kept = self.register(custodian=self.teacher_person)
        lent = self.register(name="投影仪")
        services.loan_create(
            actor=self.assetkeeper, asset=lent, borrower=self.teacher_person, due_on=timezone.localdate()
        )
        with self.assertRaises(ValidationError) as refused:
            orgs_services.person_update(actor=self.admin, person=self.teacher_person, left_on=timezone.localdate())
        message = refused.exception.message_dict["left_on"][0]
        self.assertIn("1", message)
        self.assertIn("交接", message)
        with self.assertRaises(ValidationError) as refused:
            orgs_services.person_update(actor=self.admin, person=self.teacher_person, is_active=False)
        self.assertIn("is_active", refused.exception.message_dict)
        self.teacher_person.refresh_from_db()
        self.assertTrue(self.teacher_person.is_active)
        self.assertIsNone(self.teacher_person.left_on)
        kept.custodian = None  # handed over (the transfer flow is tested elsewhere)
        kept.save(update_fields=["custodian"])
        services.loan_return(actor=self.assetkeeper, loan=lent.loans.get())
        orgs_services.person_update(
            actor=self.admin, person=self.teacher_person, is_active=False, left_on=timezone.localdate()
        )
        self.teacher_person.refresh_from_db()
        self.assertFalse(self.teacher_person.is_active)
