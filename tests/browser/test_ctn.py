"""CTN pages in a real browser: no WCAG 2.2 A/AA violations, no CSP or script errors."""

from datetime import timedelta

import pytest

from app.ctn import services
from app.ctn.demo import load_demo
from app.ctn.models import Meeting, Member
from app.extensions import db
from app.timeutil import utcnow

from .conftest import sign_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def ctn_data(app, organisation, wards):
    load_demo()
    start = utcnow().replace(hour=17, minute=0, second=0, microsecond=0) + timedelta(days=14)  # ends the same day
    meeting = Meeting(
        title="Winter open meeting",
        theme="Food security",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue_name="OneStoneGrove",
        capacity=30,
    )
    db.session.add(meeting)
    db.session.commit()
    return {"meeting": meeting, "member": db.session.scalar(db.select(Member).order_by(Member.id))}


def test_public_ctn_pages_are_accessible(live_server, page, ctn_data, check_page):
    past = db.session.scalar(db.select(Meeting).where(Meeting.extra_attendees == 30))
    for path in (
        "/ctn/",
        "/ctn/join",
        "/ctn/join/check-your-email",
        "/ctn/meetings",
        f"/ctn/meetings/{ctn_data['meeting'].id}",
        f"/ctn/meetings/{past.id}",
        f"/ctn/preferences/{ctn_data['member'].preferences_token}",
        "/ctn/confirm/not-a-real-token",
    ):
        page.goto(live_server + path)
        check_page()


def test_joining_in_the_browser_shows_accessible_errors_then_succeeds(live_server, page, ctn_data, check_page):
    page.goto(live_server + "/ctn/join")
    page.get_by_role("button", name="Join the network").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Select the sector you are part of" in summary.inner_text()
    assert page.title().startswith("Error:")
    check_page()
    page.get_by_label("Full name").fill("Browser Person")
    page.get_by_label("Email address").fill("browser.person@example.org")
    page.get_by_label("Faith group").check()
    page.get_by_label("Mental health").check()
    page.get_by_label("I agree to the statement above").check()
    page.get_by_role("button", name="Join the network").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert services.member_by_email("browser.person@example.org").status == "pending"


def test_booking_page_and_confirmation_in_the_browser(live_server, page, ctn_data, check_page):
    page.goto(live_server + f"/ctn/meetings/{ctn_data['meeting'].id}")
    page.get_by_label("Full name").fill("Booker Person")
    page.get_by_label("Email address").fill("booker@example.org")
    page.get_by_role("button", name="Book a place").click()
    # The page never says which (a place, the waiting list, booked already): the e-mail does.
    page.get_by_role("heading", name="Check your email").wait_for()
    check_page()


def test_officer_dashboard_and_meeting_pages_are_accessible(live_server, page, make_user, ctn_data, check_page):
    officer = make_user("strategy_officer")
    sign_in_page(page, live_server, officer.email)
    member = ctn_data["member"]
    for path in (
        "/ctn/manage?year=2019",
        "/ctn/manage/report/2019",
        "/ctn/manage/members",
        f"/ctn/manage/members/{member.id}",
        "/ctn/manage/members/import",
        "/ctn/manage/meetings",
        "/ctn/manage/meetings/new",
        f"/ctn/manage/meetings/{ctn_data['meeting'].id}",
        "/ctn/manage/themes",
    ):
        page.goto(live_server + path)
        check_page()
