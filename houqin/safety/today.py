"""The safety lines on the home page (今日待办): checks due and missed, overdue hazards, verifications, my hazards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.registry import TodayItem
from houqin.safety import selectors
from houqin.safety.choices import HazardStatus
from houqin.safety.models import Hazard, NoticeReceipt

if TYPE_CHECKING:
    from houqin.accounts.models import User


def _inspection_items(user: User, module: str) -> list[TodayItem]:
    today = timezone.localdate()
    round_url = reverse("safety:round")
    lines = []
    due = [c for c in selectors.checks_due(user=user, on=today, mine=True) if not c.done]
    if due:
        lines.append(TodayItem(_("Inspections due today"), round_url, len(due), "warning", module))
    missed = selectors.missed_checks(user=user, on=today)
    if missed:
        lines.append(TodayItem(_("Missed inspections (last 7 days)"), round_url, len(missed), "danger", module))
    return lines


def _hazard_items(user: User, module: str) -> list[TodayItem]:
    hazards = Hazard.objects.visible_to(user)
    url = reverse("safety:hazard_list")
    lines = []
    if user.has_perm("safety.change_hazard"):
        overdue = selectors.overdue_only(hazards).count()
        if overdue:
            lines.append(TodayItem(_("Overdue hazards"), url + "?overdue=on", overdue, "danger", module))
    if user.has_perm("safety.verify_hazard"):
        waiting = hazards.filter(status=HazardStatus.RECTIFIED).exclude(rectified_by=user).count()
        if waiting:
            lines.append(
                TodayItem(_("Hazards waiting for verification"), url + "?status=rectified", waiting, "warning", module)
            )
    if user.person_id:
        mine = hazards.filter(status=HazardStatus.OPEN, responsible_id=user.person_id).count()
        if mine:
            lines.append(
                TodayItem(_("Hazards for you to rectify"), url + "?mine=on&status=open", mine, "danger", module)
            )
    return lines


def _drill_items(user: User, module: str) -> list[TodayItem]:
    start, today = selectors.default_window(user)
    months = selectors.drill_months(school=user.school, start=start, end=today)
    url = reverse("safety:drill_list")
    lines = []
    short = sum(1 for m in months if m.short)
    if short:
        lines.append(TodayItem(_("Term months without the required evacuation drill"), url, short, "danger", module))
    current = months[-1] if months else None
    if current is not None and current.in_progress and current.held < current.required:
        lines.append(TodayItem(_("No evacuation drill yet this month"), url, None, "warning", module))
    return lines


def _personal_items(user: User, module: str) -> list[TodayItem]:
    lines = []
    to_sign = selectors.signatures_for(user=user).filter(signed_at__isnull=True).count()
    if to_sign:
        lines.append(
            TodayItem(_("Agreements for you to sign"), reverse("safety:my_agreements"), to_sign, "warning", module)
        )
    missing = NoticeReceipt.objects.filter(
        school_class__in=selectors.classes_headed_by(user), returned_at__isnull=True
    ).count()
    if missing:
        lines.append(
            TodayItem(
                _("Notice slips not yet back from your class"), reverse("safety:notice_list"), missing, "info", module
            )
        )
    return lines


def items_for(user: User) -> list[TodayItem]:
    module = _("Campus safety")
    lines = []
    if user.school_id is not None and user.has_perm("safety.add_inspection"):
        lines += _inspection_items(user, module)
    if user.has_perm("safety.view_hazard"):
        lines += _hazard_items(user, module)
    if user.school_id is not None and user.has_perm("safety.add_drill"):
        lines += _drill_items(user, module)
    return lines + _personal_items(user, module)
