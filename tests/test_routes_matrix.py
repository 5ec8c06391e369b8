"""Every registered route, requested as each kind of visitor: who gets 200, 302 (to sign in), 403, 404.

A route whose view does not declare its access (public, signed_in or roles_required) fails the first
test, so a new page cannot be added without deciding who may see it.
"""

import pytest
from werkzeug.routing import IntegerConverter

from app.extensions import db
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
    # Registering a group: before "Start now" there is no draft, so its pages go back to the start page.
    **{
        f"registration.{page}": 302
        for page in (
            "tasks",
            "you",
            "about",
            "contact",
            "services_list",
            "service",
            "locations_list",
            "location",
            "check",
        )
    },
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


def _url_for(rule, user_ids, **known):
    """The rule's URL with sample values, and whether any value stands for a missing record."""
    values, missing = {}, False
    for argument in rule.arguments:
        if argument in known:
            values[argument] = known[argument]
        elif argument == "user_id":
            values[argument] = user_ids["group_editor"]
        elif argument in SAMPLE_ARGS:
            values[argument] = SAMPLE_ARGS[argument]
        else:
            numeric = isinstance(rule._converters[argument], IntegerConverter)
            values[argument] = 987654 if numeric else "no-such-record"
            missing = True
    return rule.build(values)[1], missing


def _expected(view, endpoint, visitor, missing=False):
    allowed = view.access == PUBLIC or (visitor != "anonymous" and (view.access == SIGNED_IN or visitor in view.access))
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
            continue  # POST-only actions: test_every_state_changing_route_as_every_role posts to them.
        url, missing = _url_for(rule, user_ids)
        response = client.get(url)
        expected = _expected(view, endpoint, visitor, missing)
        checked += 1
        # Security headers on every answer, and the strict policy on every page.
        if response.headers.get(
            "X-Content-Type-Options"
        ) != "nosniff" or "frame-ancestors 'none'" not in response.headers.get("Content-Security-Policy", ""):
            problems.append(f"GET {url} ({endpoint}) as {visitor}: security headers missing")
        if response.mimetype == "text/html" and "unsafe-inline" in response.headers["Content-Security-Policy"]:
            problems.append(f"GET {url} ({endpoint}) as {visitor}: unsafe-inline in the CSP")
        if response.status_code != expected:
            problems.append(f"GET {url} ({endpoint}) as {visitor}: {response.status_code}, expected {expected}")
        elif expected == 302 and visitor == "anonymous" and endpoint not in EXPECTED_OVERRIDES:
            assert "/sign-in?next=" in response.headers["Location"]
    assert checked >= 10
    assert problems == []


# Who may change what, written from the README's "Accounts and roles" table rather than read from the views,
# so a view that lets a role in by mistake is caught. Every route that accepts POST must be listed.
ANYONE = "anyone"
EVERY_ACCOUNT = frozenset(ROLES)
STRATEGY = frozenset({"strategy_officer", "admin"})
PERFORMANCE = frozenset({"performance_officer", "admin"})
OFFICERS = frozenset({"strategy_officer", "performance_officer", "admin"})
# Anonymous forms and e-mailed links.
PUBLIC_POSTS = {
    "assets.nominate",
    "auth.accept_invitation",
    "auth.forgot_password",
    "auth.reset_password",
    "auth.sign_in",
    "bulletins.unsubscribe",
    "covenant.sign",
    "ctn.cancel_registration",
    "ctn.confirm",
    "ctn.join",
    "ctn.join_again",
    "ctn.meeting",
    "ctn.preferences",
    "ctn.preferences_erase",
    "ctn.unsubscribe",
    "directory.claim",
    "directory.report_problem",
}
# Group editors edit (through moderation) and confirm their own listings; strategy officers moderate.
LISTING_EDITORS = frozenset({"group_editor"}) | STRATEGY
EXCEPTIONS = {
    "directory.confirm": LISTING_EDITORS,
    # Officers of either kind invite group editors (only an administrator gives officer roles).
    "auth.invite": OFFICERS,
    "auth.edit_person": OFFICERS,
    "auth.resend_invitation": OFFICERS,
    # Each officer chooses how they hear of their to-do list.
    "auth.notifications": OFFICERS,
    "auth.change_password": EVERY_ACCOUNT,
    # Issue 15: strategy officers correct a CTN member and keep the Steering Group's seats.
    "ctn.member_edit": STRATEGY,
    "ctn.steering_group": STRATEGY,
    "ctn.seat_edit": STRATEGY,
    "ctn.seat_remove": STRATEGY,
    "ctn.seat_move": STRATEGY,
    "auth.sign_out": EVERY_ACCOUNT,
}
# The rest, by module: the CTN, bulletins, covenant, assets and directory are the Strategy Team's work;
# the quarterly report is the performance officers'.
BY_BLUEPRINT = {
    "directory": STRATEGY,
    "directory_import": STRATEGY,
    "ctn": STRATEGY,
    "bulletins": STRATEGY,
    "covenant": STRATEGY,
    "assets": STRATEGY,
    "reporting": PERFORMANCE,
    # Importing other directories' feeds is part of keeping the directory: the Strategy Team's.
    "exchange": STRATEGY,
    # Issue 15: the listing editor's task list (a group's editors and strategy officers), and registering a
    # new group through the same pages (anyone: the draft is theirs by its session token).
    "listing_editor": LISTING_EDITORS,
    "registration": ANYONE,
}


def who_may_post(endpoint):
    if endpoint in PUBLIC_POSTS:
        return ANYONE
    if endpoint in EXCEPTIONS:
        return EXCEPTIONS[endpoint]
    return BY_BLUEPRINT[endpoint.split(".")[0]]


def _state_changing(app):
    return sorted(
        # Signing out last, so the visitor stays signed in for the rest.
        ((endpoint, rule) for endpoint, (rule, _) in _views(app).items() if "POST" in rule.methods),
        key=lambda item: (item[0] == "auth.sign_out", item[0]),
    )


def test_every_state_changing_route_is_in_the_readme_table(app):
    unknown = [
        endpoint
        for endpoint, _ in _state_changing(app)
        if endpoint not in PUBLIC_POSTS and endpoint not in EXCEPTIONS and endpoint.split(".")[0] not in BY_BLUEPRINT
    ]
    assert unknown == []


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_state_changing_route_as_every_role(app, make_user, organisation, wards, visitor):
    """Post, with a valid CSRF token, to every route that changes something: a visitor the README does not
    allow gets 403 (or sign-in), one it allows gets through to the form (never a CSRF refusal, never a 500)."""
    from .conftest import csrf_token, sign_in

    users = {role: make_user(role, organisations=[organisation] if role == "group_editor" else []) for role in ROLES}
    user_ids = {role: user.id for role, user in users.items()}
    client = app.test_client()
    if visitor != "anonymous":
        assert sign_in(client, users[visitor].email).status_code == 302
    token = csrf_token(client, "/ctn/join")
    problems, posted = [], 0
    for endpoint, rule in _state_changing(app):
        url, _ = _url_for(rule, {**user_ids}, slug=organisation.slug)
        response = client.post(url, data={"csrf_token": token})
        posted += 1
        allowed = who_may_post(endpoint)
        body = response.get_data(as_text=True)
        if allowed != ANYONE and visitor not in allowed:
            if visitor == "anonymous":
                if response.status_code != 302 or "/sign-in?next=" not in response.headers["Location"]:
                    problems.append(f"POST {endpoint} as anonymous: {response.status_code}, expected the sign-in page")
            elif response.status_code != 403:
                problems.append(f"POST {endpoint} as {visitor}: {response.status_code}, expected 403")
            continue
        if response.status_code in (403, 500) or "did not come from this site" in body:
            problems.append(f"POST {endpoint} as {visitor}: {response.status_code} though allowed")
        elif response.status_code == 302 and "/sign-in" in response.headers["Location"] and endpoint != "auth.sign_out":
            problems.append(f"POST {endpoint} as {visitor}: sent to sign in though allowed")
    assert posted >= 70
    assert problems == []


def test_a_group_editor_cannot_edit_another_groups_listing(app, client, signed_in_as):
    from app.directory.models import Organisation

    from .conftest import csrf_token

    signed_in_as("group_editor")
    other = Organisation(name="Another Group", slug="another-group", description="")
    db.session.add(other)
    db.session.commit()
    token = csrf_token(client, "/account/password")
    for url in (
        "/directory/another-group/edit/about",
        "/directory/another-group/edit/check",
        "/directory/another-group/edit/discard",
        "/directory/another-group/confirm",
    ):
        assert client.post(url, data={"csrf_token": token, "name": "Taken over"}).status_code == 403
    assert db.session.get(Organisation, other.id).name == "Another Group"


def test_a_performance_officer_cannot_change_a_listing(app, client, signed_in_as, organisation):
    """Issue 12 finding 2: a performance officer's edit was published at once, without moderation."""
    from .conftest import csrf_token

    signed_in_as("performance_officer")
    token = csrf_token(client, "/account/password")
    response = client.post(f"/directory/{organisation.slug}/edit/about", data={"csrf_token": token, "name": "Changed"})
    assert response.status_code == 403
    assert client.get(f"/directory/{organisation.slug}/edit").status_code == 403
    assert "Changed" not in client.get(f"/directory/{organisation.slug}").get_data(as_text=True)


def test_unknown_pages_are_404_for_everyone(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert client.get("/wards/E05999999").status_code == 404


def test_a_strategy_officer_cannot_manage_an_administrator(app, client, signed_in_as, make_user):
    signed_in_as("strategy_officer")
    admin = make_user("admin", email="boss@example.org")
    assert client.get(f"/people/{admin.id}").status_code == 403
