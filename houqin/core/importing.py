"""Excel imports every module reuses (ARCHITECTURE rule 10).

An `ImportSpec` names the columns (with the header texts found in real files) and the function that saves one row
by calling the module's single-entry service. `run_import` reads the first sheet of an .xlsx, finds the header row,
skips blank and total rows, normalises what people type (full-width digits, 2019.09 dates, ¥1,200.00 amounts), saves
every row in one transaction with a savepoint per row, and collects every error as (row, column, message). Nothing is
kept when there is any error, or on a dry run (the preview). `ImportView` is the upload → preview → confirm page.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
import uuid
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core import audit
from houqin.core.exporting import XLSX
from houqin.core.forms import Form
from houqin.core.mixins import ScopedMixin
from houqin.core.money import parse_amount
from houqin.core.sensitive import mask_phone

if TYPE_CHECKING:
    from houqin.accounts.models import User

UPLOAD_NOT_XLSX = "Upload an Excel workbook (.xlsx). Save older .xls files as .xlsx first."
UPLOAD_TOO_LARGE = "The file is larger than %(mb)s MB."
UPLOAD_UNREADABLE = "The file could not be read as an Excel workbook."
UPLOAD_TOO_MANY_ROWS = "The file has more than %(max)s rows; split it into several files."
UPLOAD_EXPIRED = "The previewed file has expired; upload it again."
COLUMN_MISSING = "This column is missing from the header row."
VALUE_REQUIRED = "This field is required."
VALUE_NOT_NUMBER = "Enter a number."
VALUE_NOT_WHOLE_NUMBER = "Enter a whole number."
VALUE_NOT_DATE = "Enter a date such as 2019-09-01, 2019/9/1 or 2019.09."
VALUE_NOT_PHONE = "Enter a mobile number of 11 digits or a landline number."
VALUE_NOT_CHOICE = "Choose one of: %(choices)s."
VALUE_NOT_YES_NO = "Enter %(yes)s or %(no)s."
DUPLICATE_IN_FILE = "The same as row %(row)s of this file."
ROW_CONFLICT = "This row conflicts with existing data."
NO_SCHOOL = "Only school staff can import into a school."

MAX_ROWS = 10000
HEADER_SCAN_ROWS = 10
PREVIEW_ROWS = 20
TOTAL_MARKERS = ("合计", "总计", "小计")
STORE_HOURS = 24


class ImportFileError(Exception):
    """The upload as a whole is refused (not .xlsx, too large, unreadable): shown to the user, HTTP 400."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CellError(ValueError):
    """One cell's value cannot be understood; the message says what to type instead."""


#
# Normalising what people type
#


def normalise(value: Any) -> Any:
    """Strings are NFKC-normalised (full-width digits and letters become ASCII) and stripped; None for blank."""
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).strip()
        return value or None
    return value


def parse_text(value: Any) -> str:
    """Text as typed; a number stored by Excel (13812345678.0) comes back without the decimal point."""
    value = normalise(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def parse_int(value: Any) -> int | None:
    value = normalise(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_(VALUE_NOT_WHOLE_NUMBER))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value):
        return int(value)
    raise CellError(_(VALUE_NOT_WHOLE_NUMBER))


def parse_decimal(value: Any) -> Decimal | None:
    """An amount in yuan: '¥1,200.00', '１２００', '1200元' → Decimal('1200.00')."""
    try:
        return parse_amount(normalise(value))
    except ValueError:
        raise CellError(_(VALUE_NOT_NUMBER)) from None


_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})[-/.年](?P<m>\d{1,2})(?:[-/.月](?P<d>\d{1,2})日?)?月?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)


def parse_date(value: Any) -> dt.date | None:
    """Dates as offices write them: Excel dates, 2019-09-01, 2019/9/1, 2019.09 (the 1st), 2019年9月1日, 20190901."""
    value = normalise(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return from_excel(value).date()
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(str(value))
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"] or 1))
            except ValueError:
                break
    raise CellError(_(VALUE_NOT_DATE))


_PHONE_JUNK = re.compile(r"[\s\-()]")


def parse_phone(value: Any) -> str:
    """A mobile (11 digits, +86 dropped) or a landline (0571-88886666 → 057188886666); '' for blank."""
    text = _PHONE_JUNK.sub("", parse_text(value))
    if not text:
        return ""
    text = re.sub(r"^(\+?86)(?=1\d{10}$)", "", text)
    if re.fullmatch(r"1[3-9]\d{9}", text) or re.fullmatch(r"0\d{9,11}", text) or re.fullmatch(r"\d{7,8}", text):
        return text
    raise CellError(_(VALUE_NOT_PHONE))


_YES = {"是", "有", "y", "yes", "true", "1", "√", "在用", "在职", "在读"}
_NO = {"否", "无", "n", "no", "false", "0", "×", "停用", "离职", "离校"}


def parse_yes_no(value: Any) -> bool | None:
    text = parse_text(value).lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_(VALUE_NOT_YES_NO) % {"yes": "是", "no": "否"})


def choice_parser(choices: Any, aliases: dict[str, str] | None = None) -> Callable[[Any], str]:
    """A parser for a TextChoices field accepting its code, its label (in Chinese or English) or an alias."""

    def parse(value: Any) -> str:
        text = parse_text(value)
        if not text:
            return ""
        lookup = {key.lower(): code for key, code in (aliases or {}).items()}
        for code, label in choices.choices:
            lookup[str(code).lower()] = code
            lookup[str(label).lower()] = code
            with translation.override("en"):
                lookup[str(label).lower()] = code
        try:
            return lookup[text.lower()]
        except KeyError:
            labels = "、".join(str(label) for _code, label in choices.choices)
            raise CellError(_(VALUE_NOT_CHOICE) % {"choices": labels}) from None

    return parse


#
# The description of one import
#


def _header_key(text: Any) -> str:
    """How header cells are compared: NFKC, no spaces, no '*' markers, no '(…)' notes, lower case."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"\(.*?\)|\*|\s", "", text)
    return text.lower()


@dataclass(frozen=True)
class ImportColumn:
    """One column: `aliases` are the header texts found in real files (the first is the template's header)."""

    key: str
    label: Any
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[Any], Any] = parse_text
    field: str = ""  # the service field whose errors belong to this column (default: key)
    help: Any = ""

    @property
    def template_header(self) -> str:
        header = self.aliases[0] if self.aliases else str(self.label)
        return f"{header}*" if self.required else header

    def header_keys(self) -> set[str]:
        keys = {_header_key(a) for a in self.aliases} | {_header_key(self.key), _header_key(self.label)}
        with translation.override("en"):
            keys.add(_header_key(self.label))
        return keys


@dataclass
class ImportContext:
    """What a row saver needs besides the row: who imports, into which school, and a cache for look-ups."""

    actor: User
    school: Any
    cache: dict[Any, Any] = field(default_factory=dict)

    def cached(self, key: Any, load: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = load()
        return self.cache[key]


@dataclass(frozen=True)
class ImportSpec:
    """An import: its columns, the keys that may appear once per file, and `save_row(context, values)`."""

    name: str
    title: Any
    columns: tuple[ImportColumn, ...]
    save_row: Callable[[ImportContext, dict[str, Any]], Any]
    unique_together: tuple[str, ...] = ()
    audit_action: str = ""

    def column(self, key: str) -> ImportColumn:
        return next(c for c in self.columns if c.key == key)

    def column_for_field(self, field_name: str) -> ImportColumn:
        """The column a service's error on `field_name` belongs to (the first column for whole-row errors)."""
        for column in self.columns:
            if field_name in (column.key, column.field):
                return column
        return self.columns[0]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    preview: list[tuple[int, list[Any]]] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


#
# Reading the workbook
#


def check_upload(upload: Any) -> None:
    """Refuse anything but a modest .xlsx before openpyxl opens it."""
    limit = settings.HOUQIN_UPLOAD_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ImportFileError(_(UPLOAD_TOO_LARGE) % {"mb": limit})
    name = (getattr(upload, "name", "") or "").lower()
    upload.seek(0)
    magic = upload.read(4)
    upload.seek(0)
    if not name.endswith(".xlsx") or magic != b"PK\x03\x04":
        raise ImportFileError(_(UPLOAD_NOT_XLSX))


_READ_ERRORS = (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError, EOFError)


def read_rows(upload: Any) -> Generator[tuple[int, tuple[Any, ...]], None, None]:
    """(Excel row number, cell values) of the first sheet."""
    check_upload(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except _READ_ERRORS:
        raise ImportFileError(_(UPLOAD_UNREADABLE)) from None
    try:
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS + HEADER_SCAN_ROWS:
                raise ImportFileError(_(UPLOAD_TOO_MANY_ROWS) % {"max": MAX_ROWS})
            yield number, cells
    except _READ_ERRORS:
        raise ImportFileError(_(UPLOAD_UNREADABLE)) from None
    finally:
        workbook.close()


def _match_headers(spec: ImportSpec, cells: Sequence[Any]) -> dict[str, tuple[int, str]]:
    """column key -> (cell index, header text as written) for the cells of one row that name a column."""
    found: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(cells):
        key = _header_key(cell)
        if not key:
            continue
        for column in spec.columns:
            if column.key not in found and key in column.header_keys():
                found[column.key] = (index, str(normalise(cell)))
                break
    return found


def _find_header(spec: ImportSpec, rows: Iterator[tuple[int, tuple[Any, ...]]]) -> tuple[int, dict]:
    """The header row is the first of the top rows naming the most columns (title rows above it are skipped)."""
    best_number, best = 1, {}  # type: tuple[int, dict[str, tuple[int, str]]]
    for number, cells in rows:
        found = _match_headers(spec, cells)
        if len(found) > len(best):
            best_number, best = number, found
        if found and all(c.key in found for c in spec.columns if c.required):
            return number, found
        if number >= HEADER_SCAN_ROWS:
            break
    return best_number, best


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(normalise(c) in (None, "") for c in cells)


def _is_total(cells: Iterable[Any]) -> bool:
    first = next((normalise(c) for c in cells if normalise(c) not in (None, "")), None)
    return isinstance(first, str) and first.replace(" ", "").startswith(TOTAL_MARKERS)


#
# Running an import
#


class _Run:
    """One pass over a file: parse, check duplicates, save each row under a savepoint, collect errors."""

    def __init__(self, spec: ImportSpec, context: ImportContext, result: ImportResult):
        self.spec, self.context, self.result = spec, context, result
        self.headers: dict[str, str] = {}
        self.seen: dict[tuple, int] = {}
        self.typed: list[str] = []

    def header(self, column: ImportColumn) -> str:
        return self.headers.get(column.key, column.template_header.rstrip("*"))

    def error(self, row: int, column: ImportColumn, message: str) -> None:
        self.result.errors.append(RowError(row=row, column=self.header(column), message=str(message)))

    def start(self, header_row: int, found: dict[str, tuple[int, str]]) -> dict[str, int]:
        self.headers = {key: text for key, (_index, text) in found.items()}
        self.result.headers = [self.header(c) for c in self.spec.columns if c.key in found]
        for column in self.spec.columns:
            if column.required and column.key not in found:
                self.error(header_row, column, _(COLUMN_MISSING))
        return {key: index for key, (index, _text) in found.items()}

    def parse(self, number: int, cells: Sequence[Any], positions: dict[str, int]) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        ok = True
        for column in self.spec.columns:
            if column.key not in positions:
                continue
            index = positions[column.key]
            raw = cells[index] if index < len(cells) else None
            typed = parse_text(raw)
            self.typed.append(mask_phone(typed) if column.parse is parse_phone else typed)
            try:
                values[column.key] = column.parse(raw)
            except CellError as exc:
                self.error(number, column, str(exc))
                ok = False
                continue
            if column.required and values[column.key] in (None, ""):
                self.error(number, column, _(VALUE_REQUIRED))
                ok = False
        return values if ok else None

    def is_duplicate(self, number: int, values: dict[str, Any]) -> bool:
        if not self.spec.unique_together:
            return False
        key = tuple(str(values.get(k) or "").lower() for k in self.spec.unique_together)
        if not all(key):
            return False  # a blank part (no phone number) cannot tell two rows apart
        if key in self.seen:
            first = self.spec.column(self.spec.unique_together[0])
            self.error(number, first, _(DUPLICATE_IN_FILE) % {"row": self.seen[key]})
            return True
        self.seen[key] = number
        return False

    def save(self, number: int, values: dict[str, Any]) -> None:
        try:
            with transaction.atomic():
                self.spec.save_row(self.context, values)
        except ValidationError as exc:
            self.service_errors(number, exc)
        except IntegrityError:
            self.error(number, self.spec.columns[0], _(ROW_CONFLICT))
        else:
            self.result.created += 1

    def service_errors(self, number: int, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.error(number, self.spec.columns[0], message)
            return
        for field_name, field_messages in exc.message_dict.items():
            column = self.spec.columns[0] if field_name == NON_FIELD_ERRORS else self.spec.column_for_field(field_name)
            for message in field_messages:
                self.error(number, column, message)

    def row(self, number: int, cells: Sequence[Any], positions: dict[str, int]) -> None:
        if _is_blank(cells) or _is_total(cells):
            return
        self.result.rows += 1
        self.typed = []
        values = self.parse(number, cells, positions)
        if len(self.result.preview) < PREVIEW_ROWS:
            self.result.preview.append((number, self.typed))
        if values is None or self.is_duplicate(number, values):
            return
        self.save(number, values)


def run_import(spec: ImportSpec, upload: Any, *, actor: User, school: Any, dry_run: bool = True) -> ImportResult:
    """Import every row of `upload` through `spec.save_row` in one transaction; keep nothing on error or dry run.

    Raises ImportFileError when the file itself is refused, PermissionDenied when a service refuses the actor.
    """
    result = ImportResult(dry_run=dry_run)
    context = ImportContext(actor=actor, school=school)
    run = _Run(spec, context, result)
    rows = read_rows(upload)
    try:
        with transaction.atomic():
            header_row, found = _find_header(spec, rows)
            positions = run.start(header_row, found)
            if result.ok:
                for number, cells in rows:
                    run.row(number, cells, positions)
            if result.errors or dry_run:
                transaction.set_rollback(True)
            elif spec.audit_action:
                audit.record(
                    actor=actor,
                    action=spec.audit_action,
                    school=school,
                    changes={"rows": [None, result.created]},
                    message=getattr(upload, "name", ""),
                )
    finally:
        rows.close()
    return result


def template_bytes(spec: ImportSpec) -> bytes:
    """An empty workbook with the header row (required columns marked *), for people to fill in."""
    from io import BytesIO

    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = str(spec.title)[:31]
    sheet.append([c.template_header for c in spec.columns])
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


#
# The page: upload → preview (dry run) → confirm
#


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
            path.unlink(missing_ok=True)
            self.request.session.pop(self.session_key, None)
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
