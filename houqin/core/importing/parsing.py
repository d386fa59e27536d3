"""Reading what people type into spreadsheets: full-width digits, 2019.09 dates, ¥1,200.00 amounts, phone numbers
with separators, 是/否, and choice labels in Chinese or English."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from openpyxl.utils.datetime import from_excel

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core.money import parse_amount

VALUE_NOT_NUMBER = gettext_noop("Enter a number.")
VALUE_NOT_WHOLE_NUMBER = gettext_noop("Enter a whole number.")
VALUE_NOT_DATE = gettext_noop("Enter a date such as 2019-09-01, 2019/9/1 or 2019.09.")
VALUE_NOT_PHONE = gettext_noop("Enter a mobile number of 11 digits or a landline number.")
VALUE_NOT_CHOICE = gettext_noop("Choose one of: %(choices)s.")
VALUE_NOT_YES_NO = gettext_noop("Enter %(yes)s or %(no)s.")


class CellError(ValueError):
    """One cell's value cannot be understood; the message says what to type instead."""


def normalise(value: Any) -> Any:
    """Strings are NFKC-normalised (full-width digits and letters become ASCII) and stripped; None for blank."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).strip()
        return value or None
    return value


def parse_text(value: Any) -> str:
    """Text as typed; a number stored by Excel (13812345678.0) comes back without the decimal point."""
    value = normalise(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def parse_int(value: Any) -> int | None:
    value = normalise(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_(VALUE_NOT_WHOLE_NUMBER))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value):
        return int(value)
    raise CellError(_(VALUE_NOT_WHOLE_NUMBER))


def parse_decimal(value: Any) -> Decimal | None:
    """An amount in yuan: '¥1,200.00', '１２００', '1200元' → Decimal('1200.00')."""
    try:
        return parse_amount(normalise(value))
    except ValueError:
        raise CellError(_(VALUE_NOT_NUMBER)) from None


_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})[-/.年](?P<m>\d{1,2})(?:[-/.月](?P<d>\d{1,2})日?)?月?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)


def parse_date(value: Any) -> dt.date | None:
    """Dates as offices write them: Excel dates, 2019-09-01, 2019/9/1, 2019.09 (the 1st), 2019年9月1日, 20190901."""
    value = normalise(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return from_excel(value).date()
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(str(value))
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"] or 1))
            except ValueError:
                break
    raise CellError(_(VALUE_NOT_DATE))


_PHONE_JUNK = re.compile(r"[\s\-()]")


def parse_phone(value: Any) -> str:
    """A mobile (11 digits, +86 dropped) or a landline (0571-88886666 → 057188886666); '' for blank."""
    text = _PHONE_JUNK.sub("", parse_text(value))
    if not text:
        return ""
    text = re.sub(r"^(\+?86)(?=1\d{10}$)", "", text)
    if re.fullmatch(r"1[3-9]\d{9}", text) or re.fullmatch(r"0\d{9,11}", text) or re.fullmatch(r"\d{7,8}", text):
        return text
    raise CellError(_(VALUE_NOT_PHONE))


_YES = {"是", "有", "y", "yes", "true", "1", "√", "在用", "在职", "在读"}
_NO = {"否", "无", "n", "no", "false", "0", "×", "停用", "离职", "离校"}


def parse_yes_no(value: Any) -> bool | None:
    text = parse_text(value).lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_(VALUE_NOT_YES_NO) % {"yes": "是", "no": "否"})


def choice_parser(choices: Any, aliases: Mapping[str, str] | None = None) -> Callable[[Any], str]:
    """A parser for a TextChoices field accepting its code, its label (in Chinese or English) or an alias."""
    lookups: dict[str | None, dict[str, str]] = {}  # by active language: labels are translated

    def lookup() -> dict[str, str]:
        language = translation.get_language()
        if language not in lookups:
            found = {key.lower(): code for key, code in (aliases or {}).items()}
            for code, label in choices.choices:
                found[str(code).lower()] = code
                found[str(label).lower()] = code
                with translation.override("en"):
                    found[str(label).lower()] = code
            lookups[language] = found
        return lookups[language]

    def parse(value: Any) -> str:
        text = parse_text(value)
        if not text:
            return ""
        try:
            return lookup()[text.lower()]
        except KeyError:
            labels = "、".join(str(label) for _code, label in choices.choices)
            raise CellError(_(VALUE_NOT_CHOICE) % {"choices": labels}) from None

    return parse
