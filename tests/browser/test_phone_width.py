"""Phones: no public page scrolls sideways at 375 px wide; wide tables scroll inside their own box.

The public pages are found by crawling the portal as a resident would (signed out, with the demo data), so a
new page is measured without anyone adding it to a list."""

import pytest

from ..crawler import crawl
from ..test_hostile_input import demo_portal  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
STARTS = [
    "/",
    "/directory/",
    "/directory/?q=community",
    "/directory/?q=youth&postcode=NW4+4BG&distance=5",
    "/wards",
    "/wards?set=2002",
    "/maps/directory",
    "/maps/assets",
    "/maps/wards",
    "/ctn/",
    "/ctn/meetings",
    "/covenant/",
    "/covenant/signatories",
    "/assets-register/",
    "/assets-register/acv",
    "/reporting/",
    "/bulletins/",
    "/open-data",
    "/api/oruk/v3/",
    "/accessibility",
    "/cookies",
    "/sign-in",
]
# Documents that are not pages a person reads on a phone.
NOT_PAGES = ("/sign-out", "/openapi", "/feed", ".ics", ".csv", ".json", "/print")


def test_no_public_page_scrolls_sideways_at_375_px(client, live_server, browser, demo_portal):  # noqa: F811
    pages, _ = crawl(client, STARTS, skip=NOT_PAGES, limit=160, per_shape=2)
    public = sorted(path for path, (status, html) in pages.items() if status == 200 and "<html" in html)
    assert len(public) >= 40, f"only {len(public)} public pages found: the crawl is not reaching the portal"
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    too_wide = []
    for path in public:
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        if width > PHONE["width"]:
            widest = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                         + (el.className && el.className.baseVal === undefined ? '.' + el.className.split(' ')[0] : ''))
                    .slice(0, 3)"""
            )
            too_wide.append((path, width, widest))
    context.close()
    assert too_wide == [], "pages wider than 375 px:\n" + "\n".join(map(str, too_wide))


def test_wide_tables_scroll_in_a_labelled_focusable_box(live_server, browser, demo_portal):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for path in ("/wards", "/maps/wards", "/assets-register/"):
        page.goto(live_server + path)
        boxes = page.locator(".portal-table-scroll")
        assert boxes.count() >= 1, path
        for i in range(boxes.count()):
            box = boxes.nth(i)
            assert box.get_attribute("role") == "region" and box.get_attribute("tabindex") == "0", path
            assert box.get_attribute("aria-labelledby") or box.get_attribute("aria-label"), path
    context.close()
