"""The organisation chooser in a real browser (issue 16), at desktop width and at 375 px: typing a few letters
brings suggestions from the directory (accessible-autocomplete), one is picked with the keyboard, and the
person joins the CTN linked to that listing; a name typed without picking that matches several listings
brings the question back as radios. Every page passes axe-core with no CSP or script errors."""

import pytest

from app.ctn import services
from app.extensions import db

from ..factories.directory import make_listing
from .conftest import sign_in_page, wait_until

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)


@pytest.fixture
def listings(app, wards):
    names = ["Barnet Community Food Bank", "Barnet Community Centre", "Friends of Montrose Park", "Hendon Youth Club"]
    found = {name: make_listing(name) for name in names}
    make_listing("Barnet Community Secret Shelter", published=False)
    return found


def _about_me(page, email):
    page.get_by_label("Full name").fill("Browser Person")
    page.get_by_label("Email address").fill(email)


def _agree_and_join(page):
    page.get_by_label("Voluntary or community sector (VCFS)").check()
    page.get_by_label("I agree to the statement above").check()
    page.get_by_role("button", name="Join the network").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_typing_a_few_letters_and_picking_a_suggestion_with_the_keyboard(
    live_server, page, listings, check_page, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/ctn/join")
    wait_until(page, "document.querySelector('.autocomplete__wrapper') !== null")
    check_page(f"join page at {width}px")
    _about_me(page, f"picker{width}@example.org")

    box = page.get_by_label("Organisation (optional)")
    assert "organisation_name-hint" in box.get_attribute("aria-describedby").split()  # its hint is read with it
    box.click()
    box.press_sequentially("barn comm", delay=40)
    options = page.locator("#organisation_name__listbox").get_by_role("option")
    options.filter(has_text="Barnet Community Centre").wait_for()
    assert sorted(options.all_inner_texts()) == ["Barnet Community Centre", "Barnet Community Food Bank"]
    check_page(f"suggestions open at {width}px")
    # The list fits the phone's screen.
    menu = page.locator(".autocomplete__menu").bounding_box()
    assert menu["x"] >= 0 and menu["x"] + menu["width"] <= width

    box.press("ArrowDown")
    box.press("ArrowDown")
    picked = page.locator(".autocomplete__option--focused").inner_text()
    page.keyboard.press("Enter")
    assert box.input_value() == picked
    assert page.locator("input[name=organisation_id]").input_value() == str(listings[picked].id)

    _agree_and_join(page)
    page.get_by_role("heading", name="Check your email").wait_for()
    member = services.member_by_email(f"picker{width}@example.org")
    db.session.refresh(member)
    assert member.organisation_id == listings[picked].id


@pytest.mark.parametrize("width", WIDTHS)
def test_a_name_typed_without_picking_that_matches_several_asks_which(live_server, page, listings, check_page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/ctn/join")
    wait_until(page, "document.querySelector('.autocomplete__wrapper') !== null")
    _about_me(page, f"typist{width}@example.org")
    box = page.get_by_label("Organisation (optional)")
    box.fill("Barnet Community")
    listbox = page.locator("#organisation_name__listbox")
    listbox.get_by_role("option").first.wait_for()
    box.press("Escape")  # close the suggestions without picking one
    listbox.wait_for(state="hidden")
    _agree_and_join(page)

    page.locator(".govuk-error-summary").wait_for()
    check_page(f"which organisation at {width}px")
    question = page.get_by_role("group", name="Which organisation do you mean?")
    assert question.get_by_role("radio").count() == 3  # the two listings and "not listed", never the hidden one
    question.get_by_label("Barnet Community Centre").check()
    page.get_by_label("I agree to the statement above").check()
    page.get_by_role("button", name="Join the network").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    member = services.member_by_email(f"typist{width}@example.org")
    db.session.refresh(member)
    assert member.organisation_id == listings["Barnet Community Centre"].id


def test_a_suggestion_shows_a_name_as_text_never_as_markup(live_server, page, listings, check_page):
    make_listing('Mill Hill <b>Bold</b> <img src=x onerror="window.hacked=1"> Club')
    page.goto(live_server + "/ctn/join")
    wait_until(page, "document.querySelector('.autocomplete__wrapper') !== null")
    box = page.get_by_label("Organisation (optional)")
    box.press_sequentially("mill hill bo", delay=40)
    option = page.locator("#organisation_name__listbox").get_by_role("option").filter(has_text="Mill Hill")
    option.wait_for()
    assert option.inner_text() == 'Mill Hill <b>Bold</b> <img src=x onerror="window.hacked=1"> Club'
    assert page.locator("#organisation_name__listbox b, #organisation_name__listbox img").count() == 0
    assert page.evaluate("window.hacked === undefined")
    check_page()


def test_an_officer_is_offered_a_listing_not_yet_published_labelled_as_such(live_server, page, listings, make_user):
    officer = make_user("strategy_officer")
    sign_in_page(page, live_server, officer.email)
    page.goto(live_server + "/assets-register/new")
    wait_until(page, "document.querySelector('.autocomplete__wrapper') !== null")
    box = page.locator("#organisation_name")
    box.click()
    box.press_sequentially("barn comm", delay=40)
    options = page.locator("#organisation_name__listbox").get_by_role("option")
    options.filter(has_text="not published").wait_for()
    assert sorted(options.all_inner_texts()) == [
        "Barnet Community Centre",
        "Barnet Community Food Bank",
        "Barnet Community Secret Shelter (not published)",
    ]
    options.filter(has_text="not published").click()
    # The box holds the listing's name (what the server matches), not the label.
    assert box.input_value() == "Barnet Community Secret Shelter"
