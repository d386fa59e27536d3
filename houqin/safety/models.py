"""Campus safety: checklist templates and inspections, special campaigns, the hazard register and its ledger."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import AppendOnlyModel, PinyinIndexed, SchoolOwnedModel
from houqin.safety.choices import (
    HAZARD_TRANSITIONS,
    AreaType,
    Frequency,
    HazardActionKind,
    HazardCategory,
    HazardLevel,
    HazardSource,
    HazardStatus,
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


class Hazard(PinyinIndexed, SchoolOwnedModel):
    """A safety hazard (隐患, E1): found, assigned, rectified, then verified and closed (销号) by someone else.

    Every step is also a row of the append-only HazardAction ledger."""

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

    def can_become(self, status: str) -> bool:
        return status in HAZARD_TRANSITIONS.get(self.status, set())

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
