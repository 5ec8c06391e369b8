"""Maps: no CDN, strict CSP, points as compact JSON, the ward choropleth and its fallback, ward pages."""

import re

import pytest

from .conftest import GEO_DIR
from .factories.directory import add_postcodes, make_listing
from .html import list_under, parse, summary_list, text


@pytest.fixture
def places(app, wards, taxonomies):
    add_postcodes()
    make_listing("Colindale Food Bank", categories=["Food"], postcode="NW9 4EW")
    make_listing("Hendon Youth Club", categories=["Youth"], postcode="NW4 4BG")
    make_listing("Hendon Refuge", categories=["Domestic abuse"], postcode="NW4 4BG", confidential=True)
    make_listing("Draft Group", postcode="NW4 4BG", published=False)


@pytest.fixture
def boundaries(app, wards):
    result = app.test_cli_runner().invoke(args=["geo", "import-wards", str(GEO_DIR / "barnet_wards_2022.geojson")])
    assert result.exit_code == 0, result.output


def test_map_page_loads_nothing_from_a_cdn_and_runs_under_the_csp(client, places):
    response = client.get("/maps/directory")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "cdn" not in html.lower() and "jquery" not in html.lower() and "bootstrap" not in html.lower()
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert any(f'nonce="{nonce}"' in attrs for attrs in scripts)  # folium's map script
    assert all('src="/static/' in attrs or f'nonce="{nonce}"' in attrs for attrs in scripts)
    assert 'src="/static/vendor/leaflet/leaflet.js"' in html and "L.map(" in html
    # The points are not in the page: they are fetched.
    assert "Colindale Food Bank" not in html.split("<table")[0]
    assert 'data-points-url="/maps/directory/points.json"' in html


def test_points_are_compact_and_leave_out_hidden_places(client, places):
    data = client.get("/maps/directory/points.json").get_json()
    assert data["fields"] == ["lat", "lon", "name", "slug"]
    assert sorted(point[2] for point in data["points"]) == ["Colindale Food Bank", "Hendon Youth Club"]
    food = client.get("/maps/directory/points.json?category=category/food").get_json()
    assert [point[2] for point in food["points"]] == ["Colindale Food Bank"]
    in_hendon = client.get("/maps/directory/points.json?ward=E05013643").get_json()
    assert [point[2] for point in in_hendon["points"]] == ["Hendon Youth Club"]


def test_a_wards_points_answer_a_conditional_get_without_reading_any_point(client, places):
    """Every ward's points are encoded together (app/maps/views.py): a 304 must not build them."""
    from app import datacache

    from .statement_count import count_statements

    first = client.get("/maps/directory/points.json?ward=E05013643")
    datacache.forget()  # a worker that has not built them
    with count_statements() as counted:
        again = client.get(
            "/maps/directory/points.json?ward=E05013643", headers={"If-None-Match": first.headers["ETag"]}
        )
    assert again.status_code == 304
    assert not any("location" in statement.lower() for statement in counted.statements), counted.statements
    # A ward with no points answers an empty list.
    assert client.get("/maps/directory/points.json?ward=E05013630").get_json()["points"] == []


def test_choropleth_shades_ward_boundaries_with_a_key_and_a_table(client, places, boundaries):
    html = client.get("/maps/wards").get_data(as_text=True)
    script = html[html.index("L.map(") :]
    assert script.count('"type": "Feature"') == 24 or script.count('"Feature"') >= 24
    assert "Colindale North" in script and "#f3f2f1" in script
    assert "Key" in html and "portal-legend__swatch--zero" in html
    # Two wards with one each, 22 with none: zero is its own class, and the page says it is too sparse to compare.
    assert "0: 22 wards" in html and "1: 2 wards" in html
    assert "Only 2 of 24 wards have any" in html
    table = html[html.index("<table") :]
    assert re.search(r"Colindale North</a></th>\s*<td[^>]*>1</td>", table)
    assert re.search(r"Hendon</a></th>\s*<td[^>]*>1</td>", table)  # the refuge's address does not count
    assert "circle at its centre" not in html


def test_without_boundaries_the_map_falls_back_to_labelled_circles(client, places):
    add_postcodes()
    html = client.get("/maps/wards").get_data(as_text=True)
    assert "Ward boundaries have not been imported, so each ward is shown as a circle" in html
    assert "L.circleMarker(" in html


def test_2002_wards_and_unknown_measures(client, places):
    html = client.get("/maps/wards?set=2002").get_data(as_text=True)
    assert "Hale" in html and "Wards 2002 to 2022" in html
    assert client.get("/maps/wards?measure=nonsense").status_code == 404


def test_ward_page_lists_what_is_in_the_ward(client, places, boundaries):
    page = parse(client.get("/wards/E05013643"))
    assert summary_list(page)["Community organisations"] == "1"
    # The confidential address (a refuge) and the unpublished listing are never shown.
    assert [item.split(",")[0] for item in list_under(page, "Community organisations (1)")] == ["Hendon Youth Club"]
    assert page.select_one("[data-points-url]")["data-points-url"] == "/maps/directory/points.json?ward=E05013643"


def test_borough_overview_counts_every_ward(client, places):
    page = parse(client.get("/wards"))
    headers = [text(th) for th in page.select("thead th")]
    borough = [text(cell) for cell in page.select("tfoot tr th, tfoot tr td")]
    assert dict(zip(headers, borough, strict=True))["Community organisations"] == "2"


def test_attribution_is_shown_where_ons_data_is(client, places):
    for path in ["/maps/wards", "/maps/directory", "/wards", "/wards/E05013643"]:
        assert "Source: Office for National Statistics licensed under the Open Government Licence v.3.0." in client.get(
            path
        ).get_data(as_text=True)


def test_assets_map_and_ward_counts(client, app, wards, taxonomies, boundaries):
    from app.assets.models import CommunityAsset
    from app.extensions import db

    add_postcodes()
    db.session.add_all(
        [
            CommunityAsset(
                name="Hendon Library",
                category="Spaces",
                kind="library",
                owner="council",
                postcode="NW4 4BG",
                lat=51.588264,
                lon=-0.229251,
                ward_code="E05013643",
            ),
            CommunityAsset(
                name="Hidden Hall",
                category="Spaces",
                kind="other",
                postcode="NW4 4BG",
                lat=51.5,
                lon=-0.2,
                published=False,
            ),
        ]
    )
    db.session.commit()
    html = client.get("/maps/assets").get_data(as_text=True)
    assert "Hendon Library" in html and "Hidden Hall" not in html
    points = client.get("/maps/assets/points.json").get_json()
    assert [p[2] for p in points["points"]] == ["Hendon Library"]
    assert points["listing_url"].endswith("/SLUG")
    ward_page = parse(client.get("/wards/E05013643"))
    assert [item.split(",")[0] for item in list_under(ward_page, "Community assets (1)")] == ["Hendon Library"]
    choropleth = client.get("/maps/wards?measure=assets").get_data(as_text=True)
    assert "Community assets by ward" in choropleth


def test_ward_pages_count_ctn_members_without_naming_them(client, places):
    from datetime import datetime

    from app.ctn.models import Meeting, Member
    from app.extensions import db

    db.session.add_all(
        [
            Member(
                name="Priya Shah",
                email="priya@example.org",
                email_key="priya@example.org",
                sector="vcfs",
                ward_code="E05013643",
                status="confirmed",
            ),
            Member(
                name="Not Yet",
                email="pending@example.org",
                email_key="pending@example.org",
                sector="vcfs",
                ward_code="E05013643",
                status="pending",
            ),
            Meeting(
                title="CTN open forum: food security",
                starts_at=datetime(2026, 12, 3, 10),
                ends_at=datetime(2026, 12, 3, 12),
                venue_name="Hendon Town Hall",
                venue_postcode="NW4 4BG",
                ward_code="E05013643",
            ),
        ]
    )
    db.session.commit()
    page = parse(client.get("/wards/E05013643"))
    assert [item.split(",")[0] for item in list_under(page, "CTN meetings (1)")] == ["CTN open forum: food security"]
    assert summary_list(page)["CTN members"] == "1"  # the confirmed member only, counted and never named
    assert "Priya" not in text(page.body) and "priya@example.org" not in str(page)
    overview = parse(client.get("/wards"))
    assert {"CTN members", "CTN meetings"} <= {text(th) for th in overview.select("thead th")}
    assert "CTN members by ward" in client.get("/maps/wards?measure=members").get_data(as_text=True)


def test_choropleth_classes_put_zero_alone_and_split_the_rest_by_quantiles():
    from app.maps.services import ZERO_COLOUR, classify

    counts = [0] * 10 + [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 30]
    result = classify(counts)
    assert [c.label for c in result.classes] == ["0", "1 to 4", "5 to 7", "8 to 11", "12 to 30"]
    assert result.classes[0].colour == ZERO_COLOUR and result.classes[0].wards == 10
    assert sum(c.wards for c in result.classes) == 24
    assert len({c.colour for c in result.classes}) == 5
    assert not result.sparse
    # Equal intervals would have put 1 to 6 in one shade; a ward with 1 and a ward with 6 now differ.
    assert result.colour_for(1) != result.colour_for(6)
    assert result.colour_for(0) == ZERO_COLOUR and result.colour_for(30) == result.classes[-1].colour
    sparse = classify([0] * 22 + [1, 3])
    assert sparse.sparse and sparse.wards_with_any == 2
    assert [c.label for c in sparse.classes] == ["0", "1", "2 to 3"]
    assert classify([0] * 24).classes[0].wards == 24


def test_choropleth_fits_the_borough(client, places, boundaries):
    html = client.get("/maps/wards").get_data(as_text=True)
    assert "fitBounds(" in html and '"zoomSnap": 0.25' in html
