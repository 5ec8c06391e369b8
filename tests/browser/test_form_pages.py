"""Every form page, for every kind of visitor, asks its questions (issue 15 item 1).

The pages are found the way a person finds them (tests/crawler.py, with the demo data loaded), then opened in
Chromium: every fieldset must have legend text (the question of a radio or checkbox group), every field a
label, and the page one h1. Each kind of page also gets the full `check_page` (axe-core, GOV.UK Frontend, no
console errors) once, for the first visitor who sees it: a page's markup does not change with the role.

Every role's pages are crawled, but a page whose markup another visitor has already had checked in Chromium
(the same `<main>`, h1s and scripts, CSRF tokens and nonces aside) is not opened again: the browser would
build the same page from it. A form that differs by role (more questions for an administrator) is opened
for each role that sees a different one.
"""

import re

import pytest

from ..conftest import TEST_PASSWORD, sign_in
from ..crawler import crawl, shape
from ..test_hostile_input import START_PAGES, demo_portal  # noqa: F401

pytestmark = pytest.mark.browser

ROLES = [None, "group_editor", "strategy_officer", "performance_officer", "admin"]
SKIP = ("/sign-out", "/erase")

# What a person (and a screen reader) would miss, listed by the page itself.
PROBLEMS = """() => {
    const text = (el) => (el && el.textContent || '').trim();
    const problems = [];
    const h1s = document.querySelectorAll('h1').length;
    if (h1s !== 1) problems.push(`${h1s} h1 elements`);
    for (const fieldset of document.querySelectorAll('main fieldset')) {
        const legend = fieldset.querySelector(':scope > legend');
        if (!text(legend)) {
            const first = fieldset.querySelector('input, select, textarea');
            problems.push(`fieldset without a question (legend) around ${first ? first.name || first.id : 'nothing'}`);
        }
    }
    const fields = document.querySelectorAll('main input:not([type=hidden]):not([type=submit]):not([type=button])'
        + ':not([type=image]):not([type=reset]), main select, main textarea');
    for (const field of fields) {
        const labelled = [...field.labels].some((label) => text(label))
            || (field.getAttribute('aria-label') || '').trim()
            || (field.getAttribute('aria-labelledby') || '').split(/\\s+/).some((id) => text(document.getElementById(id)));
        if (!labelled) problems.push(`field without a label: ${field.name || field.id}`);
    }
    return problems;
}"""


def form_pages(client):
    """{path: html} of the pages with a form on them that this client's visitor can open, one of each kind."""
    pages, _ = crawl(client, START_PAGES, skip=SKIP, limit=300, per_shape=1)
    return {path: html for path, (status, html) in sorted(pages.items()) if status == 200 and "<form" in html}


MAIN = re.compile(r"<main\b.*</main>", re.S)
PER_REQUEST = re.compile(r'(name="csrf_token"[^>]*value=|nonce=)"[^"]*"')


def markup(html):
    """What the browser builds the checked parts of a page from: `<main>`, the number of h1s and the scripts
    (with this request's CSRF token and nonce taken out)."""
    main = MAIN.search(html)
    scripts = tuple(re.findall(r"<script[^>]*>", PER_REQUEST.sub("", html)))
    return (PER_REQUEST.sub("", main.group(0)) if main else html, html.count("<h1"), scripts)


def test_every_form_page_asks_a_question_for_each_group_and_labels_each_field(
    app,
    live_server,
    page,
    check_page,
    make_user,
    demo_portal,  # noqa: F811
):
    from app.directory.models import Organisation

    group = Organisation.query.order_by(Organisation.id).first()
    problems, seen_shapes, seen_markup, visited, found = [], set(), set(), 0, 0
    for role in ROLES:
        client = app.test_client()
        if role:
            user = (
                demo_portal
                if role == "admin"
                else make_user(role, organisations=[group] if role == "group_editor" else [])
            )
            assert sign_in(client, user.email).status_code == 302
        pages = form_pages(client)
        assert len(pages) >= (8 if role is None else 12), f"the crawl found only {list(pages)} as {role or 'a visitor'}"
        found += len(pages)
        signed_in = False
        for path, html in pages.items():
            if markup(html) in seen_markup:
                continue  # another visitor's identical page was checked in Chromium
            seen_markup.add(markup(html))
            if not signed_in:
                page.context.clear_cookies()
                if role:
                    page.goto(live_server + "/sign-in")
                    page.get_by_label("Email address").fill(user.email)
                    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
                    page.get_by_role("button", name="Sign in").click()
                    page.get_by_role("heading", name="Your account").wait_for()
                signed_in = True
            page.goto(live_server + path)
            visited += 1
            for problem in page.evaluate(PROBLEMS):
                problems.append(f"{path} ({role or 'visitor'}): {problem}")
            if shape(path) not in seen_shapes:
                seen_shapes.add(shape(path))
                try:
                    check_page(f"as {role or 'a visitor'}")
                except AssertionError as failed:
                    problems.append(f"{path} ({role or 'visitor'}): {failed}")
                page.console_problems.clear()
    print(f"{found} form pages found, {visited} opened in Chromium, {len(seen_shapes)} checked in full")
    assert problems == [], "\n".join(problems)
    assert found >= 60
    assert visited >= 30, f"only {visited} distinct form pages opened in Chromium"
