"""安全保卫 lines on the home page (今日待办): key-area patrols short today, roster gaps, cameras in fault, equipment
checks due, staff on the roster without this year's criminal-record check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.registry import TodayItem
from houqin.security import selectors

if TYPE_CHECKING:
    from houqin.accounts.models import User


def items_for(user: User) -> list[TodayItem]:
    school = user.school
    if school is None or not user.has_perm("security.view_patrollog"):
        return []
    module, today, lines = _("Security"), timezone.localdate(), []
    day = selectors.patrol_days(school, today, today)[0]
    if day.key_area < day.required:
        title = _("Key-area patrols today: %(done)s of %(required)s") % {"done": day.key_area, "required": day.required}
        lines.append(TodayItem(title, reverse("security:patrols"), day.required - day.key_area, "warning", module))
    if not user.has_perm("security.change_patrolroute"):
        return lines  # the guard sees the patrol line; the rest is for the safety officer
    dashboard = reverse("security:dashboard")
    gaps = selectors.coverage_gaps(school, today)
    if gaps:
        lines.append(
            TodayItem(_("Hours with nobody at the gatehouse"), reverse("security:roster"), len(gaps), "danger", module)
        )
    faults = selectors.cameras_in_fault(school)
    if faults:
        lines.append(TodayItem(_("Cameras in fault"), reverse("security:camera_list"), faults, "warning", module))
    due = len(selectors.equipment_due(school, today))
    if due:
        lines.append(TodayItem(_("Gate equipment checks due"), reverse("security:equipment"), due, "info", module))
    expired = selectors.vetting_expired(school, today).count()
    if expired:
        lines.append(TodayItem(_("Criminal-record checks missing this year"), dashboard, expired, "danger", module))
    return lines
