"""The report's narrative (issue 17 part 2): commentary per priority and per KPI with its explanation of
variance, risk history (a score change "from 6", 000_0692e8566ba44968.txt:1180; the merger of G&C051 into
G&C050, 000:1268 footnote 25; closure), savings and budget totals in every export; and the XLSX layout
(readable headers, number cells, totals)."""

import io

from openpyxl import load_workbook

from app.extensions import db
from app.reporting import services
from app.reporting.models import Risk

from .conftest import post_form
from .html import field_error, page_text, parse
from .test_reporting_views import draft, kpi_named, plan  # noqa: F401 (fixtures)


def risk(code):
    return db.session.scalar(db.select(Risk).where(Risk.code == code))


def test_kpi_commentary_and_explanation_of_variance_reach_the_page_and_exports(client, draft, signed_in_as):  # noqa: F811
    signed_in_as("performance_officer")
    kpi = kpi_named("Volume of ASB calls to police")
    response = post_form(
        client,
        f"/reporting/2019-20-Q3/kpis/{kpi.id}/edit",
        {
            "target": "7855",
            "result": "9000",
            "commentary": "Calls rose over the summer.",
            "variance_explanation": "Seasonal street drinking; two new PSPOs are being consulted on.",
        },
    )
    assert response.status_code == 302
    shown = page_text(parse(client.get("/reporting/2019-20-Q3")))
    assert "Calls rose over the summer." in shown
    assert "Explanation of variance: Seasonal street drinking" in shown
    data = client.get("/reporting/2019-20-Q3/export.json").get_json()
    row = next(k for k in data["priorities"][1]["kpis"] if k["name"] == kpi.name)
    assert row["variance_explanation"].startswith("Seasonal street drinking")
    assert "Seasonal street drinking" in client.get("/reporting/2019-20-Q3/export.csv").get_data(as_text=True)


def test_risk_history_says_how_the_score_moved(client, plan):  # noqa: F811
    report = services.build_report(plan[2])
    cll04 = next(r for p in report["priorities"] for r in p["risks"] if r["code"] == "CLL04")
    # 000:820 scored it 6 in Q1; 000:1180 "Increased from 6" to 9 in Q2.
    assert [(h["period"], h["score"], h["change"]) for h in cll04["history"]] == [
        ("Q1 2019/20", 6, "First assessed"),
        ("Q2 2019/20", 9, "Increased from 6"),
    ]
    assert "Q2 2019/20: 9 (increased from 6)" in page_text(parse(client.get("/reporting/2019-20-Q2")))


def test_a_merged_risk_shows_where_it_went_and_leaves_the_register(client, plan, draft):  # noqa: F811
    q2 = services.build_report(plan[2])
    strengths = q2["priorities"][3]
    merged = next(r for r in strengths["risks"] if r["code"] == "G&CS051")
    assert merged["ended"].startswith("Merged into G&C050")
    assert strengths["high_risks"] == 0
    shown = page_text(parse(client.get("/reporting/2019-20-Q2")))
    assert "Q2 2019/20: Merged into G&C050 – Availability of resources to the voluntary sector" in shown
    data = client.get("/reporting/2019-20-Q2/export.json").get_json()
    entry = next(r for r in data["priorities"][3]["risks"] if r["code"] == "G&CS051")
    assert entry["left_the_register"].startswith("Merged into G&C050")
    # Q1 knows nothing of it yet; Q3 no longer lists it.
    q1 = services.build_report(plan[1])
    assert next(r for r in q1["priorities"][3]["risks"] if r["code"] == "G&CS051")["ended"] == ""
    q3 = services.build_report(draft)
    assert "G&CS051" not in [r["code"] for r in q3["priorities"][3]["risks"]]


def test_an_officer_closes_a_risk_with_a_reason(client, draft, signed_in_as):  # noqa: F811
    signed_in_as("performance_officer")
    owl = risk("CLL02")
    url = f"/reporting/2019-20-Q3/risks/{owl.id}/end"
    page = post_form(
        client,
        url,
        {"end-ending": "merged", "end-merged_into": ""},
        form_url=f"/reporting/2019-20-Q3/risks/{owl.id}/edit",
    )
    assert field_error(parse(page), "end-merged_into") == "Select the risk it has been merged into"
    response = post_form(
        client,
        url,
        {"end-ending": "closed", "end-end_note": "OWL sign-ups passed 24,000"},
        form_url=f"/reporting/2019-20-Q3/risks/{owl.id}/edit",
    )
    assert response.status_code == 302
    report = services.build_report(draft)
    row = next(r for r in report["priorities"][0]["risks"] if r["code"] == "CLL02")
    assert row["ended"] == "Closed: OWL sign-ups passed 24,000"
    assert "Q3 2019/20: Closed: OWL sign-ups passed 24,000" in row["history_text"]


def test_savings_and_budget_totals_are_in_every_export(client, plan):  # noqa: F811
    data = client.get("/reporting/2019-20-Q2/export.json").get_json()
    assert data["savings_totals"] == {"saving": 243, "forecast": 243}  # 000:1071
    assert data["budget_totals"]["revised_budget"] == 1936 + 3538  # 000:1058-1059
    savings_csv = client.get("/reporting/2019-20-Q2/export.csv?table=savings").get_data(as_text=True)
    assert savings_csv.splitlines()[-1].startswith("2019-20-Q2,Total,,,243,243")
    budget_csv = client.get("/reporting/2019-20-Q2/export.csv?table=budget").get_data(as_text=True)
    assert budget_csv.splitlines()[-1].startswith("2019-20-Q2,Total,5474,5579,105")
    assert client.get("/reporting/2019-20-Q2/export.csv?table=nonsense").status_code == 404
    workbook = load_workbook(io.BytesIO(client.get("/reporting/2019-20-Q2/export.xlsx").data))
    savings = list(workbook["Savings"].values)
    assert savings[-1][1] == "Total" and savings[-1][4] == 243
    budget = list(workbook["Budget"].values)
    assert budget[-1][1] == "Total" and budget[-1][2] == 5474


def test_the_workbook_has_readable_headers_number_cells_and_widths(client, plan):  # noqa: F811
    workbook = load_workbook(io.BytesIO(client.get("/reporting/2019-20-Q1/export.xlsx").data))
    kpis = workbook["KPIs"]
    header = [cell.value for cell in kpis[1]]
    assert header[:4] == ["Period", "Priority", "KPI", "Polarity"]
    assert "Previous result note" in header and "RAG basis" in header
    assert not any("_" in str(name) for name in header)
    result_column = header.index("Result") + 1
    values = [kpis.cell(row=n, column=result_column).value for n in range(2, kpis.max_row + 1)]
    assert 19 in values and all(v is None or isinstance(v, (int, float)) for v in values)
    assert kpis.column_dimensions["C"].width > 30  # the KPI names
    assert workbook["Budget"]["C2"].number_format == "#,##0;(#,##0)"


def test_the_workbook_with_readable_headers_can_be_imported_again(client, draft, signed_in_as):  # noqa: F811
    from app.reporting import exports, importer

    signed_in_as("performance_officer")
    kpi = kpi_named("PSPOs implemented")
    post_form(
        client,
        f"/reporting/2019-20-Q3/kpis/{kpi.id}/edit",
        {"target": "3", "result": "5", "variance_explanation": "Two new orders"},
    )
    workbook = exports.to_xlsx_bytes(services.build_report(draft))
    outcome = importer.import_results("q3.xlsx", workbook, allowed_period=draft)
    assert outcome.errors == [] and outcome.changed == 26
    result = services.result_for(draft, kpi)
    assert (result.result, result.variance_explanation) == (5, "Two new orders")
