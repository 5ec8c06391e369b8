"""Every service has a place a resident understands: an address, or the area it serves (wards, all of the
borough, online or by phone). Place searches include the services that serve the place, labelled, and
nothing drops out silently."""

import csv
import io
import re
from pathlib import Path

import pytest

from app.directory import search as directory_search
from app.directory import services
from app.directory.models import Organisation
from app.directory.search import SearchQuery
from app.extensions import db

from .directory_helpers import add_postcodes, listing
from .listing_editor import edit, register, send_edit, start_registration

API = "/api/oruk/v3"
HENDON, COLINDALE_NORTH, WEST_FINCHLEY, WEST_HENDON = "E05013643", "E05013632", "E05013648", "E05013649"


def make(name, area_scope=None, areas=(), postcode=None, **kwargs):
    data = listing(name, postcode=postcode, areas=areas, **kwargs)
    data["services"][0]["area_scope"] = area_scope
    org = services.create_organisation(data, None)
    db.session.commit()
    return org


@pytest.fixture
def places(app, wards, taxonomies):
    add_postcodes()
    return {
        "near": make("Hendon Lunch Club", description="Hot lunches for neighbours", postcode="NW4 4BG"),
        "far": make("Finchley Lunch Club", description="Hot lunches in Finchley", postcode="N12 0GA"),
        "ward": make("Hendon Estate Lunches", description="Lunches on the estate", area_scope="wards", areas=[HENDON]),
        "other_ward": make(
            "West Hendon Lunches", description="Lunches on the estate", area_scope="wards", areas=[WEST_HENDON]
        ),
        "borough": make("Borough Lunch Line", description="Lunches delivered to your door", area_scope="borough"),
        "remote": make("Lunch Helpline", description="Advice on lunches by phone", area_scope="remote"),
        "nowhere": make("Lunch Friends", description="Lunches together"),
    }


def names(results):
    return [item.organisation.name for item in results.items]


def test_a_postcode_search_lists_nearby_first_then_services_for_that_place_labelled(places):
    results = directory_search.search(SearchQuery(words="lunches", postcode="NW4 4BG", distance_miles=1))
    assert names(results) == ["Hendon Lunch Club", "Hendon Estate Lunches", "Borough Lunch Line", "Lunch Helpline"]
    labels = {item.organisation.name: (item.place, item.serves, item.miles is not None) for item in results.items}
    assert labels["Hendon Lunch Club"] == ("nearby", None, True)
    assert labels["Hendon Estate Lunches"] == ("serves-ward", "Serves Hendon ward", False)
    assert labels["Borough Lunch Line"] == ("serves-borough", "Serves all of Barnet", False)
    assert labels["Lunch Helpline"] == ("remote", "Online or by phone", False)
    # Neither an address nor an area: counted and said, not silently dropped.
    assert results.total == 4 and results.nearby == 1 and results.unplaced == 1


def test_the_results_page_says_where_each_group_of_results_comes_from(client, places):
    page = client.get("/directory/?q=lunches&postcode=NW4+4BG&distance=1").get_data(as_text=True)
    assert "1 with an address within the distance you chose" in page
    assert "1 more listing matches" in page and "See every match without the postcode" in page


def test_a_ward_search_includes_services_for_the_ward_and_the_borough(places):
    results = directory_search.search(SearchQuery(ward=WEST_HENDON))
    assert names(results) == ["West Hendon Lunches", "Borough Lunch Line", "Lunch Helpline"]
    assert [item.serves for item in results.items] == [
        "Serves West Hendon ward",
        "Serves all of Barnet",
        "Online or by phone",
    ]


def test_the_listing_editor_asks_where_the_service_helps_people(client, app, places, signed_in_as):
    signed_in_as("strategy_officer")
    org = places["nowhere"]
    page = client.get(f"/directory/{org.slug}/edit/services/1").get_data(as_text=True)
    assert "Where does this service help people?" in page and "<legend" in page
    response = edit(client, org.slug, "services/1", {"area_scope": "wards", "areas": []})
    assert "Choose the wards the service helps people in" in response.get_data(as_text=True)
    # A new group must say where its service helps people, or where it runs.
    anonymous = app.test_client()
    start_registration(anonymous)
    response = register(anonymous, "services/new", {"name": "Lunch", "description": "Lunch together", "area_scope": ""})
    assert "Say where the service helps people, or choose a place where it runs" in response.get_data(as_text=True)
    edit(client, org.slug, "services/1", {"area_scope": "wards", "areas": [WEST_HENDON, HENDON]})
    assert send_edit(client, org.slug).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Organisation, org.id)
    service = saved.services[0]
    assert service.area_scope == "wards" and sorted(w.name for w in service.areas) == ["Hendon", "West Hendon"]
    edit(client, org.slug, "services/1", {"area_scope": "remote"})
    assert send_edit(client, org.slug).status_code == 302
    db.session.expire_all()
    service = db.session.get(Organisation, org.id).services[0]
    assert service.area_scope == "remote" and service.areas == []


def test_the_open_referral_api_carries_service_areas(client, places):
    def areas(org):
        return client.get(f"{API}/services/{org.services[0].uuid}").get_json().get("service_areas")

    assert areas(places["borough"]) == [
        {
            "id": areas(places["borough"])[0]["id"],
            "service_id": places["borough"].services[0].uuid,
            "name": "All of Barnet",
            "service_area": "People who live anywhere in Barnet",
            "uri": "http://statistics.data.gov.uk/id/statistical-geography/E09000003",
        }
    ]
    assert [a["name"] for a in areas(places["ward"])] == ["Hendon ward"]
    assert areas(places["remote"])[0]["extent_type"] == "text"
    assert areas(places["near"]) is None  # left out when empty


def test_csv_import_and_export_carry_service_areas(app, places):
    from app.directory import importer

    vocabulary = importer.Vocabulary()
    base = {column: "" for column in importer.COLUMNS}
    good = importer.build_row(
        2, {**base, "name": "Ward Group", "service_areas": "West Hendon; Burnt Oak ward"}, vocabulary
    )
    assert not good.problems
    assert good.data["services"][0]["area_scope"] == "wards"
    assert good.data["services"][0]["areas"] == [WEST_HENDON, "E05013630"]
    borough = importer.build_row(3, {**base, "name": "Borough Group", "service_areas": "All of Barnet"}, vocabulary)
    assert borough.data["services"][0]["area_scope"] == "borough"
    bad = importer.build_row(4, {**base, "name": "Lost Group", "service_areas": "Narnia"}, vocabulary)
    assert bad.data is None and "“narnia” is not a Barnet ward" in str(bad.problems)

    stream = io.StringIO()
    importer.write_export(stream)
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(stream.getvalue()))}
    assert rows["Borough Lunch Line"]["service_areas"] == "all of Barnet"
    assert rows["Hendon Estate Lunches"]["service_areas"] == "Hendon"
    assert rows["Lunch Helpline"]["service_areas"] == "online or by phone"
    assert rows["Hendon Lunch Club"]["service_areas"] == ""


def test_demo_areas_come_from_the_seeds(app, wards, taxonomies):
    from seed import demo_data, loader

    loader.load_demo_organisations()
    mtv = db.session.scalar(db.select(Organisation).where(Organisation.name == "Metropolitan Thames Valley"))
    assert mtv.services[0].area_scope == "wards" and [w.name for w in mtv.services[0].areas] == ["West Hendon"]
    assert mtv.locations == []  # an area, never an invented address
    source = Path(demo_data.__file__).read_text(encoding="utf-8").splitlines()
    # Every area quotes the demo record it comes from, by line: the line holds the quotation's first words.
    quotes = [re.search(r'# demo_data\.py:(\d+) "([^"]+)"', line) for line in source]
    for quote in filter(None, quotes):
        number, words = int(quote[1]), quote[2].split("...")[0].split()
        nearby = " ".join(" ".join(source[number - 2 : number + 1]).replace('" "', " ").split())
        assert " ".join(words[:3]) in nearby or " ".join(words[1:4]) in nearby, quote[0]
    assert any(quote and "West Hendon estate" in quote[2] for quote in quotes)
    results = directory_search.search(SearchQuery(ward=WEST_HENDON))
    assert "Metropolitan Thames Valley" in names(results)
    loaded = {name for name in db.session.scalars(db.select(Organisation.name))}
    assert set(demo_data.SERVICE_AREAS) <= loaded  # every area names a demo organisation


def test_a_ward_map_can_list_who_helps_people_there_without_a_point(places):
    results = directory_search.serving_ward(HENDON)
    assert [(item.organisation.name, item.serves) for item in results] == [
        ("Hendon Estate Lunches", "Serves Hendon ward"),
        ("Borough Lunch Line", "Serves all of Barnet"),
        ("Lunch Helpline", "Online or by phone"),
    ]
    assert places["borough"].serves_label == "Serves all of Barnet"
    assert places["near"].serves_label is None
