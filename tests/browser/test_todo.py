"""The to-do list on /account for each role, and an officer's choice of e-mails, in Chromium at desktop width
and at 375 px: accessible (axe-core), no horizontal scrolling, every to-do link opens its page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.directory import services as directory
from app.directory.models import ProblemReport
from app.extensions import db
from app.timeutil import utcnow

from .conftest import sign_in_page

pytestmark = pytest.mark.browser
WIDTHS = [1280, 375]


def _sign_in(page, live_server, user):
    sign_in_page(page, live_server, user.email)


def _no_sideways_scroll(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", WIDTHS)
def test_a_strategy_officer_works_through_their_to_do_list(
    live_server, page, make_user, organisation, check_page, width
):
    page.set_viewport_size({"width": width, "height": 900})
    organisation.published = True
    db.session.commit()
    directory.submit_claim(organisation, {"name": "Priya Shah", "email": "priya@example.org"})
    db.session.add(ProblemReport(organisation_id=organisation.id, problem="closed", details="Closed in June"))
    db.session.commit()
    _sign_in(page, live_server, make_user("strategy_officer"))
    expect(page.get_by_role("heading", name="Your to-do list")).to_be_visible()
    check_page("account")
    _no_sideways_scroll(page, width)
    heading = page.get_by_role("heading", name="Listing changes to moderate")
    expect(heading).to_contain_text("1")
    page.get_by_role("link", name=f"Claim of {organisation.name}").click()
    expect(page.locator("h1")).to_contain_text(organisation.name)
    check_page("the change to moderate")
    page.goto(live_server + "/account")
    page.get_by_role("link", name="Problems reported with listings").click()
    expect(page.locator("h1")).to_have_text("Problems reported by residents")
    check_page("problems")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_officer_chooses_a_daily_digest(live_server, page, make_user, check_page, width):
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, live_server, make_user("performance_officer"))
    page.get_by_role("link", name="Change when we email you about your to-do list").click()
    page.wait_for_url("**/account/notifications")  # the settings page, not the one we left
    check_page("notifications")
    _no_sideways_scroll(page, width)
    page.get_by_label("Once a day, in a morning summary").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/account")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Once a day, in a morning summary")
    check_page("account after saving")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_group_editor_sees_their_own_to_do_and_no_page_they_cannot_open(
    live_server, page, make_user, organisation, check_page, width
):
    page.set_viewport_size({"width": width, "height": 900})
    organisation.published = True
    organisation.last_verified_at = utcnow() - timedelta(days=200)
    db.session.commit()
    _sign_in(page, live_server, make_user("group_editor", organisations=[organisation]))
    check_page("account")
    _no_sideways_scroll(page, width)
    expect(page.get_by_text("Quarterly performance reports")).to_have_count(0)
    hrefs = page.eval_on_selector_all("main a[href^='/']", "links => links.map(a => a.getAttribute('href'))")
    for href in sorted(set(hrefs)):
        response = page.request.get(live_server + href)
        assert response.status == 200, href
    page.get_by_role("link", name=f"Check the listing for {organisation.name} is still right").click()
    expect(page.locator("h1")).to_have_text("Your listings")
    check_page("your listings")
    page.goto(f"{live_server}/directory/{organisation.slug}")
    expect(page.get_by_text("Is this your organisation?")).to_have_count(0)
    check_page("own listing")
