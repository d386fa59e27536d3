"""Test data for the asset register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook

from django.core.files.uploadedfile import SimpleUploadedFile

from houqin.assets import services
from houqin.assets.models import Asset
from houqin.orgs.choices import PlaceKind
from houqin.orgs.models import Person, Place


def make_place(school: Any, name: str = "101", parent: Place | None = None, kind: str = PlaceKind.ROOM) -> Place:
    full_name = f"{parent.full_name} / {name}" if parent else name
    return Place.objects.create(school=school, name=name, kind=kind, parent=parent, full_name=full_name)


def make_person(school: Any, name: str = "张老师", user: Any = None) -> Person:
    person = Person.objects.create(school=school, name=name)
    if user is not None:
        user.person = person
        user.save(update_fields=["person"])
    return person


def make_asset(actor: Any, name: str = "台式计算机", unit_price: str = "4800.00", **fields: Any) -> Asset:
    """A card registered through the service (the actor needs assets.add_asset)."""
    values: dict[str, Any] = {
        "school": actor.school,
        "acquired_on": dt.date(2025, 3, 15),
        "funding_source": "财政拨款",
        **fields,
    }
    return services.asset_create(actor=actor, name=name, unit_price=Decimal(unit_price), **values)


def xlsx_upload(rows: list[list[Any]], name: str = "台账.xlsx") -> SimpleUploadedFile:
    """An uploaded workbook whose first sheet holds `rows`."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def get_pdf(client: Any, url: str, **params: Any) -> tuple[Any, str]:
    """GET a PDF page: the response, and the HTML its PDF was made from (to look for the Chinese text)."""
    from unittest import mock

    from houqin.core import pdf

    with mock.patch.object(pdf, "render_pdf", wraps=pdf.render_pdf) as spy:
        response = client.get(url, params)
    return response, (spy.call_args.args[0] if spy.called else "")
