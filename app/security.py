"""Security headers, Content-Security-Policy with per-request nonces, and route access rules.

Every view declares who may use it with one of the decorators below; a test walks every registered
route and fails when a view has no declaration, so a new route cannot be left open by accident.
"""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import current_user
from flask_talisman import Talisman

from .extensions import login_manager

# Roles, from least to most trusted. Residents need no account.
GROUP_EDITOR = "group_editor"
STRATEGY_OFFICER = "strategy_officer"
PERFORMANCE_OFFICER = "performance_officer"
ADMIN = "admin"
ROLES = (GROUP_EDITOR, STRATEGY_OFFICER, PERFORMANCE_OFFICER, ADMIN)
ROLE_LABELS = {
    GROUP_EDITOR: "Group editor",
    STRATEGY_OFFICER: "Strategy officer",
    PERFORMANCE_OFFICER: "Performance officer",
    ADMIN: "Administrator",
}
OFFICER_ROLES = (STRATEGY_OFFICER, PERFORMANCE_OFFICER, ADMIN)
# Who moderates the directory, and so edits any listing directly (README, "Accounts and roles"). A performance
# officer produces the quarterly report: they neither moderate nor edit listings.
LISTING_MODERATORS = (STRATEGY_OFFICER, ADMIN)

PUBLIC = "public"
SIGNED_IN = "signed_in"


def content_security_policy(app):
    """The policy: our own origin only, nonces for inline script and style, nothing framed."""
    tile_url = urlsplit(app.config.get("MAP_TILE_URL") or "")
    tile_hosts = [f"{tile_url.scheme}://{tile_url.netloc}"] if tile_url.netloc else []
    return {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": ["'self'", "data:", *tile_hosts],
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def init_app(app):
    # Registered before Talisman so that it runs after Talisman's own headers (Flask runs after_request
    # functions in reverse order) and can tighten them.
    @app.after_request
    def no_store_for_private_pages(response):
        # Pages shown to a signed-in user must not be kept by shared caches or the back button; nor must
        # pages reached through a personal link in an e-mail (CTN preferences, confirmation, booking,
        # password and unsubscribe links: every route whose URL carries a token), which show personal data
        # to whoever holds the link. Those also keep their address out of any Referer header.
        if is_personal_link(request):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Referrer-Policy"] = "no-referrer"
        elif current_user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response

    Talisman(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=content_security_policy(app),
        content_security_policy_nonce_in=["script-src", "style-src"],
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def is_personal_link(request):
    """True for routes whose URL carries a secret token (`<token>`, `<prefs_token>`, `<cancel_token>`)."""
    return any(name.endswith("token") for name in (request.view_args or {}))


def _declare(view, access):
    view.access = access
    return view


def public(view):
    """Anyone, signed in or not."""
    return _declare(view, PUBLIC)


def signed_in(view):
    """Any signed-in account, whatever its role."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return _declare(wrapper, SIGNED_IN)


def roles_required(*roles):
    """Signed-in users holding one of `roles`; administrators may do everything."""
    allowed = frozenset(roles) | {ADMIN}

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return _declare(wrapper, allowed)

    return decorator


def is_safe_next_url(target):
    """Only same-site relative paths may be used after sign-in (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target and not any(ord(ch) < 32 for ch in target)
