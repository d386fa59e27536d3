"""Every write to the store: items, ledger movements (never edited, only reversed), requisitions.

Balances change only here, in the same transaction as the movement that explains them, with the item row locked,
so that concurrent issues can never take the balance below zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import create_audited, lock, require_perm, require_same_school, update_audited
from houqin.core.numbering import next_number
from houqin.stock.choices import CountStatus, MovementKind, RequisitionStatus
from houqin.stock.models import (
    Requisition,
    RequisitionLine,
    StockCount,
    StockCountLine,
    StockItem,
    StockMovement,
)

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Department, Person, School

NOT_ENOUGH = gettext_noop("Not enough %(item)s in stock: %(balance)s %(unit)s left, %(wanted)s %(unit)s asked.")
QUANTITY_NOT_POSITIVE = gettext_noop("The quantity must be greater than zero.")
PRICE_NEGATIVE = gettext_noop("The unit price cannot be negative.")
REASON_REQUIRED = gettext_noop("Give the reason for this change.")
NO_LINES = gettext_noop("Add at least one item.")
DUPLICATE_LINE = gettext_noop("%(item)s is listed twice; put the total on one line.")
CANNOT_DECIDE_OWN = gettext_noop("You cannot approve or issue your own requisition.")
TRANSITION_NOT_ALLOWED = gettext_noop("The requisition is %(current)s and cannot become %(target)s.")
COMMENT_REQUIRED = gettext_noop("Give a reason for the rejection.")
ALREADY_REVERSED = gettext_noop("This movement has already been reversed.")
NOT_A_SCHOOL_USER = gettext_noop("Only school staff can request consumables.")
ONLY_REQUESTER_OR_RECEIVER = gettext_noop("Only the requester or the receiver can confirm receipt.")
INACTIVE_ITEM = gettext_noop("%(item)s is no longer in use.")

FEN = Decimal("0.01")


def plain(quantity: Decimal) -> str:
    """100.00 -> '100', 2.50 -> '2.5' (never '1E+2')."""
    return format(quantity.normalize(), "f")


#
# Items
#


@transaction.atomic
def item_create(*, actor: User, school: School, name: str, unit: str, **fields: Any) -> StockItem:
    """Add a kind of consumable to the store's catalogue."""
    require_perm(actor, "stock.add_stockitem")
    values = {
        "school": school,
        "name": name.strip(),
        "unit": unit.strip(),
        "spec": fields.pop("spec", "").strip(),
        **fields,
    }
    return create_audited(actor=actor, model=StockItem, values=values)


@transaction.atomic
def item_update(*, actor: User, item: StockItem, **values: Any) -> StockItem:
    require_perm(actor, "stock.change_stockitem")
    return update_audited(actor=actor, instance=lock(StockItem, item.pk), values=values)


#
# The ledger
#


def _positive(quantity: Decimal) -> Decimal:
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise ValidationError({"quantity": _(QUANTITY_NOT_POSITIVE)})
    return quantity


def _movement(
    *, actor: User, item: StockItem, kind: str, quantity: Decimal, unit_price: Decimal | None = None, **fields: Any
) -> StockMovement:
    """The next movement of a locked item, unsaved, with the item's balance (and average cost) moved in memory;
    refused if the balance would go below zero."""
    new_balance = item.balance + quantity
    if new_balance < 0:
        raise ValidationError(
            _(NOT_ENOUGH)
            % {"item": item, "balance": plain(item.balance), "unit": item.unit, "wanted": plain(-quantity)}
        )
    if quantity > 0 and unit_price is not None and new_balance > 0:
        item.average_cost = ((item.balance * item.average_cost + quantity * unit_price) / new_balance).quantize(
            Decimal("0.0001")
        )
    price = unit_price if unit_price is not None else item.average_cost
    item.balance = new_balance
    return StockMovement(
        school_id=item.school_id,
        item=item,
        kind=kind,
        quantity=quantity,
        unit_price=price,
        amount=(abs(quantity) * price).quantize(FEN),
        balance_after=new_balance,
        actor=actor,
        occurred_at=fields.pop("occurred_at", None) or timezone.now(),
        **fields,
    )


def _post(*, actor: User, item: StockItem, kind: str, quantity: Decimal, **fields: Any) -> StockMovement:
    """Append one movement to a locked item and move its balance; refuse to go below zero."""
    movement = _movement(actor=actor, item=item, kind=kind, quantity=quantity, **fields)
    movement.save()
    item.save(update_fields=["balance", "average_cost", "updated_at"])
    return movement


def _audit_movement(actor: User, movement: StockMovement, verb: str) -> None:
    item = movement.item
    audit.record(
        actor=actor,
        action=f"stock.movement.{verb}",
        target=item,
        changes={"balance": [item.balance - movement.quantity, item.balance]},
        message=movement.reason or movement.supplier_name,
    )


@transaction.atomic
def stock_receive(
    *,
    actor: User,
    item: StockItem,
    quantity: Decimal,
    unit_price: Decimal,
    supplier_name: str = "",
    source: str = "",
    reason: str = "",
) -> StockMovement:
    """Goods in (入库): the balance rises and the average unit cost is recomputed."""
    require_perm(actor, "stock.add_stockmovement")
    quantity = _positive(quantity)
    if Decimal(unit_price) < 0:
        raise ValidationError({"unit_price": _(PRICE_NEGATIVE)})
    item = lock(StockItem, item.pk)
    movement = _post(
        actor=actor,
        item=item,
        kind=MovementKind.RECEIPT,
        quantity=quantity,
        unit_price=Decimal(unit_price),
        supplier_name=supplier_name.strip(),
        source=source,
        reason=reason,
    )
    _audit_movement(actor, movement, "received")
    return movement


@transaction.atomic
def stock_adjust(*, actor: User, item: StockItem, quantity: Decimal, reason: str) -> StockMovement:
    """A counted difference (盘盈 positive, 盘亏 negative), always with its reason."""
    require_perm(actor, "stock.add_stockmovement")
    if not reason.strip():
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    quantity = Decimal(quantity)
    if quantity == 0:
        raise ValidationError({"quantity": _(QUANTITY_NOT_POSITIVE)})
    item = lock(StockItem, item.pk)
    movement = _post(actor=actor, item=item, kind=MovementKind.ADJUSTMENT, quantity=quantity, reason=reason.strip())
    _audit_movement(actor, movement, "adjusted")
    return movement


@transaction.atomic
def stock_return(
    *, actor: User, item: StockItem, quantity: Decimal, reason: str, receiver: Person | None = None
) -> StockMovement:
    """Unused goods brought back to the store (退库)."""
    require_perm(actor, "stock.add_stockmovement")
    require_same_school(item.school, receiver=receiver)
    quantity = _positive(quantity)
    item = lock(StockItem, item.pk)
    movement = _post(
        actor=actor, item=item, kind=MovementKind.RETURN, quantity=quantity, reason=reason.strip(), receiver=receiver
    )
    _audit_movement(actor, movement, "returned")
    return movement


@transaction.atomic
def movement_reverse(*, actor: User, movement: StockMovement, reason: str) -> StockMovement:
    """Undo a wrong movement by posting its opposite; the original stays in the ledger."""
    require_perm(actor, "stock.add_stockmovement")
    if not reason.strip():
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    original = StockMovement.objects.select_for_update().get(pk=movement.pk)
    if StockMovement.objects.filter(reverses=original).exists() or original.kind == MovementKind.REVERSAL:
        raise ValidationError(_(ALREADY_REVERSED))
    item = lock(StockItem, original.item_id)
    reversal = _post(
        actor=actor,
        item=item,
        kind=MovementKind.REVERSAL,
        quantity=-original.quantity,
        unit_price=original.unit_price if original.quantity < 0 else None,
        reverses=original,
        reason=reason.strip(),
    )
    _audit_movement(actor, reversal, "reversed")
    return reversal


#
# Requisitions (领用)
#


def _merge_lines(school: School, lines: Iterable[tuple[StockItem, Decimal]]) -> list[tuple[StockItem, Decimal]]:
    seen: dict[int, tuple[StockItem, Decimal]] = {}
    for item, quantity in lines:
        require_same_school(school, item=item)
        if not item.is_active:
            raise ValidationError({"lines": _(INACTIVE_ITEM) % {"item": item}})
        if item.pk in seen:
            raise ValidationError({"lines": _(DUPLICATE_LINE) % {"item": item}})
        seen[item.pk] = (item, _positive(quantity))
    if not seen:
        raise ValidationError({"lines": _(NO_LINES)})
    return list(seen.values())


@transaction.atomic
def requisition_create(
    *,
    actor: User,
    lines: Sequence[tuple[StockItem, Decimal]],
    purpose: str,
    receiver: Person | None = None,
    department: Department | None = None,
    batch: str = "",
) -> Requisition:
    """Ask for consumables (any staff member); the request waits for approval."""
    require_perm(actor, "stock.add_requisition")
    school = actor.school
    if school is None:
        raise PermissionDenied(_(NOT_A_SCHOOL_USER))
    require_same_school(school, receiver=receiver, department=department)
    merged = _merge_lines(school, lines)
    requisition = Requisition(
        school=school,
        number=next_number(school=school, prefix="LY", year=timezone.localdate().year),
        requested_by=actor,
        receiver=receiver or actor.person,
        department=department,
        purpose=purpose.strip(),
        batch=batch,
    )
    requisition.full_clean()
    requisition.save()
    RequisitionLine.objects.bulk_create(
        [RequisitionLine(requisition=requisition, item=item, quantity=qty) for item, qty in merged]
    )
    audit.record(
        actor=actor,
        action="stock.requisition.created",
        target=requisition,
        changes={"lines": [None, [f"{item} × {qty}" for item, qty in merged]]},
        message=purpose,
    )
    return requisition


def _transition(requisition: Requisition, target: str) -> None:
    if not requisition.can_become(target):
        raise ValidationError(
            _(TRANSITION_NOT_ALLOWED)
            % {"current": requisition.get_status_display(), "target": RequisitionStatus(target).label}
        )


def _decide(actor: User, requisition: Requisition, target: str, comment: str) -> Requisition:
    requisition = lock(Requisition, requisition.pk)
    _transition(requisition, target)
    if requisition.requested_by_id == actor.pk:
        raise ValidationError(_(CANNOT_DECIDE_OWN))
    old = requisition.status
    requisition.status = target
    requisition.approved_by = actor
    requisition.approved_at = timezone.now()
    requisition.decision_comment = comment.strip()
    requisition.save(update_fields=["status", "approved_by", "approved_at", "decision_comment", "updated_at"])
    audit.record(
        actor=actor,
        action=f"stock.requisition.{target}",
        target=requisition,
        changes={"status": [old, target]},
        message=comment,
    )
    return requisition


@transaction.atomic
def requisition_approve(*, actor: User, requisition: Requisition, comment: str = "") -> Requisition:
    """Approve a pending requisition (not one's own)."""
    require_perm(actor, "stock.approve_requisition")
    return _decide(actor, requisition, RequisitionStatus.APPROVED, comment)


@transaction.atomic
def requisition_reject(*, actor: User, requisition: Requisition, comment: str) -> Requisition:
    """Refuse a pending requisition, saying why."""
    require_perm(actor, "stock.approve_requisition")
    if not comment.strip():
        raise ValidationError({"comment": _(COMMENT_REQUIRED)})
    return _decide(actor, requisition, RequisitionStatus.REJECTED, comment)


@transaction.atomic
def requisition_cancel(*, actor: User, requisition: Requisition) -> Requisition:
    """Withdraw a requisition not yet issued (its requester, or an approver)."""
    requisition = lock(Requisition, requisition.pk)
    if requisition.requested_by_id != actor.pk:
        require_perm(actor, "stock.approve_requisition")
    _transition(requisition, RequisitionStatus.CANCELLED)
    old = requisition.status
    requisition.status = RequisitionStatus.CANCELLED
    requisition.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="stock.requisition.cancelled",
        target=requisition,
        changes={"status": [old, requisition.status]},
    )
    return requisition


@transaction.atomic
def requisition_issue(*, actor: User, requisition: Requisition) -> Requisition:
    """Hand the goods over (出库). From 'pending' the issuer must also be allowed to approve (and it counts as the
    approval). Every line is checked before any is posted, so a shortage issues nothing."""
    require_perm(actor, "stock.issue_requisition")
    requisition = lock(Requisition, requisition.pk)
    _transition(requisition, RequisitionStatus.ISSUED)
    if requisition.requested_by_id == actor.pk:
        raise ValidationError(_(CANNOT_DECIDE_OWN))
    if requisition.status == RequisitionStatus.PENDING:
        require_perm(actor, "stock.approve_requisition")
    return _issue(actor, requisition)


def _issue(actor: User, requisition: Requisition) -> Requisition:
    lines = list(requisition.lines.order_by("item_id"))
    # Lock the items in a fixed order so that two issues touching the same items cannot deadlock.
    items = {
        item.pk: item
        for item in StockItem.objects.select_for_update().filter(pk__in=[line.item_id for line in lines]).order_by("pk")
    }
    shortages = [
        _(NOT_ENOUGH)
        % {
            "item": items[line.item_id],
            "balance": plain(items[line.item_id].balance),
            "unit": items[line.item_id].unit,
            "wanted": plain(line.quantity),
        }
        for line in lines
        if items[line.item_id].balance < line.quantity
    ]
    if shortages:
        raise ValidationError(shortages)
    for line in lines:
        _post(
            actor=actor,
            item=items[line.item_id],
            kind=MovementKind.ISSUE,
            quantity=-line.quantity,
            receiver=requisition.receiver,
            requisition=requisition,
            reason=requisition.purpose,
        )
    old = requisition.status
    now = timezone.now()
    if requisition.approved_by_id is None:
        requisition.approved_by, requisition.approved_at = actor, now
    requisition.status = RequisitionStatus.ISSUED
    requisition.issued_by, requisition.issued_at = actor, now
    requisition.save()
    audit.record(
        actor=actor,
        action="stock.requisition.issued",
        target=requisition,
        changes={"status": [old, requisition.status]},
    )
    return requisition


@transaction.atomic
def requisition_confirm_received(*, actor: User, requisition: Requisition) -> Requisition:
    """The receiver (or the requester) confirms the goods arrived (签收)."""
    requisition = lock(Requisition, requisition.pk)
    receiver_user_id = getattr(getattr(requisition.receiver, "user", None), "pk", None)
    if actor.pk not in (requisition.requested_by_id, receiver_user_id):
        raise PermissionDenied(_(ONLY_REQUESTER_OR_RECEIVER))
    _transition(requisition, RequisitionStatus.RECEIVED)
    requisition.status = RequisitionStatus.RECEIVED
    requisition.received_at = timezone.now()
    requisition.save(update_fields=["status", "received_at", "updated_at"])
    audit.record(
        actor=actor,
        action="stock.requisition.received",
        target=requisition,
        changes={"status": [RequisitionStatus.ISSUED, requisition.status]},
    )
    return requisition


@transaction.atomic
def batch_issue(
    *, actor: User, lines: Sequence[tuple[StockItem, Decimal]], receivers: Sequence[Person], purpose: str
) -> list[Requisition]:
    """Term-start issue: the same set of items for every person of a list, one requisition each, all or nothing."""
    require_perm(actor, "stock.issue_requisition")
    require_perm(actor, "stock.approve_requisition")
    if not receivers:
        raise ValidationError({"receivers": _("Choose at least one receiver.")})
    batch = f"{timezone.localtime():%Y%m%d%H%M%S}-{actor.pk}"
    # The storekeeper creates and issues a batch in one act, so the rule against deciding one's own request does
    # not apply: the batch itself is audited with its issuer.
    issued = []
    for receiver in receivers:
        requisition = requisition_create(
            actor=actor, lines=lines, purpose=purpose, receiver=receiver, department=receiver.department, batch=batch
        )
        issued.append(_issue(actor, lock(Requisition, requisition.pk)))
    return issued


#
# Counts (库存盘点)
#

COUNT_CLOSED = gettext_noop("This count is closed.")
COUNT_NOT_COUNTED = gettext_noop("%(count)s items are not counted yet, e.g. %(items)s.")
COUNT_REASON_MISSING = gettext_noop("%(item)s: give the reason for the difference (%(difference)s %(unit)s).")
COUNT_NEGATIVE = gettext_noop("Line %(line)s (%(item)s): a counted quantity cannot be negative.")
COUNT_UNKNOWN_ITEM = gettext_noop("Line %(line)s: this item is not part of the count.")
COUNT_NO_ITEMS = gettext_noop("There are no items in use to count.")


@transaction.atomic
def count_start(*, actor: User, school: School, name: str, items: Iterable[StockItem] | None = None) -> StockCount:
    """Open a count over the items in use (or those given), each with its book balance at this moment."""
    require_perm(actor, "stock.add_stockcount")
    chosen = StockItem.objects.filter(school=school, is_active=True) if items is None else items
    count = StockCount.objects.create(school=school, name=name.strip(), started_by=actor)
    lines = [StockCountLine(count=count, item=item, book_quantity=item.balance) for item in chosen]
    if not lines:
        raise ValidationError(_(COUNT_NO_ITEMS))
    if any(line.item.school_id != school.pk for line in lines):
        raise PermissionDenied
    StockCountLine.objects.bulk_create(lines, batch_size=1000)
    audit.record(actor=actor, action="stock.count.started", target=count, changes={"lines": [None, len(lines)]})
    return count


def _open_count(count: StockCount) -> StockCount:
    count = lock(StockCount, count.pk)
    if count.status != CountStatus.OPEN:
        raise ValidationError(_(COUNT_CLOSED))
    return count


@transaction.atomic
def count_record(*, actor: User, count: StockCount, entries: Sequence[tuple[int, Decimal | None, str]]) -> StockCount:
    """Write what was found, (item id, counted quantity or None to clear, reason) per item; all or nothing."""
    require_perm(actor, "stock.change_stockcount")
    count = _open_count(count)
    lines = {line.item_id: line for line in count.lines.select_related("item")}
    errors, changed = [], []
    for number, (item_id, counted, reason) in enumerate(entries, start=1):
        line = lines.get(item_id)
        if line is None:
            errors.append(_(COUNT_UNKNOWN_ITEM) % {"line": number})
            continue
        if counted is not None and Decimal(counted) < 0:
            errors.append(_(COUNT_NEGATIVE) % {"line": number, "item": line.item})
            continue
        line.counted_quantity = None if counted is None else Decimal(counted)
        line.reason = reason.strip()
        changed.append(line)
    if errors:
        raise ValidationError(errors)
    StockCountLine.objects.bulk_update(changed, ["counted_quantity", "reason"], batch_size=200)
    return count


@transaction.atomic
def count_close(*, actor: User, count: StockCount) -> StockCount:
    """Close a count: every item counted, every difference explained; each difference becomes one adjustment
    (counted − book balance at the start), all in this one transaction, so the ledger and the count agree."""
    require_perm(actor, "stock.change_stockcount")
    count = _open_count(count)
    lines = list(count.lines.select_related("item"))
    uncounted = [line.item.name for line in lines if line.counted_quantity is None]
    if uncounted:
        raise ValidationError(_(COUNT_NOT_COUNTED) % {"count": len(uncounted), "items": "、".join(uncounted[:5])})
    differences = [(line, line.difference) for line in lines if line.difference]  # every line counted by now
    differing = [line for line, _difference in differences]
    unexplained = [
        _(COUNT_REASON_MISSING) % {"item": line.item, "difference": plain(difference), "unit": line.item.unit}
        for line, difference in differences
        if difference is not None and not line.reason
    ]
    if unexplained:
        raise ValidationError(unexplained)
    locked = StockItem.objects.select_for_update().filter(pk__in=[line.item_id for line in differing]).order_by("pk")
    items = {item.pk: item for item in locked}
    now = timezone.now()
    movements = []
    for line, difference in differences:  # one line per item, so each item moves once
        line.movement = _movement(
            actor=actor,
            item=items[line.item_id],
            kind=MovementKind.ADJUSTMENT,
            quantity=Decimal(difference or 0),
            reason=line.reason,
            source=count.name[:60],
            occurred_at=now,
        )
        movements.append(line.movement)
        items[line.item_id].updated_at = now
    StockMovement.objects.bulk_create(movements, batch_size=500)
    StockItem.objects.bulk_update(list(items.values()), ["balance", "average_cost", "updated_at"], batch_size=200)
    StockCountLine.objects.bulk_update(differing, ["movement"], batch_size=200)
    count.status, count.closed_by, count.closed_at = CountStatus.CLOSED, actor, timezone.now()
    count.save(update_fields=["status", "closed_by", "closed_at", "updated_at"])
    audit.record(
        actor=actor,
        action="stock.count.closed",
        target=count,
        changes={"status": [CountStatus.OPEN, CountStatus.CLOSED], "adjustments": [None, len(differing)]},
    )
    return count
