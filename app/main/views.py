from flask import Blueprint, jsonify, render_template, url_for
from sqlalchemy import text

from ..ctn.services import member_count
from ..directory.models import Organisation
from ..extensions import db
from ..places.ward_contents import contents
from ..security import public

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def home():
    totals = {content.key: sum(content.count_by_ward("2022").values()) for content in contents()}
    published = db.session.scalar(
        db.select(db.func.count(Organisation.id)).where(Organisation.published.is_(True), Organisation.status != "inactive")
    )
    sections = [
        ("Directory", url_for("directory.index"), published,
         "voluntary, community and faith organisations, and the services they run."),
        ("Maps", url_for("maps.directory"), None,
         "See organisations and community assets on a map, and compare wards."),
        ("Wards", url_for("places.wards"), 24,
         "electoral wards since May 2022: everything the portal knows about each one."),
        ("Communities Together Network", url_for("ctn.index"), member_count(),
         "members of the council's forum with the voluntary, community and faith sector. Join, and come to a meeting."),
        ("Faith covenant", url_for("covenant.index"), totals.get("signatories"),
         "faith organisations have signed the covenant for engagement with the council."),
        ("Community assets", url_for("assets.index"), totals.get("assets"),
         "halls, libraries, parks and other community assets, and Assets of Community Value."),
    ]
    return render_template("main/home.html", sections=sections)


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
    """For load balancers and monitoring: 200 when the database answers a real read, 503 when it does not.

    Reading the schema version table (not just SELECT 1) also catches a locked SQLite file. The answer is
    public, so it says nothing internal (no migration revision, versions or error text): operators read
    the revision with `flask db current`."""
    try:
        db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001  (any database failure means unhealthy)
        db.session.rollback()
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="up")
