"""Reads of the asset register, always from visible_to(user) (or one school for other modules' services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.assets import depreciation
from houqin.assets.choices import (
    DIFFERENCES,
    AssetClass,
    AssetStatus,
    DisposalStatus,
    StocktakeStatus,
    TransferStatus,
)
from houqin.assets.models import Asset, Disposal, Lease, Loan, Stocktake, StocktakeLine, Transfer
from houqin.core.search import search

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Person, School

LIST_RELATED = ("department", "place", "custodian")


def asset_list(*, user: User, q: str | None = None, **filters: Any) -> QuerySet[Asset]:
    """The cards the user may see; `q` matches the name, the number and the pinyin (initials) of the name."""
    assets = Asset.objects.visible_to(user).select_related(*LIST_RELATED)
    assets = assets.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    return search(assets, q) if q else assets


def my_assets(*, user: User) -> QuerySet[Asset]:
    """The cards the user keeps as custodian (any member of staff with a staff record)."""
    if user.person_id is None:
        return Asset.objects.none()
    return (
        Asset.objects.visible_to(user)
        .filter(custodian_id=user.person_id)
        .exclude(status=AssetStatus.DISPOSED)
        .select_related(*LIST_RELATED)
    )


def open_before_leaving(person: Person) -> list[str]:
    """What a member of staff must settle before leaving: cards they keep, assets they have on loan."""
    kept = to_hand_over(person).count()
    borrowed = Loan.objects.filter(borrower=person, returned_on__isnull=True).count()
    items = []
    if kept:
        items.append(_("%(count)s assets kept as custodian (transfer them)") % {"count": kept})
    if borrowed:
        items.append(_("%(count)s assets on loan (return them)") % {"count": borrowed})
    return items


def to_hand_over(person: Person) -> QuerySet[Asset]:
    """The cards a person still keeps: all of them must be handed over (transferred) before they leave."""
    return Asset.objects.filter(custodian=person).exclude(status=AssetStatus.DISPOSED).select_related("place")


def kept_by_leavers(*, user: User) -> QuerySet[Asset]:
    """Cards still kept by staff marked as left: to transfer to a new custodian."""
    leavers = Q(custodian__is_active=False) | Q(custodian__left_on__isnull=False)
    return Asset.objects.visible_to(user).exclude(status=AssetStatus.DISPOSED).filter(leavers)


def similar_idle_assets(*, school: School, name: str) -> QuerySet[Asset]:
    """Idle assets of the school whose name (or its pinyin) matches: the duplicate-purchase warning."""
    idle = Asset.objects.filter(school=school, status=AssetStatus.IDLE).select_related("place")
    name = (name or "").strip()
    if not name:
        return idle.none()
    return search(idle, name)


def transfers_waiting_for(*, user: User) -> QuerySet[Transfer]:
    """Transfers this user may approve (not their own requests)."""
    if not user.has_perm("assets.approve_transfer"):
        return Transfer.objects.none()
    return (
        Transfer.objects.visible_to(user)
        .filter(status=TransferStatus.PENDING)
        .exclude(requested_by=user)
        .select_related("asset", "requested_by", "to_department", "to_place", "to_custodian")
    )


def handovers_to_sign(*, user: User) -> QuerySet[Transfer]:
    """Done transfers where the user, as old or new custodian, has not yet signed the hand-over."""
    if user.person_id is None:
        return Transfer.objects.none()
    return (
        Transfer.objects.visible_to(user)
        .filter(status=TransferStatus.DONE)
        .filter(
            Q(from_custodian_id=user.person_id, released_at__isnull=True)
            | Q(to_custodian_id=user.person_id, received_at__isnull=True)
        )
        .exclude(to_custodian__isnull=True)
        .select_related("asset")
    )


def open_loans(*, user: User) -> QuerySet[Loan]:
    return Loan.objects.visible_to(user).filter(returned_on__isnull=True).select_related("asset", "borrower")


def overdue_loans(*, user: User, today: dt.date | None = None) -> QuerySet[Loan]:
    return open_loans(user=user).filter(due_on__lt=today or timezone.localdate())


def disposals_waiting_for(*, user: User) -> QuerySet[Disposal]:
    if not user.has_perm("assets.approve_disposal"):
        return Disposal.objects.none()
    return Disposal.objects.visible_to(user).filter(status=DisposalStatus.PENDING).exclude(requested_by=user)


def stocktakes_waiting_for(*, user: User) -> QuerySet[Stocktake]:
    if not user.has_perm("assets.approve_stocktake"):
        return Stocktake.objects.none()
    return (
        Stocktake.objects.visible_to(user)
        .filter(status=StocktakeStatus.CLOSED)
        .exclude(created_by=user)
        .exclude(closed_by=user)
    )


def stocktake_lines(stocktake: Stocktake, *, differences_only: bool = False) -> QuerySet[StocktakeLine]:
    """The lines of a stocktake room by room (its differences only, if asked) with the places they name."""
    lines = stocktake.lines.select_related("expected_place", "found_place")
    return lines.filter(result__in=DIFFERENCES) if differences_only else lines


def history(asset: Asset) -> QuerySet:
    """The card's history, newest first."""
    return asset.events.select_related("actor")


#
# Reports
#


def depreciation_rows(*, user: User, on: dt.date, **filters: Any) -> list[depreciation.DepreciationRow]:
    """The depreciation report as of `on`: every fixed asset acquired by then, with its monthly charge,
    accumulated depreciation and net value."""
    assets = asset_list(user=user, **filters).filter(asset_class=AssetClass.FIXED, acquired_on__lte=on)
    assets = assets.exclude(disposed_on__lt=on.replace(day=1)).order_by("category_code", "asset_no")
    return [depreciation.row_for(asset, on) for asset in assets.iterator(chunk_size=2000)]


def depreciation_totals(rows: list[depreciation.DepreciationRow]) -> dict[str, Decimal]:
    zero = Decimal("0.00")
    return {
        "original_value": sum((r.asset.original_value for r in rows), zero),
        "monthly": sum((r.monthly for r in rows), zero),
        "accumulated": sum((r.accumulated for r in rows), zero),
        "net_value": sum((r.net_value for r in rows), zero),
    }


def annual_report(*, user: User, year: int) -> dict[str, Any]:
    """The figures of the annual state-asset report (A17) from the ledger: holdings by class at the year end,
    additions and disposals in the year, the leases in force in it, and the stocktakes closed in it."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    assets = Asset.objects.visible_to(user)
    held = assets.filter(acquired_on__lte=end).exclude(disposed_on__lte=end)

    def by_class(queryset: QuerySet[Asset]) -> list[dict[str, Any]]:
        totals = queryset.values("asset_class").annotate(count=Count("id"), value=Sum("original_value"))
        rows = [{**row, "label": AssetClass(row["asset_class"]).label} for row in totals]
        return sorted(rows, key=lambda r: list(AssetClass).index(r["asset_class"]))

    stocktakes = Stocktake.objects.visible_to(user).filter(closed_at__date__range=(start, end))
    return {
        "year": year,
        "held": by_class(held),
        "added": by_class(assets.filter(acquired_on__range=(start, end))),
        "disposed": by_class(assets.filter(disposed_on__range=(start, end))),
        "stocktakes": list(stocktakes.order_by("closed_at")),
        "leases": list(
            Lease.objects.visible_to(user)
            .filter(is_active=True, starts_on__lte=end, ends_on__gte=start)
            .select_related("tenant", "place", "asset")
            .order_by("starts_on", "pk")
        ),
        "full_stocktake_done": stocktakes.exists(),
    }
