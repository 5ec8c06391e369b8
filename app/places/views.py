from flask import Blueprint, abort, render_template, request

from ..extensions import db
from ..security import public
from .models import WARD_SET_2002, WARD_SET_2022, WARD_SETS, Postcode, Ward

bp = Blueprint("places", __name__)


@bp.route("/wards")
@public
def wards():
    ward_set = request.args.get("set", WARD_SET_2022)
    if ward_set not in WARD_SETS:
        ward_set = WARD_SET_2022
    postcode_column = Postcode.ward_code if ward_set == WARD_SET_2022 else Postcode.ward_code_2002
    postcode_counts = dict(
        db.session.execute(db.select(postcode_column, db.func.count()).group_by(postcode_column)).all()
    )
    rows = db.session.scalars(db.select(Ward).where(Ward.ward_set == ward_set).order_by(Ward.name)).all()
    return render_template(
        "places/wards.html",
        wards=rows,
        ward_set=ward_set,
        ward_sets=WARD_SETS,
        postcode_counts=postcode_counts,
    )


@bp.route("/wards/<code>")
@public
def ward(code):
    ward = db.session.get(Ward, code)
    if ward is None:
        abort(404)
    postcode_column = Postcode.ward_code if ward.ward_set == WARD_SET_2022 else Postcode.ward_code_2002
    postcode_count = db.session.scalar(db.select(db.func.count()).where(postcode_column == ward.code))
    return render_template(
        "places/ward.html",
        ward=ward,
        postcode_count=postcode_count,
        other_set=WARD_SET_2002 if ward.ward_set == WARD_SET_2022 else WARD_SET_2022,
    )
