"""Bulk export of the published directory: HSDS-UK JSON (fully nested services) and the HSDS tabular CSV
package, streamed, linked from the directory and the API, without confidential addresses or unpublished
listings."""

import csv
import io
import json
import zipfile

from .conftest import ORUK_DIR
from .test_api_oruk import PRIVATE_EMAIL, SECRET_ADDRESS, directory, oruk  # noqa: F401


def test_the_json_export_is_every_published_service_fully_nested(app, client, directory, oruk):  # noqa: F811
    d = directory
    response = client.get("/open-data/directory-hsds.json")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="community-directory-hsds-')
    text = response.get_data(as_text=True)
    services = json.loads(text)
    assert sorted(s["id"] for s in services) == sorted([d.meals, d.debt, d.benefits])
    oruk.validate(services, oruk.schema("compiled/service_package.json"))
    # The same objects the API serves.
    meals = next(s for s in services if s["id"] == d.meals)
    assert meals == client.get(f"/api/oruk/v3/services/{d.meals}").get_json()
    for hidden in (SECRET_ADDRESS, PRIVATE_EMAIL, d.refuge, d.waiting, d.lunch, d.waiting_place, "Unapproved"):
        assert hidden not in text
    # Read a batch at a time, each in its own database session: the same answer one service at a time.
    from app.exchange import export

    pieces = list(export.json_chunks(app, batch_size=1))
    assert len(pieces) == 5 and json.loads("".join(pieces)) == services


def _tables(client):
    response = client.get("/open-data/directory-hsds-tables.zip")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/zip"
    package = zipfile.ZipFile(io.BytesIO(response.get_data()))
    tables = {}
    for name in package.namelist():
        if name.endswith(".csv"):
            tables[name] = list(csv.DictReader(io.StringIO(package.read(name).decode("utf-8"))))
    return package, tables


def test_the_tabular_package_has_one_csv_per_hsds_table(client, directory):  # noqa: F811
    d = directory
    package, tables = _tables(client)
    assert {row["id"] for row in tables["services.csv"]} == {d.meals, d.debt, d.benefits}
    assert {row["id"] for row in tables["organizations.csv"]} == {d.kitchen, d.oakleigh}
    assert {row["id"] for row in tables["locations.csv"]} == {d.hall, d.shop, d.east, d.unplaced}
    assert {(row["service_id"], row["location_id"]) for row in tables["service_at_location.csv"]} == {
        (d.meals, d.hall),
        (d.debt, d.hall),
        (d.benefits, d.shop),
        (d.benefits, d.east),
        (d.benefits, d.unplaced),
    }
    assert [(row["byday"], row["opens_at"]) for row in tables["schedule.csv"]] == [("MO", "12:00"), ("WE", "12:00")]
    meals = next(row for row in tables["services.csv"] if row["id"] == d.meals)
    assert (meals["minimum_age"], meals["maximum_age"], meals["organization_id"]) == ("0", "120", d.kitchen)
    links = {(row["link_id"], row["taxonomy_term_id"], row["link_entity"]) for row in tables["attribute.csv"]}
    assert (d.meals, d.food, "service") in links and (d.meals, d.polish, "service") in links
    assert any(entity == "accessibility" and term == d.step_free for _, term, entity in links)
    # Every vocabulary and term, each once.
    terms = [row["id"] for row in tables["taxonomy_terms.csv"]]
    assert sorted(terms) == sorted({d.food, d.advice, d.polish, d.step_free})
    assert {row["id"] for row in tables["taxonomies.csv"]} == {d.category, d.language, d.access}
    described = json.loads(package.read("datapackage.json"))
    assert sorted(r["path"] for r in described["resources"]) == sorted(tables)
    everything = "".join(package.read(name).decode("utf-8") for name in package.namelist())
    for hidden in (SECRET_ADDRESS, PRIVATE_EMAIL, d.refuge, d.waiting, d.lunch, d.waiting_place, "Unapproved"):
        assert hidden not in everything


def test_the_tables_are_the_uk_profiles(client, directory, oruk):  # noqa: F811
    """File names and columns as the profile's schemas define them (`path`, the properties that are not
    lists or objects, and the `tabular_required` columns such as attribute's link_entity)."""
    from app.exchange.export import TABLES

    for table, (name, columns) in TABLES.items():
        schema = json.loads((ORUK_DIR / f"{table}.json").read_text(encoding="utf-8"))
        expected = [
            key
            for key, value in schema["properties"].items()
            if value.get("type") not in ("array", "object") and "$ref" not in value
        ]
        expected += [c for c in schema.get("tabular_required", []) if c not in expected]
        assert (name, columns) == (schema["path"], expected), table
    _package, tables = _tables(client)
    for name, rows in tables.items():
        for row in rows:
            assert row["id"], name


def test_a_spreadsheet_never_runs_a_cell_as_a_formula():
    from app.exchange.export import cell

    assert cell('=HYPERLINK("http://evil.example")') == '\'=HYPERLINK("http://evil.example")'
    assert cell("-0.2292") == "-0.2292" and cell(-0.2292) == "-0.2292"
    assert cell(None) == "" and cell(0) == "0"


def test_the_downloads_are_linked_from_the_directory_and_the_api(client, directory):  # noqa: F811
    page = client.get("/directory/").get_data(as_text=True)
    assert 'href="/open-data"' in page and 'href="/open-data/directory-hsds-tables.zip"' in page
    open_data = client.get("/open-data").get_data(as_text=True)
    for link in (
        "/open-data/directory-hsds.json",
        "/open-data/directory-hsds-tables.zip",
        "/directory/export.csv",
        "/api/oruk/v3/",
    ):
        assert f'href="{link}"' in open_data
    document = client.get("/api/oruk/v3/openapi.json").get_json()
    assert document["externalDocs"]["url"] == "http://localhost/open-data"
