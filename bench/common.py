"""Shared benchmark plumbing: a fresh database with the reference data, a gunicorn server, timings."""

import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEO_DIR = Path(os.environ.get("GEO_DATA_DIR") or ROOT.parent / "shared" / "geo")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepared_database(organisations, database_url=None):
    """A migrated database with wards, vocabularies, postcodes and `organisations` generated ones."""
    instance = tempfile.mkdtemp(prefix="portal-bench-")
    os.environ["PORTAL_INSTANCE_DIR"] = instance
    url = database_url or f"sqlite:///{instance}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from app import create_app
    from app.places.services import parse_postcodes, save_postcodes
    from seed.loader import load_taxonomies, load_wards

    from .dataset import generate

    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, LOG_LEVEL="WARNING")
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        load_wards()
        load_taxonomies()
        try:  # the search vocabulary (issue 14), where the code has one
            from seed.loader import load_search_vocabulary

            load_search_vocabulary()
        except ImportError:
            pass
        rows, report = parse_postcodes((GEO_DIR / "barnet_postcodes.csv").read_text(encoding="utf-8"))
        save_postcodes(rows, report)
        started = time.perf_counter()
        generate(organisations, GEO_DIR)
        print(f"  generated {organisations:,} organisations in {time.perf_counter() - started:.1f} s", flush=True)
    return url, instance


@contextmanager
def gunicorn(database_url, instance, workers=2, env=None, start_within=60, stop_within=30):
    """gunicorn serving the portal on loopback; `env` adds settings (for example raised rate limits). It must
    answer /healthz within `start_within` seconds; at the end it has `stop_within` seconds to stop before it is
    killed (on a busy machine a graceful stop can take long)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORTAL_INSTANCE_DIR": instance,
        "LOG_LEVEL": "WARNING",
        "LOGIN_IP_RATE_LIMIT": "100000 per minute",
        **(env or {}),
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            "4",
            "--backlog",
            "512",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_within
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).read()
                break
            except OSError:  # not listening yet, or its workers still starting
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=stop_within)
        except subprocess.TimeoutExpired:  # workers still busy with requests: stop them hard
            process.kill()
            process.wait()


def time_requests(base, paths, warm_up=10, timeout=10):
    """Request each path once, after requesting the first `warm_up` of them; returns (latencies in ms, error
    count)."""
    for path in paths[:warm_up]:
        urllib.request.urlopen(base + path, timeout=timeout).read()
    latencies, errors = [], 0
    for path in paths:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + path, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError:
            errors += 1
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, errors


def percentile(values, share):
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it
    (of 2 values, the p95 is the larger; of 150, the 143rd)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered), math.ceil(len(ordered) * share)) - 1]


def summary(latencies):
    ordered = sorted(latencies)
    p95 = percentile(ordered, 0.95)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
        "requests": len(ordered),
    }
