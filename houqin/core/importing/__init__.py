"""Excel imports every module reuses (ARCHITECTURE rule 10).

An `ImportSpec` (engine) names the columns and the function that saves one row by calling the module's single-entry
service; `run_import` does the reading, checking and saving; the parsers read what people type; `ImportView` is the
upload → preview → confirm page.
"""

from houqin.core.importing.engine import (
    ImportColumn,
    ImportContext,
    ImportFileError,
    ImportResult,
    ImportSpec,
    RowError,
    check_upload,
    read_rows,
    run_import,
    template_bytes,
)
from houqin.core.importing.parsing import (
    CellError,
    choice_parser,
    normalise,
    parse_date,
    parse_decimal,
    parse_int,
    parse_phone,
    parse_text,
    parse_yes_no,
)
from houqin.core.importing.views import ImportUploadForm, ImportView

__all__ = [
    "CellError",
    "ImportColumn",
    "ImportContext",
    "ImportFileError",
    "ImportResult",
    "ImportSpec",
    "ImportUploadForm",
    "ImportView",
    "RowError",
    "check_upload",
    "choice_parser",
    "normalise",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_phone",
    "parse_text",
    "parse_yes_no",
    "read_rows",
    "run_import",
    "template_bytes",
]
