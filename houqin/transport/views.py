"""School-bus pages: the attendant's trip screen on a phone (board, alight, hand over, return, depart, close, adverse
conditions), the trip's driving record with its speeding and review (D5), today's trips, routes with stops and
riders, buses and drivers with what is expired, the waiting room, drills."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from houqin.core.importing import ImportSpec, ImportView
from houqin.core.mixins import ActionView, ScopedDetailView, ScopedListView, ServiceFormView
from houqin.core.sensitive import mask_name
from houqin.orgs.models import Student
from houqin.transport import importing, selectors, services
from houqin.transport.choices import CHECKLIST, TripStatus
from houqin.transport.forms import DrillForm, DriverForm, RouteForm, TripForm, VehicleForm, WaitingForm
from houqin.transport.models import BusDrill, Driver, Rider, Route, Stop, Trip, Vehicle, WaitingSession

#
# Trips
#


class TripListView(ScopedListView):
    """A day's trips (today by default): the attendant sees their own, the safety officer all of them."""

    model = Trip
    permission_required = "transport.attend_trip"

    def day(self) -> Any:
        return parse_date(self.request.GET.get("date") or "") or timezone.localdate()

    def get_queryset(self) -> QuerySet:
        return selectors.trips(user=self.request.user, date=self.day())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(day=self.day(), **kwargs)


class TripCreateView(ServiceFormView):
    model = Trip
    permission_required = "transport.add_trip"
    form_class = TripForm
    template_name = "transport/form.html"
    extra_context = {"title": _("Plan a trip")}
    success_message = _("Trip planned.")

    def perform(self, form: TripForm) -> Trip:
        return services.trip_plan(actor=self.request.user, **form.cleaned_data)


class TripDetailView(ScopedDetailView):
    """The attendant's screen: counts always in view, one tap per student, the checklist, the close."""

    model = Trip
    permission_required = "transport.attend_trip"

    def get_queryset(self) -> QuerySet:
        return selectors.trip_scope(user=self.request.user)

    def get_object(self, queryset: QuerySet | None = None) -> Trip:
        trip = super().get_object(queryset)
        if not selectors.can_see_trip(self.request.user, trip):
            raise PermissionDenied
        return trip

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        trip, user = self.object, self.request.user
        context["roster"] = selectors.roster(trip)
        context["checklist"] = CHECKLIST
        context["stops"] = list(trip.route.stops.all())
        context["can_record"] = trip.status != TripStatus.CLOSED and (
            user.person_id == trip.attendant_id or user.has_perm("transport.change_trip")
        )
        context["can_tag"] = user.person_id == trip.attendant_id or user.has_perm("transport.change_trip")
        if user.has_perm("transport.view_speedrecord"):
            speed = selectors.speeding_summary(trip)
            context["speed"] = speed
            context["can_import"] = user.has_perm("transport.add_speedrecord") and trip.status != TripStatus.PLANNED
            context["can_review"] = user.has_perm("transport.add_speedingreview") and speed.unreviewed > 0
        return context


class TripActionView(ActionView):
    model = Trip
    permission_required = "transport.attend_trip"

    def scoped_queryset(self) -> QuerySet:
        return selectors.trip_scope(user=self.request.user)


class TripDepartView(TripActionView):
    success_message = _("The bus has departed.")

    def perform(self, trip: Trip) -> Any:
        ticked = {name: self.request.POST.get(name) == "on" for name, _label in CHECKLIST}
        doors = self.request.POST.get("doors_and_belts") == "on"
        return services.trip_depart(actor=self.request.user, trip=trip, doors_and_belts=doors, **ticked)


class TripRecordView(TripActionView):
    """One tap on a student's row: 上车, 下车, 交给家长 or 返校."""

    success_message = _("Recorded.")

    def perform(self, trip: Trip) -> Any:
        post, user = self.request.POST, self.request.user
        ids = [int(v) for v in post.getlist("student_id") if v.isdigit()]
        stop = Stop.objects.filter(route_id=trip.route_id, pk=post.get("stop") or 0).first()
        action = post.get("action")
        if action == "board":
            services.trip_board(actor=user, trip=trip, student_ids=ids, extra=post.get("extra") == "on")
        elif action == "alight":
            services.trip_alight(actor=user, trip=trip, student_ids=ids, stop=stop)
        elif action == "hand_over":
            services.trip_hand_over(
                actor=user,
                trip=trip,
                student_ids=ids,
                stop=stop,
                receiver_name=post.get("receiver_name", ""),
                receiver_relation=post.get("receiver_relation", ""),
            )
        elif action == "return":
            services.trip_return(actor=user, trip=trip, student_ids=ids)
        else:
            raise ValidationError(_t("Choose what happened."))


class TripCloseView(TripActionView):
    success_message = _("Trip closed: no child left on the bus.")

    def perform(self, trip: Trip) -> Any:
        confirmed = self.request.POST.get("no_child_left") == "on"
        return services.trip_close(actor=self.request.user, trip=trip, no_child_left=confirmed)


class TripConditionsView(TripActionView):
    """The attendant tags the trip with adverse road or weather conditions (or clears the tag)."""

    success_message = _("Conditions saved.")

    def perform(self, trip: Trip) -> Any:
        text = self.request.POST.get("adverse_conditions", "")
        return services.trip_set_conditions(actor=self.request.user, trip=trip, adverse_conditions=text)


class SpeedingReviewView(TripActionView):
    """The safety officer notes what was done about the trip's speeding."""

    permission_required = "transport.add_speedingreview"
    success_message = _("Speeding reviewed.")

    def perform(self, trip: Trip) -> Any:
        services.speeding_review(actor=self.request.user, trip=trip, note=self.request.POST.get("note", ""))


class TelemetryImportView(ImportView):
    """The trip's driving record from an Excel export of the bus's GPS: preview, then all rows or none."""

    model = Trip
    permission_required = "transport.add_speedrecord"
    template_name = "orgs/import.html"
    success_url_name = "transport:trip_list"  # replaced by the trip page in confirm()

    @property
    def trip(self) -> Trip:
        if not hasattr(self, "_trip"):
            self._trip = get_object_or_404(selectors.trip_scope(user=self.request.user), pk=self.kwargs["pk"])
        return self._trip

    @property
    def spec(self) -> ImportSpec:  # type: ignore[override]
        return importing.telemetry_spec(self.trip)

    def refused(self) -> HttpResponse | None:
        if self.trip.status == TripStatus.PLANNED:
            messages.error(self.request, _t(services.NOT_DEPARTED))
            return HttpResponseRedirect(self.trip.get_absolute_url())
        return None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refused() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.refused() or super().post(request, *args, **kwargs)

    def confirm(self) -> HttpResponse:
        response = super().confirm()
        if isinstance(response, HttpResponseRedirect):
            return HttpResponseRedirect(self.trip.get_absolute_url())
        return response


#
# Routes and riders
#


class RouteListView(ScopedListView):
    model = Route
    permission_required = "transport.view_route"
    search_fields = ("name", "provider")

    def get_queryset(self) -> QuerySet:
        return selectors.routes(user=self.request.user)


class RouteCreateView(ServiceFormView):
    model = Route
    permission_required = "transport.add_route"
    form_class = RouteForm
    template_name = "transport/form.html"
    extra_context = {"title": _("New route")}

    def perform(self, form: RouteForm) -> Route:
        return services.route_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class RouteDetailView(ScopedDetailView):
    model = Route
    permission_required = "transport.view_route"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        route = self.object
        context["stops"] = list(route.stops.all())
        context["riders"] = selectors.riders(user=self.request.user, route=route)
        context["problems"] = selectors.route_problems(route)
        context["students"] = Student.objects.visible_to(self.request.user).filter(is_active=True)
        return context


class StopAddView(ActionView):
    model = Route
    permission_required = "transport.change_route"
    success_message = _("Stop added.")

    def perform(self, route: Route) -> Any:
        post = self.request.POST
        time = post.get("time") or None
        services.stop_add(actor=self.request.user, route=route, name=post.get("name", ""), time=time)


class RiderAddView(ActionView):
    model = Route
    permission_required = "transport.change_route"
    success_message = _("Rider added.")

    def perform(self, route: Route) -> Any:
        post = self.request.POST
        student = Student.objects.visible_to(self.request.user).filter(pk=post.get("student") or 0).first()
        if student is None:
            raise ValidationError(_t("Choose a student."))
        stop = Stop.objects.filter(route=route, pk=post.get("stop") or 0).first()
        guardians = []
        if post.get("guardian_name", "").strip():
            guardians.append(
                {
                    "name": post["guardian_name"].strip(),
                    "relation": post.get("guardian_relation", "").strip(),
                    "phone": post.get("guardian_phone", "").strip(),
                }
            )
        services.rider_add(actor=self.request.user, route=route, student=student, stop=stop, guardians=guardians)


class RiderListView(ScopedListView):
    """Riders of every route, or a head teacher's own class; names are masked in the export."""

    model = Rider
    permission_required = "transport.view_rider"
    template_name = "transport/rider_list.html"
    search_fields = ("student__name",)
    export_name = _("Bus riders")
    export_columns = [
        (_("Route"), lambda r: r.route),
        (_("Stop"), lambda r: r.stop or ""),
        (_("Class"), lambda r: r.student.school_class),
        (_("Student"), lambda r: mask_name(r.student.name)),
        (_("Guardians"), lambda r: "、".join(f"{g} {g.phone_masked}" for g in r.guardians.all())),
    ]

    def scoped_queryset(self) -> QuerySet:
        return selectors.riders(user=self.request.user)

    def get_queryset(self) -> QuerySet:
        rows = self.scoped_queryset()
        q = self.request.GET.get("q", "").strip()
        return rows.filter(student__name__icontains=q) if q else rows


#
# Buses and drivers
#


class ComplianceListView(ScopedListView):
    """A list with, per row, what is missing or expired today."""

    def problems(self, obj: Any, today: Any, book: selectors.RuleBook) -> list[str]:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today, book = timezone.localdate(), selectors.RuleBook()
        context["rows"] = [(obj, self.problems(obj, today, book)) for obj in context["object_list"]]
        return context


class VehicleListView(ComplianceListView):
    model = Vehicle
    permission_required = "transport.view_vehicle"
    search_fields = ("plate", "operator")

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("school")

    def problems(self, obj: Any, today: Any, book: selectors.RuleBook) -> list[str]:
        return selectors.vehicle_problems(obj, today, book)


class VehicleCreateView(ServiceFormView):
    model = Vehicle
    permission_required = "transport.add_vehicle"
    form_class = VehicleForm
    template_name = "transport/form.html"
    extra_context = {"title": _("New bus")}

    def perform(self, form: VehicleForm) -> Vehicle:
        return services.vehicle_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("transport:vehicle_list")


class VehicleUpdateView(VehicleCreateView):
    permission_required = "transport.change_vehicle"
    extra_context = {"title": _("Edit bus")}

    def perform(self, form: VehicleForm) -> Vehicle:
        return services.vehicle_update(actor=self.request.user, vehicle=self.object, **form.cleaned_data)


class DriverListView(ComplianceListView):
    model = Driver
    permission_required = "transport.view_driver"
    search_fields = ("name",)

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("school")

    def problems(self, obj: Any, today: Any, book: selectors.RuleBook) -> list[str]:
        return selectors.driver_problems(obj, today, book)


class DriverCreateView(ServiceFormView):
    model = Driver
    permission_required = "transport.add_driver"
    form_class = DriverForm
    template_name = "transport/form.html"
    extra_context = {"title": _("New driver")}

    def perform(self, form: DriverForm) -> Driver:
        return services.driver_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("transport:driver_list")


class DriverUpdateView(DriverCreateView):
    permission_required = "transport.change_driver"
    extra_context = {"title": _("Edit driver")}

    def perform(self, form: DriverForm) -> Driver:
        return services.driver_update(actor=self.request.user, driver=self.object, **form.cleaned_data)


#
# The waiting room for the second trip
#


class WaitingListView(ScopedListView):
    model = WaitingSession
    permission_required = "transport.view_waitingsession"

    def get_queryset(self) -> QuerySet:
        return selectors.waiting_sessions(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("transport.add_waitingsession"):
            context["form"] = WaitingForm(user=self.request.user)
        return context

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        from django.contrib import messages
        from django.http import HttpResponseRedirect

        from houqin.core.mixins import apply_validation_error

        if not request.user.has_perm("transport.add_waitingsession"):
            raise PermissionDenied
        form = WaitingForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.waiting_open(
                    actor=request.user,
                    school=request.user.school,
                    date=data["date"],
                    room=data["room"],
                    teacher=data["teacher"],
                    route=data["route"],
                    student_ids=[s.pk for s in data["students"]],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _t("Saved."))
                return HttpResponseRedirect(session.get_absolute_url())
        self.object_list = self.get_queryset()
        context = self.get_context_data()
        context["form"] = form
        return self.render_to_response(context)


class WaitingDetailView(ScopedDetailView):
    model = WaitingSession
    permission_required = "transport.view_waitingsession"

    def get_queryset(self) -> QuerySet:
        return selectors.waiting_sessions(user=self.request.user)


class WaitingSignOffView(ActionView):
    model = WaitingSession
    permission_required = "transport.view_waitingsession"
    success_message = _("Signed off.")

    def perform(self, session: WaitingSession) -> Any:
        ids = [int(v) for v in self.request.POST.getlist("student_id") if v.isdigit()]
        services.waiting_sign_off(actor=self.request.user, session=session, student_ids=ids)


#
# Drills (D7)
#


class DrillListView(ScopedListView):
    model = BusDrill
    permission_required = "transport.view_busdrill"

    def get_queryset(self) -> QuerySet:
        return selectors.drills(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        school = self.request.user.school
        context["count"] = selectors.drill_count(school=school) if school is not None else None
        return context


class DrillCreateView(ServiceFormView):
    model = BusDrill
    permission_required = "transport.add_busdrill"
    form_class = DrillForm
    template_name = "transport/form.html"
    extra_context = {"title": _("Record a school-bus drill")}

    def perform(self, form: DrillForm) -> BusDrill:
        return services.drill_record(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)
