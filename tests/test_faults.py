"""Faults a council service meets: the database away for a moment, an import killed half way."""

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from app import create_app
from app.directory.models import Organisation
from app.extensions import db
from app.timeutil import utcnow

from .bulletins_helpers import Sink, bulletin_config  # noqa: F401  (fixture)
from .conftest import DATABASE_URL, IS_POSTGRES, ROOT
from .factories.bulletins import make_bulletin
from .factories.ctn import make_members


def _as_owner(command):
    owner = os.environ.get("PG_TEST_OWNER")
    if os.geteuid() == 0 and owner:
        return ["runuser", "-u", owner, "--", *command]
    return command


def _pg_ctl(action):
    bindir, data = os.environ["PG_TEST_BINDIR"], os.environ["PG_TEST_DATA_DIR"]
    command = [f"{bindir}/pg_ctl", "-D", data, "-w", "-l", os.environ["PG_TEST_LOG"]]
    if action == "stop":
        command += ["-m", "fast", "stop"]
    else:
        command += ["-o", os.environ["PG_TEST_OPTIONS"], "start"]
    subprocess.run(_as_owner(command), check=True, capture_output=True)


@pytest.fixture
def impatient_app(wards, tmp_path):
    """The portal told not to wait long for a locked or absent database: on PostgreSQL the test server,
    on SQLite a copy of the test database in rollback-journal mode (where a writer's lock shuts readers out)."""
    options = {"pool_pre_ping": True}
    if IS_POSTGRES:
        options["connect_args"] = {"connect_timeout": 2}
        url = DATABASE_URL
    else:
        copy = tmp_path / "copy.sqlite3"
        source, target = sqlite3.connect(DATABASE_URL.removeprefix("sqlite:///")), sqlite3.connect(copy)
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        source.close()
        target.close()
        options["connect_args"] = {"timeout": 0.3}
        url = f"sqlite:///{copy}"
    impatient = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS=options)
    if not IS_POSTGRES:
        # The portal puts SQLite files in WAL mode, where readers never wait for a writer; this copy goes
        # back to the rollback journal after the portal's own set-up of each connection.
        with impatient.app_context():
            event.listen(
                db.engine, "connect", lambda connection, record: connection.execute("PRAGMA journal_mode=DELETE")
            )
            db.engine.dispose()
    return impatient


def test_database_away_for_a_moment_gives_503_then_recovers_without_restart(impatient_app):
    client = impatient_app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/wards").status_code == 200
    if IS_POSTGRES:
        if "PG_TEST_DATA_DIR" not in os.environ:
            pytest.skip("run through scripts/with-postgres, which lets the test stop its server")
        _pg_ctl("stop")
        try:
            outage = [client.get("/healthz"), client.get("/wards")]
        finally:
            _pg_ctl("start")
    else:
        path = impatient_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
        blocker = sqlite3.connect(path, timeout=5)
        blocker.execute("BEGIN EXCLUSIVE")  # another process holding the whole database
        try:
            outage = [client.get("/healthz"), client.get("/wards")]
        finally:
            blocker.rollback()
            blocker.close()
    health, page = outage
    assert health.status_code == 503 and health.get_json()["database"] == "down"
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in page.get_data(as_text=True)
    # Back, with the same running app: no restart.
    assert client.get("/healthz").status_code == 200
    assert "Hendon" in client.get("/wards").get_data(as_text=True)


def test_a_killed_import_leaves_the_directory_as_it_was(app, wards, taxonomies, tmp_path):
    before = db.session.scalar(db.select(db.func.count(Organisation.id)))
    path = tmp_path / "legacy.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "description", "categories", "postcode"])
        for n in range(6000):
            writer.writerow([f"Legacy group {n}", "A group from the old directory", "Food", ""])
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "FLASK_APP": "wsgi", "LOG_JSON": "0"}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "flask"), "directory", "import", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # Kill it once it is writing ("Saving listings" has begun) but long before it can finish.
    deadline = time.monotonic() + 60
    output = b""
    while time.monotonic() < deadline and b"Saving listings" not in output:
        chunk = process.stdout.read1(256)
        if not chunk:
            break
        output += chunk
    time.sleep(0.5)
    assert process.poll() is None, f"the import finished before it could be killed: {output[-500:]!r}"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == before
    assert db.session.scalar(db.select(Organisation).where(Organisation.name.like("Legacy group%"))) is None


def test_mail_server_down_the_bulletin_waits_and_resumes_when_it_is_back(app, bulletin_config):  # noqa: F811
    """Nothing listens on the mail port: the send stops without losing anyone, then finishes once a
    server is there, each member getting exactly one message."""
    from collections import Counter

    from aiosmtpd.controller import Controller

    from app.bulletins import services as bulletin_services
    from app.bulletins.models import SENT, Bulletin, BulletinDelivery
    from app.bulletins.sender import run_sender

    from .conftest import free_port

    port = free_port()
    bulletin_config(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    members = make_members(5)
    bulletin = make_bulletin()
    bulletin_services.start_sending(bulletin, enqueue=False)

    down = run_sender(bulletin.id)
    assert down.sent == 0 and down.status in ("stopped", "waiting")
    db.session.expire_all()
    assert db.session.get(Bulletin, bulletin.id).status != SENT
    assert (
        db.session.scalar(
            db.select(db.func.count(BulletinDelivery.id)).where(BulletinDelivery.bulletin_id == bulletin.id)
        )
        == 5
    )

    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        # The mail server is back: once the retry is due (time passes), the same send finishes.
        db.session.execute(
            db.update(BulletinDelivery)
            .where(BulletinDelivery.next_attempt_at.is_not(None))
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        result = run_sender(bulletin.id)
        for _ in range(5):
            if result.status == "done":
                break
            db.session.execute(
                db.update(BulletinDelivery)
                .where(BulletinDelivery.next_attempt_at.is_not(None))
                .values(next_attempt_at=utcnow() - timedelta(seconds=1))
            )
            db.session.commit()
            result = run_sender(bulletin.id)
    finally:
        controller.stop()
    assert Counter(handler.recipients()) == Counter({m.email: 1 for m in members})
    db.session.expire_all()
    assert db.session.get(Bulletin, bulletin.id).status == SENT
