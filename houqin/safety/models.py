"""Campus safety: checklist templates and inspections, special campaigns, the hazard register and its ledger."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import AppendOnlyModel, PinyinIndexed, SchoolOwnedModel, StatusFlow
from houqin.safety.choices import (
    HAZARD_TRANSITIONS,
    AgreementKind,
    AreaType,
    DrillKind,
    Frequency,
    HazardActionKind,
    HazardCategory,
    HazardLevel,
    HazardSource,
    HazardStatus,
    SignMethod,
)

USER = settings.AUTH_USER_MODEL


#
# Inspections (日常检查)
#


class ChecklistTemplate(PinyinIndexed, SchoolOwnedModel):
    """A checklist (检查表) for one kind of area, done at a frequency at each of the places it applies to.

    Without places it is one school-wide check per period (e.g. the monthly fire check)."""

    name = models.CharField(_("name"), max_length=100)
    area_type = models.CharField(_("area type"), max_length=20, choices=AreaType.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    places = models.ManyToManyField(
        "orgs.Place",
        blank=True,
        related_name="+",
        verbose_name=_("places"),
        help_text=_("empty: one school-wide check"),
    )
    inspector = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("inspector")
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("checks due from"), default=timezone.localdate)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["area_type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="safety_template_unique_name",
                violation_error_message=_("A checklist with this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("safety:template_detail", args=[self.pk])


class ChecklistItem(models.Model):
    """One line of a checklist. Items are retired (is_active) rather than edited, so old results keep their text."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    text = models.CharField(_("item"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Inspection(SchoolOwnedModel):
    """One check done with a checklist at one place (or school-wide), item by item."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("checklist")
    )
    place = models.ForeignKey(
        "orgs.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    inspector = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector"))
    performed_at = models.DateTimeField(_("time"))
    performed_on = models.DateField(_("date"), editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    failed_count = models.PositiveSmallIntegerField(_("problems found"), default=0)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-performed_at", "-id"]
        indexes = [
            models.Index(fields=["school", "performed_on"], name="safety_inspection_day_idx"),
            models.Index(fields=["template", "place", "performed_on"], name="safety_inspection_check_idx"),
        ]

    def __str__(self) -> str:
        where = f" · {self.place}" if self.place_id else ""
        return f"{self.template}{where} {timezone.localtime(self.performed_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("safety:inspection_detail", args=[self.pk])


class InspectionResult(models.Model):
    """OK or not OK for one checklist item in one inspection; a failed item may raise a hazard."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    ok = models.BooleanField(_("OK"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="safety_result_one_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {'✓' if self.ok else '✗'}"


#
# The hazard register (隐患台账)
#


class HazardCampaign(SchoolOwnedModel):
    """A special screening campaign (专项排查, e.g. 拉网式排查) and the hazards it found."""

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    scope = models.CharField(
        _("scope"), max_length=200, blank=True, help_text=_("e.g. buildings, wiring, surroundings")
    )
    led_by = models.CharField(_("led by"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("special campaign")
        verbose_name_plural = _("special campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="safety_campaign_ends_after_start",
                violation_error_message=_("The campaign cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("safety:campaign_detail", args=[self.pk])


class Hazard(StatusFlow, PinyinIndexed, SchoolOwnedModel):
    """A safety hazard (隐患, E1): found, assigned, rectified, then verified and closed (销号) by someone else.

    Every step is also a row of the append-only HazardAction ledger."""

    transitions = HAZARD_TRANSITIONS

    number = models.CharField(_("number"), max_length=20, editable=False)
    title = models.CharField(_("hazard"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    place = models.ForeignKey(
        "orgs.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    location = models.CharField(_("location"), max_length=200, blank=True, help_text=_("where, in words"))
    category = models.CharField(
        _("category"), max_length=20, choices=HazardCategory.choices, default=HazardCategory.OTHER
    )
    level = models.CharField(_("level"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    source = models.CharField(_("source"), max_length=20, choices=HazardSource.choices, default=HazardSource.REPORT)
    campaign = models.ForeignKey(
        HazardCampaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
        verbose_name=_("special campaign"),
    )
    raised_from = models.OneToOneField(
        InspectionResult,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hazard",
        verbose_name=_("inspection item"),
    )
    found_on = models.DateField(_("found on"))
    found_by = models.CharField(_("found by"), max_length=100, blank=True)
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    responsible = models.ForeignKey(
        "orgs.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    measures = models.TextField(_("measures"), blank=True)
    cost = models.DecimalField(_("cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("rectified by")
    )
    verified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("verified by")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_note = models.CharField(_("verification note"), max_length=500, blank=True)
    supervised_at = models.DateTimeField(_("placed under supervision"), null=True, blank=True)
    supervision_note = models.TextField(_("supervision plan"), blank=True)
    bureau_reported_on = models.DateField(_("reported to the bureau on"), null=True, blank=True)
    bureau_report_ref = models.CharField(_("report reference"), max_length=100, blank=True)
    photo_before = models.FileField(_("photo before"), upload_to="safety/hazards/%Y/%m/", blank=True)
    photo_after = models.FileField(_("photo after"), upload_to="safety/hazards/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=20, choices=HazardStatus.choices, default=HazardStatus.OPEN)

    search_source_fields = ("title", "number", "location")

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_on", "-id"]
        permissions = [("verify_hazard", _("Can verify and close hazards"))]
        indexes = [
            models.Index(fields=["school", "found_on"], name="safety_hazard_found_idx"),
            models.Index(fields=["school", "status", "deadline"], name="safety_hazard_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="safety_hazard_unique_number"),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("found_on")),
                name="safety_hazard_deadline_after_found",
                violation_error_message=_("The deadline cannot be before the day the hazard was found."),
            ),
            models.CheckConstraint(
                condition=Q(rectified_on__isnull=True) | Q(rectified_on__gte=F("found_on")),
                name="safety_hazard_rectified_after_found",
                violation_error_message=_("A hazard cannot be rectified before it was found."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("safety:hazard_detail", args=[self.pk])

    @property
    def is_major(self) -> bool:
        return self.level == HazardLevel.MAJOR

    @property
    def where(self) -> str:
        return " · ".join(str(x) for x in (self.place, self.location) if x)

    def is_overdue(self, on: dt.date | None = None) -> bool:
        """Not rectified by its deadline (a rectified hazard waiting for verification is not overdue)."""
        today = on or timezone.localdate()
        return self.status == HazardStatus.OPEN and self.deadline is not None and self.deadline < today


class HazardAction(AppendOnlyModel, SchoolOwnedModel):
    """One step in a hazard's life (reported, assigned, rectified, verified…): the register's own ledger."""

    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="actions", verbose_name=_("hazard"))
    kind = models.CharField(_("action"), max_length=20, choices=HazardActionKind.choices)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    status_after = models.CharField(_("status after"), max_length=20, choices=HazardStatus.choices)

    immutable_message = _("Hazard actions cannot be changed or deleted.")

    class Meta:
        verbose_name = _("hazard action")
        verbose_name_plural = _("hazard actions")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.hazard.number} {self.get_kind_display()}"


#
# Drills (E4)
#


class Drill(SchoolOwnedModel):
    """An emergency drill held: what, when, who took part, how long the evacuation took and what went wrong."""

    kind = models.CharField(_("kind"), max_length=20, choices=DrillKind.choices)
    held_on = models.DateField(_("held on"))
    scenario = models.CharField(_("scenario"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    evacuation_seconds = models.PositiveIntegerField(_("evacuation time (seconds)"), null=True, blank=True)
    floors = models.PositiveSmallIntegerField(
        _("floors of the highest building"), null=True, blank=True, help_text=_("for the two-minute target")
    )
    problems = models.TextField(_("problems found"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("safety:drill_detail", args=[self.pk])

    @property
    def needs_review(self) -> bool:
        """Evacuation of a building of four floors or fewer should take at most two minutes (MoE 2014)."""
        return self.evacuation_seconds is not None and self.evacuation_seconds > 120 and (self.floors or 0) <= 4


#
# Responsibility agreements (安全责任书, E8)
#


class Agreement(SchoolOwnedModel):
    """One year's responsibility agreement of one kind, signed by every member of staff (or every tenant)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("responsibility agreement")
        verbose_name_plural = _("responsibility agreements")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "year"],
                name="safety_agreement_one_per_kind_and_year",
                violation_error_message=_("This year's agreement of this kind already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("safety:agreement_detail", args=[self.pk])


class AgreementSignature(SchoolOwnedModel):
    """Who is to sign an agreement, and when and how they did (on the phone, or a scan of the paper)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("agreement")
    )
    person = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("signatory")
    )
    tenant = models.ForeignKey(
        "orgs.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant")
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_version = models.PositiveSmallIntegerField(_("version signed"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=10, choices=SignMethod.choices, blank=True)
    scan = models.FileField(_("scan of the paper"), upload_to="safety/agreements/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")
        ordering = ["agreement", "signed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, tenant__isnull=True) | Q(person__isnull=True, tenant__isnull=False),
                name="safety_signature_person_or_tenant",
                violation_error_message=_("A signatory is a member of staff or a tenant."),
            ),
            models.UniqueConstraint(fields=["agreement", "person"], name="safety_signature_once_per_person"),
            models.UniqueConstraint(fields=["agreement", "tenant"], name="safety_signature_once_per_tenant"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.signatory}"

    def get_absolute_url(self) -> str:
        return self.agreement.get_absolute_url()

    @property
    def signatory(self) -> object:
        return self.person or self.tenant


#
# Notices to parents with receipts (告家长书)
#


class Notice(SchoolOwnedModel):
    """A notice sent home to the families of the chosen classes; one receipt per pupil is expected back."""

    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    attachment = models.FileField(_("attachment"), upload_to="safety/notices/%Y/", blank=True)
    issued_on = models.DateField(_("issued on"))
    classes = models.ManyToManyField("orgs.SchoolClass", related_name="+", verbose_name=_("classes"))
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))

    class Meta:
        verbose_name = _("notice to parents")
        verbose_name_plural = _("notices to parents")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("safety:notice_detail", args=[self.pk])


class NoticeReceipt(SchoolOwnedModel):
    """One family's receipt of a notice (回执): a signed slip ticked by the head teacher, or confirmed online."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("notice"))
    student = models.ForeignKey("orgs.Student", on_delete=models.PROTECT, related_name="+", verbose_name=_("pupil"))
    school_class = models.ForeignKey(
        "orgs.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class")
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=10, choices=SignMethod.choices, blank=True)
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("notice receipt")
        verbose_name_plural = _("notice receipts")
        ordering = ["school_class", "student"]
        constraints = [models.UniqueConstraint(fields=["notice", "student"], name="safety_receipt_once_per_pupil")]

    def __str__(self) -> str:
        return f"{self.notice} · {self.student}"

    def get_absolute_url(self) -> str:
        return self.notice.get_absolute_url()
