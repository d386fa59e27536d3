from django.db import models
from django.utils.translation import gettext_lazy as _

# One list of funding sources for the asset register and purchasing (the API contract's words are the values).
from houqin.assets.choices import FundingSource

__all__ = ["FundingSource"]


class LineKind(models.TextChoices):
    CONSUMABLE = "consumable", _("Consumable (into the store)")
    ASSET = "asset", _("Asset (a card in the register)")


class ProcurementMethod(models.TextChoices):
    """How the goods are bought, from the lightest to the strictest regime (B1)."""

    DIRECT = "direct", _("Small direct purchase")
    QUOTES = "quotes", _("School purchase with quotes")
    GOVERNMENT = "government", _("Government procurement (e-mall)")
    TENDER = "tender", _("Open tender")


METHOD_RANK = {method: rank for rank, method in enumerate(ProcurementMethod.values)}


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ORDERED = "ordered", _("Ordered")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


S = RequestStatus
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.APPROVED, S.REJECTED, S.CANCELLED},
    # Acceptance straight from "approved" is allowed for purchases collected on the spot; the ordering rules are
    # checked then as well.
    S.APPROVED: {S.ORDERED, S.ACCEPTED, S.CANCELLED},
    S.ORDERED: {S.ACCEPTED, S.CANCELLED},
}

# Quotes can be gathered until the goods are ordered.
QUOTABLE = {S.DRAFT, S.SUBMITTED, S.APPROVED}
# Requests that count as spending or planned spending (the split-purchase check, the spending report).
LIVE = {S.SUBMITTED, S.APPROVED, S.ORDERED, S.ACCEPTED}


class ApprovalLevel(models.TextChoices):
    LOGISTICS = "logistics", _("Logistics director")
    PRINCIPAL = "principal", _("Principal")
    BUREAU = "bureau", _("Education bureau")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ValueBasis(models.TextChoices):
    """How a donation's value was established (A9): without a document, appraisal or market price it is recorded
    at the nominal amount of 1 yuan."""

    DOCUMENT = "document", _("Invoice or agreement")
    APPRAISAL = "appraisal", _("Appraisal")
    MARKET = "market", _("Market price")
    NOMINAL = "nominal", _("Nominal amount (1 yuan)")


class DonationKind(models.TextChoices):
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")
    WORKS = "works", _("Works or services (sponsorship)")


class DonorKind(models.TextChoices):
    PARENT = "parent", _("Parent")
    COMPANY = "company", _("Company")
    ALUMNI = "alumni", _("Alumni")
    ORGANISATION = "organisation", _("Organisation")
    OTHER = "other", _("Other")


class StatutoryMethod(models.TextChoices):
    """The government procurement method (采购方式, 7.1.1) used inside the regime of `ProcurementMethod`: the
    procedure a request follows (B4–B6); blank for a school's own purchase below the government thresholds."""

    OPEN_TENDER = "open_tender", _("Open tender")
    INVITED_TENDER = "invited_tender", _("Invited tender")
    NEGOTIATION = "negotiation", _("Competitive negotiation")
    SINGLE_SOURCE = "single_source", _("Single source")
    RFQ = "rfq", _("Request for quotation")


# The methods evaluated by a panel (B4) and the tenders with a tender period (B6).
PANEL_METHODS = {StatutoryMethod.RFQ, StatutoryMethod.NEGOTIATION}
TENDER_METHODS = {StatutoryMethod.OPEN_TENDER, StatutoryMethod.INVITED_TENDER}


class SingleSourceReason(models.TextChoices):
    """The three statutory reasons for single-source procurement (B5, 《政府采购法》 art. 31)."""

    UNIQUE_SUPPLIER = "unique", _("Only one supplier can provide it")
    EMERGENCY = "emergency", _("Unforeseeable emergency, no other supplier possible")
    ADD_ON = "add_on", _("Add-on purchase from the original supplier for consistency")
