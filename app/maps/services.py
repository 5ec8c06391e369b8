"""Building folium maps that work offline and under the strict Content-Security-Policy.

folium writes a whole HTML document that loads Leaflet, jQuery and Bootstrap from CDNs and styles the map
with inline CSS. We keep only its two useful parts, the map element and its script, and load Leaflet and
Leaflet.markercluster from static/vendor/; the script goes into the page with the request's nonce. Points
are never embedded one `folium.Marker` at a time: a small module (static/maps/points.js) fetches them as
compact JSON and adds them to a cluster layer, so a map of 20,000 organisations stays a small page.
"""

import functools
import json
import math
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from jinja2 import Template

from ..extensions import db
from ..places.models import Postcode, Ward

BARNET_CENTRE = (51.6123, -0.2092)
# ColorBrewer "Blues", 5 classes: light to dark, for counts from few to many.
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]


class RegisterMap(MacroElement):
    """Lets our own scripts find the folium map: window.portalMaps[name] and a 'portal:map-ready' event."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        window.portalMaps = window.portalMaps || {};
        window.portalMaps[{{ this._parent.get_name()|tojson }}] = {{ this._parent.get_name() }};
        document.dispatchEvent(new CustomEvent("portal:map-ready", {detail: {{ this._parent.get_name()|tojson }}}));
        {% endmacro %}"""
    )


@dataclass
class RenderedMap:
    name: str
    script: str


def new_map(config, location=BARNET_CENTRE, zoom=11):
    tiles = config.get("MAP_TILE_URL") or None
    fmap = folium.Map(
        location=list(location),
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    # folium passes max_zoom to tile layers only; the cluster layer needs it on the map itself.
    fmap.options["max_zoom"] = 19
    if tiles:
        folium.TileLayer(tiles=tiles, attr=config["MAP_TILE_ATTRIBUTION"], name="Map", max_zoom=19).add_to(fmap)
    return fmap


# A centre no real map uses, replaced in the rendered script by the wanted one.
_SENTINEL = (12.345678, -98.765432)


@functools.lru_cache(maxsize=16)
def _rendered_at_sentinel(tiles, attribution, zoom):
    return render(new_map({"MAP_TILE_URL": tiles, "MAP_TILE_ATTRIBUTION": attribution}, location=_SENTINEL, zoom=zoom))


def render_centred(config, location, zoom=15):
    """render(new_map(config, location, zoom)) without folium's cost on every page: a plain map (tiles, no
    layers) is rendered once per worker and zoom, and only its centre changes (a listing's small map)."""
    template = _rendered_at_sentinel(config.get("MAP_TILE_URL") or "", config.get("MAP_TILE_ATTRIBUTION") or "", zoom)
    centre = json.dumps([float(location[0]), float(location[1])])
    return RenderedMap(name=template.name, script=template.script.replace(json.dumps(list(_SENTINEL)), centre, 1))


def render(fmap):
    """The map's name (its element id) and its script, without folium's CDN links and inline styles."""
    RegisterMap().add_to(fmap)
    root = fmap.get_root()
    root.render()
    return RenderedMap(name=fmap.get_name(), script=root.script.render())


# Zero gets its own pale grey, so "none here" never looks like "a few here".
ZERO_COLOUR = "#f3f2f1"
# Fewer wards than this with anything in them, and shading them would suggest differences that are noise.
SPARSE_WARDS = 4


@dataclass
class ColourClass:
    lower: int
    upper: int
    colour: str
    wards: int = 0

    @property
    def key(self):
        """The legend swatch's CSS modifier (the stylesheet has one per colour)."""
        return "zero" if self.colour == ZERO_COLOUR else str(BLUES.index(self.colour) + 1)

    @property
    def label(self):
        if self.lower == self.upper:
            return f"{self.lower}"
        return f"{self.lower} to {self.upper}"


@dataclass
class Classes:
    classes: list  # ColourClass, zero first when any ward has none
    sparse: bool  # too few non-zero wards to compare
    wards_with_any: int

    def colour_for(self, count):
        for item in self.classes:
            if item.lower <= count <= item.upper:
                return item.colour
        return self.classes[-1].colour if self.classes else ZERO_COLOUR


def _quantile_breaks(values, classes):
    """Upper bounds that split sorted values into `classes` groups of about equal size (no repeats)."""
    ordered = sorted(values)
    uppers = []
    for i in range(1, classes + 1):
        upper = ordered[max(0, math.ceil(i * len(ordered) / classes) - 1)]
        if not uppers or upper > uppers[-1]:
            uppers.append(upper)
    return uppers


def classify(counts, classes=4):
    """Colour classes for ward counts: zero on its own, then quantiles of the non-zero counts.

    Quantiles (rather than equal intervals from 0 to the largest count) give each shade about as many wards,
    so a borough where most wards have 1 to 3 and one ward has 20 still shows its differences."""
    counts = list(counts)
    nonzero = [c for c in counts if c > 0]
    result = []
    if any(c == 0 for c in counts) or not nonzero:
        result.append(ColourClass(0, 0, ZERO_COLOUR))
    if nonzero:
        distinct = sorted(set(nonzero))
        uppers = distinct if len(distinct) <= classes else _quantile_breaks(nonzero, classes)
        # The darkest shades for the largest counts, whatever the number of classes.
        palette = BLUES[1:][-len(uppers) :]
        lower = min(nonzero)
        for colour, upper in zip(palette, uppers, strict=False):
            result.append(ColourClass(lower, upper, colour))
            lower = upper + 1
    for item in result:
        item.wards = sum(1 for c in counts if item.lower <= c <= item.upper)
    return Classes(classes=result, sparse=len(nonzero) < SPARSE_WARDS, wards_with_any=len(nonzero))


def ward_centres(ward_set):
    """Each ward's centre: the boundary's centroid when imported, else the mean of its postcodes."""
    centres = {}
    column = Postcode.ward_code if ward_set == "2022" else Postcode.ward_code_2002
    fallback = dict(
        (code, (lat, lon))
        for code, lat, lon in db.session.execute(
            db.select(column, db.func.avg(Postcode.lat), db.func.avg(Postcode.lon))
            .where(column.is_not(None))
            .group_by(column)
        )
    )
    for ward in db.session.scalars(db.select(Ward).where(Ward.ward_set == ward_set)):
        if ward.centroid_lat is not None:
            centres[ward.code] = (ward.centroid_lat, ward.centroid_lon)
        elif ward.code in fallback:
            centres[ward.code] = fallback[ward.code]
    return centres


def bounds_of(geometries):
    """[[south, west], [north, east]] around GeoJSON polygons, for fitting a map to them."""
    lats, lons = [], []

    def walk(coords):
        if coords and isinstance(coords[0], (int, float)):
            lons.append(coords[0])
            lats.append(coords[1])
        else:
            for part in coords:
                walk(part)

    for geometry in geometries:
        walk(geometry["coordinates"])
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
