"""Purchasing's lines on the home page (今日待办)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.core.registry import TodayItem
from houqin.procurement import selectors
from houqin.procurement.choices import RequestStatus
from houqin.procurement.models import PurchaseRequest

if TYPE_CHECKING:
    from houqin.accounts.models import User


def items_for(user: User) -> list[TodayItem]:
    module = _("Purchasing")
    lines = []
    waiting = selectors.requests_waiting_for(user=user).count()
    if waiting:
        url = reverse("procurement:approval_queue")
        lines.append(TodayItem(_("Purchase requests waiting for your approval"), url, waiting, "danger", module))
    requests = PurchaseRequest.objects.visible_to(user)
    if user.has_perm("procurement.order_purchaserequest"):
        to_order = requests.filter(status=RequestStatus.APPROVED).count()
        if to_order:
            url = reverse("procurement:request_list") + "?scope=all&status=approved"
            lines.append(TodayItem(_("Approved purchases to order"), url, to_order, "warning", module))
    if user.has_perm("procurement.order_purchaserequest"):
        lines.extend(_contract_items(user, module))
    if user.has_perm("procurement.add_acceptance"):
        to_accept = requests.filter(status=RequestStatus.ORDERED).count()
        if to_accept:
            url = reverse("procurement:request_list") + "?scope=all&status=ordered"
            lines.append(TodayItem(_("Ordered goods to accept"), url, to_accept, "warning", module))
    if user.has_perm("assets.add_asset") and user.has_perm("procurement.view_acceptance"):
        risks = len(selectors.offbook_risks(user=user))
        if risks:
            url = reverse("procurement:offbook")
            lines.append(TodayItem(_("Goods received without an asset card"), url, risks, "danger", module))
    return lines


def _contract_items(user: User, module: str) -> list[TodayItem]:
    """B6: contracts due from the warning day (25 of 30) after the award, and the late ones."""
    rows = selectors.contract_deadlines(user=user)
    url = reverse("procurement:request_list") + "?scope=all&contract=due"
    due = sum(1 for _row, state in rows if state.contract_warning)
    overdue = sum(1 for row, state in rows if state.contract_overdue and not row.contract_signed_on)
    late = sum(1 for _row, state in rows if state.publication_overdue or state.filing_overdue)
    items = []
    if due:
        items.append(TodayItem(_("Contracts to sign within 30 days of the award"), url, due, "warning", module))
    if overdue:
        items.append(TodayItem(_("Contracts not signed 30 days after the award"), url, overdue, "danger", module))
    if late:
        items.append(TodayItem(_("Contracts not published or filed in time"), url, late, "danger", module))
    return items
