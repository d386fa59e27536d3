"""Purchase requests: drafting, the approval chain, quotes (询价, 货比三家) and ordering.

The rules: the procurement method follows the amount (B1); one price per supplier, a chosen quote that is not the
lowest needs a justification, and ordering needs enough quotes or a recorded reason (B3); nobody approves their own
request, and every decision is audited with its comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import lock, require_perm, require_same_school
from houqin.core.numbering import next_number
from houqin.procurement import selectors
from houqin.procurement.choices import QUOTABLE, ApprovalLevel, LineKind, ProcurementMethod, RequestStatus, StepStatus
from houqin.procurement.models import FEN, ApprovalStep, PurchaseRequest, Quote, RequestLine, Supplier
from houqin.procurement.rules import APPROVAL_PERMISSIONS, LEVEL_PERMISSIONS, Thresholds, approval_levels, is_lighter
from houqin.procurement.services.procedure import Procedure, clean_procedure, procedure_errors

if TYPE_CHECKING:
    import datetime as dt

    from houqin.accounts.models import User
    from houqin.orgs.models import Department, School
    from houqin.stock.models import StockItem

NOT_A_SCHOOL_USER = gettext_noop("Only school staff can make purchase requests.")
NO_LINES = gettext_noop("Add at least one line.")
LINE_NAME_REQUIRED = gettext_noop("Every line needs a name.")
QUANTITY_NOT_POSITIVE = gettext_noop("The quantity must be greater than zero.")
PRICE_NEGATIVE = gettext_noop("The unit price cannot be negative.")
WHOLE_ASSETS = gettext_noop("%(line)s: assets are counted in whole units.")
STOCK_ITEM_ONLY_FOR_CONSUMABLES = gettext_noop("Only a consumable line can be linked to a store item.")
METHOD_TOO_LIGHT = gettext_noop(
    "An estimated amount of %(amount)s yuan needs at least: %(required)s. A lighter method is allowed only above "
    "the open-tender threshold, with the finance bureau's approval document number."
)
TRANSITION_NOT_ALLOWED = gettext_noop("The request is %(current)s and cannot become %(target)s.")
ONLY_REQUESTER = gettext_noop("Only the person who drafted the request can submit it.")
CANNOT_DECIDE_OWN = gettext_noop("You cannot approve or reject your own purchase request.")
NOT_AN_APPROVER = gettext_noop("You do not approve purchase requests.")
NOT_YOUR_LEVEL = gettext_noop("This request is waiting for the approval of: %(level)s.")
COMMENT_REQUIRED = gettext_noop("Give a reason for the rejection.")
CANCEL_REASON_REQUIRED = gettext_noop("Give the reason for cancelling.")
NOT_QUOTABLE = gettext_noop("Quotes can be added only until the goods are ordered.")
SUPPLIER_NAME_REQUIRED = gettext_noop("Name the supplier.")
ONE_PRICE_PER_SUPPLIER = gettext_noop("%(supplier)s has already quoted; each supplier gives one price.")
AMOUNT_NOT_POSITIVE = gettext_noop("The amount must be greater than zero.")
NOT_LOWEST_NEEDS_JUSTIFICATION = gettext_noop(
    "%(supplier)s is not the lowest quote (%(lowest)s yuan from %(lowest_supplier)s): give the reason for choosing it."
)
FEWER_QUOTES = gettext_noop(
    "This purchase needs at least %(minimum)s quotes (货比三家); there are %(count)s. Add quotes or record the "
    "reason why fewer are enough."
)
CHOOSE_A_QUOTE = gettext_noop("Choose one of the quotes before ordering.")
REFERENCE_REQUIRED = gettext_noop("%(method)s needs its reference number (e-mall order or tender project number).")


#
# Purchase requests
#


@dataclass(frozen=True)
class LineData:
    """One line as typed in a form or sent to the API."""

    name: str
    quantity: Decimal
    unit: str
    estimated_unit_price: Decimal
    spec: str = ""
    kind: str = LineKind.CONSUMABLE
    stock_item: StockItem | None = None
    category_code: str = ""


def _lines(school: School, lines: Sequence[LineData]) -> list[RequestLine]:
    if not lines:
        raise ValidationError({"lines": _(NO_LINES)})
    built = []
    for position, data in enumerate(lines, start=1):
        if not data.name.strip():
            raise ValidationError({"lines": _(LINE_NAME_REQUIRED)})
        if Decimal(data.quantity) <= 0:
            raise ValidationError({"lines": _(QUANTITY_NOT_POSITIVE)})
        if Decimal(data.estimated_unit_price) < 0:
            raise ValidationError({"lines": _(PRICE_NEGATIVE)})
        if data.kind == LineKind.ASSET and Decimal(data.quantity) != Decimal(data.quantity).to_integral_value():
            raise ValidationError({"lines": _(WHOLE_ASSETS) % {"line": data.name.strip()}})
        if data.stock_item is not None:
            require_same_school(school, stock_item=data.stock_item)
            if data.kind != LineKind.CONSUMABLE:
                raise ValidationError({"lines": _(STOCK_ITEM_ONLY_FOR_CONSUMABLES)})
        built.append(
            RequestLine(
                position=position,
                name=data.name.strip(),
                spec=data.spec.strip(),
                quantity=Decimal(data.quantity),
                unit=data.unit.strip(),
                estimated_unit_price=Decimal(data.estimated_unit_price).quantize(FEN),
                kind=data.kind,
                stock_item=data.stock_item,
                category_code=data.category_code.strip(),
            )
        )
    return built


def _check_method(school: School, method: str, amount: Decimal, approval_document: str) -> None:
    """B1: the chosen method may be stricter than the amount needs, never lighter — except a non-open method above
    the open-tender threshold with the finance bureau's approval document."""
    required = Thresholds.for_school(school).required_method(amount)
    if not is_lighter(method, required):
        return
    if required == ProcurementMethod.TENDER and approval_document.strip():
        return
    raise ValidationError(
        {"method": _(METHOD_TOO_LIGHT) % {"amount": amount, "required": ProcurementMethod(required).label}}
    )


@transaction.atomic
def request_create(
    *,
    actor: User,
    title: str,
    lines: Sequence[LineData],
    funding_source: str,
    reason: str,
    department: Department | None = None,
    method: str | None = None,
    needed_by: dt.date | None = None,
    approval_document: str = "",
    procedure: Procedure | None = None,
) -> PurchaseRequest:
    """Draft a purchase request (any staff member). The method defaults to the one the amount requires; a
    government procurement may state its statutory procedure at once (B4–B6, B8)."""
    require_perm(actor, "procurement.add_purchaserequest")
    school = actor.school
    if school is None:
        raise PermissionDenied(_(NOT_A_SCHOOL_USER))
    require_same_school(school, department=department)
    built = _lines(school, lines)
    total = sum((line.amount for line in built), Decimal("0.00"))
    method = method or Thresholds.for_school(school).required_method(total)
    _check_method(school, method, total, approval_document)
    steps = clean_procedure(school, method, total, procedure or Procedure())
    today = timezone.localdate()
    request = PurchaseRequest(
        school=school,
        number=next_number(school=school, prefix="CG", year=today.year),
        title=title.strip(),
        department=department,
        requested_by=actor,
        reason=reason.strip(),
        funding_source=funding_source,
        needed_by=needed_by,
        fiscal_year=today.year,
        estimated_total=total,
        method=method,
        approval_document=approval_document.strip(),
        **steps,
    )
    request.full_clean()
    request.save()
    for line in built:
        line.request = request
    RequestLine.objects.bulk_create(built)
    audit.record(
        actor=actor,
        action="procurement.purchaserequest.created",
        target=request,
        changes={
            "lines": [None, [str(line) for line in built]],
            "estimated_total": [None, total],
            "method": [None, method],
            **{field: [None, value] for field, value in steps.items() if value},
        },
        message=reason,
    )
    return request


def _transition(request: PurchaseRequest, target: str) -> None:
    if not request.can_become(target):
        raise ValidationError(
            _(TRANSITION_NOT_ALLOWED) % {"current": request.get_status_display(), "target": RequestStatus(target).label}
        )


def _set_status(actor: User, request: PurchaseRequest, target: str, verb: str, message: str = "", **extra: Any):
    old = request.status
    request.status = target
    request.save()
    audit.record(
        actor=actor,
        action=f"procurement.purchaserequest.{verb}",
        target=request,
        changes={"status": [old, target], **extra},
        message=message,
    )


@transaction.atomic
def request_submit(*, actor: User, request: PurchaseRequest, comment: str = "") -> PurchaseRequest:
    """Send a draft for approval: the chain of steps is fixed from the amount, and the possible duplicates found
    (idle assets, stock in hand) are recorded with the submission."""
    request = lock(PurchaseRequest, request.pk)
    if request.requested_by_id != actor.pk:
        raise PermissionDenied(_(ONLY_REQUESTER))
    _transition(request, RequestStatus.SUBMITTED)
    _check_method(request.school, request.method, request.estimated_total, request.approval_document)
    levels = approval_levels(request.estimated_total)
    ApprovalStep.objects.bulk_create(
        [ApprovalStep(request=request, order=n, level=level) for n, level in enumerate(levels, start=1)]
    )
    request.current_level = levels[0]
    request.submitted_at = timezone.now()
    duplicates = selectors.duplicates_for_request(request)
    _set_status(
        actor,
        request,
        RequestStatus.SUBMITTED,
        "submitted",
        comment.strip(),
        approval=[None, [ApprovalLevel(level).label for level in levels]],
        duplicates=[None, [f"{d.line}: {d.name} ({d.detail})" for d in duplicates]],
    )
    return request


def _current_step(actor: User, request: PurchaseRequest) -> ApprovalStep:
    """The pending step `actor` is about to decide, after every check of who may decide it."""
    if not any(actor.has_perm(perm) for perm in APPROVAL_PERMISSIONS):
        raise PermissionDenied(_(NOT_AN_APPROVER))
    if request.status != RequestStatus.SUBMITTED:
        raise ValidationError(
            _(TRANSITION_NOT_ALLOWED)
            % {"current": request.get_status_display(), "target": RequestStatus.APPROVED.label}
        )
    if request.requested_by_id == actor.pk:
        raise ValidationError(_(CANNOT_DECIDE_OWN))
    step = request.steps.filter(status=StepStatus.PENDING).order_by("order").first()
    assert step is not None, "a submitted request always has a pending step"
    if not actor.has_perm(LEVEL_PERMISSIONS[step.level]):
        raise PermissionDenied(_(NOT_YOUR_LEVEL) % {"level": step.get_level_display()})
    return step


def _decide(actor: User, step: ApprovalStep, decision: str, comment: str) -> None:
    step.status = decision
    step.decided_by = actor
    step.decided_at = timezone.now()
    step.comment = comment.strip()
    step.save()


@transaction.atomic
def request_approve(*, actor: User, request: PurchaseRequest, comment: str = "") -> PurchaseRequest:
    """Approve the current step; the last step approves the request."""
    request = lock(PurchaseRequest, request.pk)
    step = _current_step(actor, request)
    _decide(actor, step, StepStatus.APPROVED, comment)
    following = request.steps.filter(status=StepStatus.PENDING).order_by("order").first()
    step_change = {"step": [step.get_level_display(), StepStatus.APPROVED.label]}
    if following is not None:
        request.current_level = following.level
        request.save(update_fields=["current_level", "updated_at"])
        audit.record(
            actor=actor,
            action="procurement.purchaserequest.step_approved",
            target=request,
            changes={**step_change, "current_level": [step.level, following.level]},
            message=comment.strip(),
        )
        return request
    request.current_level = ""
    request.decided_at = timezone.now()
    _set_status(actor, request, RequestStatus.APPROVED, "approved", comment.strip(), **step_change)
    return request


@transaction.atomic
def request_reject(*, actor: User, request: PurchaseRequest, comment: str) -> PurchaseRequest:
    """Refuse the request at the current step, saying why."""
    request = lock(PurchaseRequest, request.pk)
    step = _current_step(actor, request)
    if not comment.strip():
        raise ValidationError({"comment": _(COMMENT_REQUIRED)})
    _decide(actor, step, StepStatus.REJECTED, comment)
    request.current_level = ""
    request.decided_at = timezone.now()
    _set_status(
        actor,
        request,
        RequestStatus.REJECTED,
        "rejected",
        comment.strip(),
        step=[step.get_level_display(), StepStatus.REJECTED.label],
    )
    return request


@transaction.atomic
def request_cancel(*, actor: User, request: PurchaseRequest, reason: str = "") -> PurchaseRequest:
    """Withdraw a request: its requester before approval, or whoever places orders at any point before acceptance."""
    request = lock(PurchaseRequest, request.pk)
    own_and_early = request.requested_by_id == actor.pk and request.status in (
        RequestStatus.DRAFT,
        RequestStatus.SUBMITTED,
    )
    if not own_and_early:
        require_perm(actor, "procurement.order_purchaserequest")
    _transition(request, RequestStatus.CANCELLED)
    if request.status != RequestStatus.DRAFT and not reason.strip():
        raise ValidationError({"reason": _(CANCEL_REASON_REQUIRED)})
    request.cancel_reason = reason.strip()
    request.current_level = ""
    request.steps.filter(status=StepStatus.PENDING).delete()
    _set_status(actor, request, RequestStatus.CANCELLED, "cancelled", reason.strip())
    return request


#
# Quotes (询价, 货比三家)
#


def _same_supplier(a: str, b: str) -> bool:
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


@transaction.atomic
def quote_add(
    *,
    actor: User,
    request: PurchaseRequest,
    supplier_name: str,
    amount: Decimal,
    note: str = "",
    quoted_on: dt.date | None = None,
    supplier: Supplier | None = None,
) -> Quote:
    """Record one supplier's price for the whole request; a second price from the same supplier is refused (B3)."""
    require_perm(actor, "procurement.add_quote")
    request = lock(PurchaseRequest, request.pk)
    if request.status not in QUOTABLE:
        raise ValidationError(_(NOT_QUOTABLE))
    require_same_school(request.school, supplier=supplier)
    name = (supplier.name if supplier is not None else supplier_name).strip()
    if not name:
        raise ValidationError({"supplier_name": _(SUPPLIER_NAME_REQUIRED)})
    if any(_same_supplier(name, other) for other in request.quotes.values_list("supplier_name", flat=True)):
        raise ValidationError({"supplier_name": _(ONE_PRICE_PER_SUPPLIER) % {"supplier": name}})
    if Decimal(amount) <= 0:
        raise ValidationError({"amount": _(AMOUNT_NOT_POSITIVE)})
    supplier = supplier or Supplier.objects.filter(school=request.school, name=name).first()
    quote = Quote(
        school=request.school,
        request=request,
        supplier=supplier,
        supplier_name=name,
        amount=Decimal(amount).quantize(FEN),
        note=note.strip(),
        quoted_on=quoted_on or timezone.localdate(),
        recorded_by=actor,
    )
    quote.full_clean()
    quote.save()
    audit.record(
        actor=actor,
        action="procurement.quote.added",
        target=request,
        changes={"quotes": [None, f"{name} {quote.amount}"]},
        message=note.strip(),
    )
    return quote


@transaction.atomic
def quote_choose(*, actor: User, quote: Quote, justification: str = "") -> Quote:
    """Choose the supplier; choosing one that is not the lowest needs a justification on record (B3)."""
    require_perm(actor, "procurement.change_quote")
    request = lock(PurchaseRequest, quote.request_id)
    if request.status not in QUOTABLE:
        raise ValidationError(_(NOT_QUOTABLE))
    quote = Quote.objects.get(pk=quote.pk)
    lowest = request.quotes.order_by("amount", "id").first()
    assert lowest is not None
    is_lowest = quote.amount <= lowest.amount
    if not is_lowest and not justification.strip():
        raise ValidationError(
            {
                "justification": _(NOT_LOWEST_NEEDS_JUSTIFICATION)
                % {"supplier": quote.supplier_name, "lowest": lowest.amount, "lowest_supplier": lowest.supplier_name}
            }
        )
    previous = request.quotes.filter(chosen=True).first()
    request.quotes.filter(chosen=True).update(chosen=False)
    quote.chosen = True
    quote.save(update_fields=["chosen", "updated_at"])
    request.choice_justification = "" if is_lowest else justification.strip()
    request.save(update_fields=["choice_justification", "updated_at"])
    audit.record(
        actor=actor,
        action="procurement.quote.chosen",
        target=request,
        changes={"chosen": [previous.supplier_name if previous else None, quote.supplier_name]},
        message=request.choice_justification,
    )
    return quote


#
# Ordering
#


def ordering_errors(request: PurchaseRequest) -> dict[str, str]:
    """What still keeps an approved request from being ordered (B1, B3, and the procedure: B4–B6, B8), by field;
    empty when it may go ahead."""
    errors = {}
    thresholds = Thresholds.for_school(request.school)
    quotes = list(request.quotes.all())
    too_few = request.method == ProcurementMethod.QUOTES and len(quotes) < thresholds.quote_min_count
    if too_few and not request.quote_exemption_reason.strip():
        errors["quote_exemption_reason"] = _(FEWER_QUOTES) % {
            "minimum": thresholds.quote_min_count,
            "count": len(quotes),
        }
    if quotes and not any(q.chosen for q in quotes):
        errors["quotes"] = _(CHOOSE_A_QUOTE)
    needs_reference = request.method in (ProcurementMethod.GOVERNMENT, ProcurementMethod.TENDER)
    if needs_reference and not request.reference_number.strip():
        errors["reference_number"] = _(REFERENCE_REQUIRED) % {"method": request.get_method_display()}
    return {**procedure_errors(request), **errors}


def check_ordering(request: PurchaseRequest) -> None:
    _check_method(request.school, request.method, request.estimated_total, request.approval_document)
    errors = ordering_errors(request)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def request_order(
    *,
    actor: User,
    request: PurchaseRequest,
    reference_number: str = "",
    quote_exemption_reason: str = "",
) -> PurchaseRequest:
    """Place the order of an approved request, once its method's rules are met."""
    require_perm(actor, "procurement.order_purchaserequest")
    request = lock(PurchaseRequest, request.pk)
    _transition(request, RequestStatus.ORDERED)
    request.reference_number = reference_number.strip() or request.reference_number
    request.quote_exemption_reason = quote_exemption_reason.strip() or request.quote_exemption_reason
    check_ordering(request)
    request.ordered_by = actor
    request.ordered_at = timezone.now()
    reference = {"reference_number": [None, request.reference_number]} if request.reference_number else {}
    _set_status(actor, request, RequestStatus.ORDERED, "ordered", request.quote_exemption_reason, **reference)
    return request
