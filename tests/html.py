"""Reading pages in tests through an HTML parser, as a person or a screen reader would, not by substring.

    page = parse(client.get("/covenant/"))
    assert page.select_one("h1").get_text(strip=True) == "Barnet Faith Covenant"
    assert error_messages(page) == ["Enter the name of your group"]

`parse` gives a BeautifulSoup document (CSS selectors with `select` / `select_one`).
"""

from bs4 import BeautifulSoup


def parse(response_or_html):
    """The page of a test-client response (or an HTML string) as a parsed document."""
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.get_data(as_text=True)
    return BeautifulSoup(html, "html.parser")


def text(element):
    """An element's visible text with its white space collapsed ('' for no element)."""
    return " ".join(element.get_text().split()) if element is not None else ""


def heading(page):
    """The text of the page's one h1."""
    headings = page.select("h1")
    assert len(headings) == 1, f"expected one h1, found {len(headings)}"
    return text(headings[0])


def page_text(page):
    """The visible text of the page's main content (all of it when there is no <main>), white space collapsed:
    for checking what a person reads, whatever the markup and escaping around it."""
    return text(page.select_one("main") or page)


def banners(page):
    """The texts of the page's notification banners (the flashed messages), in order."""
    return [text(item) for item in page.select(".govuk-notification-banner__content")]


def field_error(page, field_id):
    """The error message shown by the field `field_id`, without GOV.UK's visually hidden "Error:" ('' when
    there is none)."""
    found = page.select_one(f"#{field_id}-error")
    return text(found).removeprefix("Error:").strip() if found is not None else ""


def error_messages(page):
    """The messages in the GOV.UK error summary, in order ([] when there is none)."""
    return [text(item) for item in page.select(".govuk-error-summary__list li")]


def table(page, caption):
    """The table whose caption reads `caption`."""
    for candidate in page.select("table"):
        if text(candidate.caption) == caption:
            return candidate
    raise AssertionError(
        f"no table captioned {caption!r} (captions: {[text(t.caption) for t in page.select('table')]})"
    )


def table_rows(page_or_table, caption=None):
    """The body rows of a table (the page's first, or the one captioned `caption`) as lists of cell texts."""
    found = (
        table(page_or_table, caption)
        if caption is not None
        else (page_or_table if page_or_table.name == "table" else page_or_table.select_one("table"))
    )
    assert found is not None, "no table"
    return [[text(cell) for cell in row.select("th, td")] for row in found.select("tbody tr")]


def summary_list(page):
    """A GOV.UK summary list as {key: value} (the first on the page)."""
    found = page.select_one(".govuk-summary-list")
    assert found is not None, "no summary list"
    return {
        text(row.select_one(".govuk-summary-list__key")): text(row.select_one(".govuk-summary-list__value"))
        for row in found.select(".govuk-summary-list__row")
    }


def list_under(page, heading_text):
    """The items of the list that follows the heading reading `heading_text` ([] when none follows it)."""
    for candidate in page.select("h2, h3"):
        if text(candidate) == heading_text:
            following = candidate.find_next_sibling()
            return [text(item) for item in following.select("li")] if following and following.name == "ul" else []
    raise AssertionError(f"no heading {heading_text!r}")


def form_data(page, selector="form"):
    """What a browser would send back from the form unchanged: {name: value}, or {name: [values]} for
    checkboxes and radios (only the checked ones), with each select's chosen option."""
    form = page.select_one(selector)
    assert form is not None, f"no form matching {selector!r}"
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text().strip()
        elif field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value", text(chosen)) if chosen is not None else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


def links(page, selector="a"):
    """(text, href) of the links matching `selector`."""
    return [(text(a), a.get("href")) for a in page.select(selector)]
