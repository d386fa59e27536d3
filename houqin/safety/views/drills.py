"""Drills: the records and, for each term month, whether the required evacuation drill was held (E4)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.core.mixins import ScopedDetailView, ScopedListView, ServiceFormView
from houqin.safety import selectors, services
from houqin.safety.forms import DrillForm
from houqin.safety.models import Drill


class DrillListView(ScopedListView):
    model = Drill
    permission_required = "safety.view_drill"
    search_fields = ("scenario", "problems")
    export_name = _("Drills")
    export_columns = [
        (_("Held on"), lambda d: d.held_on),
        (_("Kind"), lambda d: d.get_kind_display()),
        (_("Scenario"), lambda d: d.scenario),
        (_("Participants"), lambda d: d.participants),
        (_("Evacuation time (seconds)"), lambda d: d.evacuation_seconds),
        (_("Problems found"), lambda d: d.problems),
    ]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("school")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        school = self.request.user.school
        if school is not None:
            start, end = selectors.default_window(self.request.user)
            context["months"] = selectors.drill_months(school=school, start=start, end=end)
        return context


class DrillDetailView(ScopedDetailView):
    model = Drill
    permission_required = "safety.view_drill"


class DrillCreateView(ServiceFormView):
    model = Drill
    permission_required = "safety.add_drill"
    form_class = DrillForm
    template_name = "safety/form.html"
    success_message = _("Drill recorded.")
    extra_context = {"title": _("Record a drill")}

    def perform(self, form: DrillForm) -> Drill:
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        return services.drill_record(actor=self.request.user, school=self.request.user.school, **data)


class DrillUpdateView(DrillCreateView):
    permission_required = "safety.change_drill"
    extra_context = {"title": _("Edit drill")}

    def perform(self, form: DrillForm) -> Drill:
        return services.drill_update(actor=self.request.user, drill=self.object, **form.cleaned_data)
