"""The store's lines on the home page (今日待办)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.core.registry import TodayItem
from houqin.stock import selectors
from houqin.stock.choices import RequisitionStatus
from houqin.stock.models import Requisition, StockItem

if TYPE_CHECKING:
    from houqin.accounts.models import User


def items_for(user: User) -> list[TodayItem]:
    module = _("Consumables")
    lines = []
    if user.has_perm("stock.add_stockmovement"):
        low = selectors.low_stock(StockItem.objects.visible_to(user)).count()
        if low:
            lines.append(
                TodayItem(
                    _("Items at or below their minimum level"),
                    reverse("stock:item_list") + "?low=true",
                    low,
                    "warning",
                    module,
                )
            )
    waiting = selectors.requisitions_waiting_for(user=user).count()
    if waiting:
        lines.append(
            TodayItem(
                _("Requisitions waiting for you"),
                reverse("stock:requisition_list") + "?scope=waiting",
                waiting,
                "danger",
                module,
            )
        )
    to_confirm = Requisition.objects.visible_to(user).filter(status=RequisitionStatus.ISSUED, requested_by=user).count()
    if to_confirm:
        lines.append(
            TodayItem(
                _("Issued goods to confirm"),
                reverse("stock:requisition_list") + "?status=issued",
                to_confirm,
                "info",
                module,
            )
        )
    return lines
