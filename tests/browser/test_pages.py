"""Every public page in a real browser: no WCAG 2.2 A/AA violations, no CSP or script errors."""

import pytest

from app.directory import services as directory_services
from app.extensions import db

from ..conftest import TEST_PASSWORD
from .conftest import run_axe, wait_until

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/wards",
    "/wards?set=2002",
    "/wards/E05013643",
    "/wards/E05000055",
    "/accessibility",
    "/cookies",
    "/sign-in",
    "/password/forgot",
    "/password/reset/not-a-token",
    "/no-such-page",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(live_server, page, wards, path, check_page):
    page.goto(live_server + path)
    check_page()  # GOV.UK Frontend's start-up script ran under the CSP (it needs the nonce), no axe violations


def test_skip_link_moves_focus_to_the_main_content(live_server, page, wards):
    page.goto(live_server + "/wards")
    page.keyboard.press("Tab")
    skip = page.locator(".govuk-skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_form_errors_are_announced_and_accessible(live_server, page):
    page.goto(live_server + "/sign-in")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter your email address" in summary.inner_text()
    # GOV.UK Frontend moves focus to the error summary so screen readers announce it.
    wait_until(page, "document.activeElement.classList.contains('govuk-error-summary')", timeout=5)
    assert page.title().startswith("Error:")
    assert run_axe(page) == []


def test_officer_signs_in_and_invites_someone_in_the_browser(live_server, page, make_user, organisation):
    officer = make_user("strategy_officer")
    directory_services.set_search_fields(organisation)  # as every listing written through the directory has
    db.session.commit()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your account").wait_for()
    assert run_axe(page) == []
    page.goto(live_server + "/people/invite")
    assert run_axe(page) == []
    page.get_by_label("Full name").fill("Sam Green")
    page.get_by_label("Email address").fill("sam@group.example")
    # The organisation chooser (issue 16): type a few letters, pick the suggestion with the keyboard.
    box = page.get_by_label("Add an organisation this person may edit")
    box.press_sequentially("multi fa", delay=40)
    page.locator("#organisation_name__listbox").get_by_role("option", name=organisation.name).wait_for()
    box.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to sam@group.example").wait_for()
    assert run_axe(page) == []
    assert page.console_problems == []
