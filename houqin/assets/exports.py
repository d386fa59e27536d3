"""The asset ledger as Excel (台账): the same columns for the list page's export and the API's export.xlsx."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy

from houqin.assets.models import Asset
from houqin.core.exporting import Column, xlsx_response

LEDGER_TITLE = gettext_lazy("Asset ledger")


def _or_blank(value: Any) -> Any:
    return "" if value is None else value


LEDGER_COLUMNS: list[Column] = [
    (gettext_lazy("Asset number"), lambda a: a.asset_no),
    (gettext_lazy("Name"), lambda a: a.name),
    (gettext_lazy("Class code"), lambda a: a.category_code),
    (gettext_lazy("Brand"), lambda a: a.brand),
    (gettext_lazy("Model and specification"), lambda a: a.spec),
    (gettext_lazy("Quantity"), lambda a: a.quantity),
    (gettext_lazy("Unit"), lambda a: a.unit),
    (gettext_lazy("Unit price"), lambda a: a.unit_price),
    (gettext_lazy("Original value"), lambda a: a.original_value),
    (gettext_lazy("Asset class"), lambda a: a.get_asset_class_display()),
    (gettext_lazy("Acquisition method"), lambda a: a.get_acquisition_method_display()),
    (gettext_lazy("Acquired on"), lambda a: a.acquired_on),
    (gettext_lazy("Funding source"), lambda a: a.funding_source),
    (gettext_lazy("Supplier"), lambda a: a.supplier_name),
    (gettext_lazy("Department"), lambda a: _or_blank(a.department)),
    (gettext_lazy("Place"), lambda a: _or_blank(a.place)),
    (gettext_lazy("Custodian"), lambda a: _or_blank(a.custodian)),
    (gettext_lazy("Status"), lambda a: a.get_status_display()),
    (gettext_lazy("Useful life (months)"), lambda a: a.useful_life_months),
    (gettext_lazy("Voucher number"), lambda a: a.voucher_no),
    (gettext_lazy("Notes"), lambda a: a.notes),
]


def ledger_file_response(assets: Iterable[Asset]) -> StreamingHttpResponse:
    """The ledger as an .xlsx download, streamed as the cards are read."""
    return xlsx_response(str(LEDGER_TITLE), str(LEDGER_TITLE), LEDGER_COLUMNS, assets)
