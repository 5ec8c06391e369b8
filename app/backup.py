"""`flask backup create FILE` and `flask backup restore FILE`, for SQLite and PostgreSQL.

SQLite: SQLite's online backup API copies the database page by page while the portal keeps serving, into a
file that is itself a SQLite database. Restoring copies it back the same way (the portal may keep running;
requests during the copy wait for it). PostgreSQL: pg_dump's custom format, restored with pg_restore in a
single transaction (--clean), so a failed restore leaves the database as it was.
"""

import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

from .extensions import db

backup_cli = AppGroup("backup", help="Back up and restore the portal's database.")


def _sqlite_path(url):
    return url.database


def _libpq_url(url):
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(name):
    folder = current_app.config["PG_BINDIR"]
    path = Path(folder) / name if folder else shutil.which(name)
    if not path or not Path(path).exists():
        raise click.ClickException(f"{name} was not found: install postgresql-client or set PG_BINDIR")
    return str(path)


def create_backup(target):
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        destination = sqlite3.connect(str(target))
        try:
            with destination:
                source.backup(destination, pages=256)
        finally:
            destination.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), _libpq_url(url)],
            check=True,
            capture_output=True,
        )
    else:
        raise click.ClickException(f"no backup method for {url.get_backend_name()}")
    return target


def restore_backup(source):
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    source = Path(source)
    if not source.is_file():
        raise click.ClickException(f"{source} does not exist")
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        backup = sqlite3.connect(str(source))
        try:
            backup.execute("PRAGMA schema_version").fetchone()  # fails unless it is a SQLite database
            live = sqlite3.connect(_sqlite_path(url))
            try:
                with live:
                    backup.backup(live)
            finally:
                live.close()
        except sqlite3.DatabaseError as exc:
            raise click.ClickException(f"{source} is not a SQLite backup: {exc}") from exc
        finally:
            backup.close()
    elif url.get_backend_name() == "postgresql":
        result = subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _libpq_url(url),
                str(source),
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise click.ClickException(f"pg_restore failed; the database is unchanged:\n{result.stderr[-2000:]}")
    else:
        raise click.ClickException(f"no restore method for {url.get_backend_name()}")


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False))
def create(file):
    """Write a backup of the database to FILE (while the portal keeps running)."""
    path = create_backup(file)
    click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes).")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(file, yes):
    """Replace the database with the backup in FILE."""
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Continue?", abort=True)
    restore_backup(file)
    click.echo(f"Database restored from {file}.")
