"""Beyond one machine (issue 16, docs/scaling.md): two web processes and two task workers, each with a
folder of its own as if on its own machine, sharing only one PostgreSQL server, one Redis server, the
secret key and a mail server.

- one bulletin, sent while both workers run senders for it, and an emergency message (a priority task)
  meanwhile: every member gets each exactly once;
- bookings for one meeting from both web processes at once: no booking lost or made twice, and exactly
  as many places taken as the meeting has;
- a rate limit counted once across both web processes (in Redis).

Needs PostgreSQL (the issue's "one PostgreSQL server"): run under scripts/with-postgres. Starts Debian's
redis-server itself; in CI a missing redis-server fails the test (scripts/install-system-deps test installs
it), elsewhere it is skipped.
"""

import os
import signal
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import redis
from aiosmtpd.controller import Controller
from huey.storage import PriorityRedisStorage

from app.bulletins.models import D_SENT, EMERGENCY, SENT, Bulletin, BulletinDelivery
from app.ctn.models import REGISTERED, WAITING, Registration
from app.extensions import db
from app.ratelimit import RateLimitWindow
from app.security import STRATEGY_OFFICER
from app.tasks import enqueue, huey

from .bulletins_helpers import Sink, wait_for
from .conftest import CSRF_RE, IS_POSTGRES, TEST_PASSWORD, free_port
from .factories.bulletins import make_bulletin
from .factories.ctn import make_members
from .servers import Browser, redis_available, redis_server, start_gunicorn, start_task_worker
from .test_ctn_meetings import future_meeting

pytestmark = [
    pytest.mark.multi_process,
    pytest.mark.skipif(
        not IS_POSTGRES, reason="runs against one PostgreSQL server: scripts/with-postgres .venv/bin/pytest ..."
    ),
]

# Each web process as docs/operations.md runs them: threads, so one process takes several requests at once.
GTHREAD = ("--worker-class", "gthread", "--threads", "4")
SECRET_KEY = "multi-process-test-" + "k" * 40


def _need_redis():
    if redis_available():
        return
    message = "redis-server is not installed (scripts/install-system-deps test installs it)"
    if os.environ.get("CI"):
        pytest.fail(f"The multi-process test must run in CI, but {message}")
    pytest.skip(message)


class Cluster:
    def __init__(self, redis_url, sink, webs, workers):
        self.redis_url = redis_url
        self.sink = sink
        self.webs = webs
        self.workers = workers

    def served(self, web, request_line):
        return [line for line in web.log.splitlines() if line.startswith("served-by ") and request_line in line]


@pytest.fixture(scope="module")
def cluster(app, tmp_path_factory):
    _need_redis()
    sink = Sink()
    smtp_port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    with redis_server() as redis_url:
        shared = {
            "SECRET_KEY": SECRET_KEY,
            "REDIS_URL": redis_url,
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            "PUBLIC_BASE_URL": "http://portal.test",
            # Behind one reverse proxy, which says who the client is: each visitor below has its own address.
            "TRUSTED_PROXY_COUNT": "1",
            "BULLETIN_BATCH_SIZE": "10",
        }

        def own_folder(name):
            return {**shared, "PORTAL_INSTANCE_DIR": str(tmp_path_factory.mktemp(name))}

        # Started side by side: each loads the whole app.
        with ThreadPoolExecutor(max_workers=4) as pool:
            webs = [pool.submit(start_gunicorn, own_folder(f"web{n}"), 1, GTHREAD) for n in (1, 2)]
            workers = [pool.submit(start_task_worker, own_folder(f"worker{n}"), 2) for n in (1, 2)]
            webs = [future.result() for future in webs]
            workers = [future.result() for future in workers]
        try:
            for process in webs + workers:
                assert process.process.poll() is None, f"a process did not start:\n{process.log[-3000:]}"
            yield Cluster(redis_url, sink, webs, workers)
        finally:
            for process in webs + workers:
                _kill(process)
            controller.stop()


def _on(visitor, web):
    """The same visitor (cookies and all), its next request reaching `web`."""
    visitor.server = web
    return visitor


def _visitor(web, number):
    return Browser(web, headers={"X-Forwarded-For": f"198.51.100.{number}"})


def test_bulletins_reach_every_member_exactly_once(app, cluster, make_user):
    members = make_members(60, prefix="reader")
    bulletin = make_bulletin(title="CTN Bulletin, multi-process")
    emergency = make_bulletin(title="Flood warning, multi-process", kind=EMERGENCY)
    officer = make_user(STRATEGY_OFFICER)
    web1, web2 = cluster.webs

    visitor = _visitor(web1, 1)
    assert visitor.post_form("/sign-in", {"email": officer.email, "password": TEST_PASSWORD}) == 302
    # The session made by one web process is good on the other (one SECRET_KEY).
    assert _on(visitor, web2).open(f"/bulletins/manage/{bulletin.id}")[0] == 200

    # The officer presses "Send" on both web processes at once (a double click through the proxy).
    path = f"/bulletins/manage/{bulletin.id}/send"
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda web: Browser.post_form(_copy(visitor, web), path, {}), (web1, web2)))
    assert sorted(answers) == [302, 302], answers

    # And the send is queued again, as the every-minute resume job in each worker would: both workers now
    # run senders for the same bulletin at the same time.
    with _queue_through(cluster.redis_url):
        for _ in range(6):
            enqueue("bulletins.send", bulletin.id)

    # Meanwhile an emergency message goes out: a priority task, taken before routine ones and served
    # between a routine send's batches.
    assert _on(visitor, web2).post_form(f"/bulletins/manage/{emergency.id}/send", {}) == 302

    def finished():
        db.session.expire_all()
        return {db.session.get(Bulletin, b.id).status for b in (bulletin, emergency)} == {SENT}

    assert wait_for(finished, timeout=60), "the bulletins were not sent within a minute"
    for worker in cluster.workers:
        assert "Executing app.bulletins.tasks.send_bulletin" in worker.log, worker.log[-3000:]
        assert "Traceback" not in worker.log, worker.log[-3000:]

    for sent in (bulletin, emergency):
        received = Counter(
            address
            for recipients, message in cluster.sink.messages
            if message["Subject"] == sent.subject
            for address in recipients
        )
        assert received == Counter({member.email: 1 for member in members}), sent.subject
        ids = [message["Message-ID"] for _, message in cluster.sink.messages if message["Subject"] == sent.subject]
        assert len(set(ids)) == len(members)
        states = Counter(
            db.session.scalars(db.select(BulletinDelivery.state).where(BulletinDelivery.bulletin_id == sent.id))
        )
        assert states == Counter({D_SENT: len(members)})


def test_bookings_from_both_web_processes_at_once_are_neither_lost_nor_doubled(app, cluster):
    capacity, people = 3, 24
    meeting = future_meeting(capacity=capacity, registration_open=True, published=True)
    web1, web2 = cluster.webs
    path = f"/ctn/meetings/{meeting.id}"

    def form(number):
        return {
            "name": f"Person {number}",
            "email": f"person{number}@example.org",
            "organisation_name": "",
            "access_needs": "",
        }

    # Each person books once, through either web process; the first four press the button twice, the
    # second press reaching the other web process.
    posts = [(number, (web1, web2)[number % 2]) for number in range(people)]
    posts += [(number, (web2, web1)[number % 2]) for number in range(4)]

    # Every form is fetched first, then all the posts go at once (8 at a time), so they race.
    def fetch(post):
        number, web = post
        visitor = _visitor(web, number + 1)
        return visitor, _form_body(visitor, path, form(number))

    with ThreadPoolExecutor(max_workers=8) as pool:
        ready = list(pool.map(fetch, posts))
        answers = list(pool.map(lambda pair: pair[0].open(path, data=pair[1])[0], ready))
    assert answers == [200] * len(posts)
    for web in cluster.webs:
        assert cluster.served(web, f"POST {path} "), "both web processes must have taken bookings"

    db.session.expire_all()
    rows = db.session.scalars(db.select(Registration).where(Registration.meeting_id == meeting.id)).all()
    assert sorted(row.email for row in rows) == sorted(form(n)["email"] for n in range(people))
    statuses = Counter(row.status for row in rows)
    assert statuses == Counter({REGISTERED: capacity, WAITING: people - capacity})

    # Each person was told once which it is (and the double pressers had their booking's details again).
    subjects = Counter(
        message["Subject"].split(":")[0] for _, message in cluster.sink.messages if meeting.title in message["Subject"]
    )
    assert subjects == Counter(
        {"Your place is booked": capacity, "You are on the waiting list": people - capacity, "Your booking": 4}
    )
    # Both web processes show the meeting as full.
    for web in cluster.webs:
        page = _visitor(web, 200).open(path)[1]
        assert "This meeting is full" in page


def test_a_rate_limit_is_one_limit_across_both_web_processes(app, cluster, make_user):
    email = make_user("admin", email="limited@example.org").email
    web1, web2 = cluster.webs

    def attempt(number):
        # A different address each time, alternating web processes: only the per-account limit applies.
        return _visitor((web1, web2)[number % 2], 100 + number).post_form(
            "/sign-in", {"email": email, "password": "not the password"}
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(attempt, range(12)))
    for web in cluster.webs:
        assert cluster.served(web, "POST /sign-in "), "both web processes must have taken attempts"
    assert len([status for status in answers if status != 429]) <= 5, answers  # LOGIN_RATE_LIMIT: 5 a minute
    assert answers.count(429) >= 7, answers
    # The owner, with the right password, is held back by either web process for the rest of the minute.
    for number, web in enumerate(cluster.webs):
        assert _visitor(web, 150 + number).post_form("/sign-in", {"email": email, "password": TEST_PASSWORD}) == 429
    # The counters are in Redis, where every web process on every machine finds them.
    client = redis.Redis.from_url(cluster.redis_url)
    try:
        assert client.keys("LIMITS*")
    finally:
        client.close()
    assert db.session.scalar(db.select(db.func.count()).select_from(RateLimitWindow)) == 0


# --- helpers ------------------------------------------------------------------------------------------------


def _kill(process):
    """Stop at once: nothing is left to finish, and a graceful stop on a busy machine takes seconds. A gunicorn
    master goes first, so it cannot start new workers, then its workers."""
    pids = [process.process.pid, *map(int, getattr(process, "worker_pids", set)())]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.process.wait()


def _form_body(visitor, path, fields):
    """The body to post `fields` on the form at `path`, with the CSRF token of the visitor's session."""
    status, page = visitor.open(path)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {path} ({status})"
    return urllib.parse.urlencode({**fields, "csrf_token": match.group(1) or match.group(2)}).encode()


def _copy(visitor, web):
    """A visitor with the same cookies (session) as `visitor`, reaching `web`: two tabs of one browser."""
    twin = Browser(web, headers=visitor.headers)
    for cookie in visitor.jar:
        twin.jar.set_cookie(cookie)
    return twin


@contextmanager
def _queue_through(redis_url):
    """Within the block, this process's task queue is the cluster's Redis (tests otherwise run tasks at once)."""
    saved = huey.immediate, huey.storage
    huey._immediate = False  # the attribute, not the property: that would make a storage of its own
    huey.storage = PriorityRedisStorage(huey.name, url=redis_url)  # as app/tasks.py makes it
    try:
        yield
    finally:
        huey.storage.conn.close()
        huey._immediate, huey.storage = saved
