"""Issue 12 finding 3: limits that every web worker shares, on every public form that sends e-mail, holds a
place or tries a password; client addresses that a client cannot choose."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from flask_limiter.util import get_qualified_name

from app import create_app
from app.ctn.models import Registration
from app.extensions import db, limiter
from app.ratelimit import DatabaseStorage
from app.security import PUBLIC

from .conftest import DATABASE_URL, TEST_PASSWORD
from .servers import Browser, gunicorn
from .test_ctn_meetings import future_meeting

# Public POSTs that need no limit, and why.
UNLIMITED = {
    # RFC 8058 one-click unsubscribe: mail providers post from a few addresses for all their users; the
    # signed per-delivery token is the authority, it sends nothing and holds nothing.
    "bulletins.unsubscribe",
}


def _served_by(server, marker):
    return {line.split()[1] for line in server.log.splitlines() if line.startswith("served-by") and marker in line}


def test_every_public_post_has_a_limit(app):
    decorated = limiter.limit_manager._decorated_limits
    missing = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        public_post = "POST" in rule.methods and getattr(view, "access", None) == PUBLIC
        if public_post and rule.endpoint not in UNLIMITED and not decorated.get(get_qualified_name(view)):
            missing.append(rule.endpoint)
    assert missing == []


def test_the_database_store_counts_in_fixed_windows_shared_by_every_connection(app):
    storage = DatabaseStorage("portal-db://")
    storage.clear("k")
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get_expiry("k") > 0
    assert storage.incr("k", 60, amount=2) == 5
    storage.clear("k")
    assert storage.get("k") == 0
    # An expired window starts again from the amount.
    storage.incr("old", 60)
    db.session.execute(db.text("UPDATE rate_limit_window SET expires_at = 0"))
    db.session.commit()
    assert storage.get("old") == 0 and storage.incr("old", 60) == 1
    assert storage.check() is True
    # Keys are stored as digests: no e-mail address sits in the table.
    storage.incr("sign-in:someone@example.org", 60)
    keys = db.session.scalars(db.text("SELECT key_hash FROM rate_limit_window")).all()
    assert all("@" not in key and len(key) == 64 for key in keys)


def test_without_redis_the_limits_live_in_the_database_not_in_each_process(monkeypatch):
    import importlib

    import config

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    assert importlib.reload(config).DevelopmentConfig.RATELIMIT_STORAGE_URI == "portal-db://"
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    assert importlib.reload(config).ProductionConfig.RATELIMIT_STORAGE_URI == "redis://cache.internal:6379/0"
    monkeypatch.undo()
    importlib.reload(config)


def test_sign_in_limit_holds_across_two_gunicorn_workers(app, make_user, tmp_path):
    email = make_user("admin").email
    with gunicorn({"PORTAL_INSTANCE_DIR": str(tmp_path)}, workers=2) as server:
        visitors = [Browser(server) for _ in range(12)]

        def attempt(visitor):
            return visitor.post_form("/sign-in", {"email": email, "password": "not the password"})

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(attempt, visitors))
        assert len(_served_by(server, "POST /sign-in")) == 2, "both workers must have taken attempts"
        through = [status for status in answers if status != 429]
        assert len(through) <= 5, answers  # LOGIN_RATE_LIMIT: 5 per minute per account
        assert answers.count(429) >= 7
        # The account's owner is locked out for the minute too, whichever worker they reach.
        assert Browser(server).post_form("/sign-in", {"email": email, "password": TEST_PASSWORD}) == 429


def test_one_client_cannot_fill_a_meeting_whatever_x_forwarded_for_it_sends(app, tmp_path):
    meeting_id = future_meeting(capacity=10, registration_open=True, published=True).id
    with gunicorn({"PORTAL_INSTANCE_DIR": str(tmp_path)}, workers=2) as server:

        def book(number):
            # A new X-Forwarded-For each time: with no trusted proxy configured it must change nothing.
            visitor = Browser(server, headers={"X-Forwarded-For": f"203.0.113.{number}"})
            return visitor.post_form(
                f"/ctn/meetings/{meeting_id}",
                {
                    "name": f"Flood {number}",
                    "email": f"flood{number}@example.org",
                    "organisation_name": "",
                    "access_needs": "",
                },
            )

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(book, range(30)))
        assert len(_served_by(server, f"POST /ctn/meetings/{meeting_id}")) == 2
    db.session.expire_all()
    booked = db.session.scalars(db.select(Registration).where(Registration.meeting_id == meeting_id)).all()
    assert len(booked) <= 4, answers  # MEETING_BOOKING_RATE_LIMIT: 4 per meeting per client per day
    assert answers.count(429) >= 26
    outbox = tmp_path / "outbox"
    sent = (
        sum(path.read_text(errors="replace").count("\nSubject: ") for path in outbox.glob("*"))
        if outbox.exists()
        else 0
    )
    assert sent <= 4


def test_client_addresses_come_only_from_the_configured_number_of_proxies():
    seen = {}

    def remember():
        from flask import request

        seen["address"] = request.remote_addr
        return "ok"

    for count, forwarded, expected in [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy configured: the header is ignored
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # the address our proxy saw, not the client's claim
        (2, "198.51.100.7, 203.0.113.9, 192.0.2.1", "203.0.113.9"),
    ]:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=DATABASE_URL, TRUSTED_PROXY_COUNT=count)
        app.add_url_rule("/_address", "address", remember)
        app.view_functions["address"].access = PUBLIC
        app.test_client().get("/_address", headers={"X-Forwarded-For": forwarded})
        assert seen["address"] == expected, (count, forwarded)


@pytest.mark.parametrize(
    "setting",
    [
        "PUBLIC_FORM_RATE_LIMIT",
        "EMAIL_RECIPIENT_RATE_LIMIT",
        "MEETING_BOOKING_RATE_LIMIT",
        "LINK_FORM_RATE_LIMIT",
        "REGISTRATION_DRAFT_RATE_LIMIT",
    ],
)
def test_limits_are_settings(app, setting):
    from limits import parse_many

    assert parse_many(app.config[setting])
