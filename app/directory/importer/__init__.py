"""CSV import of the legacy Barnet Community Directory, and CSV export of the public directory.

No request is needed here: the web pages (import_views.py), the background task and `flask directory
import/export` all use these functions.

The file has one row per service at a place (docs/directory-csv.md): the organisation's columns repeated on
each of its rows, and organisation_id, service_id and location_id saying which rows belong together. Files of
the old layout (one row per organisation, no ID columns) are read as before.

Import, in two steps:
1. *checking*: the file is read (UTF-8, with or without a byte order mark; a header row naming the columns)
   into a small index of each row's line, byte offset and listing (reading); each listing's rows are then read
   back by offset and grouped (grouping), every row is built into a snapshot with the values of its
   organisation, service and location and checked with the listing form's rules (rows), and each listing's
   snapshot (the shape of `services.snapshot`) is put together and looked for among duplicates: the same
   charity number, legacy ID or uuid as an existing listing or an earlier one, or a nearly identical name at
   the same postcode. Each problem is reported as (line, column, problem). Nothing is written.
2. *saving* (not in a dry run): the listings are created with `services.write_snapshot` in batches
   (saving; keeping the file's uuids), all in the caller's one transaction, which the caller commits. If any row has a problem
   nothing is written, unless the officer chose to import the good listings and skip the rest; a listing
   with a bad row is skipped whole. Between listings the import asks `should_abort()`; when it says yes,
   everything is rolled back.

Export writes the same columns, so an export can be imported again (into an empty directory it exports
again as the same file); confidential addresses are left out, and cells that a spreadsheet would run as a
formula are made plain text.

The parts, one module each: common (columns, the report), reading, hours (opening hours), rows (checking a
row), grouping (rows into listings), duplicates, run (an import), saving (writing listings in batches),
jobs (background imports from the web, and their progress), export. This package names what callers use,
so `from app.directory import importer` and `importer.run_import(...)` keep working; a test that changes a
module's setting patches that module (`importer.jobs.PROGRESS_EVERY_SECONDS`).
"""

from .common import (
    COLUMN_HELP,
    COLUMNS,
    EXAMPLE_HEADER,
    FIELD_NAMES,
    ID_COLUMNS,
    LOCATION_COLUMNS,
    MAX_AGE,
    MAX_LENGTHS,
    MULTILINE_COLUMNS,
    NO,
    ORGANISATION_COLUMNS,
    REQUIRED_COLUMNS,
    SERVICE_COLUMNS,
    YES,
    FileRefused,
    ImportReport,
)
from .duplicates import NAME_NOISE, NAME_SIMILARITY, DuplicateFinder, name_key, similar_names
from .export import export_csv, export_rows, export_service_areas, exported_organisations, problems_csv, write_export
from .grouping import Group, IdChecker, Part, as_uuid, build_listing, group_rows
from .hours import DAY_ABBREVIATIONS, DAYS, HOURS_RE, format_opening_hours, parse_opening_hours
from .jobs import (
    PROGRESS_EVERY_SECONDS,
    JobProgress,
    Progress,
    cancel,
    cancel_checked,
    finish_job,
    forget_progress,
    forget_stale_checks,
    last_heard,
    live_progress,
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
from .run import ImportAborted, check_rows, iter_listings, run_import
from .saving import BATCH, ImportLookups, save_batch

__all__ = [
    "cancel_checked",
    "queue_check",
    "queue_import",
    "stop_job",
    "COLUMNS",
    "ORGANISATION_COLUMNS",
    "SERVICE_COLUMNS",
    "LOCATION_COLUMNS",
    "ID_COLUMNS",
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
    "Group",
    "Part",
    "IdChecker",
    "as_uuid",
    "group_rows",
    "build_listing",
    "ImportAborted",
    "check_rows",
    "iter_listings",
    "BATCH",
    "ImportLookups",
    "save_batch",
    "run_import",
    "PROGRESS_EVERY_SECONDS",
    "upload_folder",
    "remove_upload",
    "JobProgress",
    "Progress",
    "live_progress",
    "last_heard",
    "forget_progress",
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
