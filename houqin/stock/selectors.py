"""Reads of the store, always from visible_to(user)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from houqin.core.search import search
from houqin.stock.choices import RequisitionStatus
from houqin.stock.models import Requisition, StockItem, StockMovement

if TYPE_CHECKING:
    from houqin.accounts.models import User


def item_list(*, user: User, q: str | None = None, low_only: bool = False, **filters: Any) -> QuerySet[StockItem]:
    items: QuerySet[StockItem] = StockItem.objects.visible_to(user).filter(
        **{k: v for k, v in filters.items() if v not in (None, "")}
    )
    if low_only:
        items = low_stock(items)
    return search(items, q) if q else items


def low_stock(items: QuerySet[StockItem]) -> QuerySet[StockItem]:
    """Items at or below their minimum level (those with a minimum set)."""
    return items.filter(is_active=True, min_quantity__gt=0, balance__lte=F("min_quantity"))


def movement_list(*, user: User, **filters: Any) -> QuerySet[StockMovement]:
    movements = StockMovement.objects.visible_to(user).select_related("item", "actor", "receiver")
    return movements.filter(**{k: v for k, v in filters.items() if v not in (None, "")})


def ledger_mismatches(*, user: User) -> QuerySet[StockItem]:
    """Items whose cached balance differs from the sum of their movements (should always be empty)."""
    return (
        StockItem.objects.visible_to(user)
        .annotate(ledger=Coalesce(Sum("movements__quantity"), 0, output_field=StockItem._meta.get_field("balance")))
        .exclude(balance=F("ledger"))
    )


def requisition_list(*, user: User, mine: bool = False, **filters: Any) -> QuerySet[Requisition]:
    requisitions = Requisition.objects.visible_to(user).select_related("requested_by", "receiver", "department")
    if mine:
        requisitions = requisitions.filter(Q(requested_by=user) | Q(receiver__user=user))
    return requisitions.filter(**{k: v for k, v in filters.items() if v not in (None, "")})


def requisitions_waiting_for(*, user: User) -> QuerySet[Requisition]:
    """Requisitions this user may act on next: approve (approvers) or issue (storekeepers)."""
    statuses = []
    if user.has_perm("stock.approve_requisition"):
        statuses.append(RequisitionStatus.PENDING)
    if user.has_perm("stock.issue_requisition"):
        statuses.append(RequisitionStatus.APPROVED)
    return Requisition.objects.visible_to(user).filter(status__in=statuses).exclude(requested_by=user)
