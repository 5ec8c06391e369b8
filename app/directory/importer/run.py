"""Running an import: checking every row and grouping them into listings, then (not in a dry run) saving
the listings in the caller's transaction."""

import json

from ... import csvkit
from ...extensions import db
from .. import services
from ..models import ListingVersion
from .common import COLUMNS, FileRefused, ImportReport
from .duplicates import DuplicateFinder
from .grouping import IdChecker, as_uuid, build_listing, group_rows
from .reading import read_csv
from .rows import Vocabulary


class ImportAborted(Exception):
    pass


def check_rows(csv_file, progress=None, should_abort=None):
    """Every row checked and grouped into listings (and compared for duplicates); writes nothing.

    Returns one importer Row per listing: `line` its first line, `lines` all of them, `data` its snapshot
    (None when it has problems, each reported on its own line)."""
    vocabulary = Vocabulary()
    duplicates = DuplicateFinder()
    width = len(csv_file.columns)
    total = len(csv_file.rows)
    rows, too_wide = [], {}
    for line, cells in csv_file.rows:
        rows.append(
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
    groups = group_rows(rows)
    ids = IdChecker(groups)
    listings, done = [], 0
    with db.session.no_autoflush:
        for group in groups:
            if should_abort and should_abort():
                raise ImportAborted()
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
            listings.append(listing)
            done += len(group.lines)
            if progress:
                progress("checking", done, total)
    return listings


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


def create_listing(listing, user):
    """Create one checked listing, keeping the IDs the export gave its organisation, services and locations."""
    lines = listing.lines or [listing.line]
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(str(n) for n in lines)}"
    organisation = services.create_organisation(
        listing.data, user, summary=f"Imported from the legacy directory ({where})"[:255]
    )
    ids = listing.ids
    if any(as_uuid(i) for i in [ids.get("organisation"), *ids.get("services", []), *ids.get("locations", [])]):
        # The services and locations were created in the snapshot's order; the version written with them
        # is written again, so that the history holds the same IDs.
        if ids.get("organisation"):
            organisation.uuid = ids["organisation"]
        for item, ident in zip(organisation.services, ids.get("services", []), strict=False):
            item.uuid = as_uuid(ident) or item.uuid
        for item, ident in zip(organisation.locations, ids.get("locations", []), strict=False):
            item.uuid = as_uuid(ident) or item.uuid
        db.session.flush()
        version = db.session.scalar(
            db.select(ListingVersion).where(
                ListingVersion.organisation_id == organisation.id, ListingVersion.version == organisation.version
            )
        )
        version.snapshot = json.dumps(services.snapshot(organisation))
    organisation.legacy_id = listing.values.get("legacy_id") or None
    # The old directory's records were last checked years ago: they are due a check now.
    organisation.last_verified_at = None
    db.session.flush()
    return organisation


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
        report.total_listings = len(rows)
        report.ready = [
            {"line": row.line, "name": row.name, "postcode": _postcode(row), "rows": len(row.lines)} for row in good
        ]
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
            organisation = create_listing(row, user)
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
