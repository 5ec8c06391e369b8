"""`flask directory ...`: reminders, search index upkeep, CSV import and export."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..extensions import db
from . import importer, services
from .models import Location

directory_cli = AppGroup("directory", help="The VCFS directory.")


@directory_cli.command("send-reminders")
def send_reminders():
    """Queue the reminders due now (the task worker does this every morning by itself)."""
    queued = services.queue_due_reminders()
    click.echo(f"Queued verification reminders for {queued} listings.")


@directory_cli.command("geocode")
def geocode_locations():
    """Place every address that has no position yet, from the postcode table (after a postcode import)."""
    missing = db.session.scalars(
        db.select(Location).where(Location.lat.is_(None), Location.postcode.is_not(None))
    ).all()
    placed = 0
    with click.progressbar(missing, label=f"Placing {len(missing)} addresses") as bar:
        for location in bar:
            placed += services.geocode(location)
    db.session.commit()
    click.echo(
        f"Placed {placed} of {len(missing)} addresses; {len(missing) - placed} postcodes are not in the postcode table."
    )


class _ProgressBars:
    """One click progress bar per step of an import (checking rows, then saving listings)."""

    LABELS = {"checking": "Checking rows", "saving": "Saving listings"}

    def __init__(self):
        self.step = self.bar = None

    def __call__(self, step, done, total):
        if step != self.step:
            self.close()
            self.step = step
            self.bar = click.progressbar(length=total, label=self.LABELS.get(step, step))
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@directory_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and report problems and duplicates; write nothing.")
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows even if other rows have problems.")
def import_listings(file, dry_run, skip_bad_rows):
    """Import organisations from a CSV FILE (the legacy directory's columns: see /directory/import/).

    All or nothing: if any row has a problem or is a duplicate, nothing is written, unless --skip-bad-rows.
    """
    bars = _ProgressBars()
    try:
        report = importer.run_import(
            Path(file),  # read as it goes, never loaded whole
            None,
            dry_run=dry_run,
            skip_bad_rows=skip_bad_rows,
            filename=Path(file).name,
            progress=bars,
        )
        bars.close()
        if report.outcome == "imported":
            db.session.commit()
    except KeyboardInterrupt:
        bars.close()
        db.session.rollback()
        click.echo("Stopped: nothing was written.", err=True)
        raise SystemExit(130) from None
    if report.file_problem:
        raise click.ClickException(f"The file cannot be imported: {report.file_problem}")
    for note in report.column_notes:
        click.echo(note)
    for problem in sorted(report.problems, key=lambda p: p["line"]):
        kind = "duplicate: " if problem["kind"] == "duplicate" else ""
        click.echo(f"Line {problem['line']}, {problem['field'] or 'whole row'}: {kind}{problem['problem']}")
    click.echo(report.summary())
    if report.outcome == "refused" or (dry_run and report.problems):
        raise SystemExit(1)


@directory_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
def export_listings(file):
    """Write the public directory to a CSV FILE ('-' for the screen), in the columns the import reads."""
    if file == "-":
        count = importer.write_export(sys.stdout)
    else:
        with open(file, "w", encoding="utf-8-sig", newline="") as stream:
            count = importer.write_export(stream)
        click.echo(f"Wrote {count} organisations to {file}.", err=True)
