"""Every write to the asset register, by sub-domain: cards (cards.py), transfers, hand-overs and loans
(movements.py), disposal (disposal.py) and stocktakes (stocktake.py); what they share is in common.py.

Each service appends the card's history line (AssetEvent) in the same transaction as the change it explains, and
the audit trail records who did it. Other modules call the names below, e.g. `services.asset_create(...)`.
"""

from houqin.assets.services.cards import (
    asset_create,
    asset_set_status,
    asset_update,
    classify,
    require_complete_card,
    useful_life,
)
from houqin.assets.services.common import record_event
from houqin.assets.services.disposal import (
    DISPOSAL_TIERS,
    TIERS_BY_CODE,
    Tier,
    disposal_approve,
    disposal_reject,
    disposal_request,
    disposal_tier,
)
from houqin.assets.services.leases import lease_activate, lease_create
from houqin.assets.services.movements import (
    handover_sign,
    loan_create,
    loan_return,
    transfer_approve,
    transfer_cancel,
    transfer_reject,
    transfer_request,
    transfer_request_batch,
)
from houqin.assets.services.stocktake import (
    stocktake_approve,
    stocktake_close,
    stocktake_create,
    stocktake_explain,
    stocktake_register_found,
    stocktake_scan,
)

__all__ = [
    "DISPOSAL_TIERS",
    "TIERS_BY_CODE",
    "Tier",
    "asset_create",
    "asset_set_status",
    "asset_update",
    "classify",
    "require_complete_card",
    "disposal_approve",
    "disposal_reject",
    "disposal_request",
    "disposal_tier",
    "handover_sign",
    "lease_activate",
    "lease_create",
    "loan_create",
    "loan_return",
    "record_event",
    "stocktake_approve",
    "stocktake_close",
    "stocktake_create",
    "stocktake_explain",
    "stocktake_register_found",
    "stocktake_scan",
    "transfer_approve",
    "transfer_cancel",
    "transfer_reject",
    "transfer_request",
    "transfer_request_batch",
    "useful_life",
]
