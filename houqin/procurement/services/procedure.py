"""The statutory procedure of a government procurement (B4–B6, B8): the method and the reason for a non-open one,
the RFQ or negotiation panel, single source, the tender period, the award, the contract and its supplements, and
deleting a file once its retention period is over.

Whoever places orders (the logistics office) records the procedure; the numbers are in rules.py with their sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import lock, require_perm
from houqin.procurement.choices import (
    PANEL_METHODS,
    QUOTABLE,
    TENDER_METHODS,
    ProcurementMethod,
    RequestStatus,
    SingleSourceReason,
    StatutoryMethod,
)
from houqin.procurement.models import FEN, RETENTION_MESSAGE, PurchaseRequest, SupplementaryContract
from houqin.procurement.rules import (
    ADD_ON_MAX_SHARE,
    SINGLE_SOURCE_PUBLICATION_WORKING_DAYS,
    SUPPLEMENT_MAX_SHARE,
    TENDER_MIN_DAYS,
    Thresholds,
    add_working_days,
    panel_is_valid,
    within_share,
)

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import School

ORDER_PERM = "procurement.order_purchaserequest"

NON_OPEN_REASON_REQUIRED = gettext_noop(
    "%(method)s is not open tender: record the reason for the non-open method in the procurement file (rule B8)."
)
TENDER_MEANS_OPEN = gettext_noop("An open-tender request follows the open-tender procedure.")
PANEL_ONLY_RFQ_NEGOTIATION = gettext_noop("Only a request for quotation or a competitive negotiation has a panel.")
PANEL_MEMBER_NAME = gettext_noop("Panel member %(position)s: give the name.")
PANEL_MEMBER_TWICE = gettext_noop("%(name)s is on the panel twice.")
PANEL_INVALID = gettext_noop(
    "The panel has %(members)s members, %(experts)s of them experts: a request-for-quotation or negotiation panel "
    "needs an odd number of members, at least 3, and at least two thirds experts (rule B4, 政府采购法 arts. 38, 40)."
)
PANEL_REQUIRED = gettext_noop("%(method)s needs its evaluation panel (rule B4).")
SINGLE_SOURCE_REASON_REQUIRED = gettext_noop(
    "Single source needs one of the three statutory reasons (rule B5, 政府采购法 art. 31)."
)
SINGLE_SOURCE_REASON_ONLY = gettext_noop("A single-source reason is recorded only for a single-source purchase.")
ORIGINAL_AMOUNT_REQUIRED = gettext_noop("An add-on purchase needs the amount of the original contract (rule B5).")
ADD_ON_TOO_LARGE = gettext_noop(
    "An add-on purchase of %(amount)s yuan is more than 10%% of the original contract (%(original)s yuan; at most "
    "%(limit)s yuan, rule B5)."
)
TENDER_DATES_REQUIRED = gettext_noop("%(method)s needs the date the tender documents were issued and the bid deadline.")
TENDER_TOO_SHORT = gettext_noop(
    "The tender period is %(days)s days (%(issued)s to %(deadline)s); it must be at least 20 calendar days (rule B6, "
    "政府采购法 art. 35)."
)
NOT_GOVERNMENT_PROCUREMENT = gettext_noop("Choose the government procurement method first.")
PROCEDURE_LOCKED = gettext_noop("The procedure can be changed only until the goods are ordered.")
AWARD_FUTURE = gettext_noop("The date cannot be in the future.")
NOT_APPROVED_YET = gettext_noop("Record the award and the contract once the request is approved.")
PUBLICATION_REQUIRED = gettext_noop(
    "Single source above the open-tender threshold: record the date the supplier was published, at least 5 working "
    "days before the award (rule B5, 实施条例 art. 38)."
)
PUBLICATION_TOO_LATE = gettext_noop(
    "The single-source publication of %(published)s is less than 5 working days before the award of %(awarded)s "
    "(the award can be on %(earliest)s at the earliest; rule B5)."
)
AWARD_REQUIRED = gettext_noop("Record the award notice date before the contract.")
SIGNED_BEFORE_AWARD = gettext_noop("The contract cannot be signed before the award.")
DATE_BEFORE_SIGNING = gettext_noop("The contract cannot be published or filed before it is signed.")
CONTRACT_REQUIRED = gettext_noop("Record the signed contract and its amount before a supplementary contract.")
SUPPLEMENTS_TOO_LARGE = gettext_noop(
    "Supplementary contracts would total %(total)s yuan, more than 10%% of the original contract (%(original)s yuan; "
    "at most %(limit)s yuan, rule B6, 政府采购法 art. 49)."
)
AMOUNT_NOT_POSITIVE = gettext_noop("The amount must be greater than zero.")


@dataclass(frozen=True)
class PanelMember:
    name: str
    expert: bool


@dataclass(frozen=True)
class Procedure:
    """The procedure fields of a request as typed in a form or sent to the API."""

    statutory_method: str = ""
    non_open_reason: str = ""
    panel: Sequence[PanelMember] = ()
    single_source_reason: str = ""
    original_contract_amount: Decimal | None = None
    tender_issued_on: dt.date | None = None
    bid_deadline: dt.date | None = None


def _panel(panel: Sequence[PanelMember]) -> list[dict[str, Any]]:
    members: list[dict[str, Any]] = []
    for position, member in enumerate(panel, start=1):
        name = member.name.strip()
        if not name:
            raise ValidationError({"panel": _(PANEL_MEMBER_NAME) % {"position": position}})
        if any(other["name"] == name for other in members):
            raise ValidationError({"panel": _(PANEL_MEMBER_TWICE) % {"name": name}})
        members.append({"name": name, "expert": bool(member.expert)})
    return members


def panel_error(panel: list[dict[str, Any]]) -> str:
    """B4: the message refusing `panel`, or "" when it is valid."""
    experts = sum(1 for member in panel if member.get("expert"))
    if panel_is_valid(len(panel), experts):
        return ""
    return _(PANEL_INVALID) % {"members": len(panel), "experts": experts}


def non_open(school: School, method: str, statutory_method: str, amount: Decimal) -> bool:
    """B8: a non-open method — a government procurement method other than open tender, or a lighter regime than
    open tender above the open-tender threshold (the finance bureau's approval case of B1)."""
    if statutory_method and statutory_method != StatutoryMethod.OPEN_TENDER:
        return True
    return method != ProcurementMethod.TENDER and amount >= Thresholds.for_school(school).open_tender


def _tender_error(issued: dt.date | None, deadline: dt.date | None) -> str:
    if issued is None or deadline is None:
        return ""
    days = (deadline - issued).days
    if days >= TENDER_MIN_DAYS:
        return ""
    return _(TENDER_TOO_SHORT) % {"days": days, "issued": issued, "deadline": deadline}


def clean_procedure(school: School, method: str, amount: Decimal, procedure: Procedure) -> dict[str, Any]:
    """The procedure fields to store, after every rule that can be checked when they are recorded (B4, B5, B6, B8);
    ValidationError naming the field otherwise."""
    mode = procedure.statutory_method or ""
    if method == ProcurementMethod.TENDER and mode not in ("", StatutoryMethod.OPEN_TENDER):
        raise ValidationError({"statutory_method": _(TENDER_MEANS_OPEN)})
    reason = procedure.non_open_reason.strip()
    if non_open(school, method, mode, amount) and not reason:
        label = StatutoryMethod(mode).label if mode else ProcurementMethod(method).label
        raise ValidationError({"non_open_reason": _(NON_OPEN_REASON_REQUIRED) % {"method": label}})
    panel = _panel(procedure.panel)
    if panel and mode not in PANEL_METHODS:
        raise ValidationError({"panel": _(PANEL_ONLY_RFQ_NEGOTIATION)})
    if panel and (error := panel_error(panel)):
        raise ValidationError({"panel": error})
    single = procedure.single_source_reason or ""
    original = procedure.original_contract_amount
    if mode == StatutoryMethod.SINGLE_SOURCE and not single:
        raise ValidationError({"single_source_reason": _(SINGLE_SOURCE_REASON_REQUIRED)})
    if single and mode != StatutoryMethod.SINGLE_SOURCE:
        raise ValidationError({"single_source_reason": _(SINGLE_SOURCE_REASON_ONLY)})
    if single == SingleSourceReason.ADD_ON:
        if original is None or original <= 0:
            raise ValidationError({"original_contract_amount": _(ORIGINAL_AMOUNT_REQUIRED)})
        if not within_share(amount, original, ADD_ON_MAX_SHARE):
            limit = (original * ADD_ON_MAX_SHARE).quantize(FEN)
            raise ValidationError(
                {"estimated_total": _(ADD_ON_TOO_LARGE) % {"amount": amount, "original": original, "limit": limit}}
            )
    else:
        original = None
    issued, deadline = (procedure.tender_issued_on, procedure.bid_deadline) if mode in TENDER_METHODS else (None, None)
    if error := _tender_error(issued, deadline):
        raise ValidationError({"bid_deadline": error})
    return {
        "statutory_method": mode,
        "non_open_reason": reason,
        "panel": panel,
        "single_source_reason": single,
        "original_contract_amount": original.quantize(FEN) if original is not None else None,
        "tender_issued_on": issued,
        "bid_deadline": deadline,
    }


def procedure_errors(request: PurchaseRequest) -> dict[str, str]:
    """What of the procedure still keeps a request from being ordered (B4–B6, B8), by field."""
    errors: dict[str, str] = {}
    mode = request.statutory_method
    if non_open(request.school, request.method, mode, request.estimated_total) and not request.non_open_reason:
        label = StatutoryMethod(mode).label if mode else ProcurementMethod(request.method).label
        errors["non_open_reason"] = _(NON_OPEN_REASON_REQUIRED) % {"method": label}
    if mode in PANEL_METHODS:
        if not request.panel:
            errors["panel"] = _(PANEL_REQUIRED) % {"method": StatutoryMethod(mode).label}
        elif error := panel_error(request.panel):
            errors["panel"] = error
    if mode == StatutoryMethod.SINGLE_SOURCE and not request.single_source_reason:
        errors["single_source_reason"] = _(SINGLE_SOURCE_REASON_REQUIRED)
    if mode == StatutoryMethod.SINGLE_SOURCE and _needs_publication(request):
        error = _publication_error(request.publication_date, request.awarded_on)
        if error:
            errors["publication_date"] = error
    if mode in TENDER_METHODS:
        if request.tender_issued_on is None or request.bid_deadline is None:
            errors["bid_deadline"] = _(TENDER_DATES_REQUIRED) % {"method": StatutoryMethod(mode).label}
        elif error := _tender_error(request.tender_issued_on, request.bid_deadline):
            errors["bid_deadline"] = error
    return errors


def _needs_publication(request: PurchaseRequest) -> bool:
    return request.estimated_total >= Thresholds.for_school(request.school).open_tender


def _publication_error(published: dt.date | None, awarded: dt.date | None) -> str:
    """B5: the publication at least 5 working days before the award (Monday–Friday, see add_working_days)."""
    if published is None:
        return _(PUBLICATION_REQUIRED)
    if awarded is None:
        return ""
    earliest = add_working_days(published, SINGLE_SOURCE_PUBLICATION_WORKING_DAYS)
    if awarded >= earliest:
        return ""
    return _(PUBLICATION_TOO_LATE) % {"published": published, "awarded": awarded, "earliest": earliest}


def _audit(actor: User, request: PurchaseRequest, verb: str, before: dict[str, Any], message: str = "") -> None:
    changes = {field: [old, getattr(request, field)] for field, old in before.items() if old != getattr(request, field)}
    audit.record(
        actor=actor,
        action=f"procurement.purchaserequest.{verb}",
        target=request,
        changes=changes,
        message=message,
    )


@transaction.atomic
def procedure_update(*, actor: User, request: PurchaseRequest, procedure: Procedure) -> PurchaseRequest:
    """Record or change the statutory procedure of a request until it is ordered (B4, B5, B6, B8)."""
    require_perm(actor, ORDER_PERM)
    request = lock(PurchaseRequest, request.pk)
    if request.status not in QUOTABLE:
        raise ValidationError(_(PROCEDURE_LOCKED))
    fields = clean_procedure(request.school, request.method, request.estimated_total, procedure)
    before = {field: getattr(request, field) for field in fields}
    for field, value in fields.items():
        setattr(request, field, value)
    request.full_clean()
    request.save()
    _audit(actor, request, "procedure_changed", before)
    return request


def _not_future(field: str, day: dt.date | None) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _(AWARD_FUTURE)})


@transaction.atomic
def award_record(
    *, actor: User, request: PurchaseRequest, awarded_on: dt.date, publication_date: dt.date | None = None
) -> PurchaseRequest:
    """Record the award notice; single source above the open-tender threshold needs its publication at least 5
    working days before (B5)."""
    require_perm(actor, ORDER_PERM)
    request = lock(PurchaseRequest, request.pk)
    if request.status not in (RequestStatus.APPROVED, RequestStatus.ORDERED, RequestStatus.ACCEPTED):
        raise ValidationError(_(NOT_APPROVED_YET))
    if not request.statutory_method:
        raise ValidationError({"statutory_method": _(NOT_GOVERNMENT_PROCUREMENT)})
    _not_future("awarded_on", awarded_on)
    _not_future("publication_date", publication_date)
    publication_date = publication_date or request.publication_date
    single_source = request.statutory_method == StatutoryMethod.SINGLE_SOURCE
    if single_source and _needs_publication(request) and (error := _publication_error(publication_date, awarded_on)):
        raise ValidationError({"publication_date": error})
    before = {"awarded_on": request.awarded_on, "publication_date": request.publication_date}
    request.awarded_on = awarded_on
    request.publication_date = publication_date
    request.save(update_fields=["awarded_on", "publication_date", "updated_at"])
    _audit(actor, request, "awarded", before)
    return request


@transaction.atomic
def contract_record(
    *,
    actor: User,
    request: PurchaseRequest,
    signed_on: dt.date,
    amount: Decimal,
    published_on: dt.date | None = None,
    filed_on: dt.date | None = None,
) -> PurchaseRequest:
    """Record the signed contract, and when it was published and filed. Lateness is not refused (the contract
    exists); it is flagged (B6: signed within 30 days of the award, published within 2 and filed within 7 working
    days of signing)."""
    require_perm(actor, ORDER_PERM)
    request = lock(PurchaseRequest, request.pk)
    if request.awarded_on is None:
        raise ValidationError({"awarded_on": _(AWARD_REQUIRED)})
    if Decimal(amount) <= 0:
        raise ValidationError({"contract_amount": _(AMOUNT_NOT_POSITIVE)})
    for field, day in (("contract_signed_on", signed_on), ("contract_published_on", published_on)):
        _not_future(field, day)
    _not_future("contract_filed_on", filed_on)
    if signed_on < request.awarded_on:
        raise ValidationError({"contract_signed_on": _(SIGNED_BEFORE_AWARD)})
    for field, day in (("contract_published_on", published_on), ("contract_filed_on", filed_on)):
        if day is not None and day < signed_on:
            raise ValidationError({field: _(DATE_BEFORE_SIGNING)})
    fields = ["contract_signed_on", "contract_amount", "contract_published_on", "contract_filed_on"]
    before = {field: getattr(request, field) for field in fields}
    request.contract_signed_on = signed_on
    request.contract_amount = Decimal(amount).quantize(FEN)
    request.contract_published_on = published_on or request.contract_published_on
    request.contract_filed_on = filed_on or request.contract_filed_on
    request.save(update_fields=[*fields, "updated_at"])
    _audit(actor, request, "contract_recorded", before)
    return request


@transaction.atomic
def supplement_add(
    *, actor: User, request: PurchaseRequest, amount: Decimal, signed_on: dt.date, note: str = ""
) -> SupplementaryContract:
    """Add a supplementary contract; all of them together stay within 10% of the original contract (B6)."""
    require_perm(actor, ORDER_PERM)
    request = lock(PurchaseRequest, request.pk)
    original = request.contract_amount
    if original is None or request.contract_signed_on is None:
        raise ValidationError(_(CONTRACT_REQUIRED))
    if Decimal(amount) <= 0:
        raise ValidationError({"amount": _(AMOUNT_NOT_POSITIVE)})
    _not_future("signed_on", signed_on)
    if signed_on < request.contract_signed_on:
        raise ValidationError({"signed_on": _(SIGNED_BEFORE_AWARD)})
    amount = Decimal(amount).quantize(FEN)
    so_far = request.supplements.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    total = so_far + amount
    if not within_share(total, original, SUPPLEMENT_MAX_SHARE):
        limit = (original * SUPPLEMENT_MAX_SHARE).quantize(FEN)
        raise ValidationError(
            {"amount": _(SUPPLEMENTS_TOO_LARGE) % {"total": total, "original": original, "limit": limit}}
        )
    supplement = SupplementaryContract(
        school=request.school,
        request=request,
        amount=amount,
        signed_on=signed_on,
        note=note.strip(),
        recorded_by=actor,
    )
    supplement.full_clean()
    supplement.save()
    audit.record(
        actor=actor,
        action="procurement.purchaserequest.supplement_added",
        target=request,
        changes={"supplements": [str(so_far), str(total)]},
        message=note.strip(),
    )
    return supplement


@transaction.atomic
def request_delete(*, actor: User, request: PurchaseRequest) -> None:
    """Delete a procurement file, only once 15 years have passed since it completed (B8)."""
    require_perm(actor, "procurement.delete_purchaserequest")
    request = lock(PurchaseRequest, request.pk)
    if not request.retention_over:
        raise ValidationError(RETENTION_MESSAGE)
    audit.record(
        actor=actor,
        action="procurement.purchaserequest.deleted",
        target=request,
        changes={"number": [request.number, None]},
    )
    request.supplements.all().delete()
    request.delete()
