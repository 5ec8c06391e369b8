"""Faith covenant pages in a real browser: no WCAG 2.2 A/AA violations, no CSP or script errors."""

from datetime import date

import pytest

from app.covenant.models import CovenantPledge
from app.directory import services as directory_services
from app.extensions import db

from ..conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def pledge(organisation, wards):
    item = CovenantPledge(
        organisation=organisation,
        faith="interfaith",
        signatory_name="A Person",
        signatory_role="Chair",
        contact_email="a@example.org",
        date_signed=date(2021, 11, 15),
        renewal_due=date(2024, 11, 15),
        status="pending",
        ward_code="E05013643",
    )
    db.session.add(item)
    db.session.commit()
    return item


@pytest.mark.parametrize("path", ["/covenant/", "/covenant/signatories", "/covenant/sign", "/covenant/sign/sent"])
def test_public_covenant_pages_are_accessible(live_server, page, pledge, path, check_page):
    pledge.status = "approved"
    db.session.commit()
    page.goto(live_server + path)
    check_page()


def test_pledge_in_the_browser_then_officer_page(live_server, page, organisation, make_user, pledge, check_page):
    directory_services.set_search_fields(organisation)  # as every listing written through the directory has
    db.session.commit()
    page.goto(live_server + "/covenant/sign")
    page.get_by_role("button", name="Send pledge").click()
    page.locator(".govuk-error-summary").wait_for()
    check_page()
    # Type a few letters and pick the suggestion with the keyboard (the organisation chooser, issue 16).
    box = page.get_by_label("Organisation", exact=True)
    box.press_sequentially("multi fa", delay=40)
    page.locator("#organisation_name__listbox").get_by_role("option", name=organisation.name).wait_for()
    box.press("ArrowDown")  # moves the focus to the first suggestion
    page.keyboard.press("Enter")
    assert box.input_value() == organisation.name
    page.get_by_label("Jewish").check()
    page.get_by_label("Name of the person signing").fill("Ruth Cohen")
    page.get_by_label("Their role in the organisation").fill("Secretary")
    page.get_by_label("Email address", exact=True).fill("ruth@example.org")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2024")
    page.get_by_label("What your organisation commits to do").fill("Host interfaith events")
    page.get_by_label("We sign up to the Barnet Faith Covenant", exact=False).check()
    page.get_by_role("button", name="Send pledge").click()
    page.get_by_text("Pledge sent").first.wait_for()
    check_page()

    officer = make_user("strategy_officer")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server + "/covenant/pledges")
    assert "Ruth Cohen" in page.content()
    check_page()
    page.goto(live_server + f"/covenant/pledges/{pledge.id}")
    check_page()
