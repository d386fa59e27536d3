"""Printable documents as PDF (WeasyPrint, decision 0009): a template rendered to HTML, then to an A4 PDF.

PDF templates carry their own CSS and embed images as data: URIs (QR codes from segno), so rendering never
fetches anything over the network; Chinese text needs the Noto CJK fonts installed on the server."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

PDF = "application/pdf"


def render_pdf(html: str) -> bytes:
    """The PDF of `html`; only data: URIs are fetched (anything else is skipped, and WeasyPrint logs it)."""
    from weasyprint import HTML  # imported on use: loading pango costs time every other request would pay
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def pdf_response(request: HttpRequest, template_name: str, context: dict[str, Any], filename: str) -> HttpResponse:
    """`template_name` rendered as a PDF download named `<filename>-<date>.pdf` (a Chinese name survives)."""
    html = render_to_string(template_name, context, request=request)
    response = HttpResponse(render_pdf(html), content_type=PDF)
    name = f"{filename}-{timezone.localtime():%Y%m%d}.pdf"
    response["Content-Disposition"] = f"inline; filename=document.pdf; filename*=UTF-8''{quote(name)}"
    return response
