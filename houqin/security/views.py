"""安全保卫 pages: the safety officer's dashboard, the guard's patrol on a phone, the roster and vetting, cameras and
footage requests, fire records and the gate's emergency equipment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from houqin.core.mixins import ActionView, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormView
from houqin.security import selectors, services
from houqin.security.choices import RequestStatus
from houqin.security.forms import (
    CameraForm,
    EquipmentForm,
    FireInspectionForm,
    FirePatrolForm,
    FireTestForm,
    FootageForm,
    NoteForm,
    RouteForm,
    ShiftForm,
    TickForm,
    VettingForm,
)
from houqin.security.models import (
    Camera,
    FireInspection,
    FirePatrol,
    FireSystemTest,
    FootageRequest,
    GateEquipment,
    GuardShift,
    PatrolLog,
    PatrolRoute,
    VettingCheck,
)

FORM_TEMPLATE = "security/form.html"


class DashboardView(ScopedMixin, TemplateView):
    """Today's staffing and gaps, key-area patrols day by day, fire-record gaps, cameras and equipment."""

    model = GuardShift
    permission_required = "security.view_guardshift"
    template_name = "security/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        school = user.school
        if school is None:  # bureau staff: one line per school
            context["schools"] = [selectors.staffing(s, today) for s in school_list(user)]
            return context
        context["staffing"] = selectors.staffing(school, today)
        if user.has_perm("security.view_patrollog"):
            context["patrol_days"] = selectors.patrol_days(school, today - dt.timedelta(days=13), today)
        if user.has_perm("security.view_firepatrol"):
            context["fire_days"] = selectors.fire_missing_days(school, today - dt.timedelta(days=30), today)
            context["fire_quarters"] = selectors.fire_missing_quarters(school, today.year, today)
        context["cameras_in_fault"] = selectors.cameras_in_fault(school)
        if user.has_perm("security.view_gateequipment"):
            context["equipment_due"] = selectors.equipment_due(school, today)
        if user.has_perm("security.view_vettingcheck"):
            context["vetting_expired"] = selectors.vetting_expired(school, today)
        return context


def school_list(user: Any) -> QuerySet:
    from houqin.orgs.models import School

    return School.objects.visible_to(user).order_by("name", "id")


#
# Patrols
#


class PatrolHomeView(ScopedMixin, TemplateView):
    """The guard's page: routes to start, patrols in progress, today's count against the rule."""

    model = PatrolLog
    permission_required = "security.view_patrollog"
    template_name = "security/patrols.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["routes"] = PatrolRoute.objects.visible_to(user).filter(is_active=True)
        logs = selectors.patrols(user=user)
        context["open_logs"] = logs.filter(status="in_progress")
        context["recent"] = logs.filter(status="finished")[:20]
        if user.school is not None:
            today = timezone.localdate()
            context["today"] = selectors.patrol_days(user.school, today, today)[0]
        return context


class PatrolStartView(ActionView):
    model = PatrolRoute
    permission_required = "security.add_patrollog"
    success_message = _("Patrol started.")

    def perform(self, route: PatrolRoute) -> PatrolLog:
        return services.patrol_start(actor=self.request.user, route=route)


class PatrolDetailView(ScopedDetailView):
    model = PatrolLog
    permission_required = "security.view_patrollog"
    template_name = "security/patrol_detail.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("route", "patroller")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        checks = {c.checkpoint_id: c for c in self.object.checks.select_related("hazard")}
        points = self.object.route.checkpoints.select_related("place")
        context["points"] = [(point, checks.get(point.pk)) for point in points]
        context["all_ticked"] = len(checks) == len(context["points"])
        return context


class PatrolTickView(ActionView):
    model = PatrolLog
    permission_required = "security.change_patrollog"
    success_message = _("Checkpoint recorded.")

    def perform(self, log: PatrolLog) -> Any:
        form = TickForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose a checkpoint and a result."))
        checkpoint = get_object_or_404(log.route.checkpoints, pk=form.cleaned_data["checkpoint"])
        services.patrol_tick(
            actor=self.request.user,
            log=log,
            checkpoint=checkpoint,
            result=form.cleaned_data["result"],
            note=form.cleaned_data["note"],
        )


class PatrolFinishView(ActionView):
    model = PatrolLog
    permission_required = "security.change_patrollog"
    success_message = _("Patrol finished.")

    def perform(self, log: PatrolLog) -> Any:
        services.patrol_finish(actor=self.request.user, log=log)


class RouteListView(ScopedListView):
    model = PatrolRoute
    permission_required = "security.view_patrolroute"
    search_fields = ("name",)

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("checkpoints__place")


class RouteDetailView(ScopedDetailView):
    model = PatrolRoute
    permission_required = "security.view_patrolroute"


class RouteCreateView(ServiceFormView):
    model = PatrolRoute
    permission_required = "security.add_patrolroute"
    form_class = RouteForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": _("New patrol route")}

    def perform(self, form: RouteForm) -> PatrolRoute:
        return services.route_create(actor=self.request.user, school=self.request.user.school, **form.values())


#
# Roster and vetting
#


class RosterView(ScopedListView):
    model = GuardShift
    permission_required = "security.view_guardshift"
    template_name = "security/roster.html"
    export_name = _("Guard roster")
    export_columns = [
        (_("Date"), lambda s: s.day),
        (_("Guard"), lambda s: s.person),
        (_("From"), lambda s: s.starts.strftime("%H:%M")),
        (_("To"), lambda s: s.ends.strftime("%H:%M")),
    ]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("person").filter(day__gte=timezone.localdate())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.school is not None:
            context["staffing"] = selectors.staffing(self.request.user.school)
        return context


class ShiftCreateView(ServiceFormView):
    model = GuardShift
    permission_required = "security.add_guardshift"
    form_class = ShiftForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": _("Add a shift")}

    def perform(self, form: ShiftForm) -> GuardShift:
        return services.shift_add(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class VettingListView(ScopedListView):
    model = VettingCheck
    permission_required = "security.view_vettingcheck"
    search_fields = ("person__name",)
    export_name = _("Criminal-record checks")
    export_columns = [
        (_("Person"), lambda v: v.person),
        (_("Checked on"), lambda v: v.checked_on),
        (_("Result"), lambda v: v.get_result_display()),
    ]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("person")


class VettingCreateView(ServiceFormView):
    model = VettingCheck
    permission_required = "security.add_vettingcheck"
    form_class = VettingForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": _("Record a criminal-record check")}

    def perform(self, form: VettingForm) -> VettingCheck:
        return services.vetting_record(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


#
# Cameras and footage
#


class CameraListView(ScopedListView):
    model = Camera
    permission_required = "security.view_camera"
    search_fields = ("name", "covers")

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("place", "school")


class CameraDetailView(ScopedDetailView):
    model = Camera
    permission_required = "security.view_camera"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["requests"] = self.object.requests.select_related("requested_by", "decided_by")
        context["fault_form"] = NoteForm()
        return context


class CameraCreateView(ServiceFormView):
    model = Camera
    permission_required = "security.add_camera"
    form_class = CameraForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": _("New camera")}

    def perform(self, form: CameraForm) -> Camera:
        return services.camera_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class CameraFaultView(ActionView):
    model = Camera
    permission_required = "security.change_camera"
    success_message = _("Fault reported; a hazard was raised.")

    def perform(self, camera: Camera) -> Any:
        services.camera_report_fault(actor=self.request.user, camera=camera, note=self.request.POST.get("note", ""))


class FootageCreateView(ServiceFormView):
    model = Camera
    permission_required = "security.add_footagerequest"
    form_class = FootageForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": _("Ask to view or export footage")}

    def perform(self, form: FootageForm) -> FootageRequest:
        return services.footage_request(actor=self.request.user, camera=self.object, **form.cleaned_data)


class FootageDecideView(ActionView):
    model = FootageRequest
    permission_required = "security.approve_footagerequest"
    success_message = _("Decision recorded.")

    def perform(self, request: FootageRequest) -> Any:
        approve = self.request.POST.get("decision") == RequestStatus.APPROVED
        services.footage_decide(actor=self.request.user, request=request, approve=approve)


#
# Fire records
#


class FireView(ScopedMixin, TemplateView):
    model = FirePatrol
    permission_required = "security.view_firepatrol"
    template_name = "security/fire.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        context["patrols"] = FirePatrol.objects.visible_to(user).select_related("patroller")[:30]
        context["inspections"] = FireInspection.objects.visible_to(user).select_related("inspector", "department_head")[
            :20
        ]
        context["tests"] = FireSystemTest.objects.visible_to(user)[:10]
        if user.school is not None:
            context["missing_days"] = selectors.fire_missing_days(user.school, today - dt.timedelta(days=30), today)
            context["missing_quarters"] = selectors.fire_missing_quarters(user.school, today.year, today)
        return context


class FirePatrolCreateView(ServiceFormView):
    model = FirePatrol
    permission_required = "security.add_firepatrol"
    form_class = FirePatrolForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": _("Record today's fire patrol")}

    def get_initial(self) -> dict[str, Any]:
        return {"day": timezone.localdate(), "all_clear": True}

    def perform(self, form: FirePatrolForm) -> FirePatrol:
        return services.fire_patrol_record(
            actor=self.request.user, school=self.request.user.school, **form.cleaned_data
        )


class FireInspectionCreateView(ServiceFormView):
    model = FireInspection
    permission_required = "security.add_fireinspection"
    form_class = FireInspectionForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": _("Record a fire inspection")}

    def perform(self, form: FireInspectionForm) -> FireInspection:
        return services.fire_inspection_record(
            actor=self.request.user, school=self.request.user.school, **form.cleaned_data
        )


class FireCountersignView(ActionView):
    model = FireInspection
    permission_required = "security.view_fireinspection"
    success_message = _("Countersigned.")

    def perform(self, inspection: FireInspection) -> Any:
        try:
            services.fire_inspection_countersign(actor=self.request.user, inspection=inspection)
        except PermissionDenied as error:  # a rule about who signs, shown on the page like any other
            raise ValidationError(str(error)) from error


class FireTestCreateView(ServiceFormView):
    model = FireSystemTest
    permission_required = "security.add_firesystemtest"
    form_class = FireTestForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": _("Upload the fire-system test report"), "multipart": True}

    def perform(self, form: FireTestForm) -> FireSystemTest:
        return services.fire_test_upload(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


#
# Gate equipment
#


class EquipmentView(ScopedListView):
    model = GateEquipment
    permission_required = "security.view_gateequipment"
    template_name = "security/equipment.html"

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("asset").prefetch_related("checks")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        school = self.request.user.school
        context["due"] = {e.pk for e in selectors.equipment_due(school)} if school else set()
        return context


class EquipmentCreateView(ServiceFormView):
    model = GateEquipment
    permission_required = "security.add_gateequipment"
    form_class = EquipmentForm
    template_name = FORM_TEMPLATE
    extra_context = {"title": _("Add gate equipment")}

    def perform(self, form: EquipmentForm) -> GateEquipment:
        return services.equipment_add(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class EquipmentCheckView(ActionView):
    model = GateEquipment
    permission_required = "security.add_equipmentcheck"
    success_message = _("Check recorded.")

    def perform(self, equipment: GateEquipment) -> Any:
        ok = self.request.POST.get("ok") == "1"
        services.equipment_check(
            actor=self.request.user, equipment=equipment, ok=ok, note=self.request.POST.get("note", "")
        )
