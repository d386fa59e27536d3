"""Excel import of an existing asset ledger (the way schools move in): every row checked by the rules of
`asset_create` (rules.build_card), the cards saved a thousand at a time in one transaction with their history lines
and one audit event for the file, errors by row and column; a row's department, place and custodian are found by
name among the school's, loaded once."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from houqin.assets.choices import AcquisitionMethod, AssetStatus, EventKind, FundingSource
from houqin.assets.models import Asset, AssetEvent
from houqin.assets.services import rules
from houqin.assets.services.cards import require_own_school
from houqin.core.crud import require_perm
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
from houqin.core.importing.engine import DUPLICATE_IN_FILE
from houqin.core.numbering import next_numbers
from houqin.core.search import pinyin_index
from houqin.orgs.models import Department, Person, Place

NO_SUCH_DEPARTMENT = gettext_noop("There is no department named %(name)s.")
NO_SUCH_PLACE = gettext_noop("There is no place %(name)s; add it under Places first.")
NO_SUCH_PERSON = gettext_noop("There is no member of staff named %(name)s.")
SEVERAL_FOUND = gettext_noop("Several are named %(name)s; give the full name (for a place, its path).")
NOT_YEARS = gettext_noop("Enter the useful life in years, such as 6 or 6年.")
STATUS_NOT_IMPORTABLE = gettext_noop("Import assets in use, idle, under repair or awaiting disposal only.")
NUMBER_TAKEN = gettext_noop("An asset with this number already exists.")
IMPORTED_FROM = gettext_noop("Imported from %(file)s")
BATCH_SIZE = 1000

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


def place_path(name: str) -> str:
    """'教学楼/3层/301' → '教学楼 / 3层 / 301' (how places spell their full names)."""
    return " / ".join(part.strip() for part in re.split(r"[/\\>]", name) if part.strip())


def _by(rows: Iterable[Any], attribute: str) -> dict[str, list[Any]]:
    """The rows under each value of `attribute` (several rows may share a name)."""
    index: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        value = getattr(row, attribute)
        if value:
            index[value].append(row)
    return index


def _one(field: str, name: str, found: list[Any], missing: str) -> Any:
    """The one row found for `name`; errors name the field."""
    if not found:
        raise ValidationError({field: _(missing) % {"name": name}})
    if len(found) > 1:
        raise ValidationError({field: _(SEVERAL_FOUND) % {"name": name}})
    return found[0]


# The fields full_clean leaves alone on an imported card: its related rows come from the school's own, loaded once
# (checking each would be a query a row), and the search key is derived. The number's uniqueness is checked against
# the file and the register a batch at a time.
UNCHECKED_FIELDS = ["school", "department", "place", "custodian", "search_text"]
OPTIONAL_FIELDS = ("asset_no", "useful_life_months", "voucher_no", "notes", "brand", "spec", "supplier_name")


class AssetRows:
    """The ledger's rows checked by the rules of `asset_create` and saved a batch at a time (`RowBatch`).

    Made once per import: the permission is checked, and the school's departments, places, staff and asset
    thresholds are loaded, once. Each row is a card built by `rules.build_card` (the rules `asset_create` applies)
    and checked field by field; each flush checks the batch's numbers against the register in one query, numbers
    the cards left without one, and writes the cards and their history lines with bulk_create. The import's one
    audit event is written by the engine."""

    def __init__(self, context: ImportContext):
        self.actor, self.school, self.file_name = context.actor, context.school, context.file_name
        require_perm(self.actor, "assets.add_asset")
        require_own_school(self.actor, self.school)
        self.threshold = rules.threshold_lookup(self.school)
        self.departments = _by(Department.objects.filter(school=self.school), "name")
        places = list(Place.objects.filter(school=self.school))
        self.places = (_by(places, "full_name"), _by(places, "name"), _by(places, "code"))
        self.people = _by(Person.objects.filter(school=self.school, is_active=True), "name")
        self.cards: list[tuple[int, Asset]] = []
        self.given: set[str] = set()  # the numbers the file gives, so that generated numbers avoid them
        self.generated: dict[str, int] = {}  # number generated -> its file row

    def place(self, name: str) -> Place | None:
        """By its path (教学楼/3层/301), else its name, else its room number: the first way that finds any."""
        if not name:
            return None
        for index, key in zip(self.places, (place_path(name), name, name), strict=True):
            if key in index:
                return _one("place", name, index[key], NO_SUCH_PLACE)
        return _one("place", name, [], NO_SUCH_PLACE)

    def add(self, number: int, values: dict[str, Any]) -> None:
        status = values.get("status") or AssetStatus.IN_USE
        if status not in IMPORTABLE_STATUSES:
            raise ValidationError({"status": _(STATUS_NOT_IMPORTABLE)})
        department_name = values.get("department", "")
        department = (
            _one("department", department_name, self.departments.get(department_name, []), NO_SUCH_DEPARTMENT)
            if department_name
            else None
        )
        place = self.place(values.get("place", ""))
        custodian_name = values.get("custodian", "")
        custodian = (
            _one("custodian", custodian_name, self.people.get(custodian_name, []), NO_SUCH_PERSON)
            if custodian_name
            else None
        )
        optional = {key: values[key] for key in OPTIONAL_FIELDS if values.get(key) not in (None, "")}
        card = rules.build_card(
            school=self.school,
            threshold=self.threshold,
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
        unchecked = UNCHECKED_FIELDS if card.asset_no else [*UNCHECKED_FIELDS, "asset_no"]  # blank: numbered later
        card.full_clean(exclude=unchecked, validate_unique=False, validate_constraints=False)
        if card.asset_no:
            self.given.add(card.asset_no)
        self.cards.append((number, card))

    def flush(self, *, write: bool) -> list[tuple[int, ValidationError]]:
        cards, self.cards = self.cards, []
        numbers = [card.asset_no for _number, card in cards if card.asset_no]
        taken = set(Asset.objects.filter(school=self.school, asset_no__in=numbers).values_list("asset_no", flat=True))
        errors = []
        for number, card in cards:
            if card.asset_no in self.generated:
                message = _(DUPLICATE_IN_FILE) % {"row": self.generated[card.asset_no]}
                errors.append((number, ValidationError({"asset_no": message})))
            elif card.asset_no in taken:
                errors.append((number, ValidationError({"asset_no": _(NUMBER_TAKEN)})))
        if write and not errors:
            self.save(cards)
        return errors

    def new_numbers(self, count: int) -> list[str]:
        """`count` ZC numbers of the school, skipping those the register or the file already uses."""
        year = timezone.localdate().year
        found: list[str] = []
        while len(found) < count:
            candidates = next_numbers(
                school=self.school, prefix=rules.NUMBER_PREFIX, year=year, count=count - len(found)
            )
            used = set(
                Asset.objects.filter(school=self.school, asset_no__in=candidates).values_list("asset_no", flat=True)
            )
            found += [n for n in candidates if n not in used and n not in self.given]
        return found

    def save(self, cards: list[tuple[int, Asset]]) -> None:
        unnumbered = [(number, card) for number, card in cards if not card.asset_no]
        for (number, card), asset_no in zip(unnumbered, self.new_numbers(len(unnumbered)), strict=True):
            card.asset_no = asset_no
            self.generated[asset_no] = number
        for _number, card in cards:
            card.search_text = pinyin_index(*(str(getattr(card, f) or "") for f in Asset.search_source_fields))
        saved = Asset.objects.bulk_create([card for _number, card in cards], batch_size=BATCH_SIZE)
        now, message = timezone.now(), (_(IMPORTED_FROM) % {"file": self.file_name})[:300]
        AssetEvent.objects.bulk_create(
            [
                AssetEvent(
                    school_id=card.school_id,
                    asset=card,
                    kind=EventKind.REGISTERED,
                    occurred_at=now,
                    actor=self.actor,
                    message=card.source[:300] or message,
                )
                for card in saved
            ],
            batch_size=BATCH_SIZE,
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
    bulk=AssetRows,
    batch_size=BATCH_SIZE,
    unique_together=("asset_no",),
    audit_action="assets.asset.imported",
)
