"""The published quarterly report and its KPI trend pages in a real browser: WCAG 2.2 AA, no CSP errors."""

import pytest

from app.extensions import db
from app.reporting import demo
from app.reporting.models import Kpi

from ..conftest import TEST_PASSWORD
from .conftest import run_axe

pytestmark = pytest.mark.browser


@pytest.fixture
def plan(app):
    demo.load_demo()


@pytest.mark.parametrize("path", ["/reporting/", "/reporting/2019-20-Q1", "/reporting/2019-20-Q2"])
def test_public_report_pages_are_accessible(live_server, page, plan, path):
    page.goto(live_server + path)
    assert page.locator("h1").count() == 1
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    assert run_axe(page) == []
    assert page.console_problems == []


def test_kpi_trend_chart_is_accessible(live_server, page, plan):
    kpi_id = db.session.scalar(
        db.select(Kpi.id).where(Kpi.name == "Number of new residents registering to be a volunteer")
    )
    page.goto(f"{live_server}/reporting/2019-20-Q2/kpis/{kpi_id}")
    chart = page.get_by_role("img", name="Number of new residents registering to be a volunteer: results by quarter")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 300
    assert page.get_by_role("table").count() == 1
    assert run_axe(page) == []
    assert page.console_problems == []


def test_officer_enters_a_result_in_the_browser(live_server, page, plan, make_user):
    from app.reporting import services

    services.create_period(2019, 3)
    officer = make_user("performance_officer")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server + "/reporting/2019-20-Q3/edit")
    assert run_axe(page) == []
    page.get_by_role("link", name="Change Number of Funders Fairs").click()
    page.get_by_label("Target for this quarter").fill("2")
    page.get_by_label("Result", exact=True).fill("1")
    page.get_by_role("button", name="Save result").click()
    row = page.locator("tr", has_text="Number of Funders Fairs")
    assert "Red (R)" in row.inner_text()  # 1 of 2 is 50% off target
    assert page.console_problems == []


def _sign_in(page, live_server, user):
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _text(page):
    return page.locator("main").inner_text()


def _no_horizontal_scroll(page):
    """At 375 px nothing but the scrollable table regions may be wider than the screen."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [1280, 375])
def test_officer_journey_enter_submit_with_warnings_approve_reopen(live_server, browser, plan, make_user, width):
    """The performance officer's main journey (issue 17): enter a result, submit with warnings, another
    officer approves, then reopens with a reason; axe-clean at each step, on a desktop and a 375 px phone."""
    from app.reporting import services

    services.create_period(2019, 3)
    officer = make_user("performance_officer", email=f"officer{width}@example.org")
    approver = make_user("admin", email=f"approver{width}@example.org")
    viewport = {"width": width, "height": 900}
    first = browser.new_context(viewport=viewport).new_page()
    _sign_in(first, live_server, officer)
    first.goto(live_server + "/reporting/2019-20-Q3/edit")
    first.get_by_role("link", name="Change PSPOs implemented").click()
    first.get_by_label("Target for this quarter").fill("3")
    first.get_by_label("Result", exact=True).fill("4")
    first.get_by_role("button", name="Save result").click()
    assert "Green (G)" in first.locator("tr", has_text="PSPOs implemented").first.inner_text()
    first.get_by_role("link", name="Check and submit for approval").click()
    warnings = first.locator("#submit-warnings")
    assert "25 KPIs not entered" in warnings.inner_text()
    assert "No budget forecast has been entered" in warnings.inner_text()
    assert run_axe(first) == []
    assert width > 400 or _no_horizontal_scroll(first)
    first.get_by_role("button", name="Submit with these warnings").click()
    assert "has been submitted for approval" in _text(first)

    second = browser.new_context(viewport=viewport).new_page()
    _sign_in(second, live_server, approver)
    second.goto(live_server + "/reporting/2019-20-Q3/edit")
    assert run_axe(second) == []
    second.get_by_role("button", name="Approve and publish").click()
    assert "is approved and published" in _text(second)
    second.get_by_role("link", name="Reopen for correction").click()
    second.wait_for_url("**/2019-20-Q3/reopen")
    assert run_axe(second) == []
    second.get_by_role("button", name="Reopen for correction").click()
    assert "Enter why the approved report needs to be reopened" in _text(second)
    second.get_by_label("Why does the approved report need to be reopened?").fill("PSPOs: Q3 count was 5")
    second.get_by_role("button", name="Reopen for correction").click()
    assert "open for correction as version 2" in _text(second)

    public = browser.new_context(viewport=viewport).new_page()
    public.goto(live_server + "/reporting/2019-20-Q3")
    assert "version 1" in _text(public) and "A correction is being prepared" in _text(public)
    assert public.get_by_role("img", name="KPI ratings by priority").is_visible()
    assert run_axe(public) == []
    assert width > 400 or _no_horizontal_scroll(public)
    public.goto(live_server + "/reporting/2019-20-Q3/versions")
    assert "PSPOs: Q3 count was 5" in _text(public)
    assert run_axe(public) == []
    for p in (first, second, public):
        p.context.close()
