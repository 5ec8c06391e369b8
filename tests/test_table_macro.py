"""The table macro (templates/components/table.html) and the templates that use it."""

from pathlib import Path

from bs4 import BeautifulSoup

from tests.html import table_rows

TEMPLATE = """{% from "components/table.html" import table %}
{% set caption %}{{ n }} meetings{% endset %}
{% set foot %}<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Total</th>
<td class="govuk-table__cell govuk-table__cell--numeric">9</td><td class="govuk-table__cell"></td></tr>{% endset %}
{% call table(caption, ["Meeting", {"text": "Attendees", "numeric": true}, {"text": "Remove", "hidden": true}],
              scroll=true, foot=foot) %}
  <tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{{ title }}</th>
  <td class="govuk-table__cell govuk-table__cell--numeric">9</td><td class="govuk-table__cell"></td></tr>
{% endcall %}
{% call table("Agenda", ["Item"], caption_classes="govuk-visually-hidden") %}{% endcall %}
"""


def render(app, **values):
    with app.test_request_context():
        return BeautifulSoup(app.jinja_env.from_string(TEMPLATE).render(**values), "html.parser")


def test_the_macro_writes_caption_column_headings_rows_and_totals(app):
    page = render(app, n=1, title="<Spring forum>")
    first = page.select_one("table")
    assert first.parent.name == "div" and "portal-table-scroll" in first.parent["class"]
    assert first.caption.get_text() == "1 meetings" and "govuk-table__caption--m" in first.caption["class"]
    headers = first.select("thead th")
    assert [th["scope"] for th in headers] == ["col", "col", "col"]
    assert [th.get_text() for th in headers] == ["Meeting", "Attendees", "Remove"]
    assert "govuk-table__header--numeric" in headers[1]["class"]
    assert "govuk-table__header--numeric" not in headers[0]["class"]
    assert headers[2].select_one("span.govuk-visually-hidden").get_text() == "Remove"
    # Row text is escaped as anywhere else; the body rows and the foot are where tests look for them.
    assert table_rows(page, caption="1 meetings") == [["<Spring forum>", "9", ""]]
    assert first.select_one("tfoot th").get_text() == "Total"


def test_a_hidden_caption_and_no_scroll_wrapper_when_not_asked(app):
    second = render(app, n=2, title="x").select("table")[1]
    assert second.parent.name != "div"
    assert "govuk-visually-hidden" in second.caption["class"] and second.caption.get_text() == "Agenda"
    assert second.select("tfoot") == []


def test_every_template_compiles(app):
    root = Path(app.root_path).parent / "templates"
    for path in sorted(root.rglob("*.html")):
        app.jinja_env.get_template(str(path.relative_to(root)))
