"""Searches stay fast as the directory grows (issue 16): the number of SQL statements a search page or the
API's word search sends does not grow with the number of organisations, and the work that made them fast
(one word match, hidden listings left out from an index, the map built once) changes nothing a resident
sees. The timings themselves come from bench/directory_search.py, not from tests.

perf-pages writes a shared statement counter (tests/statement_count.py); it was not on main when this was
written, so this file has its own small one."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.directory import search as directory_search
from app.directory import services
from app.directory.models import Organisation
from app.extensions import db
from bench.dataset import generate
from seed.loader import load_search_vocabulary

from .factories.directory import add_postcodes, listing, make_listing
from .html import parse

SEARCHES = [
    "/directory/?q=food",
    "/directory/?q=music&ward=E05013630",
    "/directory/?q=food&postcode=NW9+4EW&distance=1",
    "/directory/?postcode=NW9+4EW&distance=5",
    "/directory/?q=youth+club",
    "/directory/?q=gardning",
    "/directory/?q=zzq1+xqj",
    "/directory/?q=food&category=category/food&accessibility=accessibility/step-free-access&open_now=y",
    "/api/oruk/v3/services?search=food",
]


@contextmanager
def counting_statements():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def statements_for(client, path):
    client.get(path)  # warm: the vocabulary and the process's caches
    with counting_statements() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


@pytest.fixture
def generated(app, wards, taxonomies):
    add_postcodes()
    load_search_vocabulary()


def test_search_statements_do_not_grow_with_the_directory(client, generated):
    generate(20, directory_search.current_app.config["GEO_DATA_DIR"])
    small = {path: statements_for(client, path) for path in SEARCHES}
    generate(180, directory_search.current_app.config["GEO_DATA_DIR"])
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == 200
    large = {path: statements_for(client, path) for path in SEARCHES}
    for path in SEARCHES:
        # At most one more: with fewer matches than fill a page, the page itself gives the count.
        assert large[path] <= small[path] + 1, (path, small[path], large[path])
    # And few: a word search is the match, the count and loading one page of results (not one a result).
    assert large["/directory/?q=food"] <= 16, large


def make_borough_wide(name, **kwargs):
    data = listing(name, **kwargs)
    data["services"][0]["area_scope"] = "borough"
    organisation = services.create_organisation(data, None, published=True)
    db.session.commit()
    return organisation


@pytest.fixture
def directory(app, wards, taxonomies):
    add_postcodes()
    return {
        "food": make_listing("Colindale Food Bank", description="Free food parcels", postcode="NW9 4EW"),
        "borough": make_borough_wide("Barnet Food Phone Line", description="Food parcels delivered"),
        "draft": make_listing("Unapproved Food Group", description="food", published=False, postcode="NW9 4EW"),
        "closed": make_listing("Old Food Club", description="food", status="inactive", postcode="NW9 4EW"),
    }


def test_hidden_listings_stay_out_of_every_kind_of_search(client, directory):
    for query in (
        directory_search.SearchQuery(words="food"),
        directory_search.SearchQuery(words="food", postcode="NW9 4EW"),
        directory_search.SearchQuery(postcode="NW9 4EW"),
        directory_search.SearchQuery(words="food", ward="E05013632"),
        directory_search.SearchQuery(words="foood"),  # corrected to "food"
    ):
        results = directory_search.search(query)
        names = {r.organisation.name for r in results.items}
        assert names == {"Colindale Food Bank", "Barnet Food Phone Line"}, query
        assert results.total == 2


def test_the_map_says_in_words_which_results_it_cannot_show(client, directory):
    page = parse(client.get("/directory/?q=food"))
    results_map = page.select_one("#results-map")
    assert results_map is not None
    off_map = results_map.select_one(".portal-off-map")
    assert off_map is not None, "the area-serving result is named beside the map"
    items = [re.sub(r"\s+", " ", li.get_text(" ", strip=True)) for li in off_map.select("li")]
    assert items == ["Barnet Food Phone Line : Serves all of Barnet"]
    assert "Colindale Food Bank" in results_map.select_one("[data-points]")["data-points"]


def test_the_access_filter_asks_a_question(client, directory):
    page = parse(client.get("/directory/"))
    legends = [legend.get_text(strip=True) for legend in page.select("legend")]
    assert "What access needs should the place meet?" in legends


def test_paging_counts_past_the_first_page(client, app, wards, taxonomies):
    add_postcodes()
    for n in range(23):
        make_listing(f"Hendon Lunch Club {n:02}", description="Hot lunches", postcode="NW4 4BG")
    first = directory_search.search(directory_search.SearchQuery(words="lunch"))
    second = directory_search.search(directory_search.SearchQuery(words="lunch", page=2))
    past = directory_search.search(directory_search.SearchQuery(words="lunch", page=3))
    assert (first.total, len(first.items)) == (23, 20)
    assert (second.total, len(second.items)) == (23, 3)
    assert (past.total, len(past.items)) == (23, 0)
    seen = [r.organisation.name for r in first.items + second.items]
    assert sorted(seen) == [f"Hendon Lunch Club {n:02}" for n in range(23)]
    # Postcode search pages the same way: nearby first, nothing twice.
    near = [
        directory_search.search(directory_search.SearchQuery(words="lunch", postcode="NW4 4BG", page=p)) for p in (1, 2)
    ]
    assert [n.total for n in near] == [23, 23]
    assert len({r.organisation.name for n in near for r in n.items}) == 23


def test_an_everyday_word_that_finds_a_great_many_lists_the_words_typed_first_and_pages_through_all(
    app, wards, taxonomies
):
    """Past SEARCH_RANK_ALL_UP_TO matches, the listings with the word as typed come first (ranked), then those
    only the vocabulary's other words find, ranked block by block: every listing once, none hidden."""
    load_search_vocabulary()
    typed = [make_listing(f"Foodbank {n}", description="A foodbank") for n in range(3)]
    # The oldest of the others has the other words in its name: ranking all at once puts it near the top; in
    # blocks (newest first) it waits for its block, the last.
    others = [make_listing("Food Parcels Direct", description="Food parcels delivered")]
    others += [make_listing(f"Friday Pantry {n}", description="Food parcels every Friday") for n in range(6)]
    make_listing("Unapproved Pantry", description="Food parcels", published=False)
    app.config.update(SEARCH_RANK_ALL_UP_TO=4, SEARCH_RANK_BLOCK=3)
    pages = [
        directory_search.search(directory_search.SearchQuery(words="foodbank", page=p, per_page=4))
        for p in (1, 2, 3, 4)
    ]
    # Page 1 counts no further than the next page needs (8): "more than 8"; later pages count all 10.
    assert [(p.total, p.more) for p in pages] == [(8, True), (10, False), (10, False), (10, False)]
    seen = [r.organisation.name for p in pages for r in p.items]
    assert sorted(seen[:3]) == sorted(o.name for o in typed)
    assert sorted(seen) == sorted(o.name for o in typed + others)  # each once, the unapproved one never
    assert [len(p.items) for p in pages] == [4, 4, 2, 0]
    # The same listings as ranking them all at once would find.
    app.config.update(SEARCH_RANK_ALL_UP_TO=1000)
    everything = directory_search.search(directory_search.SearchQuery(words="foodbank", per_page=20))
    assert sorted(r.organisation.name for r in everything.items) == sorted(seen)
    assert [r.organisation.name for r in everything.items].index("Food Parcels Direct") <= 3
    assert seen.index("Food Parcels Direct") == 9


def test_a_search_that_finds_a_great_many_counts_only_so_far_and_says_so_truthfully(client, app, wards, taxonomies):
    """Past SEARCH_RANK_ALL_UP_TO matches of an everyday word, counting stops at what choosing the ranking and
    offering the next page need: the heading says "More than N results", the next page is always offered while
    there may be more, and paging through reaches every listing once, the last page with the exact count."""
    load_search_vocabulary()
    names = [make_listing(f"Friday Pantry {n:02}", description="Food parcels every Friday").name for n in range(45)]
    names += [make_listing("Barnet Foodbank", description="A foodbank").name]
    app.config.update(SEARCH_RANK_ALL_UP_TO=4, SEARCH_RANK_BLOCK=10)
    try:
        first = parse(client.get("/directory/?q=foodbank"))
        assert first.select_one("#results-heading").get_text(strip=True) == "More than 40 results"
        seen, page, headings = [], first, []
        while True:
            seen += [a.get_text() for a in page.select("li.portal-card h3 a")]
            headings.append(page.select_one("#results-heading").get_text(strip=True))
            following = page.select_one(".govuk-pagination__next a")
            if following is None:
                break
            page = parse(client.get(following["href"]))
        assert seen[0] == "Barnet Foodbank"  # the word as typed first
        assert sorted(seen) == sorted(names)  # every listing once
        assert headings == ["More than 40 results", "46 results", "46 results"]
        last = directory_search.search(directory_search.SearchQuery(words="foodbank", page=3))
        assert (last.total, last.more, len(last.items)) == (46, False, 6)
    finally:
        app.config.update(SEARCH_RANK_ALL_UP_TO=1000, SEARCH_RANK_BLOCK=500)
