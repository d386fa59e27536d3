"""/api/stock: items, receipts, requisitions."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from django.http import HttpRequest

from houqin.core.api import ERRORS, Id, Input, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.orgs.models import Department, Person
from houqin.stock import selectors, services
from houqin.stock.choices import Amortisation, ItemCategory, RequisitionStatus
from houqin.stock.models import Requisition, StockCount, StockCountLine, StockItem

router = Router(tags=["stock"])

Quantity = Field(..., gt=0, max_digits=12, decimal_places=2)


class ItemIn(Input):
    school_id: OptionalId = None
    name: str = Field(..., min_length=1, max_length=100)
    unit: str = Field(..., min_length=1, max_length=10)
    spec: str = Field("", max_length=100)
    category: ItemCategory = ItemCategory.OTHER
    amortisation: Amortisation = Amortisation.ONE_OFF
    min_quantity: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)


class StockItemOut(Schema):
    id: int
    school_id: int
    name: str
    spec: str
    unit: str
    category: str
    min_quantity: Decimal
    balance: Decimal
    average_cost: Decimal
    is_low: bool
    is_active: bool


class ItemFilter(Input):
    q: str | None = Field(None, max_length=100)
    category: ItemCategory | None = None
    low: bool = False


@router.get("/items", auth=needs("stock.view_stockitem"), response={200: list[StockItemOut], **ERRORS})
@paginate
def item_list(request: HttpRequest, filters: Query[ItemFilter]):
    return selectors.item_list(user=request.user, q=filters.q, low_only=filters.low, category=filters.category)


@router.post("/items", auth=needs("stock.add_stockitem"), response={201: StockItemOut, **ERRORS})
def item_create(request: HttpRequest, payload: ItemIn):
    school = school_for_write(request, payload.school_id)
    item = services.item_create(
        actor=request.user,
        school=school,
        name=payload.name,
        unit=payload.unit,
        spec=payload.spec,
        category=payload.category,
        amortisation=payload.amortisation,
        min_quantity=payload.min_quantity or Decimal("0"),
    )
    return Status(201, item)


@router.get("/items/{item_id}", auth=needs("stock.view_stockitem"), response={200: StockItemOut, **ERRORS})
def item_get(request: HttpRequest, item_id: Id):
    return in_scope(StockItem.objects, request, item_id)


class ReceiptIn(Input):
    item_id: Id
    quantity: Decimal = Quantity
    unit_price: Decimal = Field(..., ge=0, max_digits=14, decimal_places=4)
    supplier_id: OptionalId = Field(None, description="reserved for the procurement module's suppliers")
    supplier_name: str = Field("", max_length=100)


class MovementOut(Schema):
    id: int
    item_id: int
    kind: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    balance_after: Decimal
    occurred_at: dt.datetime
    reason: str


@router.post("/receipts", auth=needs("stock.add_stockmovement"), response={201: MovementOut, **ERRORS})
def receipt_create(request: HttpRequest, payload: ReceiptIn):
    item = in_scope(StockItem.objects, request, payload.item_id)
    movement = services.stock_receive(
        actor=request.user,
        item=item,
        quantity=payload.quantity,
        unit_price=payload.unit_price,
        supplier_name=payload.supplier_name,
    )
    return Status(201, movement)


class LineIn(Input):
    item_id: Id
    quantity: Decimal = Quantity


class RequisitionIn(Input):
    lines: list[LineIn] = Field(..., min_length=1, max_length=200)
    purpose: str = Field(..., min_length=1, max_length=200)
    receiver_id: OptionalId = None
    department_id: OptionalId = None


class LineOut(Schema):
    id: int
    item_id: int
    item_name: str = Field(..., alias="item.name")
    quantity: Decimal


class RequisitionOut(Schema):
    id: int
    school_id: int
    number: str
    status: str
    purpose: str
    requested_by_id: int
    receiver_id: int | None
    department_id: int | None
    lines: list[LineOut]
    approved_at: dt.datetime | None
    issued_at: dt.datetime | None
    received_at: dt.datetime | None


def _requisition(request: HttpRequest, requisition_id: int) -> Requisition:
    return in_scope(Requisition.objects.prefetch_related("lines__item"), request, requisition_id)


@router.post("/requisitions", auth=needs("stock.add_requisition"), response={201: RequisitionOut, **ERRORS})
def requisition_create(request: HttpRequest, payload: RequisitionIn):
    lines = [(in_scope(StockItem.objects, request, line.item_id), line.quantity) for line in payload.lines]
    receiver = in_scope(Person.objects, request, payload.receiver_id) if payload.receiver_id else None
    department = in_scope(Department.objects, request, payload.department_id) if payload.department_id else None
    requisition = services.requisition_create(
        actor=request.user, lines=lines, purpose=payload.purpose, receiver=receiver, department=department
    )
    return Status(201, _requisition(request, requisition.pk))


class RequisitionFilter(Input):
    status: RequisitionStatus | None = None
    mine: bool = False


@router.get("/requisitions", auth=needs("stock.view_requisition"), response={200: list[RequisitionOut], **ERRORS})
@paginate
def requisition_list(request: HttpRequest, filters: Query[RequisitionFilter]):
    return selectors.requisition_list(user=request.user, mine=filters.mine, status=filters.status).prefetch_related(
        "lines__item"
    )


@router.get(
    "/requisitions/{requisition_id}", auth=needs("stock.view_requisition"), response={200: RequisitionOut, **ERRORS}
)
def requisition_get(request: HttpRequest, requisition_id: Id):
    return _requisition(request, requisition_id)


class CommentIn(Input):
    comment: str = Field("", max_length=200)


@router.post(
    "/requisitions/{requisition_id}/approve",
    auth=needs("stock.approve_requisition"),
    response={200: RequisitionOut, **ERRORS},
)
def requisition_approve(request: HttpRequest, requisition_id: Id, payload: CommentIn | None = None):
    services.requisition_approve(
        actor=request.user,
        requisition=_requisition(request, requisition_id),
        comment=payload.comment if payload else "",
    )
    return _requisition(request, requisition_id)


@router.post(
    "/requisitions/{requisition_id}/reject",
    auth=needs("stock.approve_requisition"),
    response={200: RequisitionOut, **ERRORS},
)
def requisition_reject(request: HttpRequest, requisition_id: Id, payload: CommentIn):
    services.requisition_reject(
        actor=request.user, requisition=_requisition(request, requisition_id), comment=payload.comment
    )
    return _requisition(request, requisition_id)


@router.post(
    "/requisitions/{requisition_id}/issue",
    auth=needs("stock.issue_requisition"),
    response={200: RequisitionOut, **ERRORS},
)
def requisition_issue(request: HttpRequest, requisition_id: Id):
    services.requisition_issue(actor=request.user, requisition=_requisition(request, requisition_id))
    return _requisition(request, requisition_id)


@router.post(
    "/requisitions/{requisition_id}/receive",
    auth=needs("stock.view_requisition"),
    response={200: RequisitionOut, **ERRORS},
)
def requisition_receive(request: HttpRequest, requisition_id: Id):
    services.requisition_confirm_received(actor=request.user, requisition=_requisition(request, requisition_id))
    return _requisition(request, requisition_id)


#
# Counts (库存盘点)
#


class CountIn(Input):
    school_id: OptionalId = None
    name: str = Field(..., min_length=1, max_length=100)


class CountLineOut(Schema):
    item_id: int
    item_name: str
    unit: str
    book_quantity: Decimal
    counted_quantity: Decimal | None
    difference: Decimal | None
    reason: str

    @staticmethod
    def resolve_item_name(obj: StockCountLine) -> str:
        return obj.item.name

    @staticmethod
    def resolve_unit(obj: StockCountLine) -> str:
        return obj.item.unit


class StockCountOut(Schema):
    id: int
    school_id: int
    name: str
    status: str
    closed_at: dt.datetime | None
    lines: list[CountLineOut]

    @staticmethod
    def resolve_lines(obj: StockCount) -> list[StockCountLine]:
        return list(obj.lines.select_related("item"))


class CountEntryIn(Input):
    item_id: Id
    counted_quantity: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    reason: str = Field("", max_length=200)


@router.post("/counts", auth=needs("stock.add_stockcount"), response={201: StockCountOut, **ERRORS})
def count_start(request: HttpRequest, payload: CountIn):
    school = school_for_write(request, payload.school_id)
    return Status(201, services.count_start(actor=request.user, school=school, name=payload.name))


@router.get("/counts/{count_id}", auth=needs("stock.view_stockcount"), response={200: StockCountOut, **ERRORS})
def count_detail(request: HttpRequest, count_id: Id):
    return in_scope(StockCount.objects, request, count_id)


@router.post("/counts/{count_id}/lines", auth=needs("stock.change_stockcount"), response={200: StockCountOut, **ERRORS})
def count_record(request: HttpRequest, count_id: Id, payload: list[CountEntryIn]):
    count = in_scope(StockCount.objects, request, count_id)
    entries = [(entry.item_id, entry.counted_quantity, entry.reason) for entry in payload]
    return services.count_record(actor=request.user, count=count, entries=entries)


@router.post("/counts/{count_id}/close", auth=needs("stock.change_stockcount"), response={200: StockCountOut, **ERRORS})
def count_close(request: HttpRequest, count_id: Id):
    return services.count_close(actor=request.user, count=in_scope(StockCount.objects, request, count_id))
