"""Gate pages for the guard on a phone: who is on campus, register a visitor, staff going out; the blacklist."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from houqin.core.mixins import ActionView, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormView
from houqin.visitors import selectors, services
from houqin.visitors.choices import GatePassStatus
from houqin.visitors.forms import BlacklistForm, FlagForm, GatePassForm, OutingForm, VehicleForm, VisitForm
from houqin.visitors.models import BlacklistEntry, GatePass, StaffOuting, VehicleEntry, Visit


class GateView(ScopedMixin, TemplateView):
    """The guard's page: visitors on campus with a leave button each, and staff who are out."""

    model = Visit
    permission_required = "visitors.view_visit"
    template_name = "visitors/gate.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["visits"] = selectors.on_campus(user=user)
        if user.has_perm("visitors.view_staffouting"):
            context["outings"] = selectors.outings(user=user, out_only=True)
        return context


class VisitCreateView(ServiceFormView):
    model = Visit
    permission_required = "visitors.add_visit"
    form_class = VisitForm
    template_name = "visitors/visit_form.html"
    success_message = _("Visitor registered.")

    def perform(self, form: VisitForm) -> Visit:
        try:
            return services.visit_register(actor=self.request.user, school=self.request.user.school, **form.values())
        except ValidationError as error:
            form.blacklist_warning = getattr(error, "code", None) == "blacklisted"
            raise

    def get_success_url(self) -> str:
        return reverse("visitors:gate")


class VisitListView(ScopedListView):
    """The visitor log; phone numbers stay masked here and in the export."""

    model = Visit
    permission_required = "visitors.view_visit"
    search_fields = ("name", "purpose", "host__name")
    export_name = _("Visitor log")
    export_columns = [
        (_("Entered at"), lambda v: v.entered_at),
        (_("Left at"), lambda v: v.left_at),
        (_("Name"), lambda v: v.name),
        (_("Phone"), lambda v: v.phone_masked),
        (_("Document"), lambda v: v.get_id_type_display()),
        (_("Last digits"), lambda v: v.id_masked),
        (_("Organisation"), lambda v: v.organisation),
        (_("Number of people"), lambda v: v.party_size),
        (_("Purpose"), lambda v: v.purpose),
        (_("Host"), lambda v: v.host),
        (_("Confirmed by phone with"), lambda v: v.host_confirmed_by),
        (_("Vehicle plate"), lambda v: v.vehicle_plate),
    ]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("host")


class VisitDetailView(ScopedDetailView):
    model = Visit
    permission_required = "visitors.view_visit"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["flag_form"] = FlagForm()
        return context


class VisitLeaveView(ActionView):
    model = Visit
    permission_required = "visitors.change_visit"
    success_message = _("Visitor left.")

    def perform(self, visit: Visit) -> Any:
        services.visit_leave(actor=self.request.user, visit=visit)


class VisitFlagView(ActionView):
    model = Visit
    permission_required = "visitors.flag_visit"
    success_message = _("The visit is linked to the incident and kept.")

    def perform(self, visit: Visit) -> Any:
        services.visit_flag_incident(actor=self.request.user, visit=visit, note=self.request.POST.get("note", ""))


class BlacklistView(ScopedListView):
    model = BlacklistEntry
    permission_required = "visitors.view_blacklistentry"
    template_name = "visitors/blacklist.html"


class BlacklistCreateView(ServiceFormView):
    model = BlacklistEntry
    permission_required = "visitors.add_blacklistentry"
    form_class = BlacklistForm
    template_name = "visitors/form.html"
    extra_context = {"title": _("Add to the blacklist")}

    def perform(self, form: BlacklistForm) -> BlacklistEntry:
        return services.blacklist_add(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("visitors:blacklist")


class BlacklistUpdateView(BlacklistCreateView):
    permission_required = "visitors.change_blacklistentry"
    extra_context = {"title": _("Edit blacklist entry")}

    def perform(self, form: BlacklistForm) -> BlacklistEntry:
        return services.blacklist_update(actor=self.request.user, entry=self.object, **form.cleaned_data)


class OutingListView(ScopedListView):
    model = StaffOuting
    permission_required = "visitors.view_staffouting"
    search_fields = ("person__name", "reason")
    export_name = _("Staff going out")
    export_columns = [
        (_("Who"), lambda o: o.person),
        (_("Reason"), lambda o: o.reason),
        (_("Approved by"), lambda o: o.approved_by),
        (_("Out at"), lambda o: o.out_at),
        (_("Expected back"), lambda o: o.expected_back_at),
        (_("Back at"), lambda o: o.back_at),
    ]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("person", "approved_by")


class OutingCreateView(ServiceFormView):
    model = StaffOuting
    permission_required = "visitors.add_staffouting"
    form_class = OutingForm
    template_name = "visitors/form.html"
    success_message = _("Going out registered.")
    extra_context = {"title": _("Staff going out")}

    def perform(self, form: OutingForm) -> StaffOuting:
        return services.outing_register(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class OutingBackView(ActionView):
    model = StaffOuting
    permission_required = "visitors.change_staffouting"
    success_message = _("Back on campus.")

    def perform(self, outing: StaffOuting) -> Any:
        services.outing_return(actor=self.request.user, outing=outing)


#
# Asset gate passes and outside vehicles
#


class GatePassListView(ScopedListView):
    model = GatePass
    permission_required = "visitors.view_gatepass"
    search_fields = ("number", "asset__name", "asset__asset_no", "reason")
    export_name = _("Gate passes")
    export_columns = [
        (_("Number"), lambda p: p.number),
        (_("Asset"), lambda p: f"{p.asset.asset_no} {p.asset.name}"),
        (_("Reason"), lambda p: p.reason),
        (_("Destination"), lambda p: p.destination),
        (_("Status"), lambda p: p.get_status_display()),
        (_("Approved by"), lambda p: p.approved_by.display_name if p.approved_by else ""),
        (_("Out at"), lambda p: p.out_at),
        (_("Back at"), lambda p: p.back_at),
    ]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("asset", "approved_by")


class GatePassCreateView(ServiceFormView):
    model = GatePass
    permission_required = "visitors.add_gatepass"
    form_class = GatePassForm
    template_name = "visitors/form.html"
    success_message = _("Gate pass requested.")
    extra_context = {"title": _("Ask for a gate pass")}

    def perform(self, form: GatePassForm) -> GatePass:
        return services.gatepass_request(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class GatePassDetailView(ScopedDetailView):
    model = GatePass
    permission_required = "visitors.view_gatepass"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("asset", "requested_by", "approved_by")


class GatePassDecideView(ActionView):
    model = GatePass
    permission_required = "visitors.approve_gatepass"
    success_message = _("Decision recorded.")

    def perform(self, gatepass: GatePass) -> Any:
        approve = self.request.POST.get("decision") == GatePassStatus.APPROVED
        services.gatepass_decide(actor=self.request.user, gatepass=gatepass, approve=approve)


class GatePassOutView(ActionView):
    model = GatePass
    permission_required = "visitors.change_gatepass"
    success_message = _("Asset checked out.")

    def perform(self, gatepass: GatePass) -> Any:
        services.gatepass_check_out(actor=self.request.user, gatepass=gatepass)


class GatePassBackView(ActionView):
    model = GatePass
    permission_required = "visitors.change_gatepass"
    success_message = _("Asset back on campus.")

    def perform(self, gatepass: GatePass) -> Any:
        services.gatepass_check_back(actor=self.request.user, gatepass=gatepass)


class VehicleListView(ScopedListView):
    model = VehicleEntry
    permission_required = "visitors.view_vehicleentry"
    search_fields = ("plate", "driver", "purpose")

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("approved_by")


class VehicleCreateView(ServiceFormView):
    model = VehicleEntry
    permission_required = "visitors.add_vehicleentry"
    form_class = VehicleForm
    template_name = "visitors/form.html"
    success_message = _("Vehicle entry requested.")
    extra_context = {"title": _("Outside vehicle")}

    def perform(self, form: VehicleForm) -> VehicleEntry:
        return services.vehicle_request(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class VehicleDecideView(ActionView):
    model = VehicleEntry
    permission_required = "visitors.approve_vehicleentry"
    success_message = _("Decision recorded.")

    def perform(self, entry: VehicleEntry) -> Any:
        approve = self.request.POST.get("decision") == "approved"
        services.vehicle_decide(actor=self.request.user, entry=entry, approve=approve)


class VehicleInView(ActionView):
    model = VehicleEntry
    permission_required = "visitors.change_vehicleentry"
    success_message = _("Vehicle let in.")

    def perform(self, entry: VehicleEntry) -> Any:
        services.vehicle_let_in(actor=self.request.user, entry=entry)


class VehicleOutView(ActionView):
    model = VehicleEntry
    permission_required = "visitors.change_vehicleentry"
    success_message = _("Vehicle left.")

    def perform(self, entry: VehicleEntry) -> Any:
        services.vehicle_leave(actor=self.request.user, entry=entry)
