"""Amounts written out in Chinese capitals (人民币大写), as finance offices want them on a goods-received slip."""

from __future__ import annotations

from decimal import Decimal

from houqin.core.money import to_yuan

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ((3, "仟"), (2, "佰"), (1, "拾"), (0, ""))
GROUPS = ("", "万", "亿", "万亿")


def _group_words(n: int) -> str:
    """0 < n < 10000: 1010 → 壹仟零壹拾."""
    words, pending_zero = "", False
    for power, place in PLACES:
        digit = n // 10**power % 10
        if digit == 0:
            pending_zero = bool(words)
            continue
        if pending_zero:
            words += "零"
            pending_zero = False
        words += DIGITS[digit] + place
    return words


def _integer_words(n: int) -> str:
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    words, skipped = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            skipped = bool(words)
            continue
        if words and (skipped or group < 1000):
            words += "零"
        words += _group_words(group) + GROUPS[index]
        skipped = False
    return words


def rmb_upper(amount: Decimal) -> str:
    """Decimal('10005.30') → 壹万零伍元叁角整; 0 → 零元整."""
    amount = to_yuan(amount)
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    integer, (jiao, fen) = fen_total // 100, divmod(fen_total % 100, 10)
    if fen_total == 0:
        return "零元整"
    words = _integer_words(integer) + "元" if integer else ""
    if jiao:
        words += DIGITS[jiao] + "角"
    elif fen and integer:
        words += "零"
    words += DIGITS[fen] + "分" if fen else "整"
    return sign + words
