"""A ward's page lists the organisations with an address in the ward and those that serve it from elsewhere
(labelled "Serves … ward"), counts the borough-wide ones with a link to the directory search for the ward,
goes page by page when long, and its figures agree with what it lists (issue 14)."""

import pytest

from app.directory import services
from app.extensions import db

from .factories.directory import add_postcodes, listing, make_listing
from .html import parse, summary_list

HENDON = "E05013643"
COLINDALE_NORTH = "E05013632"


def _make(name, postcode=None, areas=(), scope=None):
    data = listing(name, postcode=postcode, areas=list(areas))
    if scope:
        data["services"][0]["area_scope"] = scope
    organisation = services.create_organisation(data, None)
    db.session.commit()
    return organisation


@pytest.fixture
def hendon(app, wards, taxonomies):
    add_postcodes()
    make_listing("Hendon Youth Club", postcode="NW4 4BG")
    make_listing("Hendon Refuge", postcode="NW4 4BG", confidential=True)
    make_listing("Hendon Draft", postcode="NW4 4BG", published=False)
    _make("Colindale Carers", postcode="NW9 4EW", areas=[HENDON, COLINDALE_NORTH])
    _make("Finchley Advice", postcode="N12 0GA", areas=[HENDON])
    _make("Hendon Lunch Club", postcode="NW4 4BG", areas=[HENDON])  # in the ward already: listed once
    _make("Barnet Helpline", scope="borough")
    _make("Barnet Online Tutors", scope="remote")


def _sections(page):
    found = {}
    for heading in page.select("h2.govuk-heading-m"):
        items = heading.find_next_sibling("ul")
        found[heading.get_text(" ", strip=True)] = (
            [li.get_text(" ", strip=True) for li in items.select("li")] if items else []
        )
    return found


def test_a_ward_page_lists_those_in_the_ward_and_those_serving_it(client, hendon):
    page = parse(client.get(f"/wards/{HENDON}"))
    sections = _sections(page)
    assert [text.split(",")[0].strip() for text in sections["Community organisations (2)"]] == [
        "Hendon Lunch Club",
        "Hendon Youth Club",
    ]
    assert sections["Organisations serving the ward from elsewhere (2)"] == [
        "Colindale Carers , Serves Hendon ward",
        "Finchley Advice , Serves Hendon ward",
    ]
    borough = page.find("a", string=lambda s: s and "serves all of Barnet" in s)
    assert borough.get_text() == "1 organisation serves all of Barnet, Hendon included"
    assert borough["href"] == f"/directory/?ward={HENDON}"
    figures = summary_list(page)
    assert figures["Community organisations"] == "2"
    assert figures["Organisations serving the ward from elsewhere"] == "2"
    # Each name links to its listing, which opens.
    links = {a.get_text(strip=True): a["href"] for a in page.select("ul.govuk-list a.govuk-link")}
    assert links["Hendon Youth Club"] == "/directory/hendon-youth-club"
    assert links["Finchley Advice"] == "/directory/finchley-advice"
    assert all(client.get(href).status_code == 200 for href in links.values())
    # The borough-wide count is the directory's own: its search for the ward lists that helpline.
    assert "Barnet Helpline" in client.get(f"/directory/?ward={HENDON}").get_data(as_text=True)


def test_the_borough_overview_counts_what_each_ward_page_lists(client, hendon):
    overview = parse(client.get("/wards"))
    headings = [th.get_text(" ", strip=True) for th in overview.select("thead th")]
    for ward_code, name in ((HENDON, "Hendon"), (COLINDALE_NORTH, "Colindale North")):
        row = overview.find("a", string=name).find_parent("tr")
        cells = dict(zip(headings[1:], [td.get_text() for td in row.find_all("td")], strict=False))
        page = parse(client.get(f"/wards/{ward_code}"))
        figures = summary_list(page)
        for label in ("Community organisations", "Organisations serving the ward from elsewhere"):
            assert cells[label] == figures[label], (name, label)


def test_a_long_ward_page_goes_page_by_page_and_its_count_is_every_page(app, client, hendon):
    for n in range(5):
        make_listing(f"Hendon Group {n}", postcode="NW4 4BG")
    app.config["WARD_PAGE_SIZE"] = 3
    try:
        listed, page_number = [], 1
        while True:
            page = parse(client.get(f"/wards/{HENDON}?page={page_number}"))
            heading = "Community organisations (7)"
            listed += [text.split(",")[0].strip() for text in _sections(page).get(heading, [])]
            if not page.select_one(".govuk-pagination__next a"):
                break
            page_number += 1
        assert page_number == 3
        assert summary_list(page)["Community organisations"] == "7"
        assert len(listed) == len(set(listed)) == 7
        assert listed == sorted(listed)
        past_the_end = parse(client.get(f"/wards/{HENDON}?page=99"))
        assert "(page 3 of 3)" in past_the_end.title.get_text()
    finally:
        app.config["WARD_PAGE_SIZE"] = 50
