"""Masking of personal data in lists and exports (G1): phone and ID numbers, names of minors."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """'13812345678' -> '138****5678'; short numbers keep only their last two digits."""
    digits = (phone or "").strip()
    if not digits:
        return ""
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 2) + digits[-2:]
    return "*" * len(digits)


def mask_id_number(number: str) -> str:
    """'110101201001011234' -> '1101**********1234'."""
    number = (number or "").strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_name(name: str) -> str:
    """'王小明' -> '王**' for readers who need only the count, not the child."""
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""
