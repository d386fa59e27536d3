"""Disposal (报废/报损, A12): a request for one or more assets with the collective decision behind it, an approval
tier computed from their original value, and on approval the cards closed (never deleted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from houqin.assets import categories
from houqin.assets.choices import MOVABLE, AssetClass, AssetStatus, DisposalMethod, DisposalStatus, EventKind
from houqin.assets.models import Asset, Disposal
from houqin.assets.services.common import (
    CANNOT_DECIDE_OWN,
    NO_ASSETS,
    REASON_REQUIRED,
    TRANSITION_NOT_ALLOWED,
    change,
    open_card,
    require_comment,
)
from houqin.core import audit
from houqin.core.crud import lock, require_perm, require_same_school
from houqin.core.money import to_yuan
from houqin.core.numbering import next_number
from houqin.core.policies import POLICIES, policy

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import School

NOT_DISPOSABLE = gettext_noop("%(asset)s is %(status)s and cannot be put forward for disposal.")
DECISION_REQUIRED = gettext_noop("Record the collective decision (e.g. the meeting minutes) behind this disposal.")
BELOW_MINIMUM_LIFE = gettext_noop(
    "%(asset)s is younger than the minimum life of %(months)s months; only an abnormal loss can be written off early."
)
TIER_NEEDS_PRINCIPAL = gettext_noop("A disposal of this value must be approved at the %(tier)s tier.")
APPRAISAL_REQUIRED = gettext_noop("A sale needs the appraised value.")
SALE_PRICE_REQUIRED = gettext_noop("Enter the sale price.")
SALE_BELOW_FLOOR = gettext_noop(
    "The sale price %(price)s is below %(ratio)s of the appraised value %(appraised)s (lowest %(floor)s)."
)
DOCUMENT_REQUIRED = gettext_noop("A disposal at the %(tier)s tier needs the number of that authority's approval.")

#
# Disposal (报废/报损, A12)
#


@dataclass(frozen=True)
class Tier:
    code: str
    label: Any
    limit_key: str | None  # the policy holding the highest original value (inclusive) it approves; None: no limit
    permission: str
    external: bool = False  # approved outside the school: the approval's document number is recorded

    def limit(self, school: School | None, on: dt.date | None = None) -> Decimal | None:
        if self.limit_key is None:
            return None
        return policy(self.limit_key, school=school, on=on) if school is not None else POLICIES[self.limit_key].default


# The tier table (a Chongqing example in china-rules 1.5.4); each limit is a district setting (core.policies).
# Buildings, land and vehicles always take the last tier.
DISPOSAL_TIERS: tuple[Tier, ...] = (
    Tier("leader", gettext_lazy("School leader in charge"), "assets.disposal_leader_limit", "assets.approve_disposal"),
    Tier("principal", gettext_lazy("Principal"), "assets.disposal_principal_limit", "assets.approve_major_disposal"),
    Tier(
        "office_meeting",
        gettext_lazy("Principal's office meeting"),
        "assets.disposal_meeting_limit",
        "assets.approve_major_disposal",
    ),
    Tier(
        "bureau",
        gettext_lazy("Education bureau"),
        "assets.disposal_bureau_limit",
        "assets.approve_major_disposal",
        True,
    ),
    Tier("finance", gettext_lazy("Finance bureau"), None, "assets.approve_major_disposal", True),
)
TIERS_BY_CODE = {tier.code: tier for tier in DISPOSAL_TIERS}


def disposal_tier(
    original_value: Decimal, codes: Sequence[str] = (), *, school: School | None = None, on: dt.date | None = None
) -> Tier:
    """The tier that approves a disposal of this total original value (single asset or batch), by the limits in
    force for the school (the national defaults without one)."""
    if any(categories.needs_top_tier(code) for code in codes):
        return DISPOSAL_TIERS[-1]
    for tier in DISPOSAL_TIERS:
        limit = tier.limit(school, on)
        if limit is None or original_value <= limit:
            return tier
    return DISPOSAL_TIERS[-1]


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _check_disposable(asset: Asset, method: str, today: dt.date) -> None:
    # A card may already await disposal without a request (missing in an approved stocktake).
    written_off = (
        asset.status == AssetStatus.AWAITING_DISPOSAL
        and not asset.disposals.filter(status=DisposalStatus.PENDING).exists()
    )
    if asset.status not in MOVABLE and not written_off:
        raise ValidationError(_(NOT_DISPOSABLE) % {"asset": asset, "status": asset.get_status_display()})
    floor = categories.life_floor_months(asset.category_code)
    if (
        method != DisposalMethod.LOSS
        and asset.asset_class == AssetClass.FIXED
        and floor is not None
        and _months_between(asset.acquired_on, today) < floor
    ):
        raise ValidationError(_(BELOW_MINIMUM_LIFE) % {"asset": asset, "months": floor})


@transaction.atomic
def disposal_request(
    *,
    actor: User,
    assets: Sequence[Asset],
    reason: str,
    collective_decision: str,
    method: str = DisposalMethod.SCRAP,
    appraised_value: Decimal | None = None,
) -> Disposal:
    """Put assets forward for disposal with the collective decision behind it; the tier follows their value.
    A sale states the appraised value its price is held to (A13)."""
    require_perm(actor, "assets.add_disposal")
    if method == DisposalMethod.SALE and appraised_value is None:
        raise ValidationError({"appraised_value": _(APPRAISAL_REQUIRED)})
    if not assets:
        raise ValidationError(_(NO_ASSETS))
    if not reason.strip():
        raise ValidationError({"reason": _(REASON_REQUIRED)})
    if not collective_decision.strip():
        raise ValidationError({"collective_decision": _(DECISION_REQUIRED)})
    locked = [open_card(asset) for asset in sorted(assets, key=lambda a: a.pk)]
    school = locked[0].school
    require_same_school(school, **{f"asset {a.asset_no}": a for a in locked})
    today = timezone.localdate()
    for asset in locked:
        _check_disposable(asset, method, today)
    total = to_yuan(sum((a.original_value for a in locked), Decimal(0)))
    disposal = Disposal(
        school=school,
        number=next_number(school=school, prefix="BF", year=today.year),
        method=method,
        reason=reason.strip(),
        collective_decision=collective_decision.strip(),
        original_value=total,
        appraised_value=to_yuan(appraised_value)
        if method == DisposalMethod.SALE and appraised_value is not None
        else None,
        tier=disposal_tier(total, [a.category_code for a in locked], school=school, on=today).code,
        requested_by=actor,
        statuses_before={str(a.pk): a.status for a in locked},
    )
    disposal.full_clean()
    disposal.save()
    disposal.assets.set(locked)
    for asset in locked:
        change(actor, asset, {"status": AssetStatus.AWAITING_DISPOSAL}, EventKind.DISPOSAL_REQUESTED, reason)
    audit.record(
        actor=actor,
        action="assets.disposal.created",
        target=disposal,
        changes={"original_value": [None, total], "tier": [None, disposal.tier]},
        message=reason,
    )
    return disposal


def _decide_disposal(actor: User, disposal: Disposal, target: str, comment: str) -> Disposal:
    disposal = lock(Disposal, disposal.pk)
    if disposal.status != DisposalStatus.PENDING:
        raise ValidationError(
            _(TRANSITION_NOT_ALLOWED)
            % {"current": disposal.get_status_display(), "target": DisposalStatus(target).label}
        )
    if disposal.requested_by_id == actor.pk:
        raise ValidationError(_(CANNOT_DECIDE_OWN))
    disposal.status = target
    disposal.decided_by, disposal.decided_at = actor, timezone.now()
    disposal.decision_comment = comment.strip()
    return disposal


@transaction.atomic
def disposal_approve(
    *,
    actor: User,
    disposal: Disposal,
    approval_document: str = "",
    comment: str = "",
    sale_price: Decimal | None = None,
) -> Disposal:
    """Approve at the request's tier (not one's own): the cards are closed as disposed, never deleted. A sale is
    completed only at a price not below the floor share of its appraised value (A13)."""
    require_perm(actor, "assets.approve_disposal")
    tier = TIERS_BY_CODE[lock(Disposal, disposal.pk).tier]
    if not actor.has_perm(tier.permission):
        raise PermissionDenied(_(TIER_NEEDS_PRINCIPAL) % {"tier": tier.label})
    if tier.external and not approval_document.strip():
        raise ValidationError({"approval_document": _(DOCUMENT_REQUIRED) % {"tier": tier.label}})
    disposal = _decide_disposal(actor, disposal, DisposalStatus.DONE, comment)
    if disposal.method == DisposalMethod.SALE:
        disposal.sale_price = _checked_sale_price(disposal, sale_price)
    disposal.approval_document = approval_document.strip()
    disposal.disposed_on = timezone.localdate()
    disposal.save()
    for asset in disposal.assets.order_by("pk"):
        asset = lock(Asset, asset.pk)
        values = {"status": AssetStatus.DISPOSED, "disposed_on": disposal.disposed_on}
        change(actor, asset, values, EventKind.DISPOSED, f"{disposal.number} {disposal.get_method_display()}")
    audit.record(
        actor=actor,
        action="assets.disposal.done",
        target=disposal,
        changes={"status": [DisposalStatus.PENDING, DisposalStatus.DONE]},
        message=disposal.approval_document or comment,
    )
    return disposal


def _checked_sale_price(disposal: Disposal, sale_price: Decimal | None) -> Decimal:
    if sale_price is None:
        raise ValidationError({"sale_price": _(SALE_PRICE_REQUIRED)})
    price = to_yuan(sale_price)
    ratio = policy("assets.sale_floor_ratio", school=disposal.school)
    appraised = disposal.appraised_value or Decimal(0)
    floor = to_yuan(appraised * ratio)
    if price < floor:
        raise ValidationError(
            {
                "sale_price": _(SALE_BELOW_FLOOR)
                % {"price": price, "ratio": f"{ratio:.0%}", "appraised": appraised, "floor": floor}
            }
        )
    return price


@transaction.atomic
def disposal_reject(*, actor: User, disposal: Disposal, comment: str) -> Disposal:
    """Refuse a disposal, saying why; the assets go back to the status they had."""
    require_perm(actor, "assets.approve_disposal")
    require_comment(comment)
    disposal = _decide_disposal(actor, disposal, DisposalStatus.REJECTED, comment)
    disposal.save()
    for asset in disposal.assets.order_by("pk"):
        asset = lock(Asset, asset.pk)
        before = disposal.statuses_before.get(str(asset.pk), AssetStatus.IDLE)
        change(actor, asset, {"status": before}, EventKind.DISPOSAL_REJECTED, comment)
    audit.record(
        actor=actor,
        action="assets.disposal.rejected",
        target=disposal,
        changes={"status": [DisposalStatus.PENDING, DisposalStatus.REJECTED]},
        message=comment,
    )
    return disposal
