"""Checklists, the inspection round on a phone, inspection records and the one-tap hazard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from houqin.core.mixins import (
    ActionView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    apply_validation_error,
)
from houqin.orgs.models import Place
from houqin.safety import selectors, services
from houqin.safety.filters import InspectionFilter
from houqin.safety.forms import (
    InspectionForm,
    TemplateForm,
)
from houqin.safety.models import ChecklistTemplate, Hazard, Inspection

#
# Checklists
#


class TemplateListView(ScopedListView):
    model = ChecklistTemplate
    permission_required = "safety.view_checklisttemplate"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related("inspector")
            .annotate(place_count=Count("places", distinct=True), item_count=Count("items", distinct=True))
            .order_by("area_type", "name")
        )


class TemplateDetailView(ScopedDetailView):
    model = ChecklistTemplate
    permission_required = "safety.view_checklisttemplate"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("places", "items")


class TemplateCreateView(ServiceFormView):
    model = ChecklistTemplate
    permission_required = "safety.add_checklisttemplate"
    form_class = TemplateForm
    template_name = "safety/form.html"
    extra_context = {"title": _("New checklist")}

    def perform(self, form: TemplateForm) -> ChecklistTemplate:
        return services.template_create(actor=self.request.user, school=self.request.user.school, **form.values())


class TemplateUpdateView(TemplateCreateView):
    permission_required = "safety.change_checklisttemplate"
    extra_context = {"title": _("Edit checklist")}

    def perform(self, form: TemplateForm) -> ChecklistTemplate:
        return services.template_update(actor=self.request.user, template=self.object, **form.values())


class TemplatesInstallView(ScopedMixin, TemplateView):
    """POST: install the default checklists of a primary school."""

    model = ChecklistTemplate
    permission_required = "safety.add_checklisttemplate"
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        installed = services.templates_install_defaults(actor=request.user, school=request.user.school)
        messages.success(request, _("%(count)s default checklists installed.") % {"count": len(installed)})
        return HttpResponseRedirect(reverse("safety:template_list"))


#
# Inspections
#


class RoundView(ScopedMixin, TemplateView):
    """The inspection round on a phone: today's checks place by place, then what was missed recently."""

    model = Inspection
    permission_required = "safety.add_inspection"
    template_name = "safety/round.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        day = parse_date(self.request.GET.get("date", "")) or timezone.localdate()
        user = self.request.user
        mine = self.request.GET.get("mine") == "1"
        checks = selectors.checks_due(user=user, on=day, mine=mine)
        context.update(
            day=day,
            mine=mine,
            previous=day - dt.timedelta(days=1),
            next=day + dt.timedelta(days=1),
            checks=checks,
            done=sum(1 for c in checks if c.done),
            missed=selectors.missed_checks(user=user, on=day),
        )
        return context


class InspectionCreateView(ScopedMixin, TemplateView):
    """Tick each item OK or not OK, with a note; ticked 'raise a hazard' items open hazards on saving."""

    model = Inspection
    permission_required = "safety.add_inspection"
    template_name = "safety/inspection_form.html"

    def setup_objects(self) -> None:
        params = self.request.POST if self.request.method == "POST" else self.request.GET
        user = self.request.user
        self.template = get_object_or_404(
            ChecklistTemplate.objects.visible_to(user).filter(is_active=True), pk=params.get("template") or 0
        )
        place_id = params.get("place")
        self.place = get_object_or_404(Place.objects.visible_to(user), pk=place_id) if place_id else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", InspectionForm(template=self.template))
        context.update(template=self.template, place=self.place)
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.setup_objects()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest) -> HttpResponse:
        self.setup_objects()
        form = InspectionForm(request.POST, template=self.template)
        if form.is_valid():
            try:
                inspection = services.inspection_record(
                    actor=request.user,
                    template=self.template,
                    place=self.place,
                    results=form.results(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Inspection recorded."))
                return HttpResponseRedirect(inspection.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class InspectionListView(ScopedListView):
    model = Inspection
    permission_required = "safety.view_inspection"
    filterset_class = InspectionFilter
    export_name = _("Inspection records")
    export_columns = [
        (_("Time"), lambda i: i.performed_at),
        (_("Checklist"), lambda i: i.template),
        (_("Place"), lambda i: i.place or ""),
        (_("Inspector"), lambda i: i.inspector),
        (_("Problems found"), lambda i: i.failed_count),
        (_("Note"), lambda i: i.note),
    ]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("template", "place", "inspector")


class InspectionDetailView(ScopedDetailView):
    model = Inspection
    permission_required = "safety.view_inspection"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("template", "place", "inspector")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["results"] = self.object.results.select_related("item", "hazard")
        return context


class RaiseHazardView(ActionView):
    """One tap on a failed item: a hazard opens, pre-filled, and its page is shown."""

    model = Inspection
    permission_required = "safety.add_hazard"
    success_message = _("Hazard raised.")

    def perform(self, inspection: Inspection) -> Hazard:
        result = get_object_or_404(inspection.results, pk=self.request.POST.get("result") or 0)
        return services.inspection_raise_hazard(actor=self.request.user, result=result)
