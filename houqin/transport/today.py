"""The school bus on the home page (今日待办): today's trips not closed, papers running out, no drill this term, and
for the safety officer the trips of the last week with speeding not yet reviewed (D5)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.registry import TodayItem
from houqin.transport import selectors

if TYPE_CHECKING:
    from houqin.accounts.models import User


def items_for(user: User) -> list[TodayItem]:
    if user.school_id is None or not user.has_perm("transport.attend_trip"):
        return []
    module, lines = _("School bus"), []
    open_trips = selectors.open_trips_today(user=user).count()
    if open_trips:
        lines.append(
            TodayItem(_("Bus trips today not closed"), reverse("transport:trip_list"), open_trips, "warning", module)
        )
    if user.has_perm("transport.change_vehicle"):
        today = timezone.localdate()
        buses = selectors.vehicles(user=user).filter(is_active=True)
        book = selectors.RuleBook()
        soon = sum(1 for v in buses if selectors.expiring(v, today, book))
        if soon:
            lines.append(
                TodayItem(
                    _("Bus papers expiring within 30 days"), reverse("transport:vehicle_list"), soon, "warning", module
                )
            )
        school = user.school
        if school is not None and selectors.drill_count(school=school, on=today).short:
            lines.append(
                TodayItem(
                    _("No school-bus drill this semester"), reverse("transport:drill_list"), None, "danger", module
                )
            )
    if user.has_perm("transport.add_speedingreview"):
        for trip in selectors.speeding_to_review(user=user):
            title = _("Speeding not reviewed: %(trip)s") % {"trip": trip}
            lines.append(TodayItem(title, trip.get_absolute_url(), None, "danger", module))
    return lines
