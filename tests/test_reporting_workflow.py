"""The report's workflow (issue 17 part 3): warnings before submit, approvers e-mailed, reopening an approved
report with a reason as a new version (the published one stays public), the audit trail, published
versions listed publicly."""

from app.extensions import db
from app.reporting import services
from app.reporting.models import ReportChange

from .conftest import post_form, sign_in
from .html import banners, field_error, parse, table_rows, text
from .test_reporting_views import draft, kpi_named, plan  # noqa: F401 (fixtures)


def test_an_empty_draft_warns_of_everything_missing(client, draft, signed_in_as):  # noqa: F811
    kinds = {w["kind"]: w for w in services.submission_warnings(draft)}
    assert len(kinds["kpis_not_entered"]["items"]) == 26
    assert "budget_missing" in kinds and "savings_missing" in kinds and "priorities_not_rated" in kinds
    signed_in_as("performance_officer")
    page = parse(client.get("/reporting/2019-20-Q3/submit"))
    warnings = [text(h) for h in page.select("#submit-warnings h2")]
    assert "No budget forecast has been entered" in warnings
    assert any(w.startswith("26 KPIs not entered") for w in warnings)
    assert "Submit with these warnings" in [text(b) for b in page.select("button")]


def test_ratings_changed_since_last_quarter_are_listed(client, draft, signed_in_as):  # noqa: F811
    signed_in_as("performance_officer")
    kpi = kpi_named("PSPOs implemented")  # 000:1159: 4 against 3, Green in Q2
    post_form(client, f"/reporting/2019-20-Q3/kpis/{kpi.id}/edit", {"target": "3", "result": "2"})
    changed = next(w for w in services.submission_warnings(draft) if w["kind"] == "ratings_changed")
    assert "PSPOs implemented: Green in Q2 2019/20, Red now" in changed["items"]
    unexplained = next(w for w in services.submission_warnings(draft) if w["kind"] == "red_unexplained")
    assert unexplained["items"] == ["PSPOs implemented"]


def test_submitting_emails_every_other_approver(client, draft, make_user, outbox):  # noqa: F811
    submitter = make_user("performance_officer", email="one@example.org")
    make_user("performance_officer", email="two@example.org")
    make_user("admin", email="boss@example.org")
    make_user("strategy_officer", email="looker@example.org")
    sign_in(client, submitter.email)
    response = post_form(client, "/reporting/2019-20-Q3/submit", {}, follow_redirects=True)
    assert "The report for Q3 2019/20 has been submitted for approval" in banners(parse(response))
    recipients = sorted(address for message in outbox for address in message.to)
    assert recipients == ["boss@example.org", "starter@example.org", "two@example.org"]  # not the submitter
    body = outbox[0].body
    assert "Q3 2019/20 performance report has been submitted for approval" in body
    assert "26 KPIs not entered" in body and "/reporting/2019-20-Q3/edit" in body
    trail = db.session.scalars(db.select(ReportChange).where(ReportChange.period_id == draft.id)).all()
    assert trail[-1].subject == "Submitted for approval" and trail[-1].user_id == submitter.id


def test_a_mail_failure_does_not_undo_the_submission(client, draft, make_user, monkeypatch):  # noqa: F811
    submitter = make_user("performance_officer", email="one@example.org")
    make_user("admin", email="boss@example.org")

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("app.mailer.send_email", broken)
    sign_in(client, submitter.email)
    page = parse(post_form(client, "/reporting/2019-20-Q3/submit", {}, follow_redirects=True))
    # the admin and the draft's starter
    assert "2 of 2 approvers could not be e-mailed; tell them it is ready" in banners(page)
    assert services.period_by_code("2019-20-Q3").status == "submitted"


def test_reopening_needs_a_reason_keeps_the_published_version_and_audits(client, app, plan, make_user):  # noqa: F811
    officer = make_user("performance_officer", email="one@example.org")
    approver = make_user("admin", email="boss@example.org")
    sign_in(client, officer.email)
    page = parse(post_form(client, "/reporting/2019-20-Q2/reopen", {"reason": ""}))
    assert field_error(page, "reason").startswith("Enter why the approved report needs to be reopened")
    response = post_form(
        client, "/reporting/2019-20-Q2/reopen", {"reason": "Hate Crime Reporting Centres: the Q2 figure was 10, not 9"}
    )
    assert response.status_code == 302
    period = services.period_by_code("2019-20-Q2")
    assert (period.status, period.version) == ("draft", 2)
    # The correction.
    kpi = kpi_named("Hate Crime Reporting Centres in Barnet")
    post_form(client, f"/reporting/2019-20-Q2/kpis/{kpi.id}/edit", {"target": "10", "result": "10"})
    # The public still sees version 1, with the printed 9, until version 2 is approved.
    public = app.test_client()
    inset = text(parse(public.get("/reporting/2019-20-Q2")).select_one(".govuk-inset-text"))
    assert inset.startswith("This is version 1 of the report") and "A correction is being prepared" in inset
    data = public.get("/reporting/2019-20-Q2/export.json").get_json()
    centres = next(k for k in data["priorities"][2]["kpis"] if k["name"] == kpi.name)
    assert centres["result"] == 9
    versions = table_rows(parse(public.get("/reporting/2019-20-Q2/versions")), caption="Versions, oldest first")
    assert [row[0] for row in versions] == ["Version 1"]
    assert versions[0][2].endswith(": Hate Crime Reporting Centres: the Q2 figure was 10, not 9")
    assert public.get("/reporting/2019-20-Q2/versions/1").status_code == 200
    # Submit, approve as version 2: now public.
    post_form(client, "/reporting/2019-20-Q2/submit", {})
    other = app.test_client()
    sign_in(other, approver.email)
    post_form(other, "/reporting/2019-20-Q2/approve", {}, form_url="/reporting/2019-20-Q2/edit")
    data = public.get("/reporting/2019-20-Q2/export.json").get_json()
    centres = next(k for k in data["priorities"][2]["kpis"] if k["name"] == kpi.name)
    assert (centres["result"], centres["rag"]) == (10, "G")
    versions = table_rows(parse(public.get("/reporting/2019-20-Q2/versions")), caption="Versions, oldest first")
    assert [row[0] for row in versions] == ["Version 1", "Version 2"]
    # The audit trail: who changed what, when (newest first).
    trail = table_rows(parse(other.get("/reporting/2019-20-Q2/changes")), caption="Who changed what, newest first")
    subjects = [row[3] for row in trail]
    assert subjects[0] == "Approved and published (version 2)"
    assert "Reopened version 1 for a correction" in subjects
    assert any(row[3] == f"KPI: {kpi.name}" and "Result: 9 → 10" in row[4] for row in trail)
    assert public.get("/reporting/2019-20-Q2/changes").status_code in (302, 401, 403, 404)


def test_only_approved_reports_can_be_reopened(client, draft, signed_in_as):  # noqa: F811
    signed_in_as("performance_officer")
    response = post_form(
        client,
        "/reporting/2019-20-Q3/reopen",
        {"reason": "x"},
        form_url="/reporting/2019-20-Q3/edit",
        follow_redirects=True,
    )
    assert banners(parse(response)) == ["Only an approved report can be reopened"]
    assert services.period_by_code("2019-20-Q3").status == "draft"
