"""QR labels (资产标签): each label carries a QR code of the card's scan address, which opens the card for someone
of the same school (404 for anyone else)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

import segno

from django.http import HttpRequest
from django.urls import reverse

from houqin.assets.models import Asset

MAX_LABELS = 600  # 25 A4 sheets of 24 labels; a bigger selection is printed room by room
SCANNED_URL = re.compile(r"/assets/scan/\d+/(?P<asset_no>[^?#]+?)/?(?:[?#].*)?$")


@dataclass(frozen=True)
class Label:
    asset: Asset
    qr: str  # an SVG data: URI


def scan_path(asset: Asset) -> str:
    return reverse("assets:asset_scan", args=[asset.school_id, asset.asset_no])


def qr_data_uri(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=4, border=1)


def labels_for(request: HttpRequest, assets: list[Asset]) -> list[Label]:
    return [Label(asset, qr_data_uri(request.build_absolute_uri(scan_path(asset)))) for asset in assets]


def asset_number_from_scan(text: str) -> str:
    """The asset number in what a scanner typed: the number itself, or the scan address of a label."""
    text = text.strip()
    match = SCANNED_URL.search(text)
    return unquote(match["asset_no"]) if match else text
