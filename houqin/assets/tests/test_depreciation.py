import datetime as dt
from decimal import Decimal

from django.test import SimpleTestCase

from houqin.assets import depreciation
from houqin.assets.choices import AssetClass, ValueType
from houqin.assets.models import Asset

SIX_YEARS = 72


def card(value="12000.00", life=SIX_YEARS, code="A02010105", **fields):
    values = {
        "asset_class": AssetClass.FIXED,
        "original_value": Decimal(value),
        "useful_life_months": life,
        "category_code": code,
        "acquired_on": dt.date(2025, 3, 15),
        **fields,
    }
    return Asset(**values)


def months(start_year=2025, start_month=3, count=SIX_YEARS + 1):
    year, month = start_year, start_month
    for _ in range(count):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


class StraightLineTests(SimpleTestCase):
    def test_the_month_of_acquisition_is_charged(self):
        self.assertEqual(depreciation.charge_for_month(card(), 2025, 3), Decimal("166.67"))
        self.assertEqual(depreciation.charge_for_month(card(), 2025, 2), Decimal("0.00"))

    def test_seventy_two_months_sum_to_exactly_the_original_value(self):
        charges = [depreciation.charge_for_month(card(), y, m) for y, m in months(count=SIX_YEARS)]
        self.assertEqual(sum(charges), Decimal("12000.00"))
        self.assertEqual(charges[-1], Decimal("166.43"))

    def test_month_seventy_three_is_not_charged(self):
        year, month = list(months())[-1]
        self.assertEqual((year, month), (2031, 3))
        self.assertEqual(depreciation.charge_for_month(card(), year, month), Decimal("0.00"))

    def test_accumulated_and_net_value_as_of_a_date(self):
        row = depreciation.row_for(card(), dt.date(2025, 12, 31))
        self.assertEqual(row.accumulated, Decimal("1666.70"))
        self.assertEqual(row.net_value, Decimal("10333.30"))
        self.assertEqual(row.months_left, 62)

    def test_no_charge_from_the_month_of_disposal(self):
        disposed = card(disposed_on=dt.date(2026, 1, 20))
        self.assertEqual(depreciation.charge_for_month(disposed, 2025, 12), Decimal("166.67"))
        self.assertEqual(depreciation.charge_for_month(disposed, 2026, 1), Decimal("0.00"))
        self.assertEqual(depreciation.accumulated_on(disposed, dt.date(2027, 1, 1)), Decimal("1666.70"))

    def test_tiny_values_never_overshoot(self):
        charges = [depreciation.charge_for_month(card("3.00", life=600), y, m) for y, m in months(count=601)]
        self.assertTrue(all(c >= 0 for c in charges))
        self.assertEqual(sum(charges), Decimal("3.00"))


class NoDepreciationTests(SimpleTestCase):
    def test_relics_books_and_special_plants_and_animals_are_never_charged(self):
        for code in ("A03", "A04", "A06"):
            with self.subTest(code=code):
                self.assertEqual(depreciation.charge_for_month(card(code=code), 2025, 3), Decimal("0.00"))

    def test_nominal_values_and_low_value_items_are_not_charged(self):
        self.assertFalse(depreciation.depreciates(card(value="1.00", value_type=ValueType.NOMINAL)))
        self.assertFalse(depreciation.depreciates(card(asset_class=AssetClass.LOW_VALUE)))
