from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetClass(models.TextChoices):
    """How an item is accounted for (A1): a fixed asset, a low-value durable item, or a consumable."""

    FIXED = "fixed", _("Fixed asset")
    LOW_VALUE = "low_value", _("Low-value durable item")
    CONSUMABLE = "consumable", _("Consumable")


class AssetStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered, card incomplete")
    IN_USE = "in_use", _("In use")
    IDLE = "idle", _("Idle")
    ON_LOAN = "on_loan", _("On loan")
    UNDER_REPAIR = "under_repair", _("Under repair")
    AWAITING_DISPOSAL = "awaiting_disposal", _("Awaiting disposal")
    DISPOSED = "disposed", _("Disposed")


# The badge colour of each status (Bootstrap's text-bg-*), one place for the register and the card.
STATUS_COLOURS: dict[str, str] = {
    AssetStatus.IN_USE: "success",
    AssetStatus.IDLE: "secondary",
    AssetStatus.ON_LOAN: "info",
    AssetStatus.UNDER_REPAIR: "warning",
    AssetStatus.AWAITING_DISPOSAL: "warning",
}

A = AssetStatus
# The statuses a card may be set to by hand (loans, disposal and stocktakes move it through their own services).
STATUS_TRANSITIONS: dict[str, set[str]] = {
    A.REGISTERED: {A.IN_USE, A.IDLE},
    A.IN_USE: {A.IDLE, A.UNDER_REPAIR},
    A.IDLE: {A.IN_USE, A.UNDER_REPAIR},
    A.UNDER_REPAIR: {A.IN_USE, A.IDLE},
}
# A card in one of these statuses can be transferred, lent or put forward for disposal.
MOVABLE = frozenset({A.REGISTERED, A.IN_USE, A.IDLE, A.UNDER_REPAIR})
LENDABLE = frozenset({A.REGISTERED, A.IN_USE, A.IDLE})


class AcquisitionMethod(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    DONATION = "donation", _("Donation")
    TRANSFER_IN = "transfer_in", _("Transferred in")
    SELF_BUILT = "self_built", _("Self-built")
    STOCKTAKE_GAIN = "stocktake_gain", _("Found in a stocktake")
    OTHER = "other", _("Other")


class FundingSource(models.TextChoices):
    """The values are the API contract's (Chinese words are the stored codes)."""

    FISCAL = "财政拨款", _("Fiscal allocation")
    SELF_RAISED = "自筹", _("Self-raised funds")
    DONATION = "捐赠", _("Donation or sponsorship")
    OTHER = "其他", _("Other")


class ValueType(models.TextChoices):
    COST = "cost", _("Historical cost")
    ESTIMATE = "estimate", _("Estimated value")
    REPLACEMENT = "replacement", _("Replacement cost")
    NOMINAL = "nominal", _("Nominal amount (1 yuan)")


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    UPDATED = "updated", _("Card changed")
    STATUS_CHANGED = "status_changed", _("Status changed")
    TRANSFER_REQUESTED = "transfer_requested", _("Transfer requested")
    TRANSFERRED = "transferred", _("Transferred")
    TRANSFER_REJECTED = "transfer_rejected", _("Transfer rejected")
    HANDED_OVER = "handed_over", _("Hand-over signed")
    LENT = "lent", _("Lent")
    RETURNED = "returned", _("Returned")
    DISPOSAL_REQUESTED = "disposal_requested", _("Disposal requested")
    DISPOSAL_REJECTED = "disposal_rejected", _("Disposal rejected")
    DISPOSED = "disposed", _("Disposed")
    STOCKTAKE_DIFFERENCE = "stocktake_difference", _("Stocktake difference")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


T = TransferStatus
TRANSFER_TRANSITIONS: dict[str, set[str]] = {T.PENDING: {T.DONE, T.REJECTED, T.CANCELLED}}


class StocktakeStatus(models.TextChoices):
    OPEN = "open", _("Counting")
    CLOSED = "closed", _("Closed, differences awaiting approval")
    APPROVED = "approved", _("Differences approved")


class StocktakeResult(models.TextChoices):
    PENDING = "pending", _("Not yet found")
    MATCHED = "matched", _("Matched")
    SURPLUS = "surplus", _("Surplus (found without a card)")
    MISSING = "missing", _("Missing")
    MISPLACED = "misplaced", _("In the wrong place")


DIFFERENCES = frozenset({StocktakeResult.SURPLUS, StocktakeResult.MISSING, StocktakeResult.MISPLACED})


class DisposalMethod(models.TextChoices):
    SCRAP = "scrap", _("Scrapping")
    LOSS = "loss", _("Write-off of a loss")
    SALE = "sale", _("Sale")
    TRANSFER_OUT = "transfer_out", _("Transfer to another unit")
    DONATION_OUT = "donation_out", _("Donation to another unit")


class DisposalStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    DONE = "done", _("Disposed")
    REJECTED = "rejected", _("Rejected")
