"""Health lines on the home page (今日待办): for the doctor, classes missing their check and open alerts; for a head
teacher, their class's checks when due (with the evening check at a boarding school) and unknown absences to
follow up; for the doctor also a mass of unexplained absences not followed up by the cut-off."""

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
        mass = selectors.mass_unknown_now(user=user, day=today)
        if mass:
            url = reverse("health:dashboard")
            lines.append(TodayItem(_("Many unexplained absences not followed up"), url, mass, "danger", module))
        alerts = selectors.alerts(user=user, open_only=True).count()
        if alerts:
            lines.append(
                TodayItem(_("Health alerts to report"), reverse("health:alert_list"), alerts, "danger", module)
            )
    elif user.has_perm("health.add_classcheck") and selectors.own_classes_only(user):
        classes = list(selectors.classes_for(user).select_related("school"))
        done = ClassCheck.objects.filter(school_class__in=classes, date=today).count()
        sessions = sum(len(selectors.sessions_for(c.school)) for c in classes)
        due = sessions - done if today.weekday() < 5 else 0
        if due > 0:
            lines.append(TodayItem(_("Class checks to do today"), reverse("health:check_form"), due, "info", module))
        unknown = selectors.unknown_not_followed_up(user=user, day=today).count()
        if unknown:
            url = reverse("health:absence_list")
            lines.append(TodayItem(_("Absences to follow up"), url, unknown, "warning", module))
    return lines
