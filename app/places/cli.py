"""`flask geo import-wards` and `flask geo import-postcodes`: load ONS/OS open data files."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .. import csvkit
from .models import WARD_SET_2002, WARD_SET_2022
from .services import ImportRejected, parse_postcodes, parse_ward_boundaries, save_postcodes, save_ward_boundaries

geo_cli = AppGroup("geo", help="Import ward boundaries and postcodes (ONS / OS open data).")

DEFAULT_FILES = {
    WARD_SET_2022: "barnet_wards_2022.geojson",
    WARD_SET_2002: "barnet_wards_2002-2022.geojson",
    "postcodes": "barnet_postcodes.csv",
}


def _resolve(path, default_name):
    """A file given on the command line, or the default file in GEO_DATA_DIR."""
    if path:
        return Path(path)
    folder = Path(current_app.config["GEO_DATA_DIR"])
    return folder / default_name


def _must_exist(path):
    if not path.is_file():
        raise click.ClickException(
            f"{path} does not exist. Give the file, or set GEO_DATA_DIR to the folder holding it."
        )


def _read(path):
    _must_exist(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path} is not UTF-8 text: {exc}") from exc


def _fail(exc):
    lines = [str(problem) for problem in exc.report.problems]
    shown = "\n  ".join(lines[:50])
    more = f"\n  ... and {len(lines) - 50} more" if len(lines) > 50 else ""
    raise click.ClickException(f"nothing was imported; {len(lines)} problem(s):\n  {shown}{more}")


@geo_cli.command("import-wards")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--set",
    "ward_set",
    type=click.Choice([WARD_SET_2022, WARD_SET_2002]),
    default=WARD_SET_2022,
    show_default=True,
    help="Which ward set the boundaries belong to.",
)
def import_wards(file, ward_set):
    """Import ward boundaries from an ONS GeoJSON file (WGS84)."""
    path = _resolve(file, DEFAULT_FILES[ward_set])
    text = _read(path)
    try:
        parsed = parse_ward_boundaries(text, ward_set)
    except ImportRejected as exc:
        _fail(exc)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    with click.progressbar(length=len(parsed), label=f"Saving {len(parsed)} ward boundaries") as bar:
        count = save_ward_boundaries(parsed, progress=bar.update)
    click.echo(f"Imported boundaries for {count} wards of the {ward_set} set from {path.name}.")


@geo_cli.command("import-postcodes")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
def import_postcodes(file):
    """Import postcodes (postcode,lat,lon,ward_code; ONSPD; or Code-Point Open with a header)."""
    path = _resolve(file, DEFAULT_FILES["postcodes"])
    _must_exist(path)
    try:
        text = csvkit.decode(path.read_bytes())
    except csvkit.CsvFileError as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    lines = max(text.count("\n") - 1, 1)
    try:
        with click.progressbar(length=lines, label="Checking postcodes") as bar:
            rows, report = parse_postcodes(text, progress=bar.update)
    except ImportRejected as exc:
        _fail(exc)
    with click.progressbar(length=len(rows), label=f"Saving {len(rows)} postcodes") as bar:
        save_postcodes(rows, report, progress=bar.update)
    skipped = ", ".join(f"{count} {reason}" for reason, count in sorted(report.skipped.items()))
    click.echo(f"Imported {report.written} postcodes from {path.name}." + (f" Skipped: {skipped}." if skipped else ""))


@geo_cli.command("import-all")
def import_all():
    """Import both ward sets and the postcodes from GEO_DATA_DIR, when it holds them."""
    folder = Path(current_app.config["GEO_DATA_DIR"])
    if not folder.is_dir():
        click.echo(f"GEO_DATA_DIR {folder} is not a folder: no boundaries or postcodes imported.")
        return
    ctx = click.get_current_context()
    for ward_set in (WARD_SET_2022, WARD_SET_2002):
        if (folder / DEFAULT_FILES[ward_set]).is_file():
            ctx.invoke(import_wards, file=None, ward_set=ward_set)
    if (folder / DEFAULT_FILES["postcodes"]).is_file():
        ctx.invoke(import_postcodes, file=None)
