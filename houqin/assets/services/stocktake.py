"""Stocktakes (盘点, A11): start over chosen places with the expected list fixed, scan or tick room by room, close
to count the differences, and change the ledger only when someone else approves them, each with its cause."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.assets.choices import (
    DIFFERENCES,
    MOVABLE,
    AcquisitionMethod,
    AssetStatus,
    EventKind,
    FundingSource,
    StocktakeResult,
    StocktakeStatus,
    ValueType,
)
from houqin.assets.models import Asset, Stocktake, StocktakeLine
from houqin.assets.services.cards import asset_create
from houqin.assets.services.common import CANNOT_DECIDE_OWN, change
from houqin.core import audit
from houqin.core.crud import lock, require_perm, require_same_school
from houqin.core.money import to_yuan
from houqin.core.numbering import next_number

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Place, School

NO_PLACES = gettext_noop("Choose at least one place to count.")
NAME_REQUIRED = gettext_noop("Enter the name of the stocktake.")
NOT_OPEN = gettext_noop("The stocktake is closed; scans can no longer be recorded.")
NOT_CLOSED = gettext_noop("Close the stocktake before approving its differences.")
NUMBER_REQUIRED = gettext_noop("Enter or scan the asset number.")
CAUSE_REQUIRED = gettext_noop("Give the cause of every difference first: %(items)s.")
NOT_A_DIFFERENCE = gettext_noop("Only a difference needs a cause.")
ALREADY_APPROVED = gettext_noop("The differences have already been approved.")
FOUND_NAME_REQUIRED = gettext_noop("Enter the name of the item found.")
FOUND_VALUE_REQUIRED = gettext_noop("Enter the estimated value of the item found.")
FOUND_PLACE_REQUIRED = gettext_noop("Choose the place where the item was found.")

R = StocktakeResult


def assets_in(school: School, places: Sequence[Place]) -> QuerySet[Asset]:
    """The school's cards (not disposed) whose place is one of `places` or inside one of them."""
    inside = [Q(place=p) | Q(place__full_name__startswith=f"{p.full_name} / ") for p in places]
    return (
        Asset.objects.filter(school=school)
        .exclude(status=AssetStatus.DISPOSED)
        .filter(reduce(or_, inside, Q(pk__in=[])))
    )


@transaction.atomic
def stocktake_create(*, actor: User, school: School, name: str, places: Sequence[Place]) -> Stocktake:
    """Start a count: one line per asset the ledger places there (the expected list, fixed from now on)."""
    require_perm(actor, "assets.add_stocktake")
    if not name.strip():
        raise ValidationError({"name": _(NAME_REQUIRED)})
    if not places:
        raise ValidationError({"places": _(NO_PLACES)})
    require_same_school(school, **{f"place {p.pk}": p for p in places})
    stocktake = Stocktake.objects.create(
        school=school,
        number=next_number(school=school, prefix="PD", year=timezone.localdate().year),
        name=name.strip(),
        created_by=actor,
    )
    stocktake.places.set(places)
    expected = assets_in(school, places).values_list("pk", "asset_no", "name", "place_id")
    StocktakeLine.objects.bulk_create(
        [
            StocktakeLine(
                school=school, stocktake=stocktake, asset_id=pk, asset_no=no, name=asset_name, expected_place_id=place
            )
            for pk, no, asset_name, place in expected
        ],
        batch_size=1000,
    )
    stocktake.expected = stocktake.lines.count()
    stocktake.save(update_fields=["expected"])
    audit.record(
        actor=actor,
        action="assets.stocktake.created",
        target=stocktake,
        changes={"places": [None, [str(p) for p in places]], "expected": [None, stocktake.expected]},
    )
    return stocktake


def _open_stocktake(stocktake: Stocktake) -> Stocktake:
    stocktake = lock(Stocktake, stocktake.pk)
    if stocktake.status != StocktakeStatus.OPEN:
        raise ValidationError(_(NOT_OPEN))
    return stocktake


@transaction.atomic
def stocktake_scan(*, actor: User, stocktake: Stocktake, asset_no: str, place: Place | None = None) -> StocktakeLine:
    """Record an asset found (scanned or ticked), in `place` if given: matched where the ledger expects it,
    misplaced elsewhere or when the ledger puts it outside the count, surplus when no card has that number."""
    require_perm(actor, "assets.change_stocktake")
    stocktake = _open_stocktake(stocktake)
    require_same_school(stocktake.school, place=place)
    number = asset_no.strip()
    if not number:
        raise ValidationError({"asset_no": _(NUMBER_REQUIRED)})
    asset = Asset.objects.filter(school_id=stocktake.school_id, asset_no__iexact=number).first()
    line = _line_for(stocktake, asset, number)
    if asset is None or asset.status == AssetStatus.DISPOSED:
        result = R.SURPLUS
    elif line.pk is None:
        result = R.MISPLACED
    else:
        result = R.MISPLACED if place is not None and place.pk != line.expected_place_id else R.MATCHED
    line.result = result
    line.found_place = place or line.found_place or (line.expected_place if result == R.MATCHED else None)
    line.scanned_at, line.scanned_by = timezone.now(), actor
    line.save()
    return line


def _line_for(stocktake: Stocktake, asset: Asset | None, number: str) -> StocktakeLine:
    """The stocktake's line for this asset (or number), or a new unsaved one for something not expected."""
    lines = stocktake.lines.order_by("pk").select_for_update()  # no join to the place: PostgreSQL locks rows
    found = lines.filter(asset=asset).first() if asset is not None else lines.filter(asset_no__iexact=number).first()
    if found is not None:
        return found
    return StocktakeLine(
        school_id=stocktake.school_id,
        stocktake=stocktake,
        asset=asset,
        asset_no=asset.asset_no if asset is not None else number,
        name=asset.name if asset is not None else "",
        expected_place=asset.place if asset is not None else None,
    )


@transaction.atomic
def stocktake_register_found(
    *,
    actor: User,
    stocktake: Stocktake,
    name: str,
    estimated_value: Decimal | None,
    place: Place | None,
    cause: str = "",
    asset_no: str = "",
) -> StocktakeLine:
    """Register on the spot an item found without a card (盘盈): a surplus line with its name, estimated value and
    place. Its card is created only when the differences are approved (at the estimated value)."""
    require_perm(actor, "assets.change_stocktake")
    require_perm(actor, "assets.add_asset")
    stocktake = _open_stocktake(stocktake)
    require_same_school(stocktake.school, place=place)
    if not name.strip():
        raise ValidationError({"name": _(FOUND_NAME_REQUIRED)})
    if estimated_value is None or estimated_value < 0:
        raise ValidationError({"estimated_value": _(FOUND_VALUE_REQUIRED)})
    if place is None:
        raise ValidationError({"place": _(FOUND_PLACE_REQUIRED)})
    line = StocktakeLine.objects.create(
        school_id=stocktake.school_id,
        stocktake=stocktake,
        asset_no=asset_no.strip(),
        name=name.strip(),
        found_place=place,
        result=R.SURPLUS,
        cause=cause.strip(),
        estimated_value=to_yuan(estimated_value),
        scanned_at=timezone.now(),
        scanned_by=actor,
    )
    audit.record(
        actor=actor,
        action="assets.stocktake.found",
        target=stocktake,
        changes={"found": [None, f"{line.name} {line.estimated_value}"]},
        message=cause,
    )
    return line


@transaction.atomic
def stocktake_explain(*, actor: User, line: StocktakeLine, cause: str) -> StocktakeLine:
    """State the cause of a difference (A11) before the differences are approved."""
    require_perm(actor, "assets.change_stocktake")
    line = lock(StocktakeLine, line.pk)
    if line.stocktake.status == StocktakeStatus.APPROVED:
        raise ValidationError(_(ALREADY_APPROVED))
    if line.result not in DIFFERENCES and line.result != R.PENDING:
        raise ValidationError(_(NOT_A_DIFFERENCE))
    if not cause.strip():
        raise ValidationError({"cause": _(CAUSE_REQUIRED) % {"items": line.asset_no}})
    line.cause = cause.strip()
    line.save(update_fields=["cause", "updated_at"])
    return line


@transaction.atomic
def stocktake_close(*, actor: User, stocktake: Stocktake) -> Stocktake:
    """End the count: what was not found is missing; the counts are kept on the stocktake."""
    require_perm(actor, "assets.change_stocktake")
    stocktake = _open_stocktake(stocktake)
    stocktake.lines.filter(result=R.PENDING).update(result=R.MISSING, updated_at=timezone.now())
    counts = {result: stocktake.lines.filter(result=result).count() for result in (R.MATCHED, *sorted(DIFFERENCES))}
    for result, count in counts.items():
        setattr(stocktake, result, count)
    stocktake.status = StocktakeStatus.CLOSED
    stocktake.closed_by, stocktake.closed_at = actor, timezone.now()
    stocktake.save()
    audit.record(
        actor=actor,
        action="assets.stocktake.closed",
        target=stocktake,
        changes={result: [None, count] for result, count in counts.items()},
    )
    return stocktake


@transaction.atomic
def stocktake_approve(*, actor: User, stocktake: Stocktake, comment: str = "") -> Stocktake:
    """Approve the differences (not one's own count), each with its cause; only now does the ledger change:
    a misplaced asset moves to where it was found, a missing one awaits disposal (write-off)."""
    require_perm(actor, "assets.approve_stocktake")
    stocktake = lock(Stocktake, stocktake.pk)
    if stocktake.status != StocktakeStatus.CLOSED:
        raise ValidationError(_(ALREADY_APPROVED) if stocktake.status == StocktakeStatus.APPROVED else _(NOT_CLOSED))
    if actor.pk in (stocktake.created_by_id, stocktake.closed_by_id):
        raise ValidationError(_(CANNOT_DECIDE_OWN))
    differences = list(stocktake.lines.filter(result__in=DIFFERENCES).select_related("found_place"))
    unexplained = [line.asset_no or line.name for line in differences if not line.cause]
    if unexplained:
        raise ValidationError(_(CAUSE_REQUIRED) % {"items": "、".join(unexplained[:10])})
    for line in differences:
        _apply(actor, stocktake, line)
    stocktake.status = StocktakeStatus.APPROVED
    stocktake.approved_by, stocktake.approved_at = actor, timezone.now()
    stocktake.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(
        actor=actor,
        action="assets.stocktake.approved",
        target=stocktake,
        changes={"status": [StocktakeStatus.CLOSED, StocktakeStatus.APPROVED]},
        message=comment,
    )
    return stocktake


def _apply(actor: User, stocktake: Stocktake, line: StocktakeLine) -> None:
    if line.asset_id is None:
        _register_found(stocktake, line)
        return
    asset = lock(Asset, line.asset_id)
    message = f"{stocktake.number} {line.get_result_display()}：{line.cause}"
    if line.result == R.MISPLACED and line.found_place_id is not None:
        change(actor, asset, {"place": line.found_place}, EventKind.STOCKTAKE_DIFFERENCE, message)
    elif line.result == R.MISSING and asset.status in MOVABLE:
        change(actor, asset, {"status": AssetStatus.AWAITING_DISPOSAL}, EventKind.STOCKTAKE_DIFFERENCE, message)


def _register_found(stocktake: Stocktake, line: StocktakeLine) -> None:
    """The card of an item found without one, now that the surplus is approved: registered by whoever found it,
    at the estimated value, where it was found. A scanned number nobody described stays a line only."""
    if line.estimated_value is None or not line.name or line.scanned_by is None:
        return
    number_free = (
        line.asset_no and not Asset.objects.filter(school_id=stocktake.school_id, asset_no=line.asset_no).exists()
    )
    asset = asset_create(
        actor=line.scanned_by,
        school=stocktake.school,
        name=line.name,
        unit_price=line.estimated_value,
        acquired_on=timezone.localdate(),
        funding_source=FundingSource.OTHER,
        acquisition_method=AcquisitionMethod.STOCKTAKE_GAIN,
        value_type=ValueType.ESTIMATE,
        place=line.found_place,
        source=stocktake.number,
        notes=line.cause,
        asset_no=line.asset_no if number_free else "",
    )
    line.asset = asset
    line.save(update_fields=["asset", "updated_at"])
