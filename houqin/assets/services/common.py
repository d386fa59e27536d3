"""What the asset services share: the card's history line written with each change, the card re-read under
lock, and the messages of decisions (nobody decides their own request; a rejection says why)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.assets.models import Asset, AssetEvent
from houqin.core import audit
from houqin.core.crud import lock

if TYPE_CHECKING:
    from houqin.accounts.models import User

CARD_CLOSED = gettext_noop("%(asset)s has been disposed of; its card is closed.")
REASON_REQUIRED = gettext_noop("Give the reason.")
NO_ASSETS = gettext_noop("Choose at least one asset.")
CANNOT_DECIDE_OWN = gettext_noop("You cannot approve or reject your own request.")
TRANSITION_NOT_ALLOWED = gettext_noop("The request is %(current)s and cannot become %(target)s.")
COMMENT_REQUIRED = gettext_noop("Give a reason for the rejection.")

# The fields that place a card; they change only through a transfer (or a stocktake's approved difference).
PLACEMENT = ("department", "place", "custodian")


def record_event(
    asset: Asset, kind: str, *, actor: User | None, message: str = "", changes: dict | None = None
) -> AssetEvent:
    """Append one line to the card's history (the same transaction as the change it explains)."""
    return AssetEvent.objects.create(
        school_id=asset.school_id,
        asset=asset,
        kind=kind,
        occurred_at=timezone.now(),
        actor=actor,
        message=message[:300],
        changes=changes or {},
    )


def change(actor: User, asset: Asset, values: dict[str, Any], kind: str, message: str = "") -> dict[str, list]:
    """Set `values` on the locked card, save, and write its history line and audit event; returns the changes."""
    changes = audit.diff(asset, values)
    if changes:
        asset.save()
        record_event(asset, kind, actor=actor, message=message, changes=changes)
        audit.record(actor=actor, action=f"assets.asset.{kind}", target=asset, changes=changes, message=message)
    return changes


def open_card(asset: Asset) -> Asset:
    """The card re-read under lock; refused when it is closed (disposed)."""
    asset = lock(Asset, asset.pk)
    if asset.is_closed:
        raise ValidationError(_(CARD_CLOSED) % {"asset": asset})
    return asset


def require_comment(comment: str) -> None:
    """A rejection says why."""
    if not comment.strip():
        raise ValidationError({"comment": _(COMMENT_REQUIRED)})
