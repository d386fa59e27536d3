"""The asset class code table (GB/T 14885-2022 《固定资产等资产基础分类与代码》): the seven top classes and the
codes a school uses most, with the minimum useful lives of 财会〔2017〕4号 Table 1 where the standard sets one.

Codes are hierarchical, one letter and pairs of digits: A02 设备 → A0201 信息化设备 → A020101 计算机 →
A02010105 台式计算机. Some systems pad codes to nine characters (A02010000); those are read as the short code.
A card's code must be in this table (A3); a child inherits its parent's life floor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TABLE_VERSION = "GB/T 14885-2022"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    life_floor_years: int | None = None


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in [
        Category("A01", "房屋和构筑物"),
        Category("A0101", "房屋"),
        Category("A010101", "办公用房"),
        Category("A010102", "业务用房"),
        Category("A0102", "构筑物", 8),
        Category("A02", "设备"),
        Category("A0201", "信息化设备"),
        Category("A020101", "计算机", 6),
        Category("A02010104", "服务器"),
        Category("A02010105", "台式计算机"),
        Category("A02010108", "便携式计算机"),
        Category("A020102", "网络设备"),
        Category("A020103", "信息安全设备"),
        Category("A0202", "办公设备", 6),
        Category("A020207", "电子白板"),
        Category("A020210", "打印机"),
        Category("A02021004", "A4彩色打印机"),
        Category("A02021301", "碎纸机"),
        Category("A0203", "车辆", 8),
        Category("A0206", "电气设备", 5),
        Category("A02061803", "通风机"),
        Category("A02061804", "空调机"),
        Category("A0209", "广播、电视、电影设备", 5),
        Category("A02091001", "普通电视设备（电视机）"),
        Category("A02091104", "平板显示设备"),
        Category("A0210", "仪器仪表", 5),
        Category("A02100702", "玻璃温度计"),
        Category("A0212", "计量标准器具及量具、衡器", 5),
        Category("A03", "文物和陈列品"),
        Category("A04", "图书和档案"),
        Category("A05", "家具和用具"),
        Category("A0501", "家具", 15),
        Category("A05010104", "木制床类"),
        Category("A05010203", "教学、实验用桌"),
        Category("A05010301", "办公椅"),
        Category("A05010303", "会议椅"),
        Category("A05010304", "教学、实验椅凳"),
        Category("A05010501", "书柜"),
        Category("A05010502", "文件柜"),
        Category("A05040403", "教具", 5),
        Category("A06", "特种动植物"),
        Category("A07", "物资"),
    ]
}

# Classes that are never depreciated (A5: 文物和陈列品, 图书和档案, 特种动植物).
NOT_DEPRECIATED = ("A03", "A04", "A06")
# Classes whose disposal always needs the highest approval tier (A12: buildings, land and vehicles).
TOP_TIER_DISPOSAL = ("A01", "A0203")

_CODE = re.compile(r"A\d{2}(?:\d{2}){0,3}")


def normalise(code: str | None) -> str:
    """'a02010105 ' → 'A02010105'; the padded 'A02010000' → 'A0201'; '' for blank."""
    text = unicodedata.normalize("NFKC", code or "").strip().upper()
    while len(text) > 3 and text.endswith("00"):
        text = text[:-2]
    return text


def lookup(code: str | None) -> Category | None:
    """The table's entry for a code, or None when the code is not in the table."""
    code = normalise(code)
    return CATEGORIES.get(code) if _CODE.fullmatch(code) else None


def ancestors(code: str) -> list[str]:
    """The code itself and every level above it, nearest first: A02010105, A020101, A0201, A02."""
    return [code[:length] for length in range(len(code), 2, -2)]


def life_floor_months(code: str | None) -> int | None:
    """The minimum useful life in months (A6) of the nearest level that sets one, or None."""
    for level in ancestors(normalise(code)) if code else []:
        entry = CATEGORIES.get(level)
        if entry is not None and entry.life_floor_years is not None:
            return entry.life_floor_years * 12
    return None


def depreciates(code: str | None) -> bool:
    return not normalise(code).startswith(NOT_DEPRECIATED)


def needs_top_tier(code: str | None) -> bool:
    return normalise(code).startswith(TOP_TIER_DISPOSAL) if code else False


def label(code: str | None) -> str:
    entry = lookup(code)
    return f"{entry.code} {entry.name}" if entry else (code or "")


def choices() -> list[tuple[str, str]]:
    """(code, 'A020101 　计算机') in table order, indented by level, for drop-downs."""
    return [(code, f"{code} {'　' * ((len(code) - 3) // 2)}{c.name}") for code, c in sorted(CATEGORIES.items())]
