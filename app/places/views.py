import json
import math
from dataclasses import dataclass

import folium
from flask import Blueprint, abort, current_app, render_template, request, url_for

from .. import datacache
from ..extensions import db
from ..maps import services as maps
from ..request import page_asked
from ..security import public
from .models import WARD_SET_2002, WARD_SET_2022, WARD_SETS, Ward
from .services import ward_facts, wards_in_set
from .ward_contents import contents, ward_column

bp = Blueprint("places", __name__)


def _postcodes_by_ward(ward_set):
    """{ward code: live postcodes in it}: one query for every ward, once per version of the places data."""
    column = ward_column(ward_set)
    return datacache.get_or_make(
        datacache.cache_key("postcodes by ward", ("places",), (ward_set,)),
        lambda: dict(db.session.execute(db.select(column, db.func.count()).group_by(column)).all()),
    )


@bp.route("/wards")
@public
def wards():
    """The borough overview: every ward with its counts of everything the portal knows about."""
    ward_set = request.args.get("set", WARD_SET_2022)
    if ward_set not in WARD_SETS:
        ward_set = WARD_SET_2022
    postcode_counts = _postcodes_by_ward(ward_set)
    kinds = contents()
    counts = {content.key: content.count_by_ward(ward_set) for content in kinds}
    return render_template(
        "places/wards.html",
        wards=wards_in_set(ward_set),
        ward_set=ward_set,
        ward_sets=WARD_SETS,
        postcode_counts=postcode_counts,
        kinds=kinds,
        counts=counts,
    )


def _ward_map(ward):
    """The ward's outline map, rendered once per version of the places data (folium is slow to render)."""
    boundary = db.session.scalar(db.select(Ward.boundary_geojson).where(Ward.code == ward.code))
    if not boundary:
        return None
    fmap = maps.new_map(current_app.config)
    geometry = json.loads(boundary)
    folium.GeoJson(
        {"type": "Feature", "geometry": geometry, "properties": {"ward": ward.name}},
        style_function=lambda feature: {
            "fillColor": "#1d70b8",
            "color": "#0b0c0c",
            "weight": 2,
            "fillOpacity": 0.1,
        },
    ).add_to(fmap)
    fmap.fit_bounds(maps.bounds_of([geometry]))
    return maps.render(fmap)


@dataclass
class WardSection:
    content: object
    items: list
    total: int  # everything in the ward, over all pages
    more: tuple | None = None  # (text, url) under the list


@bp.route("/wards/<code>")
@public
def ward(code):
    # The boundary (large) is read only when the ward's map is drawn, once per version of the places data.
    ward = ward_facts(code)
    if ward is None:
        abort(404)
    postcode_count = _postcodes_by_ward(ward.ward_set).get(ward.code, 0)
    size = current_app.config["WARD_PAGE_SIZE"]
    totals = {content.key: content.count_by_ward(ward.ward_set).get(ward.code, 0) for content in contents()}
    # Long lists (the directory's) go page by page, all on the same ?page=; the rest are listed whole.
    pages = max([1] + [math.ceil(totals[c.key] / size) for c in contents() if c.page_in_ward])
    page = page_asked(pages)
    sections = []
    for content in contents():
        if not content.lists_items:
            items = []
        elif content.page_in_ward:
            items = []
            if totals[content.key]:
                # The page's items too, under the same versions as the counts they must agree with.
                key = datacache.cache_key("ward page items", datacache.SCOPES, (content.key, ward.code, page, size))
                items = datacache.get_or_make(
                    key,
                    lambda content=content: content.page_in_ward(ward, (page - 1) * size, size),
                )
        elif totals[content.key]:
            # Short lists (assets, signatories, meetings), kept like the counts: a ward page read from the
            # cache sends no query per kind of content, and none at all for a kind its count says is empty.
            key = datacache.cache_key("ward items", datacache.SCOPES, (content.key, ward.code))
            items = datacache.get_or_make(key, lambda content=content: content.items_in_ward(ward))
            totals[content.key] = len(items)
        else:
            items = []
        sections.append(WardSection(content, items, totals[content.key], content.more(ward) if content.more else None))
    rendered_map = datacache.get_or_make(
        datacache.cache_key("ward map", ("places",), (ward.code,)), lambda: _ward_map(ward)
    )
    return render_template(
        "places/ward.html",
        ward=ward,
        postcode_count=postcode_count,
        sections=sections,
        page=page,
        pages=pages,
        page_size=size,
        map=rendered_map,
        points_url=url_for("maps.directory_points_json", ward=ward.code),
        other_set=WARD_SET_2002 if ward.ward_set == WARD_SET_2022 else WARD_SET_2022,
    )
