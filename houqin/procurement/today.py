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
