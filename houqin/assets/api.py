"""/api/assets: the register, transfers, loans, stocktakes, import and export."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from annotated_types import Interval
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from pydantic import PlainSerializer

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from houqin.assets import exports, selectors, services
from houqin.assets.choices import AcquisitionMethod, AssetClass, AssetStatus, FundingSource, TransferStatus, ValueType
from houqin.assets.importing import ASSET_IMPORT
from houqin.assets.models import Asset, Lease, Loan, Stocktake, StocktakeLine, Transfer
from houqin.core.api import ERRORS, Id, Input, NotBool, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.core.exporting import XLSX
from houqin.core.importing import ImportFileError, run_import
from houqin.orgs.models import Department, Person, Place, Tenant

router = Router(tags=["assets"])

# Money goes out as a string with two decimals ("1000.00"), as the contract says.
Money = Annotated[Decimal, PlainSerializer(lambda value: f"{value:.2f}", return_type=str)]
Quantity = Annotated[int, Interval(ge=1, le=1_000_000), NotBool]
LifeMonths = Annotated[int, Interval(ge=1, le=1200), NotBool]


def _optional(request: HttpRequest, model: Any, pk: int | None) -> Any:
    """The row of `model` with this id in the user's scope (404 otherwise), or None when no id is given."""
    return in_scope(model.objects, request, pk) if pk else None


def _name(obj: Any) -> str | None:
    return str(obj) if obj is not None else None


#
# Cards
#


class AssetIn(Input):
    school_id: OptionalId = None
    name: str = Field(..., min_length=1, max_length=100)
    unit_price: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    quantity: Quantity = 1
    unit: str = Field("台", min_length=1, max_length=10)
    acquired_on: dt.date
    funding_source: FundingSource
    category_code: str | None = Field(None, max_length=12)
    department_id: OptionalId = None
    place_id: OptionalId = None
    custodian_id: OptionalId = None
    acquisition_method: AcquisitionMethod = AcquisitionMethod.PURCHASE
    brand: str = Field("", max_length=50)
    spec: str = Field("", max_length=100)
    supplier_name: str = Field("", max_length=100)
    source: str = Field("", max_length=60)
    voucher_no: str = Field("", max_length=30)
    notes: str = Field("", max_length=2000)
    useful_life_months: LifeMonths | None = None
    value_type: ValueType = ValueType.COST
    is_special_equipment: bool = False
    is_bulk_batch: bool = False


class AssetOut(Schema):
    id: int
    school_id: int
    asset_no: str
    name: str
    category_code: str
    category_name: str
    brand: str
    spec: str
    quantity: int
    unit: str
    unit_price: Money
    original_value: Money
    value_type: str
    asset_class: str
    is_special_equipment: bool
    is_bulk_batch: bool
    status: str
    acquisition_method: str
    acquired_on: dt.date
    funding_source: str
    supplier_name: str
    source: str
    department_id: int | None
    department_name: str | None
    place_id: int | None
    place_name: str | None
    custodian_id: int | None
    custodian_name: str | None
    useful_life_months: int | None
    voucher_no: str
    notes: str
    disposed_on: dt.date | None

    @staticmethod
    def resolve_category_name(obj: Asset) -> str:
        return obj.category_label

    @staticmethod
    def resolve_department_name(obj: Asset) -> str | None:
        return _name(obj.department)

    @staticmethod
    def resolve_place_name(obj: Asset) -> str | None:
        return _name(obj.place)

    @staticmethod
    def resolve_custodian_name(obj: Asset) -> str | None:
        return _name(obj.custodian)


class EventOut(Schema):
    occurred_at: dt.datetime
    kind: str
    kind_label: str
    actor_name: str
    message: str
    changes: dict

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_actor_name(obj: Any) -> str:
        return obj.actor.display_name if obj.actor is not None else ""


class AssetDetailOut(AssetOut):
    missing_card_fields: list[str]
    history: list[EventOut]

    @staticmethod
    def resolve_history(obj: Asset) -> list[Any]:
        return list(selectors.history(obj)[:200])


class AssetFilter(Input):
    q: str | None = Field(None, max_length=100)
    asset_class: AssetClass | None = None
    status: AssetStatus | None = None
    place_id: OptionalId = None
    custodian_id: OptionalId = None
    department_id: OptionalId = None
    category_code: str | None = Field(None, max_length=12)


def _asset(request: HttpRequest, asset_id: int) -> Asset:
    return in_scope(Asset.objects.select_related("department", "place", "custodian"), request, asset_id)


def _filtered(request: HttpRequest, filters: AssetFilter) -> Any:
    return selectors.asset_list(
        user=request.user,
        q=filters.q,
        asset_class=filters.asset_class,
        status=filters.status,
        place_id=filters.place_id,
        custodian_id=filters.custodian_id,
        department_id=filters.department_id,
        category_code=filters.category_code,
    )


@router.get("", auth=needs("assets.view_asset"), response={200: list[AssetOut], **ERRORS})
@paginate
def asset_list(request: HttpRequest, filters: Query[AssetFilter]):
    return _filtered(request, filters)


@router.post("", auth=needs("assets.add_asset"), response={201: AssetOut, **ERRORS})
def asset_create(request: HttpRequest, payload: AssetIn):
    school = school_for_write(request, payload.school_id)
    fields = payload.model_dump(exclude={"school_id", "department_id", "place_id", "custodian_id"})
    asset = services.asset_create(
        actor=request.user,
        school=school,
        department=_optional(request, Department, payload.department_id),
        place=_optional(request, Place, payload.place_id),
        custodian=_optional(request, Person, payload.custodian_id),
        **fields,
    )
    return Status(201, _asset(request, asset.pk))


@router.get(
    "/export.xlsx",
    auth=needs("assets.view_asset"),
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {200: {"description": "OK", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}}
    },
)
def asset_export(request: HttpRequest, filters: Query[AssetFilter]):
    return exports.ledger_file_response(_filtered(request, filters).iterator(chunk_size=2000))


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportOut(Schema):
    rows: int
    created: int
    dry_run: bool
    errors: list[ImportErrorOut]


@router.post("/import", auth=needs("assets.add_asset"), response={200: ImportOut, **ERRORS})
def asset_import(request: HttpRequest, file: File[UploadedFile], dry_run: bool = True):
    """Import a ledger (.xlsx): every row or none; `dry_run=true` (the default) checks without saving."""
    school = school_for_write(request, None)
    try:
        return run_import(ASSET_IMPORT, file, actor=request.user, school=school, dry_run=dry_run)
    except ImportFileError as exc:
        raise ValidationError({"file": exc.message}) from None


#
# Transfers
#


class TransferIn(Input):
    to_department_id: OptionalId = None
    to_place_id: OptionalId = None
    to_custodian_id: OptionalId = None
    reason: str = Field(..., min_length=1, max_length=200)


class TransferOut(Schema):
    id: int
    asset_id: int
    status: str
    reason: str
    from_department_id: int | None
    to_department_id: int | None
    from_place_id: int | None
    to_place_id: int | None
    from_custodian_id: int | None
    to_custodian_id: int | None
    requested_by_id: int
    decided_by_id: int | None
    decided_at: dt.datetime | None
    decision_comment: str
    released_at: dt.datetime | None
    received_at: dt.datetime | None


class AssetCommentIn(Input):
    comment: str = Field("", max_length=200)


@router.post("/{asset_id}/transfer", auth=needs("assets.add_transfer"), response={201: TransferOut, **ERRORS})
def transfer_create(request: HttpRequest, asset_id: Id, payload: TransferIn):
    transfer = services.transfer_request(
        actor=request.user,
        asset=_asset(request, asset_id),
        reason=payload.reason,
        to_department=_optional(request, Department, payload.to_department_id),
        to_place=_optional(request, Place, payload.to_place_id),
        to_custodian=_optional(request, Person, payload.to_custodian_id),
    )
    return Status(201, transfer)


class TransferFilter(Input):
    status: TransferStatus | None = None
    asset_id: OptionalId = None


@router.get("/transfers", auth=needs("assets.view_transfer"), response={200: list[TransferOut], **ERRORS})
@paginate
def transfer_list(request: HttpRequest, filters: Query[TransferFilter]):
    transfers = Transfer.objects.visible_to(request.user)
    return transfers.filter(**{k: v for k, v in filters.model_dump().items() if v is not None})


@router.post(
    "/transfers/{transfer_id}/approve", auth=needs("assets.approve_transfer"), response={200: TransferOut, **ERRORS}
)
def transfer_approve(request: HttpRequest, transfer_id: Id, payload: AssetCommentIn | None = None):
    transfer = in_scope(Transfer.objects, request, transfer_id)
    comment = payload.comment if payload else ""
    return services.transfer_approve(actor=request.user, transfer=transfer, comment=comment)


@router.post(
    "/transfers/{transfer_id}/reject", auth=needs("assets.approve_transfer"), response={200: TransferOut, **ERRORS}
)
def transfer_reject(request: HttpRequest, transfer_id: Id, payload: AssetCommentIn):
    transfer = in_scope(Transfer.objects, request, transfer_id)
    return services.transfer_reject(actor=request.user, transfer=transfer, comment=payload.comment)


#
# Loans
#


class LoanIn(Input):
    borrower_id: Id
    due_on: dt.date
    purpose: str = Field("", max_length=200)


class ReturnIn(Input):
    condition: str = Field("", max_length=200)
    damaged: bool = False


class LoanOut(Schema):
    id: int
    asset_id: int
    borrower_id: int
    purpose: str
    lent_on: dt.date
    due_on: dt.date
    returned_on: dt.date | None
    condition: str
    damaged: bool


@router.post("/{asset_id}/loan", auth=needs("assets.add_loan"), response={201: LoanOut, **ERRORS})
def loan_create(request: HttpRequest, asset_id: Id, payload: LoanIn):
    loan = services.loan_create(
        actor=request.user,
        asset=_asset(request, asset_id),
        borrower=in_scope(Person.objects, request, payload.borrower_id),
        due_on=payload.due_on,
        purpose=payload.purpose,
    )
    return Status(201, loan)


@router.post("/loans/{loan_id}/return", auth=needs("assets.change_loan"), response={200: LoanOut, **ERRORS})
def loan_return(request: HttpRequest, loan_id: Id, payload: ReturnIn | None = None):
    payload = payload or ReturnIn()
    loan = in_scope(Loan.objects, request, loan_id)
    return services.loan_return(actor=request.user, loan=loan, condition=payload.condition, damaged=payload.damaged)


#
# Leases (出租出借, A14)
#


class LeaseIn(Input):
    tenant_id: Id
    place_id: OptionalId = None
    asset_id: OptionalId = None
    starts_on: dt.date
    ends_on: dt.date
    rent: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    approval_document: str = Field("", max_length=100)
    safety_agreement: str = Field("", max_length=100)
    fire_clause: bool = False


class LeaseOut(Schema):
    id: int
    school_id: int
    tenant_id: int
    tenant_name: str
    place_id: int | None
    asset_id: int | None
    starts_on: dt.date
    ends_on: dt.date
    rent: Money
    approval_document: str
    safety_agreement: str
    fire_clause: bool
    is_active: bool
    state: str

    @staticmethod
    def resolve_tenant_name(obj: Lease) -> str:
        return obj.tenant.name

    @staticmethod
    def resolve_state(obj: Lease) -> str:
        return obj.state_on(timezone.localdate())


class LeaseFilter(Input):
    tenant_id: OptionalId = None
    is_active: bool | None = None


@router.get("/leases", auth=needs("assets.view_lease"), response={200: list[LeaseOut], **ERRORS})
@paginate
def lease_list(request: HttpRequest, filters: Query[LeaseFilter]):
    leases = Lease.objects.visible_to(request.user).select_related("tenant")
    return leases.filter(**{k: v for k, v in filters.model_dump().items() if v is not None})


@router.post("/leases", auth=needs("assets.add_lease"), response={201: LeaseOut, **ERRORS})
def lease_create(request: HttpRequest, payload: LeaseIn):
    lease = services.lease_create(
        actor=request.user,
        tenant=in_scope(Tenant.objects, request, payload.tenant_id),
        place=_optional(request, Place, payload.place_id),
        asset=_optional(request, Asset, payload.asset_id),
        **payload.model_dump(exclude={"tenant_id", "place_id", "asset_id"}),
    )
    return Status(201, lease)


@router.get("/leases/{lease_id}", auth=needs("assets.view_lease"), response={200: LeaseOut, **ERRORS})
def lease_detail(request: HttpRequest, lease_id: Id):
    return in_scope(Lease.objects.select_related("tenant"), request, lease_id)


@router.post("/leases/{lease_id}/activate", auth=needs("assets.change_lease"), response={200: LeaseOut, **ERRORS})
def lease_activate(request: HttpRequest, lease_id: Id):
    return services.lease_activate(actor=request.user, lease=in_scope(Lease.objects, request, lease_id))


#
# Stocktakes
#


class StocktakeIn(Input):
    name: str = Field(..., min_length=1, max_length=100)
    place_ids: list[Id] = Field(..., min_length=1, max_length=500)


class StocktakeOut(Schema):
    id: int
    number: str
    name: str
    status: str
    expected: int
    matched: int
    missing: int
    surplus: int
    misplaced: int
    closed_at: dt.datetime | None
    approved_at: dt.datetime | None


class ScanIn(Input):
    asset_no: str = Field(..., min_length=1, max_length=30)
    place_id: OptionalId = None


class ScanOut(Schema):
    result: str
    line_id: int = Field(..., alias="id")
    asset_id: int | None
    asset_no: str
    name: str


class CauseIn(Input):
    cause: str = Field(..., min_length=1, max_length=200)


def _stocktake(request: HttpRequest, stocktake_id: int) -> Stocktake:
    return in_scope(Stocktake.objects, request, stocktake_id)


@router.post("/stocktakes", auth=needs("assets.add_stocktake"), response={201: StocktakeOut, **ERRORS})
def stocktake_create(request: HttpRequest, payload: StocktakeIn):
    school = school_for_write(request, None)
    places = [in_scope(Place.objects, request, pk) for pk in dict.fromkeys(payload.place_ids)]
    stocktake = services.stocktake_create(actor=request.user, school=school, name=payload.name, places=places)
    return Status(201, stocktake)


@router.get("/stocktakes/{stocktake_id}", auth=needs("assets.view_stocktake"), response={200: StocktakeOut, **ERRORS})
def stocktake_get(request: HttpRequest, stocktake_id: Id):
    return _stocktake(request, stocktake_id)


@router.post(
    "/stocktakes/{stocktake_id}/scan", auth=needs("assets.change_stocktake"), response={200: ScanOut, **ERRORS}
)
def stocktake_scan(request: HttpRequest, stocktake_id: Id, payload: ScanIn):
    return services.stocktake_scan(
        actor=request.user,
        stocktake=_stocktake(request, stocktake_id),
        asset_no=payload.asset_no,
        place=_optional(request, Place, payload.place_id),
    )


@router.post(
    "/stocktakes/{stocktake_id}/close", auth=needs("assets.change_stocktake"), response={200: StocktakeOut, **ERRORS}
)
def stocktake_close(request: HttpRequest, stocktake_id: Id):
    return services.stocktake_close(actor=request.user, stocktake=_stocktake(request, stocktake_id))


@router.post(
    "/stocktakes/lines/{line_id}/cause", auth=needs("assets.change_stocktake"), response={200: ScanOut, **ERRORS}
)
def stocktake_line_cause(request: HttpRequest, line_id: Id, payload: CauseIn):
    line = in_scope(StocktakeLine.objects, request, line_id)
    return services.stocktake_explain(actor=request.user, line=line, cause=payload.cause)


@router.post(
    "/stocktakes/{stocktake_id}/approve",
    auth=needs("assets.approve_stocktake"),
    response={200: StocktakeOut, **ERRORS},
)
def stocktake_approve(request: HttpRequest, stocktake_id: Id, payload: AssetCommentIn | None = None):
    comment = payload.comment if payload else ""
    return services.stocktake_approve(actor=request.user, stocktake=_stocktake(request, stocktake_id), comment=comment)


# Last: a path parameter here would otherwise catch the fixed paths above (export.xlsx, transfers…).
@router.get("/{asset_id}", auth=needs("assets.view_asset"), response={200: AssetDetailOut, **ERRORS})
def asset_get(request: HttpRequest, asset_id: Id):
    return _asset(request, asset_id)
