"""The directory's CSV import in a real browser: accessible pages, the officer's upload, report and import,
and the progress bar that follows a running import (and its Stop button)."""

import pytest

from app.directory import importer
from app.directory.import_models import DirectoryImport
from app.directory.models import Organisation
from app.extensions import db

from ..factories.directory import add_postcodes
from ..test_directory_import import csv_bytes, good_row
from .conftest import run_axe, sign_in_page

pytestmark = pytest.mark.browser

MIXED_FILE = csv_bytes(
    [
        good_row("Colindale Food Bank", postcode="NW9 4EW", opening_hours="Mon-Fri 09:00-17:00"),
        good_row("Hendon Youth Club", categories="Youth; Skateboarding"),
        good_row("Finchley Food Share", postcode="N12 0GA"),
    ]
)


@pytest.fixture
def officer_page(live_server, page, make_user, wards, taxonomies):
    add_postcodes()
    officer = make_user("strategy_officer")
    sign_in_page(page, live_server, officer.email)
    yield page
    for path in importer.upload_folder().iterdir():
        path.unlink()


def accessible(page):
    assert page.locator("h1").count() == 1
    assert run_axe(page) == []
    assert page.console_problems == []
    return True


def test_officer_uploads_reads_the_report_and_imports_the_good_rows(live_server, officer_page, tmp_path):
    page = officer_page
    page.goto(live_server + "/directory/import/")
    assert accessible(page)

    page.get_by_role("button", name="Upload and check the file").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Select a CSV file" in page.locator(".govuk-error-summary").inner_text()
    assert page.title().startswith("Error:")
    assert accessible(page)

    path = tmp_path / "legacy directory.csv"
    path.write_bytes(MIXED_FILE)
    page.get_by_label("Upload a CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check the file").click()
    page.get_by_role("heading", name="Check the import", level=1).wait_for()
    problem_row = page.get_by_role("row").filter(has_text="Skateboarding")
    assert problem_row.get_by_role("cell").all_inner_texts()[:3] == ["3", "Hendon Youth Club", "categories"]
    page.get_by_text("The 2 rows ready to import").click()
    assert page.get_by_role("cell", name="Finchley Food Share").is_visible()
    assert accessible(page)

    page.get_by_role("button", name="Import 2 listings").click()
    page.locator(".govuk-error-summary").wait_for()
    assert accessible(page)
    page.get_by_label("Import the 2 good rows and skip the 1 row with problems").check()
    page.get_by_role("button", name="Import 2 listings").click()
    page.get_by_role("heading", name="Listings imported", level=1).wait_for()
    assert accessible(page)
    page.get_by_role("link", name="Colindale Food Bank").click()
    page.get_by_role("row", name="Monday 09:00 to 17:00").wait_for()
    assert db.session.scalar(db.select(db.func.count(Organisation.id)).where(Organisation.name.like("%Food%"))) == 2


def queued_check(data):
    stored_name = "browser-test.csv"
    (importer.upload_folder() / stored_name).write_bytes(data)
    job = DirectoryImport(filename="legacy.csv", stored_name=stored_name, mode="check", state="queued")
    db.session.add(job)
    db.session.commit()
    return job


def test_progress_bar_follows_the_import_and_then_shows_the_report(live_server, officer_page):
    page = officer_page
    job = queued_check(MIXED_FILE)
    page.goto(f"{live_server}/directory/import/{job.id}")
    page.get_by_role("heading", name="Checking the file", level=1).wait_for()
    assert page.get_by_role("status").inner_text() == "Waiting to start"
    assert accessible(page)

    # The worker reports progress: the page's script picks it up without a reload.
    db.session.execute(
        db.update(DirectoryImport)
        .where(DirectoryImport.id == job.id)
        .values(state="running", step="checking", rows_total=300, rows_done=150)
    )
    db.session.commit()
    page.get_by_role("status").filter(has_text="Checked 150 of 300 rows (50%)").wait_for(timeout=5000)
    assert page.get_by_label("Progress").evaluate("bar => [bar.value, bar.max]") == [150, 300]
    assert accessible(page)

    # The check ends: the page opens the report by itself.
    job = db.session.get(DirectoryImport, job.id)
    importer.finish_job(job, importer.run_import(MIXED_FILE, dry_run=True, filename=job.filename))
    db.session.commit()
    page.get_by_role("heading", name="Check the import", level=1).wait_for(timeout=5000)
    assert page.console_problems == []


def test_officer_stops_a_waiting_import(live_server, officer_page):
    page = officer_page
    job = queued_check(MIXED_FILE)
    page.goto(f"{live_server}/directory/import/{job.id}")
    page.get_by_role("button", name="Stop the check").click()
    page.get_by_role("heading", name="Import stopped", level=1).wait_for()
    assert "Nothing was written" in page.locator("main").inner_text()
    assert accessible(page)
