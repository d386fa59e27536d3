"""Template filters shared by every module: `{% load houqin %}`."""

from decimal import Decimal

from django import template

from houqin.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(value: Decimal | None) -> str:
    """¥1,234.50 — money as Chinese offices write it; empty for None."""
    return f"¥{format_yuan(value)}" if value is not None else ""
