"""What the CTN's public and officers' pages share: the blueprint, template helpers, choices, exports."""

from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    url_for,
)
from werkzeug.routing import BuildError

from ...directory import services as directory_services
from ...places.services import ward_choices
from ...timeutil import LONDON, to_london
from .. import services

bp = Blueprint("ctn", __name__, url_prefix="/ctn")


@bp.app_template_global("organisation_url")
def organisation_url(organisation):
    """The organisation's public directory page, or None when it is not published there."""
    if organisation is None or not getattr(organisation, "published", True):
        return None
    try:
        return url_for("directory.listing", slug=organisation.slug)
    except BuildError:
        return None


@bp.app_template_filter("london_time")
def london_time(value):
    local = to_london(value)
    return local.strftime("%-I:%M%p").lower().replace(":00", "") if local else ""


def _validated_with_organisation(form, listing_only=False):
    """validate_on_submit for a form with the organisation chooser, resolved against the directory:
    (organisation_id, organisation_name), or with `listing_only` the listing's id (0 for none); None when
    the page must come back."""
    return form.validate_choosing(directory_services.choose_organisation, listing=listing_only)


def _organisation_for_display(form, organisation_id, organisation_name):
    """Fill the chooser of a form shown for the first time with a record's organisation."""
    form.show_organisation(directory_services.published_listing(organisation_id), organisation_name)


def _ward_choices():
    return [("", "Not in Barnet, or prefer not to say"), *ward_choices()]


def _today():
    return datetime.now(LONDON).date()


def _export_response(email, fmt, filename_stem):
    if fmt == "json":
        body, mimetype = services.export_person_json(email), "application/json"
    elif fmt == "csv":
        body, mimetype = services.export_person_csv(email), "text/csv"
    else:
        abort(404)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename_stem}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response
