"""Importing a quarter's KPI results from CSV or XLSX, all or nothing, with an error for each bad row.

The file has a header row. ``period`` (like 2019-20-Q1) and ``kpi`` (the indicator's name as in the
delivery plan) are required; the other columns are optional and only the columns present are changed:

    target, result, result_note, previous_result, previous_result_note, benchmark, notes,
    published_rag, published_dot, commentary, variance_explanation

A blank cell empties that field. Columns that our own CSV export adds (priority, polarity, measure,
annual_target, rag, dot, dot_percent, the rating explanations) are read and ignored, so an exported file can
be corrected and
imported again. Nothing is written unless every row is right.
"""

import io
import zipfile
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from openpyxl import load_workbook

from .. import csvkit
from ..extensions import db
from ..timeutil import utcnow
from . import ratings, services
from .models import DRAFT

REQUIRED = ("period", "kpi")
FIELDS = (
    "target",
    "result",
    "result_note",
    "previous_result",
    "previous_result_note",
    "benchmark",
    "notes",
    "published_rag",
    "published_dot",
    "commentary",
    "variance_explanation",
)
IGNORED = (
    "priority",
    "polarity",
    "measure",
    "annual_target",
    "rag",
    "dot",
    "dot_percent",
    "kpi_id",
    "rag_basis",
    "dot_basis",
    "target_rule",
    "rephased",
    "priority_overall_rating",
    "priority_overall_separate_reading",
    "priority_overall_basis",
)
TEXT_LIMITS = {
    "target": 60,
    "result_note": 120,
    "previous_result_note": 120,
    "benchmark": 300,
    "published_dot": 60,
    "commentary": 5000,
    "variance_explanation": 5000,
    "notes": 2000,
}
MAX_ROWS = 5000
# Bounds on what a file may make the server do (issue 12 finding 5: an XLSX of 1.5 KB whose dimension
# claimed A1:XFD6000 made openpyxl pad every row to 16,384 cells and grew a worker by 700 MB).
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_COLUMNS = 40
MAX_SCANNED_ROWS = 4 * MAX_ROWS
# An XLSX is a zip: its parts are read unpacked, so their unpacked size is capped too (a zip bomb).
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, unknown columns)."""


@dataclass
class ImportOutcome:
    errors: list = field(default_factory=list)  # (row number, message)
    changed: int = 0
    periods: set = field(default_factory=set)

    @property
    def ok(self):
        return not self.errors


def _normalise_header(name):
    return str(name or "").strip().lower().replace(" ", "_")


def read_rows(filename, data):
    """[(row number, {column: text or number})] from CSV or XLSX bytes. Row numbers are as a spreadsheet
    shows them (the header is row 1). Files beyond the size, row or column caps are refused whole."""
    name = (filename or "").lower()
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            f"The file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB, the most a results file can be; "
            f"split it into smaller files"
        )
    if name.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif name.endswith(".csv"):
        table = _read_csv(data)
    else:
        raise ImportFileError("The file must be a CSV or XLSX file")
    if not table:
        raise ImportFileError("The file is empty")
    header = [_normalise_header(cell) for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFileError(f"The first row must name the columns; missing: {', '.join(missing)}")
    unknown = [column for column in header if column and column not in REQUIRED + FIELDS + IGNORED]
    if unknown:
        raise ImportFileError(
            f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Columns can be: {', '.join(REQUIRED + FIELDS)}"
        )
    duplicates = sorted({column for column in header if column and header.count(column) > 1})
    if duplicates:
        raise ImportFileError(f"Columns named more than once: {', '.join(duplicates)}")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {header[i]: cells[i] if i < len(cells) else None for i in range(len(header)) if header[i]}
        if all(value is None or str(value).strip() == "" for value in values.values()):
            continue
        rows.append((number, values))
    if not rows:
        raise ImportFileError("The file has no rows under its header")
    return rows


def _bounded(rows):
    """The rows as lists, trailing empty cells dropped, refusing more than MAX_ROWS filled rows under the
    header, MAX_SCANNED_ROWS rows in all (blank ones too) or MAX_COLUMNS columns. Rows are consumed one at a
    time, so a hostile file stops at the cap."""
    table, filled = [], 0
    for row in rows:
        if len(table) >= MAX_SCANNED_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_SCANNED_ROWS:,} rows (counting blank ones); delete the blank rows "
                f"at its end, or split it into smaller files"
            )
        cells = list(row)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise ImportFileError(
                f"Row {len(table) + 1} has more than {MAX_COLUMNS} columns; a results file has at most "
                f"{MAX_COLUMNS} (the columns are listed below)"
            )
        if any(cell is not None and str(cell).strip() != "" for cell in cells):
            filled += 1
            if filled > MAX_ROWS + 1:
                raise ImportFileError(
                    f"The file has more than {MAX_ROWS:,} rows under its header; split it into smaller files"
                )
        table.append(cells)
    return table


def _read_csv(data):
    try:
        rows = csvkit.iter_rows(csvkit.decode(data), strict=False, keep_blank=True)
        return _bounded([csvkit.unguard(cell) for cell in cells] for _, cells in rows)
    except csvkit.CsvFileError as exc:
        raise ImportFileError(str(exc)) from None


FORBIDDEN_XML = (
    "The XLSX file contains XML entity or DTD declarations, which are not allowed; save it again from Excel or as CSV"
)


def _caused_by(exc, kind):
    """Whether `kind` is in the chain of exceptions behind `exc` (openpyxl wraps what defusedxml raises)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _read_xlsx(data):
    """The first sheet, streamed: openpyxl's read-only mode, the sheet's own claimed dimension ignored (it
    is what made openpyxl pad rows to XFD), at most MAX_COLUMNS + 1 cells a row and MAX_ROWS + 1 rows.
    XML is parsed by defusedxml (openpyxl uses it when installed), so entity tricks are refused."""

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError("The XLSX file cannot be opened: is it an Excel workbook?") from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            f"The XLSX file unpacks to {unpacked / 1024 / 1024:.0f} MB, more than a results file can be "
            f"({MAX_XLSX_UNPACKED_BYTES // 1024 // 1024} MB); save it again from Excel or as CSV"
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        if _caused_by(exc, DefusedXmlException):
            raise ImportFileError(FORBIDDEN_XML) from exc
        raise ImportFileError("The XLSX file cannot be opened: is it an Excel workbook?") from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError("The XLSX file has no worksheet")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        return _bounded(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True))
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet part
        if _caused_by(exc, DefusedXmlException):
            raise ImportFileError(FORBIDDEN_XML) from exc
        raise ImportFileError("The XLSX file's first sheet cannot be read: is it an Excel workbook?") from exc
    finally:
        workbook.close()


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value, column):
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{column.replace('_', ' ')} '{_text(value)}' is not a number")
    try:
        # Numeric cells too: an XLSX cell can hold 'inf' or 1e308 (issue 12 finding 10).
        return float(ratings.to_decimal(value if isinstance(value, (int, float)) else _text(value)))
    except ratings.RatingError as exc:
        raise ValueError(f"{column.replace('_', ' ')} '{_text(value)}' is not a number") from exc


def import_results(filename, data, user=None, allowed_period=None):
    """Check every row, then (only if all are right) save them. `allowed_period`, when given, is the only
    period the file may change (the web page imports into the report it was opened from)."""
    outcome = ImportOutcome()
    try:
        rows = read_rows(filename, data)
    except ImportFileError as exc:
        outcome.errors.append((None, str(exc)))
        return outcome
    periods, kpis_by_year, seen, planned = {}, {}, set(), []
    for number, values in rows:
        problems = []
        code = _text(values.get("period"))
        period = periods.get(code)
        if code not in periods:
            period = services.period_by_code(code) if code else None
            periods[code] = period
        if not code:
            problems.append("enter the period, like 2019-20-Q1")
        elif services.parse_period_code(code) is None:
            problems.append(f"period '{code}' is not like 2019-20-Q1")
        elif period is None:
            problems.append(f"there is no report for {code}")
        elif allowed_period is not None and period.id != allowed_period.id:
            problems.append(f"this import is for {allowed_period.code}, not {code}")
        elif period.status != DRAFT:
            problems.append(f"the report for {period.label} is {period.status_label.lower()} and cannot be changed")
        kpi_name = " ".join(_text(values.get("kpi")).split())
        kpi = None
        if not kpi_name:
            problems.append("enter the KPI's name")
        elif period is not None:
            if period.year_start not in kpis_by_year:
                kpis_by_year[period.year_start] = {
                    " ".join(k.name.split()).lower(): k for k in services.kpis_for_year(period.year_start)
                }
            kpi = kpis_by_year[period.year_start].get(kpi_name.lower())
            if kpi is None:
                problems.append(f"there is no KPI called '{kpi_name}' in the {period.year_label} delivery plan")
            elif (period.id, kpi.id) in seen:
                problems.append(f"'{kpi_name}' appears more than once for {code}")
            else:
                seen.add((period.id, kpi.id))
        changes = {}
        for column in FIELDS:
            if column not in values:
                continue
            raw = values[column]
            try:
                if column in ("result", "previous_result"):
                    changes[column] = _number(raw, column)
                elif column == "target":
                    text = _text(raw)
                    if text:
                        ratings.parse_target(text)
                    changes[column] = text
                elif column == "published_rag":
                    text = _text(raw).upper()
                    if text not in ("", "G", "A", "R"):
                        raise ValueError(f"published RAG '{_text(raw)}' must be G, A, R or blank")
                    changes[column] = text
                else:
                    text = _text(raw)
                    limit = TEXT_LIMITS.get(column)
                    if limit and len(text) > limit:
                        raise ValueError(f"{column.replace('_', ' ')} must be {limit} characters or fewer")
                    changes[column] = text
            except (ValueError, ratings.RatingError) as exc:
                problems.append(str(exc))
        if problems:
            outcome.errors.append((number, "; ".join(problems)))
        else:
            planned.append((period, kpi, changes))
    if outcome.errors:
        return outcome
    for period, kpi, changes in planned:
        result = services.result_for(period, kpi, create=True)
        for column, value in changes.items():
            setattr(result, column, value)
        result.updated_by = user
        result.updated_at = utcnow()
        outcome.changed += 1
        outcome.periods.add(period.code)
    db.session.commit()
    return outcome
