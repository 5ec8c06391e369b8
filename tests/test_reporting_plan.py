"""Any financial year, with the plan rolled forward and edited on the web (issue 17 part 3); typed targets,
each saying how it rates (part 4: 004:25 "TBC", 004:29 "Monitor", 004:30 "Fewer than 7855", 004:38 "54%",
000:1163 "3 PSPOs implemented at any point in time", 000:1173 "Annual", 000:1238 a re-phased cumulative
target)."""

import pytest

from app.extensions import db
from app.reporting import ratings, services
from app.reporting.models import Kpi, Priority, Risk

from .conftest import post_form, sign_in
from .html import banners, field_error, heading, page_text, parse, text
from .test_reporting_views import kpi_named, plan  # noqa: F401 (fixtures)


def test_a_new_year_is_offered_and_its_plan_rolled_forward(client, plan, signed_in_as):  # noqa: F811
    signed_in_as("performance_officer")
    page = parse(client.get("/reporting/new"))
    years = [text(option) for option in page.select("select#year_start option")]
    assert "2020/21 (the plan is rolled forward from the year before)" in years
    response = post_form(client, "/reporting/new", {"year_start": "2020", "quarter": "1"})
    assert response.headers["Location"].endswith("/reporting/2020-21-Q1/edit")
    priorities = services.priorities_for_year(2020)
    assert [p.title for p in priorities] == [p.title for p in services.priorities_for_year(2019)]
    assert sum(len(p.kpis) for p in priorities) == 26 and sum(len(p.actions) for p in priorities) == 13
    codes = [r.code for p in priorities for r in p.risks]
    assert "G&CS051" not in codes and "G&C050" in codes  # merged in Q2 2019/20 (000:1268)
    calls = db.session.scalar(
        db.select(Kpi).join(Priority).where(Priority.year_start == 2020, Kpi.name == "Volume of ASB calls to police")
    )
    assert calls.annual_target == "Fewer than 7855" and not calls.new_for_year
    # Risk scores carry over by code from Q2 2019/20: CLL04 was 9 (000:1180).
    q1 = services.period_by_code("2020-21-Q1")
    cll04 = db.session.scalar(db.select(Risk).join(Priority).where(Priority.year_start == 2020, Risk.code == "CLL04"))
    assert services.risk_assessment_for(q1, cll04).score == 9
    assert services.build_report(q1)["priorities"][0]["overall_label"] == "Not rated"


def test_the_plan_is_edited_on_the_web(client, plan, signed_in_as):  # noqa: F811
    signed_in_as("performance_officer")
    services.roll_forward_plan(2020)
    page = parse(client.get("/reporting/plan/2020"))
    assert heading(page) == "Delivery plan 2020/21"
    assert "Roll the plan forward" not in [text(button) for button in page.select("button")]
    kpi = db.session.scalar(
        db.select(Kpi).join(Priority).where(Priority.year_start == 2020, Kpi.name == "PSPOs implemented")
    )
    url = f"/reporting/plan/2020/kpis/{kpi.id}/edit"
    page = post_form(client, url, {"name": "PSPOs implemented", "polarity": "bigger", "annual_target": "about 4"})
    assert "is not a target the report can use" in field_error(parse(page), "annual_target")
    response = post_form(
        client,
        url,
        {
            "name": "PSPOs implemented",
            "polarity": "bigger",
            "measure": "s",
            "annual_target": "4 at any point in time",
            "previous_year_end": "4",
        },
    )
    assert response.status_code == 302
    db.session.refresh(kpi)
    assert (kpi.annual_target, kpi.previous_year_end) == ("4 at any point in time", "4")
    safe = services.priorities_for_year(2020)[0]
    response = post_form(
        client,
        f"/reporting/plan/2020/kpis/new?priority={safe.id}",
        {"name": "Repeat victims supported", "polarity": "bigger", "annual_target": "TBC"},
    )
    assert response.status_code == 302
    assert safe.kpis[-1].name == "Repeat victims supported"
    page = post_form(client, "/reporting/plan/2020/priorities/new", {"position": "5", "title": "Twice"})
    assert field_error(parse(page), "position") == "Section 5 is already 'Keeping Barnet safe'"
    rule = "Number: Green at 4 or more, Amber up to 9.9% off, Red from 10% off; compared with the count at the end"
    assert rule in page_text(parse(client.get("/reporting/plan/2020")))


def test_a_plan_in_approved_reports_cannot_change(client, plan, signed_in_as):  # noqa: F811
    signed_in_as("performance_officer")
    kpi = kpi_named("PSPOs implemented")
    response = post_form(
        client,
        f"/reporting/plan/2019/kpis/{kpi.id}/edit",
        {"name": "Renamed", "polarity": "bigger", "annual_target": "3"},
        form_url="/reporting/new",
        follow_redirects=True,
    )
    assert any(message.endswith("Reopen them to change the plan.") for message in banners(parse(response)))
    assert kpi_named("PSPOs implemented") is not None


def test_other_years_plan_items_are_not_reachable(client, app, plan, signed_in_as, make_user):  # noqa: F811
    signed_in_as("performance_officer")
    services.roll_forward_plan(2020)
    kpi = kpi_named("PSPOs implemented")  # a 2019/20 KPI
    assert client.get(f"/reporting/plan/2020/kpis/{kpi.id}/edit").status_code == 404
    assert client.get("/reporting/plan/2020/nonsense/new").status_code == 404
    looker = app.test_client()
    sign_in(looker, make_user("strategy_officer", email="looker@example.org").email)
    assert looker.get("/reporting/plan/2020").status_code == 200
    assert looker.get("/reporting/plan/2020/priorities/new").status_code == 403


@pytest.mark.parametrize(
    "target, polarity, measure, words",
    [
        ("30", "bigger", "", "Number: Green at 30 or more, Amber up to 9.9% off, Red from 10% off"),
        ("54%", "bigger", "annual", "Percentage: Green at 54% or more"),
        ("Fewer than 7855", "smaller", "r", "must be fewer than 7855 (exactly 7855 is Amber)"),
        (">20000", "bigger", "s", "must be more than 20000"),
        ("3 at any point in time", "bigger", "s", "compared with the count at the end of the quarter"),
        ("12", "bigger", "c", "cumulative: the result so far this year against the target so far"),
        ("Monitor", "bigger", "", "Monitor: the result is reported, not rated"),
        ("TBC", "bigger", "", "To be confirmed: not rated until a target is set"),
        ("Not due", "bigger", "", "Not due this quarter: not rated"),
        ("Annual", "bigger", "annual", "Not due this quarter: not rated"),
    ],
)
def test_every_kind_of_target_says_how_it_rates(target, polarity, measure, words):
    assert words in ratings.target_rule(target, polarity, measure)


def test_at_any_point_in_time_targets_rate_like_numbers():
    assert ratings.kpi_rag(4, "3 at any point in time", "bigger") == "G"
    assert ratings.kpi_rag(2, "3 at any point in time", "bigger") == "R"


def test_a_re_phased_cumulative_target_is_pointed_out(client, plan):  # noqa: F811
    # 000:858 Q1 target 25; 000:1218 Q2 target 16 "A reduced cumulative target in Q2 (from Q1)" (000:1238).
    report = services.build_report(plan[2])
    staff = next(
        k
        for p in report["priorities"]
        for k in p["kpis"]
        if k["name"] == "Number of staff to receive training across the partnership"
    )
    assert staff["rephased"] == "Re-phased: the cumulative target was 25 in Q1 2019/20 and is 16 now"
    assert "Re-phased: the cumulative target was 25" in page_text(parse(client.get("/reporting/2019-20-Q2")))
    training = next(
        k
        for p in report["priorities"]
        for k in p["kpis"]
        if k["name"] == "Training sessions delivered across the partnership"
    )
    assert training["rephased"] == ""  # stays at 2 (000:1236)
