"""The import page: upload a workbook → preview (a dry run) → confirm; and the empty template to fill in."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views import View

from houqin.core.exporting import XLSX
from houqin.core.forms import Form
from houqin.core.importing.engine import (
    ImportFileError,
    ImportResult,
    ImportSpec,
    check_upload,
    run_import,
    template_bytes,
)
from houqin.core.mixins import ScopedMixin

UPLOAD_EXPIRED = gettext_noop("The previewed file has expired; upload it again.")
NO_SCHOOL = gettext_noop("Only school staff can import into a school.")

STORE_HOURS = 24


class ImportUploadForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload)
        except ImportFileError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload


def _store_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def store_upload(upload: Any) -> str:
    """Keep a previewed file until it is confirmed; returns a random token (the file's only name)."""
    directory = _store_dir()
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - STORE_HOURS * 3600
    for old in directory.glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    upload.seek(0)
    (directory / f"{token}.xlsx").write_bytes(upload.read())
    return token


def stored_path(token: Any) -> Path | None:
    if not isinstance(token, str) or not re.fullmatch(r"[0-9a-f]{32}", token):
        return None
    path = _store_dir() / f"{token}.xlsx"
    return path if path.is_file() else None


class ImportView(ScopedMixin, View):
    """Upload a workbook to preview it (a dry run: counts and errors by row and column), then confirm to save.

    The previewed file is kept under a random name recorded in the user's session, so confirming imports exactly
    the file that was previewed. `?download=template` returns an empty workbook with the headers.
    """

    spec: ImportSpec
    template_name: str
    success_url_name: str
    http_method_names = ["get", "post"]

    @property
    def actor(self) -> Any:
        return self.request.user

    @property
    def session_key(self) -> str:
        return f"houqin_import_{self.spec.name}"

    def school(self) -> Any:
        school = self.actor.school
        if school is None:
            raise PermissionDenied(_(NO_SCHOOL))
        return school

    def render_page(self, form: Any, result: ImportResult | None = None, status: int = 200) -> HttpResponse:
        context = {"spec": self.spec, "form": form, "result": result, "title": self.spec.title}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("download") == "template":
            response = HttpResponse(template_bytes(self.spec), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{self.spec.name}-template.xlsx"'
            return response
        return self.render_page(ImportUploadForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("confirm"):
            return self.confirm()
        self.discard_stored()  # a new upload replaces the previewed one, whatever its outcome
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form, status=400)
        upload = form.cleaned_data["file"]
        try:
            result = run_import(self.spec, upload, actor=self.actor, school=self.school(), dry_run=True)
        except ImportFileError as exc:
            form.add_error("file", exc.message)
            return self.render_page(form, status=400)
        if result.ok:
            request.session[self.session_key] = store_upload(upload)
        return self.render_page(ImportUploadForm(), result)

    def discard_stored(self) -> None:
        path = stored_path(self.request.session.pop(self.session_key, None))
        if path is not None:
            path.unlink(missing_ok=True)

    def confirm(self) -> HttpResponse:
        path = stored_path(self.request.session.get(self.session_key))
        if path is None:
            messages.error(self.request, _(UPLOAD_EXPIRED))
            return self.render_page(ImportUploadForm(), status=400)
        try:
            with path.open("rb") as handle:
                upload = _StoredUpload(handle, path)
                result = run_import(self.spec, upload, actor=self.actor, school=self.school(), dry_run=False)
        finally:
            self.discard_stored()
        if not result.ok:
            return self.render_page(ImportUploadForm(), result)
        messages.success(self.request, _("Imported %(count)s rows.") % {"count": result.created})
        return HttpResponseRedirect(reverse(self.success_url_name))


class _StoredUpload:
    """A stored file with the `size`/`name`/`read`/`seek` an upload has."""

    def __init__(self, handle: Any, path: Path):
        self._handle = handle
        self.name = path.name
        self.size = path.stat().st_size

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)
