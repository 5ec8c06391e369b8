"""Open Referral UK read API routes: public, read-only JSON, CORS `*`; errors are JSON from render_error."""

from flask import Blueprint, current_app, jsonify, request, url_for

from .. import datacache
from ..errors import render_error
from ..security import public
from . import hsds, openapi, service_facts, services

PREFIX = "/api/oruk/v3"

bp = Blueprint("api", __name__, url_prefix=PREFIX)


@bp.after_app_request
def allow_any_origin(response):
    """ORUK: every response of the API, errors and redirects included, carries `Access-Control-Allow-Origin: *`;
    a preflight request is answered for any origin. Nothing here uses cookies, so no credentials are allowed."""
    if request.path == PREFIX or request.path.startswith(PREFIX + "/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            asked = request.headers.get("Access-Control-Request-Headers")
            if asked:
                response.headers["Access-Control-Allow-Headers"] = asked
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


@bp.errorhandler(services.InvalidParameter)
def invalid_parameter(exc):
    return render_error(400, str(exc))


def _kept_json(name, make):
    """A list's JSON kept per query string and per version of the directory and the places (postcodes): an
    ETag (a client that asks again after no write gets 304) and gzip, as app/datacache.py makes them. The
    parameters are checked before this is called, so an error is never kept. A word search is not kept: its
    matches also follow the search vocabulary, which officers edit outside these versions."""
    if request.args.get("search"):
        return jsonify(make())
    args = tuple(sorted(request.args.items(multi=True)))
    return datacache.json_response(datacache.cache_key(f"api {name}", ("directory", "places"), args), make)


def _not_found(what, value):
    return render_error(404, f"There is no public {what} with the id {services.shown(value)}.")


def api_url(endpoint):
    """The API's own address: ORUK_PUBLIC_BASE_URL when configured (behind a gateway that rewrites hosts),
    otherwise the address this request came to (scheme and host as ProxyFix gives them)."""
    base = (current_app.config.get("ORUK_PUBLIC_BASE_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint)
    return url_for(endpoint, _external=True)


@bp.route("/")
@public
def index():
    return jsonify(hsds.metadata(api_url("api.openapi_document")))


@bp.route("/openapi.json")
@public
def openapi_document():
    return jsonify(openapi.document(api_url("api.index").rstrip("/"), api_url("exchange.open_data")))


@bp.route("/services")
@public
def service_list():
    page, per_page = services.paging(request.args)
    filters = services.parse_filters(request.args)
    return _kept_json(
        "services", lambda: hsds.page_envelope(services.list_services(filters, page, per_page), hsds.service)
    )


@bp.route("/services/<id>")
@public
def service(id):
    found = service_facts.load(services.clean_id(id))
    if found is None:
        return _not_found("service", id)
    return jsonify(hsds.service_full(*found))


@bp.route("/service_at_locations")
@public
def service_at_location_list():
    page, per_page = services.paging(request.args)
    filters = services.parse_filters(request.args, place=True)
    return _kept_json(
        "service_at_locations",
        lambda: hsds.page_envelope(
            services.list_service_at_locations(filters, page, per_page), hsds.service_at_location
        ),
    )


@bp.route("/service_at_locations/<id>")
@public
def service_at_location(id):
    row = services.get_service_at_location(id)
    if row is None:
        return _not_found("service at location", id)
    return jsonify(hsds.service_at_location_full(row))


@bp.route("/taxonomies")
@public
def taxonomy_list():
    page, per_page = services.paging(request.args)
    return _kept_json("taxonomies", lambda: hsds.page_envelope(services.list_taxonomies(page, per_page), hsds.taxonomy))


@bp.route("/taxonomies/<id>")
@public
def taxonomy(id):
    row = services.get_taxonomy(id)
    if row is None:
        return _not_found("taxonomy", id)
    return jsonify(hsds.taxonomy(row, with_terms=True))


@bp.route("/taxonomy_terms")
@public
def taxonomy_term_list():
    page, per_page = services.paging(request.args)
    taxonomy_id = services.optional_id(request.args, "taxonomy_id")
    return _kept_json(
        "taxonomy_terms",
        lambda: hsds.page_envelope(services.list_taxonomy_terms(page, per_page, taxonomy_id), hsds.taxonomy_term),
    )


@bp.route("/taxonomy_terms/<id>")
@public
def taxonomy_term(id):
    row = services.get_taxonomy_term(id)
    if row is None:
        return _not_found("taxonomy term", id)
    return jsonify(hsds.taxonomy_term(row))
