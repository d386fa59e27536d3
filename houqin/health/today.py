"""Health lines on the home page (今日待办): for the doctor, classes missing their check and open alerts; for a head
teacher, their class's check when it is due and unknown absences to follow up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.registry import TodayItem
from houqin.health import selectors
from houqin.health.models import ClassCheck

if TYPE_CHECKING:
    from houqin.accounts.models import User


def items_for(user: User) -> list[TodayItem]:
    if user.school_id is None or not user.has_perm("health.view_classcheck"):  # type: ignore[attr-defined]
        return []
    module, today, lines = _("Health"), timezone.localdate(), []
    if user.has_perm("health.report_healthalert"):
        missing = len(selectors.missing_checks(user=user, day=today))
        if missing:
            lines.append(TodayItem(_("Class checks missing"), reverse("health:dashboard"), missing, "warning", module))
        alerts = selectors.alerts(user=user, open_only=True).count()
        if alerts:
            lines.append(
                TodayItem(_("Health alerts to report"), reverse("health:alert_list"), alerts, "danger", module)
            )
    elif user.has_perm("health.add_classcheck") and selectors.own_classes_only(user):
        classes = list(selectors.classes_for(user))
        done = ClassCheck.objects.filter(school_class__in=classes, date=today).count()
        due = 2 * len(classes) - done if today.weekday() < 5 else 0
        if due > 0:
            lines.append(TodayItem(_("Class checks to do today"), reverse("health:check_form"), due, "info", module))
        unknown = selectors.unknown_not_followed_up(user=user, day=today).count()
        if unknown:
            url = reverse("health:absence_list")
            lines.append(TodayItem(_("Absences to follow up"), url, unknown, "warning", module))
    return lines
