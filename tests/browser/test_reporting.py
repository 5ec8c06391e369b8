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
    kpi_id = db.session.scalar(db.select(Kpi.id).where(Kpi.name == "Number of new residents registering to be a volunteer"))
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
