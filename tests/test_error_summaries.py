"""Error summaries link to their fields (issue 15 item 1): every form in the portal, sent empty, answers with
a GOV.UK error summary whose every link leads to a box a person can type in or choose with (an input, a
select or a text area, whose own error message is beside it), so following it puts the cursor there."""

from .conftest import sign_in
from .crawler import crawl
from .html import parse, text
from .test_hostile_input import CRAWL_LIMIT, SKIP_ACTIONS, START_PAGES, demo_portal  # noqa: F401


def test_every_error_summary_links_to_a_field_that_takes_the_cursor(client, demo_portal):  # noqa: F811
    assert sign_in(client, demo_portal.email).status_code == 302
    _, forms = crawl(client, START_PAGES, skip=("/sign-out", "/erase"), limit=CRAWL_LIMIT)
    problems, summaries, seen = [], 0, set()
    for form in forms:
        key = (form.action, tuple(sorted(form.fields)))
        if key in seen or any(marker in form.action for marker in SKIP_ACTIONS):
            continue
        seen.add(key)
        # Only what the page put in hidden fields (the CSRF token, versions): nothing typed, nothing chosen.
        hidden = {name: value for name, value in form.fields.items() if name not in form.text_fields}
        response = client.post(form.action, data=hidden)
        if response.status_code != 200:
            continue
        page = parse(response)
        links = page.select(".govuk-error-summary__list a")
        summaries += bool(links)
        for link in links:
            target = page.find(id=link["href"].removeprefix("#"))
            if target is None or target.name not in ("input", "select", "textarea"):
                problems.append(
                    f"{form.action}: '{text(link)}' links to {link['href']}, "
                    f"{'which is not on the page' if target is None else f'a <{target.name}>'}"
                )
    assert summaries >= 25, f"only {summaries} forms answered an empty post with an error summary"
    assert problems == [], "\n".join(problems)
