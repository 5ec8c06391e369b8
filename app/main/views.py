from flask import Blueprint, jsonify, render_template, url_for
from sqlalchemy import text

from .. import datacache
from ..extensions import db
from ..places.services import ward_count
from ..security import public
from .sections import HomeSection, home_sections, register_home_section

bp = Blueprint("main", __name__)

# The core's own sections; the modules register theirs in their contributions.py.
register_home_section(
    HomeSection(
        order=20,
        title="Maps",
        endpoint="maps.directory",
        text="See organisations and community assets on a map, and compare wards.",
    )
)
register_home_section(
    HomeSection(
        order=30,
        title="Wards",
        endpoint="places.wards",
        count=ward_count,
        text="electoral wards since May 2022: everything the portal knows about each one.",
    )
)


@bp.route("/")
@public
def home():
    # (title, link, figure, text), as the modules registered them (app/main/sections.py). The figures are
    # cached under the versions of the public data (app/datacache.py): a write shows on the next view.
    figures = datacache.get_or_make(
        datacache.cache_key("home figures", datacache.SCOPES),
        lambda: {section.endpoint: section.count() for section in home_sections() if section.count},
    )
    sections = [
        (section.title, url_for(section.endpoint), figures.get(section.endpoint), section.text)
        for section in home_sections()
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
