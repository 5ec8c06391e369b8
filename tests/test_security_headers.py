"""Headers, Content-Security-Policy, cookies and production safety."""

import json
import logging
import re

import pytest

from app import InsecureConfiguration, create_app

PUBLIC_PAGES = [
    "/",
    "/wards",
    "/wards/E05013643",
    "/accessibility",
    "/cookies",
    "/sign-in",
    "/password/forgot",
    "/no-such-page",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_has_a_strict_csp_with_a_fresh_nonce(client, wards, url):
    first = client.get(url)
    csp = first.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"]).group(1)
    html = first.get_data(as_text=True)
    # Every inline script carries this response's nonce; external scripts come from our origin.
    for tag in re.findall(r"<script\b[^>]*>", html):
        if "src=" in tag:
            assert 'src="/static/' in tag, tag
        else:
            assert f'nonce="{nonce}"' in tag, tag
    assert "style=" not in html  # inline style attributes would be blocked by the policy
    second = client.get(url).headers["Content-Security-Policy"]
    assert re.search(r"'nonce-([^']+)'", second).group(1) != nonce
    assert first.headers["X-Frame-Options"] == "DENY"
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_nothing_is_loaded_from_another_site(client):
    html = client.get("/").get_data(as_text=True)
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        if url.startswith(("http://", "https://")):
            # Outbound links are fine; loaded resources (scripts, styles, images) are not.
            assert not re.search(rf'<(?:script|img|link)[^>]+(?:src|href)="{re.escape(url)}"', html), url


def test_session_cookie_flags(client, make_user):
    from .conftest import sign_in

    user = make_user("admin")
    response = sign_in(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signed_in_pages_are_not_cached(client, signed_in_as):
    signed_in_as("admin")
    assert client.get("/account").headers["Cache-Control"] == "no-store"


def test_production_refuses_the_development_secret(monkeypatch):
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app("production", SECRET_KEY="dev-only-secret-key-not-for-production")
    with pytest.raises(InsecureConfiguration):
        create_app("production", SECRET_KEY="short")


def test_production_sets_secure_cookies_and_https(tmp_path):
    app = create_app("production", SECRET_KEY="x" * 48, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/p.sqlite3")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["FORCE_HTTPS"] is True
    response = app.test_client().get("/accessibility", base_url="https://portal.example")
    assert "max-age" in response.headers["Strict-Transport-Security"]
    # Plain http is sent to https.
    assert app.test_client().get("/accessibility").status_code == 302


def test_each_request_is_logged_as_json(client, caplog):
    formatter = logging.getLogger("portal").handlers[0].formatter
    with caplog.at_level(logging.INFO, logger="portal"):
        response = client.get("/cookies", headers={"X-Request-ID": "abc123def456"})
    assert response.headers["X-Request-ID"] == "abc123def456"
    records = [r for r in caplog.records if getattr(r, "request_id", None) == "abc123def456"]
    assert len(records) == 1, "exactly one log line per request"
    line = json.loads(formatter.format(records[0]))
    assert line["path"] == "/cookies" and line["status"] == 200 and line["method"] == "GET"
    assert line["level"] == "INFO" and isinstance(line["duration_ms"], float)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert "schema" not in body  # public: no migration revision (issue 12, finding 11)
