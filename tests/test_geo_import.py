"""`flask geo import-wards` / `import-postcodes` with the real ONS/OS files and with broken ones."""

import json

import pytest

from app.extensions import db
from app.places.models import Postcode, Ward
from app.places.services import normalise_postcode

from .conftest import GEO_DIR

pytestmark = pytest.mark.skipif(not GEO_DIR.is_dir(), reason="../shared/geo is not beside the repository")


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _feature(code, name, ring):
    return {
        "type": "Feature",
        "properties": {"WD22CD": code, "WD22NM": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


SQUARE = [[-0.23, 51.58], [-0.22, 51.58], [-0.22, 51.59], [-0.23, 51.59], [-0.23, 51.58]]


@pytest.mark.parametrize(
    "postcode, expected",
    [
        ("nw44bg", "NW4 4BG"),
        (" NW4  4BG ", "NW4 4BG"),
        ("en50ad", "EN5 0AD"),
        ("W1A 1AA", "W1A 1AA"),
        ("NW4", None),
        ("hello", None),
        ("", None),
    ],
)
def test_postcodes_are_normalised(postcode, expected):
    assert normalise_postcode(postcode) == expected


def test_import_the_real_ward_boundaries(runner, wards):
    result = runner.invoke(args=["geo", "import-wards", str(GEO_DIR / "barnet_wards_2022.geojson"), "--set", "2022"])
    assert result.exit_code == 0, result.output
    assert "Imported boundaries for 24 wards of the 2022 set" in result.output
    hendon = db.session.get(Ward, "E05013643")
    assert json.loads(hendon.boundary_geojson)["type"] in ("Polygon", "MultiPolygon")
    # Hendon's centre lies in Hendon, north-west London.
    assert 51.57 < hendon.centroid_lat < 51.61 and -0.25 < hendon.centroid_lon < -0.20

    result = runner.invoke(
        args=["geo", "import-wards", str(GEO_DIR / "barnet_wards_2002-2022.geojson"), "--set", "2002"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count()).where(Ward.boundary_geojson.is_not(None))) == 45


def test_import_the_real_postcodes(runner, wards):
    result = runner.invoke(args=["geo", "import-postcodes", str(GEO_DIR / "barnet_postcodes.csv")])
    assert result.exit_code == 0, result.output
    assert "Imported 8917 postcodes" in result.output
    hall = db.session.get(Postcode, "NW4 4BG")  # Hendon Town Hall
    assert hall.ward_code == "E05013643" and hall.ward_code_2002 == "E05000055"
    # Running it again updates rather than duplicates.
    assert runner.invoke(args=["geo", "import-postcodes", str(GEO_DIR / "barnet_postcodes.csv")]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count(Postcode.postcode))) == 8917


def test_wrong_crs_is_refused_and_nothing_is_written(runner, wards, tmp_path):
    # British National Grid eastings/northings in a file that should be WGS84.
    bad = {
        "type": "FeatureCollection",
        "features": [
            _feature("E05013643", "Hendon", [[523000, 189000], [524000, 189000], [524000, 190000], [523000, 189000]])
        ],
    }
    path = tmp_path / "bng.geojson"
    path.write_text(json.dumps(bad))
    result = runner.invoke(args=["geo", "import-wards", str(path)])
    assert result.exit_code != 0
    assert "nothing was imported" in result.output and "WGS84" in result.output
    assert db.session.get(Ward, "E05013643").boundary_geojson is None


def test_declared_foreign_crs_is_refused(runner, wards, tmp_path):
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [_feature("E05013643", "Hendon", SQUARE)],
    }
    path = tmp_path / "crs.geojson"
    path.write_text(json.dumps(collection))
    result = runner.invoke(args=["geo", "import-wards", str(path)])
    assert result.exit_code != 0 and "27700" in result.output


def test_one_bad_feature_means_no_ward_is_updated(runner, wards, tmp_path):
    collection = {
        "type": "FeatureCollection",
        "features": [
            _feature("E05013643", "Hendon", SQUARE),  # fine
            _feature("E05099999", "Atlantis", SQUARE),  # unknown code
            _feature("E05013628", "Barnet Vale", SQUARE[:-1]),  # ring not closed
            {
                "type": "Feature",
                "properties": {"ward_code": "E05013629"},
                "geometry": {"type": "Point", "coordinates": [-0.2, 51.6]},
            },
        ],
    }
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps(collection))
    result = runner.invoke(args=["geo", "import-wards", str(path)])
    assert result.exit_code != 0
    assert "3 problem(s)" in result.output
    assert "feature 2 (E05099999 Atlantis): ward_code: not one of the 24 wards" in result.output
    assert "not closed" in result.output and "Polygon or MultiPolygon" in result.output
    assert db.session.get(Ward, "E05013643").boundary_geojson is None


def test_not_json_is_a_clear_error(runner, wards, tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json")
    result = runner.invoke(args=["geo", "import-wards", str(path)])
    assert result.exit_code != 0 and "not valid JSON" in result.output


def test_missing_file_says_how_to_fix_it(runner, wards, tmp_path):
    result = runner.invoke(args=["geo", "import-postcodes", str(tmp_path / "nope.csv")])
    assert result.exit_code != 0 and "GEO_DATA_DIR" in result.output


def test_postcode_file_with_a_bad_row_writes_nothing(runner, wards, tmp_path):
    path = tmp_path / "pc.csv"
    path.write_text(
        "postcode,lat,lon,ward_code\n"
        "nw44bg,51.5866,-0.2264,E05013643\n"
        "NOT A POSTCODE,51.5,-0.2,E05013643\n"
        "EN5 0AD,north,-0.2,E05013628\n"
    )
    result = runner.invoke(args=["geo", "import-postcodes", str(path)])
    assert result.exit_code != 0
    assert "line 3: postcode: 'NOT A POSTCODE' is not a UK postcode" in result.output
    assert "line 4: position" in result.output
    assert db.session.scalar(db.select(db.func.count(Postcode.postcode))) == 0


def test_onspd_style_file_skips_other_boroughs_and_terminated_postcodes(runner, wards, tmp_path):
    path = tmp_path / "onspd.csv"
    path.write_text(
        "pcd,pcds,doterm,lat,long,osward\n"
        "NW4 4BG,NW4 4BG,,51.5866,-0.2264,E05013643\n"
        "N1  1AA,N1 1AA,,51.53,-0.10,E05000368\n"
        "NW4 9ZZ,NW4 9ZZ,201001,51.58,-0.22,E05013643\n"
    )
    result = runner.invoke(args=["geo", "import-postcodes", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 postcodes" in result.output
    assert "1 terminated postcode" in result.output and "1 ward outside the borough" in result.output


def test_code_point_open_eastings_are_converted(runner, wards, tmp_path):
    path = tmp_path / "codepoint.csv"
    path.write_text(
        "Postcode,Positional_quality_indicator,Eastings,Northings,Admin_ward_code\nEN4 0NH,10,525216,197547,E05013644\n"
    )
    result = runner.invoke(args=["geo", "import-postcodes", str(path)])
    assert result.exit_code == 0, result.output
    row = db.session.get(Postcode, "EN4 0NH")
    # ../shared/geo gives 51.662766, -0.190967 for this postcode.
    assert abs(row.lat - 51.662766) < 0.0001 and abs(row.lon - -0.190967) < 0.0002
    assert row.positional_quality == 10


def test_geo_import_all_uses_geo_data_dir(runner, wards):
    result = runner.invoke(args=["geo", "import-all"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count()).where(Ward.centroid_lat.is_not(None))) == 45
