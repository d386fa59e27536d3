"""The rules of an asset card (入账, A7), as plain functions: the class by the threshold in force (A1, A2), the class
code from the GB/T 14885 table (A3), the useful life not below the class's floor (A6), the amounts, and the card
built from them. `asset_create` (one card) and the ledger import (thousands at once) both build their cards with
`build_card`; they differ only in how they look up the threshold (one policy query, or every threshold of the
school loaded once by `threshold_lookup`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.assets import categories
from houqin.assets.choices import AcquisitionMethod, AssetClass, AssetStatus
from houqin.assets.models import Asset
from houqin.core.crud import require_same_school
from houqin.core.money import to_yuan
from houqin.core.policies import POLICIES, policy

if TYPE_CHECKING:
    from houqin.orgs.models import Department, Person, Place, School

UNKNOWN_CODE = gettext_noop("%(code)s is not a class code of %(table)s.")
LIFE_BELOW_FLOOR = gettext_noop("The useful life cannot be shorter than %(months)s months for this class (%(code)s).")
PRICE_NEGATIVE = gettext_noop("The unit price cannot be negative.")
QUANTITY_NOT_POSITIVE = gettext_noop("The quantity must be at least 1.")
NAME_REQUIRED = gettext_noop("Enter the name.")

NUMBER_PREFIX = "ZC"  # cards are numbered ZC-<year>-<n> per school unless they bring a number of their own
FIXED_THRESHOLD = "assets.fixed_threshold"
SPECIAL_THRESHOLD = "assets.special_equipment_threshold"

# (policy key, acquisition date) -> the threshold in force for the school on that day.
Threshold = Callable[[str, dt.date | None], Decimal]

# Card fields asset_create accepts besides those it names (imports and the card form use them).
EXTRA_FIELDS = frozenset(
    {
        "asset_no",
        "useful_life_months",
        "voucher_no",
        "notes",
        "legacy_code",
        "value_type",
        "is_special_equipment",
        "is_bulk_batch",
        "status",
    }
)

#
# Classification (A1, A2)
#


def asset_class(
    *,
    unit_price: Decimal,
    threshold: Callable[[str], Decimal],
    special_equipment: bool = False,
    bulk_batch: bool = False,
    useful_life_months: int | None = None,
) -> str:
    """Fixed asset when it lasts over a year and its unit value reaches the threshold in force (inclusive), or
    when it is a bulk batch of durable items; otherwise a low-value durable item, or a consumable if it does not
    last a year. Special equipment is compared with the special-equipment threshold (the legacy 1500 mode).
    `threshold(key)` gives the threshold in force; it is asked only when the life does not decide."""
    if useful_life_months is not None and useful_life_months <= 12:
        return AssetClass.CONSUMABLE
    if Decimal(unit_price) >= threshold(SPECIAL_THRESHOLD if special_equipment else FIXED_THRESHOLD) or bulk_batch:
        return AssetClass.FIXED
    return AssetClass.LOW_VALUE


def classify(
    *,
    school: School,
    unit_price: Decimal,
    acquired_on: dt.date | None = None,
    special_equipment: bool = False,
    bulk_batch: bool = False,
    useful_life_months: int | None = None,
) -> str:
    """`asset_class` with the threshold in force for `school` on `acquired_on` (one policy query)."""
    return asset_class(
        unit_price=unit_price,
        threshold=lambda key: policy(key, school=school, on=acquired_on),
        special_equipment=special_equipment,
        bulk_batch=bulk_batch,
        useful_life_months=useful_life_months,
    )


def threshold_lookup(school: School) -> Threshold:
    """Both thresholds of `school` on any day from one query, for imports that classify thousands of cards.

    Answers as `policy(key, school=school, on=day)` does: the school's override in force that day first, else its
    district's latest value in force, else the national default."""
    from houqin.core.models import PolicyValue

    keys = (FIXED_THRESHOLD, SPECIAL_THRESHOLD)
    rows = list(
        PolicyValue.objects.filter(key__in=keys, district_id=school.district_id)
        .filter(Q(school__isnull=True) | Q(school_id=school.pk))
        .order_by("key", F("school_id").desc(nulls_last=True), "-effective_from")
        .values_list("key", "effective_from", "value")
    )
    timelines = {key: [(start, POLICIES[key].parse(value)) for k, start, value in rows if k == key] for key in keys}
    answers: dict[tuple[str, dt.date], Decimal] = {}

    def threshold(key: str, on: dt.date | None) -> Decimal:
        day = on or timezone.localdate()
        if (key, day) not in answers:
            in_force = (value for start, value in timelines[key] if start <= day)
            answers[key, day] = next(in_force, POLICIES[key].default)
        return answers[key, day]

    return threshold


#
# Codes, lives and amounts (A3, A6)
#


def class_code(code: str | None) -> str:
    """The normalised class code, refused unless it is in the loaded table (A3); '' for none."""
    if not code or not str(code).strip():
        return ""
    entry = categories.lookup(code)
    if entry is None:
        raise ValidationError(
            {"category_code": _(UNKNOWN_CODE) % {"code": str(code).strip(), "table": categories.TABLE_VERSION}}
        )
    return entry.code


def useful_life(code: str, months: int | None) -> int | None:
    """The life given, not below the class's floor (A6); the floor itself when none is given."""
    floor = categories.life_floor_months(code)
    if months is None:
        return floor
    if floor is not None and months < floor:
        raise ValidationError({"useful_life_months": _(LIFE_BELOW_FLOOR) % {"months": floor, "code": code}})
    return months


def amounts(unit_price: Any, quantity: Any) -> tuple[Decimal, int, Decimal]:
    """(unit price, quantity, original value), refused when the price is negative or the quantity below 1."""
    price = to_yuan(unit_price)
    if price < 0:
        raise ValidationError({"unit_price": _(PRICE_NEGATIVE)})
    if quantity is None or int(quantity) < 1:
        raise ValidationError({"quantity": _(QUANTITY_NOT_POSITIVE)})
    return price, int(quantity), to_yuan(price * int(quantity))


#
# The card
#


def build_card(
    *,
    school: School,
    threshold: Threshold,
    name: str,
    unit_price: Decimal,
    quantity: int = 1,
    unit: str = "台",
    acquired_on: dt.date,
    funding_source: str,
    category_code: str | None = None,
    department: Department | None = None,
    place: Place | None = None,
    custodian: Person | None = None,
    acquisition_method: str = AcquisitionMethod.PURCHASE,
    supplier_name: str = "",
    source: str = "",
    brand: str = "",
    spec: str = "",
    **extra: Any,
) -> Asset:
    """An unsaved card checked by every rule of a new card that needs no query: placement in the school, name,
    amounts, class code, life floor, class by the threshold in force, and the status (A7: in use only once the card
    is complete). Its number is '' unless `asset_no` is given; the caller numbers it and checks it is unique."""
    unknown = set(extra) - EXTRA_FIELDS
    if unknown:
        raise TypeError(f"asset_create() got unexpected fields: {sorted(unknown)}")
    require_same_school(school, department=department, place=place, custodian=custodian)
    if not (name or "").strip():
        raise ValidationError({"name": _(NAME_REQUIRED)})
    price, quantity, original_value = amounts(unit_price, quantity)
    code = class_code(category_code)
    life = useful_life(code, extra.pop("useful_life_months", None))
    special, bulk = bool(extra.pop("is_special_equipment", False)), bool(extra.pop("is_bulk_batch", False))
    asset = Asset(
        school=school,
        asset_no=(extra.pop("asset_no", "") or "").strip(),
        name=name.strip(),
        category_code=code,
        brand=brand.strip(),
        spec=spec.strip(),
        quantity=quantity,
        unit=(unit or "").strip() or "台",
        unit_price=price,
        original_value=original_value,
        asset_class=asset_class(
            unit_price=price,
            threshold=lambda key: threshold(key, acquired_on),
            special_equipment=special,
            bulk_batch=bulk,
            useful_life_months=life,
        ),
        is_special_equipment=special,
        is_bulk_batch=bulk,
        acquisition_method=acquisition_method,
        acquired_on=acquired_on,
        funding_source=funding_source,
        supplier_name=supplier_name.strip(),
        source=source.strip(),
        department=department,
        place=place,
        custodian=custodian,
        useful_life_months=life,
        **extra,
    )
    if asset.status == AssetStatus.IN_USE and asset.missing_card_fields:
        asset.status = AssetStatus.REGISTERED  # A7: in use only once the card is complete
    return asset


def policy_threshold(school: School) -> Threshold:
    """The threshold in force asked of the policies each time (one query a card)."""
    return lambda key, on: policy(key, school=school, on=on)
