"""Money is yuan as Decimal with fen precision; never float."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")


def to_yuan(value: Decimal | int | str) -> Decimal:
    """Round half up to fen: Decimal('166.666') -> Decimal('166.67')."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def format_yuan(value: Decimal | None) -> str:
    """'1,234.50' as Chinese offices write amounts; '' for None."""
    if value is None:
        return ""
    return f"{to_yuan(value):,.2f}"


_AMOUNT_JUNK = re.compile(r"[¥￥,，\s元]|RMB|CNY", re.IGNORECASE)


def parse_amount(text: str | int | float | Decimal | None) -> Decimal | None:
    """Parse what people type into ledgers: '¥1,200.00', '１２００', '1200元'. None for blank; ValueError if not a number."""
    if text is None:
        return None
    if isinstance(text, Decimal):
        return to_yuan(text)
    if isinstance(text, int | float):
        return to_yuan(Decimal(str(text)))
    cleaned = _AMOUNT_JUNK.sub("", unicodedata.normalize("NFKC", str(text)))
    if cleaned == "":
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not amount.is_finite():
        raise ValueError(text)
    return to_yuan(amount)
