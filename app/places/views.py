import json

import folium
from flask import Blueprint, abort, current_app, render_template, request, url_for

from ..extensions import db
from ..maps import services as maps
from ..security import public
from .models import WARD_SET_2002, WARD_SET_2022, WARD_SETS, Postcode, Ward
from .ward_contents import contents

bp = Blueprint("places", __name__)


@bp.route("/wards")
@public
def wards():
    """The borough overview: every ward with its counts of everything the portal knows about."""
    ward_set = request.args.get("set", WARD_SET_2022)
    if ward_set not in WARD_SETS:
        ward_set = WARD_SET_2022
    postcode_column = Postcode.ward_code if ward_set == WARD_SET_2022 else Postcode.ward_code_2002
    postcode_counts = dict(
        db.session.execute(db.select(postcode_column, db.func.count()).group_by(postcode_column)).all()
    )
    kinds = contents()
    counts = {content.key: content.count_by_ward(ward_set) for content in kinds}
    rows = db.session.scalars(db.select(Ward).where(Ward.ward_set == ward_set).order_by(Ward.name)).all()
    return render_template(
        "places/wards.html",
        wards=rows,
        ward_set=ward_set,
        ward_sets=WARD_SETS,
        postcode_counts=postcode_counts,
        kinds=kinds,
        counts=counts,
    )


@bp.route("/wards/<code>")
@public
def ward(code):
    ward = db.session.get(Ward, code)
    if ward is None:
        abort(404)
    postcode_column = Postcode.ward_code if ward.ward_set == WARD_SET_2022 else Postcode.ward_code_2002
    postcode_count = db.session.scalar(db.select(db.func.count()).where(postcode_column == ward.code))
    sections = [(content, content.items_in_ward(ward)) for content in contents()]
    counts = {
        content.key: content.count_by_ward(ward.ward_set).get(ward.code, 0)
        for content in contents()
        if not content.lists_items
    }
    rendered_map = None
    if ward.boundary_geojson:
        fmap = maps.new_map(current_app.config)
        geometry = json.loads(ward.boundary_geojson)
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
        rendered_map = maps.render(fmap)
    return render_template(
        "places/ward.html",
        ward=ward,
        postcode_count=postcode_count,
        sections=sections,
        counts=counts,
        map=rendered_map,
        points_url=url_for("maps.directory_points_json", ward=ward.code),
        other_set=WARD_SET_2002 if ward.ward_set == WARD_SET_2022 else WARD_SET_2022,
    )
