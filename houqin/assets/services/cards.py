"""Asset cards (入账, A7): classified by the threshold in force (A1, A2), coded from the GB/T 14885 table (A3),
with a useful life not below the class's floor (A6); corrections recompute the value and the class."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.assets.choices import STATUS_TRANSITIONS, AcquisitionMethod, AssetStatus, EventKind
from houqin.assets.models import Asset
from houqin.assets.services.common import PLACEMENT, change, open_card, record_event
from houqin.assets.services.rules import (
    NUMBER_PREFIX,
    PRICE_NEGATIVE,  # noqa: F401 (the card's messages are read here)
    QUANTITY_NOT_POSITIVE,  # noqa: F401
    amounts,
    build_card,
    class_code,
    classify,
    policy_threshold,
    useful_life,
)
from houqin.core import audit
from houqin.core.crud import require_perm, require_same_school
from houqin.core.numbering import next_number

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Department, Person, Place, School

MOVE_BY_TRANSFER = gettext_noop("Change the %(field)s through a transfer, so that the move is approved and recorded.")
STATUS_NOT_ALLOWED = gettext_noop("%(asset)s is %(current)s and cannot be set to %(target)s here.")
OTHER_SCHOOL_ACTOR = gettext_noop("You can only register assets of your own school.")
CARD_INCOMPLETE = gettext_noop(
    "The card of a fixed asset must be complete before it is in use; still missing: %(fields)s."
)

#
# Cards
#


def require_own_school(actor: User, school: School) -> None:
    """Staff register assets of their own school only (bureau staff: of their district's schools)."""
    if actor.school_id is not None and actor.school_id != school.pk:
        raise PermissionDenied(_(OTHER_SCHOOL_ACTOR))
    if actor.school_id is None and actor.district_id not in (None, school.district_id):
        raise PermissionDenied(_(OTHER_SCHOOL_ACTOR))


def _new_number(school: School) -> str:
    """The next ZC number of the school, skipping numbers an imported ledger already uses."""
    year = timezone.localdate().year
    while True:
        number = next_number(school=school, prefix=NUMBER_PREFIX, year=year)
        if not Asset.objects.filter(school=school, asset_no=number).exists():
            return number


@transaction.atomic
def asset_create(
    *,
    actor: User,
    school: School,
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
    """Register an asset card (入账): numbered ZC-<year>-<n> per school unless `asset_no` is given (imports),
    classed by the threshold in force on the acquisition date, with its first history line.

    `source` names the document behind it (e.g. the acceptance number). Other card fields may be passed by
    name: useful_life_months, voucher_no, notes, legacy_code, value_type, is_special_equipment, is_bulk_batch,
    status.
    """
    require_perm(actor, "assets.add_asset")
    require_own_school(actor, school)
    asset = build_card(
        school=school,
        threshold=policy_threshold(school),
        name=name,
        unit_price=unit_price,
        quantity=quantity,
        unit=unit,
        acquired_on=acquired_on,
        funding_source=funding_source,
        category_code=category_code,
        department=department,
        place=place,
        custodian=custodian,
        acquisition_method=acquisition_method,
        supplier_name=supplier_name,
        source=source,
        brand=brand,
        spec=spec,
        **extra,
    )
    asset.asset_no = asset.asset_no or _new_number(school)
    asset.full_clean()
    asset.save()
    record_event(asset, EventKind.REGISTERED, actor=actor, message=asset.source)
    audit.record(
        actor=actor,
        action="assets.asset.created",
        target=asset,
        changes={
            "asset_no": [None, asset.asset_no],
            "original_value": [None, asset.original_value],
            "asset_class": [None, asset.asset_class],
        },
        message=asset.source,
    )
    return asset


# Fields a card edit may change. Department, place and custodian may only be filled in when empty; moves go
# through a transfer.
EDITABLE = frozenset(
    {
        "name",
        "category_code",
        "legacy_code",
        "brand",
        "spec",
        "quantity",
        "unit",
        "unit_price",
        "value_type",
        "is_special_equipment",
        "is_bulk_batch",
        "acquisition_method",
        "acquired_on",
        "funding_source",
        "supplier_name",
        "source",
        "useful_life_months",
        "voucher_no",
        "notes",
    }
)


@transaction.atomic
def asset_update(*, actor: User, asset: Asset, **values: Any) -> Asset:
    """Correct a card; the value and the class are recomputed from the price, quantity and flags."""
    require_perm(actor, "assets.change_asset")
    asset = open_card(asset)
    unknown = set(values) - EDITABLE - set(PLACEMENT)
    if unknown:
        raise TypeError(f"asset_update() got unexpected fields: {sorted(unknown)}")
    for field in PLACEMENT:
        if field in values and getattr(asset, f"{field}_id") not in (None, getattr(values[field], "pk", None)):
            raise ValidationError(
                {field: _(MOVE_BY_TRANSFER) % {"field": getattr(Asset._meta.get_field(field), "verbose_name", field)}}
            )
    require_same_school(asset.school, **{f: values.get(f) for f in PLACEMENT})
    merged = {f: values.get(f, getattr(asset, f)) for f in ("unit_price", "quantity", "category_code")}
    values["unit_price"], values["quantity"], values["original_value"] = amounts(
        merged["unit_price"], merged["quantity"]
    )
    values["category_code"] = class_code(merged["category_code"])
    life = values.get("useful_life_months", asset.useful_life_months)
    values["useful_life_months"] = useful_life(values["category_code"], life)
    values["asset_class"] = classify(
        school=asset.school,
        unit_price=values["unit_price"],
        acquired_on=values.get("acquired_on", asset.acquired_on),
        special_equipment=values.get("is_special_equipment", asset.is_special_equipment),
        bulk_batch=values.get("is_bulk_batch", asset.is_bulk_batch),
        useful_life_months=values["useful_life_months"],
    )
    values = {k: v for k, v in values.items() if not (k in PLACEMENT and v is None)}
    changes = audit.diff(asset, values)
    if changes:
        asset.full_clean()
        asset.save()
        record_event(asset, EventKind.UPDATED, actor=actor, changes=changes)
        audit.record(actor=actor, action="assets.asset.updated", target=asset, changes=changes)
    return asset


@transaction.atomic
def asset_set_status(*, actor: User, asset: Asset, status: str, reason: str = "") -> Asset:
    """Mark a card in use (once complete, A7), idle or under repair (loans, disposal and stocktakes have their
    own services)."""
    require_perm(actor, "assets.change_asset")
    asset = open_card(asset)
    if status not in STATUS_TRANSITIONS.get(asset.status, set()):
        raise ValidationError(
            _(STATUS_NOT_ALLOWED)
            % {"asset": asset, "current": asset.get_status_display(), "target": AssetStatus(status).label}
        )
    if status == AssetStatus.IN_USE:
        require_complete_card(asset)
    change(actor, asset, {"status": status}, EventKind.STATUS_CHANGED, reason.strip())
    return asset


def require_complete_card(asset: Asset) -> None:
    """A7: a fixed asset goes into use only with every field of the official card filled in."""
    if asset.missing_card_fields:
        raise ValidationError(_(CARD_INCOMPLETE) % {"fields": "、".join(asset.missing_card_fields)})
