"""Issue 12 findings 1 and 11 (server name): no way of serving the portal uses a known key, and a fresh
`make run` / a bare `gunicorn wsgi:app` is safe as started."""

import base64
import hashlib
import hmac
import os
import stat
from pathlib import Path

import pytest
from flask.json.tag import TaggedJSONSerializer
from itsdangerous import URLSafeTimedSerializer
from werkzeug.routing import IntegerConverter

from app import InsecureConfiguration, create_app
from app.auth import services as auth_services
from app.bulletins.models import BulletinDelivery
from app.ctn.models import PENDING, Member, email_key
from app.extensions import db
from app.security import PUBLIC
from app.timeutil import utcnow

from .factories.bulletins import make_bulletin
from .factories.ctn import make_member
from .servers import gunicorn, start_gunicorn, stop

# Another app must not move the test app's limiter (a module-level singleton) to another storage.
KEEP_TEST_LIMITER = {"RATELIMIT_STORAGE_URI": "memory://"}


# The key the repository used to ship as its development default (public, so anyone can sign with it).
OLD_DEVELOPMENT_KEY = "dev-only-secret-key-not-for-production"


def _session_cookie(key, data):
    """A Flask session cookie signed with `key`, exactly as Flask signs its own."""
    serializer = URLSafeTimedSerializer(
        key,
        salt="cookie-session",
        serializer=TaggedJSONSerializer(),
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )
    return serializer.dumps(data)


def _forged_admin_session(app, user, user_agent="Werkzeug/3.1.9"):
    """What an attacker holding the old key would put in a cookie for `user`: everything a genuine session
    holds (including the per-account session version, which a real attacker could not know: the key alone
    must be enough to refuse it)."""
    from flask_login.utils import _create_identifier

    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": user_agent}):
        identifier = _create_identifier()
    data = {"_user_id": str(user.id), "_fresh": True, "_id": identifier}
    version = getattr(user, "session_version", None)
    if version:
        data["_sv"] = version
    return _session_cookie(OLD_DEVELOPMENT_KEY, data)


def _role_gated_get_urls(app):
    urls = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static" or getattr(view, "access", PUBLIC) == PUBLIC or "GET" not in rule.methods:
            continue
        values = {name: 1 if isinstance(rule._converters[name], IntegerConverter) else "x" for name in rule.arguments}
        urls.append(rule.build(values)[1])
    return urls


def test_the_published_development_key_is_nowhere_in_the_application():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for path in [root / "config.py", root / "wsgi.py", *(root / "app").rglob("*.py")]:
        assert OLD_DEVELOPMENT_KEY not in path.read_text(), path


def test_without_a_key_the_portal_makes_its_own_per_machine_key_readable_only_by_its_owner(tmp_path):
    first = create_app("development", SECRET_KEY=None, SQLALCHEMY_DATABASE_URI="sqlite://", **KEEP_TEST_LIMITER)
    assert first.config["SECRET_KEY"]  # the test run's instance folder: made on first use
    app = create_app("development", SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY=None, **KEEP_TEST_LIMITER)
    key_file = f"{app.instance_path}/secret_key"
    assert app.config["SECRET_KEY"] == Path(key_file).read_text().strip() == first.config["SECRET_KEY"]
    assert len(app.config["SECRET_KEY"]) >= 48
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_a_key_file_others_can_read_is_refused(tmp_path, monkeypatch):
    from app.secret_key import instance_key

    path = tmp_path / "secret_key"
    path.write_text("k" * 64)
    path.chmod(0o644)
    with pytest.raises(InsecureConfiguration, match="chmod 600"):
        instance_key(tmp_path)


@pytest.mark.parametrize("mode", ["development", "production", "testing"])
def test_the_published_key_is_refused_in_every_mode(mode):
    with pytest.raises(InsecureConfiguration, match="published"):
        create_app(mode, SECRET_KEY=OLD_DEVELOPMENT_KEY, SQLALCHEMY_DATABASE_URI="sqlite://", **KEEP_TEST_LIMITER)


def test_production_refuses_to_start_without_a_long_key():
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app("production", SECRET_KEY=None, SQLALCHEMY_DATABASE_URI="sqlite://", **KEEP_TEST_LIMITER)
    with pytest.raises(InsecureConfiguration, match="32 characters"):
        create_app("production", SECRET_KEY="short", SQLALCHEMY_DATABASE_URI="sqlite://", **KEEP_TEST_LIMITER)


def test_a_session_cookie_signed_with_the_old_key_is_refused_on_every_role_gated_page(app, client, make_user):
    admin = make_user("admin")
    client.set_cookie("session", _forged_admin_session(app, admin), domain="localhost")
    urls = _role_gated_get_urls(app)
    assert len(urls) > 40
    answers = {url: client.get(url) for url in urls}
    let_in = {
        url: r.status_code
        for url, r in answers.items()
        if r.status_code != 302 or "/sign-in" not in r.headers.get("Location", "")
    }
    assert let_in == {}


def test_reset_confirmation_and_unsubscribe_links_signed_with_the_old_key_are_refused(app, client, make_user):
    user = make_user("strategy_officer")
    reset = URLSafeTimedSerializer(OLD_DEVELOPMENT_KEY, salt="portal-password-reset").dumps(
        {"uid": user.id, "fp": auth_services._fingerprint(user)}
    )
    response = client.get(f"/password/reset/{reset}")
    assert response.status_code == 400 and "Choose a new password" not in response.get_data(as_text=True)

    member = Member(
        name="Pat",
        email="pat@example.org",
        email_key=email_key("pat@example.org"),
        sector="vcfs",
        status=PENDING,
        confirmation_sent_at=utcnow(),
    )
    member.interest_rows = []
    db.session.add(member)
    db.session.commit()
    confirm = URLSafeTimedSerializer(OLD_DEVELOPMENT_KEY, salt="ctn-confirm-membership").dumps(
        {"m": member.id, "k": member.email_key, "s": member.confirmation_sent_at.isoformat()}
    )
    assert client.get(f"/ctn/confirm/{confirm}").status_code == 400

    reader = make_member("Reader", "reader@example.org")
    bulletin = make_bulletin()
    delivery = BulletinDelivery(bulletin_id=bulletin.id, member_id=reader.id, state="sent", attempts=1, last_error="")
    db.session.add(delivery)
    db.session.commit()
    key = hmac.new(OLD_DEVELOPMENT_KEY.encode(), b"bulletin-one-click-unsubscribe", hashlib.sha256).digest()
    signature = base64.urlsafe_b64encode(hmac.new(key, str(delivery.id).encode(), hashlib.sha256).digest()[:18])
    assert client.post(f"/bulletins/unsubscribe/{delivery.id}.{signature.decode()}").status_code == 400
    assert db.session.get(Member, reader.id).status == "confirmed"


def test_a_bare_gunicorn_start_uses_a_private_key_and_refuses_forged_sessions(app, make_user, tmp_path):
    admin = make_user("admin")
    instance = tmp_path / "instance"
    with gunicorn({"PORTAL_INSTANCE_DIR": str(instance)}) as server:
        key_file = instance / "secret_key"
        assert key_file.exists() and stat.S_IMODE(key_file.stat().st_mode) == 0o600
        cookie = _forged_admin_session(app, admin, user_agent="Python-urllib/3.11")
        status, headers, body = server.request("/people", headers={"Cookie": f"session={cookie}"})
        assert status == 302 and "/sign-in" in headers["Location"]
        status, headers, body = server.request("/healthz")
        assert status == 200
        assert headers["Server"] == "portal"  # neither "gunicorn" nor a version


def test_gunicorn_in_production_without_a_key_refuses_to_start_and_says_why(tmp_path):
    server = start_gunicorn({"PORTAL_ENV": "production", "PORTAL_INSTANCE_DIR": str(tmp_path)})
    try:
        server.process.wait(timeout=60)
    finally:
        stop(server)
    assert server.process.returncode != 0
    assert "Refusing to start in production without a SECRET_KEY" in server.log
    assert not (tmp_path / "secret_key").exists()


def test_the_development_server_does_not_name_itself(app):
    from werkzeug.serving import make_server

    from .conftest import free_port

    port = free_port()
    server = make_server("127.0.0.1", port, app)
    import threading
    import urllib.request

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/cookies", timeout=10) as response:
            assert response.headers["Server"] == "portal"
    finally:
        server.shutdown()


def test_production_session_cookie_has_the_host_prefix_and_is_secure(tmp_path):
    from .conftest import DATABASE_URL

    app = create_app("production", SECRET_KEY="k" * 48, SQLALCHEMY_DATABASE_URI=DATABASE_URL, **KEEP_TEST_LIMITER)
    response = app.test_client().get("/sign-in", base_url="https://portal.example")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie and "Domain" not in cookie


def test_trace_is_not_answered(client):
    assert client.open("/", method="TRACE").status_code == 405
