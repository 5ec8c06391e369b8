"""Stored XSS: payloads typed into every free-text field stay inert when shown in a real browser.

The browser context bypasses our Content-Security-Policy on purpose, so this checks the escaping itself:
if any page echoed a payload unescaped, its script would run here.
"""

import pytest

from ..conftest import TEST_PASSWORD, sign_in
from ..crawler import crawl
from ..test_hostile_input import CRAWL_LIMIT, START_PAGES, XSS_IMG, XSS_SCRIPT, demo_portal, post_payload_everywhere  # noqa: F401

pytestmark = pytest.mark.browser


def test_stored_payloads_never_run_in_chromium(app, client, live_server, browser, demo_portal):  # noqa: F811
    assert sign_in(client, demo_portal.email).status_code == 302
    _, forms = crawl(client, START_PAGES, skip=("/sign-out", "/erase"), limit=CRAWL_LIMIT)
    assert post_payload_everywhere(client, forms, XSS_SCRIPT + XSS_IMG) == []
    pages, _ = crawl(client, START_PAGES, skip=("/sign-out", "/erase"), limit=CRAWL_LIMIT)
    showing = sorted(path for path, (status, html) in pages.items() if status == 200 and "window.__xss=1" in html)
    # The payload must have been stored and shown across the portal, or this test proves nothing.
    for section in ("/directory/", "/ctn/", "/assets-register/", "/covenant/", "/reporting/"):
        assert any(path.startswith(section) for path in showing), f"no page under {section} shows a payload: {showing}"

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(demo_portal.email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your account").wait_for()
    ran = []
    for path in showing:
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        if page.evaluate("window.__xss === 1"):
            ran.append(path)
    context.close()
    assert ran == [] and dialogs == []
