"""The pages a resident acts on: result cards (distance, open now, categories, a phone link, room for "serves"),
the listing page (contact first, opening times, map and directions, last checked, print) and the helpers
behind them."""

import re
from datetime import datetime, time
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.directory import cards
from app.extensions import db

from .directory_helpers import add_postcodes, make_listing
from .html import error_messages, parse

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "written, href",
    [
        ("020 8359 2000", "tel:+442083592000"),
        ("(020) 8359-2000 ext 4", "tel:+442083592000"),
        ("07700 900123 / 07700 900456", "tel:+447700900123"),
        ("+44 (0)20 8359 2000", "tel:+442083592000"),  # the (0) is not dialled from abroad
        ("0044 20 8359 2000", "tel:+442083592000"),
        ("ask at reception", None),
        ("", None),
        (None, None),
    ],
)
def test_phone_numbers_become_tel_links(written, href):
    assert cards.tel_href(written) == href


def _hours(*rows):
    return [SimpleNamespace(weekday=day, opens_at=time(*opens), closes_at=time(*closes)) for day, opens, closes in rows]


def test_open_now_and_the_next_opening_in_london_time():
    hours = _hours((2, (10, 0), (14, 0)), (4, (9, 30), (12, 0)))
    # Wednesday 2 July 2025, 11:00 in London is 10:00 UTC (summer time).
    assert cards.opening(hours, datetime(2025, 7, 2, 10, 0)).text == "Open now, until 14:00"
    assert cards.opening(hours, datetime(2025, 7, 2, 10, 0)).open
    closed = cards.opening(hours, datetime(2025, 7, 2, 13, 30))  # 14:30 in London
    assert not closed.open and closed.text == "Closed now, opens Friday at 09:30"
    assert cards.opening(hours, datetime(2025, 7, 1, 8, 0)).text == "Closed now, opens tomorrow at 10:00"
    assert cards.opening(hours, datetime(2025, 7, 2, 7, 0)).text == "Closed now, opens today at 10:00"
    # Friday after closing: round the week to Wednesday.
    assert cards.opening(hours, datetime(2025, 7, 4, 15, 0)).text == "Closed now, opens Wednesday at 10:00"
    assert cards.opening([], datetime(2025, 7, 2, 10, 0)) is None


def test_a_card_carries_the_searchs_serves_label():
    org = SimpleNamespace(services=[], phone="020 8359 2000", name="Barnet Befriending")
    result = SimpleNamespace(organisation=org, miles=None, serves="Serves all of Barnet")
    made = cards.card(result)
    assert made.serves == "Serves all of Barnet" and made.tel == "tel:+442083592000" and made.opening is None
    assert cards.card((org, 1.5)).miles == 1.5 and cards.card((org, 1.5)).serves is None


def test_directions_go_to_the_point_on_openstreetmap():
    url = cards.directions_url(51.588264, -0.229251)
    assert url.startswith("https://www.openstreetmap.org/directions?route=%3B51.58826%2C-0.22925")


@pytest.fixture
def listings(app, wards, taxonomies):
    add_postcodes()
    every_day = [{"weekday": d, "opens_at": "00:00", "closes_at": "23:59"} for d in range(7)]
    food = make_listing(
        "Colindale Food Bank",
        description="Free food parcels for anyone in need.",
        categories=["Food"],
        postcode="NW9 4EW",
        hours=every_day,
        accessibility=["Step-free access"],
    )
    food.phone, food.email, food.website = "020 8359 2000", "help@food.example", "https://food.example/"
    make_listing(
        "Hendon Youth Club",
        categories=["Youth"],
        postcode="NW4 4BG",
        hours=[{"weekday": 6, "opens_at": "00:00", "closes_at": "00:01"}],
    )
    make_listing("Barnet Phone Befriending", categories=["Older people"])
    db.session.commit()
    return food


def test_result_cards_show_distance_open_now_categories_and_a_phone_link(client, listings):
    html = client.get("/directory/?q=food&postcode=NW4+4BG&distance=2").get_data(as_text=True)
    card = html[html.index('class="portal-card"') :]
    card = card[: card.index("</li>")]
    assert "Colindale Food Bank" in card
    assert re.search(r"\d\.\d miles away", card)
    assert "Open now, until 23:59" in card and "govuk-tag--green" in card
    assert "Food" in card
    assert 'href="tel:+442083592000"' in card and "020 8359 2000" in card
    assert (
        'class="govuk-body-s govuk-!-margin-bottom-1 portal-card__serves" hidden' in card
    )  # the "serves" label's place


def test_no_results_say_what_to_try(client, listings):
    html = client.get("/directory/?q=zzzzqqq").get_data(as_text=True)
    assert "0 results" in html and "No groups or services match your search" in html


def test_results_come_before_the_folded_filters_content_and_have_a_map(client, listings):
    html = client.get("/directory/?category=category/youth").get_data(as_text=True)
    # The filters fold away once there are results (desktops open them with a script).
    filters = re.search(r"<details[^>]*id=\"filters\"[^>]*>", html).group(0)
    assert " open" not in filters
    assert "Filters (1 applied)" in html
    # The search box comes before the results; everything else is in the fold.
    assert html.index('name="q"') < html.index('id="results-heading"')
    # A map of this page's results beside the list, with a List / Map switch for phones.
    assert "data-portal-view-switch" in html and 'id="results-map"' in html
    points = re.search(r"data-points='([^']+)'", html).group(1)
    assert "Hendon Youth Club" in points and "Colindale Food Bank" not in points


def test_results_without_any_placed_address_have_no_map(client, listings):
    html = client.get("/directory/?q=befriending").get_data(as_text=True)
    assert "Barnet Phone Befriending" in html
    assert "data-points=" not in html and "data-portal-view-switch" not in html


def test_listing_answers_how_do_i_get_help_here(client, listings):
    html = client.get("/directory/colindale-food-bank").get_data(as_text=True)
    main = html[html.index('id="main-content"') :]
    # Contact first: before the description, opening times and address.
    contact = main.index('id="contact-heading"')
    assert contact < main.index("Free food parcels") < main.index("Opening times") < main.index(">Where<")
    assert 'href="tel:+442083592000"' in main and 'href="mailto:help@food.example"' in main
    assert 'href="https://food.example/"' in main
    # The name and the description once each.
    assert main.count("Free food parcels for anyone in need.") == 1
    assert len(re.findall(r"<h[12][^>]*>\s*Colindale Food Bank\s*</h[12]>", main)) == 1
    # Opening times with open now, every day listed.
    assert "Open now, until 23:59" in main and main.count("00:00 to 23:59") == 7
    # Where: the address as text, a small map of the point and a plain directions link.
    assert "1 High Street, London, NW9 4EW" in main
    assert "https://www.openstreetmap.org/directions?route=%3B51.59762%2C-0.24502" in main
    assert "portal-map--small" in main and "data-points=" in main
    assert "Step-free access" in main
    assert "Last checked by the group or the council on" in main
    assert "/directory/colindale-food-bank/report-a-problem" in main


def test_listing_without_contact_details_says_how_to_tell_us(client, listings):
    html = client.get("/directory/hendon-youth-club").get_data(as_text=True)
    assert "We do not have contact details for this group yet" in html
    assert "Closed now" in html


def test_listing_without_a_published_address_has_no_map(client, listings):
    html = client.get("/directory/barnet-phone-befriending").get_data(as_text=True)
    assert "data-points=" not in html and "leaflet.js" not in html


def test_a_printed_listing_leaves_out_maps_and_navigation():
    scss = (ROOT / "static" / "src" / "portal.scss").read_text()
    printed = scss[scss.index("@media print") :]
    for selector in (".govuk-header", ".govuk-footer", ".portal-map", ".portal-no-print"):
        assert selector in printed
    built = ROOT / "static" / "vendor" / "portal.css"
    if built.exists():
        assert "@media print" in built.read_text()


def test_the_search_form_shows_each_searchs_own_values_and_errors(client, listings):
    """The form's fields keep their rendered HTML per set of values (issue 16): a later search never shows an
    earlier one's words, choices or error."""

    def form(path):
        page = parse(client.get(path))
        return (
            page.select_one("#q")["value"] if page.select_one("#q").has_attr("value") else "",
            page.select_one("#postcode")["value"] if page.select_one("#postcode").has_attr("value") else "",
            [o["value"] for o in page.select("#ward option[selected]")],
            [i["value"] for i in page.select("input[name=accessibility][checked]")],
            error_messages(page),
        )

    bad = "/directory/?q=food&postcode=ZZ1+1ZZ"
    assert form(bad) == ("food", "ZZ1 1ZZ", [], [], [form(bad)[4][0]])
    assert "postcode" in form(bad)[4][0].lower()
    good = "/directory/?q=youth&ward=E05013643&accessibility=accessibility/step-free-access"
    assert form(good) == ("youth", "", ["E05013643"], ["accessibility/step-free-access"], [])
    assert form("/directory/?q=parcels") == ("parcels", "", [], [], [])
    assert form(bad)[4] and form(good)[4] == []


def test_paging_keeps_every_access_need_chosen(client, wards, taxonomies):
    """Two access needs ticked: page 2 must still ask for both (its link was built from one value of each
    parameter only, so page 2 counted the groups that meet either need)."""
    from urllib.parse import parse_qs, urlsplit

    add_postcodes()
    for n in range(21):
        make_listing(f"Access Group {n:02d}", postcode="NW4 4BG", accessibility=["Step-free access", "Hearing loop"])
    for n in range(5):
        make_listing(f"Access Group Step {n}", postcode="NW4 4BG", accessibility=["Step-free access"])
        make_listing(f"Access Group Loop {n}", postcode="NW4 4BG", accessibility=["Hearing loop"])
    db.session.commit()
    needs = ["accessibility/step-free-access", "accessibility/hearing-loop"]
    page = parse(client.get("/directory/", query_string={"q": "access group", "accessibility": needs}))
    assert error_messages(page) == [] and "21 results" in page.get_text(" ")
    next_link = page.select_one(".govuk-pagination__next a")["href"]
    sent = parse_qs(urlsplit(next_link).query)
    assert sorted(sent["accessibility"]) == sorted(needs) and sent["page"] == ["2"]
    assert "21 results" in parse(client.get(next_link)).get_text(" ")
