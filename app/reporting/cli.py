"""`flask reporting import FILE`, `flask reporting export PERIOD --format json|csv`, `flask reporting live PERIOD`."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from . import exports, importer, services

reporting_cli = AppGroup("reporting", help="The committee's quarterly performance report.")


@reporting_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file):
    """Import KPI results from a CSV or XLSX FILE (columns: period, kpi, target, result, ...).

    Every row is checked first; nothing is written if any row is wrong."""
    outcome = importer.import_results(file.name, file.read_bytes())
    if not outcome.ok:
        for row, message in outcome.errors:
            click.echo(f"{'Row ' + str(row) if row else 'File'}: {message}", err=True)
        click.echo(
            f"Nothing imported: {len(outcome.errors)} problem{'s' if len(outcome.errors) != 1 else ''}.", err=True
        )
        sys.exit(1)
    click.echo(
        f"Imported {outcome.changed} KPI result{'s' if outcome.changed != 1 else ''} "
        f"for {', '.join(sorted(outcome.periods))}."
    )


@reporting_cli.command("export")
@click.argument("period")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file, not stdout.")
def export_command(period, fmt, output):
    """Export the report for PERIOD (like 2019-20-Q1): JSON (ratings included) or CSV of KPIs."""
    found = services.period_by_code(period)
    if found is None:
        raise click.BadParameter(f"there is no report for {period} (periods look like 2019-20-Q1)", param_hint="PERIOD")
    report = services.build_report(found)
    text = exports.to_json_text(report) + "\n" if fmt == "json" else exports.to_csv_text(report)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@reporting_cli.command("live")
@click.argument("period")
def live_command(period):
    """Take the results of KPIs with a live source for a draft PERIOD."""
    found = services.period_by_code(period)
    if found is None:
        raise click.BadParameter(f"there is no report for {period}", param_hint="PERIOD")
    try:
        taken, unavailable = services.take_live_results(found)
    except services.WorkflowError as exc:
        raise click.ClickException(str(exc)) from exc
    for kpi, value in taken:
        click.echo(f"{kpi.name}: {value}")
    for kpi, message in unavailable:
        click.echo(f"{kpi.name}: source not available ({message})", err=True)
