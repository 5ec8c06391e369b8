"""A resident's journeys through the directory on a phone (375 px) and a desktop: search, filter, switch
between the list and the map, open a listing, and find the call and directions links. Every page is checked
with axe-core, and screenshots are kept (SCREENSHOT_DIR, default a temporary folder) to look at."""

import os

import pytest

from app.extensions import db

from ..directory_helpers import add_postcodes, make_listing
from .conftest import run_axe, wait_until

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def listings(app, wards, taxonomies):
    add_postcodes()
    every_day = [{"weekday": d, "opens_at": "00:00", "closes_at": "23:59"} for d in range(7)]
    food = make_listing(
        "Colindale Food Bank",
        description="Free food parcels for anyone in need.",
        categories=["Food"],
        postcode="NW9 4EW",
        hours=every_day,
        accessibility=["Step-free access"],
    )
    food.phone, food.email, food.website = "020 8359 2000", "help@food.example", "https://food.example/"
    make_listing(
        "Hendon Youth Club", description="Sport and music for young people.", categories=["Youth"], postcode="NW4 4BG"
    )
    make_listing(
        "Finchley Youth Theatre", description="Drama for young people.", categories=["Youth"], postcode="N12 0GA"
    )
    make_listing("Barnet Phone Befriending", description="Calls for older people.", categories=["Older people"])
    db.session.commit()


@pytest.fixture
def shots(tmp_path):
    folder = os.environ.get("SCREENSHOT_DIR") or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    return lambda page, name: page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _context(browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.console_problems = []
    page.on("pageerror", lambda error: page.console_problems.append(str(error)))
    page.on("console", lambda m: page.console_problems.append(m.text) if m.type == "error" else None)
    return context, page


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_search_from_the_home_page_filter_and_open_a_listing(live_server, browser, listings, shots, viewport):
    context, page = _context(browser, viewport)
    phone = viewport is PHONE
    page.goto(live_server + "/")
    page.get_by_label("Search for a group or service").fill("young people")
    page.get_by_role("button", name="Search").click()
    heading = page.locator("#results-heading")
    heading.wait_for()
    assert heading.inner_text() == "2 results"
    # Results start near the top: on a phone within the first screen and a half, not below every filter.
    # Measured once GOV.UK Frontend has folded the phone's menu away (its script runs after the page is
    # parsed: measured before, under load, the heading stood 250 px lower, below the unfolded menu).
    page.wait_for_load_state("load")
    top = heading.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    assert top < (700 if phone else 400), top
    filters = page.locator("details#filters")
    assert filters.evaluate("el => el.open") is (not phone)
    assert run_axe(page) == [] and _no_sideways_scroll(page)
    shots(page, f"results-{viewport['width']}")

    # Filter by category (on a phone, open the fold first).
    if phone:
        page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Category").select_option(label="Youth")
    page.get_by_label("Near postcode").fill("NW4 4BG")
    page.get_by_label("Within").select_option("2")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("1 result within 2 miles of NW4 4BG").wait_for()
    assert page.get_by_text("Filters (2 applied)").is_visible()
    assert page.get_by_text("less than 0.1 miles away").is_visible()
    assert run_axe(page) == [] and _no_sideways_scroll(page)
    shots(page, f"filtered-{viewport['width']}")

    page.get_by_role("link", name="Hendon Youth Club").click()
    page.get_by_role("heading", name="Hendon Youth Club", level=1).wait_for()
    wait_until(page, "document.querySelector('[data-points-loaded]') !== null")
    assert run_axe(page) == [] and _no_sideways_scroll(page)
    assert page.console_problems == []
    context.close()


def test_on_a_phone_the_list_and_the_map_take_turns(live_server, browser, listings, shots):
    context, page = _context(browser, PHONE)
    page.goto(live_server + "/directory/?category=category/youth")
    page.locator("#results-heading").wait_for()
    switch = page.locator("[data-portal-view-switch]")
    assert switch.is_visible()
    assert page.locator("#results-list").is_visible() and not page.locator("#results-map").is_visible()
    page.get_by_role("button", name="Map").click()
    assert page.get_by_role("button", name="Map").get_attribute("aria-pressed") == "true"
    assert page.locator("#results-map").is_visible() and not page.locator("#results-list").is_visible()
    wait_until(page, "document.querySelector('[data-points-loaded=\"2\"]') !== null")
    assert page.locator("#results-map .leaflet-marker-icon").count() >= 1
    assert run_axe(page) == []
    shots(page, "results-map-375")
    page.get_by_role("button", name="List").click()
    assert page.locator("#results-list").is_visible() and not page.locator("#results-map").is_visible()
    assert page.console_problems == []
    context.close()


def test_on_a_desktop_the_list_and_the_map_sit_side_by_side(live_server, browser, listings):
    context, page = _context(browser, DESKTOP)
    page.goto(live_server + "/directory/?category=category/youth")
    wait_until(page, "document.querySelector('[data-points-loaded=\"2\"]') !== null")
    assert not page.locator("[data-portal-view-switch]").is_visible()
    listing = page.locator("#results-list").bounding_box()
    map_box = page.locator("#results-map").bounding_box()
    assert map_box["x"] >= listing["x"] + listing["width"] - 1  # beside, not below
    assert abs(map_box["y"] - listing["y"]) < 5
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_listing_puts_contact_and_directions_first(live_server, browser, listings, shots, viewport):
    context, page = _context(browser, viewport)
    page.goto(live_server + "/directory/colindale-food-bank")
    call = page.get_by_role("link", name="Phone: 020 8359 2000")
    assert call.get_attribute("href") == "tel:+442083592000"
    # The phone number is on the first screen, even on a phone.
    assert call.bounding_box()["y"] < viewport["height"]
    assert page.get_by_role("link", name="Email: help@food.example").get_attribute("href") == "mailto:help@food.example"
    directions = page.get_by_role("link", name="Directions to Colindale Food Bank base")
    assert directions.get_attribute("href").startswith(
        "https://www.openstreetmap.org/directions?route=%3B51.59762%2C-0.24502"
    )
    assert page.get_by_text("Open now, until 23:59").is_visible()
    wait_until(page, "document.querySelector('[data-points-loaded=\"1\"]') !== null")
    assert run_axe(page) == [] and _no_sideways_scroll(page)
    shots(page, f"listing-{viewport['width']}")
    # On paper: no map, no navigation, the contact details kept.
    page.emulate_media(media="print")
    assert not page.locator(".portal-map").is_visible() and not page.locator(".govuk-header").is_visible()
    assert call.is_visible()
    assert page.console_problems == []
    context.close()
