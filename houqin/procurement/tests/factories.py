"""Test data for purchasing, built through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from houqin.orgs.models import Person
from houqin.procurement import services
from houqin.procurement.choices import FundingSource, LineKind
from houqin.procurement.services import LineData


def line(name: str = "跳绳", quantity: str = "10", price: str = "15.00", unit: str = "根", **fields: Any) -> LineData:
    return LineData(name=name, quantity=Decimal(quantity), unit=unit, estimated_unit_price=Decimal(price), **fields)


def asset_line(name: str = "投影仪", quantity: str = "1", price: str = "4200.00", **fields: Any) -> LineData:
    return line(name, quantity, price, unit="台", kind=LineKind.ASSET, **fields)


def make_request(actor: Any, *lines: LineData, **fields: Any):
    values = {"title": "体育课器材", "funding_source": FundingSource.SELF_RAISED, "reason": "体育课教学需要", **fields}
    return services.request_create(actor=actor, lines=list(lines) or [line()], **values)


def approved_request(cast: Any, *lines: LineData, **fields: Any):
    """Drafted by the teacher and approved through every step of its chain."""
    request = make_request(cast.teacher, *lines, **fields)
    services.request_submit(actor=cast.teacher, request=request)
    for approver in (cast.logistics, cast.principal, cast.bureau):
        request.refresh_from_db()
        if request.status != "submitted":
            break
        services.request_approve(actor=approver, request=request, comment="同意")
    request.refresh_from_db()
    return request


def inspectors(school: Any, *names: str) -> list[Person]:
    return [Person.objects.create(school=school, name=name) for name in names or ("赵校产", "李后勤")]
