"""The quarterly report on the web: demo data from the seeds, who sees what, the workflow, entry, import and
the outputs (HTML, PDF, CSV, XLSX, JSON, trend charts)."""

import io
from datetime import datetime

import pytest

from app.directory.models import Organisation
from app.extensions import db
from app.reporting import demo, services
from app.reporting.models import APPROVED, DRAFT, Kpi, KpiResult, ReportPeriod, Risk

from .conftest import post_form, sign_in
from .html import banners, error_messages, field_error, page_text, parse, table_rows, text


@pytest.fixture
def plan(app):
    """The 2019/20 delivery plan with the published Q1 and Q2 reports."""
    demo.load_demo()
    return {p.quarter: p for p in db.session.scalars(db.select(ReportPeriod))}


def kpi_named(name):
    """The first KPI of that name: the earliest year's, once a plan has been rolled forward."""
    return db.session.scalar(db.select(Kpi).where(Kpi.name == name).order_by(Kpi.id).limit(1))


@pytest.fixture
def draft(plan, make_user):
    """A draft Q3 2019/20 report started by a performance officer."""
    starter = make_user("admin", email="starter@example.org")
    return services.create_period(2019, 3, starter)


def test_demo_data_loads_once_and_matches_the_papers(plan):
    assert "already loaded" in demo.load_demo()
    assert db.session.scalar(db.select(db.func.count(Kpi.id))) == 26
    q1 = services.build_report(plan[1])
    assert [p["title"] for p in q1["priorities"]][0] == "Keeping Barnet safe"
    crime = next(k for k in q1["priorities"][0]["kpis"] if k["name"].startswith("Overall crime rate"))
    assert (crime["dot"], crime["dot_percent"], crime["dot_differs"]) == ("W", 9.4, False)


def test_the_report_shows_published_values_beside_ours_where_they_differ(client, plan):
    shown = page_text(parse(client.get("/reporting/2019-20-Q2")))
    assert shown.count("published: A") == 1  # 9 Hate Crime Reporting Centres of 10: ours RED (000:1204)
    assert "↓ W +15.7%" in shown and "published: ↓ W +10%" in shown  # ASB calls 9252 vs 8000 (000:1160)
    assert "published: 3,583" in shown  # forecast after reserve movements (000:1059)
    report = services.build_report(plan[2])
    hate = report["priorities"][2]
    centres = next(k for k in hate["kpis"] if k["name"] == "Hate Crime Reporting Centres in Barnet")
    assert (centres["rag"], centres["published_rag"], centres["rag_differs"]) == ("R", "A", True)
    assert (hate["overall_label"], hate["published_overall"], hate["overall_differs"]) == ("Satisfactory", "Good", True)
    safe = report["priorities"][0]
    assert (safe["overall_label"], safe["overall_differs"]) == ("Good", False)


def test_risk_history_shows_the_change_across_quarters(client, plan):
    page = parse(client.get("/reporting/2019-20-Q2"))
    risk = db.session.scalar(db.select(Risk).where(Risk.code == "CLL04"))
    lines = list(page.select_one(f"#risk-{risk.id}").stripped_strings)
    assert lines[lines.index("Q1 2019/20: 6") + 1] == "Q2 2019/20: 9 (increased from 6)"


def test_drafts_are_hidden_from_the_public_and_group_editors(client, draft, make_user):
    for url in ("/reporting/2019-20-Q3", "/reporting/2019-20-Q3/report.pdf", "/reporting/2019-20-Q3/export.csv"):
        assert client.get(url).status_code == 404
    assert "Q3 2019/20" not in page_text(parse(client.get("/reporting/")))
    editor = make_user("group_editor", email="editor@example.org")
    sign_in(client, editor.email)
    assert client.get("/reporting/2019-20-Q3").status_code == 404


def test_officers_may_view_drafts(client, draft, signed_in_as):
    signed_in_as("strategy_officer")
    page = parse(client.get("/reporting/2019-20-Q3"))
    assert "this report is not published" in page_text(page)
    assert client.get("/reporting/2019-20-Q3/edit").status_code == 200
    # A strategy officer may look but not enter figures.
    kpi = kpi_named("PSPOs implemented")
    assert client.get(f"/reporting/2019-20-Q3/kpis/{kpi.id}/edit").status_code == 403


def test_officer_enters_a_result_and_sees_the_rating(client, draft, signed_in_as):
    signed_in_as("performance_officer")
    kpi = kpi_named("Hate Crime Reporting Centres in Barnet")
    url = f"/reporting/2019-20-Q3/kpis/{kpi.id}/edit"
    response = post_form(client, url, {"target": "about ten", "result": "nine"})
    page = parse(response)
    assert response.status_code == 200
    assert "is not a target the report can use" in field_error(page, "target")
    assert field_error(page, "result") == "Enter the result as a number, like 19 or 9.54"
    assert len(error_messages(page)) == 2
    response = post_form(client, url, {"target": "10", "result": "9.5", "previous_result": "", "benchmark": "None"})
    assert response.status_code == 302
    result = services.result_for(draft, kpi)
    assert (result.target, result.result) == ("10", 9.5)
    row = services.kpi_row(kpi, result)
    assert row["rag"] == "A"  # 5% off target


def test_risk_form_checks_the_score(client, draft, signed_in_as):
    signed_in_as("performance_officer")
    risk = db.session.scalar(db.select(Risk).where(Risk.code == "CLL04"))
    url = f"/reporting/2019-20-Q3/risks/{risk.id}/edit"
    page = parse(post_form(client, url, {"likelihood": "3", "impact": "3", "score": "12"}))
    assert error_messages(page) == ["The score must be likelihood x impact: 3 x 3 = 9"]
    page = parse(post_form(client, url, {"score": "7"}))
    assert any("7 is not a possible risk score" in message for message in error_messages(page))
    assert post_form(client, url, {"likelihood": "4", "impact": "4", "score": ""}).status_code == 302
    assessment = services.risk_assessment_for(draft, risk)
    assert (assessment.likelihood, assessment.impact, assessment.score) == (4, 4, 16)
    report = services.build_report(draft)
    assert report["priorities"][1]["high_risks"] == 1


def test_a_new_quarter_starts_from_the_previous_risk_scores(draft):
    risk = db.session.scalar(db.select(Risk).where(Risk.code == "CLL04"))
    assert services.risk_assessment_for(draft, risk).score == 9  # as in Q2 (000:1180)
    with pytest.raises(services.WorkflowError, match="already exists"):
        services.create_period(2019, 3)


def test_new_period_form(client, plan, signed_in_as):
    signed_in_as("performance_officer")
    response = post_form(client, "/reporting/new", {"year_start": "2019", "quarter": "4"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/reporting/2019-20-Q4/edit")
    page = parse(post_form(client, "/reporting/new", {"year_start": "2019", "quarter": "4"}))
    assert field_error(page, "quarter") == "The report for Q4 2019/20 already exists"


def test_workflow_submit_then_approve_by_someone_else(client, app, draft, make_user):
    submitter = make_user("performance_officer", email="one@example.org")
    approver = make_user("performance_officer", email="two@example.org")
    sign_in(client, submitter.email)
    post_form(client, "/reporting/2019-20-Q3/submit", {}, form_url="/reporting/2019-20-Q3/edit")
    period = services.period_by_code("2019-20-Q3")
    assert period.status == "submitted" and period.submitted_by_id == submitter.id and period.submitted_at
    # Submitted reports are frozen.
    kpi = kpi_named("PSPOs implemented")
    assert client.get(f"/reporting/2019-20-Q3/kpis/{kpi.id}/edit").status_code == 302
    # The submitter cannot approve their own report.
    page = parse(
        post_form(client, "/reporting/2019-20-Q3/approve", {}, form_url="/reporting/new", follow_redirects=True)
    )
    assert banners(page) == ["Someone other than the person who submitted the report must approve it"]
    assert services.period_by_code("2019-20-Q3").status == "submitted"
    anonymous = app.test_client()
    assert anonymous.get("/reporting/2019-20-Q3").status_code == 404
    client.post("/sign-out", data={"csrf_token": ""})
    other = app.test_client()
    sign_in(other, approver.email)
    post_form(other, "/reporting/2019-20-Q3/approve", {}, form_url="/reporting/2019-20-Q3/edit")
    period = services.period_by_code("2019-20-Q3")
    assert (period.status, period.approved_by_id) == (APPROVED, approver.id) and period.approved_at
    assert anonymous.get("/reporting/2019-20-Q3").status_code == 200
    assert "Approved" in page_text(parse(other.get("/reporting/2019-20-Q3/edit")))


def test_a_submitted_report_can_be_returned_with_a_reason(client, draft, make_user):
    services.submit(draft, make_user("performance_officer", email="one@example.org"))
    other = make_user("admin", email="boss@example.org")
    sign_in(client, other.email)
    page = parse(post_form(client, "/reporting/2019-20-Q3/return", {"reason": ""}))
    assert [m for m in error_messages(page) if m.startswith("Enter what needs to change")] == error_messages(page)
    assert error_messages(page)
    post_form(client, "/reporting/2019-20-Q3/return", {"reason": "Q3 target for PSPOs is missing"})
    period = services.period_by_code("2019-20-Q3")
    assert period.status == DRAFT and period.return_reason == "Q3 target for PSPOs is missing"
    assert period.returned_by_id == other.id


def _csv(rows):
    return ("\n".join(",".join(row) for row in rows)).encode()


def test_web_import_lists_every_bad_row_and_writes_nothing(client, draft, signed_in_as):
    signed_in_as("performance_officer")
    data = _csv(
        [
            ["period", "kpi", "target", "result"],
            ["2019-20-Q3", "PSPOs implemented", "3", "4"],
            ["2019-20-Q3", "No such indicator", "3", "4"],
            ["2019-20-Q3", "Volume of ASB calls to police", "7855", "lots"],
            ["2019-20-Q2", "Training sessions delivered across the partnership", "2", "3"],
        ]
    )
    response = post_form(
        client,
        "/reporting/2019-20-Q3/import",
        {"file": (io.BytesIO(data), "results.csv")},
        content_type="multipart/form-data",
    )
    page = parse(response)
    assert response.status_code == 400
    assert error_messages(page) == [
        "The file was not imported: nothing has been changed. Correct the rows listed below and try again"
    ]
    shown = page_text(page)
    assert "there is no KPI called 'No such indicator'" in shown
    assert "result 'lots' is not a number" in shown
    assert "this import is for 2019-20-Q3, not 2019-20-Q2" in shown
    assert db.session.scalar(db.select(db.func.count(KpiResult.id)).where(KpiResult.period_id == draft.id)) == 0


def test_web_import_of_an_xlsx_file(client, draft, signed_in_as):
    from openpyxl import Workbook

    signed_in_as("performance_officer")
    workbook = Workbook()
    workbook.active.append(["Period", "KPI", "Target", "Result", "Previous result"])
    workbook.active.append(["2019-20-Q3", "Volume of ASB calls to police", "7855", 8100, 8300])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = post_form(
        client,
        "/reporting/2019-20-Q3/import",
        {"file": (io.BytesIO(buffer.getvalue()), "q3.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    row = services.kpi_row(
        kpi_named("Volume of ASB calls to police"),
        services.result_for(draft, kpi_named("Volume of ASB calls to police")),
    )
    assert (row["result"], row["rag"], row["dot"]) == (8100, "A", "I")  # 3.1% off; fewer calls than last year


def test_exports_carry_the_ratings(client, plan):
    data = client.get("/reporting/2019-20-Q1/export.json").get_json()
    hate = data["priorities"][2]
    assert hate["overall_rating"] == "R" and hate["published_overall_rating"] == "Good"
    staff = next(k for k in hate["kpis"] if k["name"] == "Number of staff to receive training across the partnership")
    assert (staff["rag"], staff["published_rag"]) == ("R", "R")
    crime = next(k for k in data["priorities"][0]["kpis"] if k["name"].startswith("Overall crime rate"))
    assert (crime["dot"], crime["dot_percent"]) == ("W", 9.4)
    csv_text = client.get("/reporting/2019-20-Q1/export.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("period,priority,kpi,polarity")
    assert "Hate Crime Reporting Centres in Barnet,bigger,s,10,10,9,,,New for 19/20,R,A" in csv_text


def test_xlsx_export_opens_in_a_spreadsheet(client, plan):
    from openpyxl import load_workbook

    response = client.get("/reporting/2019-20-Q2/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["KPIs", "Priorities", "Risks", "Budget", "Savings"]
    risks = list(workbook["Risks"].values)
    assert risks[4][:8] == (
        "2019-20-Q2",
        "Tackling anti-social behaviour and environmental crime",
        "CLL04",
        "Ineffective enforcement of PSPOs",
        None,
        None,
        9,
        "Medium/High",
    )


def test_pdf_contains_the_priorities_and_kpis(client, plan):
    from pypdf import PdfReader

    response = client.get("/reporting/2019-20-Q2/report.pdf")
    assert response.mimetype == "application/pdf"
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    pdf_text = " ".join(pdf_text.split())
    assert "Quarter 2 (Q2) 2019/20 Delivery Plan Performance Report" in pdf_text
    assert "Keeping Barnet safe" in pdf_text
    assert "Volume of ASB calls to police" in pdf_text
    assert "published: 3,583" in pdf_text


def test_kpi_trend_page_has_a_chart_and_a_table(client, plan):
    kpi = kpi_named("Number of new residents registering to be a volunteer")
    page = parse(client.get(f"/reporting/2019-20-Q2/kpis/{kpi.id}"))
    chart = page.select_one('svg[role="img"]')
    assert chart is not None and chart.title is not None
    assert "Q1 2019/20: result 218, target 187; Q2 2019/20: result 458, target 374" in text(chart)
    assert [row[0] for row in table_rows(page)] == ["Q1 2019/20", "Q2 2019/20"]
    assert client.get("/reporting/2019-20-Q2/kpis/987654").status_code == 404


def test_live_results_are_taken_where_a_source_is_available(client, draft, signed_in_as, organisation):
    signed_in_as("performance_officer")
    kpi = kpi_named("PSPOs implemented")
    kpi.live_source = "directory_organisations"
    # Counted at the end of the quarter: an organisation listed after December 2019 does not count.
    organisation.created_at = datetime(2019, 10, 1)
    db.session.add(Organisation(name="Listed in 2020", slug="listed-in-2020", created_at=datetime(2020, 1, 2)))
    db.session.commit()
    page = parse(
        post_form(
            client, "/reporting/2019-20-Q3/live", {}, form_url="/reporting/2019-20-Q3/edit", follow_redirects=True
        )
    )
    messages = banners(page)
    assert any(m.startswith("Live results taken:") and "PSPOs implemented: 1" in m for m in messages)
    # The CTN KPI's source has no meetings table or no held meetings: a note, not a failure.
    assert any("Number of CTN meetings held per year" in m for m in messages)
    assert services.result_for(draft, kpi).result == 1.0
    assert services.result_for(draft, kpi).live_taken_at is not None


def test_officer_adds_budget_and_savings_lines(client, draft, signed_in_as):
    signed_in_as("performance_officer")
    page = parse(
        post_form(
            client,
            "/reporting/2019-20-Q3/budget/new",
            {"service": "Community Safety", "revised_budget": "1,936", "forecast": "a lot"},
        )
    )
    assert field_error(page, "forecast").startswith("Enter an amount in £000 as a number")
    assert len(error_messages(page)) == 1
    assert (
        post_form(
            client,
            "/reporting/2019-20-Q3/budget/new",
            {"service": "Community Safety", "revised_budget": "1,936", "forecast": "1,900", "reserve_movements": "10"},
        ).status_code
        == 302
    )
    assert (
        post_form(
            client,
            "/reporting/2019-20-Q3/savings/new",
            {"ref": "S1", "service_area": "Community Safety", "saving": "243", "forecast": "200"},
        ).status_code
        == 302
    )
    report = services.build_report(draft)
    assert report["budget"][0]["variance"] == -36 and report["budget"][0]["forecast_after_reserves"] == 1910
    assert report["savings_totals"] == {"saving": 243, "forecast": 200}
    page = parse(client.get("/reporting/2019-20-Q3"))
    caption = "Revenue forecast (Q3 2019/20), £000. A positive variance is adverse (an overspend); figures in brackets are favourable."
    budget = table_rows(page, caption=caption)
    assert budget[0][0] == "Community Safety" and "(36)" in budget[0]  # a favourable variance is shown in brackets
    line_id = draft.budget_lines[0].id
    assert client.get(f"/reporting/2019-20-Q2/budget/{line_id}/edit").status_code == 404  # not this report's line
