"""Transfers between departments, places and custodians (调拨): requested, approved by someone else, then
applied to the card; a change of custodian is a hand-over both sign (A10). Loans (借用) and their return."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.assets.choices import LENDABLE, MOVABLE, AssetStatus, EventKind, TransferStatus
from houqin.assets.models import Asset, Loan, Transfer
from houqin.assets.services.common import (
    CANNOT_DECIDE_OWN,
    NO_ASSETS,
    PLACEMENT,
    REASON_REQUIRED,
    TRANSITION_NOT_ALLOWED,
    change,
    open_card,
    record_event,
    require_comment,
)
from houqin.core import audit
from houqin.core.crud import lock, require_perm, require_same_school

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Department, Person, Place

NOTHING_TO_CHANGE = gettext_noop("Choose a new department, place or custodian.")
NOT_MOVABLE = gettext_noop("%(asset)s is %(status)s and cannot be transferred now.")
NOT_A_CUSTODIAN = gettext_noop("Only the old or the new custodian can sign the hand-over.")
ALREADY_SIGNED = gettext_noop("You have already signed this hand-over.")
NOT_LENDABLE = gettext_noop("%(asset)s is %(status)s and cannot be lent.")
DUE_IN_PAST = gettext_noop("The due date cannot be before the loan date.")
ALREADY_RETURNED = gettext_noop("This loan has already been returned.")

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
    asset = open_card(asset)
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
    asset = open_card(transfer.asset)
    moves = {
        field: getattr(transfer, f"to_{field}")
        for field in PLACEMENT
        if getattr(transfer, f"to_{field}_id") is not None
    }
    change(actor, asset, moves, EventKind.TRANSFERRED, transfer.reason)
    return transfer


@transaction.atomic
def transfer_reject(*, actor: User, transfer: Transfer, comment: str) -> Transfer:
    """Refuse a transfer, saying why; the card stays where it is."""
    require_perm(actor, "assets.approve_transfer")
    require_comment(comment)
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
    asset = open_card(asset)
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
    change(actor, asset, {"status": AssetStatus.ON_LOAN}, EventKind.LENT, f"{borrower} → {due_on:%Y-%m-%d}")
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
    change(actor, asset, {"status": status}, EventKind.RETURNED, loan.condition)
    audit.record(
        actor=actor,
        action="assets.loan.returned",
        target=loan,
        changes={"returned_on": [None, loan.returned_on], "damaged": [None, damaged]},
        message=loan.condition,
    )
    return loan
