import json

import folium
from flask import Blueprint, abort, current_app, render_template, request, url_for

from .. import datacache
from ..assets.models import CATEGORIES, CommunityAsset
from ..assets.services import mapped_asset_count
from ..directory.models import Location, Organisation
from ..directory.search import has_term
from ..directory.taxonomy import term_choices
from ..extensions import db
from ..places.models import WARD_SET_2022, WARD_SETS, Postcode, Ward
from ..places.services import ward_facts, wards_in_set
from ..places.ward_contents import content, contents, ward_column
from ..security import public
from . import services

bp = Blueprint("maps", __name__, url_prefix="/maps")


def directory_points(category="", ward=None):
    """[lat, lon, name, slug] of every public address of a published, not inactive organisation.

    A location's 2022 ward is stored with it; a 2002 ward's points go through the postcode table."""
    query = (
        db.select(Location.lat, Location.lon, Organisation.name, Organisation.slug)
        .join(Organisation, Organisation.id == Location.organisation_id)
        .where(Organisation.published.is_(True), Organisation.status != "inactive")
        .where(Location.confidential.is_(False), Location.lat.is_not(None))
        .order_by(Organisation.name)
    )
    if ward is not None and ward.ward_set == WARD_SET_2022:
        query = query.where(Location.ward_code == ward.code)
    elif ward is not None:
        query = query.join(Postcode, Postcode.postcode == Location.postcode).where(
            ward_column(ward.ward_set) == ward.code
        )
    if category:
        query = query.where(has_term(category))
    return [[round(lat, 5), round(lon, 5), name, slug] for lat, lon, name, slug in db.session.execute(query)]


@bp.route("/directory")
@public
def directory():
    categories = term_choices("category")
    category = request.args.get("category", "")
    if category and category not in dict(categories):
        category = ""
    # The map itself has no data (its points are fetched): rendered once per worker and version of places.
    rendered = datacache.get_or_make(
        datacache.cache_key("empty map", ("places",)), lambda: services.render(services.new_map(current_app.config))
    )
    counts = content("organisations").count_by_ward(WARD_SET_2022)
    wards = wards_in_set(WARD_SET_2022)
    return render_template(
        "maps/directory.html",
        map=rendered,
        points_url=url_for("maps.directory_points_json", category=category or None),
        categories=categories,
        category=category,
        wards=wards,
        counts=counts,
    )


def _points_by_ward():
    """Every public point, by its location's 2022 ward and then by name, in one query (a ward's own query
    would sort thousands of rows each time, and picking them from the whole list costs a pass over every
    point for each ward)."""
    query = (
        db.select(Location.lat, Location.lon, Organisation.name, Organisation.slug, Location.ward_code)
        .join(Organisation, Organisation.id == Location.organisation_id)
        .where(Organisation.published.is_(True), Organisation.status != "inactive")
        .where(Location.confidential.is_(False), Location.lat.is_not(None))
        .order_by(Organisation.name)
    )
    by_ward = {}
    for lat, lon, name, slug, ward in db.session.execute(query):
        by_ward.setdefault(ward, []).append([round(lat, 5), round(lon, 5), name, slug])
    return by_ward


def _points_payload(points):
    return {
        "fields": ["lat", "lon", "name", "slug"],
        "listing_url": url_for("directory.listing", slug="SLUG"),
        "points": points,
    }


@datacache.cached("directory points by 2022 ward, encoded", ("directory", "places"))
def _ward_point_bodies():
    """Each 2022 ward's points.json, encoded and compressed, all in one pass per version of the data: at
    100,000 organisations a ward has 4,000 points, and encoding them on the ward's first request took several
    times a plain page (issue 16). {ward code: (body, gzip body)}; a ward with no points is not in it."""
    return {code: datacache.encode_json(_points_payload(points)) for code, points in _points_by_ward().items()}


@bp.route("/directory/points.json")
@public
def directory_points_json():
    ward = None
    if request.args.get("ward"):
        ward = ward_facts(request.args["ward"])
    category = request.args.get("category", "")
    key = datacache.cache_key("directory points", ("directory", "places"), (category, ward.code if ward else None))
    if ward is not None and ward.ward_set == WARD_SET_2022 and not category:
        # Looked up only when the body is sent (a conditional GET after no change builds nothing).
        return datacache.json_response(
            key,
            encoded=lambda: _ward_point_bodies().get(ward.code) or datacache.encode_json(_points_payload([])),
        )
    return datacache.json_response(key, lambda: _points_payload(directory_points(category, ward)))


@bp.route("/assets")
@public
def assets():
    category = request.args.get("category", "")
    if category not in CATEGORIES:
        category = ""
    rendered = datacache.get_or_make(
        datacache.cache_key("empty map", ("places",)), lambda: services.render(services.new_map(current_app.config))
    )
    query = db.select(CommunityAsset).where(CommunityAsset.published.is_(True)).order_by(CommunityAsset.name)
    if category:
        query = query.where(CommunityAsset.category == category)
    return render_template(
        "maps/assets.html",
        map=rendered,
        categories=CATEGORIES,
        category=category,
        assets=db.session.scalars(query).all(),
        on_map=mapped_asset_count(category),
        points_url=url_for("maps.asset_points_json", category=category or None),
    )


@bp.route("/assets/points.json")
@public
def asset_points_json():
    query = db.select(CommunityAsset.lat, CommunityAsset.lon, CommunityAsset.name, CommunityAsset.id).where(
        CommunityAsset.published.is_(True), CommunityAsset.lat.is_not(None)
    )
    category = request.args.get("category", "")
    if category:
        query = query.where(CommunityAsset.category == category)

    def payload():
        points = db.session.execute(query)
        return {
            "fields": ["lat", "lon", "name", "id"],
            "listing_url": url_for("assets.asset", asset_id=0).replace("/0", "/SLUG"),
            "points": [[round(lat, 5), round(lon, 5), name, asset_id] for lat, lon, name, asset_id in points],
        }

    return datacache.json_response(datacache.cache_key("asset points", ("assets",), (category,)), payload)


def _choropleth(ward_set, label, counts, ward_rows):
    """(rendered map, mode, colour classes) for the counts: boundaries when imported, else circles."""
    classes = services.classify([counts.get(w.code, 0) for w in ward_rows])
    boundaries = dict(
        db.session.execute(db.select(Ward.code, Ward.boundary_geojson).where(Ward.ward_set == ward_set)).all()
    )
    fmap = services.new_map(current_app.config)
    # Quarter zoom steps let fit_bounds fill the frame with the borough instead of the next whole level out
    # (only here: the cluster layers of the point maps work in whole zoom levels).
    fmap.options["zoomSnap"] = 0.25
    with_boundaries = [w for w in ward_rows if boundaries.get(w.code)]
    if with_boundaries:
        collection = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": json.loads(boundaries[w.code]),
                    "properties": {
                        "ward": w.name,
                        "code": w.code,
                        "count": counts.get(w.code, 0),
                        "fill": classes.colour_for(counts.get(w.code, 0)),
                    },
                }
                for w in with_boundaries
            ],
        }
        folium.GeoJson(
            collection,
            name=label,
            style_function=lambda feature: {
                "fillColor": feature["properties"]["fill"],
                "color": "#0b0c0c",
                "weight": 1,
                "fillOpacity": 0.8,
            },
            highlight_function=lambda feature: {"weight": 3},
            tooltip=folium.GeoJsonTooltip(fields=["ward", "count"], aliases=["Ward", label]),
        ).add_to(fmap)
        fmap.fit_bounds(services.bounds_of([json.loads(boundaries[w.code]) for w in with_boundaries]), padding=(8, 8))
        mode = "boundaries"
    else:
        centres = services.ward_centres(ward_set)
        largest = max(counts.values(), default=0) or 1
        if centres:
            lats = [lat for lat, _ in centres.values()]
            lons = [lon for _, lon in centres.values()]
            fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30))
        for w in ward_rows:
            if w.code not in centres:
                continue
            count = counts.get(w.code, 0)
            folium.CircleMarker(
                location=list(centres[w.code]),
                radius=4 + 20 * (count / largest) ** 0.5,
                color="#08519c",
                weight=1,
                fill=True,
                fill_color="#3182bd",
                fill_opacity=0.6,
                tooltip=f"{w.name}: {count}",
            ).add_to(fmap)
        mode = "circles" if centres else "none"
    return services.render(fmap), mode, classes


@bp.route("/wards")
@public
def wards():
    ward_set = request.args.get("set", WARD_SET_2022)
    measure = request.args.get("measure", "organisations")
    # Anything a module registers in the ward contents (app/places/ward_contents.py) can be mapped.
    available = {content.key: (content.label, content.count_by_ward) for content in contents()}
    if ward_set not in WARD_SETS or measure not in available:
        abort(404)
    label, count_function = available[measure]
    counts = count_function(ward_set)
    ward_rows = wards_in_set(ward_set)
    # Drawing every ward's boundary with folium takes long: once per worker and version of the public data.
    rendered, mode, classes = datacache.get_or_make(
        datacache.cache_key("choropleth", datacache.SCOPES, (ward_set, measure)),
        lambda: _choropleth(ward_set, label, counts, ward_rows),
    )
    return render_template(
        "maps/wards.html",
        map=rendered,
        mode=mode,
        wards=ward_rows,
        counts=counts,
        label=label,
        measure=measure,
        measures=available,
        ward_set=ward_set,
        ward_sets=WARD_SETS,
        classes=classes,
    )
