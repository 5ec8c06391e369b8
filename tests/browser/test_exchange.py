"""Open data and feed imports in a real browser: accessible pages, and an officer checking a feed served on
loopback, then importing it."""

import pytest

from app.exchange.models import FeedRecord
from app.extensions import db

from ..directory_helpers import make_listing
from ..test_exchange_feeds import Feed_
from .conftest import run_axe, sign_in_page

pytestmark = pytest.mark.browser


def accessible(page):
    assert page.locator("h1").count() == 1
    assert run_axe(page) == []
    assert page.console_problems == []
    return True


def test_the_open_data_page_is_accessible(live_server, page, wards):
    page.goto(live_server + "/open-data")
    assert accessible(page)
    assert (
        page.get_by_role("link", name="Open Referral UK, tables (zip of CSV files)").get_attribute("href")
        == "/open-data/directory-hsds-tables.zip"
    )


def test_an_officer_checks_a_feed_then_imports_it(app, live_server, page, make_user, wards, taxonomies):
    app.config["FEED_ALLOW_PRIVATE_ADDRESSES"] = True
    remote = Feed_()
    try:
        make_listing("Colindale Food Bank", postcode="NW9 4EW", categories=["Food"])
        officer = make_user("strategy_officer")
        sign_in_page(page, live_server, officer.email)

        page.goto(live_server + "/directory/import/feeds")
        assert accessible(page)
        page.get_by_label("Name of the directory").fill("Enfield Connected")
        page.get_by_label("Address of its Open Referral UK API").fill("not a web address")
        page.get_by_role("button", name="Save feed").click()
        page.locator(".govuk-error-summary").wait_for()
        assert accessible(page)
        page.get_by_label("Address of its Open Referral UK API").fill(remote.url)
        page.get_by_role("button", name="Save feed").click()
        page.get_by_role("heading", name="Enfield Connected", level=1).wait_for()
        assert accessible(page)

        page.get_by_role("button", name="Check the feed (dry run)").click()
        page.get_by_text("Record by record").wait_for()
        assert accessible(page)
        assert "Would be created" in page.locator("table").inner_text()
        assert db.session.scalar(db.select(db.func.count(FeedRecord.id))) == 0
        page.get_by_role("button", name="Import now").click()
        page.get_by_text("Record by record").wait_for()
        assert accessible(page)
        page.get_by_role("link", name="Enfield Food Share").click()
        page.get_by_text("This listing comes from Enfield Connected's directory").wait_for()
        assert accessible(page)
    finally:
        remote.stop()
        app.config["FEED_ALLOW_PRIVATE_ADDRESSES"] = False
