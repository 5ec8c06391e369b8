"""Place logic that needs no request: postcodes, ward boundary and postcode file validation."""

import functools
import json
import math
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from flask import current_app

from .. import csvkit, datacache
from ..extensions import db
from ..text import whole_number
from .models import WARD_SET_2022, WARD_SETS, Postcode, Ward

# The UK postcode shape (BS 7666): outward code, then a digit and two letters.
POSTCODE_RE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][ABD-HJLNP-UW-Z]{2})$")
WARD_CODE_RE = re.compile(r"^E05\d{6}$")
# Generous box around Great Britain in WGS84: coordinates outside it are in another CRS.
GB_LON = (-9.0, 2.5)
GB_LAT = (49.5, 61.0)
WGS84_CRS_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}


@dataclass(frozen=True)
class WardFacts:
    """A ward as pages show it: everything but its boundary (which is large and only maps draw)."""

    code: str
    name: str
    ward_set: str
    centroid_lat: float | None
    centroid_lon: float | None

    @property
    def set_label(self):
        return WARD_SETS[self.ward_set]


@datacache.cached("wards", ("places",))
def _wards_by_code():
    """{code: WardFacts} of both ward sets in name order, read once per version of the places data."""
    columns = (Ward.code, Ward.name, Ward.ward_set, Ward.centroid_lat, Ward.centroid_lon)
    return {row.code: WardFacts(*row) for row in db.session.execute(db.select(*columns).order_by(Ward.name))}


def ward_facts(code):
    """The ward with this code (either set), or None."""
    return _wards_by_code().get(code)


def wards_in_set(ward_set):
    """The wards of one set in name order."""
    return [ward for ward in _wards_by_code().values() if ward.ward_set == ward_set]


def ward_choices():
    """[(code, name)] of the current (2022) wards in name order, for a form's ward question."""
    return [(ward.code, ward.name) for ward in wards_in_set(WARD_SET_2022)]


def normalise_postcode(value):
    """'nw44bg' -> 'NW4 4BG'; None when it is not a postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not POSTCODE_RE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def lookup_postcode(value):
    """The Postcode row for a user-typed postcode, or None.

    The local table first; when POSTCODES_API_URL is set (a postcodes.io-compatible service), a postcode
    missing from the table is asked for there and, if found, kept in the table for next time.
    """
    postcode = normalise_postcode(value)
    if not postcode:
        return None
    found = db.session.get(Postcode, postcode)
    if found is None and current_app.config.get("POSTCODES_API_URL"):
        found = _lookup_remote(postcode)
    return found


def _lookup_remote(postcode):
    """Ask a postcodes.io-compatible API (GET {base}/postcodes/{postcode}); None when unknown or unreachable."""
    base = current_app.config["POSTCODES_API_URL"].rstrip("/")
    url = f"{base}/postcodes/{urllib.parse.quote(postcode)}"
    try:
        with urllib.request.urlopen(url, timeout=current_app.config["POSTCODES_API_TIMEOUT"]) as response:
            data = json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            current_app.logger.warning("postcode API error", extra={"status": exc.code})
        return None
    except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
        current_app.logger.warning("postcode API unreachable", extra={"error": str(exc)})
        return None
    result = (data or {}).get("result") or {}
    lat, lon = result.get("latitude"), result.get("longitude")
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
        return None
    ward_code = ((result.get("codes") or {}).get("admin_ward")) or None
    if ward_code and db.session.get(Ward, ward_code) is None:
        ward_code = None  # a ward outside the borough
    row = Postcode(postcode=postcode, lat=float(lat), lon=float(lon), ward_code=ward_code)
    db.session.add(row)
    db.session.flush()
    return row


@dataclass
class ImportProblem:
    where: str
    field: str
    problem: str

    def __str__(self):
        return f"{self.where}: {self.field}: {self.problem}"


@dataclass
class ImportReport:
    written: int = 0
    skipped: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def skip(self, reason):
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


class ImportRejected(Exception):
    """The file cannot be imported at all; nothing was written."""

    def __init__(self, report):
        super().__init__("; ".join(str(p) for p in report.problems[:5]))
        self.report = report


# --- Ward boundaries -------------------------------------------------------------------------


def _ward_properties(props):
    """(code, name) from ONS (WDyyCD/WDyyNM) or plain (ward_code/ward_name) properties."""
    code = props.get("ward_code")
    name = props.get("ward_name")
    for key, value in props.items():
        if re.fullmatch(r"WD\d{2}CD", key, re.IGNORECASE):
            code = value
        elif re.fullmatch(r"WD\d{2}NM", key, re.IGNORECASE):
            name = value
    return (str(code).strip() if code else None, str(name).strip() if name else None)


def _rings(geometry):
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        return [coords]
    if kind == "MultiPolygon":
        return coords
    raise ValueError(f"geometry must be a Polygon or MultiPolygon, not {kind!r}")


def _check_polygons(polygons):
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValueError("a polygon has no rings")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise ValueError("a ring has fewer than 4 positions")
            for position in ring:
                if (
                    not isinstance(position, (list, tuple))
                    or len(position) < 2
                    or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in position[:2])
                ):
                    raise ValueError(f"bad position {position!r}")
                lon, lat = position[0], position[1]
                if not (GB_LON[0] <= lon <= GB_LON[1] and GB_LAT[0] <= lat <= GB_LAT[1]):
                    raise ValueError(
                        f"position {lon}, {lat} is not longitude/latitude in Great Britain: "
                        "the file must be in WGS84 (EPSG:4326), not British National Grid"
                    )
            if list(ring[0][:2]) != list(ring[-1][:2]):
                raise ValueError("a ring is not closed (first and last positions differ)")


def centroid(polygons):
    """Area-weighted centroid (lat, lon) of the outer rings; planar, fine at ward scale."""
    total_area = cx = cy = 0.0
    for polygon in polygons:
        ring = polygon[0]
        area = 0.0
        x_sum = y_sum = 0.0
        for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            area += cross
            x_sum += (x0 + x1) * cross
            y_sum += (y0 + y1) * cross
        if area:
            total_area += area / 2
            cx += x_sum / 6
            cy += y_sum / 6
    if not total_area:
        first = polygons[0][0][0]
        return first[1], first[0]
    return cy / total_area, cx / total_area


def parse_ward_boundaries(text, ward_set):
    """Validate a ward GeoJSON file against the known wards of `ward_set`.

    Returns {code: (geometry, (lat, lon))}; raises ImportRejected listing every problem.
    """
    if ward_set not in WARD_SETS:
        raise ValueError(f"unknown ward set {ward_set!r}; use one of {', '.join(WARD_SETS)}")
    report = ImportReport()
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        report.problems.append(ImportProblem("file", "json", f"not valid JSON ({exc})"))
        raise ImportRejected(report) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        report.problems.append(ImportProblem("file", "type", "must be a GeoJSON FeatureCollection"))
        raise ImportRejected(report)
    crs = ((data.get("crs") or {}).get("properties") or {}).get("name")
    if crs and crs not in WGS84_CRS_NAMES:
        report.problems.append(
            ImportProblem("file", "crs", f"coordinate system {crs} is not WGS84 (EPSG:4326); reproject the file")
        )
        raise ImportRejected(report)
    known = {code for (code,) in db.session.execute(db.select(Ward.code).where(Ward.ward_set == ward_set))}
    parsed = {}
    for number, feature in enumerate(data.get("features") or [], start=1):
        where = f"feature {number}"
        code, name = _ward_properties((feature or {}).get("properties") or {})
        if not code:
            report.problems.append(ImportProblem(where, "ward_code", "missing (expected WDyyCD or ward_code)"))
            continue
        where = f"feature {number} ({code}{' ' + name if name else ''})"
        if not WARD_CODE_RE.match(code):
            report.problems.append(ImportProblem(where, "ward_code", "not an ONS ward code like E05013628"))
            continue
        if code not in known:
            report.problems.append(
                ImportProblem(where, "ward_code", f"not one of the {len(known)} wards of the {ward_set} set")
            )
            continue
        if code in parsed:
            report.problems.append(ImportProblem(where, "ward_code", "appears twice in the file"))
            continue
        geometry = (feature or {}).get("geometry") or {}
        try:
            polygons = _rings(geometry)
            _check_polygons(polygons)
        except (ValueError, TypeError) as exc:
            report.problems.append(ImportProblem(where, "geometry", str(exc)))
            continue
        parsed[code] = (geometry, centroid(polygons))
    if not parsed and not report.problems:
        report.problems.append(ImportProblem("file", "features", "no ward features found"))
    if report.problems:
        raise ImportRejected(report)
    return parsed


def save_ward_boundaries(parsed, progress=None):
    for code, (geometry, (lat, lon)) in parsed.items():
        ward = db.session.get(Ward, code)
        ward.boundary_geojson = json.dumps(geometry, separators=(",", ":"))
        ward.centroid_lat, ward.centroid_lon = round(lat, 6), round(lon, 6)
        if progress:
            progress(1)
    db.session.commit()
    return len(parsed)


# --- Postcodes -------------------------------------------------------------------------------

# Column names accepted for each value, from our own format, ONSPD and OS Code-Point Open.
POSTCODE_COLUMNS = {
    "postcode": ("postcode", "pcds", "pcd", "pcd2", "pc"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "long", "lng", "longitude"),
    "ward_code": ("ward_code", "osward", "wd22cd", "wd23cd", "wd24cd", "wd25cd", "admin_ward_code"),
    "ward_code_2002": ("ward_code_2002_2022", "ward_code_2002"),
    "easting": ("easting", "eastings", "oseast1m"),
    "northing": ("northing", "northings", "osnrth1m"),
    "quality": ("positional_quality", "positional_quality_indicator", "osgrdind"),
    "terminated": ("doterm",),
}


def _column_map(header):
    lowered = {name.strip().lower(): index for index, name in enumerate(header)}
    found = {}
    for key, names in POSTCODE_COLUMNS.items():
        for name in names:
            if name in lowered:
                found[key] = lowered[name]
                break
    return found


@functools.cache
def _national_grid_to_wgs84():
    from pyproj import Transformer  # imported here: only Code-Point style files need it

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def _to_wgs84(easting, northing):
    lon, lat = _national_grid_to_wgs84().transform(easting, northing)
    return lat, lon


def _records(rows, report):
    """The rows, until one cannot be read: that one becomes a problem in the report."""
    try:
        yield from rows
    except csvkit.CsvFileError as exc:
        report.problems.append(ImportProblem(f"line {exc.line}", "file", str(exc)))


def parse_postcodes(text, progress=None):
    """Validate a postcode CSV; returns (rows, report). Rows outside our wards are skipped, not errors."""
    report = ImportReport()
    try:
        text = csvkit.decode(text)
    except csvkit.CsvFileError as exc:
        report.problems.append(ImportProblem("file", "text", str(exc)))
        raise ImportRejected(report) from None
    reader = _records(csvkit.iter_rows(text, strict=False, keep_blank=True), report)
    try:
        header = next(reader)[1]
    except StopIteration:
        if report.problems:
            raise ImportRejected(report) from None
        report.problems.append(ImportProblem("file", "header", "the file is empty"))
        raise ImportRejected(report) from None
    columns = _column_map(header)
    has_position = {"lat", "lon"} <= columns.keys() or {"easting", "northing"} <= columns.keys()
    if "postcode" not in columns or not has_position:
        report.problems.append(
            ImportProblem(
                "line 1",
                "header",
                "needs a postcode column (postcode or pcds) and either lat and lon/long or "
                "easting and northing columns; found: " + ", ".join(header[:12]),
            )
        )
        raise ImportRejected(report)
    wards = {code: ward_set for code, ward_set in db.session.execute(db.select(Ward.code, Ward.ward_set))}
    rows = {}
    transformer_needed = not {"lat", "lon"} <= columns.keys()
    for line, record in reader:
        if progress:
            progress(1)
        if not any(cell.strip() for cell in record):
            continue

        def cell(key):  # noqa: B023  (called only within this iteration)
            index = columns.get(key)
            return record[index].strip() if index is not None and index < len(record) else ""  # noqa: B023

        where = f"line {line}"
        if cell("terminated"):
            report.skip("terminated postcode")
            continue
        postcode = normalise_postcode(cell("postcode"))
        if postcode is None:
            report.problems.append(ImportProblem(where, "postcode", f"{cell('postcode')!r} is not a UK postcode"))
            continue
        try:
            if transformer_needed:
                lat, lon = _to_wgs84(float(cell("easting")), float(cell("northing")))
            else:
                lat, lon = float(cell("lat")), float(cell("lon"))
        except ValueError:
            report.problems.append(ImportProblem(where, "position", "latitude/longitude must be numbers"))
            continue
        if not (GB_LAT[0] <= lat <= GB_LAT[1] and GB_LON[0] <= lon <= GB_LON[1]):
            if lat == 99.999999 or lat == 0:  # ONSPD's marker for "no grid reference"
                report.skip("no grid reference")
                continue
            report.problems.append(ImportProblem(where, "position", f"{lat}, {lon} is not a position in Great Britain"))
            continue
        ward_code = cell("ward_code") or None
        if ward_code and ward_code not in wards:
            report.skip("ward outside the borough")
            continue
        ward_code_2002 = cell("ward_code_2002") or None
        if ward_code_2002 and ward_code_2002 not in wards:
            ward_code_2002 = None
        if ward_code and wards[ward_code] != "2022" and not ward_code_2002:
            ward_code, ward_code_2002 = None, ward_code
        quality = cell("quality")
        if postcode in rows:
            report.problems.append(ImportProblem(where, "postcode", f"{postcode} appears twice in the file"))
            continue
        rows[postcode] = {
            "postcode": postcode,
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "ward_code": ward_code,
            "ward_code_2002": ward_code_2002,
            "positional_quality": whole_number(quality),
        }
    if report.problems:
        raise ImportRejected(report)
    return list(rows.values()), report


def save_postcodes(rows, report, progress=None, batch_size=2000):
    """Insert new postcodes and update known ones, in one transaction."""
    existing = set(db.session.scalars(db.select(Postcode.postcode)))
    try:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            new = [row for row in batch if row["postcode"] not in existing]
            known = [row for row in batch if row["postcode"] in existing]
            if new:
                db.session.execute(db.insert(Postcode), new)
            if known:
                db.session.execute(db.update(Postcode), known)
            if progress:
                progress(len(batch))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.written = len(rows)
    return report


def _in_ring(lat, lon, ring):
    inside = False
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def ward_at(lat, lon, ward_set="2022"):
    """The ward whose imported boundary contains the point (ray casting; holes respected), or None."""
    for ward in db.session.scalars(
        db.select(Ward).where(Ward.ward_set == ward_set, Ward.boundary_geojson.is_not(None))
    ):
        for polygon in _rings(json.loads(ward.boundary_geojson)):
            if _in_ring(lat, lon, polygon[0]) and not any(_in_ring(lat, lon, hole) for hole in polygon[1:]):
                return ward
    return None


def ward_count(ward_set=WARD_SET_2022):
    """How many wards the set has (24 since May 2022): the home page's figure and the wards page's."""
    return db.session.scalar(db.select(db.func.count()).select_from(Ward).where(Ward.ward_set == ward_set))
