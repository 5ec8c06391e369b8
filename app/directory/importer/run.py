"""Running an import: checking every row, then (not in a dry run) saving them in the caller's transaction."""

from ... import csvkit
from ...extensions import db
from .. import services
from .common import COLUMNS, FileRefused, ImportReport
from .duplicates import DuplicateFinder
from .reading import read_csv
from .rows import Vocabulary, build_row


class ImportAborted(Exception):
    pass


def check_rows(csv_file, progress=None, should_abort=None):
    """Every row built and checked (and compared for duplicates); writes nothing."""
    vocabulary = Vocabulary()
    duplicates = DuplicateFinder()
    width = len(csv_file.columns)
    rows = []
    total = len(csv_file.rows)
    with db.session.no_autoflush:
        for done, (line, cells) in enumerate(csv_file.rows, start=1):
            if should_abort and should_abort():
                raise ImportAborted()
            values = {
                column: csvkit.unguard(cell.strip())
                for column, cell in zip(csv_file.columns, cells, strict=False)
                if column in COLUMNS
            }
            row = build_row(line, values, vocabulary)
            if len(cells) > width:
                row.problem(
                    "",
                    f"This row has {len(cells)} cells but the header row has {width} columns: check for a stray "
                    "comma, or a value that needs double quotation marks",
                )
                row.data = None
            if row.data is not None:
                duplicates.check(row)
            rows.append(row)
            if progress:
                progress("checking", done, total)
    return rows


def run_import(data, user=None, *, dry_run=True, skip_bad_rows=False, filename="", progress=None, should_abort=None):
    """Check (and unless `dry_run`, create) the listings in CSV `data`; returns an ImportReport.

    Created listings are left in the session for the caller to commit, so that an import is one
    transaction; on an abort, a refusal or any error, the session is rolled back and nothing is written.
    """
    report = ImportReport(filename=filename, dry_run=dry_run, skip_bad_rows=skip_bad_rows)
    try:
        csv_file = read_csv(data)
    except FileRefused as exc:
        report.outcome, report.file_problem = "file_refused", str(exc)
        return report
    report.column_notes = csv_file.column_notes
    report.total_rows = len(csv_file.rows)
    try:
        rows = check_rows(csv_file, progress, should_abort)
        good = [row for row in rows if not row.problems]
        report.problems = [problem for row in rows for problem in row.problems]
        report.ready = [{"line": row.line, "name": row.name, "postcode": _postcode(row)} for row in good]
        if dry_run:
            report.outcome = "checked"
            return report
        if report.problems and not skip_bad_rows:
            report.outcome = "refused"
            return report
        if progress:
            progress("saving", 0, len(good))
        for done, row in enumerate(good, start=1):
            if should_abort and should_abort():
                raise ImportAborted()
            organisation = services.create_organisation(
                row.data, user, summary=f"Imported from the legacy directory (line {row.line})"
            )
            organisation.legacy_id = row.values.get("legacy_id") or None
            # The old directory's records were last checked years ago: they are due a check now.
            organisation.last_verified_at = None
            db.session.flush()
            report.created.append({"line": row.line, "name": organisation.name, "slug": organisation.slug})
            if progress:
                progress("saving", done, len(good))
        if should_abort and should_abort():
            raise ImportAborted()
    except ImportAborted:
        db.session.rollback()
        report.outcome, report.created = "aborted", []
        return report
    except BaseException:
        db.session.rollback()
        raise
    report.outcome = "imported"
    return report


def _postcode(row):
    locations = row.data["locations"] if row.data else []
    return locations[0]["postcode"] if locations else None
