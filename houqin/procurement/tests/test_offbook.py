"""A8: goods received at or above the fixed-asset threshold without an asset card after the days allowed."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from houqin.assets.tests.factories import make_asset
from houqin.procurement import selectors, services
from houqin.procurement.choices import ValueBasis
from houqin.procurement.tests.factories import asset_line, line
from houqin.procurement.tests.test_acceptance import AcceptanceTestCase


class OffBookRiskTests(AcceptanceTestCase):
    def test_a_dear_item_taken_into_the_store_is_a_risk_after_the_days_allowed(self):
        acceptance = self.accept(self.ordered(line("碎纸机", quantity="1", price="1200.00"), asset_line()))
        received = acceptance.received_on
        self.assertEqual(selectors.offbook_risks(user=self.assetkeeper, today=received + dt.timedelta(days=30)), [])
        risks = selectors.offbook_risks(user=self.assetkeeper, today=received + dt.timedelta(days=31))
        self.assertEqual(
            [(r.name, r.document, r.value) for r in risks], [("碎纸机", acceptance.slip_number, Decimal("1200.00"))]
        )
        self.assertEqual(selectors.offbook_risks(user=self.assetkeeper_b, today=received + dt.timedelta(days=31)), [])

    def test_donated_goods_without_a_card_are_a_risk_until_one_names_the_donation(self):
        donation = services.donation_create(
            actor=self.accountant,
            school=self.school_a,
            donor_name="校友会",
            kind="goods",
            description="钢琴",
            received_on=dt.date(2026, 5, 20),
            value_basis=ValueBasis.DOCUMENT,
            value=Decimal("8000"),
            receipt_number="0012345",
            purpose="音乐教室",
        )
        later = donation.received_on + dt.timedelta(days=40)
        self.assertEqual(
            [r.document for r in selectors.offbook_risks(user=self.accountant, today=later)], [donation.number]
        )
        make_asset(self.assetkeeper, "钢琴", unit_price="8000.00", source=donation.number)
        self.assertEqual(selectors.offbook_risks(user=self.accountant, today=later), [])

    def test_the_page_lists_them(self):
        self.accept(self.ordered(line("碎纸机", quantity="1", price="1200.00")))
        self.client.force_login(self.assetkeeper, backend="houqin.accounts.backends.RoleBackend")
        page = self.client.get(reverse("procurement:offbook"))
        self.assertContains(page, "碎纸机")
        self.client.force_login(self.teacher, backend="houqin.accounts.backends.RoleBackend")
        self.assertEqual(self.client.get(reverse("procurement:offbook")).status_code, 403)
