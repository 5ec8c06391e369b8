"""Every registered route, requested as each kind of visitor: who gets 200, 302 (to sign in), 403, 404.

A route whose view does not declare its access (public, signed_in or roles_required) fails the first
test, so a new page cannot be added without deciding who may see it.
"""
import pytest
from werkzeug.routing import IntegerConverter

from app.security import PUBLIC, ROLES, SIGNED_IN

VISITORS = ("anonymous", *ROLES)

# Example values for URL parts, by argument name. Any other argument gets a value that matches
# nothing, so a visitor who is allowed in must get a clean 404 (and one who is not, 302 or 403).
SAMPLE_ARGS = {"code": "E05013643", "token": "not-a-real-token"}
MISSING = object()
# Pages that answer something else than 200 to an allowed visitor, and why.
EXPECTED_OVERRIDES = {
    # A made-up token: the page explains that the link does not work.
    "auth.reset_password": 400,
    "auth.accept_invitation": 400,
    # CTN: a made-up confirmation link explains that it does not work.
    "ctn.confirm": 400,
    # Bulletins: a made-up one-click unsubscribe token explains that the link does not work.
    "bulletins.unsubscribe": 400,
}
# Someone already signed in who opens the sign-in page is sent on to their account.
SIGNED_IN_OVERRIDES = {"auth.sign_in": 302}


def _views(app):
    return {
        rule.endpoint: (rule, app.view_functions[rule.endpoint])
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
    }


def test_every_view_declares_who_may_use_it(app):
    undeclared = [endpoint for endpoint, (_, view) in _views(app).items() if not hasattr(view, "access")]
    assert undeclared == []


def _url_for(rule, user_ids):
    """The rule's URL with sample values, and whether any value stands for a missing record."""
    values, missing = {}, False
    for argument in rule.arguments:
        if argument == "user_id":
            values[argument] = user_ids["group_editor"]
        elif argument in SAMPLE_ARGS:
            values[argument] = SAMPLE_ARGS[argument]
        else:
            numeric = isinstance(rule._converters[argument], IntegerConverter)
            values[argument] = 987654 if numeric else "no-such-record"
            missing = True
    return rule.build(values)[1], missing


def _expected(view, endpoint, visitor, missing=False):
    allowed = view.access == PUBLIC or (
        visitor != "anonymous" and (view.access == SIGNED_IN or visitor in view.access)
    )
    if not allowed:
        return 302 if visitor == "anonymous" else 403
    if missing:
        return 404
    if visitor != "anonymous" and endpoint in SIGNED_IN_OVERRIDES:
        return SIGNED_IN_OVERRIDES[endpoint]
    return EXPECTED_OVERRIDES.get(endpoint, 200)


@pytest.mark.parametrize("visitor", VISITORS)
def test_role_by_route_matrix(app, make_user, organisation, wards, visitor):
    users = {role: make_user(role, organisations=[organisation] if role == "group_editor" else []) for role in ROLES}
    user_ids = {role: user.id for role, user in users.items()}
    client = app.test_client()
    if visitor != "anonymous":
        from .conftest import sign_in

        assert sign_in(client, users[visitor].email).status_code == 302
    problems = []
    checked = 0
    for endpoint, (rule, view) in sorted(_views(app).items()):
        if "GET" not in rule.methods:
            # POST-only actions: without a CSRF token they must never succeed.
            response = client.post(_url_for(rule, user_ids)[0])
            if response.status_code not in (302, 400, 403, 404) or (
                response.status_code == 302 and visitor != "anonymous"
            ):
                problems.append(f"POST {endpoint} as {visitor}: {response.status_code}")
            continue
        url, missing = _url_for(rule, user_ids)
        response = client.get(url)
        expected = _expected(view, endpoint, visitor, missing)
        checked += 1
        # Security headers on every answer, and the strict policy on every page.
        if "nosniff" != response.headers.get("X-Content-Type-Options") or "frame-ancestors 'none'" not in response.headers.get("Content-Security-Policy", ""):
            problems.append(f"GET {url} ({endpoint}) as {visitor}: security headers missing")
        if response.mimetype == "text/html" and "unsafe-inline" in response.headers["Content-Security-Policy"]:
            problems.append(f"GET {url} ({endpoint}) as {visitor}: unsafe-inline in the CSP")
        if response.status_code != expected:
            problems.append(f"GET {url} ({endpoint}) as {visitor}: {response.status_code}, expected {expected}")
        elif expected == 302 and visitor == "anonymous":
            assert "/sign-in?next=" in response.headers["Location"]
    assert checked >= 10
    assert problems == []


def test_unknown_pages_are_404_for_everyone(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert client.get("/wards/E05999999").status_code == 404


def test_a_strategy_officer_cannot_manage_an_administrator(app, client, signed_in_as, make_user):
    signed_in_as("strategy_officer")
    admin = make_user("admin", email="boss@example.org")
    assert client.get(f"/people/{admin.id}").status_code == 403
