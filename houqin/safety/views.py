"""Safety pages: the hazard ledger and a hazard's steps, statistics, campaigns, checklists, the inspection round."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
from houqin.safety.choices import HazardCategory, HazardLevel, HazardSource, HazardStatus
from houqin.safety.filters import HazardFilter, InspectionFilter
from houqin.safety.forms import (
    BureauReportForm,
    CampaignForm,
    HazardEditForm,
    HazardReportForm,
    InspectionForm,
    RectifyForm,
    SuperviseForm,
    TemplateForm,
    VerifyForm,
    WindowForm,
)
from houqin.safety.models import ChecklistTemplate, Hazard, HazardCampaign, Inspection

#
# The hazard ledger
#


class HazardListView(ScopedListView):
    """隐患台账: filters, and the Excel export in the ledger's usual columns."""

    model = Hazard
    permission_required = "safety.view_hazard"
    filterset_class = HazardFilter
    export_name = _("Hazard register")
    export_columns = [
        (_("Number"), lambda h: h.number),
        (_("Found on"), lambda h: h.found_on),
        (_("Location"), lambda h: h.where),
        (_("Hazard"), lambda h: h.title),
        (_("Category"), lambda h: h.get_category_display()),
        (_("Level"), lambda h: h.get_level_display()),
        (_("Source"), lambda h: h.get_source_display()),
        (_("Found by"), lambda h: h.found_by),
        (_("Responsible person"), lambda h: h.responsible or ""),
        (_("Deadline"), lambda h: h.deadline),
        (_("Measures"), lambda h: h.measures),
        (_("Cost (yuan)"), lambda h: h.cost),
        (_("Rectified on"), lambda h: h.rectified_on),
        (_("Verified by"), lambda h: h.verified_by or ""),
        (_("Verified at"), lambda h: h.verified_at),
        (_("Status"), lambda h: h.get_status_display()),
    ]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("place", "responsible", "verified_by", "school")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


class HazardDetailView(ScopedDetailView):
    model = Hazard
    permission_required = "safety.view_hazard"

    def get_queryset(self) -> QuerySet:
        return (
            super()
            .get_queryset()
            .select_related("place", "responsible", "campaign", "reported_by", "rectified_by", "verified_by")
            .select_related("raised_from__inspection__template")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, hazard = self.request.user, self.object
        open_ = hazard.status != HazardStatus.CLOSED
        context.update(
            actions=hazard.actions.select_related("actor"),
            overdue=hazard.is_overdue(),
            can_edit=open_ and user.has_perm("safety.change_hazard"),
            can_rectify=hazard.status == HazardStatus.OPEN and services.may_rectify(user, hazard),
            can_verify=hazard.status == HazardStatus.RECTIFIED
            and user.has_perm("safety.verify_hazard")
            and hazard.rectified_by_id != user.pk,
            can_supervise=open_ and hazard.level != HazardLevel.GENERAL and user.has_perm("safety.change_hazard"),
            rectify_form=RectifyForm(initial={"measures": hazard.measures}),
            verify_form=VerifyForm(),
            supervise_form=SuperviseForm(),
            bureau_form=BureauReportForm(),
        )
        return context


class HazardCreateView(ServiceFormView):
    model = Hazard
    permission_required = "safety.add_hazard"
    form_class = HazardReportForm
    template_name = "safety/form.html"
    success_message = _("Hazard reported.")
    extra_context = {"title": _("Report a hazard"), "multipart": True}

    def get_initial(self) -> dict[str, Any]:
        return {key: self.request.GET[key] for key in ("campaign", "source", "place") if key in self.request.GET}

    def perform(self, form: HazardReportForm) -> Hazard:
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        return services.hazard_report(actor=self.request.user, school=self.request.user.school, **data)


class HazardUpdateView(ServiceFormView):
    model = Hazard
    permission_required = "safety.change_hazard"
    form_class = HazardEditForm
    template_name = "safety/form.html"
    extra_context = {"title": _("Edit hazard")}

    def perform(self, form: HazardEditForm) -> Hazard:
        return services.hazard_update(actor=self.request.user, hazard=self.object, **form.cleaned_data)


class FormActionView(ActionView):
    """POST a small form from a detail page; its errors come back as messages."""

    form_class: Any = None

    def perform(self, obj: Any) -> Any:
        form = self.form_class(self.request.POST, self.request.FILES)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label}: {e}" for f, errs in form.errors.items() if f in form.fields for e in errs]
            )
        return self.apply(obj, form.cleaned_data)

    def apply(self, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError


class HazardStepView(FormActionView):
    """One step of a hazard's life posted from its page: a small form, then one service call."""

    model = Hazard
    service: Callable[..., Hazard] | None = None

    def apply(self, hazard: Hazard, data: dict[str, Any]) -> Hazard:
        assert self.service is not None
        return self.service(actor=self.request.user, hazard=hazard, **data)


hazard_rectify = HazardStepView.as_view(
    permission_required="safety.view_hazard",  # the service lets only the responsible person or a manager rectify
    form_class=RectifyForm,
    service=services.hazard_rectify,
    success_message=_("Rectification recorded; waiting for verification."),
)
hazard_verify = HazardStepView.as_view(
    permission_required="safety.verify_hazard",
    form_class=VerifyForm,
    service=services.hazard_verify,
    success_message=_("Verification recorded."),
)
hazard_supervise = HazardStepView.as_view(
    permission_required="safety.change_hazard",
    form_class=SuperviseForm,
    service=services.hazard_supervise,
    success_message=_("The hazard is under supervision."),
)
hazard_report = HazardStepView.as_view(
    permission_required="safety.change_hazard",
    form_class=BureauReportForm,
    service=services.hazard_report_to_bureau,
    success_message=_("The report to the bureau is recorded."),
)


#
# Statistics
#


def labelled(rows: list[dict[str, Any]], choices: Any = None) -> list[dict[str, Any]]:
    """Each breakdown row with the label of its key (a choice label, or the key itself)."""
    names = dict(choices.choices) if choices is not None else {}
    return [{**row, "label": names.get(row["key"], row["key"])} for row in rows[:15]]


class HazardStatsView(ScopedMixin, TemplateView):
    """Found, rectified, closed, overdue and the rate for a period, by level, category, source and place, with the
    monthly trend (E2)."""

    model = Hazard
    permission_required = "safety.view_hazard"
    template_name = "safety/stats.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = WindowForm(self.request.GET or None)
        start, end = selectors.default_window(user)
        if form.is_valid():
            start, end = form.cleaned_data["start"] or start, form.cleaned_data["end"] or end
        hazards = selectors.hazards_found_between(user=user, start=start, end=end)
        by_school = user.school_id is None
        context.update(
            form=form if form.is_bound else WindowForm(initial={"start": start, "end": end}),
            start=start,
            end=end,
            stats=selectors.hazard_stats(user=user, start=start, end=end),
            breakdowns=[
                (_("By level"), labelled(selectors.hazard_breakdown(hazards, "level"), HazardLevel)),
                (_("By category"), labelled(selectors.hazard_breakdown(hazards, "category"), HazardCategory)),
                (_("By source"), labelled(selectors.hazard_breakdown(hazards, "source"), HazardSource)),
                (
                    _("By school") if by_school else _("By place"),
                    labelled(selectors.hazard_breakdown(hazards, "school__name" if by_school else "place__full_name")),
                ),
            ],
            trend=selectors.hazard_trend(hazards),
        )
        return context


#
# Campaigns
#


class CampaignListView(ScopedListView):
    model = HazardCampaign
    permission_required = "safety.view_hazardcampaign"
    search_fields = ("name", "scope")

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().annotate(found=Count("hazards")).order_by("-starts_on", "-id")


class CampaignDetailView(ScopedDetailView):
    model = HazardCampaign
    permission_required = "safety.view_hazardcampaign"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        hazards = self.object.hazards.select_related("place", "responsible")
        context["hazards"] = hazards
        context["today"] = timezone.localdate()
        context["stats"] = selectors.stats_of(hazards)
        return context


class CampaignCreateView(ServiceFormView):
    model = HazardCampaign
    permission_required = "safety.add_hazardcampaign"
    form_class = CampaignForm
    template_name = "safety/form.html"
    extra_context = {"title": _("New special campaign")}

    def perform(self, form: CampaignForm) -> HazardCampaign:
        return services.campaign_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class CampaignUpdateView(CampaignCreateView):
    permission_required = "safety.change_hazardcampaign"
    extra_context = {"title": _("Edit special campaign")}

    def perform(self, form: CampaignForm) -> HazardCampaign:
        return services.campaign_update(actor=self.request.user, campaign=self.object, **form.cleaned_data)


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
