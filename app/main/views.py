from flask import Blueprint, jsonify, render_template
from sqlalchemy import text

from ..extensions import db
from ..security import public

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def home():
    from ..directory.models import Organisation
    from ..places.models import WARD_SET_2022, Ward

    figures = {
        "organisations": db.session.scalar(db.select(db.func.count(Organisation.id))),
        "wards": db.session.scalar(
            db.select(db.func.count(Ward.code)).where(Ward.ward_set == WARD_SET_2022)
        ),
    }
    return render_template("main/home.html", figures=figures)


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/cookies")
@public
def cookies():
    return render_template("main/cookies.html")


@bp.route("/healthz")
@public
def healthz():
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001  (any database failure means unhealthy)
        db.session.rollback()
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="up")
