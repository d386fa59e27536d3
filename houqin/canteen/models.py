"""Canteen food-safety records (C1–C15): menus and parent feedback, samples, 陪餐, staff health, purchase
inspection, tableware disinfection, meal counts and the canteen's own ledger."""

from __future__ import annotations

import calendar
import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from houqin.canteen.choices import (
    Direction,
    DisinfectionMethod,
    FeedbackStatus,
    IncidentStatus,
    LedgerCategory,
    Meal,
    MenuStatus,
    PurchaseKind,
    Rectification,
)
from houqin.core.models import AppendOnlyModel, SchoolOwnedModel
from houqin.core.sensitive import mask_phone

USER = settings.AUTH_USER_MODEL
MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


def new_token() -> str:
    return secrets.token_urlsafe(16)


class CanteenProfile(SchoolOwnedModel):
    """Per school: the unguessable address of the public menu page and the extra leaders who may record 陪餐."""

    public_token = models.CharField(_("public page key"), max_length=40, unique=True, default=new_token)
    leaders = models.ManyToManyField(
        "orgs.Person", blank=True, related_name="+", verbose_name=_("other school leaders for 陪餐")
    )

    class Meta:
        verbose_name = _("canteen settings")
        verbose_name_plural = _("canteen settings")
        ordering = ["school_id"]
        constraints = [models.UniqueConstraint(fields=["school"], name="canteen_profile_one_per_school")]

    def __str__(self) -> str:
        return str(self.school)


class Menu(SchoolOwnedModel):
    """A weekly menu (or a special menu for an event such as 运动会), published to parents with its time (C12)."""

    title = models.CharField(_("title"), max_length=100)
    week_start = models.DateField(_("first day"))
    event = models.CharField(_("event"), max_length=100, blank=True, help_text=_("for a special event menu"))
    status = models.CharField(_("status"), max_length=20, choices=MenuStatus.choices, default=MenuStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        ordering = ["-week_start", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("canteen:menu_detail", args=[self.pk])


class MenuDish(models.Model):
    """One dish of one meal on one day of a menu."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="dishes", verbose_name=_("menu"))
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=20, choices=Meal.choices)
    name = models.CharField(_("dish"), max_length=50)
    portion_g = models.PositiveIntegerField(_("portion (g)"), null=True, blank=True)
    allergens = models.CharField(_("allergens"), max_length=100, blank=True)
    vegetarian = models.BooleanField(_("vegetarian"), default=False)

    class Meta:
        verbose_name = _("dish")
        verbose_name_plural = _("dishes")
        ordering = ["day", "meal", "id"]
        indexes = [models.Index(fields=["day", "meal"], name="canteen_dish_day_meal_idx")]

    def __str__(self) -> str:
        return self.name


class Sample(SchoolOwnedModel):
    """A food sample (留样) of one dish of one meal (C1), kept in the fridge until it may be discarded (C2)."""

    meal_date = models.DateField(_("meal date"))
    meal = models.CharField(_("meal"), max_length=20, choices=Meal.choices)
    dish = models.CharField(_("dish"), max_length=50)
    weight_g = models.PositiveIntegerField(_("weight (g)"))
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = models.CharField(_("taken by"), max_length=50)
    fridge = models.CharField(_("fridge"), max_length=30, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    discarded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("discarded by")
    )

    class Meta:
        verbose_name = _("food sample")
        verbose_name_plural = _("food samples")
        ordering = ["-meal_date", "meal", "dish", "id"]
        indexes = [models.Index(fields=["school", "meal_date", "meal"], name="canteen_sample_meal_idx")]

    def __str__(self) -> str:
        return f"{self.meal_date} {self.get_meal_display()} {self.dish}"

    def get_absolute_url(self) -> str:
        return reverse("canteen:sample_list")


class FridgeReading(SchoolOwnedModel):
    """A sample or cold-storage fridge temperature reading; outside the policy range it is an alert (C4)."""

    fridge = models.CharField(_("fridge"), max_length=30)
    celsius = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1)
    read_at = models.DateTimeField(_("read at"))
    out_of_range = models.BooleanField(_("out of range"), default=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("fridge temperature")
        verbose_name_plural = _("fridge temperatures")
        ordering = ["-read_at", "-id"]

    def __str__(self) -> str:
        return f"{self.fridge} {self.celsius}°C"


class AccompaniedMeal(SchoolOwnedModel):
    """A school leader ate with the students (陪餐, C5): feedback and whether something must be fixed."""

    meal_date = models.DateField(_("meal date"))
    meal = models.CharField(_("meal"), max_length=20, choices=Meal.choices)
    leader = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("leader"))
    feedback = models.TextField(_("feedback"))
    rectification = models.CharField(
        _("rectification"), max_length=20, choices=Rectification.choices, default=Rectification.NONE
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("accompanied meal")
        verbose_name_plural = _("accompanied meals")
        ordering = ["-meal_date", "meal", "-id"]

    def __str__(self) -> str:
        return f"{self.meal_date} {self.get_meal_display()} {self.leader}"


class ParentMeal(SchoolOwnedModel):
    """A parent's accompanied meal (家长陪餐): same dish, same price; the school answers the feedback."""

    parent_name = models.CharField(_("parent"), max_length=50)
    school_class = models.ForeignKey(
        "orgs.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("class")
    )
    meal_date = models.DateField(_("meal date"))
    meal = models.CharField(_("meal"), max_length=20, choices=Meal.choices, default=Meal.LUNCH)
    price_paid = models.DecimalField(_("price paid"), **MONEY)
    feedback = models.TextField(_("feedback"), blank=True)
    school_response = models.TextField(_("school response"), blank=True)

    class Meta:
        verbose_name = _("parent accompanied meal")
        verbose_name_plural = _("parent accompanied meals")
        ordering = ["-meal_date", "-id"]

    def __str__(self) -> str:
        return f"{self.meal_date} {self.parent_name}"


class Feedback(SchoolOwnedModel):
    """A parent's comment on a menu or a dish from the public page, and the canteen's reply."""

    menu = models.ForeignKey(Menu, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("menu"))
    dish = models.ForeignKey(
        MenuDish, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("dish")
    )
    text = models.TextField(_("comment"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    contact = models.CharField(_("contact"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW)
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("replied by")
    )

    class Meta:
        verbose_name = _("parent feedback")
        verbose_name_plural = _("parent feedback")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:30]

    def get_absolute_url(self) -> str:
        return reverse("canteen:feedback_list")

    @property
    def contact_masked(self) -> str:
        return mask_phone(self.contact)


class HealthCertificate(SchoolOwnedModel):
    """A canteen worker's health certificate (健康证), valid one year from issue (C6)."""

    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    number = models.CharField(_("certificate number"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))

    class Meta:
        verbose_name = _("health certificate")
        verbose_name_plural = _("health certificates")
        ordering = ["expires_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")),
                name="canteen_certificate_expires_after_issue",
                violation_error_message=_("A certificate expires after it is issued."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.number}"


class PreShiftCheck(SchoolOwnedModel):
    """The daily check before work (晨检, C7): any symptom suspends the person from food contact that day."""

    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    day = models.DateField(_("day"))
    fever = models.BooleanField(_("fever"), default=False)
    diarrhoea = models.BooleanField(_("diarrhoea"), default=False)
    skin_wound = models.BooleanField(_("skin wound or infection"), default=False)
    sore_throat = models.BooleanField(_("sore throat"), default=False)
    other = models.CharField(_("other symptom"), max_length=100, blank=True)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by"))

    class Meta:
        verbose_name = _("pre-shift check")
        verbose_name_plural = _("pre-shift checks")
        ordering = ["-day", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "day"],
                name="canteen_one_check_per_person_day",
                violation_error_message=_("This person was already checked that day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.person}"

    @property
    def suspended(self) -> bool:
        return self.fever or self.diarrhoea or self.skin_wound or self.sore_throat or bool(self.other.strip())


class Shift(SchoolOwnedModel):
    """Who works which post on a day; a food-contact post needs a valid certificate and a passed check."""

    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    day = models.DateField(_("day"))
    post = models.CharField(_("post"), max_length=50)
    food_contact = models.BooleanField(_("food contact"), default=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["-day", "post", "id"]

    def __str__(self) -> str:
        return f"{self.day} {self.person} {self.post}"


class Delivery(SchoolOwnedModel):
    """A food delivery inspected on receipt (进货查验, C8), kept until its earliest deletion date (C9)."""

    supplier = models.ForeignKey(
        "procurement.Supplier", on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier")
    )
    purchased_on = models.DateField(_("purchase date"))
    inspector = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    second_inspector = models.ForeignKey(
        "orgs.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("second inspector"),
    )
    keep_until = models.DateField(_("earliest deletion date"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("purchase inspection")
        verbose_name_plural = _("purchase inspections")
        ordering = ["-purchased_on", "-id"]

    def __str__(self) -> str:
        return f"{self.purchased_on} {self.supplier}"

    def get_absolute_url(self) -> str:
        return reverse("canteen:delivery_detail", args=[self.pk])


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="lines")
    name = models.CharField(_("name"), max_length=100)
    spec = models.CharField(_("specification"), max_length=50, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    batch = models.CharField(_("batch"), max_length=50, blank=True)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    certificate = models.CharField(_("certificate or quarantine reference"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PurchaseKind.choices)
    keep_until = models.DateField(_("earliest deletion date"))

    class Meta:
        verbose_name = _("delivery line")
        verbose_name_plural = _("delivery lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def quantity_text(self) -> str:
        """The quantity without trailing zeros: 40, 2.5 (never 4E+1)."""
        text = f"{self.quantity:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text


class Disinfection(SchoolOwnedModel):
    """A tableware disinfection entry with its method's parameters (C11)."""

    done_at = models.DateTimeField(_("done at"))
    method = models.CharField(_("method"), max_length=20, choices=DisinfectionMethod.choices)
    temperature_c = models.PositiveIntegerField(_("temperature (°C)"), null=True, blank=True)
    duration_s = models.PositiveIntegerField(_("duration (seconds)"))
    chlorine_mg_l = models.PositiveIntegerField(_("available chlorine (mg/L)"), null=True, blank=True)
    items = models.CharField(_("tableware"), max_length=100)
    operator = models.CharField(_("operator"), max_length=50)

    class Meta:
        verbose_name = _("tableware disinfection")
        verbose_name_plural = _("tableware disinfection")
        ordering = ["-done_at", "-id"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.done_at):%Y-%m-%d %H:%M} {self.get_method_display()}"


class MealCount(SchoolOwnedModel):
    """Meals eaten in a month by staff or by a tenant's people; a tenant's meals may be offset against its rent."""

    month = models.DateField(_("month"), help_text=_("first day of the month"))
    tenant = models.ForeignKey(
        "orgs.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant")
    )
    diners = models.PositiveIntegerField(_("diners"))
    meals = models.PositiveIntegerField(_("meals"))
    unit_price = models.DecimalField(_("price per meal"), **MONEY)
    offset_against_rent = models.BooleanField(_("offset against rent"), default=False)

    class Meta:
        verbose_name = _("meal count")
        verbose_name_plural = _("meal counts")
        ordering = ["-month", "id"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.tenant or _('staff')}"

    @property
    def amount(self):
        return self.meals * self.unit_price


class LedgerEntry(AppendOnlyModel, SchoolOwnedModel):
    """The canteen's own ledger (独立核算, C14): append-only, corrected by a reversing entry."""

    occurred_on = models.DateField(_("date"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    category = models.CharField(_("category"), max_length=20, choices=LedgerCategory.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("canteen ledger entry")
        verbose_name_plural = _("canteen ledger")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_category_display()} {self.amount}"


class PriceChange(SchoolOwnedModel):
    """A meal-price change: decided collectively and published before it applies (C14)."""

    meal = models.CharField(_("meal"), max_length=20, choices=Meal.choices)
    new_price = models.DecimalField(_("new price"), **MONEY)
    effective_on = models.DateField(_("effective from"))
    decision_record = models.CharField(_("collective decision record"), max_length=200)
    published_on = models.DateField(_("published on"))

    class Meta:
        verbose_name = _("meal price change")
        verbose_name_plural = _("meal price changes")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.get_meal_display()} {self.new_price}"


class FoodIncident(SchoolOwnedModel):
    """A food-safety incident (C15): while open, the samples of its meal may not be discarded."""

    meal_date = models.DateField(_("meal date"))
    meal = models.CharField(_("meal"), max_length=20, choices=Meal.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    description = models.TextField(_("what happened"))
    affected = models.PositiveIntegerField(_("people affected"), default=0)
    reported_at = models.DateTimeField(_("reported to the authorities at"), null=True, blank=True)
    samples_secured = models.BooleanField(_("samples secured"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)

    class Meta:
        verbose_name = _("food incident")
        verbose_name_plural = _("food incidents")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.meal_date} {self.get_meal_display()}"

    def get_absolute_url(self) -> str:
        return reverse("canteen:incident_detail", args=[self.pk])


class SatisfactionSurvey(SchoolOwnedModel):
    """A food-safety satisfaction survey of the semester (C13): at least one per semester."""

    semester = models.ForeignKey(
        "orgs.Semester", on_delete=models.PROTECT, related_name="+", verbose_name=_("semester")
    )
    held_on = models.DateField(_("held on"))
    respondents = models.PositiveIntegerField(_("respondents"))
    satisfied = models.PositiveIntegerField(_("satisfied or very satisfied"))
    summary = models.TextField(_("main findings"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.semester} {self.held_on}"

    @property
    def rate(self) -> float:
        """The share satisfied, in per cent with one decimal."""
        return round(100 * self.satisfied / self.respondents, 1) if self.respondents else 0.0


class CommitteeMember(SchoolOwnedModel):
    """A member of the parents' dining committee (家长膳食委员会) of a semester, with the conflict-of-interest
    declaration every member signs (C13)."""

    semester = models.ForeignKey(
        "orgs.Semester", on_delete=models.PROTECT, related_name="+", verbose_name=_("semester")
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    school_class = models.ForeignKey(
        "orgs.SchoolClass", on_delete=models.PROTECT, related_name="+", verbose_name=_("child's class")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    declared_on = models.DateField(_("conflict-of-interest declaration signed on"))
    interests = models.CharField(
        _("interests declared"),
        max_length=200,
        blank=True,
        help_text=_("Ties to the canteen's suppliers or operator; empty when there are none."),
    )

    class Meta:
        verbose_name = _("dining committee member")
        verbose_name_plural = _("dining committee members")
        ordering = ["school_class__grade", "school_class__number", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (08-31 + 6 months = 02-28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
