"""A live portal on loopback and Debian's Chromium driven by Playwright (never a downloaded browser)."""

import os
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from ..conftest import ROOT, TEST_PASSWORD, free_port

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = ROOT / "static" / "vendor" / "axe.min.js"
# Without these Chromium keeps trying to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def pytest_collection_modifyitems(config, items):
    missing = [str(p) for p in (Path(CHROMIUM), AXE) if not p.exists()]
    if not missing:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Browser tests must run in CI, but {', '.join(missing)} is missing")
    skip = pytest.mark.skip(reason=f"missing {', '.join(missing)} (run `make test`, which installs them)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(app):
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_problems = []

    def on_console(message):
        # An error page's own 4xx status is reported as a console error; anything else is a problem.
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource") and message.location.get("url") == page.url:
            return
        page.console_problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_problems.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def check_page(page):
    """check_page(): the page in `page` has one h1, ran GOV.UK Frontend's JavaScript, has no WCAG 2.2 A/AA
    violations (axe-core) and logged no console errors. Call it after each page a test opens."""

    def check(note=""):
        where = f"{note} ({page.url})" if note else page.url
        page.wait_for_load_state("load")  # a click's navigation may have only just committed the new document
        assert page.locator("h1").count() == 1, f"not one h1 on {where}"
        assert "govuk-frontend-supported" in page.evaluate("document.body.className"), (
            f"GOV.UK Frontend did not start on {where}"
        )
        assert run_axe(page) == [], where
        assert page.console_problems == [], where

    return check


def sign_in_page(page, live_server, email):
    """Sign `email` in through the sign-in form (every test account's password is TEST_PASSWORD) and wait for
    their account page."""
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account")


def run_axe(page):
    """WCAG 2.2 A and AA violations on the current page (axe-core loaded from our own static files).

    A test often calls this straight after a click that follows a link: the new document may have been
    committed with no <head> yet, or the old one may be torn down while the script is added. Wait for the
    page to load and try again, a few times, rather than fail on the race (seen in CI on PostgreSQL).
    """
    for attempt in range(4):
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(url="/static/vendor/axe.min.js")
            result = page.evaluate(
                """async () => await axe.run(document, {
                    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']},
                    resultTypes: ['violations'],
                })"""
            )
            break
        except PlaywrightError:
            if attempt == 3:
                raise
            time.sleep(0.1)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def wait_until(page, expression, timeout=10.0):
    """Poll a JavaScript expression until it is truthy.

    Playwright's wait_for_function evaluates string predicates with eval() inside the page once it has to
    poll, which our CSP (rightly) forbids; page.evaluate is not subject to the page's CSP.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        time.sleep(0.05)
