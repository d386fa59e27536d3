"""The canteen's lines on the home page (今日待办): samples to discard, meals without samples or 陪餐, expiring
health certificates, staff suspended from food contact, open food incidents, the semester's satisfaction survey
missing from week 16, new parent feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.canteen import selectors
from houqin.core.registry import TodayItem

if TYPE_CHECKING:
    from houqin.accounts.models import User


def items_for(user: User) -> list[TodayItem]:
    school = user.school
    if school is None or not user.has_perm("canteen.view_sample"):
        return []
    module, url, today = _("Canteen"), reverse("canteen:dashboard"), timezone.localdate()
    lines = []
    manager = user.has_perm("canteen.change_sample")
    if manager:
        due = selectors.samples_to_discard(school).count()
        if due:
            lines.append(TodayItem(_("Food samples kept 48 hours: discard"), url, due, "info", module))
        unsampled = [m for m in selectors.meal_statuses(school, today) if not m.samples_complete]
        if unsampled:
            lines.append(TodayItem(_("Meals without a sample of every dish"), url, len(unsampled), "danger", module))
    no_leader = selectors.meals_without_leader(school, today)
    if no_leader:
        lines.append(
            TodayItem(_("Meals without 陪餐"), reverse("canteen:accompanied_list"), len(no_leader), "warning", module)
        )
    if user.has_perm("canteen.view_healthcertificate"):
        staff_url = reverse("canteen:staff_health")
        expiring = selectors.expiring_certificates(school, today).count()
        if expiring:
            lines.append(TodayItem(_("Health certificates expiring"), staff_url, expiring, "warning", module))
        suspended = len(selectors.suspended_today(school, today))
        if suspended:
            lines.append(TodayItem(_("Staff suspended from food contact"), staff_url, suspended, "danger", module))
    if user.has_perm("canteen.change_foodincident"):
        incidents = selectors.open_incidents(school).count()
        if incidents:
            lines.append(
                TodayItem(_("Open food incidents"), reverse("canteen:incident_list"), incidents, "danger", module)
            )
    if user.has_perm("canteen.add_satisfactionsurvey") and selectors.survey_overdue(school, today):
        lines.append(
            TodayItem(
                _("No food-safety satisfaction survey this semester"),
                reverse("canteen:governance"),
                None,
                "warning",
                module,
            )  # fmt: skip
        )
    if user.has_perm("canteen.change_feedback"):
        new = selectors.new_feedback(user).count()
        if new:
            lines.append(TodayItem(_("New parent feedback"), reverse("canteen:feedback_list"), new, "info", module))
    return lines
