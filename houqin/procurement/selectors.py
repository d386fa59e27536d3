"""Reads of purchasing: lists from visible_to(user), the approval queue, possible duplicates (避免重复采购),
split-purchase warnings (化整为零, B2) and spending by funding source and department."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, DecimalField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Sum, Value
from django.urls import reverse
from django.utils import timezone

from houqin.assets.models import Asset
from houqin.assets.selectors import similar_idle_assets
from houqin.core.policies import policy
from houqin.core.search import search
from houqin.procurement.choices import LIVE, DonationKind, FundingSource, LineKind, RequestStatus
from houqin.procurement.models import (
    Acceptance,
    AcceptanceLine,
    Donation,
    PurchaseRequest,
    RequestLine,
    Supplier,
    plain,
)
from houqin.procurement.rules import ContractDeadlines, Thresholds, is_lighter, levels_of
from houqin.stock.models import StockItem

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import School

MAX_DUPLICATES_PER_LINE = 5


def request_list(
    *, user: User, mine: bool = False, waiting: bool = False, q: str | None = None, **filters: Any
) -> QuerySet[PurchaseRequest]:
    """Requests in the user's scope: their own, those waiting for their approval, or all; `q` searches number and
    title (pinyin-aware)."""
    requests = requests_waiting_for(user=user) if waiting else PurchaseRequest.objects.visible_to(user)
    if mine:
        requests = requests.filter(requested_by=user)
    requests = requests.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    requests = requests.select_related("requested_by", "department")
    return search(requests, q) if q else requests


def requests_waiting_for(*, user: User) -> QuerySet[PurchaseRequest]:
    """Submitted requests whose current step this user may decide (never their own)."""
    return (
        PurchaseRequest.objects.visible_to(user)
        .filter(status=RequestStatus.SUBMITTED, current_level__in=levels_of(user))
        .exclude(requested_by=user)
    )


def supplier_list(*, user: User, q: str | None = None) -> QuerySet[Supplier]:
    suppliers = Supplier.objects.visible_to(user)
    return search(suppliers, q) if q else suppliers


def donation_list(*, user: User, q: str | None = None, year: int | None = None) -> QuerySet[Donation]:
    donations = Donation.objects.visible_to(user)
    if year:
        donations = donations.filter(received_on__year=year)
    return search(donations, q) if q else donations


#
# Possible duplicates: what the school already has of the same kind
#


@dataclass(frozen=True)
class Duplicate:
    line: str  # the request line's name
    kind: str  # "stock" or "asset"
    id: int
    name: str
    detail: str  # the balance in the store, or the asset's number and place
    url: str = ""


def _stock_like(school: School, name: str) -> list[Duplicate]:
    """Store items in hand whose name matches the line's (pinyin-aware), or is contained in it."""
    in_hand = StockItem.objects.filter(school=school, is_active=True, balance__gt=0)
    contained = in_hand.alias(line_name=Value(name, output_field=CharField())).filter(line_name__contains=F("name"))
    items = (search(in_hand, name) | contained).distinct().order_by("name")[:MAX_DUPLICATES_PER_LINE]
    return [
        Duplicate(name, "stock", item.pk, str(item), f"{plain(item.balance)} {item.unit}", item.get_absolute_url())
        for item in items
    ]


def _idle_assets(school: School, name: str) -> list[Duplicate]:
    """Idle assets of the same kind (闲置资产) in the asset register."""
    assets = similar_idle_assets(school=school, name=name).order_by("name", "asset_no")[:MAX_DUPLICATES_PER_LINE]
    return [
        Duplicate(
            name,
            "asset",
            asset.pk,
            asset.name,
            " · ".join(str(part) for part in (asset.asset_no, asset.place) if part),
            asset.get_absolute_url(),
        )
        for asset in assets
    ]


def duplicates_for(*, school: School, names: list[str]) -> list[Duplicate]:
    """For each line name: idle assets and stock in hand of the same kind in the school."""
    found: list[Duplicate] = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        found += _idle_assets(school, name) + _stock_like(school, name)
    return found


def duplicates_for_request(request: PurchaseRequest) -> list[Duplicate]:
    """The duplicates of a request still being decided (afterwards its own goods would be listed)."""
    if request.status not in (RequestStatus.DRAFT, RequestStatus.SUBMITTED):
        return []
    return duplicates_for(school=request.school, names=[line.name for line in request.lines.all()])


def probably_assets(*, school: School, lines: Iterable[Any]) -> list[str]:
    """A8: consumable lines whose unit price reaches the fixed-asset threshold are probably fixed assets, which
    need a card in the register rather than a place in the store."""
    threshold = policy("assets.fixed_threshold", school=school)
    return [line.name for line in lines if line.kind == LineKind.CONSUMABLE and line.estimated_unit_price >= threshold]


@dataclass(frozen=True)
class OffBookRisk:
    """Goods received at or above the fixed-asset threshold that still have no asset card (A8)."""

    school: Any
    document: str
    name: str
    received_on: dt.date
    value: Decimal
    url: str
    days: int


def offbook_risks(*, user: User, today: dt.date | None = None) -> list[OffBookRisk]:
    """A8: purchased goods taken into the store, and donated goods, whose unit value reaches the fixed-asset
    threshold and which have no asset card `assets.offbook_days` days after they were received."""
    today = today or timezone.localdate()
    rules: dict[int, tuple[Decimal, int]] = {}

    def rule(school: Any) -> tuple[Decimal, int]:
        if school.pk not in rules:
            threshold = policy("assets.fixed_threshold", school=school, on=today)
            rules[school.pk] = (threshold, policy("assets.offbook_days", school=school, on=today))
        return rules[school.pk]

    risks = []
    accepted = AcceptanceLine.objects.filter(acceptance__in=Acceptance.objects.visible_to(user).filter(passed=True))
    for row in accepted.select_related("acceptance__school", "line").order_by("acceptance__received_on", "pk"):
        threshold, days = rule(row.acceptance.school)
        late = (today - row.acceptance.received_on).days > days
        if late and not row.asset_refs and row.unit_price >= threshold and row.accepted_quantity > 0:
            url = reverse("procurement:acceptance_slip", args=[row.acceptance_id])
            value = row.unit_price * row.accepted_quantity
            risks.append(
                OffBookRisk(
                    row.acceptance.school,
                    row.acceptance.slip_number,
                    row.line.name,
                    row.acceptance.received_on,
                    value,
                    url,
                    (today - row.acceptance.received_on).days,
                )
            )
    carded = Asset.objects.filter(school_id=OuterRef("school_id"), source=OuterRef("number"))
    gifts = Donation.objects.visible_to(user).filter(kind=DonationKind.GOODS).exclude(Exists(carded))
    for gift in gifts.select_related("school").order_by("received_on", "pk"):
        threshold, days = rule(gift.school)
        if (today - gift.received_on).days > days and gift.value >= threshold:
            risks.append(
                OffBookRisk(
                    gift.school,
                    gift.number,
                    gift.description,
                    gift.received_on,
                    gift.value,
                    gift.get_absolute_url(),
                    (today - gift.received_on).days,
                )
            )
    return risks


def suggested_unit_prices(request: PurchaseRequest) -> dict[int, Decimal]:
    """The unit prices to offer at acceptance: the estimates, scaled to the chosen quote when there is one."""
    lines = list(request.lines.all())
    chosen = request.quotes.filter(chosen=True).first()
    if chosen is None or not request.estimated_total:
        return {line.pk: line.estimated_unit_price for line in lines}
    ratio = chosen.amount / request.estimated_total
    return {line.pk: (line.estimated_unit_price * ratio).quantize(Decimal("0.01")) for line in lines}


#
# Split purchases (化整为零, B2)
#


@dataclass
class SplitWarning:
    """Purchases of one item within one fiscal year that together need a stricter method than they used."""

    name: str
    total: Decimal = Decimal("0.00")
    required: str = ""
    numbers: list[str] = field(default_factory=list)


def split_warnings(request: PurchaseRequest) -> list[SplitWarning]:
    """B2 as a warning: the live requests of the fiscal year with lines of the same name as this one's, when their
    sum needs a stricter method than one of them uses."""
    names = {line.name for line in request.lines.all()}
    lines = (
        RequestLine.objects.filter(
            request__school_id=request.school_id, request__fiscal_year=request.fiscal_year, name__in=names
        )
        .filter(Q(request__status__in=LIVE) | Q(request=request))
        .select_related("request")
        .order_by("request__number", "position")
    )
    groups: dict[str, SplitWarning] = {}
    methods: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        group = groups.setdefault(line.name, SplitWarning(line.name))
        group.total += line.amount
        if line.request.number not in group.numbers:
            group.numbers.append(line.request.number)
        methods[line.name].add(line.request.method)
    thresholds = Thresholds.for_school(request.school)
    warnings = []
    for name, group in groups.items():
        group.required = thresholds.required_method(group.total)
        if len(group.numbers) > 1 and any(is_lighter(method, group.required) for method in methods[name]):
            warnings.append(group)
    return warnings


#
# Spending (by funding source and department)
#

SPENT = ExpressionWrapper(F("accepted_quantity") * F("unit_price"), output_field=DecimalField())


@dataclass
class SpendingRow:
    label: str
    spent: Decimal = Decimal("0.00")
    committed: Decimal = Decimal("0.00")


def _spending_rows(user: User, year: int, key: str, labels: dict[Any, str]) -> list[SpendingRow]:
    requests = PurchaseRequest.objects.visible_to(user).filter(fiscal_year=year)
    rows: dict[Any, SpendingRow] = {}
    spent = (
        AcceptanceLine.objects.filter(acceptance__passed=True, acceptance__request__in=requests)
        .values(f"acceptance__request__{key}")
        .annotate(total=Sum(SPENT))
    )
    for entry in spent:
        value = entry[f"acceptance__request__{key}"]
        rows.setdefault(value, SpendingRow(labels.get(value, str(value or "—")))).spent = entry["total"]
    committed = (
        requests.filter(status__in=[RequestStatus.APPROVED, RequestStatus.ORDERED])
        .values(key)
        .annotate(total=Sum("estimated_total"))
    )
    for entry in committed:
        value = entry[key]
        rows.setdefault(value, SpendingRow(labels.get(value, str(value or "—")))).committed = entry["total"]
    return sorted(rows.values(), key=lambda row: (-row.spent, -row.committed, row.label))


def spending_by_funding_source(*, user: User, year: int) -> list[SpendingRow]:
    """Accepted (spent) and approved-not-yet-accepted (committed) amounts per funding source in a fiscal year."""
    return _spending_rows(user, year, "funding_source", {value: str(label) for value, label in FundingSource.choices})


def spending_by_department(*, user: User, year: int) -> list[SpendingRow]:
    from houqin.orgs.models import Department

    labels = {d.pk: d.name for d in Department.objects.visible_to(user)}
    return _spending_rows(user, year, "department", labels)


def donations_total(*, user: User, year: int) -> Decimal:
    """The value of gifts received in a year: the money they saved the school (the seeds count it)."""
    donations = Donation.objects.visible_to(user).filter(received_on__year=year)
    return donations.aggregate(total=Sum("value"))["total"] or Decimal("0.00")


def deadlines_of(request: PurchaseRequest, today: dt.date | None = None) -> ContractDeadlines:
    """B6: where one request stands with its contract deadlines."""
    warn_day = policy("procurement.contract_warn_day", school=request.school)
    return ContractDeadlines.of(request, today or timezone.localdate(), warn_day)


def contract_deadlines(*, user: User, today: dt.date | None = None) -> list[tuple[PurchaseRequest, ContractDeadlines]]:
    """B6: the awarded requests whose contract is due (from the warning day), late, or not yet published or filed
    in time, oldest award first."""
    today = today or timezone.localdate()
    candidates = (
        PurchaseRequest.objects.visible_to(user)
        .filter(awarded_on__isnull=False)
        .filter(
            Q(contract_signed_on__isnull=True)
            | Q(contract_published_on__isnull=True)
            | Q(contract_filed_on__isnull=True)
        )
        .exclude(status__in=[RequestStatus.CANCELLED, RequestStatus.REJECTED])
        .select_related("school")
        .order_by("awarded_on", "id")
    )
    rows = []
    for request in candidates:
        state = deadlines_of(request, today)
        if state.contract_warning or state.contract_overdue or state.publication_overdue or state.filing_overdue:
            rows.append((request, state))
    return rows
