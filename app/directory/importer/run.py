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


def _built(csv_file, vocabulary, line, cells):
    values = {
        column: csvkit.unguard(cell.strip())
        for column, cell in zip(csv_file.columns, cells, strict=False)
        if column in COLUMNS
    }
    row = build_row(line, values, vocabulary)
    width = len(csv_file.columns)
    if len(cells) > width:
        row.problem(
            "",
            f"This row has {len(cells)} cells but the header row has {width} columns: check for a stray "
            "comma, or a value that needs double quotation marks",
        )
        row.data = None
    return row


def checked_rows(csv_file, progress=None, should_abort=None):
    """Each row built and checked (and compared for duplicates), one at a time as the file is read; writes
    nothing. Only the duplicate finder's keys are kept from row to row."""
    vocabulary = Vocabulary()
    duplicates = DuplicateFinder()
    total = len(csv_file.rows)
    with db.session.no_autoflush:
        for done, (line, cells) in enumerate(csv_file.rows, start=1):
            if should_abort and should_abort():
                raise ImportAborted()
            row = _built(csv_file, vocabulary, line, cells)
            if row.data is not None:
                duplicates.check(row)
            yield row
            if progress:
                progress("checking", done, total)


def check_rows(csv_file, progress=None, should_abort=None):
    """`checked_rows` as a list (for a caller that wants every row at once)."""
    return list(checked_rows(csv_file, progress, should_abort))


def _good_rows(csv_file, lines):
    """The rows on `lines` (the ones the check passed), built again from a second reading of the file: the
    checked rows are not kept in memory between the check and the saving. Building a row is pure (the same
    values give the same listing), so each is what was checked."""
    vocabulary = Vocabulary()
    for line, cells in csv_file.rows:
        if line in lines:
            yield _built(csv_file, vocabulary, line, cells)


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
        good = set()  # the lines of rows without problems
        for row in checked_rows(csv_file, progress, should_abort):
            if row.problems:
                report.problems.extend(row.problems)
            else:
                good.add(row.line)
                report.ready.append({"line": row.line, "name": row.name, "postcode": _postcode(row)})
        if dry_run:
            report.outcome = "checked"
            return report
        if report.problems and not skip_bad_rows:
            report.outcome = "refused"
            return report
        if progress:
            progress("saving", 0, len(good))
        for done, row in enumerate(_good_rows(csv_file, good), start=1):
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
