"""The asset ledger as Excel (台账): the same columns for the list page's export and the API's export.xlsx."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from houqin.assets.models import Asset
from houqin.core.exporting import XLSX, Column, workbook_bytes

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


def ledger_file_response(assets: Iterable[Asset]) -> FileResponse:
    """The ledger as an .xlsx download, sent in chunks from a temporary file."""
    title = str(LEDGER_TITLE)
    spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    spool.write(workbook_bytes(title, LEDGER_COLUMNS, assets))
    spool.seek(0)
    name = f"{title}-{timezone.localtime():%Y%m%d}.xlsx"
    response = FileResponse(spool, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=export.xlsx; filename*=UTF-8''{quote(name)}"
    return response
