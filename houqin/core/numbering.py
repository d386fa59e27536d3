"""Document numbers such as CG-2026-00017, unique per school, issued under a row lock."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from houqin.core.models import DocumentSequence


def next_number(*, school: Any, prefix: str, year: int, width: int = 5) -> str:
    """Return the next number for (school, prefix, year); concurrent callers never get the same one."""
    return next_numbers(school=school, prefix=prefix, year=year, count=1, width=width)[0]


@transaction.atomic
def next_numbers(*, school: Any, prefix: str, year: int, count: int, width: int = 5) -> list[str]:
    """The next `count` numbers for (school, prefix, year) in one locked update (imports number thousands)."""
    school_id = getattr(school, "pk", school)
    if count < 1:
        return []
    sequence = (
        DocumentSequence.objects.select_for_update().filter(school_id=school_id, prefix=prefix, year=year).first()
    )
    if sequence is None:
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(school_id=school_id, prefix=prefix, year=year, last_value=0)
        except IntegrityError:
            pass  # another transaction created it first; lock theirs below
        sequence = DocumentSequence.objects.select_for_update().get(school_id=school_id, prefix=prefix, year=year)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return [f"{prefix}-{year}-{value:0{width}d}" for value in range(first, first + count)]
