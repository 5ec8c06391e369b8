"""CSV import of the legacy directory and CSV export of the public directory: what an officer sees and
what ends up in the directory (and, above all, what does not)."""

import csv
import io
import random
import time
from datetime import timedelta

import pytest

from app.directory import importer, services
from app.directory.import_models import DirectoryImport
from app.directory.models import ListingVersion, Location, Organisation, Service
from app.extensions import db
from app.places.models import Postcode
from app.timeutil import utcnow

from .conftest import GEO_DIR, IS_POSTGRES, post_form
from .directory_helpers import add_postcodes, listing, make_listing

COLUMNS = importer.COLUMNS


@pytest.fixture
def directory(app, wards, taxonomies):
    add_postcodes()


@pytest.fixture(autouse=True)
def empty_upload_folder(app):
    """Uploaded files live in the instance folder, which every test shares."""
    yield
    for path in importer.upload_folder().iterdir():
        path.unlink()


def csv_bytes(rows, columns=COLUMNS, bom=False):
    """A CSV file as a council spreadsheet would save it: header row, then one row per dict."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return (("\ufeff" if bom else "") + stream.getvalue()).encode("utf-8")


def good_row(name, **values):
    return {
        "name": name,
        "description": f"{name} helps people in Barnet.",
        "address_1": "1 High Street",
        "postcode": "NW4 4BG",
        "categories": "Food",
        **values,
    }


# The `organisation` fixture's group (signed_in_as gives it an editor) is not one of the imported listings.
FIXTURE_ORGANISATION = "barnet-multi-faith-forum"


def organisation_count():
    return db.session.scalar(db.select(db.func.count(Organisation.id)).where(Organisation.slug != FIXTURE_ORGANISATION))


def nothing_written():
    return organisation_count() == 0 and db.session.scalar(db.select(db.func.count(ListingVersion.id))) == 0


def problems(report):
    return [(p["line"], p["field"], p["problem"]) for p in report.problems]


def lines_and_fields(report):
    return {(p["line"], p["field"]) for p in report.problems}


# --- Checking rows -------------------------------------------------------------------------------


def test_dry_run_reports_every_row_and_writes_nothing(directory):
    data = csv_bytes(
        [
            good_row("Colindale Food Bank", postcode="NW9 4EW"),
            good_row("Hendon Youth Club", categories="Youth"),
            good_row("Broken Postcode Group", postcode="NOT A CODE"),
            good_row("Finchley Food Share", postcode="N12 0GA"),
            good_row("", description="A row without a name"),
        ]
    )
    report = importer.run_import(data, dry_run=True)
    assert report.outcome == "checked"
    assert report.total_rows == 5
    assert [(r["line"], r["name"]) for r in report.ready] == [
        (2, "Colindale Food Bank"),
        (3, "Hendon Youth Club"),
        (5, "Finchley Food Share"),
    ]
    assert problems(report) == [
        (4, "postcode", "Enter a real postcode, like NW4 4BG"),
        (6, "name", "Enter the name of the organisation"),
    ]
    assert report.summary() == (
        "5 rows: 3 ready to import, 2 with errors, 0 duplicates. This was a check only: nothing was written."
    )
    assert nothing_written()


def test_every_field_is_checked_with_the_listing_form_rules(directory):
    rows = [
        good_row("Bad email", email="not-an-email"),  # line 2
        good_row("Bad website", website="www.example.org"),  # 3
        good_row("Bad phone", phone="call us"),  # 4
        good_row("Bad charity", charity_number="12"),  # 5
        good_row("Bad company", company_number="ABC"),  # 6
        good_row("Bad category", categories="Food; Knitting"),  # 7
        good_row("Bad access", accessibility="Step-free access; Jetpack"),  # 8
        good_row("Bad hours", opening_hours="Mon 17:00-09:00; Tue 9-5"),  # 9
        good_row("Twice", opening_hours="Mon-Fri 09:00-17:00; Mon 16:00-20:00"),  # 10
        good_row("Bad flag", confidential="maybe", kind="club", status="open"),  # 11
        good_row("No street", address_1=""),  # 12
        good_row("No postcode", postcode=""),  # 13
        good_row("X" * 256),  # 14
        good_row("Access nowhere", address_1="", postcode="", accessibility="Hearing loop"),  # 15
        good_row("Bad day", opening_hours="Mondy 09:00-17:00"),  # 16
    ]
    report = importer.run_import(csv_bytes(rows), dry_run=True)
    found = problems(report)
    expected = [
        (2, "email", "Enter an email address in the correct format, like name@example.com"),
        (3, "website", "Enter a web address starting with https://, like https://www.example.org"),
        (4, "phone", "Enter a phone number, like 020 8359 2000 or 07700 900 982"),
        (
            5,
            "charity_number",
            "Enter a registered charity number, like 1012345 (England and Wales), SC012345 (Scotland) or NIC100123 (Northern Ireland)",
        ),
        (6, "company_number", "Enter a company number of 8 characters, like 01234567 or SC123456"),
        (
            7,
            "categories",
            "“Knitting” is not a directory category. Use the names listed on the import page, separated by semicolons",
        ),
        (
            8,
            "accessibility",
            "“Jetpack” is not a directory accessibility feature. Use the names listed on the import page, separated by semicolons",
        ),
        (9, "opening_hours", "The closing time on Monday must be after the opening time"),
        (
            9,
            "opening_hours",
            "Enter opening hours as days and 24-hour times, like Mon 09:00-12:00, 13:00-17:00; Wed 10:00-14:00 "
            "(“Tue 9-5” is not)",
        ),
        (10, "opening_hours", "The opening times on Monday overlap (09:00-17:00 and 16:00-20:00): give each time once"),
        (
            11,
            "kind",
            "Enter the type of organisation: Voluntary or community group, Faith organisation, Infrastructure and support, Business, Statutory partner",  # noqa: E501
        ),
        (11, "status", "Enter the status: Active, Temporarily closed or Inactive"),
        (11, "confidential", "Enter yes or no"),
        (12, "address_1", "Enter the first line of the address, or remove the postcode"),
        (13, "postcode", "Enter the postcode of the address"),
        (14, "name", "The name must be 255 characters or fewer"),
        (15, "accessibility", "Accessibility describes an address: add the address, or leave accessibility empty"),
        (16, "opening_hours", "“Mondy” is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun"),
    ]
    assert sorted(found) == sorted(expected)
    assert report.ready == []
    assert nothing_written()


def test_a_row_with_more_cells_than_the_header_is_reported(directory):
    data = b"name,postcode,address_1\r\nGood Group,NW4 4BG,1 High Street\r\nStray Comma Group,NW4 4BG,1 High Street,extra\r\n"
    report = importer.run_import(data, dry_run=True)
    assert problems(report) == [
        (
            3,
            "",
            "This row has 4 cells but the header row has 3 columns: check for a stray comma, "
            "or a value that needs double quotation marks",
        )
    ]
    assert [r["line"] for r in report.ready] == [2]


def test_line_numbers_count_lines_of_the_file_even_with_line_breaks_in_cells(directory):
    data = (
        b"name,description,postcode,address_1\r\n"
        b'First,"Two\nlines",NW4 4BG,1 High Street\r\n'
        b"\r\n"
        b"Second,ok,BAD,1 High Street\r\n"
    )
    report = importer.run_import(data, dry_run=True)
    assert problems(report) == [(5, "postcode", "Enter a real postcode, like NW4 4BG")]


@pytest.mark.parametrize(
    "text, hours",
    [
        ("Mon 09:00-17:00; Wed 10:00-14:00", [(0, "09:00", "17:00"), (2, "10:00", "14:00")]),
        ("Mon-Fri 9:30 - 17:00", [(d, "09:30", "17:00") for d in range(5)]),
        ("Tuesday: 10.00 to 12.00; sat 08:00-09:00", [(1, "10:00", "12:00"), (5, "08:00", "09:00")]),
        ("Mon, Thu 18:00–20:00", [(0, "18:00", "20:00"), (3, "18:00", "20:00")]),
        ("", []),
    ],
)
def test_opening_hours_are_read_in_the_ways_a_spreadsheet_has_them(text, hours):
    parsed, found = importer.parse_opening_hours(text)
    assert found == []
    assert [(h["weekday"], h["opens_at"], h["closes_at"]) for h in parsed] == hours
    assert importer.parse_opening_hours(importer.format_opening_hours(parsed))[0] == parsed


def test_a_good_row_becomes_a_published_listing(directory, make_user):
    officer = make_user("strategy_officer")
    row = {
        "name": "Colindale Food Bank",
        "description": "Free food parcels",
        "kind": "Faith organisation",
        "status": "Temporarily closed",
        "email": "Info@Foodbank.example",
        "website": "https://foodbank.example",
        "phone": "020 8359 2000",
        "charity_number": "sc 012345",
        "company_number": "1234567",
        "service_name": "Friday food bank",
        "service_description": "Parcels for families",
        "categories": "food;  MENTAL HEALTH ",
        "address_1": "Church Hall",
        "address_2": "1 High Street",
        "city": "",
        "postcode": "nw94ew",
        "confidential": "No",
        "accessibility": "step-free access; Hearing loop",
        "opening_hours": "Fri 10:00-14:00",
        "legacy_id": "BCD-0042",
    }
    report = importer.run_import(csv_bytes([row]), officer, dry_run=False)
    db.session.commit()
    assert report.outcome == "imported" and [c["name"] for c in report.created] == ["Colindale Food Bank"]
    org = db.session.scalar(db.select(Organisation))
    assert org.published and org.legacy_id == "BCD-0042"
    # The old directory's records have not been checked for years: they are due a check.
    assert org.last_verified_at is None
    snapshot = services.snapshot(org)
    for item in snapshot["services"] + snapshot["locations"]:
        del item["uuid"]
    assert snapshot == {
        "organisation": {
            "name": "Colindale Food Bank",
            "description": "Free food parcels",
            "kind": "faith",
            "status": "temporarily closed",
            "email": "info@foodbank.example",
            "website": "https://foodbank.example",
            "phone": "020 8359 2000",
            "charity_number": "SC012345",
            "company_number": "01234567",
        },
        "services": [
            {
                "name": "Friday food bank",
                "description": "Parcels for families",
                "url": None,
                "email": None,
                "phone": None,
                "status": "temporarily closed",
                "fees_description": None,
                "minimum_age": None,
                "maximum_age": None,
                "terms": ["category/food", "category/mental-health"],
                "area_scope": None,
                "areas": [],
                "hours": [{"weekday": 4, "opens_at": "10:00", "closes_at": "14:00"}],
                "closures": [],
                "locations": [0],
            }
        ],
        "locations": [
            {
                "name": "",
                "address_1": "Church Hall",
                "address_2": "1 High Street",
                "city": "London",
                "postcode": "NW9 4EW",
                "confidential": False,
                "accessibility_notes": None,
                "accessibility": ["accessibility/hearing-loop", "accessibility/step-free-access"],
            }
        ],
    }
    assert org.locations[0].ward_code == "E05013632"  # placed from the postcode table
    version = db.session.scalar(db.select(ListingVersion))
    assert version.summary == "Imported from the legacy directory (line 2)" and version.created_by_id == officer.id


def test_a_row_with_only_a_name_is_a_listing_without_services_or_address(directory):
    report = importer.run_import(b"name\r\nBarnet Friends of the Earth\r\n", dry_run=False)
    db.session.commit()
    assert report.outcome == "imported"
    org = db.session.scalar(db.select(Organisation))
    assert (org.name, org.kind, org.status, org.services, org.locations) == (
        "Barnet Friends of the Earth",
        "vcfs",
        "active",
        [],
        [],
    )


# --- Malformed files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty."),
        (b"  \r\n", "The file is empty."),
        (
            "name,description\r\nCafé Rouge,Caf\u00e9\r\n".encode("latin-1"),
            "The file is not UTF-8 text: line 2 has characters in another encoding.",
        ),
        ("name\r\nGroup\r\n".encode("utf-16"), "The file is not UTF-8 text (it may be UTF-16 or a binary file)."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is a spreadsheet workbook, not a CSV file."),
        (b"name\r\n", "The file has a header row but no rows of data."),
        (
            b"organisation,postcode\r\nGroup,NW4 4BG\r\n",
            "The file has no name column. The first row must be a header row naming the columns",
        ),
        (b"name;postcode\r\nGroup;NW4 4BG\r\n", "Separate the columns with commas, not semicolons or tabs"),
        (b"name,postcode,Postcode\r\nGroup,NW4 4BG,NW4 4BG\r\n", "The column postcode appears twice in the header row"),
        (b'name,description\r\nGroup,"unfinished quote\r\nOther,x\r\n', "The file cannot be read as CSV near line"),
        (b'name,description\r\nGroup,"quoted" then more\r\n', "The file cannot be read as CSV near line 2"),
        # Issue 12 finding 10: a value longer than the csv module's field limit was a 500.
        (b"name,description\r\nGroup," + b"x" * 200_000 + b"\r\n", "Line 2 has a value longer than 131,072 characters"),
        (b"name,description\r\nGroup,\x00\r\n", "The file is not UTF-8 text (it may be UTF-16 or a binary file)."),
    ],
)
def test_a_malformed_file_is_refused_whole_and_nothing_is_written(directory, data, message):
    for dry_run in (True, False):
        report = importer.run_import(data, dry_run=dry_run, skip_bad_rows=True)
        assert report.outcome == "file_refused"
        assert report.file_problem.startswith(message), report.file_problem
        assert report.ready == [] and report.created == []
    assert nothing_written()


def test_a_byte_order_mark_spreadsheet_headers_and_unknown_columns_are_fine(directory):
    data = csv_bytes(
        [
            {
                "Name": "Mill Hill Men's Shed",
                "Charity Number": "1012345",
                "Favourite Colour": "blue",
                "Postcode": "NW4 4BG",
                "Address 1": "1 High Street",
            }
        ],
        columns=["Favourite Colour", "Postcode", "Name", "Charity Number", "Address 1", ""],
        bom=True,
    )
    report = importer.run_import(data, dry_run=False)
    db.session.commit()
    assert report.outcome == "imported"
    assert report.column_notes == [
        "The column Favourite Colour is not one the directory uses, so its values were not imported.",
        "Column 6 has no name in the header row, so its values were not imported.",
    ]
    org = db.session.scalar(db.select(Organisation))
    assert (org.name, org.charity_number, org.locations[0].postcode) == ("Mill Hill Men's Shed", "1012345", "NW4 4BG")


# --- Duplicates --------------------------------------------------------------------------------


def test_duplicates_of_listings_already_in_the_directory(directory):
    existing = make_listing("Colindale Food Bank", postcode="NW9 4EW", charity_number="1012345")
    make_listing("Hidden Draft Group", postcode="NW4 4BG", published=False)
    rows = [
        good_row("Barnet Food Help", charity_number="1012345", postcode="N12 0GA"),  # 2: same charity number
        good_row("The Colindale Foodbank Ltd", postcode="nw9 4ew"),  # 3: near-identical name, same postcode
        good_row("Colindale Food Bank", postcode="N12 0GA"),  # 4: same name, elsewhere: fine
        good_row("Colindale Youth Club", postcode="NW9 4EW"),  # 5: different name: fine
        good_row("Hidden Draft Group!", postcode="NW4 4BG"),  # 6: an unpublished listing counts too
    ]
    report = importer.run_import(csv_bytes(rows), dry_run=True)
    assert problems(report) == [
        (2, "charity_number", "Same charity number as the existing listing Colindale Food Bank"),
        (3, "name", "Nearly the same name as the existing listing Colindale Food Bank, at the same postcode NW9 4EW"),
        (6, "name", "Nearly the same name as the existing listing Hidden Draft Group, at the same postcode NW4 4BG"),
    ]
    assert all(p["kind"] == "duplicate" for p in report.problems)
    assert report.problems[0]["listing"] == {"name": "Colindale Food Bank", "slug": existing.slug}
    assert report.problems[2]["listing"] is None  # not public: no link
    assert [r["line"] for r in report.ready] == [4, 5]
    assert report.duplicate_lines == [2, 3, 6] and report.error_lines == []


def test_duplicates_within_the_file(directory):
    rows = [
        good_row("St Mary's Church & Hall", charity_number="1099999", legacy_id="17"),  # 2
        good_row("Burnt Oak Library Friends", postcode="N12 0GA"),  # 3
        good_row("Another Name", charity_number="1099999"),  # 4: charity number of line 2
        good_row("St Marys Church and Hall", postcode="NW4 4BG"),  # 5: name of line 2, same postcode
        good_row("Somewhere Else", legacy_id="17", postcode="N12 0GA"),  # 6: legacy ID of line 2
        good_row("Burnt Oak Library Friends", postcode="NW9 4EW"),  # 7: same name, other postcode
    ]
    report = importer.run_import(csv_bytes(rows), dry_run=True)
    assert problems(report) == [
        (4, "charity_number", "Same charity number as line 2 (St Mary's Church & Hall)"),
        (5, "name", "Nearly the same name as line 2 (St Mary's Church & Hall), at the same postcode NW4 4BG"),
        (6, "legacy_id", "Same legacy ID as line 2 (St Mary's Church & Hall): it may have been imported already"),
    ]
    assert [r["line"] for r in report.ready] == [2, 3, 7]


def test_importing_the_same_file_twice_finds_every_row_already_there(directory):
    data = csv_bytes(
        [good_row("Hendon Youth Club", legacy_id="1"), good_row("Edgware Choir", legacy_id="2", postcode="NW9 4EW")]
    )
    assert importer.run_import(data, dry_run=False).outcome == "imported"
    db.session.commit()
    again = importer.run_import(data, dry_run=False)
    assert again.outcome == "refused" and again.duplicate_lines == [2, 3]
    assert organisation_count() == 2


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("The Barnet Food & Drink Co. Ltd", "barnet food and drink co limited", True),
        ("Hendon Youth Club", "Hendon Youth Club.", True),
        ("Hendon Youth Club", "Hendon Youth Clubs", True),
        ("Hendon Youth Club", "Hendon Boxing Club", False),
        ("Café Rouge", "Cafe Rouge", True),
    ],
)
def test_near_identical_names(a, b, same):
    assert importer.similar_names(importer.name_key(a), importer.name_key(b)) is same


def test_the_report_names_the_first_listings_and_counts_them_all(app, client, officer, monkeypatch):
    """A 100,000-row import does not keep (or store) a list of every listing: the report names the first
    ones and counts the rest, and the page says how many more there are."""
    monkeypatch.setattr(importer.common, "REPORT_KEEPS", 2)
    data = csv_bytes([good_row(name, address_1="", postcode="") for name in ("Alpha Club", "Beta Choir", "Gamma Hub")])
    report = importer.run_import(data)
    assert [r["name"] for r in report.ready] == ["Alpha Club", "Beta Choir"] and report.ready_count == 3
    assert report.summary().startswith("3 rows: 3 ready to import, 0 with errors, 0 duplicates.")
    job = queued_job(app, data)
    importer.process_job(job.id)
    page = client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    assert "The 3 rows ready to import" in page and "And 1 more." in page and "Import 3 listings" in page
    importer.queue_import(latest_job(), skip_bad_rows=False)
    importer.process_job(job.id)
    assert latest_job().rows_done == 3 and organisation_count() == 3
    page = client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    assert "And 1 more." in page


# --- All or nothing ----------------------------------------------------------------------------


def test_a_real_run_writes_nothing_when_any_row_has_a_problem(directory):
    data = csv_bytes(
        [good_row("First Group"), good_row("Second Group", email="nope"), good_row("Third Group", postcode="N12 0GA")]
    )
    report = importer.run_import(data, dry_run=False)
    assert report.outcome == "refused" and report.created == []
    assert "Nothing was imported, because some rows have problems." in report.summary()
    assert nothing_written()

    report = importer.run_import(data, dry_run=False, skip_bad_rows=True)
    db.session.commit()
    assert report.outcome == "imported"
    assert sorted(db.session.scalars(db.select(Organisation.name))) == ["First Group", "Third Group"]
    assert report.summary().endswith("Imported 2 listings and skipped 1 row with problems.")


def test_an_error_while_saving_rolls_back_every_row(directory, monkeypatch):
    real_write = services.write_snapshot
    calls = []

    def failing_write(organisation, data, *args):
        calls.append(data)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_write(organisation, data, *args)

    monkeypatch.setattr(services, "write_snapshot", failing_write)
    data = csv_bytes([good_row(f"Group {n}", postcode="N12 0GA") for n in range(5)])
    with pytest.raises(RuntimeError):
        importer.run_import(data, dry_run=False)
    db.session.commit()
    assert len(calls) == 3 and nothing_written()


# --- The command line ---------------------------------------------------------------------------


def test_cli_dry_run_prints_the_report_and_writes_nothing(app, directory, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes(
        csv_bytes([good_row("Good Group"), good_row("Bad Group", website="foodbank.example"), good_row("Good Group!")])
    )
    result = app.test_cli_runner().invoke(args=["directory", "import", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert "Checking rows" in result.output
    assert "Line 3, website: Enter a web address starting with https://" in result.output
    assert (
        "Line 4, name: duplicate: Nearly the same name as line 2 (Good Group), at the same postcode NW4 4BG"
        in result.output
    )
    assert (
        "3 rows: 1 ready to import, 1 with errors, 1 duplicate. This was a check only: nothing was written."
        in result.output
    )
    assert nothing_written()


def test_cli_import_is_all_or_nothing_unless_told_to_skip_bad_rows(app, directory, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes(csv_bytes([good_row("Good Group"), good_row("Bad Group", phone="x")]))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["directory", "import", str(path)])
    assert result.exit_code == 1 and "Nothing was imported" in result.output
    assert nothing_written()
    result = runner.invoke(args=["directory", "import", str(path), "--skip-bad-rows"])
    assert result.exit_code == 0, result.output
    assert "Saving listings" in result.output
    assert "Imported 1 listing and skipped 1 row with problems." in result.output
    assert list(db.session.scalars(db.select(Organisation.name))) == ["Good Group"]


def test_cli_refuses_a_malformed_file(app, directory, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes(b"title,postcode\r\nGroup,NW4 4BG\r\n")
    result = app.test_cli_runner().invoke(args=["directory", "import", str(path)])
    assert result.exit_code == 1
    assert "Error: The file cannot be imported: The file has no name column." in result.output
    assert nothing_written()


# --- Export ------------------------------------------------------------------------------------


def delete_every_listing():
    # History first: SQLite does not enforce the foreign keys' ON DELETE CASCADE here.
    db.session.execute(db.delete(ListingVersion))
    for org in db.session.scalars(db.select(Organisation)):
        db.session.delete(org)
    db.session.commit()
    assert nothing_written()


def exported(text):
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    return {row["name"]: row for row in rows}


@pytest.fixture
def public_directory(directory):
    make_listing(
        "Colindale Food Bank",
        description="Free food parcels",
        categories=["Food", "Mental health"],
        postcode="NW9 4EW",
        accessibility=["Step-free access"],
        charity_number="1012345",
        hours=[
            {"weekday": 0, "opens_at": "09:00", "closes_at": "17:00"},
            {"weekday": 2, "opens_at": "10:00", "closes_at": "14:00"},
        ],
    )
    refuge = listing("Safe Haven Refuge", categories=["Domestic abuse"], postcode="NW4 4BG", confidential=True)
    refuge["locations"][0]["address_1"] = "12 Secret Road"
    services.create_organisation(refuge, None)
    make_listing("Hendon Youth Club", kind="faith", status="temporarily closed", categories=["Youth"])
    make_listing("Draft Group", published=False, postcode="NW4 4BG")
    make_listing("Closed Group", status="inactive")
    db.session.commit()


def test_export_is_the_public_directory_without_confidential_addresses(client, public_directory):
    response = client.get("/directory/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="community-directory-')
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff" + ",".join(COLUMNS))
    rows = exported(text)
    assert sorted(rows) == ["Colindale Food Bank", "Hendon Youth Club", "Safe Haven Refuge"]
    assert rows["Colindale Food Bank"]["opening_hours"] == "Mon 09:00-17:00; Wed 10:00-14:00"
    assert rows["Colindale Food Bank"]["categories"] == "Food; Mental health"
    assert rows["Colindale Food Bank"]["postcode"] == "NW9 4EW"
    refuge = rows["Safe Haven Refuge"]
    assert [refuge[c] for c in ("address_1", "address_2", "city", "postcode", "accessibility")] == ["", "", "", "", ""]
    assert refuge["confidential"] == "yes"
    assert "Secret Road" not in text and "NW4 4BG" not in text


def test_export_round_trips_through_import(app, public_directory, tmp_path):
    def public_listings():
        result = {}
        for org in db.session.scalars(
            db.select(Organisation).where(Organisation.published.is_(True), Organisation.status != "inactive")
        ):
            snapshot = services.snapshot(org)
            # What the export cannot carry: hidden addresses, the names of places, and the records' uuids.
            public = [i for i, loc in enumerate(snapshot["locations"]) if not loc["confidential"]]
            snapshot["locations"] = [snapshot["locations"][i] for i in public]
            for location in snapshot["locations"]:
                del location["uuid"], location["name"]
            for service in snapshot["services"]:
                del service["uuid"]
                service["locations"] = [public.index(i) for i in service["locations"] if i in public]
            result[org.name] = snapshot
        return result

    before = public_listings()
    path = tmp_path / "export.csv"
    result = app.test_cli_runner().invoke(args=["directory", "export", str(path)])
    assert result.exit_code == 0 and "Wrote 3 organisations" in result.output
    delete_every_listing()

    report = importer.run_import(path.read_bytes(), dry_run=False)
    assert report.problems == [] and report.outcome == "imported"
    db.session.commit()
    assert public_listings() == before
    # The refuge comes back without its hidden address: the export never had it.
    refuge = db.session.scalar(db.select(Organisation).where(Organisation.name == "Safe Haven Refuge"))
    assert refuge.locations == []


def test_export_neutralises_spreadsheet_formulas_and_they_import_back_unchanged(client, directory):
    hostile = listing(
        '=HYPERLINK("http://evil.example","Click")', description="+1 555 0100 call now", postcode="NW4 4BG"
    )
    hostile["organisation"]["phone"] = "+44 20 8359 2000"
    hostile["services"][0]["name"] = "@SUM(1+1)"
    hostile["services"][0]["description"] = "-2+3"
    services.create_organisation(hostile, None)
    db.session.commit()
    text = client.get("/directory/export.csv").get_data(as_text=True)
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row["description"] == "'+1 555 0100 call now"
    assert row["phone"] == "'+44 20 8359 2000"
    assert row["service_name"] == "'@SUM(1+1)" and row["service_description"] == "'-2+3"
    for cell in row.values():
        assert not cell.startswith(("=", "+", "-", "@"))

    delete_every_listing()
    report = importer.run_import(text.encode(), dry_run=False)
    db.session.commit()
    assert report.problems == []
    org = db.session.scalar(db.select(Organisation))
    assert (org.name, org.description, org.phone, org.services[0].name) == (
        '=HYPERLINK("http://evil.example","Click")',
        "+1 555 0100 call now",
        "+44 20 8359 2000",
        "@SUM(1+1)",
    )


# --- Background imports and the officer's pages ----------------------------------------------------


@pytest.fixture
def officer(signed_in_as, directory):
    return signed_in_as("strategy_officer")


def upload(client, data, filename="legacy.csv"):
    return post_form(
        client, "/directory/import/", {"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data"
    )


def latest_job():
    db.session.expire_all()
    return db.session.scalar(db.select(DirectoryImport).order_by(DirectoryImport.id.desc()))


def stored_files(app):
    folder = importer.upload_folder()
    return sorted(p.name for p in folder.iterdir())


MIXED_FILE = csv_bytes(
    [
        good_row("Colindale Food Bank", postcode="NW9 4EW"),
        good_row("Hendon Youth Club", categories="Youth; Skateboarding"),
        good_row("Finchley Food Share", postcode="N12 0GA"),
    ]
)


def test_officer_uploads_reads_the_report_and_imports_the_good_rows(app, client, officer):
    page = client.get("/directory/import/").get_data(as_text=True)
    assert "Import listings from a CSV file" in page and "opening_hours" in page and "Mental health" in page
    response = upload(client, MIXED_FILE)
    job = latest_job()
    assert response.status_code == 302 and response.headers["Location"] == f"/directory/import/{job.id}"
    assert job.state == "checked" and job.mode == "check" and job.created_by_id == officer.id
    assert stored_files(app) == [job.stored_name]  # kept until the import ends
    page = client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    assert "Check the import" in page and "Nothing has been written yet" in page
    assert '<td class="govuk-table__cell">3</td>' in page and "<code>categories</code>" in page
    assert "“Skateboarding” is not a directory category" in page
    assert "Import the 2 good rows and skip the 1 row with problems" in page
    assert nothing_written()

    # Without choosing to skip the bad row, nothing happens.
    page = post_form(client, f"/directory/import/{job.id}/import", {}, form_url=f"/directory/import/{job.id}").get_data(
        as_text=True
    )
    assert "Error:" in page and "or fix the file and upload it again" in page
    assert nothing_written() and latest_job().state == "checked"

    response = post_form(
        client, f"/directory/import/{job.id}/import", {"skip_bad_rows": "y"}, form_url=f"/directory/import/{job.id}"
    )
    assert response.status_code == 302
    job = latest_job()
    assert job.state == "imported" and job.mode == "import" and job.stored_name is None
    assert stored_files(app) == []
    page = client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    assert "Listings imported" in page and 'href="/directory/colindale-food-bank"' in page
    assert sorted(
        db.session.scalars(db.select(Organisation.name).where(Organisation.slug != FIXTURE_ORGANISATION))
    ) == ["Colindale Food Bank", "Finchley Food Share"]
    versions = db.session.scalars(db.select(ListingVersion)).all()
    assert {v.created_by_id for v in versions} == {officer.id}


def test_a_clean_file_imports_in_one_step_after_the_check(client, officer):
    upload(client, csv_bytes([good_row("Hendon Youth Club"), good_row("Edgware Choir", postcode="NW9 4EW")]))
    job = latest_job()
    page = client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    assert "Import 2 listings" in page and "skip" not in page.lower().split("<main")[1].split("</form>")[0]
    post_form(client, f"/directory/import/{job.id}/import", {}, form_url=f"/directory/import/{job.id}")
    assert latest_job().state == "imported" and organisation_count() == 2


def test_the_import_checks_again_and_writes_nothing_if_the_directory_changed_since(client, officer):
    upload(
        client,
        csv_bytes(
            [good_row("Hendon Youth Club"), good_row("Edgware Choir", postcode="NW9 4EW", charity_number="1099999")]
        ),
    )
    job = latest_job()
    assert "Import 2 listings" in client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    make_listing("Edgware Community Choir", charity_number="1099999")  # someone adds it meanwhile
    post_form(client, f"/directory/import/{job.id}/import", {}, form_url=f"/directory/import/{job.id}")
    job = latest_job()
    assert job.state == "checked" and job.stored_name  # back to the officer, file kept
    page = client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    assert "Nothing was imported: some rows now have problems." in page
    assert "Same charity number as the existing listing Edgware Community Choir" in page
    assert organisation_count() == 1  # only the one added meanwhile


def test_officer_can_cancel_after_the_check(app, client, officer):
    upload(client, MIXED_FILE)
    job = latest_job()
    response = post_form(client, f"/directory/import/{job.id}/cancel", {}, form_url=f"/directory/import/{job.id}")
    assert response.status_code == 302
    assert latest_job().state == "cancelled" and stored_files(app) == []
    assert "Import cancelled" in client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    # Nothing can be imported from it any more.
    post_form(client, f"/directory/import/{job.id}/import", {"skip_bad_rows": "y"}, form_url="/directory/import/")
    assert nothing_written()


def test_a_malformed_upload_is_refused_with_its_reason(app, client, officer):
    upload(client, "name,description\r\nCafé,Caf\u00e9\r\n".encode("cp1252"))
    job = latest_job()
    assert job.state == "refused" and stored_files(app) == []
    page = client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    assert "The file cannot be imported" in page and "line 2 has characters in another encoding" in page
    assert nothing_written()


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (None, None, "Select a CSV file"),
        (b"name\r\nGroup\r\n", "legacy.xlsx", "The selected file must be a CSV"),
        (b"", "legacy.csv", "The selected file is empty"),
    ],
)
def test_upload_errors_are_shown_on_the_form(client, officer, data, filename, message):
    payload = {} if data is None else {"file": (io.BytesIO(data), filename)}
    response = post_form(client, "/directory/import/", payload, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page and page.count(message) >= 2
    assert db.session.scalar(db.select(db.func.count(DirectoryImport.id))) == 0


def test_an_upload_over_the_size_limit_is_refused_clearly(app, client, officer, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    response = upload(client, csv_bytes([good_row(f"Group {n}") for n in range(100)]))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The selected file must be smaller than 4KB" in page and "There is a problem" in page
    assert db.session.scalar(db.select(db.func.count(DirectoryImport.id))) == 0


def queued_job(app, data, mode="check", **values):
    name = f"test-{random.randrange(10**9)}.csv"
    (importer.upload_folder() / name).write_bytes(data)
    job = DirectoryImport(filename="legacy.csv", stored_name=name, mode=mode, state="queued", **values)
    db.session.add(job)
    db.session.commit()
    return job


def test_progress_page_and_status_while_an_import_waits(app, client, officer):
    job = queued_job(app, MIXED_FILE)
    page = client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    assert "Checking the file" in page and "<progress" in page and 'aria-live="polite"' in page
    assert f'href="/directory/import/{job.id}">Refresh this page</a>' in page
    assert 'src="/static/directory/import-progress.js"' in page and "<script>" not in page
    status = client.get(f"/directory/import/{job.id}/status").get_json()
    assert status == {
        "state": "queued",
        "mode": "check",
        "step": "",
        "rows_done": 0,
        "rows_total": 0,
        "percent": 0,
        "text": "Waiting to start",
        "finished": False,
        "url": f"/directory/import/{job.id}",
    }

    importer.process_job(job.id)
    status = client.get(f"/directory/import/{job.id}/status").get_json()
    assert status["state"] == "checked" and status["finished"] is True and status["percent"] == 100
    assert client.get("/directory/import/987654/status").status_code == 404


@pytest.mark.parametrize(
    "values, text",
    [
        ({"state": "running", "step": "reading"}, "Reading the file"),
        ({"state": "running", "step": "checking", "rows_total": 300, "rows_done": 30}, "Checked 30 of 300 rows (10%)"),
        ({"state": "running", "step": "saving", "rows_total": 294, "rows_done": 0}, "Saving 294 listings"),
        (
            {"state": "running", "step": "saving", "rows_total": 294, "rows_done": 147},
            "Saved 147 of 294 listings (50%)",
        ),
    ],
)
def test_status_text_says_what_the_import_is_doing(app, client, officer, values, text):
    job = queued_job(app, MIXED_FILE, mode="import")
    db.session.execute(db.update(DirectoryImport).values(**values))
    db.session.commit()
    status = client.get(f"/directory/import/{job.id}/status").get_json()
    assert status["text"] == text and status["finished"] is False
    assert text in client.get(f"/directory/import/{job.id}").get_data(as_text=True)


def test_progress_is_recorded_while_rows_are_checked(app, directory, monkeypatch):
    seen = []
    real_update = importer.JobProgress.update

    def watching_update(self, **values):
        real_update(self, **values)
        with db.engine.connect() as connection:
            row = connection.execute(
                db.select(DirectoryImport.step, DirectoryImport.rows_done, DirectoryImport.rows_total).where(
                    DirectoryImport.id == self.job_id
                )
            ).one()
        seen.append(tuple(row))

    monkeypatch.setattr(importer.JobProgress, "update", watching_update)
    monkeypatch.setattr(importer.jobs, "PROGRESS_EVERY_SECONDS", 0)
    job = queued_job(app, csv_bytes([good_row(f"Group {n}", postcode="N12 0GA") for n in range(5)]), mode="import")
    importer.process_job(job.id)
    assert ("checking", 1, 5) in seen and ("checking", 5, 5) in seen and ("saving", 0, 5) in seen
    if IS_POSTGRES:  # SQLite has one writer: the job's row waits for the end (the page reads the progress file).
        assert ("saving", 5, 5) in seen
    assert latest_job().state == "imported" and organisation_count() == 5


def test_the_status_page_sees_the_save_advance_while_the_transaction_is_open(app, client, officer, monkeypatch):
    """Another request (the officer's progress bar) sees the listings saved so far, batch by batch, while
    the import's one transaction is still open: on SQLite too, where that transaction holds the only write
    lock and the job's row cannot be written until it ends."""
    monkeypatch.setattr(importer.jobs, "PROGRESS_EVERY_SECONDS", 0)
    seen = []
    real_progress = importer.JobProgress.__call__

    def ask_the_status_page(self, step, done, total):
        real_progress(self, step, done, total)
        if step == "saving":
            status = client.get(f"/directory/import/{self.job_id}/status").get_json()
            seen.append((status["rows_done"], status["text"]))

    monkeypatch.setattr(importer.JobProgress, "__call__", ask_the_status_page)
    total = 2 * importer.BATCH + 50
    data = csv_bytes([good_row(f"Group {n}", address_1="", postcode="") for n in range(total)])
    job = queued_job(app, data, mode="import")
    assert importer.process_job(job.id) == "imported"
    batch = importer.BATCH
    assert seen == [
        (0, f"Saving {total} listings"),
        (batch, f"Saved {batch} of {total} listings ({batch * 100 // total}%)"),
        (2 * batch, f"Saved {2 * batch} of {total} listings ({2 * batch * 100 // total}%)"),
        (total, f"Saved {total} of {total} listings (100%)"),
    ]
    assert organisation_count() == total
    assert stored_files(app) == []  # the progress file went with the upload


def test_stop_during_the_save_on_sqlite_reaches_the_import(app, client, officer, monkeypatch):
    """The Stop button pressed while listings are saved stops the import and nothing is kept, on SQLite
    too, where the job's row cannot be written then (the page asked for it through the upload folder)."""
    pressed = []
    real_progress = importer.JobProgress.__call__

    def press_stop(self, step, done, total):
        real_progress(self, step, done, total)
        if step == "saving" and done and not pressed:
            pressed.append(done)
            page = post_form(
                client,
                f"/directory/import/{self.job_id}/stop",
                {},
                form_url=f"/directory/import/{self.job_id}",
                follow_redirects=True,
            ).get_data(as_text=True)
            assert "Stopping the import. Nothing will be written." in page

    monkeypatch.setattr(importer.JobProgress, "__call__", press_stop)
    data = csv_bytes([good_row(f"Group {n}", address_1="", postcode="") for n in range(150)])
    job = queued_job(app, data, mode="import")
    assert importer.process_job(job.id) == "aborted"
    assert pressed == [importer.BATCH] and nothing_written() and stored_files(app) == []


def test_a_large_files_progress_moves_row_by_row_from_the_first_rows(app, directory, monkeypatch):
    """The officer's progress bar shows the whole count from the start and moves with every listing checked.
    (The file is read from disk, not kept in the job, and each listing's rows are read back when it is checked.)"""
    seen = []
    real_update = importer.JobProgress.update

    def watching_update(self, **values):
        real_update(self, **values)
        seen.append((values["step"], values["rows_done"], values["rows_total"]))

    monkeypatch.setattr(importer.JobProgress, "update", watching_update)
    monkeypatch.setattr(importer.jobs, "PROGRESS_EVERY_SECONDS", 0)
    total = 600
    data = csv_bytes([good_row(f"Group {n}", charity_number=str(1100000 + n)) for n in range(total)])
    importer.process_job(queued_job(app, data, mode="check").id)

    checking = [done for step, done, of in seen if step == "checking" and of == total]
    assert checking == list(range(1, total + 1))  # every row counted, in order
    assert latest_job().state == "checked" and latest_job().rows_done == total


def test_an_import_stopped_before_it_starts_writes_nothing(app, directory):
    job = queued_job(app, csv_bytes([good_row("Group")]), mode="import", abort_requested=True)
    assert importer.process_job(job.id) == "aborted"
    job = latest_job()
    assert job.state == "aborted" and job.stored_name is None and nothing_written()


def test_stop_button_on_a_waiting_import_stops_it_at_once(app, client, officer):
    job = queued_job(app, MIXED_FILE, mode="import", skip_bad_rows=True)
    response = post_form(client, f"/directory/import/{job.id}/stop", {}, form_url=f"/directory/import/{job.id}")
    assert response.status_code == 302
    job = latest_job()
    assert job.state == "aborted" and job.stored_name is None and stored_files(app) == []
    assert importer.process_job(job.id) is None  # the queued task finds nothing to do
    page = client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    assert "Import stopped" in page and "Nothing was written" in page
    assert nothing_written()


def test_stop_button_on_a_running_import_asks_it_to_stop(app, client, officer):
    job = queued_job(app, MIXED_FILE, mode="import")
    db.session.execute(db.update(DirectoryImport).values(state="running", step="checking", rows_total=3, rows_done=1))
    db.session.commit()
    page = client.get(f"/directory/import/{job.id}").get_data(as_text=True)
    assert "Importing the listings" in page and "Checked 1 of 3 rows (33%)" in page and "Stop the import" in page
    page = post_form(
        client, f"/directory/import/{job.id}/stop", {}, form_url=f"/directory/import/{job.id}", follow_redirects=True
    ).get_data(as_text=True)
    assert "Stopping the import. Nothing will be written." in page
    assert latest_job().abort_requested and latest_job().state == "running"
    assert client.get(f"/directory/import/{job.id}/status").get_json()["text"] == "Stopping: nothing will be written"


def test_stop_button_ends_an_import_whose_worker_has_gone(app, client, officer):
    job = queued_job(app, MIXED_FILE, mode="import")
    silent_since = utcnow() - timedelta(minutes=11)  # nothing heard for longer than the pages wait (10 minutes)
    db.session.execute(db.update(DirectoryImport).values(state="running", step="saving", updated_at=silent_since))
    db.session.commit()
    post_form(client, f"/directory/import/{job.id}/stop", {}, form_url=f"/directory/import/{job.id}")
    job = latest_job()
    assert job.state == "aborted" and job.finished_at is not None and job.stored_name is None
    assert job.message == "The import stopped responding, so it was ended. Nothing was written."
    assert stored_files(app) == [] and nothing_written()


@pytest.fixture
def big_file(directory):
    legacy = LegacyDirectory(rows=300)
    legacy.load_postcodes()
    return legacy.csv()


def test_aborting_while_rows_are_checked_writes_nothing(app, big_file, monkeypatch):
    job = queued_job(app, big_file, mode="import", skip_bad_rows=True)
    real_progress = importer.JobProgress.__call__

    def abort_half_way(self, step, done, total):
        real_progress(self, step, done, total)
        if step == "checking" and done == 150:
            importer.request_abort(db.session.get(DirectoryImport, self.job_id))  # as the Stop button does

    monkeypatch.setattr(importer.JobProgress, "__call__", abort_half_way)
    assert importer.process_job(job.id) == "aborted"
    assert nothing_written() and latest_job().stored_name is None


def test_aborting_while_listings_are_saved_rolls_every_one_back(app, big_file, monkeypatch):
    job = queued_job(app, big_file, mode="import", skip_bad_rows=True)
    saved = []
    real_progress = importer.JobProgress.__call__
    real_abort = importer.JobProgress.abort_requested

    def count_saved(self, step, done, total):
        real_progress(self, step, done, total)
        if step == "saving" and done:
            saved.append(done)
            if IS_POSTGRES:
                # PostgreSQL: the Stop button's update lands while the import's transaction is open.
                importer.request_abort(db.session.get(DirectoryImport, self.job_id))

    def abort_after_the_first_batch(self):
        # SQLite allows one writer at a time, so the flag is raised here, as if the button had been pressed.
        return (bool(saved) and not IS_POSTGRES) or real_abort(self)

    monkeypatch.setattr(importer.JobProgress, "__call__", count_saved)
    monkeypatch.setattr(importer.JobProgress, "abort_requested", abort_after_the_first_batch)
    assert importer.process_job(job.id) == "aborted"
    assert saved == [importer.BATCH]  # a batch of listings had been created in the transaction...
    assert nothing_written()  # ...and none of them was kept
    assert db.session.scalar(db.select(db.func.count(Location.id))) == 0
    job = latest_job()
    assert job.state == "aborted" and job.stored_name is None


def test_a_failing_import_is_reported_and_writes_nothing(app, directory, monkeypatch):
    monkeypatch.setattr(services, "write_snapshot", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    job = queued_job(app, csv_bytes([good_row("Group")]), mode="import")
    assert importer.process_job(job.id) == "failed"
    job = latest_job()
    assert job.message == "Something went wrong while importing. Nothing was written." and job.stored_name is None
    assert nothing_written()


def test_a_check_left_for_a_day_is_forgotten(app, client, officer):
    from datetime import timedelta

    from app.timeutil import utcnow

    upload(client, MIXED_FILE)
    old = latest_job()
    db.session.execute(db.update(DirectoryImport).values(updated_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    upload(client, MIXED_FILE)
    assert db.session.get(DirectoryImport, old.id).state == "cancelled"
    assert stored_files(app) == [latest_job().stored_name]


def test_problems_can_be_downloaded_as_csv(client, officer):
    upload(client, csv_bytes([good_row("=cmd|' /C calc'!A0", email="bad")]))
    job = latest_job()
    response = client.get(f"/directory/import/{job.id}/problems.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [
        ["line", "name", "column", "kind", "problem"],
        [
            "2",
            "'=cmd|' /C calc'!A0",
            "email",
            "error",
            "Enter an email address in the correct format, like name@example.com",
        ],
    ]


def test_a_group_editor_cannot_import(client, signed_in_as, directory):
    signed_in_as("group_editor")
    assert client.get("/directory/import/").status_code == 403
    response = post_form(
        client,
        "/directory/import/",
        {"file": (io.BytesIO(MIXED_FILE), "legacy.csv")},
        form_url="/directory/register",
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count(DirectoryImport.id))) == 0
    assert client.get("/directory/export.csv").status_code == 200


# --- A legacy file of realistic size ----------------------------------------------------------------


class LegacyDirectory:
    """About 300 records like the old Barnet Community Directory's (001 delivery plan: 'just over 300
    records'), at real Barnet postcodes, with the kinds of mistakes such an export has."""

    PLACES = [
        "Hendon",
        "Finchley",
        "Barnet",
        "Edgware",
        "Mill Hill",
        "Colindale",
        "Golders Green",
        "Burnt Oak",
        "Friern Barnet",
        "Whetstone",
        "Totteridge",
        "Cricklewood",
        "Childs Hill",
        "East Finchley",
        "New Barnet",
        "West Hendon",
        "Woodhouse",
        "Underhill",
        "Brunswick Park",
        "Oakleigh",
        "Garden Suburb",
        "Hale",
    ]
    KINDS = [
        ("Food Bank", "Food", "vcfs"),
        ("Youth Club", "Youth", "vcfs"),
        ("Residents' Association", "Community cohesion", "vcfs"),
        ("Community Choir", "Arts and culture", "vcfs"),
        ("Women's Group", "Women", "vcfs"),
        ("Litter Pickers", "Environment", "vcfs"),
        ("Islamic Centre", "Faith", "faith"),
        ("Synagogue", "Faith", "faith"),
        ("Parish Church", "Faith", "faith"),
        ("Advice Centre", "Advice and information", "vcfs"),
        ("Carers' Group", "Carers", "vcfs"),
        ("Men's Shed", "Mental health", "vcfs"),
        ("Befriending Service", "Older people", "vcfs"),
        ("Football Club", "Sport and physical activity", "vcfs"),
        ("Refugee Welcome", "Refugees and migrants", "vcfs"),
        ("Digital Drop-in", "Digital inclusion", "vcfs"),
    ]

    def __init__(self, rows=300, seed=2019):
        self.random = random.Random(seed)
        with open(GEO_DIR / "barnet_postcodes.csv", encoding="utf-8") as handle:
            everything = list(csv.DictReader(handle))
        self.places = everything[:: max(1, len(everything) // rows)][:rows]
        self.postcodes = [place["postcode"] for place in self.places]
        self.rows = [self.record(n) for n in range(rows)]

    def load_postcodes(self):
        """Their postcodes in the postcode table, as `flask geo import` would have put them."""
        have = set(db.session.scalars(db.select(Postcode.postcode)))
        db.session.add_all(
            Postcode(postcode=p["postcode"], lat=float(p["lat"]), lon=float(p["lon"]), ward_code=p["ward_code"])
            for p in self.places
            if p["postcode"] not in have
        )
        db.session.commit()

    def record(self, n):
        place = self.PLACES[n % len(self.PLACES)]
        kind_name, category, kind = self.KINDS[(n // len(self.PLACES)) % len(self.KINDS)]
        name = f"{place} {kind_name}"
        r = self.random
        return {
            "name": name,
            "description": f"{name}: run by volunteers for people in {place} since {1970 + n % 50}.",
            "kind": kind,
            "status": "active" if n % 17 else "Temporarily closed",
            "email": f"contact{n}@{place.lower().replace(' ', '')}.example" if n % 3 else "",
            "website": f"https://www.{place.lower().replace(' ', '')}-{n}.example.org" if n % 4 else "",
            "phone": f"020 8{r.randrange(100, 999)} {r.randrange(1000, 9999)}" if n % 5 else "",
            "charity_number": str(1000000 + n * 37) if n % 2 else "",
            "service_name": f"{kind_name} sessions",
            "service_description": "Drop in, everyone welcome.",
            "categories": category + ("; Volunteering" if n % 6 == 0 else ""),
            "address_1": f"{r.randrange(1, 300)} {place} Road",
            "address_2": "",
            "city": "London",
            "postcode": self.postcodes[n],
            "confidential": "yes" if n % 50 == 7 else "no",
            "accessibility": "Step-free access" if n % 3 == 0 else "",
            "opening_hours": ["Mon-Fri 09:00-17:00", "Sat 10:00-13:00", "Wed 18:30-20:30; Sun 11:00-12:00", ""][n % 4],
            "legacy_id": f"BCD-{n + 1:04d}",
        }

    def csv(self):
        return csv_bytes(self.rows, bom=True)


def test_a_legacy_file_of_300_rows_is_checked_quickly_and_its_mistakes_found(app, directory, tmp_path):
    legacy = LegacyDirectory(rows=300)
    # The mistakes a real export has: a typing slip, a copied record, an old category name, an Excel time.
    legacy.rows[10]["postcode"] = "NW4 4B"
    legacy.rows[20]["website"] = "www.example.org"
    legacy.rows[30] = dict(legacy.rows[5], legacy_id="BCD-9999", charity_number="")
    legacy.rows[40]["categories"] = "Food; Luncheon clubs"
    legacy.rows[50]["opening_hours"] = "Mon 9am-5pm"
    legacy.rows[60]["charity_number"] = legacy.rows[1]["charity_number"]
    data = legacy.csv()
    assert 300 * 300 < len(data) < 2_000_000
    legacy.load_postcodes()

    started = time.perf_counter()
    report = importer.run_import(data, dry_run=True)
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"a dry run of 300 rows took {elapsed:.1f}s"
    assert report.total_rows == 300 and len(report.ready) == 294
    assert lines_and_fields(report) == {
        (12, "postcode"),
        (22, "website"),
        (32, "name"),
        (42, "categories"),
        (52, "opening_hours"),
        (62, "charity_number"),
    }
    assert nothing_written()

    path = tmp_path / "bcd.csv"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["directory", "import", str(path), "--skip-bad-rows"])
    assert result.exit_code == 0, result.output
    assert "Imported 294 listings and skipped 6 rows with problems." in result.output
    assert organisation_count() == 294
    assert db.session.scalar(db.select(db.func.count(Location.id)).where(Location.confidential.is_(True))) == 6


def test_eligibility_ages_are_imported_checked_and_exported(client, directory, make_user):
    officer = make_user("strategy_officer")
    rows = [
        good_row("Youth Club", minimum_age="11", maximum_age="18"),
        good_row("Lunch Club", minimum_age="65"),
        good_row("Odd Ages", minimum_age="18", maximum_age="11"),
        good_row("Bad Age", minimum_age="eleven", maximum_age="121"),
    ]
    report = importer.run_import(csv_bytes(rows), officer, dry_run=True)
    assert {(p["line"], p["field"], p["problem"]) for p in report.problems} == {
        (4, "maximum_age", "Oldest age must be the same as or more than the youngest age"),
        (5, "minimum_age", "Enter an age from 0 to 120 in whole years (“eleven” is not)"),
        (5, "maximum_age", "Enter an age from 0 to 120 in whole years (“121” is not)"),
    }
    report = importer.run_import(csv_bytes(rows[:2]), officer, dry_run=False)
    db.session.commit()
    assert report.outcome == "imported"
    ages = {s.organisation.name: (s.minimum_age, s.maximum_age) for s in db.session.scalars(db.select(Service))}
    assert ages == {"Youth Club": (11, 18), "Lunch Club": (65, None)}
    exported_rows = exported(client.get("/directory/export.csv").get_data(as_text=True))
    assert (exported_rows["Youth Club"]["minimum_age"], exported_rows["Youth Club"]["maximum_age"]) == ("11", "18")
    assert (exported_rows["Lunch Club"]["minimum_age"], exported_rows["Lunch Club"]["maximum_age"]) == ("65", "")


def test_one_line_columns_refuse_line_breaks_as_the_form_does(directory):
    """Issue 12 finding 7: a name with a line break, saved by the import, would reach e-mail subjects."""
    data = csv_bytes(
        [
            good_row("Hendon\r\nBcc: x@example.org"),
            good_row("Fine Group", description="Line one\nLine two"),
            good_row("Bell Group", city="Lon\x07don"),
        ]
    )
    report = importer.run_import(data, dry_run=True)
    problems = {(p["name"], p["field"]): p["problem"] for p in report.problems}
    assert "must be on one line" in problems[("Hendon\r\nBcc: x@example.org", "name")]
    assert "must be on one line" in problems[("Bell Group", "city")]
    assert not any(name == "Fine Group" for name, _ in problems)


def test_an_imported_group_named_like_a_directory_page_gets_a_listing_of_its_own(app, directory, client):
    # The import made its own slugs and took "moderation", the officers' moderation queue's path.
    report = importer.run_import(csv_bytes([good_row("Moderation"), good_row("Register")]), dry_run=False)
    db.session.commit()
    assert report.created_count == 2
    slugs = set(
        db.session.scalars(db.select(Organisation.slug).where(Organisation.name.in_(["Moderation", "Register"])))
    )
    assert slugs == {"moderation-2", "register-2"}
    assert "Moderation" in client.get("/directory/moderation-2").get_data(as_text=True)
