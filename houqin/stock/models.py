"""Consumables: items, the append-only stock ledger, and requisitions (领用)."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import AppendOnlyModel, PinyinIndexed, SchoolOwnedModel, StatusFlow
from houqin.stock.choices import (
    REQUISITION_TRANSITIONS,
    Amortisation,
    CountStatus,
    ItemCategory,
    MovementKind,
    RequisitionStatus,
)


class Digits(TypedDict):
    max_digits: int
    decimal_places: int


QTY: Digits = {"max_digits": 12, "decimal_places": 2}
MONEY: Digits = {"max_digits": 14, "decimal_places": 2}


class StockItem(PinyinIndexed, SchoolOwnedModel):
    """A kind of consumable kept in the store, with its running balance (the sum of its movements)."""

    name = models.CharField(_("name"), max_length=100)
    spec = models.CharField(_("specification"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=10)
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices, default=ItemCategory.OTHER)
    amortisation = models.CharField(
        _("amortisation"), max_length=20, choices=Amortisation.choices, default=Amortisation.ONE_OFF
    )
    min_quantity = models.DecimalField(_("minimum level"), default=Decimal("0"), **QTY)
    balance = models.DecimalField(_("balance"), default=Decimal("0"), editable=False, **QTY)
    average_cost = models.DecimalField(
        _("average unit cost"), max_digits=14, decimal_places=4, default=Decimal("0"), editable=False
    )
    is_active = models.BooleanField(_("in use"), default=True)

    search_source_fields = ("name", "spec")

    class Meta:
        verbose_name = _("consumable item")
        verbose_name_plural = _("consumable items")
        ordering = ["name", "spec"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name", "spec"],
                name="stock_item_unique_name_spec",
                violation_error_message=_("An item with this name and specification exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(balance__gte=0),
                name="stock_item_balance_not_negative",
                violation_error_message=_("The balance cannot go below zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(min_quantity__gte=0),
                name="stock_item_min_not_negative",
                violation_error_message=_("The minimum level cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.spec}".strip()

    def get_absolute_url(self) -> str:
        return reverse("stock:item_detail", args=[self.pk])

    @property
    def is_low(self) -> bool:
        return self.balance <= self.min_quantity and self.min_quantity > 0

    @property
    def balance_value(self) -> Decimal:
        return (self.balance * self.average_cost).quantize(Decimal("0.01"))


class StockMovement(AppendOnlyModel, SchoolOwnedModel):
    """One line of the stock ledger (入库/出库/退库/盘点调整). Append-only: mistakes are reversed, never edited."""

    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="movements", verbose_name=_("item"))
    kind = models.CharField(_("type"), max_length=20, choices=MovementKind.choices)
    quantity = models.DecimalField(_("quantity"), help_text=_("positive in, negative out"), **QTY)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4, default=Decimal("0"))
    amount = models.DecimalField(_("amount"), default=Decimal("0"), **MONEY)
    balance_after = models.DecimalField(_("balance after"), **QTY)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    receiver = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiver")
    )
    supplier_name = models.CharField(_("supplier"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    requisition = models.ForeignKey(
        "Requisition", null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    source = models.CharField(
        _("source document"),
        max_length=60,
        blank=True,
        help_text=_("e.g. the purchase acceptance that produced this receipt"),
    )
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")

    # objects (the append-only ledger manager) comes from AppendOnlyModel, the first base.
    immutable_message = _("Stock movements cannot be changed or deleted; post a reversal instead.")

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["item", "occurred_at"], name="stock_movement_item_time_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(quantity=0),
                name="stock_movement_quantity_not_zero",
                violation_error_message=_("The quantity cannot be zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0),
                name="stock_movement_balance_not_negative",
                violation_error_message=_("The balance cannot go below zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item} {self.quantity}"

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()


class Requisition(StatusFlow, SchoolOwnedModel):
    """A staff member's request to take consumables from the store (领用单): requested → approved → issued → received."""

    transitions = REQUISITION_TRANSITIONS

    number = models.CharField(_("number"), max_length=20)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    receiver = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiver")
    )
    department = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=RequisitionStatus.choices, default=RequisitionStatus.PENDING
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    decision_comment = models.CharField(_("comment"), max_length=200, blank=True)
    batch = models.CharField(_("batch"), max_length=60, blank=True, help_text=_("set by a batch issue"))

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_requisition", _("Can approve requisitions")),
            ("issue_requisition", _("Can issue requisitions")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="stock_requisition_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("stock:requisition_detail", args=[self.pk])


class RequisitionLine(models.Model):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.DecimalField(_("quantity"), **QTY)

    class Meta:
        verbose_name = _("requisition line")
        verbose_name_plural = _("requisition lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0),
                name="stock_line_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"


class StockCount(SchoolOwnedModel):
    """A count of the store (库存盘点): each item's book balance when the count starts, the quantity found, and on
    closing one adjustment movement per difference, with its reason (A18: stock counts reconcile with the ledger)."""

    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=CountStatus.choices, default=CountStatus.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stock:count_detail", args=[self.pk])


class StockCountLine(models.Model):
    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    book_quantity = models.DecimalField(_("book quantity"), **QTY)
    counted_quantity = models.DecimalField(_("counted quantity"), null=True, blank=True, **QTY)
    reason = models.CharField(_("reason for the difference"), max_length=200, blank=True)
    movement = models.OneToOneField(
        StockMovement, null=True, blank=True, on_delete=models.PROTECT, related_name="count_line"
    )

    class Meta:
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")
        ordering = ["item__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["count", "item"], name="stock_countline_unique_item"),
            models.CheckConstraint(
                condition=models.Q(counted_quantity__gte=0) | models.Q(counted_quantity__isnull=True),
                name="stock_countline_counted_not_negative",
                violation_error_message=_("A counted quantity cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.counted_quantity}"

    @property
    def difference(self) -> Decimal | None:
        return None if self.counted_quantity is None else self.counted_quantity - self.book_quantity
