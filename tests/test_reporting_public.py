"""What the public gets (issue 17 part 5 and issue 15): source references stay with officers; each approved
quarter has a public page with charts (SVG, each with a table) and its data as CSV and JSON for the open data
portal (000_0692e8566ba44968.txt:940: KPI results are published on Open Barnet)."""

import io
import re

from openpyxl import load_workbook

from app.reporting import exports, services

from .html import page_text, parse, table_rows, text
from .test_reporting_views import plan  # noqa: F401 (fixtures)

SOURCE_REF = re.compile(r"\.txt:\d|\b00[04]:\d")


def test_source_references_never_reach_public_pages_or_exports(client, plan, monkeypatch):  # noqa: F811
    # The demo data quotes its sources (officers check it against the papers)...
    raw = services.build_report(plan[1])
    assert any(SOURCE_REF.search(k["notes"]) for p in raw["priorities"] for k in p["kpis"])
    # ...but nothing public shows them.
    for url in (
        "/reporting/2019-20-Q1",
        "/reporting/2019-20-Q2",
        "/reporting/2019-20-Q1/export.csv",
        "/reporting/2019-20-Q1/export.json",
        "/reporting/2019-20-Q1/export.csv?table=risks",
        "/reporting/2019-20-Q1/export.csv?table=savings",
        "/reporting/2019-20-Q1/export.csv?table=budget",
        "/reporting/open-data/kpi-results.csv",
    ):
        body = client.get(url).get_data(as_text=True)
        assert not SOURCE_REF.search(body), (url, SOURCE_REF.search(body))
    workbook = load_workbook(io.BytesIO(client.get("/reporting/2019-20-Q1/export.xlsx").data))
    for sheet in workbook.worksheets:
        for row in sheet.values:
            assert not any(SOURCE_REF.search(str(cell)) for cell in row if cell), (sheet.title, row)
    seen = {}
    monkeypatch.setattr(exports, "to_pdf_bytes", lambda html, base_url=None: seen.setdefault("html", html).encode())
    client.get("/reporting/2019-20-Q1/report.pdf")
    assert "Keeping Barnet safe" in seen["html"] and not SOURCE_REF.search(seen["html"])


def test_the_quarter_page_has_charts_with_tables(client, plan):  # noqa: F811
    page = parse(client.get("/reporting/2019-20-Q2"))
    figures = page.select("figure")
    assert [text(figure.select_one("h3")) for figure in figures] == [
        "KPI ratings by priority",
        "Results against targets",
        "Budget: revised budget and forecast (£000)",
    ]
    # Each chart is an image with a title, and its figures are in a table too.
    assert all(figure.select_one('svg[role="img"] title') is not None for figure in figures)
    assert table_rows(page, caption="KPI ratings by priority: figures")
    centres = [
        row
        for row in table_rows(page, caption="Results against targets: figures")
        if row[0] == "Hate Crime Reporting Centres in Barnet"
    ]
    assert centres[0][4] == "90%"  # 9 of a target of 10 (000:1204)


def test_open_data_for_open_barnet(client, plan):  # noqa: F811
    assert "published under the Open Government Licence v3.0" in page_text(parse(client.get("/reporting/2019-20-Q1")))
    csv_text = client.get("/reporting/open-data/kpi-results.csv").get_data(as_text=True)
    lines = csv_text.splitlines()
    assert lines[0].startswith("period,priority,kpi,polarity")
    assert sum(1 for line in lines if line.startswith("2019-20-Q1,")) == 26
    assert sum(1 for line in lines if line.startswith("2019-20-Q2,")) == 26
    data = client.get("/reporting/open-data/reports.json").get_json()
    assert [r["period"] for r in data["reports"]] == ["2019-20-Q1", "2019-20-Q2"]
    assert data["reports"][0]["csv"].endswith("/reporting/2019-20-Q1/export.csv")
    assert data["licence"].startswith("Open Government Licence")
