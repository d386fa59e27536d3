"""The gate's lines on the home page (今日待办): visitors still on campus, staff still out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.core.registry import TodayItem
from houqin.visitors import selectors

if TYPE_CHECKING:
    from houqin.accounts.models import User


def items_for(user: User) -> list[TodayItem]:
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
