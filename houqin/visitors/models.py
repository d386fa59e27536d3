"""The gate: visitor register, blacklist, staff going-out register."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from houqin.core.models import PinyinIndexed, SchoolOwnedModel
from houqin.core.sensitive import mask_name, mask_phone
from houqin.visitors.choices import GatePassStatus, IdType, VehicleStatus

USER = settings.AUTH_USER_MODEL

id_tail_validator = RegexValidator(
    r"^[0-9A-Za-z]{0,6}$", _("Write only the last digits of the document (at most 6 letters or digits).")
)
phone_validator = RegexValidator(r"^[0-9+\- ]{5,20}$", _("Enter a phone number."))


class Visit(SchoolOwnedModel):
    """A visitor's entry (E6): who, checked against what document, to see whom, confirmed by phone with the host,
    in and out. Personal data is anonymised after the retention period unless the visit is linked to an incident."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, validators=[phone_validator])
    id_type = models.CharField(_("document"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_tail = models.CharField(_("last digits"), max_length=6, blank=True, validators=[id_tail_validator])
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    party_size = models.PositiveSmallIntegerField(_("number of people"), default=1)
    purpose = models.CharField(_("purpose"), max_length=200)
    host = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("host"))
    host_confirmed_by = models.CharField(
        _("confirmed by phone with"), max_length=50, help_text=_("who confirmed the visit by phone")
    )
    host_confirmed_at = models.DateTimeField(_("confirmed at"))
    vehicle_plate = models.CharField(_("vehicle plate"), max_length=20, blank=True)
    entered_at = models.DateTimeField(_("entered at"), db_index=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by"))
    blacklist_hit = models.CharField(_("blacklist warning"), max_length=300, blank=True)
    incident_flag = models.BooleanField(_("linked to an incident"), default=False)
    incident_note = models.CharField(_("incident"), max_length=300, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-entered_at", "-id"]
        permissions = [("flag_visit", _("Can link visits to an incident"))]
        indexes = [models.Index(fields=["school", "left_at"], name="visitors_visit_on_campus_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=F("entered_at")),
                name="visitors_visit_leaves_after_entering",
                violation_error_message=_("A visitor cannot leave before entering."),
            ),
            models.CheckConstraint(
                condition=Q(party_size__gte=1),
                name="visitors_visit_party_size_positive",
                violation_error_message=_("At least one person."),
            ),
        ]

    def __str__(self) -> str:
        # The audit trail keeps this text: a masked name only.
        return f"{timezone.localtime(self.entered_at):%Y-%m-%d %H:%M} {mask_name(self.name)}"

    def get_absolute_url(self) -> str:
        return reverse("visitors:visit_detail", args=[self.pk])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_masked(self) -> str:
        return f"****{self.id_tail}" if self.id_tail else ""

    @property
    def on_campus(self) -> bool:
        return self.left_at is None


class BlacklistEntry(PinyinIndexed, SchoolOwnedModel):
    """Someone the guard must be warned about (a court order, a past incident), matched by name, phone or ID."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    id_tail = models.CharField(_("last digits"), max_length=6, blank=True, validators=[id_tail_validator])
    reason = models.CharField(_("reason"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("blacklist entry")
        verbose_name_plural = _("blacklist")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("visitors:blacklist_update", args=[self.pk])

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class StaffOuting(SchoolOwnedModel):
    """校内人员外出登记: a member of staff leaving campus during working hours, approved by a leader."""

    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("who"))
    reason = models.CharField(_("reason"), max_length=200)
    approved_by = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    out_at = models.DateTimeField(_("out at"))
    expected_back_at = models.DateTimeField(_("expected back"), null=True, blank=True)
    back_at = models.DateTimeField(_("back at"), null=True, blank=True)
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by"))

    class Meta:
        verbose_name = _("staff going out")
        verbose_name_plural = _("staff going out")
        ordering = ["-out_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(back_at__isnull=True) | Q(back_at__gte=F("out_at")),
                name="visitors_outing_back_after_out",
                violation_error_message=_("Nobody comes back before going out."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {timezone.localtime(self.out_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("visitors:outing_list")


class GatePass(SchoolOwnedModel):
    """出门证: an asset leaves campus only on a pass linked to its card, approved by a leader; the guard checks it
    out and back in at the gate."""

    number = models.CharField(_("number"), max_length=20, editable=False)
    asset = models.ForeignKey("assets.Asset", on_delete=models.PROTECT, related_name="+", verbose_name=_("asset"))
    reason = models.CharField(_("reason"), max_length=200)
    destination = models.CharField(_("destination"), max_length=100, blank=True)
    expected_back_on = models.DateField(_("expected back"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GatePassStatus.choices, default=GatePassStatus.REQUESTED
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"))
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    out_at = models.DateTimeField(_("out at"), null=True, blank=True)
    back_at = models.DateTimeField(_("back at"), null=True, blank=True)

    class Meta:
        verbose_name = _("gate pass")
        verbose_name_plural = _("gate passes")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_gatepass", _("Can approve gate passes"))]

    def __str__(self) -> str:
        return f"{self.number} {self.asset.name}"

    def get_absolute_url(self) -> str:
        return reverse("visitors:gatepass_detail", args=[self.pk])


class VehicleEntry(SchoolOwnedModel):
    """An outside vehicle (E6): approved before the guard lets it in."""

    plate = models.CharField(_("vehicle plate"), max_length=20)
    driver = models.CharField(_("driver"), max_length=50)
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=VehicleStatus.choices, default=VehicleStatus.REQUESTED
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"))
    approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outside vehicle")
        verbose_name_plural = _("outside vehicles")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_vehicleentry", _("Can approve outside vehicles"))]

    def __str__(self) -> str:
        return self.plate

    def get_absolute_url(self) -> str:
        return reverse("visitors:vehicle_list")
