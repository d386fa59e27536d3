"""安全保卫: patrol routes and logs (E5), the guard roster and staff vetting (E5, E10), cameras and footage requests
(E7), fire records (E3) and checks of the emergency equipment at the gate."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel
from houqin.security.choices import (
    CameraStatus,
    CheckResult,
    EquipmentKind,
    FootageKind,
    PatrolStatus,
    RequestStatus,
    VettingResult,
)

USER = settings.AUTH_USER_MODEL


class PatrolRoute(SchoolOwnedModel):
    """A round the guards walk, through ordered checkpoints. Key-area routes count towards the daily minimum;
    dorm-night routes towards the boarding school's night patrols."""

    name = models.CharField(_("name"), max_length=100)
    is_key_area = models.BooleanField(_("key area"), default=False)
    is_dorm_night = models.BooleanField(_("dorm night patrol"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("patrol route")
        verbose_name_plural = _("patrol routes")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("security:route_detail", args=[self.pk])


class Checkpoint(SchoolOwnedModel):
    route = models.ForeignKey(PatrolRoute, on_delete=models.CASCADE, related_name="checkpoints")
    position = models.PositiveSmallIntegerField(_("order"))
    place = models.ForeignKey(
        "orgs.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    name = models.CharField(_("checkpoint"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["route", "position", "id"]

    def __str__(self) -> str:
        return self.name or str(self.place)


class PatrolLog(SchoolOwnedModel):
    """One walk of a route: started, each checkpoint ticked, finished."""

    route = models.ForeignKey(PatrolRoute, on_delete=models.PROTECT, related_name="logs", verbose_name=_("route"))
    patroller = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("patroller"))
    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PatrolStatus.choices, default=PatrolStatus.IN_PROGRESS
    )
    is_key_area = models.BooleanField(_("key area"), default=False)  # copied from the route when started
    is_dorm_night = models.BooleanField(_("dorm night patrol"), default=False)

    class Meta:
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["school", "started_at"], name="security_patrol_day_idx")]

    def __str__(self) -> str:
        return f"{self.route} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("security:patrol_detail", args=[self.pk])


class PatrolCheck(SchoolOwnedModel):
    log = models.ForeignKey(PatrolLog, on_delete=models.CASCADE, related_name="checks")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("checked at"))
    hazard = models.ForeignKey(
        "safety.Hazard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("hazard")
    )

    class Meta:
        verbose_name = _("checkpoint tick")
        verbose_name_plural = _("checkpoint ticks")
        ordering = ["log", "checkpoint__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["log", "checkpoint"],
                name="security_check_once_per_patrol",
                violation_error_message=_("This checkpoint is already ticked."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint}: {self.get_result_display()}"


class VettingCheck(SchoolOwnedModel):
    """A criminal-record check of a member of staff (E10); one is needed every calendar year."""

    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    checked_on = models.DateField(_("checked on"))
    result = models.CharField(_("result"), max_length=10, choices=VettingResult.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("criminal-record check")
        verbose_name_plural = _("criminal-record checks")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.checked_on}"

    def get_absolute_url(self) -> str:
        return reverse("security:vetting_list")


class GuardShift(SchoolOwnedModel):
    """One guard on duty at the gatehouse on a day, from–to; an end at or before the start runs past midnight."""

    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("guard"))
    day = models.DateField(_("date"), db_index=True)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("to"))

    class Meta:
        verbose_name = _("guard shift")
        verbose_name_plural = _("guard roster")
        ordering = ["-day", "starts", "id"]

    def __str__(self) -> str:
        return f"{self.day} {self.starts:%H:%M}–{self.ends:%H:%M} {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("security:roster")

    def interval(self) -> tuple[dt.datetime, dt.datetime]:
        """Naive start and end moments (the end on the next day for a night shift)."""
        start = dt.datetime.combine(self.day, self.starts)
        end = dt.datetime.combine(self.day, self.ends)
        return start, end if end > start else end + dt.timedelta(days=1)


class Camera(SchoolOwnedModel):
    name = models.CharField(_("name"), max_length=100)
    place = models.ForeignKey(
        "orgs.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    covers = models.CharField(_("what it covers"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=CameraStatus.choices, default=CameraStatus.WORKING)
    retention_days = models.PositiveSmallIntegerField(_("retention (days)"), default=90)
    hazard = models.ForeignKey(
        "safety.Hazard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("fault")
    )

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("security:camera_detail", args=[self.pk])


class FootageRequest(SchoolOwnedModel):
    """A request to view or export footage (E7): who asks, why, and who approved it (someone else)."""

    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="requests", verbose_name=_("camera"))
    kind = models.CharField(_("kind"), max_length=10, choices=FootageKind.choices, default=FootageKind.VIEW)
    purpose = models.CharField(_("purpose"), max_length=300)
    period_from = models.DateTimeField(_("footage from"))
    period_to = models.DateTimeField(_("footage to"))
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("footage request")
        verbose_name_plural = _("footage requests")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_footagerequest", _("Can approve footage requests"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=F("period_from")),
                name="security_footage_period_order",
                violation_error_message=_("The end of the footage is before its start."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.camera} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("security:camera_detail", args=[self.camera_id])


class FirePatrol(SchoolOwnedModel):
    """The daily fire patrol (防火巡查, E3)."""

    day = models.DateField(_("date"), db_index=True)
    patroller = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("patroller"))
    all_clear = models.BooleanField(_("all clear"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fire patrol")
        verbose_name_plural = _("fire patrols")
        ordering = ["-day", "-id"]

    def __str__(self) -> str:
        return f"{self.day}"

    def get_absolute_url(self) -> str:
        return reverse("security:fire")


class FireInspection(SchoolOwnedModel):
    """防火检查 (E3): at least one a quarter, signed by the inspector and countersigned by the department head."""

    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    department_head = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("department head")
    )
    findings = models.TextField(_("findings"), blank=True)
    head_signed_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fire inspection")
        verbose_name_plural = _("fire inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.inspected_on}"

    def get_absolute_url(self) -> str:
        return reverse("security:fire")


class FireSystemTest(SchoolOwnedModel):
    """The yearly full test report of the building fire systems (E3)."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    tested_on = models.DateField(_("tested on"))
    company = models.CharField(_("testing company"), max_length=100)
    report = models.FileField(_("report"), upload_to="security/fire/%Y/")

    class Meta:
        verbose_name = _("fire-system test")
        verbose_name_plural = _("fire-system tests")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("security:fire")


class GateEquipment(SchoolOwnedModel):
    """An asset card kept at the gate as emergency equipment, checked every `check_every_days`."""

    asset = models.OneToOneField("assets.Asset", on_delete=models.PROTECT, related_name="+", verbose_name=_("asset"))
    kind = models.CharField(_("kind"), max_length=20, choices=EquipmentKind.choices)
    check_every_days = models.PositiveSmallIntegerField(_("check every (days)"), default=30)

    class Meta:
        verbose_name = _("gate equipment")
        verbose_name_plural = _("gate equipment")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset.asset_no}"

    def get_absolute_url(self) -> str:
        return reverse("security:equipment")


class EquipmentCheck(SchoolOwnedModel):
    equipment = models.ForeignKey(GateEquipment, on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField(_("checked on"))
    ok = models.BooleanField(_("in order"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by"))
    hazard = models.ForeignKey(
        "safety.Hazard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("hazard")
    )

    class Meta:
        verbose_name = _("equipment check")
        verbose_name_plural = _("equipment checks")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.equipment} {self.checked_on}"

    def get_absolute_url(self) -> str:
        return reverse("security:equipment")
