"""The listing editor as a task list in a real browser, on a desktop and at 375 px (issue 15 item 2): a group
adds a second service with two opening times on Monday and a holiday closure, and a second place, and sends
it; the officer approves; the listing shows both. Every page is checked (one h1, axe-core, no console errors)."""

import pytest

from ..conftest import TEST_PASSWORD
from ..factories.directory import add_postcodes, make_listing

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def food_bank(app, wards, taxonomies):
    add_postcodes()
    return make_listing(
        "Colindale Food Bank",
        description="Free food parcels",
        categories=["Food"],
        postcode="NW9 4EW",
        hours=[{"weekday": 2, "opens_at": "10:00", "closes_at": "14:00"}],
    )


def _sign_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your account").wait_for()


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_group_adds_a_service_and_a_place_and_the_officer_approves(
    live_server, page, check_page, food_bank, make_user, viewport
):
    page.set_viewport_size(viewport)
    editor = make_user("group_editor", organisations=[food_bank])
    officer = make_user("strategy_officer")
    _sign_in(page, live_server, editor.email)

    page.goto(live_server + "/directory/mine")
    page.get_by_role("link", name="Edit Colindale Food Bank").click()
    page.get_by_role("heading", name="Edit the listing", level=1).wait_for()
    check_page("task list")
    assert _no_sideways_scroll(page)

    # A second place.
    page.get_by_role("link", name="Locations").click()
    page.get_by_role("heading", name="Locations", level=1).wait_for()
    check_page("locations")
    page.get_by_role("link", name="Add another place").click()
    page.get_by_role("heading", name="Add a place", level=1).wait_for()
    check_page("add a place")
    page.get_by_label("Name of the building or place").fill("St Mary's Hall")
    page.get_by_label("Address line 1").fill("1 Church Lane")
    page.get_by_label("Postcode").fill("nw4 4bg")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="St Mary's Hall", level=3).wait_for()
    page.get_by_role("link", name="Continue").click()

    # A second service, run at the new place, with two times on Monday and a closure.
    page.get_by_role("link", name="Services and opening hours").click()
    page.get_by_role("heading", name="Services and opening hours", level=1).wait_for()
    page.get_by_role("link", name="Add another service").click()
    page.get_by_role("heading", name="Add a service", level=1).wait_for()
    check_page("add a service")
    page.get_by_label("Name of the service or activity").fill("Advice drop-in")
    page.get_by_label("Describe the service").fill("Help with benefits and debt")
    page.get_by_label("St Mary's Hall, 1 Church Lane, NW4 4BG").check()
    page.get_by_role("button", name="Save and set opening times").click()
    page.get_by_role("heading", name="Opening times of Advice drop-in", level=1).wait_for()
    check_page("opening times")
    assert _no_sideways_scroll(page)
    page.get_by_label("Monday, time 1: Opens").fill("09:00")
    page.get_by_label("Monday, time 1: Closes").fill("12:00")
    page.get_by_role("button", name="Save and add more times or closures").click()
    page.get_by_label("Monday, time 2: Opens").wait_for()
    page.get_by_label("Monday, time 2: Opens").fill("13:00")
    page.get_by_label("Monday, time 2: Closes").fill("17:00")
    starts = page.locator("input[name=closure_0_starts]")
    for n, value in enumerate(("24", "12", "2026")):
        starts.nth(n).fill(value)
    ends = page.locator("input[name=closure_0_ends]")
    for n, value in enumerate(("2", "1", "2027")):
        ends.nth(n).fill(value)
    page.get_by_label("Closure 1: reason (optional)").fill("Christmas")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Services and opening hours", level=1).wait_for()
    check_page("services")
    assert page.get_by_text("Monday: 09:00 to 12:00 and 13:00 to 17:00").is_visible()
    page.get_by_role("link", name="Continue").click()

    # Check and send.
    page.get_by_role("link", name="Check your answers and send").click()
    page.get_by_role("heading", name="Check your answers before sending them").wait_for()
    check_page("check your answers")
    assert _no_sideways_scroll(page)
    assert page.get_by_text("Closed 24 December 2026 to 2 January 2027: Christmas").first.is_visible()
    page.get_by_label("Note for the council (optional)").fill("We now run an advice drop-in")
    page.get_by_role("button", name="Send for approval").click()
    page.get_by_text("Your changes have been sent to the council").wait_for()

    # The officer approves.
    _sign_in(page, live_server, officer.email)
    page.goto(live_server + "/directory/moderation")
    page.get_by_role("link", name="Colindale Food Bank").click()
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Approved: Colindale Food Bank").wait_for()

    page.goto(live_server + "/directory/colindale-food-bank")
    page.get_by_role("heading", name="Colindale Food Bank", level=1).wait_for()
    check_page("listing")
    assert page.get_by_role("heading", name="Advice drop-in").is_visible()
    assert page.get_by_text("Monday 09:00 to 12:00 and 13:00 to 17:00").is_visible()
    assert page.get_by_text("1 Church Lane").first.is_visible()
    assert page.get_by_text("Closed 24 December 2026 to 2 January 2027: Christmas").is_visible()


def test_registering_a_group_through_the_task_list(live_server, page, check_page, app, wards, taxonomies):
    add_postcodes()
    page.goto(live_server + "/directory/register")
    check_page("start")
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("heading", name="Your group’s listing", level=1).wait_for()
    check_page("task list")
    page.get_by_role("link", name="Check your answers and send for approval").wait_for(state="detached")
    page.get_by_role("link", name="Your details").click()
    page.get_by_label("Your full name").wait_for()
    check_page("your details")
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()
    check_page("your details with errors")
    page.get_by_label("Your full name").fill("Amira Khan")
    page.get_by_label("Your email address").fill("amira@newgroup.example")
    page.get_by_label("Your role in the organisation").fill("Chair")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Your group’s listing", level=1).wait_for()
    page.get_by_role("link", name="About the group").click()
    page.get_by_label("Name of the organisation").wait_for()
    check_page("about the group")
    page.get_by_label("Name of the organisation").fill("Burnt Oak Knit and Natter")
    page.get_by_label("What the organisation does").fill("Knitting and friendship")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Your group’s listing", level=1).wait_for()
    page.get_by_role("link", name="Services and opening hours").click()
    page.get_by_role("link", name="Add a service").click()
    page.get_by_label("Name of the service or activity").fill("Knitting circle")
    page.get_by_label("Describe the service").fill("Bring wool, or borrow ours")
    page.get_by_label("Anywhere in the borough").check()
    page.get_by_role("button", name="Save and set opening times").click()
    page.get_by_label("Tuesday, time 1: Opens").fill("14:00")
    page.get_by_label("Tuesday, time 1: Closes").fill("16:00")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("link", name="Check your answers and send for approval").click()
    page.get_by_role("button", name="Send for approval").wait_for()
    check_page("check your answers")
    page.get_by_role("button", name="Send for approval").click()
    page.get_by_text("Registration sent").wait_for()
    check_page("sent")
