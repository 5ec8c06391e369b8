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
    from . import counts

    # (title, link, figure, text): each figure comes from app/main/counts.py, which the linked page uses too.
    sections = [
        ("Directory", url_for("directory.index"), counts.directory_organisations(),
         "voluntary, community and faith organisations, and the services they run."),
        ("Maps", url_for("maps.directory"), None,
         "See organisations and community assets on a map, and compare wards."),
        ("Wards", url_for("places.wards"), counts.wards_2022(),
         "electoral wards since May 2022: everything the portal knows about each one."),
        ("Communities Together Network", url_for("ctn.index"), counts.ctn_members(),
         "members of the council's forum with the voluntary, community and faith sector. Join, and come to a meeting."),
        ("Faith covenant", url_for("covenant.index"), counts.covenant_signatories(),
         "faith organisations have signed the covenant for engagement with the council."),
        ("Community assets", url_for("assets.index"), counts.community_assets(),
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
