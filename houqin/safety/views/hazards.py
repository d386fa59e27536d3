"""The hazard ledger and a hazard's steps, statistics, special campaigns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from houqin.core.mixins import (
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
)
from houqin.core.pdf import pdf_response
from houqin.safety import selectors, services
from houqin.safety.choices import HazardCategory, HazardLevel, HazardSource, HazardStatus
from houqin.safety.filters import HazardFilter
from houqin.safety.forms import (
    BureauReportForm,
    CampaignForm,
    HazardEditForm,
    HazardReportForm,
    RectifyForm,
    SuperviseForm,
    VerifyForm,
    WindowForm,
)
from houqin.safety.models import Hazard, HazardCampaign
from houqin.safety.views.common import FormActionView

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


class HazardPrintView(HazardListView):
    """The hazard ledger as a printable A4 page (the same filters as the list), with signature lines."""

    template_name = "safety/hazard_print.html"
    max_rows = 2000

    def get_paginate_by(self, queryset: Any) -> None:
        return None

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("rectified_by")[: self.max_rows]

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        if self.request.GET.get("format") == "pdf":
            return pdf_response(self.request, self.template_name, context, str(_("Hazard register")))
        return super().render_to_response(context, **response_kwargs)


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
