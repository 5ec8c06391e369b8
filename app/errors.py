"""Error pages in the site's layout: 400, 403, 404, 405, 413, 429, 500 and 503."""

import logging

from flask import jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, OperationalError

from .extensions import db

log = logging.getLogger("portal.errors")

TITLES = {
    400: "Sorry, there is a problem with that request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "Sorry, that action is not allowed here",
    413: "The file or form you sent is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}


def render_error(status, message=None):
    """A response for `status`: JSON under /api/, otherwise a page in the site's layout."""
    if request.path.startswith("/api/"):
        body = jsonify(error=TITLES[status], detail=message)
    else:
        body = render_template("errors/error.html", status=status, title=TITLES[status], message=message)
    return make_response(body, status)


def init_app(app):
    for status in (400, 403, 404, 413):
        app.register_error_handler(status, lambda exc, status=status: render_error(status))

    @app.errorhandler(405)
    def method_not_allowed(exc):
        # RFC 9110: a 405 names the methods the address does allow.
        response = render_error(405)
        if getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(
            400,
            "The form had expired or did not come from this site. Go back, reload the page and try again.",
        )

    @app.errorhandler(429)
    def too_many(exc):
        limit = getattr(exc, "description", "")
        message = (
            "You have tried too many times in a short time. Wait a minute and try again."
            if request.endpoint != "auth.sign_in"
            else "You have tried to sign in too many times. Wait a minute and try again, or reset your password."
        )
        response = render_error(429, message)
        log.warning("rate limited", extra={"endpoint": request.endpoint, "limit": str(limit)})
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(DisconnectionError)
    def database_unavailable(exc):
        db.session.rollback()
        log.error("database unavailable", extra={"error": str(exc.__class__.__name__)})
        response = render_error(503, "We cannot reach our database just now. Try again in a few minutes.")
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return render_error(500, "Try again later.")
