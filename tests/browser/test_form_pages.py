"""Every form page, for every kind of visitor, asks its questions (issue 15 item 1).

The pages are found the way a person finds them (tests/crawler.py, with the demo data loaded), then opened in
Chromium: every fieldset must have legend text (the question of a radio or checkbox group), every field a
label, and the page one h1. Each kind of page also gets the full `check_page` (axe-core, GOV.UK Frontend, no
console errors) once, for the first visitor who sees it: a page's markup does not change with the role.
"""

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
    """Paths of the pages with a form on them that this client's visitor can open, one of each kind."""
    pages, _ = crawl(client, START_PAGES, skip=SKIP, limit=300, per_shape=1)
    return sorted(path for path, (status, html) in pages.items() if status == 200 and "<form" in html)


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
    problems, checked, seen_shapes, visited = [], set(), set(), 0
    for role in ROLES:
        page.context.clear_cookies()
        client = app.test_client()
        if role:
            user = (
                demo_portal
                if role == "admin"
                else make_user(role, organisations=[group] if role == "group_editor" else [])
            )
            assert sign_in(client, user.email).status_code == 302
            page.goto(live_server + "/sign-in")
            page.get_by_label("Email address").fill(user.email)
            page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("heading", name="Your account").wait_for()
        paths = form_pages(client)
        assert len(paths) >= (8 if role is None else 12), f"the crawl found only {paths} as {role or 'a visitor'}"
        for path in paths:
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
            checked.add(path)
    assert problems == [], "\n".join(problems)
    assert visited >= 60
