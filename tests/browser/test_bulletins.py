"""Bulletin pages in a real browser: no WCAG 2.2 A/AA violations, no CSP or script errors; the progress bar
is updated by its external module script while a bulletin is being sent."""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.bulletins import services
from app.bulletins.demo import load_demo
from app.bulletins.models import D_SENT, Bulletin, BulletinDelivery
from app.extensions import db

from ..factories.bulletins import make_bulletin
from ..factories.ctn import make_members
from .conftest import sign_in_page

pytestmark = pytest.mark.browser


def _sign_in(page, live_server, make_user):
    officer = make_user("strategy_officer")
    sign_in_page(page, live_server, officer.email)


def test_public_archive_and_bulletin_pages_are_accessible(live_server, page, organisation, check_page):
    make_members(2)
    load_demo()
    bulletin = db.session.scalar(db.select(Bulletin))
    for path in ("/bulletins/", f"/bulletins/{bulletin.id}"):
        page.goto(live_server + path)
        check_page()
    delivery = db.session.scalar(db.select(BulletinDelivery))
    from app.bulletins.message import unsubscribe_token

    for path in (f"/bulletins/unsubscribe/{unsubscribe_token(delivery.id)}", "/bulletins/unsubscribe/not-a-token"):
        page.goto(live_server + path)
        check_page()


def test_compose_preview_and_officer_pages_are_accessible(live_server, page, make_user, wards, check_page):
    _sign_in(page, live_server, make_user)
    page.goto(live_server + "/bulletins/manage")
    check_page()
    page.get_by_role("link", name="Write a bulletin").click()
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error:")
    check_page()
    page.get_by_label("Title").fill("CTN Bulletin, 28 November 2019")
    page.get_by_label("Introduction (optional)").fill("Welcome to the **bulletin**.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("Heading").wait_for()  # the item page has loaded (a check of the last page would flake)
    check_page()
    page.get_by_label("Funding opportunities").check()
    page.get_by_label("Heading").fill("Lottery funding")
    page.get_by_label("Text").fill("Apply by **Friday**. See [the fund](https://example.org).")
    page.get_by_role("button", name="Save item").click()
    page.get_by_role("heading", name="Contents").wait_for()
    check_page()
    bulletin = db.session.scalar(db.select(Bulletin))
    for path in (
        f"/bulletins/manage/{bulletin.id}/preview",
        f"/bulletins/manage/{bulletin.id}/audience",
        f"/bulletins/manage/{bulletin.id}/schedule",
        f"/bulletins/manage/{bulletin.id}/send",
    ):
        page.goto(live_server + path)
        check_page()
    page.goto(live_server + f"/bulletins/manage/{bulletin.id}/preview")
    page.get_by_role("tab", name="As plain text").click()
    assert "Apply by Friday. See the fund (https://example.org)." in page.locator("pre").inner_text()


def test_the_progress_bar_follows_the_send(live_server, page, make_user, check_page):
    _sign_in(page, live_server, make_user)
    make_members(4)
    bulletin = make_bulletin()
    services.start_sending(bulletin, enqueue=False)  # queued; no worker in this test, so it stays 'sending'
    page.goto(live_server + f"/bulletins/manage/{bulletin.id}")
    progress = page.locator("progress#delivery-progress")
    assert progress.get_attribute("value") == "0"
    assert page.get_by_role("link", name="Refresh the figures").is_visible()
    check_page()
    # Two messages go out: the page catches up without a reload.
    rows = db.session.scalars(db.select(BulletinDelivery).order_by(BulletinDelivery.id).limit(2)).all()
    for row in rows:
        row.state = D_SENT
    db.session.commit()
    expect(page.locator("[data-figure=sent]")).to_have_text("2", timeout=10000)
    assert progress.evaluate("element => element.value") == 50
    assert "2 of 4 done (50%)" in page.locator("#delivery-message").inner_text()
    assert page.console_problems == []
    # It finishes: the page reloads by itself and its status says what happened.
    for row in db.session.scalars(db.select(BulletinDelivery)):
        row.state = D_SENT
    bulletin = db.session.get(Bulletin, bulletin.id)
    bulletin.status, bulletin.sent_at = "sent", datetime.utcnow()
    db.session.commit()
    expect(page.locator("#bulletin-state")).to_contain_text("4 delivered, 0 failed, 0 not sent", timeout=10000)
    expect(page.locator("#delivery-heading")).to_have_text("Delivery: finished")
    assert "Sending" not in page.locator("#bulletin-state").inner_text()
    check_page("sent")


@pytest.mark.parametrize("width", [1280, 375])
def test_a_scheduled_bulletin_page_turns_into_the_progress_page_when_sending_starts(
    live_server, page, make_user, check_page, width
):
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, live_server, make_user)
    make_members(2)
    bulletin = make_bulletin()
    services.schedule(bulletin, datetime.utcnow() + timedelta(hours=1))
    page.goto(live_server + f"/bulletins/manage/{bulletin.id}")
    expect(page.locator("#bulletin-state")).to_contain_text("This page updates itself when sending starts")
    check_page("scheduled")
    services.start_sending(db.session.get(Bulletin, bulletin.id), enqueue=False)
    # The page asks every 15 seconds while waiting for the scheduled time.
    expect(page.locator("progress#delivery-progress")).to_be_visible(timeout=25000)
    expect(page.locator("#bulletin-state")).to_contain_text("This page updates itself until it has finished")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    check_page("sending")
