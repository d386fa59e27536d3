from django.db import models
from django.utils.translation import gettext_lazy as _


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ISSUE = "issue", _("Issue")
    RETURN = "return", _("Return")
    ADJUSTMENT = "adjustment", _("Adjustment")
    REVERSAL = "reversal", _("Reversal")


class Amortisation(models.TextChoices):
    """How issued low-value consumables are expensed (A18)."""

    ONE_OFF = "one_off", _("Expensed on issue (一次转销)")
    # xgettext:no-python-format
    FIFTY_FIFTY = "fifty_fifty", _("50% on issue, 50% on scrapping (五五摊销)")


class ItemCategory(models.TextChoices):
    OFFICE = "office", _("Office supplies")
    CLEANING = "cleaning", _("Cleaning and disinfection")
    TEACHING = "teaching", _("Teaching supplies")
    MEDICAL = "medical", _("Medical and protective supplies")
    MAINTENANCE = "maintenance", _("Maintenance materials")
    OTHER = "other", _("Other")


class RequisitionStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    RECEIVED = "received", _("Received")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


S = RequisitionStatus
REQUISITION_TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.APPROVED, S.ISSUED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.ISSUED, S.CANCELLED},
    S.ISSUED: {S.RECEIVED},
}


class CountStatus(models.TextChoices):
    OPEN = "open", _("Counting")
    CLOSED = "closed", _("Count finished")
