"""The school bus: vehicles, drivers, routes with stops and riders, trips with their boarding ledger, the waiting
room for the second trip, and school-bus drills."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from houqin.core.models import AppendOnlyModel, SchoolOwnedModel, StatusFlow
from houqin.core.sensitive import mask_phone
from houqin.transport.choices import TRANSITIONS, Direction, EventKind, RoadType, TripStatus

USER = settings.AUTH_USER_MODEL


class Vehicle(SchoolOwnedModel):
    """A school bus and the papers that must be valid on every trip date (D1)."""

    plate = models.CharField(_("plate"), max_length=20)
    seats = models.PositiveSmallIntegerField(
        _("rated seats"), help_text=_("student seats; the front passenger seat is never one of them")
    )
    model_name = models.CharField(_("model"), max_length=60, blank=True)
    operator = models.CharField(_("owner or operator"), max_length=100, blank=True)
    sign_valid_until = models.DateField(_("school-bus sign valid until"), null=True, blank=True)
    last_inspection_on = models.DateField(_("last safety inspection"), null=True, blank=True)
    insurance_until = models.DateField(_("carrier liability insurance until"), null=True, blank=True)
    kit_checked_on = models.DateField(
        _("safety kit checked on"), null=True, blank=True, help_text=_("escape hammer, extinguisher, first-aid kit")
    )
    gps_ok = models.BooleanField(_("GPS with driving records works"), default=False)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("school bus")
        verbose_name_plural = _("school buses")
        ordering = ["plate", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "plate"],
                name="transport_vehicle_unique_plate",
                violation_error_message=_("A bus with this plate already exists."),
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="transport_vehicle_has_seats",
                violation_error_message=_("A bus has at least one seat."),
            ),
        ]

    def __str__(self) -> str:
        return self.plate

    def get_absolute_url(self) -> str:
        return reverse("transport:vehicle_update", args=[self.pk])


class Driver(SchoolOwnedModel):
    """A school-bus driver and what makes them fit to drive on a given day (D2)."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    person = models.ForeignKey(
        "orgs.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("staff record"),
    )
    birth_date = models.DateField(_("date of birth"))
    licence_since = models.DateField(_("licensed since"))
    has_endorsement = models.BooleanField(_("school-bus endorsement"), default=False)
    annual_review_until = models.DateField(_("annual review valid until"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("transport:driver_update", args=[self.pk])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Route(SchoolOwnedModel):
    """A bus route with its bus and driver; an outsourced route needs its filed responsibility agreement (D6)."""

    name = models.CharField(pgettext_lazy("thing", "name"), max_length=60)
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="routes", verbose_name=_("bus"))
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="routes", verbose_name=_("driver"))
    trip_number = models.PositiveSmallIntegerField(
        _("trip"), default=1, choices=[(1, _("First trip")), (2, _("Second trip"))]
    )
    is_outsourced = models.BooleanField(_("outsourced"), default=False)
    provider = models.CharField(_("bus company"), max_length=100, blank=True)
    agreement_filed_on = models.DateField(_("responsibility agreement filed with the bureau on"), null=True, blank=True)
    is_active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="transport_route_unique_name",
                violation_error_message=_("A route with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("transport:route_detail", args=[self.pk])


class Stop(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops", verbose_name=_("route"))
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("stop"), max_length=60)
    time = models.TimeField(_("time"), null=True, blank=True)

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["route", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Rider(SchoolOwnedModel):
    """A student who rides a route, the stop where they get on and off, and who may receive them."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="riders", verbose_name=_("route"))
    student = models.ForeignKey("orgs.Student", on_delete=models.CASCADE, related_name="+", verbose_name=_("student"))
    stop = models.ForeignKey(
        Stop, null=True, blank=True, on_delete=models.SET_NULL, related_name="riders", verbose_name=_("stop")
    )

    class Meta:
        verbose_name = _("rider")
        verbose_name_plural = _("riders")
        ordering = ["route", "stop__order", "student__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "student"],
                name="transport_rider_once_per_route",
                violation_error_message=_("This student already rides this route."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} {self.student}"


class Guardian(models.Model):
    """A guardian registered for the bus: low grades are handed over only to one of them."""

    rider = models.ForeignKey(Rider, on_delete=models.CASCADE, related_name="guardians", verbose_name=_("rider"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=20)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["rider", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.relation}）"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Trip(StatusFlow, SchoolOwnedModel):
    """One run of a route on one day with its attendant (随车照管人员), the departure checks and the close."""

    transitions = TRANSITIONS

    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="trips", verbose_name=_("route"))
    date = models.DateField(_("date"), db_index=True)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="trips", verbose_name=_("bus"))
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="trips", verbose_name=_("driver"))
    attendant = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("attendant")
    )
    status = models.CharField(_("status"), max_length=20, choices=TripStatus.choices, default=TripStatus.PLANNED)
    check_brakes = models.BooleanField(_("Brakes"), default=False)
    check_steering = models.BooleanField(_("Steering"), default=False)
    check_lights = models.BooleanField(_("Lights"), default=False)
    check_tyres = models.BooleanField(_("Tyres"), default=False)
    check_emergency_door = models.BooleanField(_("Emergency door"), default=False)
    check_seats = models.BooleanField(_("Seats"), default=False)
    check_belts = models.BooleanField(_("Seat belts"), default=False)
    doors_and_belts = models.BooleanField(_("doors closed, belts fastened"), default=False)
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    mismatch_at = models.DateTimeField(_("mismatch raised at"), null=True, blank=True)
    mismatch_note = models.CharField(_("mismatch"), max_length=300, blank=True)
    no_child_left = models.BooleanField(_("no child left on the bus"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    adverse_conditions = models.CharField(
        _("adverse road or weather conditions"),
        max_length=200,
        blank=True,
        help_text=_("e.g. rain, fog, ice, sharp bends; blank when none. The speed limit is then 20 km/h (D5)."),
    )

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        ordering = ["-date", "route__name", "direction", "id"]
        permissions = [("attend_trip", _("Can record boarding on the trips they accompany"))]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "date", "direction"],
                name="transport_trip_once_a_day",
                violation_error_message=_("This route already has this trip on that day."),
            ),
        ]
        indexes = [models.Index(fields=["school", "date", "status"], name="transport_trip_day_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.route} {self.get_direction_display()}"

    def get_absolute_url(self) -> str:
        return reverse("transport:trip_detail", args=[self.pk])


class TripEvent(AppendOnlyModel):
    """The trip's ledger: one student on or off the bus, where, and (for a hand-over) to whom."""

    school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="+")
    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, related_name="events", verbose_name=_("trip"))
    student = models.ForeignKey("orgs.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("student"))
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    stop = models.ForeignKey(Stop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    receiver_name = models.CharField(_("received by"), max_length=50, blank=True)
    receiver_relation = models.CharField(_("relation"), max_length=20, blank=True)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("trip event")
        verbose_name_plural = _("trip events")
        ordering = ["trip", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trip", "student", "kind"],
                name="transport_event_once_per_kind",
                violation_error_message=_("Already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trip_id} {self.student_id} {self.kind}"


class SpeedRecord(AppendOnlyModel):
    """One point of the bus's driving record (imported telemetry), with the limit that applied when it was stored
    and whether it was over it (D5)."""

    school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="+")
    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, related_name="speed_records", verbose_name=_("trip"))
    recorded_at = models.DateTimeField(_("recorded at"))
    speed_kmh = models.DecimalField(_("speed (km/h)"), max_digits=4, decimal_places=1)
    road_type = models.CharField(_("road"), max_length=20, choices=RoadType.choices, default=RoadType.OTHER)
    location = models.CharField(_("location"), max_length=200, blank=True)
    limit_kmh = models.PositiveSmallIntegerField(_("speed limit (km/h)"))
    is_speeding = models.BooleanField(_("speeding"), default=False)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by"))

    class Meta:
        verbose_name = _("speed record")
        verbose_name_plural = _("speed records")
        ordering = ["trip", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trip", "recorded_at"],
                name="transport_speed_once_per_time",
                violation_error_message=_("A speed record at this time already exists for this trip."),
            ),
            models.CheckConstraint(
                condition=Q(speed_kmh__gte=0) & Q(speed_kmh__lte=200),
                name="transport_speed_in_range",
                violation_error_message=_("The speed must be from 0 to 200 km/h."),
            ),
        ]
        indexes = [models.Index(fields=["trip", "is_speeding"], name="transport_speed_flag_idx")]

    def __str__(self) -> str:
        return f"{self.trip_id} {self.recorded_at:%H:%M:%S} {self.speed_kmh}"


class SpeedingReview(AppendOnlyModel):
    """The safety officer's note on what was done about a trip's speeding; it covers the flagged records up to
    `through_record` (later imports are reviewed again)."""

    school = models.ForeignKey("orgs.School", on_delete=models.PROTECT, related_name="+")
    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, related_name="speeding_reviews", verbose_name=_("trip"))
    through_record = models.ForeignKey(SpeedRecord, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("what was done"))
    at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by"))

    class Meta:
        verbose_name = _("speeding review")
        verbose_name_plural = _("speeding reviews")
        ordering = ["trip", "at", "id"]

    def __str__(self) -> str:
        return f"{self.trip_id} {self.at:%Y-%m-%d}"


class WaitingSession(SchoolOwnedModel):
    """Students waiting for the second trip: in which room, under which teacher, on which day."""

    date = models.DateField(_("date"))
    route = models.ForeignKey(
        Route, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("second-trip route")
    )
    room = models.ForeignKey("orgs.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("room"))
    teacher = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("teacher"))

    class Meta:
        verbose_name = _("waiting room")
        verbose_name_plural = _("waiting rooms")
        ordering = ["-date", "id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.room}"

    def get_absolute_url(self) -> str:
        return reverse("transport:waiting_detail", args=[self.pk])


class WaitingStudent(models.Model):
    session = models.ForeignKey(WaitingSession, on_delete=models.CASCADE, related_name="students")
    student = models.ForeignKey("orgs.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("student"))
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    trip = models.ForeignKey(Trip, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["session", "student__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="transport_waiting_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.student}"


class BusDrill(SchoolOwnedModel):
    """A school-bus emergency drill (D7): counted per semester against the setting."""

    held_on = models.DateField(_("held on"))
    route = models.ForeignKey(
        Route, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("route")
    )
    vehicle = models.ForeignKey(
        Vehicle, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("bus")
    )
    participants = models.PositiveIntegerField(_("participants"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("school-bus drill")
        verbose_name_plural = _("school-bus drills")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("transport:drill_list")
