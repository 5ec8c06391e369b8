"""The directory CSV with several services and locations (issue 15, item 2): one row per service at a location.

Rows are grouped by organisation_id, service_id and location_id; an export imported into an empty directory
exports again as the same file; every bad row is reported on its own line and a listing is written whole or
not at all.
"""

import copy
import csv
import io
import json

import pytest

from app.directory import diff, importer, services
from app.directory.models import ListingVersion, Location, Organisation, Service
from app.extensions import db
from seed.loader import load_demo_organisations

from .conftest import post_form
from .factories.directory import add_postcodes, listing
from .html import parse, summary_list, table_rows, text

COLUMNS = importer.COLUMNS
ORG_ID = "0b5e7a5c-6a55-4f4e-9a57-2f7f1f0c0a01"
FOOD_ID = "0b5e7a5c-6a55-4f4e-9a57-2f7f1f0c0a02"
ADVICE_ID = "0b5e7a5c-6a55-4f4e-9a57-2f7f1f0c0a03"
HALL_ID = "0b5e7a5c-6a55-4f4e-9a57-2f7f1f0c0a04"
CHURCH_ID = "0b5e7a5c-6a55-4f4e-9a57-2f7f1f0c0a05"


@pytest.fixture
def directory(app, wards, taxonomies):
    add_postcodes()


def csv_bytes(rows, columns=COLUMNS):
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return stream.getvalue().encode("utf-8")


def read_export(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def problems(report):
    return sorted((p["line"], p["field"], p["kind"], p["problem"]) for p in report.problems)


def organisation_count():
    return db.session.scalar(db.select(db.func.count(Organisation.id)))


def two_service_hub():
    """Food parcels at the hall and the church (two sessions on Monday), advice at the church only, and a
    third place with no service yet."""
    data = listing("Hendon Community Hub", categories=["Food"], postcode="NW4 4BG")
    food = data["services"][0]
    food |= {
        "name": "Food parcels",
        "fees_description": "Free",
        "url": "https://hub.example/food",
        "hours": [
            {"weekday": 0, "opens_at": "09:00", "closes_at": "12:00"},
            {"weekday": 0, "opens_at": "13:00", "closes_at": "17:00"},
            {"weekday": 2, "opens_at": "10:00", "closes_at": "14:00"},
        ],
        "locations": [0, 1],
    }
    advice = copy.deepcopy(food) | {"name": "Advice sessions", "hours": [], "locations": [1], "url": None}
    data["services"].append(advice)
    hall = data["locations"][0] | {"name": "Hub hall"}
    church = hall | {"name": "St Mary's church", "address_1": "2 Church Road", "postcode": "N12 0GA"}
    church["accessibility_notes"] = "Ramp at the side door"
    shop = hall | {"name": "Charity shop", "address_1": "3 Broadway", "postcode": "NW9 4EW"}
    data["locations"] = [hall, church, shop]
    organisation = services.create_organisation(data, None)
    db.session.commit()
    return organisation


def test_export_has_a_row_for_each_service_at_each_location(client, directory):
    hub = two_service_hub()
    rows = read_export(client.get("/directory/export.csv").get_data(as_text=True))
    assert [(r["service_name"], r["location_name"]) for r in rows] == [
        ("Food parcels", "Hub hall"),
        ("Food parcels", "St Mary's church"),
        ("Advice sessions", "St Mary's church"),
        ("", "Charity shop"),
    ]
    assert {r["organisation_id"] for r in rows} == {hub.uuid}
    assert {r["name"] for r in rows} == {"Hendon Community Hub"}  # repeated on every row
    food = {s.name: s for s in hub.services}["Food parcels"]
    assert rows[0]["service_id"] == rows[1]["service_id"] == food.uuid
    assert rows[0]["opening_hours"] == "Mon 09:00-12:00, 13:00-17:00; Wed 10:00-14:00"
    assert rows[0]["fees"] == "Free" and rows[0]["service_url"] == "https://hub.example/food"
    church = {loc.name: loc for loc in hub.locations}["St Mary's church"]
    assert rows[1]["location_id"] == rows[2]["location_id"] == church.uuid
    assert rows[2]["accessibility_notes"] == "Ramp at the side door" and rows[2]["postcode"] == "N12 0GA"


def test_export_imported_into_an_empty_directory_exports_the_same(app, client, directory):
    """The demo data and a listing with several services and places, exported, imported, exported again."""
    load_demo_organisations()
    two_service_hub()
    first = client.get("/directory/export.csv").get_data(as_text=True)
    before = {org.uuid: services.snapshot(org) for org in db.session.scalars(db.select(Organisation))}
    assert len(read_export(first)) > 20
    db.session.execute(db.delete(ListingVersion))
    for org in db.session.scalars(db.select(Organisation)):
        db.session.delete(org)
    db.session.commit()
    assert organisation_count() == 0

    report = importer.run_import(first.encode("utf-8"), dry_run=False)
    assert report.problems == [] and report.outcome == "imported"
    db.session.commit()
    assert client.get("/directory/export.csv").get_data(as_text=True) == first
    after = {org.uuid: services.snapshot(org) for org in db.session.scalars(db.select(Organisation))}
    assert after == before
    # The history starts from the listing as imported, with the same IDs.
    hub = db.session.scalar(db.select(Organisation).where(Organisation.name == "Hendon Community Hub"))
    [version] = db.session.scalars(db.select(ListingVersion).where(ListingVersion.organisation_id == hub.id))
    assert version.summary.startswith("Imported from the legacy directory (lines ")
    assert diff.compare(json.loads(version.snapshot), services.snapshot(hub)).changed == []


def test_rows_made_in_a_spreadsheet_with_made_up_ids_are_one_listing(directory):
    org = {"organisation_id": "ORG1", "name": "Burnt Oak Lunch Club", "description": "Lunch for older people"}
    rows = [
        # Line 2: the organisation's details are given once; the other rows may leave them empty.
        org
        | {"service_id": "S1", "service_name": "Lunch", "opening_hours": "Tue, Thu 12:00-14:00"}
        | {"location_id": "L1", "address_1": "1 High Street", "postcode": "NW9 4EW", "accessibility": "Hearing loop"},
        {"organisation_id": "org1", "service_id": "s1", "address_1": "2 Church Road", "postcode": "N12 0GA"},
        {"organisation_id": "ORG1", "service_name": "Bingo", "opening_hours": "Fri 14:00-16:00", "location_id": "L1"},
        # Without IDs, the same service name and the same address are the same service and place.
        {"organisation_id": "ORG1", "service_name": "Bingo", "address_1": "2 Church Road", "postcode": "N12 0GA"},
    ]
    report = importer.run_import(csv_bytes(rows), dry_run=False)
    assert report.problems == [] and report.outcome == "imported", report.problems
    assert report.summary() == "4 rows for 1 listing: 1 listing ready to import, 0 with errors, 0 duplicates. " + (
        "Imported 1 listing."
    )
    db.session.commit()
    organisation = db.session.scalar(db.select(Organisation))
    data = services.snapshot(organisation)
    assert data["organisation"]["description"] == "Lunch for older people"
    assert [(s["name"], s["locations"]) for s in data["services"]] == [("Lunch", [0, 1]), ("Bingo", [0, 1])]
    assert [(loc["address_1"], loc["postcode"]) for loc in data["locations"]] == [
        ("1 High Street", "NW9 4EW"),
        ("2 Church Road", "N12 0GA"),
    ]


def test_scattered_rows_are_read_back_one_listing_at_a_time(directory, monkeypatch):
    """An organisation's rows may be anywhere in the file; the check reads each listing's rows back from the
    file by their offsets when it comes to that listing, never the whole file's cells at once."""
    rows = [
        {"organisation_id": "A", "name": "Alpha Lunch Club", "service_name": "Lunch", "description": "Line\nbreaks"},
        {"organisation_id": "B", "name": "Beta Choir", "service_name": "Singing"},
        {"name": "Gamma Allotments"},  # no organisation_id: a listing by itself
        {"organisation_id": "b", "service_name": "Concerts"},
        {"organisation_id": "A", "service_name": "Bingo"},
    ]
    reads = []
    real_read = importer.reading.csvkit.read_row_at

    def counting_read(stream, offset, *args):
        reads.append(offset)
        return real_read(stream, offset, *args)

    monkeypatch.setattr(importer.reading.csvkit, "read_row_at", counting_read)
    listings = importer.iter_listings(importer.read_csv(csv_bytes(rows)))
    first = next(listings)
    assert (first.name, first.lines, len(reads)) == ("Alpha Lunch Club", [2, 7], 2)  # (line 2 has 2 lines)
    assert [s["name"] for s in first.data["services"]] == ["Lunch", "Bingo"]
    assert first.data["organisation"]["description"] == "Line\nbreaks"
    rest = list(listings)
    assert [(r.name, r.lines) for r in rest] == [("Beta Choir", [4, 6]), ("Gamma Allotments", [5])]
    assert len(reads) == 5 and all(not r.problems for r in [first, *rest])


def test_a_listing_with_a_bad_row_is_not_imported_and_every_line_says_why(directory):
    rows = [
        {"organisation_id": "A", "name": "Good Group", "address_1": "1 High Street", "postcode": "NW4 4BG"},
        {"organisation_id": "B", "name": "Mixed Group", "service_name": "Choir", "opening_hours": "Mon 19:00-21:00"},
        {"organisation_id": "B", "service_name": "Choir", "opening_hours": "Mon 18:00-21:00"},  # 4: differs
        {"organisation_id": "B", "service_name": "Yoga", "service_email": "not an email"},  # 5: bad
        {"organisation_id": "B", "service_name": "Walks"},  # 6: fine by itself
        {"organisation_id": "B", "name": "Mixed Group Ltd"},  # 7: the organisation's name differs
    ]
    report = importer.run_import(csv_bytes(rows), dry_run=False)
    assert report.outcome == "refused" and organisation_count() == 0
    assert problems(report) == [
        (3, "", "error", "Not imported with the rest of its organisation: see line 4"),
        (
            4,
            "opening_hours",
            "error",
            "The opening_hours differs from line 3, for the same service: give it once, or the same on each of its rows",
        ),
        (5, "service_email", "error", "Enter an email address in the correct format, like name@example.com"),
        (6, "", "error", "Not imported with the rest of its organisation: see line 4"),
        (
            7,
            "name",
            "error",
            "The name differs from line 3, for the same organisation B: give it once, or the same on each of its rows",
        ),
    ]
    lines = {p["line"] for p in report.problems}
    assert lines == {3, 4, 5, 6, 7} and report.error_lines == [3, 4, 5, 6, 7]
    assert [r["line"] for r in report.ready] == [2]
    # Skipping bad rows imports Good Group and none of Mixed Group: never half a listing.
    report = importer.run_import(csv_bytes(rows), dry_run=False, skip_bad_rows=True)
    db.session.commit()
    assert [c["name"] for c in report.created] == ["Good Group"]
    assert db.session.scalar(db.select(db.func.count(Service.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Location.id))) == 1


def test_ids_already_in_the_directory_are_duplicates(client, directory):
    hub = two_service_hub()
    text = client.get("/directory/export.csv").get_data(as_text=True)
    report = importer.run_import(text.encode(), dry_run=True)
    assert report.ready == []
    found = {(p["field"], p["kind"]) for p in report.problems}
    assert ("organisation_id", "duplicate") in found and ("service_id", "duplicate") in found
    assert all("Hendon Community Hub" in p["problem"] for p in report.problems if p["field"].endswith("_id"))
    assert report.duplicate_lines == [2, 3, 4, 5] and hub.version == 1


def test_a_service_id_belongs_to_one_organisation(directory):
    rows = [
        {"organisation_id": "A", "name": "First", "service_id": "S1", "service_name": "Lunch"},
        {"organisation_id": "B", "name": "Second", "service_id": "S1", "service_name": "Lunch"},
    ]
    report = importer.run_import(csv_bytes(rows), dry_run=True)
    assert problems(report) == [
        (
            3,
            "service_id",
            "error",
            "The service_id S1 is also used on line 2, for another organisation: each service belongs to one "
            "organisation",
        )
    ]


def test_an_old_one_row_per_organisation_file_still_imports(directory):
    old_columns = ("name", "service_name", "address_1", "postcode", "opening_hours", "categories")
    rows = [
        {"name": "Food Share", "service_name": "Parcels", "address_1": "1 High St", "postcode": "NW4 4BG"},
        {"name": "Food Share", "service_name": "Parcels", "address_1": "1 High St", "postcode": "N12 0GA"},
    ]
    report = importer.run_import(csv_bytes(rows, old_columns), dry_run=False)
    assert report.problems == [] and len(report.created) == 2  # no organisation_id: each row is a listing


@pytest.mark.parametrize(
    "text, hours",
    [
        ("Mon 09:00-12:00, 13:00-17:00", [(0, "09:00", "12:00"), (0, "13:00", "17:00")]),
        (
            "Mon-Tue 9.00-12.00 and 13:00-17:00",
            [(d, o, c) for d in (0, 1) for o, c in (("09:00", "12:00"), ("13:00", "17:00"))],
        ),
        ("Mon 13:00-17:00; Mon 09:00-12:00", [(0, "09:00", "12:00"), (0, "13:00", "17:00")]),
    ],
)
def test_several_opening_times_a_day(text, hours):
    parsed, problems_found = importer.parse_opening_hours(text)
    assert problems_found == []
    assert sorted((h["weekday"], h["opens_at"], h["closes_at"]) for h in parsed) == sorted(hours)
    assert importer.parse_opening_hours(importer.format_opening_hours(parsed))[0] == parsed


def test_the_import_page_explains_the_layout_and_the_report_counts_listings(client, signed_in_as, directory):
    signed_in_as("strategy_officer")
    page = parse(client.get("/directory/import/"))
    assert [row[0] for row in table_rows(page, "Columns: its services")][:2] == ["service_id", "service_name"]
    assert [row[0] for row in table_rows(page, "Columns: its places (addresses)")][0] == "location_id"
    assert table_rows(page, "An organisation with two services and two places")[1][6] == "St Mary’s church"

    rows = [
        {"organisation_id": "A", "name": "Good Group", "service_name": "Lunch", "postcode": "NW4 4BG"}
        | {"address_1": "1 High Street"},
        {"organisation_id": "A", "service_name": "Bingo"},
        {"organisation_id": "B", "name": "Bad Group", "email": "nope"},
    ]
    data = {"file": (io.BytesIO(csv_bytes(rows)), "hub.csv")}
    response = post_form(client, "/directory/import/", data, content_type="multipart/form-data")
    page = parse(client.get(response.headers["Location"]))
    facts = summary_list(page)
    assert facts["Rows in the file"] == "3" and facts["Organisations in the file"] == "2"
    assert facts["Listings ready to import"] == "1"
    assert "Import the 1 good listing and skip the 1 row with problems" in text(page.main)
    assert organisation_count() == 1  # the signed-in editor's own group only


def test_confidential_is_checked_on_a_row_without_an_address(directory):
    rows = [
        {"name": "Safe Haven", "service_name": "Helpline", "confidential": "yes"},  # a hidden address: no place
        {"name": "Odd Group", "confidential": "maybe"},
    ]
    report = importer.run_import(csv_bytes(rows), dry_run=True)
    assert problems(report) == [(3, "confidential", "error", "Enter yes or no")]
    assert [r["line"] for r in report.ready] == [2]
