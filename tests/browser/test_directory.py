"""The directory in a real browser: accessible pages, and a resident's search."""

import pytest

from ..factories.directory import add_postcodes, make_listing
from .conftest import run_axe

pytestmark = pytest.mark.browser


@pytest.fixture
def listings(app, wards, taxonomies):
    add_postcodes()
    make_listing(
        "Colindale Food Bank",
        description="Free food parcels",
        categories=["Food"],
        postcode="NW9 4EW",
        accessibility=["Step-free access"],
        hours=[{"weekday": 2, "opens_at": "10:00", "closes_at": "14:00"}],
    )
    make_listing("Hendon Youth Club", description="Sport and music", categories=["Youth"], postcode="NW4 4BG")


@pytest.mark.parametrize(
    "path",
    [
        "/directory/",
        "/directory/?q=food&postcode=NW4+4BG&distance=5",
        "/directory/?q=zzzz",
        "/directory/?postcode=SW1A+1AA",
        "/directory/colindale-food-bank",
        "/directory/colindale-food-bank/report-a-problem",
        "/directory/colindale-food-bank/claim",
        "/directory/register",
    ],
)
def test_directory_page_is_accessible(live_server, page, listings, path):
    page.goto(live_server + path)
    assert page.locator("h1").count() == 1
    assert run_axe(page) == []
    assert page.console_problems == []


def test_resident_searches_near_a_postcode_and_opens_a_listing(live_server, page, listings):
    page.goto(live_server + "/directory/")
    page.get_by_label("Search for a group or service").fill("food")
    page.get_by_label("Near postcode").fill("nw4 4bg")
    page.get_by_label("Within").select_option("2")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 result within 2 miles of NW4 4BG").wait_for()
    assert page.get_by_text("0.9 miles away").is_visible()
    page.get_by_role("link", name="Colindale Food Bank").click()
    page.get_by_role("heading", name="Colindale Food Bank", level=1).wait_for()
    assert page.get_by_role("row", name="Wednesday 10:00 to 14:00").is_visible()


def test_editor_form_with_errors_is_accessible(live_server, page, listings, make_user):
    from app.directory.models import Organisation
    from app.extensions import db

    from ..conftest import TEST_PASSWORD

    org = db.session.scalar(db.select(Organisation).where(Organisation.slug == "colindale-food-bank"))
    editor = make_user("group_editor", organisations=[org])
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(editor.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server + "/directory/colindale-food-bank/edit")
    assert run_axe(page) == []
    page.goto(live_server + "/directory/colindale-food-bank/edit/about")
    page.get_by_label("Name of the organisation").fill("")
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Enter the name of the organisation" in page.locator(".govuk-error-summary").inner_text()
    assert run_axe(page) == []
    page.goto(live_server + "/directory/colindale-food-bank/edit/locations/1")
    page.get_by_label("Postcode", exact=True).fill("nonsense")
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Enter a real postcode" in page.locator(".govuk-error-summary").inner_text()
    assert run_axe(page) == []
    page.goto(live_server + "/directory/mine")
    assert run_axe(page) == []


def test_officer_moderation_pages_are_accessible(live_server, page, listings, make_user):
    from app.directory import services
    from app.directory.models import Organisation, ProblemReport
    from app.extensions import db

    from ..conftest import TEST_PASSWORD
    from ..factories.directory import listing

    org = db.session.scalar(db.select(Organisation).where(Organisation.slug == "colindale-food-bank"))
    services.submit_registration(
        listing("New Lunch Club", postcode="NW4 4BG"), {"name": "Ann", "email": "ann@example.org", "role": "Chair"}
    )
    edited = services.snapshot(org)
    edited["organisation"]["description"] = "Now with hot meals"
    editor = make_user("group_editor", organisations=[org])
    services.save_edit(org, edited, editor, org.version, 0)
    db.session.add(ProblemReport(organisation_id=org.id, problem="wrong-hours", details="Closed on Wednesdays now"))
    db.session.commit()
    officer = make_user("strategy_officer")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for path in [
        "/directory/moderation",
        "/directory/needs-checking",
        "/directory/problems",
        "/directory/colindale-food-bank/history",
    ]:
        page.goto(live_server + path)
        assert run_axe(page) == [], path
    page.goto(live_server + "/directory/moderation")
    page.get_by_role("link", name="Colindale Food Bank").click()
    page.get_by_text("Now with hot meals").wait_for()
    assert run_axe(page) == []
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Approved: Colindale Food Bank").wait_for()
    assert page.console_problems == []
