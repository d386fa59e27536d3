"""Excel import of an existing asset ledger (the way schools move in): one asset_create call per row, every row in
one transaction, errors by row and column; a row's department, place and custodian are found by name."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from houqin.assets import services
from houqin.assets.choices import AcquisitionMethod, AssetStatus, FundingSource
from houqin.core.importing import (
    CellError,
    ImportColumn,
    ImportContext,
    ImportSpec,
    choice_parser,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
)
from houqin.orgs.models import Department, Person, Place

NO_SUCH_DEPARTMENT = gettext_noop("There is no department named %(name)s.")
NO_SUCH_PLACE = gettext_noop("There is no place %(name)s; add it under Places first.")
NO_SUCH_PERSON = gettext_noop("There is no member of staff named %(name)s.")
SEVERAL_FOUND = gettext_noop("Several are named %(name)s; give the full name (for a place, its path).")
NOT_YEARS = gettext_noop("Enter the useful life in years, such as 6 or 6年.")
STATUS_NOT_IMPORTABLE = gettext_noop("Import assets in use, idle, under repair or awaiting disposal only.")

FUNDING_ALIASES = {
    "财政": FundingSource.FISCAL,
    "财政资金": FundingSource.FISCAL,
    "财政性资金": FundingSource.FISCAL,
    "自筹资金": FundingSource.SELF_RAISED,
    "非财政": FundingSource.SELF_RAISED,
    "捐赠赞助": FundingSource.DONATION,
    "赞助": FundingSource.DONATION,
    "社会捐赠": FundingSource.DONATION,
}
METHOD_ALIASES = {
    "购置": AcquisitionMethod.PURCHASE,
    "采购": AcquisitionMethod.PURCHASE,
    "购买": AcquisitionMethod.PURCHASE,
    "新购": AcquisitionMethod.PURCHASE,
    "捐赠": AcquisitionMethod.DONATION,
    "受赠": AcquisitionMethod.DONATION,
    "接受捐赠": AcquisitionMethod.DONATION,
    "调入": AcquisitionMethod.TRANSFER_IN,
    "调拨": AcquisitionMethod.TRANSFER_IN,
    "划拨": AcquisitionMethod.TRANSFER_IN,
    "无偿调入": AcquisitionMethod.TRANSFER_IN,
    "自建": AcquisitionMethod.SELF_BUILT,
    "自制": AcquisitionMethod.SELF_BUILT,
    "盘盈": AcquisitionMethod.STOCKTAKE_GAIN,
    "其他": AcquisitionMethod.OTHER,
}
STATUS_ALIASES = {
    "在用": AssetStatus.IN_USE,
    "正常使用": AssetStatus.IN_USE,
    "使用中": AssetStatus.IN_USE,
    "闲置": AssetStatus.IDLE,
    "维修": AssetStatus.UNDER_REPAIR,
    "待修": AssetStatus.UNDER_REPAIR,
    "待报废": AssetStatus.AWAITING_DISPOSAL,
    "待处置": AssetStatus.AWAITING_DISPOSAL,
}
IMPORTABLE_STATUSES = {AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.UNDER_REPAIR, AssetStatus.AWAITING_DISPOSAL}


def parse_life_years(value: Any) -> int | None:
    """A useful life in years as ledgers write it (6, '6年', '６', 2.5) → months."""
    text = unicodedata.normalize("NFKC", parse_text(value)).replace("年", "").strip()
    if not text:
        return None
    try:
        years = Decimal(text)
    except InvalidOperation:
        raise CellError(_(NOT_YEARS)) from None
    if not years.is_finite() or years <= 0 or years > 100:
        raise CellError(_(NOT_YEARS))
    return int(years * 12)


def _find(context: ImportContext, field: str, model: type[Model], lookups: list[dict], name: str, missing: str) -> Any:
    """The one row of `model` in the school matching the first lookup that finds any; errors name the field."""
    if not name:
        return None

    def load() -> list[Any]:
        for lookup in lookups:
            found = list(model._default_manager.filter(school=context.school, **lookup)[:2])
            if found:
                return found
        return []

    found = context.cached((model, name), load)
    if not found:
        raise ValidationError({field: _(missing) % {"name": name}})
    if len(found) > 1:
        raise ValidationError({field: _(SEVERAL_FOUND) % {"name": name}})
    return found[0]


def place_path(name: str) -> str:
    """'教学楼/3层/301' → '教学楼 / 3层 / 301' (how places spell their full names)."""
    return " / ".join(part.strip() for part in re.split(r"[/\\>]", name) if part.strip())


def save_asset(context: ImportContext, values: dict[str, Any]) -> Any:
    status = values.get("status") or AssetStatus.IN_USE
    if status not in IMPORTABLE_STATUSES:
        raise ValidationError({"status": _(STATUS_NOT_IMPORTABLE)})
    department = _find(
        context,
        "department",
        Department,
        [{"name": values.get("department", "")}],
        values.get("department", ""),
        NO_SUCH_DEPARTMENT,
    )
    place_name = values.get("place", "")
    place = _find(
        context,
        "place",
        Place,
        [{"full_name": place_path(place_name)}, {"name": place_name}, {"code": place_name}],
        place_name,
        NO_SUCH_PLACE,
    )
    custodian = _find(
        context,
        "custodian",
        Person,
        [{"name": values.get("custodian", ""), "is_active": True}],
        values.get("custodian", ""),
        NO_SUCH_PERSON,
    )
    optional = {
        key: values[key]
        for key in ("asset_no", "useful_life_months", "voucher_no", "notes", "brand", "spec", "supplier_name")
        if values.get(key) not in (None, "")
    }
    return services.asset_create(
        actor=context.actor,
        school=context.school,
        name=values["name"],
        unit_price=values["unit_price"],
        quantity=values.get("quantity") or 1,
        unit=values.get("unit") or "台",
        acquired_on=values["acquired_on"],
        funding_source=values["funding_source"],
        category_code=values.get("category_code") or None,
        acquisition_method=values.get("acquisition_method") or AcquisitionMethod.PURCHASE,
        department=department,
        place=place,
        custodian=custodian,
        status=status,
        **optional,
    )


ASSET_IMPORT = ImportSpec(
    name="assets",
    title=gettext_lazy("Asset ledger"),
    columns=(
        ImportColumn(
            "asset_no",
            gettext_lazy("Asset number"),
            ("资产编号", "编号", "卡片编号", "资产代码"),
            help=gettext_lazy("Kept as it is; left blank, a number is generated."),
        ),
        ImportColumn("name", gettext_lazy("Name"), ("资产名称", "名称", "品名"), required=True),
        ImportColumn(
            "category_code", gettext_lazy("Class code"), ("分类代码", "资产分类代码", "国标分类代码", "类别代码")
        ),
        ImportColumn("brand", gettext_lazy("Brand"), ("品牌",)),
        ImportColumn("spec", gettext_lazy("Model and specification"), ("规格型号", "型号", "规格")),
        ImportColumn("quantity", gettext_lazy("Quantity"), ("数量",), parse=parse_int),
        ImportColumn("unit", gettext_lazy("Unit"), ("计量单位", "单位")),
        ImportColumn(
            "unit_price", gettext_lazy("Unit price"), ("单价", "单价(元)", "价格"), required=True, parse=parse_decimal
        ),
        ImportColumn(
            "acquired_on",
            gettext_lazy("Acquired on"),
            ("取得日期", "购置日期", "入账日期", "购买日期"),
            required=True,
            parse=parse_date,
        ),
        ImportColumn(
            "funding_source",
            gettext_lazy("Funding source"),
            ("经费来源", "资金来源"),
            required=True,
            parse=choice_parser(FundingSource, FUNDING_ALIASES),
        ),
        ImportColumn(
            "acquisition_method",
            gettext_lazy("Acquisition method"),
            ("取得方式", "增加方式"),
            parse=choice_parser(AcquisitionMethod, METHOD_ALIASES),
        ),
        ImportColumn("department", gettext_lazy("Department"), ("使用部门", "部门", "管理部门")),
        ImportColumn(
            "place",
            gettext_lazy("Place"),
            ("存放地点", "存放位置", "地点", "位置"),
            help=gettext_lazy("The place's path (教学楼/3层/301), its name or its room number."),
        ),
        ImportColumn("custodian", gettext_lazy("Custodian"), ("使用人", "保管人", "责任人")),
        ImportColumn("supplier_name", gettext_lazy("Supplier"), ("供应商", "销售商")),
        ImportColumn(
            "useful_life_months",
            gettext_lazy("Useful life (years)"),
            ("使用年限", "折旧年限"),
            parse=parse_life_years,
        ),
        ImportColumn("voucher_no", gettext_lazy("Voucher number"), ("凭证号", "记账凭证号")),
        ImportColumn(
            "status",
            gettext_lazy("Status"),
            ("使用状况", "使用状态", "状态"),
            parse=choice_parser(AssetStatus, STATUS_ALIASES),
        ),
        ImportColumn("notes", gettext_lazy("Notes"), ("备注",)),
    ),
    save_row=save_asset,
    unique_together=("asset_no",),
    audit_action="assets.asset.imported",
)
