"""Every write of purchasing, one module per part: purchase requests (drafting, approval, quotes, ordering),
acceptance (into the store and the asset register), and the registers (suppliers, donations)."""

from houqin.procurement.services.acceptance import AcceptedLine, acceptance_record
from houqin.procurement.services.procedure import (
    PanelMember,
    Procedure,
    award_record,
    contract_record,
    procedure_update,
    request_delete,
    supplement_add,
)
from houqin.procurement.services.purchase_requests import (
    LineData,
    check_ordering,
    ordering_errors,
    quote_add,
    quote_choose,
    request_approve,
    request_cancel,
    request_create,
    request_order,
    request_reject,
    request_submit,
)
from houqin.procurement.services.registers import (
    donation_change_purpose,
    donation_create,
    donation_record_use,
    supplier_create,
    supplier_update,
)

__all__ = [
    "AcceptedLine",
    "LineData",
    "PanelMember",
    "Procedure",
    "acceptance_record",
    "award_record",
    "contract_record",
    "check_ordering",
    "donation_change_purpose",
    "donation_create",
    "donation_record_use",
    "ordering_errors",
    "procedure_update",
    "quote_add",
    "quote_choose",
    "request_approve",
    "request_cancel",
    "request_create",
    "request_delete",
    "request_order",
    "request_reject",
    "request_submit",
    "supplement_add",
    "supplier_create",
    "supplier_update",
]
