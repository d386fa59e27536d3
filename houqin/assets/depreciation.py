"""Depreciation (A4–A6, 政府会计准则第3号): straight-line, monthly, no residual value, from the month of acquisition
(当月增加当月计提) to the month before disposal; each month's charge is rounded to the fen and the last month of
the life absorbs the rounding, so the charges sum exactly to the original value."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from houqin.assets import categories
from houqin.assets.choices import AssetClass, ValueType
from houqin.core.money import to_yuan

if TYPE_CHECKING:
    from houqin.assets.models import Asset

ZERO = Decimal("0.00")


def month_number(acquired_on: dt.date, year: int, month: int) -> int:
    """1 for the month of acquisition, 2 for the next…; 0 or less before it."""
    return (year - acquired_on.year) * 12 + month - acquired_on.month + 1


def depreciates(asset: Asset) -> bool:
    """Fixed assets with a useful life depreciate, except the classes that never do and nominal values (A5)."""
    return (
        asset.asset_class == AssetClass.FIXED
        and bool(asset.useful_life_months)
        and categories.depreciates(asset.category_code)
        and asset.value_type != ValueType.NOMINAL
        and asset.original_value > 0
    )


def accumulated_after(original_value: Decimal, life_months: int, months: int) -> Decimal:
    """Depreciation accumulated over the first `months` months of the life."""
    if months <= 0:
        return ZERO
    if months >= life_months:
        return to_yuan(original_value)
    return min(to_yuan(original_value), to_yuan(original_value / life_months) * months)


def _months_charged(asset: Asset, year: int, month: int) -> int:
    """How many months of the life have been charged by the end of (year, month), stopping before disposal."""
    months = month_number(asset.acquired_on, year, month)
    if asset.disposed_on is not None:
        months = min(months, month_number(asset.acquired_on, asset.disposed_on.year, asset.disposed_on.month) - 1)
    return max(months, 0)


def charge_for_month(asset: Asset, year: int, month: int) -> Decimal:
    """The depreciation charged in one month."""
    if not depreciates(asset):
        return ZERO
    assert asset.useful_life_months is not None
    life, value = asset.useful_life_months, asset.original_value
    done = _months_charged(asset, year, month)
    before = min(done, max(month_number(asset.acquired_on, year, month) - 1, 0))
    return accumulated_after(value, life, done) - accumulated_after(value, life, before)


def accumulated_on(asset: Asset, on: dt.date) -> Decimal:
    """Accumulated depreciation at the end of the month of `on`."""
    if not depreciates(asset):
        return ZERO
    assert asset.useful_life_months is not None
    return accumulated_after(asset.original_value, asset.useful_life_months, _months_charged(asset, on.year, on.month))


@dataclass(frozen=True)
class DepreciationRow:
    asset: Asset
    monthly: Decimal
    accumulated: Decimal
    net_value: Decimal
    months_left: int


def row_for(asset: Asset, on: dt.date) -> DepreciationRow:
    """One line of the depreciation report as of `on`."""
    accumulated = accumulated_on(asset, on)
    life = asset.useful_life_months or 0
    done = _months_charged(asset, on.year, on.month) if depreciates(asset) else 0
    return DepreciationRow(
        asset=asset,
        monthly=charge_for_month(asset, on.year, on.month),
        accumulated=accumulated,
        net_value=asset.original_value - accumulated,
        months_left=max(life - done, 0) if depreciates(asset) else 0,
    )
