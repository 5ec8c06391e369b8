"""Template globals and filters shared by every page."""
from flask import current_app
from flask_login import current_user

from .security import OFFICER_ROLES
from .timeutil import to_london


def init_app(app):
    @app.context_processor
    def site_globals():
        return {
            "council_name": current_app.config["COUNCIL_NAME"],
            "service_name": current_app.config["SERVICE_NAME"],
            "navigation": navigation(),
        }

    @app.template_filter("london")
    def london(value, fmt="%-d %B %Y %H:%M"):
        local = to_london(value)
        return local.strftime(fmt) if local else ""

    @app.template_filter("longdate")
    def longdate(value):
        return value.strftime("%-d %B %Y") if value else ""


def navigation():
    """The service navigation links, by who is signed in."""
    from flask import request, url_for

    items = [("Home", url_for("main.home")), ("Wards", url_for("places.wards"))]
    if current_user.is_authenticated:
        if current_user.role in OFFICER_ROLES:
            items.append(("People", url_for("auth.people")))
        items.append(("Your account", url_for("auth.account")))
    else:
        items.append(("Sign in", url_for("auth.sign_in")))
    return [
        {"text": text, "href": href, "active": request.path == href or (href != "/" and request.path.startswith(href))}
        for text, href in items
    ]
