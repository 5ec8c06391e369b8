"""Template globals and filters shared by every page."""

from flask import current_app, request, url_for
from flask_login import current_user

from .forms import error_summary
from .security import ADMIN, PUBLIC, SIGNED_IN
from .timeutil import to_london


def init_app(app):
    app.jinja_env.add_extension("jinja2.ext.do")
    app.add_template_global(error_summary)

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


# The public sections of the site, in the service navigation.
SECTIONS = [
    ("Directory", "directory.index"),
    ("Maps", "maps.directory"),
    ("Wards", "places.wards"),
    ("Network", "ctn.index"),
    ("Covenant", "covenant.index"),
    ("Assets", "assets.index"),
    ("Reports", "reporting.index"),
]

# Officers' and editors' work, listed on their account page for whoever may open each page. A fourth item
# names the page that decides who is offered the link, when the link itself is a public page (the reports'
# list is public; producing them is a performance officer's work).
WORK = [
    ("Your listings", "directory.mine", "Keep your group's directory listing up to date"),
    ("Listings waiting for approval", "directory.moderation", "New listings, changes and claims from groups"),
    ("Listings not checked for 6 months", "directory.needs_checking", "Listings that need their group to confirm them"),
    ("Problems reported by residents", "directory.problems", "Reports about listings"),
    ("Import the legacy directory", "directory_import.upload", "Upload a CSV file of organisations"),
    ("Communities Together Network", "ctn.dashboard", "Members, meetings and the annual report figures"),
    ("CTN bulletins", "bulletins.manage", "Write, schedule and send bulletins and emergency messages"),
    ("Faith covenant pledges", "covenant.pledges", "Pledges waiting for approval and renewals"),
    ("Community assets: add an asset", "assets.new_asset", "Add to the community assets register"),
    ("Assets of Community Value nominations", "assets.nominations", "Validate and decide nominations"),
    ("Assets of Community Value: due this week", "assets.due", "Statutory dates that fall this week"),
    (
        "Quarterly performance reports",
        "reporting.index",
        "Enter results, import, submit and approve",
        "reporting.new_period",
    ),
    ("People with accounts", "auth.people", "Invite group editors and officers"),
]


def may_open(endpoint):
    """Whether the signed-in user may open the page (from the view's own access declaration)."""
    view = current_app.view_functions.get(endpoint)
    access = getattr(view, "access", None)
    if view is None or access is None:
        return False
    if access in (PUBLIC, SIGNED_IN):
        return current_user.is_authenticated
    return current_user.is_authenticated and (current_user.role in access or current_user.role == ADMIN)


def work_for_current_user():
    return [
        (label, url_for(endpoint), hint)
        for label, endpoint, hint, *needs in WORK
        if may_open(endpoint) and all(may_open(other) for other in needs)
    ]


def navigation():
    """The service navigation links: the site's sections, then the account link."""
    items = [(text, url_for(endpoint)) for text, endpoint in SECTIONS if endpoint in current_app.view_functions]
    if current_user.is_authenticated:
        items.append(("Your account", url_for("auth.account")))
    else:
        items.append(("Sign in", url_for("auth.sign_in")))
    return [
        {
            "text": text,
            "href": href,
            "active": request.path == href
            or (href != "/" and request.path.startswith(href.rstrip("/") + "/"))
            or request.path == href.rstrip("/"),
        }
        for text, href in items
    ]
