"""The page-reading helpers used by the tests (tests/html.py) read what a visitor sees."""

import pytest

from .html import error_messages, form_data, heading, links, list_under, parse, summary_list, table_rows, text

PAGE = """<!doctype html><html><body>
<div class="govuk-error-summary"><ul class="govuk-error-summary__list">
  <li><a href="#name">Enter the   name of
      your group</a></li><li><a href="#email">Enter an email address</a></li></ul></div>
<h1 class="govuk-heading-l">Nominate an <strong>asset</strong></h1>
<table><caption>Pledges by ward</caption><thead><tr><th>Ward</th><th>Count</th></tr></thead>
<tbody><tr><th>Hendon</th><td>2</td></tr><tr><th>West Finchley</th><td>0</td></tr></tbody></table>
<a href="/a">First</a> <a href="/b">Second &amp; last</a>
<dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">
  CTN members </dt><dd class="govuk-summary-list__value"> 1 </dd></div></dl>
<h2>Community assets (2)</h2><ul><li><a href="/x">Hendon Library</a>, library</li><li>Town Hall</li></ul>
<h2>CTN meetings (0)</h2><p>None known in this ward.</p>
</body></html>"""


def test_helpers_read_the_page_as_a_visitor_would():
    page = parse(PAGE)
    assert heading(page) == "Nominate an asset"
    assert error_messages(page) == ["Enter the name of your group", "Enter an email address"]
    assert table_rows(page) == [["Hendon", "2"], ["West Finchley", "0"]]
    assert table_rows(page, caption="Pledges by ward") == table_rows(page)
    assert links(page, "body > a") == [("First", "/a"), ("Second & last", "/b")]
    assert text(page.select_one("nothing")) == ""
    assert summary_list(page) == {"CTN members": "1"}
    assert list_under(page, "Community assets (2)") == ["Hendon Library, library", "Town Hall"]
    assert list_under(page, "CTN meetings (0)") == []


def test_heading_insists_on_exactly_one_h1():
    with pytest.raises(AssertionError):
        heading(parse("<h1>One</h1><h1>Two</h1>"))
    with pytest.raises(AssertionError):
        table_rows(parse(PAGE), caption="No such table")
    assert error_messages(parse("<h1>No errors</h1>")) == []


def test_form_data_is_what_a_browser_sends_back():
    page = parse(
        """<form><input type="hidden" name="csrf_token" value="t"><input name="name" value="Food &amp; Friends">
        <input type="checkbox" name="days" value="mo" checked><input type="checkbox" name="days" value="tu">
        <input type="radio" name="kind" value="vcfs" checked><textarea name="about">
          Hot meals </textarea><select name="ward"><option value="a">A</option><option value="b" selected>B</option>
        </select><select name="set"><option value="2022">2022</option></select><button>Save</button></form>"""
    )
    assert form_data(page) == {
        "csrf_token": "t",
        "name": "Food & Friends",
        "days": ["mo"],
        "kind": ["vcfs"],
        "about": "Hot meals",
        "ward": "b",
        "set": "2022",
    }


def test_parse_reads_a_test_client_response(client):
    page = parse(client.get("/no-such-page"))
    assert page.select_one("h1") is not None
