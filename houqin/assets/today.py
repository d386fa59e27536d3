"""The asset register's lines on the home page (今日待办)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.assets import selectors
from houqin.core.registry import TodayItem

if TYPE_CHECKING:
    from houqin.accounts.models import User


def items_for(user: User) -> list[TodayItem]:
    module = _("Assets")
    candidates = [
        (
            _("Transfers waiting for your approval"),
            reverse("assets:transfer_list") + "?scope=waiting",
            selectors.transfers_waiting_for(user=user).count(),
            "danger",
        ),
        (
            _("Disposals waiting for your approval"),
            reverse("assets:disposal_list") + "?status=pending",
            selectors.disposals_waiting_for(user=user).count(),
            "danger",
        ),
        (
            _("Stocktake differences waiting for your approval"),
            reverse("assets:stocktake_list"),
            selectors.stocktakes_waiting_for(user=user).count(),
            "warning",
        ),
        (
            _("Hand-overs for you to sign"),
            reverse("assets:my_assets"),
            selectors.handovers_to_sign(user=user).count(),
            "warning",
        ),
    ]
    if user.has_perm("assets.add_transfer"):
        kept = selectors.kept_by_leavers(user=user).count()
        url = reverse("assets:asset_list") + "?custodian_left=true"
        candidates.append((_("Assets still kept by staff who have left"), url, kept, "danger"))
    if user.has_perm("assets.view_loan"):
        overdue = selectors.overdue_loans(user=user).count()
        candidates.append((_("Loans overdue"), reverse("assets:loan_list") + "?scope=overdue", overdue, "danger"))
    if user.person_id is not None:
        mine = selectors.overdue_loans(user=user).filter(borrower_id=user.person_id).count()
        candidates.append((_("Borrowed items to return"), reverse("assets:my_assets"), mine, "danger"))
    return [TodayItem(title, url, count, level, module) for title, url, count, level in candidates if count]
