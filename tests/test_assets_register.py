"""The community assets register: public list and pages, officer editing, venues and map data."""

import pytest

from app.assets.models import CommunityAsset
from app.assets.services import meeting_venues
from app.extensions import db
from app.places.models import Postcode

from .conftest import post_form
from .html import banners, error_messages, form_data, links, page_text, parse


@pytest.fixture
def hendon_postcode(wards):
    db.session.add(Postcode(postcode="NW4 4BG", lat=51.5874, lon=-0.2297, ward_code="E05013643"))
    db.session.commit()


def asset_data(**overrides):
    data = {
        "name": "Hendon Town Hall",
        "category": "Spaces",
        "kind": "council_building",
        "owner": "council",
        "address": "The Burroughs, London",
        "postcode": "nw4 4bg",
        "capacity": "120",
        "facilities": "Council chamber, hearing loop",
        "accessibility": "Step-free entrance on The Burroughs",
        "bookable": "yes",
        "booking_details": "Email the civic events team two weeks ahead.",
        "booking_url": "https://www.barnet.gov.uk/",
        "organisation": "0",
        "published": "y",
    }
    data.update(overrides)
    return data


def test_an_officer_adds_an_asset_with_ward_and_position(client, signed_in_as, hendon_postcode):
    signed_in_as("strategy_officer")
    response = post_form(client, "/assets-register/new", asset_data())
    assert response.status_code == 302
    asset = db.session.scalar(db.select(CommunityAsset))
    assert asset.postcode == "NW4 4BG" and asset.ward.name == "Hendon"
    assert (asset.lat, asset.lon) == (51.5874, -0.2297)
    assert asset.venue_label == "Hendon Town Hall, The Burroughs, London, NW4 4BG"
    page = parse(client.get(response.headers["Location"]))
    shown = page_text(page)
    for words in (
        "Hendon Town Hall",
        "Council-owned",
        "120 people",
        "hearing loop",
        "Step-free entrance",
        "Email the civic events team",
    ):
        assert words in shown
    assert "Hendon" in [words for words, _ in links(page, "main a")]  # the ward, linked to its page
    assert meeting_venues() == [(asset.id, asset.venue_label)]


def test_asset_form_errors_are_clear(client, signed_in_as):
    signed_in_as("admin")
    page = post_form(
        client,
        "/assets-register/new",
        asset_data(name="", address="", capacity="lots", booking_details="", postcode="XYZ", booking_url="barnet"),
    )
    messages = " | ".join(error_messages(parse(page)))
    for message in (
        "Enter the name of the asset",
        "Enter the address of the space",
        "Capacity must be a whole number",
        "Enter how to book it",
        "Enter a real postcode",
        "Enter a web address starting with https://",
    ):
        assert message in messages
    assert db.session.scalar(db.select(db.func.count(CommunityAsset.id))) == 0


def test_unknown_postcode_is_saved_without_a_ward_and_says_so(client, signed_in_as, wards):
    signed_in_as("strategy_officer")
    response = post_form(client, "/assets-register/new", asset_data(postcode="EC1A 1BB"), follow_redirects=True)
    assert any("not in the postcode table for Barnet" in message for message in banners(parse(response)))
    asset = db.session.scalar(db.select(CommunityAsset))
    assert asset.postcode == "EC1A 1BB" and asset.ward_code is None and not asset.mappable


def test_officer_edits_and_hides_an_asset(client, signed_in_as, hendon_postcode):
    asset = CommunityAsset(name="Old Hall", category="Spaces", kind="community_centre", address="1 High Road")
    db.session.add(asset)
    db.session.commit()
    signed_in_as("strategy_officer")
    assert form_data(parse(client.get(f"/assets-register/{asset.id}/edit")))["name"] == "Old Hall"
    post_form(client, f"/assets-register/{asset.id}/edit", asset_data(name="New Hall", published=""))
    assert asset.name == "New Hall" and asset.published is False
    # Officers still see it; the public does not.
    assert client.get(f"/assets-register/{asset.id}").status_code == 200
    client.post("/sign-out", data={})  # without a token: refused, so start a fresh client instead
    public = client.application.test_client()
    assert public.get(f"/assets-register/{asset.id}").status_code == 404
    assert "New Hall" not in page_text(parse(public.get("/assets-register/")))


def test_only_strategy_officers_and_admins_manage_the_register(client, signed_in_as):
    signed_in_as("performance_officer")
    assert client.get("/assets-register/new").status_code == 403
    assert post_form(client, "/assets-register/new", asset_data(), form_url="/covenant/sign").status_code == 403


def test_public_register_filters_and_downloads(client, hendon_postcode):
    db.session.add_all(
        [
            CommunityAsset(
                name="Hendon Library",
                category="Spaces",
                kind="library",
                owner="council",
                address="The Burroughs",
                postcode="NW4 4BG",
                ward_code="E05013643",
                lat=51.5874,
                lon=-0.2297,
                bookable=True,
                booking_details="Ask at the desk",
            ),
            CommunityAsset(name="Crowdfund Barnet", category="Money", kind="other", owner="council"),
            CommunityAsset(name="Secret Store", category="Spaces", kind="other", address="x", published=False),
        ]
    )
    db.session.commit()
    page = page_text(parse(client.get("/assets-register/")))
    assert "Hendon Library" in page and "Crowdfund Barnet" in page and "Secret Store" not in page
    page = page_text(parse(client.get("/assets-register/?category=Money")))
    assert "Crowdfund Barnet" in page and "Hendon Library" not in page
    page = page_text(parse(client.get("/assets-register/?ward=E05013643&bookable=yes")))
    assert "Hendon Library" in page and "Crowdfund Barnet" not in page
    csv = client.get("/assets-register/assets.csv").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("id,name,category") and "Hendon Library" in csv and "Secret" not in csv
    geo = client.get("/assets-register/assets.geojson").get_json()
    assert [f["properties"]["name"] for f in geo["features"]] == ["Hendon Library"]
    assert geo["features"][0]["geometry"]["coordinates"] == [-0.2297, 51.5874]
    assert geo["features"][0]["properties"]["ward"] == "Hendon"


def test_demo_loader_reads_the_venues_once(app):
    from app.assets.demo import load_demo
    from seed.demo_data import VENUES

    assert load_demo() == f"Community assets added: {len(VENUES)}."
    assert load_demo() == "Community assets added: 0."
    town_hall = db.session.scalar(db.select(CommunityAsset).where(CommunityAsset.name == "Hendon Town Hall"))
    assert town_hall.owner == "council" and town_hall.kind == "council_building"
    assert "003_c91605f45081f960.txt:15" in town_hall.source
