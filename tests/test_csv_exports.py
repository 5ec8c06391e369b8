"""Every CSV and XLSX export refuses to emit a formula (issue 12, finding 6), driven by one table of exports.

The demo data is loaded, then every free-text column of every table is overwritten with text a spreadsheet
would run as a formula (the e-mail addresses too: "=1+1@example.org" is a valid address). Each export in
EXPORTS is then downloaded and every cell checked. A new export route that is not in the table fails
`test_every_export_route_is_in_the_table`.
"""

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import String, Text, UniqueConstraint

from app import csvkit
from app.extensions import db

from .conftest import post_form, sign_in
from .factories.assets import make_nomination

PAYLOADS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    " =1+1",
    "\uff1d1+1",
    "|calc",
    "\r=1+1",
    "%0A=1",
]
# Columns holding a code from a fixed list (statuses, kinds, wards...) or an identifier: the pages and exports
# look these up, so they keep their values. Everything else a person typed is overwritten.
KEPT = re.compile(
    r"(^|_)(status|kind|category|owner|faith|type|sector|code|slug|token|hash|key|role|polarity|"
    r"measure|rag|dot|outcome|period|ward|postcode|reference|url|source|interests?|format|direction|"
    r"band|quarter|unit|frequency|section|decision|state|problem|stored_name|filename|mode|"
    r"legacy_id|lat|lon|email_hash|position_source|payload|snapshot|name_key|value|target|"
    r"annual_target|benchmark|result_text|previous_result_text|live_source|id|uid|body_number|"
    r"charity_number|company_number|phone|time|day|opens|closes|vocabulary|term)s?$"
)
TABLES_KEPT = {"alembic_version", "taxonomy", "taxonomy_term", "ward", "postcode", "user_account", "directory_import"}
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _plant_formulas():
    planted = 0
    for table in db.metadata.sorted_tables:
        if table.name in TABLES_KEPT:
            continue
        unique = {
            column.name
            for constraint in table.constraints
            if isinstance(constraint, UniqueConstraint)
            for column in constraint.columns
        }
        unique |= {column.name for index in table.indexes if index.unique for column in index.columns}
        columns = [
            c
            for c in table.columns
            if isinstance(c.type, (String, Text))
            and not c.primary_key
            and not c.foreign_keys
            and not c.unique
            and c.name not in unique
            and not KEPT.search(c.name)
        ]
        for index, column in enumerate(columns):
            payload = PAYLOADS[index % len(PAYLOADS)]
            if "email" in column.name:
                payload = "=1+1@example.org"
            if isinstance(column.type, String) and column.type.length and len(payload) > column.type.length:
                payload = "=1+1"[: column.type.length]
            planted += db.session.execute(table.update().values({column.name: payload})).rowcount or 0
    db.session.commit()
    return planted


@pytest.fixture
def hostile_portal(app, make_user, client):
    from seed.loader import load_demo_organisations, load_taxonomies, load_wards, module_demo_loaders

    from .directory_helpers import add_postcodes

    load_wards()
    load_taxonomies()
    add_postcodes()
    load_demo_organisations()
    for load in module_demo_loaders():
        load()
    _decided_nominations()
    db.session.commit()
    assert _plant_formulas() > 100
    return make_user("admin", email="exports-admin@example.org")


def _decided_nominations():
    """One listed and one unsuccessful nomination, for the registers' exports."""
    for status in ("listed", "not_listed"):
        nomination = make_nomination(date(2025, 1, 6))
        nomination.status = status
        nomination.decided_on = date(2025, 2, 20)
        if status == "listed":
            nomination.listed_on = date(2025, 2, 20)


def _member():
    from app.ctn.models import Member

    return db.session.scalar(db.select(Member).order_by(Member.id))


def _approved_period():
    from app.reporting.models import APPROVED, ReportPeriod

    return db.session.scalar(db.select(ReportPeriod).where(ReportPeriod.status == APPROVED).order_by(ReportPeriod.id))


def _problems_job(client):
    from app.directory.import_models import DirectoryImport

    post_form(
        client,
        "/directory/import/",
        {"file": (io.BytesIO(b"name,description,email\r\n=cmd|' /C calc'!A0,+1,bad\r\n"), "legacy.csv")},
        content_type="multipart/form-data",
    )
    return db.session.scalar(db.select(DirectoryImport).order_by(DirectoryImport.id.desc())).id


# endpoint: the URL to download (given the signed-in client), as anyone may or as an administrator.
EXPORTS = {
    "directory_export.export_csv": lambda client: "/directory/export.csv",
    "directory_import.problems_csv": lambda client: f"/directory/import/{_problems_job(client)}/problems.csv",
    "ctn.members_csv": lambda client: "/ctn/manage/members.csv",
    "ctn.annual_report_csv": lambda client: "/ctn/manage/report/2019.csv",
    "ctn.member_export": lambda client: f"/ctn/manage/members/{_member().id}/data.csv",
    "ctn.preferences_export": lambda client: f"/ctn/preferences/{_member().preferences_token}/your-data.csv",
    "covenant.signatories_csv": lambda client: "/covenant/signatories.csv",
    "assets.assets_csv": lambda client: "/assets-register/assets.csv",
    "assets.listed_csv": lambda client: "/assets-register/acv/listed.csv",
    "assets.unsuccessful_csv": lambda client: "/assets-register/acv/unsuccessful.csv",
    "reporting.export_csv": lambda client: f"/reporting/{_approved_period().code}/export.csv",
    "reporting.export_xlsx": lambda client: f"/reporting/{_approved_period().code}/export.xlsx",
    "reporting.open_data_csv": lambda client: "/reporting/open-data/kpi-results.csv",
}


def test_every_export_route_is_in_the_table(app):
    exports = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.endswith((".csv", ".xlsx")) or ("<fmt>" in rule.rule and rule.endpoint.endswith("export"))
    }
    assert exports - set(EXPORTS) == set()


def _cells(response):
    """[(where, value, is a formula or unguarded)] for every cell of a CSV or XLSX download."""
    if response.mimetype.endswith("sheet"):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(response.data))
        return [
            (
                f"{sheet.title}!{cell.coordinate}",
                str(cell.value or ""),
                cell.data_type == "f"
                or (isinstance(cell.value, str) and csvkit._triggers(cell.value) and not cell.quotePrefix),
            )
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
        ]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return [
        (f"row {number} column {column}", cell, bool(cell) and csvkit._triggers(cell) and not NUMBER.match(cell))
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
        for column, cell in enumerate(row, start=1)
    ]


@pytest.mark.parametrize("endpoint", sorted(EXPORTS))
def test_every_export_refuses_to_emit_a_formula(app, client, hostile_portal, endpoint):
    assert sign_in(client, hostile_portal.email).status_code == 302
    url = EXPORTS[endpoint](client)
    response = client.get(url)
    assert response.status_code == 200, url
    cells = _cells(response)
    planted = [value for _, value, _ in cells if any(mark in value for mark in ("=1+1", "HYPERLINK", "SUM(1)", "calc"))]
    assert planted or endpoint == "ctn.annual_report_csv", f"{url} carries none of the planted text: check the test"
    assert [f"{where}: {value!r}" for where, value, formula in cells if formula] == []


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        (" =1+1", "' =1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("|calc", "'|calc"),
        ("%0A", "'%0A"),
        ("\x00=1", "'\x00=1"),
        ("plain", "plain"),
        ("", ""),
        (None, ""),
        (-5, -5),
        (2.5, 2.5),
        ("=1+1@example.org", "'=1+1@example.org"),
    ],
)
def test_the_one_guard(value, expected):
    assert csvkit.guard(value) == expected
    if isinstance(expected, str) and expected.startswith("'"):
        assert csvkit.unguard(expected) == value
