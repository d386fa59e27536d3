"""Purchasing: suppliers, purchase requests with their lines, quotes and approval steps, acceptance (验收) with
the goods-received slip, and the donations register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import PinyinIndexed, SchoolOwnedModel, SchoolScopedQuerySet, StatusFlow
from houqin.procurement.choices import (
    TRANSITIONS,
    ApprovalLevel,
    DonationKind,
    DonorKind,
    FundingSource,
    LineKind,
    ProcurementMethod,
    RequestStatus,
    SingleSourceReason,
    StatutoryMethod,
    StepStatus,
    ValueBasis,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Digits(TypedDict):
    max_digits: int
    decimal_places: int


QTY: Digits = {"max_digits": 12, "decimal_places": 2}
MONEY: Digits = {"max_digits": 14, "decimal_places": 2}
FEN = Decimal("0.01")
# B8: procurement files are kept at least 15 years from completion (政府采购法 art. 42, china-rules 7.1.9).
RETENTION_YEARS = 15


def plain(quantity: Decimal) -> str:
    """A quantity as people write it: 100, 2.5 (never 1E+2)."""
    return format(quantity.normalize(), "f")


def _user(label: StrOrPromise, *, optional: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=optional,
        blank=optional,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=label,
    )


class Supplier(PinyinIndexed, SchoolOwnedModel):
    """A firm the school buys from, with its business licence (营业执照) and when that expires."""

    name = models.CharField(_("name"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=50, blank=True)
    licence_expires_on = models.DateField(_("licence expires on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    search_source_fields = ("name", "contact_name")

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="procurement_supplier_unique_name",
                violation_error_message=_("A supplier with this name exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("procurement:supplier_detail", args=[self.pk])

    @property
    def licence_expired(self) -> bool:
        return self.licence_expires_on is not None and self.licence_expires_on < timezone.localdate()


RETENTION_MESSAGE = _(
    "Procurement files are kept for 15 years after the procurement completes (政府采购法 art. 42, rule B8); "
    "this record cannot be deleted yet."
)


class RetainedQuerySet(SchoolScopedQuerySet["PurchaseRequest"]):
    """Purchase requests are deleted only once their retention period is over (B8), also in bulk."""

    def delete(self) -> tuple[int, dict[str, int]]:
        if any(not request.retention_over for request in self):
            raise ValidationError(RETENTION_MESSAGE)
        return super().delete()


class PurchaseRequest(StatusFlow, PinyinIndexed, SchoolOwnedModel):
    """A purchase request (采购申请): draft → submitted → approved (step by step) → ordered → accepted.

    A request under government procurement also records its statutory method and procedure (B4–B6, B8): the
    panel, the single-source reason and publication, the tender period, the award and the contract dates."""

    transitions = TRANSITIONS

    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=100)
    department = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    requested_by = _user(_("requested by"))
    reason = models.TextField(_("reason"))
    funding_source = models.CharField(_("funding source"), max_length=10, choices=FundingSource.choices)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), db_index=True)
    estimated_total = models.DecimalField(_("estimated amount"), default=Decimal("0"), **MONEY)
    method = models.CharField(_("procurement method"), max_length=20, choices=ProcurementMethod.choices)
    approval_document = models.CharField(
        _("approval document number"),
        max_length=100,
        blank=True,
        help_text=_("the finance bureau's approval for a non-open method above the open-tender threshold"),
    )
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    current_level = models.CharField(
        _("waiting for"), max_length=20, choices=ApprovalLevel.choices, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reference_number = models.CharField(
        _("procurement reference number"),
        max_length=100,
        blank=True,
        help_text=_("the e-mall order or tender project number"),
    )
    quote_exemption_reason = models.CharField(_("reason for fewer quotes"), max_length=200, blank=True)
    choice_justification = models.CharField(_("why not the lowest quote"), max_length=200, blank=True)
    ordered_by = _user(_("ordered by"), optional=True)
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    # B4–B6, B8: the statutory procedure of a government procurement.
    statutory_method = models.CharField(
        _("government procurement method"), max_length=20, choices=StatutoryMethod.choices, blank=True
    )
    non_open_reason = models.CharField(
        _("reason for a non-open method"),
        max_length=500,
        blank=True,
        help_text=_("kept in the procurement file (政府采购法 art. 42)"),
    )
    panel = models.JSONField(
        _("evaluation panel"),
        default=list,
        blank=True,
        help_text=_("RFQ and negotiation: the members, each with whether they are an expert"),
    )
    single_source_reason = models.CharField(
        _("single-source reason"), max_length=20, choices=SingleSourceReason.choices, blank=True
    )
    original_contract_amount = models.DecimalField(
        _("original contract amount"), null=True, blank=True, help_text=_("for an add-on purchase"), **MONEY
    )
    publication_date = models.DateField(_("single-source publication date"), null=True, blank=True)
    tender_issued_on = models.DateField(_("tender documents issued on"), null=True, blank=True)
    bid_deadline = models.DateField(_("bid deadline"), null=True, blank=True)
    awarded_on = models.DateField(_("award notice date"), null=True, blank=True)
    contract_amount = models.DecimalField(_("contract amount"), null=True, blank=True, **MONEY)
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    contract_published_on = models.DateField(_("contract published on"), null=True, blank=True)
    contract_filed_on = models.DateField(_("contract filed on"), null=True, blank=True)

    objects = RetainedQuerySet.as_manager()  # type: ignore[misc]

    search_source_fields = ("number", "title")

    class Meta:
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_purchaserequest", _("Can approve purchase requests (logistics director)")),
            ("approve_large_purchaserequest", _("Can approve purchase requests above the principal's limit")),
            ("approve_bureau_purchaserequest", _("Can approve purchase requests above the bureau's limit")),
            ("order_purchaserequest", _("Can place orders for approved purchase requests")),
            ("view_spending", _("Can view the spending report")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="procurement_request_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:request_detail", args=[self.pk])

    @property
    def completed_on(self) -> dt.date | None:
        """When the procurement completed (accepted, or closed by rejection or cancellation); None while open."""
        if self.accepted_at is not None:
            return timezone.localdate(self.accepted_at)
        if self.status in (RequestStatus.REJECTED, RequestStatus.CANCELLED):
            return timezone.localdate(self.decided_at or self.updated_at)
        return None

    @property
    def retained_until(self) -> dt.date | None:
        """B8: the first day the file may be deleted, 15 years after completion."""
        completed = self.completed_on
        if completed is None:
            return None
        try:
            return completed.replace(year=completed.year + RETENTION_YEARS)
        except ValueError:  # 29 February
            return completed.replace(year=completed.year + RETENTION_YEARS, day=28)

    @property
    def retention_over(self) -> bool:
        until = self.retained_until
        return until is not None and until <= timezone.localdate()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if not self.retention_over:
            raise ValidationError(RETENTION_MESSAGE)
        return super().delete(*args, **kwargs)


class SupplementaryContract(SchoolOwnedModel):
    """A supplementary contract (补充合同) of a request's contract; all of them together stay within 10% of the
    original contract (B6, 政府采购法 art. 49)."""

    request = models.ForeignKey(PurchaseRequest, on_delete=models.PROTECT, related_name="supplements")
    amount = models.DecimalField(_("amount"), **MONEY)
    signed_on = models.DateField(_("signed on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("supplementary contract")
        verbose_name_plural = _("supplementary contracts")
        ordering = ["signed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="procurement_supplement_amount_positive",
                violation_error_message=_("The amount must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} {self.amount}"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()


class RequestLine(models.Model):
    """One thing asked for: what, how many, at what estimated price, and whether it goes to the store or the
    asset register on acceptance."""

    request = models.ForeignKey(PurchaseRequest, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=100)
    spec = models.CharField(_("specification"), max_length=100, blank=True)
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit = models.CharField(_("unit"), max_length=10)
    estimated_unit_price = models.DecimalField(_("estimated unit price"), **MONEY)
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices, default=LineKind.CONSUMABLE)
    stock_item = models.ForeignKey(
        "stock.StockItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("store item"),
    )
    category_code = models.CharField(_("asset class code"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("request line")
        verbose_name_plural = _("request lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0),
                name="procurement_line_quantity_positive",
                violation_error_message=_("The quantity must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_unit_price__gte=0),
                name="procurement_line_price_not_negative",
                violation_error_message=_("The unit price cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.spec} × {plain(self.quantity)} {self.unit}".replace("  ", " ")

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.estimated_unit_price).quantize(FEN)


class Quote(SchoolOwnedModel):
    """One supplier's price for the whole request (询价: one price per supplier, B3)."""

    request = models.ForeignKey(PurchaseRequest, on_delete=models.CASCADE, related_name="quotes")
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("supplier")
    )
    supplier_name = models.CharField(_("supplier"), max_length=100)
    amount = models.DecimalField(_("amount"), **MONEY)
    quoted_on = models.DateField(_("quoted on"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=200, blank=True)
    chosen = models.BooleanField(_("chosen"), default=False)
    recorded_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["amount", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "supplier_name"],
                name="procurement_quote_one_per_supplier",
                violation_error_message=_("This supplier has already quoted; each supplier gives one price."),
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(chosen=True),
                name="procurement_quote_one_chosen",
                violation_error_message=_("Only one quote can be chosen."),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0),
                name="procurement_quote_amount_positive",
                violation_error_message=_("The amount must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_name} {self.amount}"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()


class ApprovalStep(models.Model):
    """One level of the approval chain of a request (后勤主任 → 校长 → 教育局), created on submission."""

    request = models.ForeignKey(PurchaseRequest, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    level = models.CharField(_("level"), max_length=20, choices=ApprovalLevel.choices)
    status = models.CharField(_("decision"), max_length=20, choices=StepStatus.choices, default=StepStatus.PENDING)
    decided_by = _user(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["request", "order"], name="procurement_step_unique_order")]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.get_status_display()}"


class Acceptance(SchoolOwnedModel):
    """The inspection of delivered goods (验收, B7), signed by at least two inspectors. A passed acceptance puts
    consumables into the store and cards into the asset register, and has a goods-received slip (入库单)."""

    request = models.ForeignKey(PurchaseRequest, on_delete=models.PROTECT, related_name="acceptances")
    slip_number = models.CharField(_("goods-received slip number"), max_length=20, blank=True)
    received_on = models.DateField(_("received on"))
    passed = models.BooleanField(_("passed"))
    inspectors = models.ManyToManyField("orgs.Person", related_name="+", verbose_name=_("inspectors"))
    supplier_name = models.CharField(_("supplier"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = _user(_("recorded by"))

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(passed=True),
                name="procurement_acceptance_one_passed",
                violation_error_message=_("This request has already been accepted."),
            ),
        ]

    def __str__(self) -> str:
        return self.slip_number or f"{self.request.number} {self.received_on}"

    def get_absolute_url(self) -> str:
        if self.passed:
            return reverse("procurement:acceptance_slip", args=[self.pk])
        return self.request.get_absolute_url()

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines.all()), Decimal("0.00"))


class AcceptanceLine(models.Model):
    """What was accepted of one request line, at what unit price, and what it became (a stock receipt or cards)."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(RequestLine, on_delete=models.PROTECT, related_name="+")
    accepted_quantity = models.DecimalField(_("accepted quantity"), **QTY)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    stock_movement = models.ForeignKey(
        "stock.StockMovement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    asset_refs = models.JSONField(_("asset cards"), default=list, blank=True)

    class Meta:
        verbose_name = _("acceptance line")
        verbose_name_plural = _("acceptance lines")
        ordering = ["line__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_quantity__gte=0),
                name="procurement_acceptance_quantity_not_negative",
                violation_error_message=_("The accepted quantity cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.name} × {plain(self.accepted_quantity)}"

    @property
    def amount(self) -> Decimal:
        return (self.accepted_quantity * self.unit_price).quantize(FEN)


class Donation(PinyinIndexed, SchoolOwnedModel):
    """The donations and sponsorships register (捐赠登记, A9): who gave what, its value, the receipt issued, the
    donor's purpose and how the gift was used."""

    number = models.CharField(_("register number"), max_length=20)
    donor_name = models.CharField(_("donor"), max_length=100)
    donor_kind = models.CharField(_("donor type"), max_length=20, choices=DonorKind.choices, default=DonorKind.OTHER)
    donor_contact = models.CharField(_("donor contact"), max_length=100, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=DonationKind.choices)
    description = models.CharField(_("what was given"), max_length=200)
    received_on = models.DateField(_("received on"))
    value = models.DecimalField(_("value"), **MONEY)
    value_basis = models.CharField(_("value based on"), max_length=20, choices=ValueBasis.choices)
    receipt_number = models.CharField(
        _("receipt number"), max_length=50, help_text=_("the number of the donation receipt (公益事业捐赠票据)")
    )
    purpose = models.CharField(_("donor's purpose"), max_length=200)
    use = models.TextField(_("how it was used"), blank=True)
    purpose_consent = models.CharField(
        _("donor's consent to a change of purpose"), max_length=200, blank=True, editable=False
    )
    recorded_by = _user(_("recorded by"))

    search_source_fields = ("donor_name", "description")

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="procurement_donation_unique_number"),
            models.UniqueConstraint(
                fields=["school", "receipt_number"],
                name="procurement_donation_unique_receipt",
                violation_error_message=_("A donation with this receipt number is registered."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gt=0),
                name="procurement_donation_value_positive",
                violation_error_message=_("The value must be greater than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.donor_name} {self.description}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:donation_detail", args=[self.pk])

    @property
    def is_nominal(self) -> bool:
        return self.value_basis == ValueBasis.NOMINAL
