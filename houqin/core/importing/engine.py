"""The import engine: an `ImportSpec` names the columns (with the header texts found in real files) and either the
function that saves one row through the module's single-entry service, or a bulk saver (`RowBatch`) that checks each
row by the service's rules and saves them a thousand at a time; `run_import` streams the first sheet, finds the header
row, skips blank and total rows, saves every row in one transaction (a savepoint per row, or a batch at a time), and
collects every error as (row, column, message). Nothing is kept when there is any error, or on a dry run."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.importing.parsing import CellError, normalise, parse_phone, parse_text
from houqin.core.sensitive import mask_phone

if TYPE_CHECKING:
    from houqin.accounts.models import User

UPLOAD_NOT_XLSX = gettext_noop("Upload an Excel workbook (.xlsx). Save older .xls files as .xlsx first.")
UPLOAD_TOO_LARGE = gettext_noop("The file is larger than %(mb)s MB.")
UPLOAD_UNREADABLE = gettext_noop("The file could not be read as an Excel workbook.")
UPLOAD_TOO_MANY_ROWS = gettext_noop("The file has more than %(max)s rows; split it into several files.")
COLUMN_MISSING = gettext_noop("This column is missing from the header row.")
VALUE_REQUIRED = gettext_noop("This field is required.")
DUPLICATE_IN_FILE = gettext_noop("The same as row %(row)s of this file.")
ROW_CONFLICT = gettext_noop("This row conflicts with existing data.")

# Rows one file may hold (a school's whole ledger in one file); `HOUQIN_IMPORT_MAX_ROWS` overrides it.
MAX_ROWS = 100_000
HEADER_SCAN_ROWS = 10
PREVIEW_ROWS = 20
TOTAL_MARKERS = ("合计", "总计", "小计")


class ImportFileError(Exception):
    """The upload as a whole is refused (not .xlsx, too large, unreadable): shown to the user, HTTP 400."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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


def max_rows() -> int:
    return int(getattr(settings, "HOUQIN_IMPORT_MAX_ROWS", MAX_ROWS))


@dataclass
class ImportContext:
    """What a row saver needs besides the row: who imports, into which school, from which file, and a cache for
    look-ups."""

    actor: User
    school: Any
    cache: dict[Any, Any] = field(default_factory=dict)
    file_name: str = ""

    def cached(self, key: Any, load: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = load()
        return self.cache[key]


class RowBatch(Protocol):
    """A bulk saver: made once per import (where it checks the permission and loads what rows refer to), it checks
    each row as it is read by the same rules as the module's service, then checks and saves the rows added since the
    last flush together: a few queries a thousand rows instead of a few a row."""

    def add(self, number: int, values: dict[str, Any]) -> None:
        """Check one row (file row `number`) and keep it for the next flush; ValidationError names its fields."""

    def flush(self, *, write: bool) -> list[tuple[int, ValidationError]]:
        """Check the rows kept since the last flush against each other and the database; save them when `write`
        and none has an error. Returns the errors by file row."""


@dataclass(frozen=True)
class ImportSpec:
    """An import: its columns, the keys that may appear once per file, and how rows are saved: one at a time by
    `save_row(context, values)`, or a batch at a time by the `RowBatch` that `bulk(context)` makes."""

    name: str
    title: Any
    columns: tuple[ImportColumn, ...]
    save_row: Callable[[ImportContext, dict[str, Any]], Any] | None = None
    unique_together: tuple[str, ...] = ()
    audit_action: str = ""
    bulk: Callable[[ImportContext], RowBatch] | None = None
    batch_size: int = 1000

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
    limit = max_rows()
    if (sheet.max_row or 0) > limit + HEADER_SCAN_ROWS:  # the size the file declares: refused before reading it
        workbook.close()
        raise ImportFileError(_(UPLOAD_TOO_MANY_ROWS) % {"max": limit})
    try:
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > limit + HEADER_SCAN_ROWS:
                raise ImportFileError(_(UPLOAD_TOO_MANY_ROWS) % {"max": limit})
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
    """One pass over a file: parse, check duplicates, save each row under a savepoint (or a batch at a time through
    the spec's bulk saver), collect errors."""

    def __init__(self, spec: ImportSpec, context: ImportContext, result: ImportResult):
        self.spec, self.context, self.result = spec, context, result
        self.headers: dict[str, str] = {}
        self.seen: dict[tuple, int] = {}
        self.typed: list[str] | None = None
        self.batch: RowBatch | None = None
        self.pending = self.first_pending = 0
        self.write = not result.dry_run

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
        if self.result.ok and self.spec.bulk is not None:
            self.batch = self.spec.bulk(self.context)  # checks the permission and loads the look-ups, once
        return {key: index for key, (index, _text) in found.items()}

    def parse(self, number: int, cells: Sequence[Any], positions: dict[str, int]) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        ok = True
        for column in self.spec.columns:
            if column.key not in positions:
                continue
            index = positions[column.key]
            raw = cells[index] if index < len(cells) else None
            if self.typed is not None:  # what the preview shows, for its first rows only
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
        if self.batch is not None:
            self.add(number, values)
            return
        assert self.spec.save_row is not None, f"import {self.spec.name} has neither save_row nor bulk"
        try:
            with transaction.atomic():
                self.spec.save_row(self.context, values)
        except ValidationError as exc:
            self.service_errors(number, exc)
        except IntegrityError:
            self.error(number, self.spec.columns[0], _(ROW_CONFLICT))
        else:
            self.result.created += 1

    def add(self, number: int, values: dict[str, Any]) -> None:
        assert self.batch is not None
        try:
            self.batch.add(number, values)
        except ValidationError as exc:
            self.service_errors(number, exc)
            return
        if not self.pending:
            self.first_pending = number
        self.pending += 1
        if self.pending >= self.spec.batch_size:
            self.flush()

    def flush(self) -> None:
        """Check (and, while the file has no error and this is no dry run, save) the rows added since the last
        flush; after the first error rows are only checked, and the transaction is rolled back at the end."""
        if self.batch is None or not self.pending:
            return
        try:
            with transaction.atomic():
                errors = self.batch.flush(write=self.write and self.result.ok)
        except IntegrityError:  # a row saved by someone else since the check: the whole import is refused
            self.error(self.first_pending, self.spec.columns[0], _(ROW_CONFLICT))
            errors = []
        for number, exc in errors:
            self.service_errors(number, exc)
        self.result.created += self.pending - len({number for number, _exc in errors})
        self.pending = 0

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
        self.typed = [] if len(self.result.preview) < PREVIEW_ROWS else None
        values = self.parse(number, cells, positions)
        if self.typed is not None:
            self.result.preview.append((number, self.typed))
        if values is None or self.is_duplicate(number, values):
            return
        self.save(number, values)


def run_import(spec: ImportSpec, upload: Any, *, actor: User, school: Any, dry_run: bool = True) -> ImportResult:
    """Import every row of `upload` through `spec` in one transaction; keep nothing on error or dry run.

    Raises ImportFileError when the file itself is refused, PermissionDenied when a service refuses the actor.
    """
    result = ImportResult(dry_run=dry_run)
    context = ImportContext(actor=actor, school=school, file_name=getattr(upload, "name", "") or "")
    run = _Run(spec, context, result)
    rows = read_rows(upload)
    try:
        with transaction.atomic():
            header_row, found = _find_header(spec, rows)
            positions = run.start(header_row, found)
            if result.ok:
                for number, cells in rows:
                    run.row(number, cells, positions)
                run.flush()
            if result.errors or dry_run:
                transaction.set_rollback(True)
            elif spec.audit_action:
                audit.record(
                    actor=actor,
                    action=spec.audit_action,
                    school=school,
                    changes={"rows": [None, result.created]},
                    message=context.file_name,
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
