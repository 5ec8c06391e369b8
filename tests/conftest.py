"""Shared fixtures: one migrated database per run (SQLite file, or PostgreSQL via TEST_DATABASE_URL),
emptied after every test; prepared data (the demo data) loaded once a run and copied back for later tests;
and helpers to sign in and post forms with their CSRF token."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GEO_DIR = Path(os.environ.get("GEO_DATA_DIR") or SHARED / "geo")
ORUK_DIR = Path(os.environ.get("ORUK_SCHEMA_DIR") or SHARED / "oruk")

_tmp = tempfile.mkdtemp(prefix="portal-tests-")
os.environ.setdefault("PORTAL_INSTANCE_DIR", _tmp)
DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_tmp}/test.sqlite3"
IS_POSTGRES = DATABASE_URL.startswith("postgresql")

from hypothesis import settings as hypothesis_settings  # noqa: E402

# In CI the property-based tests draw the same examples every run (a new failure shows up when someone runs
# them locally, where the examples differ each time), so a landing is never decided by luck.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402

from .sender_faults import register_memory_transport  # noqa: E402

register_memory_transport()

# One password hash for every test account: argon2id is deliberately slow.
TEST_PASSWORD = "correct horse battery staple"


def pytest_report_header(config):
    return f"database: {'PostgreSQL' if IS_POSTGRES else 'SQLite'} ({DATABASE_URL.split('@')[-1]})"


@pytest.fixture(autouse=True)
def _keep_tasks_immediate():
    """create_app sets the task queue's module-level `immediate` flag from its settings: a development or
    production app made in one test must not leave later tests queueing tasks instead of running them."""
    from app.tasks import huey

    immediate = huey.immediate
    yield
    huey.immediate = immediate


@pytest.fixture(scope="session")
def app():
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=DATABASE_URL,
        GEO_DATA_DIR=str(GEO_DIR),
        PUBLIC_BASE_URL="http://portal.test",
    )
    with app.app_context():
        from flask_migrate import upgrade

        if IS_POSTGRES:
            db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade(revision="heads")
    app.test_client_class = RequestLikeClient
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables():
    db.session.rollback()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


def _all_rows(connection):
    return [(table, connection.execute(table.select()).mappings().all()) for table in db.metadata.sorted_tables]


# Snapshots of prepared data, by name: taken the first time a test loads it, put back after that.
_SNAPSHOTS = {}


@pytest.fixture
def prepared(app):
    """prepared(name, load): the rows `load()` writes into an empty database, loaded by the first test that
    asks and copied back (same rows, same ids) for every later one, which is far quicker than loading them
    again (the demo data makes hundreds of listings, members and revisions). The database is emptied after
    every test, so each test still starts from exactly what `load()` makes; a test that already wrote rows
    of its own before asking gets a real `load()`."""

    def prepare(name, load):
        db.session.commit()
        with db.engine.connect() as connection:
            empty = not any(
                connection.execute(db.select(1).select_from(table).limit(1)).first()
                for table in db.metadata.sorted_tables
            )
        if not empty:
            load()
        elif name in _SNAPSHOTS:
            _restore(_SNAPSHOTS[name])
        else:
            load()
            db.session.commit()
            with db.engine.connect() as connection:
                _SNAPSHOTS[name] = [(table, rows) for table, rows in _all_rows(connection) if rows]

    return prepare


def _restore(snapshot):
    db.session.rollback()
    with db.engine.begin() as connection:
        for table, rows in snapshot:
            connection.execute(table.insert(), [dict(row) for row in rows])
        if IS_POSTGRES:
            # The rows came back with their ids: new rows must be numbered after them (deleting rows leaves a
            # sequence where it was, but a restored backup, as in test_backup.py, sets it back).
            for table, _ in snapshot:
                column = table.autoincrement_column
                if column is not None:
                    connection.execute(
                        db.text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                            f"(SELECT max({column.name}) FROM {table.name}))"
                        )
                    )
    db.session.expire_all()


@pytest.fixture(autouse=True)
def _clean_database(app):
    from app.extensions import limiter

    with app.app_context():
        yield
        db.session.remove()
        _empty_all_tables()
        limiter.reset()
        # The search vocabulary is cached a process; the next test starts with its own.
        from app.directory.vocabulary import forget_cache

        forget_cache()


class RequestLikeClient(FlaskClient):
    """Each request runs in its own app context, as in production, so nothing in `g` or the database
    session leaks from the test (or an earlier request) into it; afterwards the test's own session
    forgets what it had loaded, so it sees what the request committed."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def outbox(app):
    """Messages 'sent' with the locmem mail backend during this test."""
    state = app.extensions["mailman"]
    state.outbox = []
    yield state.outbox
    state.outbox = []


@pytest.fixture(scope="session")
def password_hash():
    from app.auth.services import hash_password

    return hash_password(TEST_PASSWORD)


@pytest.fixture
def wards(app):
    from seed.loader import load_wards

    load_wards()


@pytest.fixture
def taxonomies(app):
    from seed.loader import load_taxonomies

    load_taxonomies()


@pytest.fixture
def organisation(app):
    from app.directory.models import Organisation

    org = Organisation(name="Barnet Multi Faith Forum", slug="barnet-multi-faith-forum", description="")
    db.session.add(org)
    db.session.commit()
    return org


@pytest.fixture
def make_user(app, password_hash):
    from app.auth.models import User

    def make(role, email=None, organisations=(), active=True):
        user = User(
            email=email or f"{role}@example.org",
            name=role.replace("_", " ").title(),
            role=role,
            password_hash=password_hash,
            active=active,
            organisations=list(organisations),
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, url):
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1) or match.group(2)


def post_form(client, url, data, form_url=None, **kwargs):
    """Post `data` to `url` with the CSRF token taken from `form_url` (default: the same page)."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def sign_in(client, email, password=TEST_PASSWORD):
    return post_form(client, "/sign-in", {"email": email, "password": password})


@pytest.fixture
def signed_in_as(client, make_user, organisation):
    """signed_in_as(role) -> the user, with `client` signed in as them."""

    def as_role(role):
        orgs = [organisation] if role == "group_editor" else []
        user = make_user(role, organisations=orgs)
        response = sign_in(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return as_role
