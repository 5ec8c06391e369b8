"""Geocoding: the local postcode table, then an optional postcodes.io-compatible API, then a manual pin."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from app.extensions import db
from app.places.services import lookup_postcode, ward_at

from .conftest import GEO_DIR, free_port, post_form
from .factories.directory import add_postcodes, make_listing

# What a postcodes.io-compatible service knows (the real position of EN5 4AG, High Barnet).
REMOTE = {
    "EN5 4AG": {
        "postcode": "EN5 4AG",
        "latitude": 51.653969,
        "longitude": -0.22146,
        "codes": {"admin_ward": "E05013644", "admin_district": "E09000003"},
    }
}


class PostcodesIo(BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):  # noqa: N802  (http.server's name)
        PostcodesIo.requests.append(self.path)
        from urllib.parse import unquote

        postcode = unquote(self.path.rsplit("/", 1)[-1]).upper()
        if self.path.startswith("/postcodes/") and postcode in REMOTE:
            body, status = {"status": 200, "result": REMOTE[postcode]}, 200
        elif self.path.startswith("/postcodes/broken"):
            body, status = {"status": 500, "error": "oops"}, 500
        else:
            body, status = {"status": 404, "error": "Postcode not found"}, 404
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def postcode_api(app):
    server = HTTPServer(("127.0.0.1", free_port()), PostcodesIo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PostcodesIo.requests = []
    app.config["POSTCODES_API_URL"] = f"http://127.0.0.1:{server.server_port}/"
    yield PostcodesIo.requests
    app.config["POSTCODES_API_URL"] = ""
    server.shutdown()


def test_local_table_comes_first(app, wards, postcode_api):
    add_postcodes()
    assert lookup_postcode("nw44bg").ward_code == "E05013643"
    assert postcode_api == []  # no call out when the table knows the postcode


def test_api_fills_in_a_missing_postcode_and_is_remembered(app, wards, postcode_api):
    found = lookup_postcode("en5 4ag")
    assert (found.lat, found.lon, found.ward_code) == (51.653969, -0.22146, "E05013644")
    db.session.commit()
    assert lookup_postcode("EN5 4AG") is not None
    assert postcode_api == ["/postcodes/EN5%204AG"]  # asked once, then kept in the table


def test_api_unknown_or_failing_postcode_is_none(app, wards, postcode_api):
    assert lookup_postcode("SW1A 2AA") is None
    assert lookup_postcode("not a postcode") is None


def test_api_off_by_default(app, wards):
    assert app.config["POSTCODES_API_URL"] == ""
    assert lookup_postcode("EN5 4AG") is None


def test_api_unreachable_is_not_an_error(app, wards):
    app.config["POSTCODES_API_URL"] = f"http://127.0.0.1:{free_port()}"
    try:
        assert lookup_postcode("EN5 4AG") is None
    finally:
        app.config["POSTCODES_API_URL"] = ""


def test_directory_search_uses_the_api_for_a_postcode_the_table_lacks(client, app, wards, taxonomies, postcode_api):
    add_postcodes()
    make_listing("Barnet Lunch Club", postcode="NW4 4BG")
    page = client.get("/directory/?postcode=EN5+4AG&distance=5").get_data(as_text=True)
    assert "1 result within 5 miles of EN5 4AG" in page


@pytest.mark.skipif(not GEO_DIR.is_dir(), reason="../shared/geo is not beside the repository")
def test_ward_at_uses_the_boundaries(app, wards):
    app.test_cli_runner().invoke(args=["geo", "import-wards", str(GEO_DIR / "barnet_wards_2022.geojson")])
    assert ward_at(51.588264, -0.229251).code == "E05013643"  # Hendon Town Hall
    assert ward_at(51.5074, -0.1278) is None  # Trafalgar Square


@pytest.mark.skipif(not GEO_DIR.is_dir(), reason="../shared/geo is not beside the repository")
def test_officer_pins_an_address_by_hand_and_it_survives_an_edit(app, client, wards, taxonomies, signed_in_as):
    app.test_cli_runner().invoke(args=["geo", "import-wards", str(GEO_DIR / "barnet_wards_2022.geojson")])
    org = make_listing("Mystery Hall", postcode="NW4 9ZZ")  # a postcode nobody knows
    location = org.locations[0]
    assert location.lat is None
    signed_in_as("strategy_officer")
    assert "Not on the map" in client.get(f"/directory/{org.slug}").get_data(as_text=True)
    url = f"/directory/{org.slug}/locations/{location.id}/pin"
    page = post_form(client, url, {"latitude": "north", "longitude": "200"}).get_data(as_text=True)
    assert "Enter the latitude as a number" in page and "The longitude must be between" in page
    response = post_form(client, url, {"latitude": "51.588264", "longitude": "-0.229251"})
    assert response.status_code == 302
    db.session.refresh(location)
    assert (location.lat, location.position_source, location.ward_code) == (51.588264, "manual", "E05013643")
    # Publishing the listing again keeps the pin while the postcode stays the same.
    from app.directory import services

    services.publish(org, services.snapshot(org), None)
    db.session.commit()
    db.session.refresh(location)
    assert location.position_source == "manual" and location.lat == 51.588264
