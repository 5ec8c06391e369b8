"""Maps in a real browser: markers and ward shapes render, popups link to listings, axe passes."""

import pytest

from ..conftest import GEO_DIR
from ..factories.directory import add_postcodes, make_listing
from .conftest import run_axe, wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def mapped(app, wards, taxonomies):
    add_postcodes()
    make_listing("Colindale Food Bank", categories=["Food"], postcode="NW9 4EW")
    make_listing("Hendon Youth Club", categories=["Youth"], postcode="NW4 4BG")
    result = app.test_cli_runner().invoke(args=["geo", "import-wards", str(GEO_DIR / "barnet_wards_2022.geojson")])
    assert result.exit_code == 0


def test_directory_map_shows_markers_and_a_popup_link_opens_the_listing(live_server, page, mapped):
    page.goto(live_server + "/maps/directory")
    page.get_by_text("2 places shown on the map.").wait_for()
    assert run_axe(page) == []
    # Zoom in until the clusters split into markers, then open one marker's popup.
    wait_until(page, "document.querySelectorAll('.leaflet-marker-icon').length >= 1")
    page.evaluate("(() => { const m = Object.values(window.portalMaps)[0]; m.setView([51.5976, -0.2450], 17); })()")
    marker = page.locator('img.leaflet-marker-icon[alt="Colindale Food Bank"]')
    marker.wait_for()
    marker.click()
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    assert link.inner_text() == "Colindale Food Bank"
    link.click()
    page.get_by_role("heading", name="Colindale Food Bank", level=1).wait_for()
    assert page.console_problems == []


def test_ward_choropleth_draws_every_ward(live_server, page, mapped):
    page.goto(live_server + "/maps/wards")
    wait_until(page, "document.querySelectorAll('path.leaflet-interactive').length === 24")
    assert run_axe(page) == []
    assert page.console_problems == []


def test_ward_page_map_and_list(live_server, page, mapped):
    page.goto(live_server + "/wards/E05013632")
    page.get_by_text("1 place shown on the map.").wait_for()
    assert page.locator("path.leaflet-interactive").count() == 1
    assert run_axe(page) == []
    page.goto(live_server + "/wards")
    assert run_axe(page) == []
    assert page.console_problems == []


def test_assets_map_renders_its_markers(live_server, page, mapped):
    from app.assets.models import CommunityAsset
    from app.extensions import db

    db.session.add(
        CommunityAsset(
            name="Hendon Library",
            category="Spaces",
            kind="library",
            owner="council",
            postcode="NW4 4BG",
            lat=51.588264,
            lon=-0.229251,
            ward_code="E05013643",
        )
    )
    db.session.commit()
    page.goto(live_server + "/maps/assets")
    page.get_by_text("1 place shown on the map.").wait_for()
    assert page.locator('img.leaflet-marker-icon[alt="Hendon Library"]').count() == 1
    assert run_axe(page) == []
    assert page.console_problems == []
