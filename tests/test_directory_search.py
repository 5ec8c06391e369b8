"""Residents searching the directory: words, filters, postcode distance, paging, and what stays hidden."""

import pytest
from freezegun import freeze_time

from app.directory import search as directory_search
from app.directory.search import SearchQuery

from .factories.directory import add_postcodes, make_listing
from .html import parse


@pytest.fixture
def directory(app, wards, taxonomies):
    add_postcodes()
    return {
        "food": make_listing(
            "Colindale Food Bank",
            description="Free food parcels and hot meals every week",
            categories=["Food"],
            postcode="NW9 4EW",
            accessibility=["Step-free access"],
            hours=[{"weekday": 2, "opens_at": "10:00", "closes_at": "14:00"}],
        ),
        "youth": make_listing(
            "Hendon Youth Club",
            description="Sport, music and homework help for young people",
            categories=["Youth"],
            postcode="NW4 4BG",
        ),
        "refuge": make_listing(
            "Safe Haven Refuge",
            description="Refuge and food for women leaving abuse",
            categories=["Domestic abuse"],
            postcode="NW4 4BG",
            confidential=True,
        ),
        "finchley": make_listing(
            "Finchley Food Share",
            description="Surplus food shared with neighbours",
            categories=["Food"],
            postcode="N12 0GA",
            areas=["E05013632"],
        ),
        "draft": make_listing("Unapproved Food Group", description="food", published=False, postcode="NW4 4BG"),
        "closed": make_listing("Old Food Club", description="food", status="inactive"),
    }


def names(results):
    return [org.name for org, _ in results.items]


def test_words_are_ranked_and_stemmed(directory):
    results = directory_search.search(SearchQuery(words="food"))
    # Published, not inactive, and matching "food" in name or description (stemmed: "foods" would match too).
    assert set(names(results)) == {"Colindale Food Bank", "Finchley Food Share", "Safe Haven Refuge"}
    assert results.total == 3
    assert names(directory_search.search(SearchQuery(words="homework")))[0] == "Hendon Youth Club"
    assert names(directory_search.search(SearchQuery(words="meal"))) == ["Colindale Food Bank"]  # "meals" stemmed


def test_hostile_search_words_are_just_words(directory):
    for words in ['"', "food OR", "NEAR(", "*", 'food" OR "youth', "') DROP TABLE organisation; --", "ü ñ 漢字"]:
        directory_search.search(SearchQuery(words=words))  # no database error


def test_category_and_ward_filters(directory):
    assert set(names(directory_search.search(SearchQuery(category="category/food")))) == {
        "Colindale Food Bank",
        "Finchley Food Share",
    }
    # Colindale North: the food bank is there, Finchley Food Share serves it; the refuge's address is secret.
    assert set(names(directory_search.search(SearchQuery(ward="E05013632")))) == {
        "Colindale Food Bank",
        "Finchley Food Share",
    }
    assert names(directory_search.search(SearchQuery(ward="E05013643"))) == ["Hendon Youth Club"]


def test_accessibility_filter(directory):
    assert names(directory_search.search(SearchQuery(accessibility=["accessibility/step-free-access"]))) == [
        "Colindale Food Bank"
    ]


def test_open_now_uses_london_time(directory):
    with freeze_time("2026-11-25 11:00:00"):  # a Wednesday, 11:00 in London (GMT)
        assert names(directory_search.search(SearchQuery(open_now=True))) == ["Colindale Food Bank"]
    with freeze_time("2026-11-25 14:30:00"):
        assert names(directory_search.search(SearchQuery(open_now=True))) == []
    with freeze_time("2026-06-24 13:30:00"):  # Wednesday 14:30 in London (BST): closed
        assert names(directory_search.search(SearchQuery(open_now=True))) == []
    with freeze_time("2026-06-24 12:30:00"):  # 13:30 BST: open
        assert names(directory_search.search(SearchQuery(open_now=True))) == ["Colindale Food Bank"]


def test_postcode_distance_orders_and_cuts_off(directory):
    near = directory_search.search(SearchQuery(postcode="NW4 4BG", distance_miles=1))
    assert names(near) == ["Hendon Youth Club", "Colindale Food Bank"]
    assert [round(m, 1) for _, m in near.items] == [0.0, 0.9]
    far = directory_search.search(SearchQuery(postcode="nw44bg", distance_miles=5, words="food"))
    assert names(far) == ["Colindale Food Bank", "Finchley Food Share"]  # the refuge's hidden address never counts
    assert directory_search.describe_miles(0.43) == "0.4 miles away"


def test_unknown_postcode_says_so(directory):
    with pytest.raises(directory_search.UnknownPostcode):
        directory_search.search(SearchQuery(postcode="SW1A 1AA"))


def test_paging(app, wards, taxonomies):
    for n in range(25):
        make_listing(f"Group {n:02d}", description="litter picking volunteers")
    first = directory_search.search(SearchQuery(words="litter", page=1))
    second = directory_search.search(SearchQuery(words="litter", page=2))
    assert first.total == 25 and first.pages == 2
    assert len(first.items) == 20 and len(second.items) == 5
    assert not set(names(first)) & set(names(second))


def test_search_page_shows_results_and_distances(client, directory):
    page = client.get("/directory/?q=food&postcode=NW4+4BG&distance=5").get_data(as_text=True)
    assert "2 results within 5 miles of NW4 4BG" in page
    assert "0.9 miles away" in page and "Colindale Food Bank" in page
    assert "Safe Haven Refuge" not in page


def test_search_page_explains_an_unknown_postcode(client, directory):
    response = client.get("/directory/?postcode=SW1A+1AA")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We cannot find the postcode SW1A 1AA" in page and "govuk-error-summary" in page
    page = client.get("/directory/?postcode=not+a+postcode").get_data(as_text=True)
    assert "Enter a real postcode" in page


def test_empty_results_say_what_to_try(client, directory):
    page = client.get("/directory/?q=zzzzqqq").get_data(as_text=True)
    assert "0 results" in page and "fewer or different words" in page


def test_listing_page_hides_confidential_addresses_from_the_public(client, directory, signed_in_as):
    page = client.get("/directory/safe-haven-refuge").get_data(as_text=True)
    assert "Safe Haven Refuge" in page and "NW4 4BG" not in page and "1 High Street" not in page
    assert "The address is not published" in page
    signed_in_as("strategy_officer")
    page = client.get("/directory/safe-haven-refuge").get_data(as_text=True)
    assert "NW4 4BG" in page and "Hidden from the public" in page


def test_unpublished_listing_is_not_found(client, directory):
    assert client.get("/directory/unapproved-food-group").status_code == 404


def test_listing_shows_hours_categories_and_ward(client, directory):
    page = client.get("/directory/colindale-food-bank").get_data(as_text=True)
    assert "Wednesday</th>" in page and "10:00 to 14:00" in page and "Food" in page and "Colindale North ward" in page


def test_a_ward_named_in_the_words_is_searched_as_the_ward(client, directory):
    """ "Food in Colindale North": the food listings in or serving that ward, not those that happen to say
    "Colindale"; the page says so, shows the ward chosen in the form, and offers the words as typed."""
    page = parse(client.get("/directory/?q=food+in+colindale+north"))
    assert [a.get_text(strip=True) for a in page.select("main h3 a")] == ["Colindale Food Bank", "Finchley Food Share"]
    note = page.select_one("#search-place-in-words")
    assert "Colindale North ward" in note.get_text() and "for “food”" in note.get_text()
    assert page.select_one("input[name=q]")["value"] == "food"
    assert page.select_one("select[name=ward] option[selected]")["value"] == "E05013632"
    as_typed = parse(client.get(note.a["href"]))
    assert as_typed.select_one("#search-place-in-words") is None
    assert as_typed.select_one("input[name=q]")["value"] == "food in colindale north"


def test_the_longest_ward_name_wins_and_a_name_alone_lists_the_ward(directory):
    place = directory_search.place_in_words("Food bank near West Hendon")
    assert (place.words, place.ward_name) == ("food bank", "West Hendon")
    assert directory_search.place_in_words("hendon").words == ""
    assert directory_search.place_in_words("help near hendon").words == ""  # nothing but words to leave out
    assert directory_search.place_in_words("hend youth") is None  # whole names only


def test_words_naming_a_ward_with_nothing_there_are_searched_as_typed(client, directory):
    """A listing named after a place it is not in ("West Finchley Choir" meets in Hendon) is still found by its
    name: the ward has nothing that matches, so the words are searched as typed."""
    make_listing("West Finchley Choir", description="Singing on Mondays", postcode="NW4 4BG")
    page = parse(client.get("/directory/?q=west+finchley+choir"))
    assert [a.get_text(strip=True) for a in page.select("main h3 a")] == ["West Finchley Choir"]
    assert page.select_one("#search-place-in-words") is None


def test_a_postcode_in_the_words_is_searched_as_the_postcode(client, directory):
    make_listing("Food Phone Line", description="Food advice by phone")  # neither an address nor an area
    page = parse(client.get("/directory/?q=food+near+nw9+4ew"))
    assert [a.get_text(strip=True) for a in page.select("main h3 a")][0] == "Colindale Food Bank"
    assert "near NW9 4EW" in page.select_one("#search-place-in-words").get_text()
    assert page.select_one("input[name=postcode]")["value"] == "NW9 4EW"
    # The page's own links go on from the search as made: "without the postcode" is every match for "food".
    everywhere = parse(client.get(page.select_one("#search-unplaced a")["href"]))
    assert everywhere.select_one("#search-place-in-words") is None
    assert "Food Phone Line" in [a.get_text(strip=True) for a in everywhere.select("main h3 a")]
    assert directory_search.place_in_words("youth club NW44BG").postcode == "NW4 4BG"
    assert directory_search.place_in_words("food SW1A 1AA") is None  # not a postcode we can place
