"""CSV import of the legacy Barnet Community Directory, and CSV export of the public directory.

No request is needed here: the web pages (import_views.py), the background task and `flask directory
import/export` all use these functions.

Import, in two steps:
1. *checking*: the file is read (UTF-8, with or without a byte order mark; a header row naming the columns),
   every row is built into a listing snapshot (the shape of `services.snapshot`) and checked with the
   listing form's rules, and duplicates are looked for: the same charity number or legacy ID as an existing
   listing or an earlier row, or a nearly identical name at the same postcode. Each problem is reported as
   (line, column, problem). Nothing is written.
2. *saving* (not in a dry run): the rows are created with `services.create_organisation`, all in the
   caller's one transaction, which the caller commits. If any row has a problem nothing is written, unless
   the officer chose to import the good rows and skip the rest. Between rows the import asks
   `should_abort()`; when it says yes, everything is rolled back.

Export writes the same columns, so an export can be imported again; confidential addresses are left out,
and cells that a spreadsheet would run as a formula are made plain text.

The parts, one module each: common (columns, the report), reading, hours (opening hours), rows (checking a
row), duplicates, run (an import), jobs (background imports from the web), export. This package names what
callers use, so `from app.directory import importer` and `importer.run_import(...)` keep working; a test
that changes a module's setting patches that module (`importer.jobs.PROGRESS_EVERY_SECONDS`).
"""

from .common import (
    COLUMN_HELP,
    COLUMNS,
    EXAMPLE_HEADER,
    FIELD_NAMES,
    MAX_AGE,
    MAX_LENGTHS,
    MULTILINE_COLUMNS,
    NO,
    REQUIRED_COLUMNS,
    YES,
    FileRefused,
    ImportReport,
)
from .duplicates import NAME_NOISE, NAME_SIMILARITY, DuplicateFinder, name_key, similar_names
from .export import export_csv, export_rows, export_service_areas, exported_organisations, problems_csv, write_export
from .hours import DAY_ABBREVIATIONS, DAYS, HOURS_RE, format_opening_hours, parse_opening_hours
from .jobs import (
    PROGRESS_EVERY_SECONDS,
    JobProgress,
    cancel,
    cancel_checked,
    finish_job,
    forget_stale_checks,
    process_job,
    queue_check,
    queue_import,
    remove_upload,
    request_abort,
    start_job,
    stop_job,
    upload_folder,
)
from .reading import CsvFile, normalise_column, read_csv
from .rows import Row, Vocabulary, _form_rule, build_row, parse_age
from .run import ImportAborted, check_rows, run_import

__all__ = [
    "cancel_checked",
    "queue_check",
    "queue_import",
    "stop_job",
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "MULTILINE_COLUMNS",
    "COLUMN_HELP",
    "MAX_LENGTHS",
    "FIELD_NAMES",
    "YES",
    "NO",
    "EXAMPLE_HEADER",
    "MAX_AGE",
    "FileRefused",
    "ImportReport",
    "CsvFile",
    "normalise_column",
    "read_csv",
    "DAYS",
    "DAY_ABBREVIATIONS",
    "HOURS_RE",
    "parse_opening_hours",
    "format_opening_hours",
    "Row",
    "_form_rule",
    "Vocabulary",
    "parse_age",
    "build_row",
    "NAME_NOISE",
    "NAME_SIMILARITY",
    "name_key",
    "similar_names",
    "DuplicateFinder",
    "ImportAborted",
    "check_rows",
    "run_import",
    "PROGRESS_EVERY_SECONDS",
    "upload_folder",
    "remove_upload",
    "JobProgress",
    "start_job",
    "process_job",
    "finish_job",
    "request_abort",
    "cancel",
    "forget_stale_checks",
    "exported_organisations",
    "export_rows",
    "export_service_areas",
    "write_export",
    "export_csv",
    "problems_csv",
]
