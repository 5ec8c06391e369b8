"""Open data downloads (anyone) and feed imports (strategy officers)."""
from flask import Blueprint, Response, render_template, stream_with_context, url_for

from ..security import public
from . import export

bp = Blueprint("exchange", __name__)


@bp.route("/directory/open-data")
@public
def open_data():
    return render_template("exchange/open_data.html", api_openapi=url_for("api.openapi_document"))


def _download(chunks, mimetype, name):
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/directory/open-data/hsds.json")
@public
def hsds_json():
    return _download(export.json_chunks(), "application/json", export.filename("json"))


@bp.route("/directory/open-data/hsds-tables.zip")
@public
def hsds_tables():
    return _download(export.tabular_zip_chunks(), "application/zip", export.filename("zip"))
