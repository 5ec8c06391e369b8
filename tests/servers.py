"""Start the portal under gunicorn, as it is served, for tests that need real worker processes."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from .conftest import DATABASE_URL, ROOT, free_port

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
# Settings a developer's shell or the test run may carry; a "bare" start has none of them.
PORTAL_SETTINGS = (
    "SECRET_KEY",
    "PORTAL_ENV",
    "REDIS_URL",
    "RATELIMIT_STORAGE_URI",
    "TRUSTED_PROXY_COUNT",
    "DATABASE_URL",
    "PORTAL_INSTANCE_DIR",
    "FLASK_APP",
)


class Server:
    def __init__(self, process, port):
        self.process = process
        self.base = f"http://127.0.0.1:{port}"
        self.output = []

    @property
    def log(self):
        return "".join(self.output)

    def worker_pids(self):
        return set(re.findall(r"Booting worker with pid: (\d+)", self.log))

    def request(self, path, data=None, headers=None, method=None):
        """(status, headers, body text) for one request, without following redirects."""
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _drain(process, sink):
    for line in iter(process.stdout.readline, b""):
        sink.append(line.decode("utf-8", "replace"))


def start_gunicorn(env=None, workers=1, extra_args=()):
    """A gunicorn process serving wsgi:app on a free loopback port, with only the given settings (plus the
    test database); returns a Server once every worker answers, or one whose process has exited."""
    port = free_port()
    environ = {key: value for key, value in os.environ.items() if key not in PORTAL_SETTINGS}
    environ.update({"DATABASE_URL": DATABASE_URL, "LOG_JSON": "0", "LOG_LEVEL": "WARNING", **(env or {})})
    process = subprocess.Popen(
        [
            GUNICORN,
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "--access-logformat",
            "served-by %(p)s %(s)s %(r)s",
            *extra_args,
            "wsgi:app",
        ],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    server = Server(process, port)
    threading.Thread(target=_drain, args=(process, server.output), daemon=True).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if len(server.worker_pids()) >= workers:
            try:
                with urllib.request.urlopen(server.base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        time.sleep(0.5 * workers)  # the other workers finish loading the app
                        return server
            except OSError:
                pass
        time.sleep(0.2)
    return server


def stop(server):
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@contextmanager
def gunicorn(env=None, workers=1, extra_args=()):
    server = start_gunicorn(env, workers, extra_args)
    try:
        assert server.process.poll() is None, f"gunicorn did not start:\n{server.log[-3000:]}"
        yield server
    finally:
        stop(server)


class Browser:
    """One visitor: keeps its cookies, and posts forms with the CSRF token from the form's page."""

    def __init__(self, server, headers=None):
        import http.cookiejar

        self.server = server
        self.headers = headers or {}
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def open(self, path, data=None, headers=None):
        request = urllib.request.Request(
            self.server.base + path, data=data, headers={**self.headers, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def post_form(self, path, fields, headers=None):
        import urllib.parse

        from .conftest import CSRF_RE

        status, page = self.open(path)
        match = CSRF_RE.search(page)
        assert match, f"no CSRF token on {path} ({status})"
        body = urllib.parse.urlencode({**fields, "csrf_token": match.group(1) or match.group(2)}).encode()
        return self.open(path, data=body, headers=headers)[0]


# --- Several machines on one: a throwaway Redis, and task workers (tests/test_multi_process.py) ------------

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# `flask tasks worker` as deployed, with huey's own log lines (which task ran where) on its output.
_WORKER_MAIN = (
    "import logging, sys\n"
    "logging.basicConfig(level=logging.INFO, format='%(process)d %(name)s %(message)s')\n"
    "from flask.cli import main\n"
    "sys.argv = ['flask', 'tasks', 'worker', '--workers', sys.argv[1]]\n"
    "main()\n"
)


class Process:
    """A started process and everything it has written (stdout and stderr together)."""

    def __init__(self, process):
        self.process = process
        self.output = []
        threading.Thread(target=_drain, args=(process, self.output), daemon=True).start()

    @property
    def log(self):
        return "".join(self.output)


def redis_available():
    return Path(REDIS_SERVER).exists()


@contextmanager
def redis_server():
    """Debian's redis-server on a free loopback port, in a temporary folder, keeping nothing on disk (no RDB
    snapshots, no append-only file); stopped and removed afterwards. Yields its redis:// URL."""
    import redis

    port = free_port()
    folder = tempfile.mkdtemp(prefix="portal-redis-")
    process = Process(
        subprocess.Popen(
            # fmt: off
            [
                REDIS_SERVER,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                folder,
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            # fmt: on
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_timeout=2)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                if process.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"redis-server did not start:\n{process.log[-2000:]}") from None
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def start_task_worker(env=None, threads=2):
    """`flask tasks worker` in its own process, with only the given settings (plus the test database); returns
    a Process once huey's consumer has started, or one whose process has exited."""
    environ = {key: value for key, value in os.environ.items() if key not in PORTAL_SETTINGS}
    environ.update({"DATABASE_URL": DATABASE_URL, "FLASK_APP": "wsgi", "LOG_JSON": "0", **(env or {})})
    worker = Process(
        subprocess.Popen(
            [sys.executable, "-c", _WORKER_MAIN, str(threads)],
            cwd=ROOT,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and worker.process.poll() is None:
        if "Huey consumer started" in worker.log:
            break
        time.sleep(0.1)
    return worker
