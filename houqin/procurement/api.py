"""/api/procurement: purchase requests (approval, quotes, ordering, acceptance), suppliers, donations, spending."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Query, Router, Schema, Status
from pydantic import PlainSerializer

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.api import ERRORS, Id, Input, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.core.audit import history_for
from houqin.core.mixins import AuthenticatedHttpRequest
from houqin.orgs.models import Department, Person
from houqin.procurement import selectors, services
from houqin.procurement.choices import (
    DonationKind,
    DonorKind,
    FundingSource,
    LineKind,
    ProcurementMethod,
    RequestStatus,
    SingleSourceReason,
    StatutoryMethod,
    ValueBasis,
)
from houqin.procurement.models import Acceptance, Donation, PurchaseRequest, Quote, Supplier
from houqin.procurement.rules import Thresholds
from houqin.procurement.services.acceptance import LINE_NOT_IN_REQUEST
from houqin.stock.models import StockItem

router = Router(tags=["procurement"])

# Money goes out as a string with two decimals ("1000.00"), as the contract says.
Money = Annotated[Decimal, PlainSerializer(lambda value: f"{value:.2f}", return_type=str)]
MoneyIn = Field(..., ge=0, max_digits=14, decimal_places=2)
Quantity = Field(..., gt=0, max_digits=12, decimal_places=2)


def _optional(request: AuthenticatedHttpRequest, model: Any, pk: int | None) -> Any:
    return in_scope(model.objects, request, pk) if pk else None


#
# Purchase requests
#


class PurchaseLineIn(Input):
    name: str = Field(..., min_length=1, max_length=100)
    spec: str = Field("", max_length=100)
    quantity: Decimal = Quantity
    unit: str = Field(..., min_length=1, max_length=10)
    estimated_unit_price: Decimal = MoneyIn
    kind: LineKind = LineKind.CONSUMABLE
    stock_item_id: OptionalId = None
    category_code: str = Field("", max_length=20)


class PurchasePanelMemberIn(Input):
    name: str = Field(..., min_length=1, max_length=50)
    expert: bool = False


class PurchaseProcedureIn(Input):
    """The statutory procedure of a government procurement (B4–B6, B8)."""

    statutory_method: StatutoryMethod | None = Field(None, description="采购方式; empty for a school's own purchase")
    non_open_reason: str = Field("", max_length=500, description="required for any non-open method (B8)")
    panel: list[PurchasePanelMemberIn] = Field([], max_length=25, description="RFQ and negotiation (B4)")
    single_source_reason: SingleSourceReason | None = None
    original_contract_amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    tender_issued_on: dt.date | None = None
    bid_deadline: dt.date | None = None

    def procedure(self) -> services.Procedure:
        return services.Procedure(
            statutory_method=self.statutory_method or "",
            non_open_reason=self.non_open_reason,
            panel=[services.PanelMember(name=m.name, expert=m.expert) for m in self.panel],
            single_source_reason=self.single_source_reason or "",
            original_contract_amount=self.original_contract_amount,
            tender_issued_on=self.tender_issued_on,
            bid_deadline=self.bid_deadline,
        )


class RequestIn(PurchaseProcedureIn):
    title: str = Field(..., min_length=1, max_length=100)
    lines: list[PurchaseLineIn] = Field(..., min_length=1, max_length=200)
    funding_source: FundingSource
    reason: str = Field(..., min_length=1, max_length=2000)
    department_id: OptionalId = None
    method: ProcurementMethod | None = Field(None, description="defaults to the method the amount requires")
    needed_by: dt.date | None = None
    approval_document: str = Field("", max_length=100)


class PurchaseLineOut(Schema):
    id: int
    name: str
    spec: str
    quantity: Decimal
    unit: str
    estimated_unit_price: Money
    amount: Money
    kind: str
    stock_item_id: int | None
    category_code: str


class QuoteOut(Schema):
    id: int
    request_id: int
    supplier_id: int | None
    supplier_name: str
    amount: Money
    quoted_on: dt.date
    chosen: bool
    lowest: bool = False
    note: str


class StepOut(Schema):
    order: int
    level: str
    status: str
    decided_by_name: str | None = None
    decided_at: dt.datetime | None
    comment: str

    @staticmethod
    def resolve_decided_by_name(obj: Any) -> str | None:
        return obj.decided_by.display_name if obj.decided_by_id else None


class DuplicateOut(Schema):
    line: str
    kind: str = Field(..., description="stock or asset")
    id: int
    name: str
    detail: str


class SplitWarningOut(Schema):
    name: str
    total: Money
    required: str
    numbers: list[str]


class HistoryOut(Schema):
    occurred_at: dt.datetime
    actor_name: str
    action: str
    changes: dict
    message: str


class RequestSummaryOut(Schema):
    id: int
    school_id: int
    number: str
    title: str
    status: str
    department_id: int | None
    requested_by_id: int
    funding_source: str
    fiscal_year: int
    estimated_total: Money
    method: str
    current_level: str
    created_at: dt.datetime


class PurchasePanelMemberOut(Schema):
    name: str
    expert: bool


class PurchaseSupplementOut(Schema):
    id: int
    amount: Money
    signed_on: dt.date
    note: str


class PurchaseDeadlinesOut(Schema):
    """B6: days since the award and the flags of the contract deadlines."""

    days_since_award: int | None
    contract_warning: bool
    contract_overdue: bool
    publication_overdue: bool
    filing_overdue: bool


class RequestOut(RequestSummaryOut):
    reason: str
    requested_by_name: str = Field(..., alias="requested_by.display_name")
    needed_by: dt.date | None
    required_method: str = ""
    approval_document: str
    reference_number: str
    quote_exemption_reason: str
    choice_justification: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    ordered_at: dt.datetime | None
    accepted_at: dt.datetime | None
    cancel_reason: str
    lines: list[PurchaseLineOut]
    quotes: list[QuoteOut]
    steps: list[StepOut]
    duplicates: list[DuplicateOut] = []
    split_warnings: list[SplitWarningOut] = []
    ordering_errors: dict[str, str] = {}
    history: list[HistoryOut] = []
    statutory_method: str
    non_open_reason: str
    panel: list[PurchasePanelMemberOut]
    single_source_reason: str
    original_contract_amount: Money | None
    publication_date: dt.date | None
    tender_issued_on: dt.date | None
    bid_deadline: dt.date | None
    awarded_on: dt.date | None
    contract_amount: Money | None
    contract_signed_on: dt.date | None
    contract_published_on: dt.date | None
    contract_filed_on: dt.date | None
    supplements: list[PurchaseSupplementOut] = []
    deadlines: PurchaseDeadlinesOut | None = None
    retained_until: dt.date | None

    @staticmethod
    def resolve_supplements(obj: PurchaseRequest) -> list[Any]:
        return list(obj.supplements.all())

    @staticmethod
    def resolve_deadlines(obj: PurchaseRequest) -> Any:
        return selectors.deadlines_of(obj) if obj.awarded_on else None

    @staticmethod
    def resolve_required_method(obj: PurchaseRequest) -> str:
        return Thresholds.for_school(obj.school).required_method(obj.estimated_total)

    @staticmethod
    def resolve_lines(obj: PurchaseRequest) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_quotes(obj: PurchaseRequest) -> list[dict[str, Any]]:
        quotes = list(obj.quotes.all())
        lowest = min((q.amount for q in quotes), default=None)
        return [{**QuoteOut.from_orm(q).dict(), "lowest": q.amount == lowest} for q in quotes]

    @staticmethod
    def resolve_steps(obj: PurchaseRequest) -> list[Any]:
        return list(obj.steps.select_related("decided_by"))

    @staticmethod
    def resolve_duplicates(obj: PurchaseRequest) -> list[Any]:
        return selectors.duplicates_for_request(obj)

    @staticmethod
    def resolve_split_warnings(obj: PurchaseRequest) -> list[Any]:
        return selectors.split_warnings(obj)

    @staticmethod
    def resolve_ordering_errors(obj: PurchaseRequest) -> dict[str, str]:
        return services.ordering_errors(obj) if obj.status == RequestStatus.APPROVED else {}

    @staticmethod
    def resolve_history(obj: PurchaseRequest) -> list[Any]:
        return list(history_for(obj)[:200])


def _request(request: AuthenticatedHttpRequest, request_id: int) -> PurchaseRequest:
    return in_scope(PurchaseRequest.objects.select_related("school", "requested_by"), request, request_id)


class RequestFilter(Input):
    status: RequestStatus | None = None
    mine: bool = False
    waiting: bool = Field(False, description="only the requests waiting for this user's approval")
    q: str | None = Field(None, max_length=100)
    fiscal_year: int | None = Field(None, ge=2000, le=2100)


@router.get(
    "/requests", auth=needs("procurement.view_purchaserequest"), response={200: list[RequestSummaryOut], **ERRORS}
)
@paginate
def request_list(request: AuthenticatedHttpRequest, filters: Query[RequestFilter]):
    return selectors.request_list(user=request.user, **filters.dict())


@router.post("/requests", auth=needs("procurement.add_purchaserequest"), response={201: RequestOut, **ERRORS})
def request_create(request: AuthenticatedHttpRequest, payload: RequestIn):
    """Draft a request; `duplicates` lists idle assets and stock in hand of the same kind (避免重复采购)."""
    lines = [
        services.LineData(
            name=line.name,
            spec=line.spec,
            quantity=line.quantity,
            unit=line.unit,
            estimated_unit_price=line.estimated_unit_price,
            kind=line.kind,
            stock_item=_optional(request, StockItem, line.stock_item_id),
            category_code=line.category_code,
        )
        for line in payload.lines
    ]
    created = services.request_create(
        actor=request.user,
        title=payload.title,
        lines=lines,
        funding_source=payload.funding_source,
        reason=payload.reason,
        department=_optional(request, Department, payload.department_id),
        method=payload.method,
        needed_by=payload.needed_by,
        approval_document=payload.approval_document,
        procedure=payload.procedure(),
    )
    return Status(201, _request(request, created.pk))


@router.get(
    "/requests/{request_id}", auth=needs("procurement.view_purchaserequest"), response={200: RequestOut, **ERRORS}
)
def request_get(request: AuthenticatedHttpRequest, request_id: Id):
    return _request(request, request_id)


class PurchaseCommentIn(Input):
    comment: str = Field("", max_length=200)


@router.post(
    "/requests/{request_id}/submit",
    auth=needs("procurement.add_purchaserequest"),
    response={200: RequestOut, **ERRORS},
)
def request_submit(request: AuthenticatedHttpRequest, request_id: Id, payload: PurchaseCommentIn | None = None):
    """Send the draft for approval (its requester only); the duplicates found are recorded with it."""
    services.request_submit(
        actor=request.user, request=_request(request, request_id), comment=payload.comment if payload else ""
    )
    return _request(request, request_id)


@router.post(
    "/requests/{request_id}/approve",
    auth=needs("procurement.view_purchaserequest"),
    response={200: RequestOut, **ERRORS},
)
def request_approve(request: AuthenticatedHttpRequest, request_id: Id, payload: PurchaseCommentIn | None = None):
    """Approve the current step of the chain (a holder of that step's permission, never the requester)."""
    services.request_approve(
        actor=request.user, request=_request(request, request_id), comment=payload.comment if payload else ""
    )
    return _request(request, request_id)


@router.post(
    "/requests/{request_id}/reject",
    auth=needs("procurement.view_purchaserequest"),
    response={200: RequestOut, **ERRORS},
)
def request_reject(request: AuthenticatedHttpRequest, request_id: Id, payload: PurchaseCommentIn):
    services.request_reject(actor=request.user, request=_request(request, request_id), comment=payload.comment)
    return _request(request, request_id)


class CancelIn(Input):
    reason: str = Field("", max_length=200)


@router.post(
    "/requests/{request_id}/cancel",
    auth=needs("procurement.view_purchaserequest"),
    response={200: RequestOut, **ERRORS},
)
def request_cancel(request: AuthenticatedHttpRequest, request_id: Id, payload: CancelIn | None = None):
    """Withdraw a request (its requester before approval, or a buyer until acceptance)."""
    services.request_cancel(
        actor=request.user, request=_request(request, request_id), reason=payload.reason if payload else ""
    )
    return _request(request, request_id)


class QuoteIn(Input):
    supplier_name: str = Field("", max_length=100)
    supplier_id: OptionalId = None
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    quoted_on: dt.date | None = None
    note: str = Field("", max_length=200)


@router.post("/requests/{request_id}/quotes", auth=needs("procurement.add_quote"), response={201: QuoteOut, **ERRORS})
def quote_add(request: AuthenticatedHttpRequest, request_id: Id, payload: QuoteIn):
    """One supplier's price for the whole request; a second price from the same supplier is refused."""
    quote = services.quote_add(
        actor=request.user,
        request=_request(request, request_id),
        supplier_name=payload.supplier_name,
        supplier=_optional(request, Supplier, payload.supplier_id),
        amount=payload.amount,
        quoted_on=payload.quoted_on,
        note=payload.note,
    )
    return Status(201, quote)


class ChooseIn(Input):
    justification: str = Field("", max_length=200)


@router.post("/quotes/{quote_id}/choose", auth=needs("procurement.change_quote"), response={200: QuoteOut, **ERRORS})
def quote_choose(request: AuthenticatedHttpRequest, quote_id: Id, payload: ChooseIn | None = None):
    """Choose the supplier; a quote that is not the lowest needs a justification."""
    return services.quote_choose(
        actor=request.user,
        quote=in_scope(Quote.objects.all(), request, quote_id),
        justification=payload.justification if payload else "",
    )


class OrderIn(Input):
    reference_number: str = Field("", max_length=100)
    quote_exemption_reason: str = Field("", max_length=200)


@router.post(
    "/requests/{request_id}/order",
    auth=needs("procurement.order_purchaserequest"),
    response={200: RequestOut, **ERRORS},
)
def request_order(request: AuthenticatedHttpRequest, request_id: Id, payload: OrderIn | None = None):
    """Place the order once the method's rules are met (quotes or a reason; a reference number)."""
    payload = payload or OrderIn(reference_number="", quote_exemption_reason="")
    services.request_order(
        actor=request.user,
        request=_request(request, request_id),
        reference_number=payload.reference_number,
        quote_exemption_reason=payload.quote_exemption_reason,
    )
    return _request(request, request_id)


@router.post(
    "/requests/{request_id}/procedure",
    auth=needs("procurement.order_purchaserequest"),
    response={200: RequestOut, **ERRORS},
)
def request_procedure(request: AuthenticatedHttpRequest, request_id: Id, payload: PurchaseProcedureIn):
    """Record the statutory procedure until the goods are ordered: the reason for a non-open method (B8), the RFQ or
    negotiation panel (B4), single source (B5), the tender period (B6). The whole procedure is replaced."""
    services.procedure_update(actor=request.user, request=_request(request, request_id), procedure=payload.procedure())
    return _request(request, request_id)


class PurchaseAwardIn(Input):
    awarded_on: dt.date
    publication_date: dt.date | None = Field(None, description="single source above the open-tender threshold (B5)")


@router.post(
    "/requests/{request_id}/award",
    auth=needs("procurement.order_purchaserequest"),
    response={200: RequestOut, **ERRORS},
)
def request_award(request: AuthenticatedHttpRequest, request_id: Id, payload: PurchaseAwardIn):
    """Record the award notice (B5: a single-source publication at least 5 working days before)."""
    services.award_record(
        actor=request.user,
        request=_request(request, request_id),
        awarded_on=payload.awarded_on,
        publication_date=payload.publication_date,
    )
    return _request(request, request_id)


class PurchaseContractIn(Input):
    signed_on: dt.date
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    published_on: dt.date | None = None
    filed_on: dt.date | None = None


@router.post(
    "/requests/{request_id}/contract",
    auth=needs("procurement.order_purchaserequest"),
    response={200: RequestOut, **ERRORS},
)
def request_contract(request: AuthenticatedHttpRequest, request_id: Id, payload: PurchaseContractIn):
    """Record the signed contract and when it was published and filed; late dates are flagged in `deadlines` (B6)."""
    services.contract_record(
        actor=request.user,
        request=_request(request, request_id),
        signed_on=payload.signed_on,
        amount=payload.amount,
        published_on=payload.published_on,
        filed_on=payload.filed_on,
    )
    return _request(request, request_id)


class PurchaseSupplementIn(Input):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    signed_on: dt.date
    note: str = Field("", max_length=200)


@router.post(
    "/requests/{request_id}/supplements",
    auth=needs("procurement.order_purchaserequest"),
    response={201: RequestOut, **ERRORS},
)
def request_supplement(request: AuthenticatedHttpRequest, request_id: Id, payload: PurchaseSupplementIn):
    """Add a supplementary contract; all of them together stay within 10% of the original contract (B6)."""
    services.supplement_add(
        actor=request.user,
        request=_request(request, request_id),
        amount=payload.amount,
        signed_on=payload.signed_on,
        note=payload.note,
    )
    return Status(201, _request(request, request_id))


@router.delete(
    "/requests/{request_id}", auth=needs("procurement.delete_purchaserequest"), response={204: None, **ERRORS}
)
def request_delete(request: AuthenticatedHttpRequest, request_id: Id):
    """Delete a procurement file, only 15 years after it completed (B8)."""
    services.request_delete(actor=request.user, request=_request(request, request_id))
    return Status(204, None)


#
# Acceptance
#


class AcceptedLineIn(Input):
    line_id: Id
    accepted_quantity: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    unit_price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class AcceptanceIn(Input):
    inspectors: list[Id] = Field(..., max_length=20, description="person ids, at least two")
    lines: list[AcceptedLineIn] = Field(..., min_length=1, max_length=200)
    passed: bool
    received_on: dt.date | None = None
    note: str = Field("", max_length=200)


class AcceptanceLineOut(Schema):
    line_id: int
    name: str = Field(..., alias="line.name")
    accepted_quantity: Decimal
    unit_price: Money
    amount: Money
    stock_movement_id: int | None
    asset_refs: list[dict]


class AcceptanceOut(Schema):
    id: int
    school_id: int
    request_id: int
    request_status: str = Field(..., alias="request.status")
    slip_number: str
    received_on: dt.date
    passed: bool
    supplier_name: str
    note: str
    inspectors: list[int]
    lines: list[AcceptanceLineOut]
    total: Money

    @staticmethod
    def resolve_inspectors(obj: Acceptance) -> list[int]:
        return [person.pk for person in obj.inspectors.all()]

    @staticmethod
    def resolve_lines(obj: Acceptance) -> list[Any]:
        return list(obj.lines.select_related("line"))


def _accepted_lines(purchase: PurchaseRequest, lines: list[AcceptedLineIn]) -> list[services.AcceptedLine]:
    own = purchase.lines.in_bulk([line.line_id for line in lines])
    if any(line.line_id not in own for line in lines):
        raise ValidationError({"lines": _(LINE_NOT_IN_REQUEST)})
    return [services.AcceptedLine(own[line.line_id], line.accepted_quantity, line.unit_price) for line in lines]


@router.post(
    "/requests/{request_id}/acceptance",
    auth=needs("procurement.add_acceptance"),
    response={201: AcceptanceOut, **ERRORS},
)
def acceptance_record(request: AuthenticatedHttpRequest, request_id: Id, payload: AcceptanceIn):
    """Record the inspection (≥ 2 inspectors); passed → stock receipts and asset cards in one transaction."""
    purchase = _request(request, request_id)
    acceptance = services.acceptance_record(
        actor=request.user,
        request=purchase,
        inspectors=[in_scope(Person.objects.all(), request, pk) for pk in payload.inspectors],
        lines=_accepted_lines(purchase, payload.lines),
        passed=payload.passed,
        received_on=payload.received_on,
        note=payload.note,
    )
    return Status(201, _acceptance(request, acceptance.pk))


def _acceptance(request: AuthenticatedHttpRequest, acceptance_id: int) -> Acceptance:
    return in_scope(Acceptance.objects.select_related("request"), request, acceptance_id)


@router.get(
    "/acceptances/{acceptance_id}", auth=needs("procurement.view_acceptance"), response={200: AcceptanceOut, **ERRORS}
)
def acceptance_get(request: AuthenticatedHttpRequest, acceptance_id: Id):
    return _acceptance(request, acceptance_id)


#
# Suppliers
#


class SupplierIn(Input):
    school_id: OptionalId = None
    name: str = Field(..., min_length=1, max_length=100)
    contact_name: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    licence_number: str = Field("", max_length=50)
    licence_expires_on: dt.date | None = None
    address: str = Field("", max_length=200)
    notes: str = Field("", max_length=2000)


class SupplierOut(Schema):
    id: int
    school_id: int
    name: str
    contact_name: str
    phone: str
    licence_number: str
    licence_expires_on: dt.date | None
    licence_expired: bool
    address: str
    is_active: bool


class SupplierFilter(Input):
    q: str | None = Field(None, max_length=100)


@router.get("/suppliers", auth=needs("procurement.view_supplier"), response={200: list[SupplierOut], **ERRORS})
@paginate
def supplier_list(request: AuthenticatedHttpRequest, filters: Query[SupplierFilter]):
    return selectors.supplier_list(user=request.user, q=filters.q)


@router.post("/suppliers", auth=needs("procurement.add_supplier"), response={201: SupplierOut, **ERRORS})
def supplier_create(request: AuthenticatedHttpRequest, payload: SupplierIn):
    values = payload.dict(exclude={"school_id"})
    supplier = services.supplier_create(
        actor=request.user, school=school_for_write(request, payload.school_id), **values
    )
    return Status(201, supplier)


@router.get("/suppliers/{supplier_id}", auth=needs("procurement.view_supplier"), response={200: SupplierOut, **ERRORS})
def supplier_get(request: AuthenticatedHttpRequest, supplier_id: Id):
    return in_scope(Supplier.objects.all(), request, supplier_id)


#
# Donations
#


class DonationIn(Input):
    school_id: OptionalId = None
    donor_name: str = Field(..., min_length=1, max_length=100)
    donor_kind: DonorKind = DonorKind.OTHER
    donor_contact: str = Field("", max_length=100)
    kind: DonationKind
    description: str = Field(..., min_length=1, max_length=200)
    received_on: dt.date
    value: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    value_basis: ValueBasis
    receipt_number: str = Field(..., min_length=1, max_length=50)
    purpose: str = Field(..., min_length=1, max_length=200)
    use: str = Field("", max_length=2000)


class DonationOut(Schema):
    id: int
    school_id: int
    number: str
    donor_name: str
    donor_kind: str
    kind: str
    description: str
    received_on: dt.date
    value: Money
    value_basis: str
    is_nominal: bool
    receipt_number: str
    purpose: str
    use: str
    purpose_consent: str


class DonationFilter(Input):
    q: str | None = Field(None, max_length=100)
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/donations", auth=needs("procurement.view_donation"), response={200: list[DonationOut], **ERRORS})
@paginate
def donation_list(request: AuthenticatedHttpRequest, filters: Query[DonationFilter]):
    return selectors.donation_list(user=request.user, q=filters.q, year=filters.year)


@router.post("/donations", auth=needs("procurement.add_donation"), response={201: DonationOut, **ERRORS})
def donation_create(request: AuthenticatedHttpRequest, payload: DonationIn):
    """Register a gift with its receipt number; without a document, appraisal or price it is worth 1 yuan."""
    values = payload.dict(exclude={"school_id"})
    donation = services.donation_create(
        actor=request.user, school=school_for_write(request, payload.school_id), **values
    )
    return Status(201, donation)


@router.get("/donations/{donation_id}", auth=needs("procurement.view_donation"), response={200: DonationOut, **ERRORS})
def donation_get(request: AuthenticatedHttpRequest, donation_id: Id):
    return in_scope(Donation.objects.all(), request, donation_id)


class UseIn(Input):
    use: str = Field(..., max_length=2000)


@router.post(
    "/donations/{donation_id}/use", auth=needs("procurement.change_donation"), response={200: DonationOut, **ERRORS}
)
def donation_record_use(request: AuthenticatedHttpRequest, donation_id: Id, payload: UseIn):
    donation = in_scope(Donation.objects.all(), request, donation_id)
    return services.donation_record_use(actor=request.user, donation=donation, use=payload.use)


class PurposeIn(Input):
    purpose: str = Field(..., min_length=1, max_length=200)
    consent: str = Field(..., max_length=200, description="the donor's consent on record")


@router.post(
    "/donations/{donation_id}/purpose",
    auth=needs("procurement.change_donation"),
    response={200: DonationOut, **ERRORS},
)
def donation_change_purpose(request: AuthenticatedHttpRequest, donation_id: Id, payload: PurposeIn):
    donation = in_scope(Donation.objects.all(), request, donation_id)
    return services.donation_change_purpose(
        actor=request.user, donation=donation, purpose=payload.purpose, consent=payload.consent
    )


#
# Spending
#


class SpendingRowOut(Schema):
    label: str
    spent: Money
    committed: Money


class SpendingOut(Schema):
    year: int
    by_funding_source: list[SpendingRowOut]
    by_department: list[SpendingRowOut]
    donations_total: Money


class SpendingFilter(Input):
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/spending", auth=needs("procurement.view_spending"), response={200: SpendingOut, **ERRORS})
def spending(request: AuthenticatedHttpRequest, filters: Query[SpendingFilter]):
    """Spent (accepted) and committed (approved, not yet accepted) amounts of a fiscal year."""
    year = filters.year or timezone.localdate().year
    return {
        "year": year,
        "by_funding_source": selectors.spending_by_funding_source(user=request.user, year=year),
        "by_department": selectors.spending_by_department(user=request.user, year=year),
        "donations_total": selectors.donations_total(user=request.user, year=year),
    }
