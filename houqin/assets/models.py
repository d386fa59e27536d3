"""School assets: the asset register, custody, transfers, loans, disposal, depreciation, stocktake."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.assets import categories
from houqin.assets.choices import (
    STATUS_COLOURS,
    TRANSFER_TRANSITIONS,
    AcquisitionMethod,
    AssetClass,
    AssetStatus,
    DisposalMethod,
    DisposalStatus,
    EventKind,
    FundingSource,
    StocktakeResult,
    StocktakeStatus,
    TransferStatus,
    ValueType,
)
from houqin.core.models import AppendOnlyModel, PinyinIndexed, SchoolOwnedModel, StatusFlow, labelled_changes

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from houqin.orgs.models import Department, Person, Place


def _person(verbose_name: StrOrPromise, related_name: str = "+") -> models.ForeignKey[Person | None, Person | None]:
    return models.ForeignKey(
        "orgs.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def _place(verbose_name: StrOrPromise) -> models.ForeignKey[Place | None, Place | None]:
    return models.ForeignKey(
        "orgs.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=verbose_name
    )


def _department(verbose_name: StrOrPromise) -> models.ForeignKey[Department | None, Department | None]:
    return models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=verbose_name
    )


def _user(verbose_name: StrOrPromise, *, null: bool = True) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )


def _money(verbose_name: StrOrPromise) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2)


class Asset(PinyinIndexed, SchoolOwnedModel):
    """An asset card (资产卡片, A7): what it is, what it cost, where it is and who keeps it. Never deleted:
    a disposed card is closed with its history."""

    asset_no = models.CharField(_("asset number"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    category_code = models.CharField(_("class code"), max_length=12, blank=True)
    category_version = models.CharField(_("class code table"), max_length=20, default=categories.TABLE_VERSION)
    legacy_code = models.CharField(_("GB/T 14885-2010 code"), max_length=12, blank=True)
    brand = models.CharField(_("brand"), max_length=50, blank=True)
    spec = models.CharField(_("model and specification"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit = models.CharField(_("unit"), max_length=10, default="台")
    unit_price = _money(_("unit price"))
    original_value = _money(_("original value"))
    value_type = models.CharField(_("value type"), max_length=20, choices=ValueType.choices, default=ValueType.COST)
    asset_class = models.CharField(_("asset class"), max_length=20, choices=AssetClass.choices)
    is_special_equipment = models.BooleanField(
        _("special equipment"), default=False, help_text=_("compared with the special-equipment threshold")
    )
    is_bulk_batch = models.BooleanField(
        _("bulk batch of durable items"),
        default=False,
        help_text=_("a large batch of the same kind (desks, chairs) is a fixed asset below the threshold"),
    )
    acquisition_method = models.CharField(
        _("acquisition method"), max_length=20, choices=AcquisitionMethod.choices, default=AcquisitionMethod.PURCHASE
    )
    acquired_on = models.DateField(_("acquired on"))
    funding_source = models.CharField(_("funding source"), max_length=10, choices=FundingSource.choices)
    supplier_name = models.CharField(_("supplier"), max_length=100, blank=True)
    source = models.CharField(
        _("source document"), max_length=60, blank=True, help_text=_("e.g. the acceptance that produced this card")
    )
    department = _department(_("department"))
    place = _place(_("place"))
    custodian = _person(_("custodian"), related_name="assets_kept")
    status = models.CharField(_("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.IN_USE)
    useful_life_months = models.PositiveSmallIntegerField(_("useful life (months)"), null=True, blank=True)
    voucher_no = models.CharField(_("voucher number"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)

    search_source_fields = ("name", "asset_no")

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-acquired_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "asset_no"],
                name="assets_asset_unique_number",
                violation_error_message=_("An asset with this number already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0),
                name="assets_asset_price_not_negative",
                violation_error_message=_("The unit price cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1),
                name="assets_asset_quantity_positive",
                violation_error_message=_("The quantity must be at least 1."),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"], name="assets_asset_status_idx"),
            models.Index(fields=["school", "asset_class"], name="assets_asset_class_idx"),
            # The register's order: a page is read from the index instead of sorting every card of the school.
            models.Index(fields=["school", "-acquired_on", "-id"], name="assets_asset_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.asset_no} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("assets:asset_detail", args=[self.pk])

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(self.status, "dark")

    @property
    def category_label(self) -> str:
        return categories.label(self.category_code)

    @property
    def is_closed(self) -> bool:
        return self.status == AssetStatus.DISPOSED

    @property
    def missing_card_fields(self) -> list[str]:
        """The fields of an official card (A7) still empty on a fixed asset, by their labels."""
        if self.asset_class != AssetClass.FIXED:
            return []
        required = ("category_code", "department", "custodian", "place", "voucher_no", "useful_life_months")
        return [
            str(getattr(self._meta.get_field(f), "verbose_name", f)) for f in required if getattr(self, f) in (None, "")
        ]


class AssetEvent(AppendOnlyModel, SchoolOwnedModel):
    """One line of an asset's history (registered, transferred, lent, returned, disposed…). Append-only."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="events", verbose_name=_("asset"))
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = _user(_("recorded by"))
    message = models.CharField(_("note"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    immutable_message = _("Asset history cannot be changed or deleted.")

    class Meta:
        verbose_name = _("asset event")
        verbose_name_plural = _("asset events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["asset", "occurred_at"], name="assets_event_asset_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset}"

    @property
    def change_rows(self) -> list[tuple[str, Any, Any]]:
        return labelled_changes(Asset, self.changes)

    def get_absolute_url(self) -> str:
        return self.asset.get_absolute_url()


class Transfer(StatusFlow, SchoolOwnedModel):
    """A move of an asset to another department, place or custodian (调拨): requested, approved by someone else,
    and only then applied to the card. A change of custodian is a hand-over both custodians sign (A10)."""

    transitions = TRANSFER_TRANSITIONS

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("asset"))
    status = models.CharField(
        _("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    reason = models.CharField(_("reason"), max_length=200)
    batch = models.CharField(_("batch"), max_length=40, blank=True)
    from_department = _department(_("from department"))
    to_department = _department(_("to department"))
    from_place = _place(_("from place"))
    to_place = _place(_("to place"))
    from_custodian = _person(_("from custodian"))
    to_custodian = _person(_("to custodian"))
    requested_by = _user(_("requested by"), null=False)
    decided_by = _user(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.CharField(_("comment"), max_length=200, blank=True)
    released_at = models.DateTimeField(_("handed over by the old custodian at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received by the new custodian at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_transfer", _("Can approve asset transfers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["asset"],
                condition=models.Q(status=TransferStatus.PENDING),
                name="assets_transfer_one_pending_per_asset",
                violation_error_message=_("This asset already has a transfer waiting for approval."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} → {self.destination}"

    def get_absolute_url(self) -> str:
        return reverse("assets:transfer_detail", args=[self.pk])

    @property
    def destination(self) -> str:
        return " / ".join(str(x) for x in (self.to_department, self.to_place, self.to_custodian) if x is not None)

    @property
    def is_handover(self) -> bool:
        return self.to_custodian_id is not None and self.to_custodian_id != self.from_custodian_id

    @property
    def handover_complete(self) -> bool:
        return not self.is_handover or (self.released_at is not None and self.received_at is not None)


class Loan(SchoolOwnedModel):
    """An asset lent to a member of staff (借用) until a due date, and its return with the condition found."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="loans", verbose_name=_("asset"))
    borrower = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="asset_loans", verbose_name=_("borrower")
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    lent_on = models.DateField(_("lent on"))
    due_on = models.DateField(_("due on"))
    lent_by = _user(_("lent by"), null=False)
    status_before = models.CharField(max_length=20, choices=AssetStatus.choices, editable=False)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    returned_to = _user(_("received back by"))
    condition = models.CharField(_("condition on return"), max_length=200, blank=True)
    damaged = models.BooleanField(_("damaged"), default=False)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset"],
                condition=models.Q(returned_on__isnull=True),
                name="assets_loan_one_open_per_asset",
                violation_error_message=_("This asset is already on loan."),
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("lent_on")),
                name="assets_loan_due_after_lent",
                violation_error_message=_("The due date cannot be before the loan date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} → {self.borrower}"

    def get_absolute_url(self) -> str:
        return reverse("assets:loan_list") + f"?asset={self.asset_id}"

    @property
    def is_open(self) -> bool:
        return self.returned_on is None


class Stocktake(SchoolOwnedModel):
    """A count of the assets in chosen places (盘点, A11): the expected list is fixed when it starts; scans and
    ticks record what was found; closing counts the differences; the ledger changes only once they are approved."""

    number = models.CharField(_("number"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    places = models.ManyToManyField("orgs.Place", related_name="+", verbose_name=_("places"))
    status = models.CharField(_("status"), max_length=20, choices=StocktakeStatus.choices, default=StocktakeStatus.OPEN)
    created_by = _user(_("started by"), null=False)
    closed_by = _user(_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    approved_by = _user(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    expected = models.PositiveIntegerField(_("expected"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    surplus = models.PositiveIntegerField(_("surplus"), default=0)
    misplaced = models.PositiveIntegerField(_("misplaced"), default=0)

    class Meta:
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_stocktake", _("Can approve stocktake differences"))]
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="assets_stocktake_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("assets:stocktake_detail", args=[self.pk])

    @property
    def differences(self) -> int:
        return self.missing + self.surplus + self.misplaced


class StocktakeLine(SchoolOwnedModel):
    """One asset expected (or found) in a stocktake, with the result and, for a difference, its cause."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines")
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("asset")
    )
    asset_no = models.CharField(_("asset number"), max_length=30, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    expected_place = _place(_("place in the ledger"))
    found_place = _place(_("place found"))
    result = models.CharField(
        _("result"), max_length=20, choices=StocktakeResult.choices, default=StocktakeResult.PENDING
    )
    cause = models.CharField(_("cause"), max_length=200, blank=True)
    estimated_value = models.DecimalField(
        _("estimated value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("of an item found without a card; its card is registered when the differences are approved"),
    )
    scanned_at = models.DateTimeField(_("found at"), null=True, blank=True)
    scanned_by = _user(_("found by"))

    class Meta:
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        ordering = ["expected_place__full_name", "asset_no", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "asset"],
                condition=models.Q(asset__isnull=False),
                name="assets_stocktake_line_unique_asset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_no} {self.name} {self.get_result_display()}"

    def get_absolute_url(self) -> str:
        return self.stocktake.get_absolute_url()


class Disposal(SchoolOwnedModel):
    """A request to dispose of one or more assets (报废/报损, A12) with the collective decision behind it and the
    approval tier computed from the original value; approving it closes the cards (never deletes them)."""

    number = models.CharField(_("number"), max_length=20)
    assets = models.ManyToManyField(Asset, related_name="disposals", verbose_name=_("assets"))
    method = models.CharField(_("method"), max_length=20, choices=DisposalMethod.choices, default=DisposalMethod.SCRAP)
    reason = models.CharField(_("reason"), max_length=300)
    collective_decision = models.CharField(
        _("collective decision"), max_length=200, help_text=_("e.g. the minutes of the principal's office meeting")
    )
    original_value = _money(_("original value"))
    appraised_value = models.DecimalField(
        _("appraised value"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("for a sale")
    )
    sale_price = models.DecimalField(_("sale price"), max_digits=14, decimal_places=2, null=True, blank=True)
    tier = models.CharField(_("approval tier"), max_length=20)
    status = models.CharField(
        _("status"), max_length=20, choices=DisposalStatus.choices, default=DisposalStatus.PENDING
    )
    requested_by = _user(_("requested by"), null=False)
    decided_by = _user(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approval_document = models.CharField(_("approval document"), max_length=100, blank=True)
    decision_comment = models.CharField(_("comment"), max_length=200, blank=True)
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)
    statuses_before = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("disposal")
        verbose_name_plural = _("disposals")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_disposal", _("Can approve disposals within the school's own tiers")),
            ("approve_major_disposal", _("Can approve disposals at the principal's tiers")),
        ]
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="assets_disposal_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.reason}"

    def get_absolute_url(self) -> str:
        return reverse("assets:disposal_detail", args=[self.pk])


class Lease(SchoolOwnedModel):
    """Premises or assets let to an outside unit (出租出借, A14): a term no longer than the setting allows, and it
    is activated only with the approval, the tenant's safety agreement and its fire-responsibility clause."""

    tenant = models.ForeignKey("orgs.Tenant", on_delete=models.PROTECT, related_name="+", verbose_name=_("tenant"))
    place = _place(_("premises"))
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="leases", verbose_name=_("asset")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    rent = models.DecimalField(_("rent"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    approval_document = models.CharField(_("approval document"), max_length=100, blank=True)
    safety_agreement = models.CharField(
        _("safety agreement"), max_length=100, blank=True, help_text=_("the number of the signed agreement")
    )
    fire_clause = models.BooleanField(_("fire-responsibility clause included"), default=False)
    is_active = models.BooleanField(_("active"), default=False)
    created_by = _user(_("recorded by"), null=False)

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="assets_lease_ends_after_start",
                violation_error_message=_("The lease must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("assets:lease_detail", args=[self.pk])

    def state_on(self, day: dt.date) -> str:
        """pending (not yet in force), active, or ended (past its last day)."""
        if not self.is_active:
            return "pending"
        return "ended" if self.ends_on < day else "active"
