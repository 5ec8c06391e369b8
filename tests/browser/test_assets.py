"""Community assets and ACV pages in a real browser: no WCAG 2.2 A/AA violations, no CSP or script errors."""

import pytest

from app.assets.models import CommunityAsset
from app.assets.services import london_today
from app.extensions import db

from ..conftest import TEST_PASSWORD
from ..factories.assets import make_nomination

pytestmark = pytest.mark.browser


@pytest.fixture
def register(wards):
    asset = CommunityAsset(
        name="Hendon Library",
        category="Spaces",
        kind="library",
        owner="council",
        address="The Burroughs",
        postcode="NW4 4BQ",
        ward_code="E05013643",
        bookable=True,
        booking_details="Ask at the desk",
        capacity=40,
    )
    db.session.add(asset)
    db.session.commit()
    nomination = make_nomination(
        body_name="Friends",
        body_number="123",
        site_name="Pavilion",
        site_address="Park Road",
        boundary_description="Railings",
        reasons="Used weekly",
    )
    nomination.status, nomination.listed_on, nomination.listing_expires = "listed", london_today(), london_today()
    nomination.decided_on = london_today()
    db.session.commit()
    return asset, nomination


@pytest.mark.parametrize(
    "path",
    [
        "/assets-register/",
        "/assets-register/?category=Spaces&bookable=yes",
        "/assets-register/{asset}",
        "/assets-register/acv",
        "/assets-register/acv/nominate",
        "/assets-register/acv/nominate/sent",
        "/assets-register/acv/listed",
        "/assets-register/acv/unsuccessful",
        "/assets-register/acv/register/{nomination}",
    ],
)
def test_public_asset_pages_are_accessible(live_server, page, register, path, check_page):
    asset, nomination = register
    page.goto(live_server + path.format(asset=asset.id, nomination=nomination.id))
    check_page()


def test_nomination_errors_are_accessible(live_server, page, check_page):
    page.goto(live_server + "/assets-register/acv/nominate")
    page.get_by_role("button", name="Send nomination").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "Enter the name of your group" in page.locator(".govuk-error-summary").inner_text()
    check_page()


def test_officer_pages_are_accessible(live_server, page, register, make_user, check_page):
    asset, nomination = register
    officer = make_user("strategy_officer")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for path in (
        "/assets-register/new",
        f"/assets-register/{asset.id}/edit",
        "/assets-register/acv/nominations",
        "/assets-register/acv/due",
        f"/assets-register/acv/nominations/{nomination.id}",
    ):
        page.goto(live_server + path)
        check_page()
