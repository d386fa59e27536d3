"""Pinyin-aware search keys: '资产管理' -> '资产管理 zichanguanli zcgl'."""

from __future__ import annotations

from functools import lru_cache, reduce
from operator import or_
from typing import Any, TypeVar

from pypinyin import Style, lazy_pinyin

from django.db.models import Q, QuerySet

_QS = TypeVar("_QS", bound=QuerySet[Any])


def pinyin_index(*texts: str) -> str:
    parts: list[str] = []
    for text in texts:
        parts.extend(_search_keys(text.strip()))
    return " ".join(dict.fromkeys(parts))


@lru_cache(maxsize=4096)
def _search_keys(text: str) -> tuple[str, ...]:
    """A text, its full pinyin and its initials (remembered: a ledger import names the same things thousands of
    times)."""
    if not text:
        return ()
    full = "".join(lazy_pinyin(text, errors="ignore"))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
    return tuple(part for part in (text.lower(), full.lower(), initials.lower()) if part)


def search(queryset: _QS, q: str, *extra_fields: str) -> _QS:
    """Filter a PinyinIndexed queryset by every word of `q` (name, pinyin, initials, extra fields)."""
    for word in q.lower().split():
        conditions = [Q(search_text__contains=word)] + [Q(**{f"{f}__icontains": word}) for f in extra_fields]
        queryset = queryset.filter(reduce(or_, conditions))
    return queryset
