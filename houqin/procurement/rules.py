"""The numbers of purchasing: which procurement regime an amount needs (B1) and who must approve it.

The method thresholds are district settings (core.policies, with national defaults and sources). The approval
limits below are the defaults of a later setting ("procurement.principal_approval_above",
"procurement.bureau_approval_above"); until then they are the same for every school.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from houqin.core.policies import policy
from houqin.procurement.choices import METHOD_RANK, ApprovalLevel, ProcurementMethod

# Above this estimated amount the principal approves after the logistics director (三重一大 practice).
PRINCIPAL_APPROVAL_ABOVE = Decimal("10000.00")
# Above this estimated amount the education bureau approves after the principal.
BUREAU_APPROVAL_ABOVE = Decimal("100000.00")

# The permission a user needs to decide a step of each level.
LEVEL_PERMISSIONS: dict[str, str] = {
    ApprovalLevel.LOGISTICS: "procurement.approve_purchaserequest",
    ApprovalLevel.PRINCIPAL: "procurement.approve_large_purchaserequest",
    ApprovalLevel.BUREAU: "procurement.approve_bureau_purchaserequest",
}
APPROVAL_PERMISSIONS = tuple(LEVEL_PERMISSIONS.values())


@dataclass(frozen=True)
class Thresholds:
    """The method thresholds in force for one school on one day."""

    quote_required_above: Decimal
    quote_min_count: int
    dispersed: Decimal
    open_tender: Decimal

    @classmethod
    def for_school(cls, school: Any, on: dt.date | None = None) -> Thresholds:
        return cls(
            quote_required_above=policy("procurement.quote_required_above", school=school, on=on),
            quote_min_count=policy("procurement.quote_min_count", school=school, on=on),
            dispersed=policy("procurement.dispersed_threshold", school=school, on=on),
            open_tender=policy("procurement.open_tender_threshold", school=school, on=on),
        )

    def required_method(self, amount: Decimal) -> ProcurementMethod:
        """B1: from the open-tender threshold up → tender; from the dispersed threshold up → government procurement;
        above the school's quote limit → three quotes; below → a small direct purchase."""
        if amount >= self.open_tender:
            return ProcurementMethod.TENDER
        if amount >= self.dispersed:
            return ProcurementMethod.GOVERNMENT
        if amount > self.quote_required_above:
            return ProcurementMethod.QUOTES
        return ProcurementMethod.DIRECT


def is_lighter(method: str, than: str) -> bool:
    return METHOD_RANK[method] < METHOD_RANK[than]


def approval_levels(amount: Decimal) -> list[ApprovalLevel]:
    """The approval chain for an estimated amount: the logistics director always, then the principal, then the
    bureau above their limits."""
    levels = [ApprovalLevel.LOGISTICS]
    if amount > PRINCIPAL_APPROVAL_ABOVE:
        levels.append(ApprovalLevel.PRINCIPAL)
    if amount > BUREAU_APPROVAL_ABOVE:
        levels.append(ApprovalLevel.BUREAU)
    return levels


def levels_of(user: Any) -> list[str]:
    """The approval levels this user may decide."""
    return [level for level, perm in LEVEL_PERMISSIONS.items() if user.has_perm(perm)]


#
# The statutory procedure (B4–B6). National numbers, fixed by law (china-rules 7.1.5–7.1.11); only the day the
# contract warning starts is a district setting ("procurement.contract_warn_day").
#

PANEL_MIN_MEMBERS = 3  # 7.1.6: 3 or more members, an odd number
PANEL_EXPERT_SHARE = Fraction(2, 3)  # 7.1.6: at least two thirds experts
ADD_ON_MAX_SHARE = Decimal("0.10")  # 7.1.5: an add-on single-source purchase ≤ 10% of the original contract
SUPPLEMENT_MAX_SHARE = Decimal("0.10")  # 7.1.10: supplementary contracts total ≤ 10% of the original
SINGLE_SOURCE_PUBLICATION_WORKING_DAYS = 5  # 7.1.11
TENDER_MIN_DAYS = 20  # 7.1.7: calendar days from issuing the documents to the bid deadline
CONTRACT_DAYS = 30  # 7.1.10: the contract within 30 days of the award notice
CONTRACT_PUBLISH_WORKING_DAYS = 2  # 7.1.11
CONTRACT_FILING_WORKING_DAYS = 7  # 7.1.10


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day `days` working days after `start`. Working days are Monday to Friday: public holidays and the
    adjusted weekend working days (调休) are not taken into account, which errs on the side of a later deadline
    by at most the holidays in between and is accepted for these checks."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days (Monday–Friday, see add_working_days) after `start` up to and including `end`."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count


def panel_is_valid(members: int, experts: int) -> bool:
    """B4: an odd number of members, at least 3, at least two thirds of them experts."""
    return members >= PANEL_MIN_MEMBERS and members % 2 == 1 and Fraction(experts, members) >= PANEL_EXPERT_SHARE


def within_share(amount: Decimal, original: Decimal, share: Decimal) -> bool:
    """`amount` is at most `share` of `original` (10% of 1000.00 is 100.00 ok, 100.10 not)."""
    return amount <= original * share


@dataclass(frozen=True)
class ContractDeadlines:
    """B6: where a request stands with its contract: days since the award, and the overdue flags."""

    days_since_award: int | None
    contract_warning: bool
    contract_overdue: bool
    publication_overdue: bool
    filing_overdue: bool

    @classmethod
    def of(cls, request: Any, today: dt.date, warn_day: int) -> ContractDeadlines:
        awarded, signed = request.awarded_on, request.contract_signed_on
        days = (today - awarded).days if awarded is not None else None
        unsigned = awarded is not None and signed is None
        late = awarded is not None and ((signed or today) - awarded).days > CONTRACT_DAYS
        publication_due = add_working_days(signed, CONTRACT_PUBLISH_WORKING_DAYS) if signed else None
        filing_due = add_working_days(signed, CONTRACT_FILING_WORKING_DAYS) if signed else None
        return cls(
            days_since_award=days,
            contract_warning=unsigned and days is not None and warn_day <= days <= CONTRACT_DAYS,
            contract_overdue=late,
            publication_overdue=publication_due is not None
            and (request.contract_published_on or today) > publication_due,
            filing_overdue=filing_due is not None and (request.contract_filed_on or today) > filing_due,
        )
