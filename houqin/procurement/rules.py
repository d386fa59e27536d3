"""The numbers of purchasing: which procurement regime an amount needs (B1) and who must approve it.

The method thresholds are district settings (core.policies, with national defaults and sources). The approval
limits below are the defaults of a later setting ("procurement.principal_approval_above",
"procurement.bureau_approval_above"); until then they are the same for every school.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
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
