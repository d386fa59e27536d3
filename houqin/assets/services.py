"""Every write to the asset register: cards, their history, transfers and hand-overs, loans, disposal.

The card's own ledger (AssetEvent) is appended in the same transaction as each change it explains; the audit
trail records who did it. Stocktakes are in services_stocktake.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from houqin.assets import categories
from houqin.assets.choices import (
    LENDABLE,
    MOVABLE,
    STATUS_TRANSITIONS,
    AcquisitionMethod,
    AssetClass,
    AssetStatus,
    DisposalMethod,
    DisposalStatus,
    EventKind,
    TransferStatus,
)
from houqin.assets.models import Asset, AssetEvent, Disposal, Loan, Transfer
from houqin.core import audit
from houqin.core.crud import lock, require_perm, require_same_school
from houqin.core.money import to_yuan
from houqin.core.numbering import next_number
from houqin.core.policies import policy

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Department, Person, Place, School

UNKNOWN_CODE = gettext_noop("%(code)s is not a class code of %(table)s.")
LIFE_BELOW_FLOOR = gettext_noop("The useful life cannot be shorter than %(months)s months for this class (%(code)s).")
PRICE_NEGATIVE = gettext_noop("The unit price cannot be negative.")
QUANTITY_NOT_POSITIVE = gettext_noop("The quantity must be at least 1.")
NAME_REQUIRED = gettext_noop("Enter the name.")
CARD_CLOSED = gettext_noop("%(asset)s has been disposed of; its card is closed.")
MOVE_BY_TRANSFER = gettext_noop("Change the %(field)s through a transfer, so that the move is approved and recorded.")
STATUS_NOT_ALLOWED = gettext_noop("%(asset)s is %(current)s and cannot be set to %(target)s here.")
REASON_REQUIRED = gettext_noop("Give the reason.")
OTHER_SCHOOL_ACTOR = gettext_noop("You can only register assets of your own school.")
NOTHING_TO_CHANGE = gettext_noop("Choose a new department, place or custodian.")
NOT_MOVABLE = gettext_noop("%(asset)s is %(status)s and cannot be transferred now.")
CANNOT_DECIDE_OWN = gettext_noop("You cannot approve or reject your own request.")
TRANSITION_NOT_ALLOWED = gettext_noop("The request is %(current)s and cannot become %(target)s.")
COMMENT_REQUIRED = gettext_noop("Give a reason for the rejection.")
NOT_A_CUSTODIAN = gettext_noop("Only the old or the new custodian can sign the hand-over.")
ALREADY_SIGNED = gettext_noop("You have already signed this hand-over.")
NOT_LENDABLE = gettext_noop("%(asset)s is %(status)s and cannot be lent.")
DUE_IN_PAST = gettext_noop("The due date cannot be before the loan date.")
ALREADY_RETURNED = gettext_noop("This loan has already been returned.")
NO_ASSETS = gettext_noop("Choose at least one asset.")
NOT_DISPOSABLE = gettext_noop("%(asset)s is %(status)s and cannot be put forward for disposal.")
DECISION_REQUIRED = gettext_noop("Record the collective decision (e.g. the meeting minutes) behind this disposal.")
BELOW_MINIMUM_LIFE = gettext_noop(
    "%(asset)s is younger than the minimum life of %(months)s months; only an abnormal loss can be written off early."
)
TIER_NEEDS_PRINCIPAL = gettext_noop("A disposal of this value must be approved at the %(tier)s tier.")
DOCUMENT_REQUIRED = gettext_noop("A disposal at the %(tier)s tier needs the number of that authority's approval.")

#
# Classification (A1, A2)
#


def classify(
    *,
    school: School,
    unit_price: Decimal,
    acquired_on: dt.date | None = None,
    special_equipment: bool = False,
    bulk_batch: bool = False,
    useful_life_months: int | None = None,
) -> str:
    """Fixed asset when it lasts over a year and its unit value reaches the threshold in force (inclusive), or
    when it is a bulk batch of durable items; otherwise a low-value durable item, or a consumable if it does not
    last a year. Special equipment is compared with the special-equipment threshold (the legacy 1500 mode)."""
    if useful_life_months is not None and useful_life_months <= 12:
        return AssetClass.CONSUMABLE
    key = "assets.special_equipment_threshold" if special_equipment else "assets.fixed_threshold"
    threshold = policy(key, school=school, on=acquired_on)
    if Decimal(unit_price) >= threshold or bulk_batch:
        return AssetClass.FIXED
    return AssetClass.LOW_VALUE


def _category(code: str | None) -> str:
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


def _amounts(unit_price: Any, quantity: Any) -> tuple[Decimal, int, Decimal]:
    price = to_yuan(unit_price)
    if price < 0:
        raise ValidationError({"unit_price": _(PRICE_NEGATIVE)})
    if quantity is None or int(quantity) < 1:
        raise ValidationError({"quantity": _(QUANTITY_NOT_POSITIVE)})
    return price, int(quantity), to_yuan(price * int(quantity))


#
# The card's history
#


def record_event(
    asset: Asset, kind: str, *, actor: User | None, message: str = "", changes: dict | None = None
) -> AssetEvent:
    """Append one line to the card's history (the same transaction as the change it explains)."""
    return AssetEvent.objects.create(
        school_id=asset.school_id,
        asset=asset,
        kind=kind,
        occurred_at=timezone.now(),
        actor=actor,
        message=message[:300],
        changes=changes or {},
    )


def _change(actor: User, asset: Asset, values: dict[str, Any], kind: str, message: str = "") -> dict[str, list]:
    """Set `values` on the locked card, save, and write its history line and audit event; returns the changes."""
    changes = audit.diff(asset, values)
    if changes:
        asset.save()
        record_event(asset, kind, actor=actor, message=message, changes=changes)
        audit.record(actor=actor, action=f"assets.asset.{kind}", target=asset, changes=changes, message=message)
    return changes


def _open(asset: Asset) -> Asset:
    """The card re-read under lock; refused when it is closed (disposed)."""
    asset = lock(Asset, asset.pk)
    if asset.is_closed:
        raise ValidationError(_(CARD_CLOSED) % {"asset": asset})
    return asset


#
# Cards
#


def _require_own_school(actor: User, school: School) -> None:
    if actor.school_id is not None and actor.school_id != school.pk:
        raise PermissionDenied(_(OTHER_SCHOOL_ACTOR))
    if actor.school_id is None and actor.district_id not in (None, school.district_id):
        raise PermissionDenied(_(OTHER_SCHOOL_ACTOR))


def _new_number(school: School) -> str:
    """The next ZC number of the school, skipping numbers an imported ledger already uses."""
    year = timezone.localdate().year
    while True:
        number = next_number(school=school, prefix="ZC", year=year)
        if not Asset.objects.filter(school=school, asset_no=number).exists():
            return number


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
    _require_own_school(actor, school)
    unknown = set(extra) - EXTRA_FIELDS
    if unknown:
        raise TypeError(f"asset_create() got unexpected fields: {sorted(unknown)}")
    require_same_school(school, department=department, place=place, custodian=custodian)
    if not (name or "").strip():
        raise ValidationError({"name": _(NAME_REQUIRED)})
    price, quantity, original_value = _amounts(unit_price, quantity)
    code = _category(category_code)
    life = useful_life(code, extra.pop("useful_life_months", None))
    special, bulk = bool(extra.pop("is_special_equipment", False)), bool(extra.pop("is_bulk_batch", False))
    asset = Asset(
        school=school,
        asset_no=(extra.pop("asset_no", "") or "").strip() or _new_number(school),
        name=name.strip(),
        category_code=code,
        brand=brand.strip(),
        spec=spec.strip(),
        quantity=quantity,
        unit=(unit or "").strip() or "台",
        unit_price=price,
        original_value=original_value,
        asset_class=classify(
            school=school,
            unit_price=price,
            acquired_on=acquired_on,
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
PLACEMENT = ("department", "place", "custodian")


@transaction.atomic
def asset_update(*, actor: User, asset: Asset, **values: Any) -> Asset:
    """Correct a card; the value and the class are recomputed from the price, quantity and flags."""
    require_perm(actor, "assets.change_asset")
    asset = _open(asset)
    unknown = set(values) - EDITABLE - set(PLACEMENT)
    if unknown:
        raise TypeError(f"asset_update() got unexpected fields: {sorted(unknown)}")
    for field in PLACEMENT:
        if field in values and getattr(asset, f"{field}_id") not in (None, getattr(values[field], "pk", None)):
            raise ValidationError({field: _(MOVE_BY_TRANSFER) % {"field": Asset._meta.get_field(field).verbose_name}})
    require_same_school(asset.school, **{f: values.get(f) for f in PLACEMENT})
    merged = {f: values.get(f, getattr(asset, f)) for f in ("unit_price", "quantity", "category_code")}
    values["unit_price"], values["quantity"], values["original_value"] = _amounts(
        merged["unit_price"], merged["quantity"]
    )
    values["category_code"] = _category(merged["category_code"])
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
    """Mark a card in use, idle or under repair (loans, disposal and stocktakes have their own services)."""
    require_perm(actor, "assets.change_asset")
    asset = _open(asset)
    if status not in STATUS_TRANSITIONS.get(asset.status, set()):
        raise ValidationError(
            _(STATUS_NOT_ALLOWED)
            % {"asset": asset, "current": asset.get_status_display(), "target": AssetStatus(status).label}
        )
    _change(actor, asset, {"status": status}, EventKind.STATUS_CHANGED, reason.strip())
    return asset


#
# Transfers (调拨) and hand-overs (A10)
#


@transaction.atomic
def transfer_request(
    *,
    actor: User,
    asset: Asset,
    reason: str,
    to_department: Department | None = None,
    to_place: Place | None = None,
    to_custodian: Person | None = None,
    batch: str = "",
) -> Transfer:
    """Ask to move an asset; nothing changes on the card until someone else approves."""
    require_perm(actor, "assets.add_transfer")
    asset = _open(asset)
    require_same_school(asset.school, department=to_department, place=to_place, custodian=to_custodian)
    if asset.status not in MOVABLE:
        raise ValidationError(_(NOT_MOVABLE) % {"asset": asset, "status": asset.get_status_display()})
    if not reason.strip():
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    wanted = {"department": to_department, "place": to_place, "custodian": to_custodian}
    if all(new is None or getattr(asset, f"{field}_id") == new.pk for field, new in wanted.items()):
        raise ValidationError(_(NOTHING_TO_CHANGE))
    transfer = Transfer(
        school_id=asset.school_id,
        asset=asset,
        reason=reason.strip(),
        batch=batch,
        from_department=asset.department,
        to_department=to_department,
        from_place=asset.place,
        to_place=to_place,
        from_custodian=asset.custodian,
        to_custodian=to_custodian,
        requested_by=actor,
    )
    transfer.full_clean()
    transfer.save()
    record_event(asset, EventKind.TRANSFER_REQUESTED, actor=actor, message=f"{transfer.destination}：{reason}")
    audit.record(
        actor=actor,
        action="assets.transfer.created",
        target=transfer,
        changes={"destination": [None, transfer.destination]},
        message=reason,
    )
    return transfer


@transaction.atomic
def transfer_request_batch(*, actor: User, assets: Sequence[Asset], reason: str, **destination: Any) -> list[Transfer]:
    """One transfer per asset to the same destination (e.g. a room's furniture), all or none."""
    if not assets:
        raise ValidationError(_(NO_ASSETS))
    batch = f"{timezone.localtime():%Y%m%d%H%M%S}-{actor.pk}"
    return [transfer_request(actor=actor, asset=asset, reason=reason, batch=batch, **destination) for asset in assets]


def _decide(actor: User, transfer: Transfer, target: str, comment: str) -> Transfer:
    transfer = lock(Transfer, transfer.pk)
    if not transfer.can_become(target):
        raise ValidationError(
            _(TRANSITION_NOT_ALLOWED)
            % {"current": transfer.get_status_display(), "target": TransferStatus(target).label}
        )
    if transfer.requested_by_id == actor.pk:
        raise ValidationError(_(CANNOT_DECIDE_OWN))
    transfer.status = target
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.decision_comment = comment.strip()
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "updated_at"])
    audit.record(
        actor=actor,
        action=f"assets.transfer.{target}",
        target=transfer,
        changes={"status": [TransferStatus.PENDING, target]},
        message=comment,
    )
    return transfer


@transaction.atomic
def transfer_approve(*, actor: User, transfer: Transfer, comment: str = "") -> Transfer:
    """Approve a transfer (not one's own): the card moves now, and the move enters its history."""
    require_perm(actor, "assets.approve_transfer")
    transfer = _decide(actor, transfer, TransferStatus.DONE, comment)
    asset = _open(transfer.asset)
    moves = {
        field: getattr(transfer, f"to_{field}")
        for field in PLACEMENT
        if getattr(transfer, f"to_{field}_id") is not None
    }
    _change(actor, asset, moves, EventKind.TRANSFERRED, transfer.reason)
    return transfer


@transaction.atomic
def transfer_reject(*, actor: User, transfer: Transfer, comment: str) -> Transfer:
    """Refuse a transfer, saying why; the card stays where it is."""
    require_perm(actor, "assets.approve_transfer")
    if not comment.strip():
        raise ValidationError({"comment": _(COMMENT_REQUIRED)})
    transfer = _decide(actor, transfer, TransferStatus.REJECTED, comment)
    record_event(transfer.asset, EventKind.TRANSFER_REJECTED, actor=actor, message=comment)
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: User, transfer: Transfer) -> Transfer:
    """Withdraw a pending transfer (its requester, or an approver)."""
    transfer = lock(Transfer, transfer.pk)
    if transfer.requested_by_id != actor.pk:
        require_perm(actor, "assets.approve_transfer")
    if not transfer.can_become(TransferStatus.CANCELLED):
        raise ValidationError(
            _(TRANSITION_NOT_ALLOWED)
            % {"current": transfer.get_status_display(), "target": TransferStatus.CANCELLED.label}
        )
    transfer.status = TransferStatus.CANCELLED
    transfer.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="assets.transfer.cancelled",
        target=transfer,
        changes={"status": [TransferStatus.PENDING, TransferStatus.CANCELLED]},
    )
    return transfer


@transaction.atomic
def handover_sign(*, actor: User, transfer: Transfer) -> Transfer:
    """The old custodian signs that they handed the asset over, or the new one that they received it (A10)."""
    transfer = lock(Transfer, transfer.pk)
    person_id = actor.person_id
    if (
        person_id is None
        or not transfer.is_handover
        or person_id
        not in (
            transfer.from_custodian_id,
            transfer.to_custodian_id,
        )
    ):
        raise PermissionDenied(_(NOT_A_CUSTODIAN))
    field = "released_at" if person_id == transfer.from_custodian_id else "received_at"
    if getattr(transfer, field) is not None:
        raise ValidationError(_(ALREADY_SIGNED))
    setattr(transfer, field, timezone.now())
    transfer.save(update_fields=[field, "updated_at"])
    record_event(transfer.asset, EventKind.HANDED_OVER, actor=actor, message=str(actor.person))
    audit.record(actor=actor, action="assets.transfer.signed", target=transfer, changes={field: [None, "✓"]})
    return transfer


#
# Loans (借用)
#


@transaction.atomic
def loan_create(
    *,
    actor: User,
    asset: Asset,
    borrower: Person,
    due_on: dt.date,
    purpose: str = "",
    lent_on: dt.date | None = None,
) -> Loan:
    """Lend an asset in use or idle to a member of staff until `due_on`."""
    require_perm(actor, "assets.add_loan")
    asset = _open(asset)
    require_same_school(asset.school, borrower=borrower)
    if asset.status not in LENDABLE:
        raise ValidationError(_(NOT_LENDABLE) % {"asset": asset, "status": asset.get_status_display()})
    lent_on = lent_on or timezone.localdate()
    if due_on < lent_on:
        raise ValidationError({"due_on": _(DUE_IN_PAST)})
    loan = Loan(
        school_id=asset.school_id,
        asset=asset,
        borrower=borrower,
        purpose=purpose.strip(),
        lent_on=lent_on,
        due_on=due_on,
        lent_by=actor,
        status_before=asset.status,
    )
    loan.full_clean()
    loan.save()
    _change(actor, asset, {"status": AssetStatus.ON_LOAN}, EventKind.LENT, f"{borrower} → {due_on:%Y-%m-%d}")
    audit.record(
        actor=actor, action="assets.loan.created", target=loan, changes={"due_on": [None, due_on]}, message=purpose
    )
    return loan


@transaction.atomic
def loan_return(
    *, actor: User, loan: Loan, condition: str = "", damaged: bool = False, returned_on: dt.date | None = None
) -> Loan:
    """Take an asset back with the condition found; a damaged one goes under repair."""
    require_perm(actor, "assets.change_loan")
    loan = lock(Loan, loan.pk)
    if not loan.is_open:
        raise ValidationError(_(ALREADY_RETURNED))
    loan.returned_on = returned_on or timezone.localdate()
    loan.returned_to, loan.condition, loan.damaged = actor, condition.strip(), damaged
    loan.save(update_fields=["returned_on", "returned_to", "condition", "damaged", "updated_at"])
    asset = lock(Asset, loan.asset_id)
    status = AssetStatus.UNDER_REPAIR if damaged else loan.status_before
    _change(actor, asset, {"status": status}, EventKind.RETURNED, loan.condition)
    audit.record(
        actor=actor,
        action="assets.loan.returned",
        target=loan,
        changes={"returned_on": [None, loan.returned_on], "damaged": [None, damaged]},
        message=loan.condition,
    )
    return loan


#
# Disposal (报废/报损, A12)
#


@dataclass(frozen=True)
class Tier:
    code: str
    label: Any
    limit: Decimal | None  # the highest original value (inclusive) this tier approves; None: no limit
    permission: str
    external: bool = False  # approved outside the school: the approval's document number is recorded


# The default tier table (a Chongqing example in china-rules 1.5.4); it becomes the default of a district
# setting once tier tables are configurable. Buildings, land and vehicles always take the last tier.
DISPOSAL_TIERS: tuple[Tier, ...] = (
    Tier("leader", gettext_lazy("School leader in charge"), Decimal("20000.00"), "assets.approve_disposal"),
    Tier("principal", gettext_lazy("Principal"), Decimal("50000.00"), "assets.approve_major_disposal"),
    Tier(
        "office_meeting",
        gettext_lazy("Principal's office meeting"),
        Decimal("200000.00"),
        "assets.approve_major_disposal",
    ),
    Tier("bureau", gettext_lazy("Education bureau"), Decimal("1000000.00"), "assets.approve_major_disposal", True),
    Tier("finance", gettext_lazy("Finance bureau"), None, "assets.approve_major_disposal", True),
)
TIERS_BY_CODE = {tier.code: tier for tier in DISPOSAL_TIERS}


def disposal_tier(original_value: Decimal, codes: Sequence[str] = ()) -> Tier:
    """The tier that approves a disposal of this total original value (single asset or batch)."""
    if any(categories.needs_top_tier(code) for code in codes):
        return DISPOSAL_TIERS[-1]
    return next(t for t in DISPOSAL_TIERS if t.limit is None or original_value <= t.limit)


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _check_disposable(asset: Asset, method: str, today: dt.date) -> None:
    # A card may already await disposal without a request (missing in an approved stocktake).
    written_off = (
        asset.status == AssetStatus.AWAITING_DISPOSAL
        and not asset.disposals.filter(status=DisposalStatus.PENDING).exists()
    )
    if asset.status not in MOVABLE and not written_off:
        raise ValidationError(_(NOT_DISPOSABLE) % {"asset": asset, "status": asset.get_status_display()})
    floor = categories.life_floor_months(asset.category_code)
    if (
        method != DisposalMethod.LOSS
        and asset.asset_class == AssetClass.FIXED
        and floor is not None
        and _months_between(asset.acquired_on, today) < floor
    ):
        raise ValidationError(_(BELOW_MINIMUM_LIFE) % {"asset": asset, "months": floor})


@transaction.atomic
def disposal_request(
    *, actor: User, assets: Sequence[Asset], reason: str, collective_decision: str, method: str = DisposalMethod.SCRAP
) -> Disposal:
    """Put assets forward for disposal with the collective decision behind it; the tier follows their value."""
    require_perm(actor, "assets.add_disposal")
    if not assets:
        raise ValidationError(_(NO_ASSETS))
    if not reason.strip():
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    if not collective_decision.strip():
        raise ValidationError({"collective_decision": _(DECISION_REQUIRED)})
    locked = [_open(asset) for asset in sorted(assets, key=lambda a: a.pk)]
    school = locked[0].school
    require_same_school(school, **{f"asset {a.asset_no}": a for a in locked})
    today = timezone.localdate()
    for asset in locked:
        _check_disposable(asset, method, today)
    total = to_yuan(sum((a.original_value for a in locked), Decimal(0)))
    disposal = Disposal(
        school=school,
        number=next_number(school=school, prefix="BF", year=today.year),
        method=method,
        reason=reason.strip(),
        collective_decision=collective_decision.strip(),
        original_value=total,
        tier=disposal_tier(total, [a.category_code for a in locked]).code,
        requested_by=actor,
        statuses_before={str(a.pk): a.status for a in locked},
    )
    disposal.full_clean()
    disposal.save()
    disposal.assets.set(locked)
    for asset in locked:
        _change(actor, asset, {"status": AssetStatus.AWAITING_DISPOSAL}, EventKind.DISPOSAL_REQUESTED, reason)
    audit.record(
        actor=actor,
        action="assets.disposal.created",
        target=disposal,
        changes={"original_value": [None, total], "tier": [None, disposal.tier]},
        message=reason,
    )
    return disposal


def _decide_disposal(actor: User, disposal: Disposal, target: str, comment: str) -> Disposal:
    disposal = lock(Disposal, disposal.pk)
    if disposal.status != DisposalStatus.PENDING:
        raise ValidationError(
            _(TRANSITION_NOT_ALLOWED)
            % {"current": disposal.get_status_display(), "target": DisposalStatus(target).label}
        )
    if disposal.requested_by_id == actor.pk:
        raise ValidationError(_(CANNOT_DECIDE_OWN))
    disposal.status = target
    disposal.decided_by, disposal.decided_at = actor, timezone.now()
    disposal.decision_comment = comment.strip()
    return disposal


@transaction.atomic
def disposal_approve(*, actor: User, disposal: Disposal, approval_document: str = "", comment: str = "") -> Disposal:
    """Approve at the request's tier (not one's own): the cards are closed as disposed, never deleted."""
    require_perm(actor, "assets.approve_disposal")
    tier = TIERS_BY_CODE[lock(Disposal, disposal.pk).tier]
    if not actor.has_perm(tier.permission):
        raise PermissionDenied(_(TIER_NEEDS_PRINCIPAL) % {"tier": tier.label})
    if tier.external and not approval_document.strip():
        raise ValidationError({"approval_document": _(DOCUMENT_REQUIRED) % {"tier": tier.label}})
    disposal = _decide_disposal(actor, disposal, DisposalStatus.DONE, comment)
    disposal.approval_document = approval_document.strip()
    disposal.disposed_on = timezone.localdate()
    disposal.save()
    for asset in disposal.assets.order_by("pk"):
        asset = lock(Asset, asset.pk)
        values = {"status": AssetStatus.DISPOSED, "disposed_on": disposal.disposed_on}
        _change(actor, asset, values, EventKind.DISPOSED, f"{disposal.number} {disposal.get_method_display()}")
    audit.record(
        actor=actor,
        action="assets.disposal.done",
        target=disposal,
        changes={"status": [DisposalStatus.PENDING, DisposalStatus.DONE]},
        message=disposal.approval_document or comment,
    )
    return disposal


@transaction.atomic
def disposal_reject(*, actor: User, disposal: Disposal, comment: str) -> Disposal:
    """Refuse a disposal, saying why; the assets go back to the status they had."""
    require_perm(actor, "assets.approve_disposal")
    if not comment.strip():
        raise ValidationError({"comment": _(COMMENT_REQUIRED)})
    disposal = _decide_disposal(actor, disposal, DisposalStatus.REJECTED, comment)
    disposal.save()
    for asset in disposal.assets.order_by("pk"):
        asset = lock(Asset, asset.pk)
        before = disposal.statuses_before.get(str(asset.pk), AssetStatus.IDLE)
        _change(actor, asset, {"status": before}, EventKind.DISPOSAL_REJECTED, comment)
    audit.record(
        actor=actor,
        action="assets.disposal.rejected",
        target=disposal,
        changes={"status": [DisposalStatus.PENDING, DisposalStatus.REJECTED]},
        message=comment,
    )
    return disposal
