"""Running an import: checking every listing's rows, then (not in a dry run) saving the listings in the
caller's transaction, in batches (saving.py)."""

import itertools
import json
import tempfile

from ... import csvkit
from ...extensions import db
from . import saving
from .common import COLUMNS, FileRefused, ImportReport
from .duplicates import DuplicateFinder
from .grouping import IdChecker, build_listing, group_rows
from .reading import read_csv
from .rows import Vocabulary


class ImportAborted(Exception):
    pass


def iter_listings(csv_file, progress=None, should_abort=None):
    """Every row checked and grouped into listings (and compared for duplicates), a listing at a time: its
    rows are read back from the file by their offsets, so only one listing's cells are in memory. Writes nothing.

    Yields one importer Row per listing: `line` its first line, `lines` all of them, `data` its snapshot
    (None when it has problems, each reported on its own line)."""
    vocabulary = Vocabulary()
    duplicates, ids = DuplicateFinder(), IdChecker()
    try:
        yield from _checked_listings(csv_file, progress, should_abort, vocabulary, duplicates, ids)
    finally:
        duplicates.close()
        ids.close()


def _checked_listings(csv_file, progress, should_abort, vocabulary, duplicates, ids):
    width = len(csv_file.columns)
    total = len(csv_file.rows)
    done = 0
    for rows in csv_file.rows.groups():
        if should_abort and should_abort():
            raise ImportAborted()
        values, too_wide = [], {}
        for line, cells in rows:
            values.append(
                (
                    line,
                    {
                        column: csvkit.unguard(cell.strip())
                        for column, cell in zip(csv_file.columns, cells, strict=False)
                        if column in COLUMNS
                    },
                )
            )
            if len(cells) > width:
                too_wide[line] = len(cells)
        (group,) = group_rows(values)  # the rows of one organisation_id (or one row without one)
        with db.session.no_autoflush:
            listing = build_listing(group, vocabulary)
            for line in group.lines:
                if line in too_wide:
                    listing.problems.append(
                        {
                            "line": line,
                            "name": listing.name,
                            "field": "",
                            "problem": f"This row has {too_wide[line]} cells but the header row has {width} columns: "
                            "check for a stray comma, or a value that needs double quotation marks",
                            "kind": "error",
                            "listing": None,
                        }
                    )
                    listing.data = None
            ids.check(group, listing)
            if listing.data is not None:
                duplicates.check(listing)
        _mark_the_other_rows(listing)
        yield listing
        done += len(group.lines)
        if progress:
            progress("checking", done, total)


def check_rows(csv_file, progress=None, should_abort=None):
    """`iter_listings` as a list (for small files and tests: a large import never holds them all)."""
    return list(iter_listings(csv_file, progress, should_abort))


def _mark_the_other_rows(listing):
    """A listing is imported whole or not at all: its rows without a problem of their own say why they wait."""
    if not listing.problems or len(listing.lines) == 1:
        return
    kind = "error" if listing.has_errors else "duplicate"
    bad = sorted({p["line"] for p in listing.problems})
    for line in sorted(set(listing.lines) - set(bad)):
        listing.problems.append(
            {
                "line": line,
                "name": listing.name,
                "field": "",
                "problem": f"Not imported with the rest of its organisation: see line {bad[0]}",
                "kind": kind,
                "listing": None,
            }
        )


def run_import(data, user=None, *, dry_run=True, skip_bad_rows=False, filename="", progress=None, should_abort=None):
    """Check (and unless `dry_run`, create) the listings in CSV `data`; returns an ImportReport.

    The listings are checked one at a time; those ready to save wait in a temporary file (one line of
    JSON each), so memory does not grow with the file. Created listings are left in the session for the
    caller to commit, so that an import is one transaction; on an abort, a refusal or any error, the
    session is rolled back and nothing is written.
    """
    report = ImportReport(filename=filename, dry_run=dry_run, skip_bad_rows=skip_bad_rows)
    try:
        csv_file = read_csv(data)
    except FileRefused as exc:
        report.outcome, report.file_problem = "file_refused", str(exc)
        return report
    report.column_notes = csv_file.column_notes
    report.total_rows = len(csv_file.rows)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        try:
            for listing in iter_listings(csv_file, progress, should_abort):
                report.total_listings += 1
                report.problems.extend(listing.problems)
                if not listing.problems:
                    report.add_ready(
                        {
                            "line": listing.line,
                            "name": listing.name,
                            "postcode": _postcode(listing),
                            "rows": len(listing.lines),
                        }
                    )
                    if not dry_run:
                        spool.write(saving.spooled(listing) + "\n")
            if dry_run:
                report.outcome = "checked"
                return report
            if report.problems and not skip_bad_rows:
                report.outcome = "refused"
                return report
            spool.seek(0)
            _save(spool, user, report, progress, should_abort)
        except ImportAborted:
            db.session.rollback()
            report.outcome, report.created, report.created_count = "aborted", [], 0
            return report
        except BaseException:
            db.session.rollback()
            raise
    report.outcome = "imported"
    return report


def _save(spool, user, report, progress, should_abort):
    total = report.ready_count
    if progress:
        progress("saving", 0, total)
    lookups = saving.ImportLookups()
    batch = []
    for text in itertools.chain(spool, [None]):
        if text is not None:
            batch.append(json.loads(text))
        if batch and (text is None or len(batch) == saving.BATCH):
            if should_abort and should_abort():
                raise ImportAborted()
            for organisation, item in zip(saving.save_batch(batch, user, lookups), batch, strict=True):
                report.add_created({"line": item["lines"][0], "name": organisation.name, "slug": organisation.slug})
                db.session.expunge(organisation)  # written: the session need not keep it
            batch = []
            if progress:
                progress("saving", report.created_count, total)
    if should_abort and should_abort():
        raise ImportAborted()


def _postcode(row):
    locations = row.data["locations"] if row.data else []
    return locations[0]["postcode"] if locations else None
