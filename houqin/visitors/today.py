"""The gate's lines on the home page (今日待办): visitors still on campus, staff still out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.core.registry import TodayItem
from houqin.visitors import selectors
from houqin.visitors.choices import GatePassStatus, VehicleStatus

if TYPE_CHECKING:
    from houqin.accounts.models import User


def items_for(user: User) -> list[TodayItem]:
    return _visitor_lines(user) + _approval_lines(user)


def _approval_lines(user: User) -> list[TodayItem]:
    """Gate passes and outside vehicles waiting for a leader's approval."""
    if not user.has_perm("visitors.approve_gatepass"):
        return []
    module, lines = _("Gate"), []
    passes = selectors.gatepasses(user=user).filter(status=GatePassStatus.REQUESTED).exclude(requested_by=user).count()
    if passes:
        lines.append(
            TodayItem(_("Gate passes to approve"), reverse("visitors:gatepass_list"), passes, "warning", module)
        )
    vehicles = selectors.vehicles(user=user).filter(status=VehicleStatus.REQUESTED).exclude(requested_by=user).count()
    if vehicles:
        lines.append(
            TodayItem(_("Outside vehicles to approve"), reverse("visitors:vehicle_list"), vehicles, "warning", module)
        )
    return lines


def _visitor_lines(user: User) -> list[TodayItem]:
    if not user.has_perm("visitors.change_visit"):
        return []
    module, url = _("Gate"), reverse("visitors:gate")
    lines = []
    visitors = selectors.on_campus(user=user).count()
    if visitors:
        lines.append(TodayItem(_("Visitors on campus"), url, visitors, "info", module))
    if user.has_perm("visitors.view_staffouting"):
        out = selectors.outings(user=user, out_only=True).count()
        if out:
            lines.append(TodayItem(_("Staff out"), url, out, "info", module))
    return lines
