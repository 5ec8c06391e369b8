"""Backup and restore of the database, on SQLite (online backup API) and PostgreSQL (pg_dump/pg_restore)."""

import shutil

import pytest

from app.directory.models import Organisation
from app.extensions import db

from .conftest import IS_POSTGRES
from .factories.directory import make_listing


def names():
    db.session.rollback()
    return sorted(db.session.scalars(db.select(Organisation.name)))


@pytest.mark.skipif(IS_POSTGRES and not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_backup_then_restore_brings_back_exactly_what_was_saved(app, client, wards, taxonomies, tmp_path):
    make_listing("Kept Food Bank")
    runner = app.test_cli_runner()
    backup = tmp_path / "portal.backup"
    result = runner.invoke(args=["backup", "create", str(backup)])
    assert result.exit_code == 0, result.output
    assert backup.stat().st_size > 0
    # Life goes on after the backup: a listing added, another removed.
    make_listing("Added Later")
    db.session.delete(db.session.scalar(db.select(Organisation).where(Organisation.name == "Kept Food Bank")))
    db.session.commit()
    assert names() == ["Added Later"]

    result = runner.invoke(args=["backup", "restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert names() == ["Kept Food Bank"]
    # The running portal serves the restored data, and its search index came back with it.
    assert "Kept Food Bank" in client.get("/directory/?q=kept").get_data(as_text=True)


def test_restoring_something_that_is_not_a_backup_changes_nothing(app, wards, taxonomies, tmp_path):
    make_listing("Still Here")
    bogus = tmp_path / "not-a-backup"
    bogus.write_bytes(b"this is not a database" * 100)
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(bogus), "--yes"])
    assert result.exit_code != 0
    assert names() == ["Still Here"]
