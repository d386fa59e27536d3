"""Acceptance (验收, B7): at least two inspectors of the school sign for what was delivered, line by line.

A passed acceptance, in one transaction, receives the consumables into the store (stock receipts) and registers
the assets (asset cards), numbers the goods-received slip (入库单) and closes the request. Any failure on the way
— a missing permission for the store, an asset the register refuses — saves nothing at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.assets.services import asset_create
from houqin.core import audit
from houqin.core.crud import lock, require_perm, require_same_school
from houqin.core.numbering import next_number
from houqin.procurement.choices import LineKind, RequestStatus
from houqin.procurement.models import FEN, Acceptance, AcceptanceLine, PurchaseRequest, RequestLine, plain
from houqin.procurement.services.purchase_requests import WHOLE_ASSETS, check_ordering
from houqin.stock.models import StockItem
from houqin.stock.services import item_create, stock_receive

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Person

AT_LEAST_TWO_INSPECTORS = gettext_noop("At least two different inspectors sign the acceptance.")
INSPECTOR_LEFT = gettext_noop("%(person)s is no longer on the staff.")
NOT_ACCEPTABLE = gettext_noop("Only an approved or ordered request can be accepted; this one is %(status)s.")
LINE_NOT_IN_REQUEST = gettext_noop("A line does not belong to this request.")
LINE_TWICE = gettext_noop("%(line)s is listed twice.")
QUANTITY_NEGATIVE = gettext_noop("The accepted quantity cannot be negative.")
MORE_THAN_REQUESTED = gettext_noop("%(line)s: %(accepted)s accepted, but only %(requested)s were requested.")
PRICE_NEGATIVE = gettext_noop("The unit price cannot be negative.")
NOTHING_ACCEPTED = gettext_noop("A passed acceptance takes in at least one line.")


@dataclass(frozen=True)
class AcceptedLine:
    """What the inspectors counted for one request line; the unit price defaults to the estimated one."""

    line: RequestLine
    accepted_quantity: Decimal
    unit_price: Decimal | None = None


def _inspectors(school: Any, inspectors: Sequence[Person]) -> list[Person]:
    people = list({person.pk: person for person in inspectors}.values())
    if len(people) < 2:
        raise ValidationError({"inspectors": _(AT_LEAST_TWO_INSPECTORS)})
    for person in people:
        require_same_school(school, inspectors=person)
        if not person.is_active:
            raise ValidationError({"inspectors": _(INSPECTOR_LEFT) % {"person": person}})
    return people


def _check_line(request: PurchaseRequest, accepted: AcceptedLine) -> AcceptanceLine:
    line = accepted.line
    if line.request_id != request.pk:
        raise ValidationError({"lines": _(LINE_NOT_IN_REQUEST)})
    quantity = Decimal(accepted.accepted_quantity)
    if quantity < 0:
        raise ValidationError({"lines": _(QUANTITY_NEGATIVE)})
    if quantity > line.quantity:
        raise ValidationError(
            {
                "lines": _(MORE_THAN_REQUESTED)
                % {"line": line.name, "accepted": plain(quantity), "requested": plain(line.quantity)}
            }
        )
    if line.kind == LineKind.ASSET and quantity != quantity.to_integral_value():
        raise ValidationError({"lines": _(WHOLE_ASSETS) % {"line": line.name}})
    price = line.estimated_unit_price if accepted.unit_price is None else Decimal(accepted.unit_price)
    if price < 0:
        raise ValidationError({"lines": _(PRICE_NEGATIVE)})
    return AcceptanceLine(line=line, accepted_quantity=quantity, unit_price=price.quantize(FEN))


def _accepted_lines(request: PurchaseRequest, lines: Sequence[AcceptedLine]) -> list[AcceptanceLine]:
    rows: dict[int, AcceptanceLine] = {}
    for accepted in lines:
        if accepted.line.pk in rows:
            raise ValidationError({"lines": _(LINE_TWICE) % {"line": accepted.line.name}})
        rows[accepted.line.pk] = _check_line(request, accepted)
    return list(rows.values())


def _store_item(actor: User, line: RequestLine) -> StockItem:
    """The store item a consumable line goes to: its linked item, the school's item of that name and
    specification, or a new one."""
    if line.stock_item is not None:
        return line.stock_item
    school = line.request.school
    item = StockItem.objects.filter(school=school, name=line.name, spec=line.spec).first()
    if item is None:
        item = item_create(actor=actor, school=school, name=line.name, unit=line.unit, spec=line.spec)
    line.stock_item = item
    line.save(update_fields=["stock_item"])
    return item


def _receive(actor: User, row: AcceptanceLine, supplier_name: str) -> None:
    request = row.line.request
    row.stock_movement = stock_receive(
        actor=actor,
        item=_store_item(actor, row.line),
        quantity=row.accepted_quantity,
        unit_price=row.unit_price,
        supplier_name=supplier_name,
        source=request.number,
    )


def _register(actor: User, row: AcceptanceLine, acceptance: Acceptance) -> None:
    line, request = row.line, row.line.request
    asset = asset_create(
        actor=actor,
        school=request.school,
        name=line.name,
        unit_price=row.unit_price,
        quantity=int(row.accepted_quantity),
        unit=line.unit,
        acquired_on=acceptance.received_on,
        funding_source=request.funding_source,
        category_code=line.category_code or None,
        department=request.department,
        acquisition_method="purchase",
        supplier_name=acceptance.supplier_name,
        source=request.number,
        spec=line.spec,
    )
    row.asset_refs = [{"id": asset.pk, "asset_no": asset.asset_no}]


def _take_in(actor: User, acceptance: Acceptance, rows: list[AcceptanceLine]) -> None:
    """Goods into the store, cards into the register; each row remembers what it became."""
    for row in rows:
        if row.accepted_quantity == 0:
            continue
        if row.line.kind == LineKind.ASSET:
            _register(actor, row, acceptance)
        else:
            _receive(actor, row, acceptance.supplier_name)
        row.save(update_fields=["stock_movement", "asset_refs"])


@transaction.atomic
def acceptance_record(
    *,
    actor: User,
    request: PurchaseRequest,
    inspectors: Sequence[Person],
    lines: Sequence[AcceptedLine],
    passed: bool,
    received_on: dt.date | None = None,
    note: str = "",
) -> Acceptance:
    """Record the inspection of a delivery. Passed: the goods are taken in and the request is accepted. Failed:
    the record stays (the goods go back) and the request waits for a new delivery."""
    require_perm(actor, "procurement.add_acceptance")
    request = lock(PurchaseRequest, request.pk)
    if request.status not in (RequestStatus.APPROVED, RequestStatus.ORDERED):
        raise ValidationError(_(NOT_ACCEPTABLE) % {"status": request.get_status_display()})
    if request.status == RequestStatus.APPROVED:
        check_ordering(request)
    people = _inspectors(request.school, inspectors)
    rows = _accepted_lines(request, lines)
    if passed and not any(row.accepted_quantity > 0 for row in rows):
        raise ValidationError({"lines": _(NOTHING_ACCEPTED)})
    chosen = request.quotes.filter(chosen=True).first()
    acceptance = Acceptance(
        school=request.school,
        request=request,
        slip_number=next_number(school=request.school, prefix="RK", year=timezone.localdate().year) if passed else "",
        received_on=received_on or timezone.localdate(),
        passed=passed,
        supplier_name=chosen.supplier_name if chosen else "",
        note=note.strip(),
        recorded_by=actor,
    )
    acceptance.full_clean()
    acceptance.save()
    acceptance.inspectors.set(people)
    for row in rows:
        row.acceptance = acceptance
        row.save()
    changes: dict[str, Any] = {
        "inspectors": [None, [person.name for person in people]],
        "lines": [None, [f"{row.line.name} × {plain(row.accepted_quantity)}" for row in rows]],
    }
    if passed:
        _take_in(actor, acceptance, rows)
        changes["status"] = [request.status, RequestStatus.ACCEPTED]
        request.status = RequestStatus.ACCEPTED
        request.accepted_at = timezone.now()
        request.save(update_fields=["status", "accepted_at", "updated_at"])
    audit.record(
        actor=actor,
        action="procurement.purchaserequest." + ("accepted" if passed else "acceptance_failed"),
        target=request,
        changes=changes,
        message=note.strip(),
    )
    return acceptance
