"""Every public page kind and API endpoint next to the plain page, over HTTP against gunicorn (issue 16, target 1).

    .venv/bin/python -m bench.pages [--organisations 20000] [--rounds 60] [--database-url URL] [--keep | --reuse DIR]
    scripts/with-postgres sh -c '.venv/bin/python -m bench.pages --database-url "$TEST_DATABASE_URL"'

One client, as a browser would ask (Accept-Encoding: gzip). The kinds are requested in rounds, one request of
each kind per round, so a noisy moment on a shared machine falls on all of them alike; each kind's p95 is
compared with the plain page's (`/accessibility`) p95 in the same run. Target: no more than 3 times.
Searches are measured by bench/directory_search.py. `--keep` leaves the generated SQLite database and prints
its folder; `--reuse DIR` times against it again without generating (for iterating on the code), and
`--reuse URL` does the same with a PostgreSQL database a run generated before (one you keep running).
"""

import argparse
import json
import os
import random
import shutil
import sqlite3
import tempfile
import time
import urllib.error
import urllib.request

from . import common
from .common import prepared_database, summary

TARGET = 3.0
PLAIN = "plain page"


def _get(base, path):
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:  # a timeout or a dropped connection: counted as a failure of its kind, never fatal
        status = 599
    return (time.perf_counter() - started) * 1000, status


def kinds(organisations, ward_codes, ward_codes_2002, rng):
    """{kind: function(round) -> path}; each round asks for a different organisation or ward where it can."""

    def org(_):
        return rng.randint(1, organisations)

    def ward(n):
        return ward_codes[n % len(ward_codes)]

    return {
        PLAIN: lambda n: "/accessibility",
        "home": lambda n: "/",
        "directory front page": lambda n: "/directory/",
        "listing": lambda n: f"/directory/bench-{org(n)}",
        "wards overview": lambda n: "/wards",
        "wards overview 2002": lambda n: "/wards?set=2002",
        "ward page": lambda n: f"/wards/{ward(n)}",
        "ward page, page 2": lambda n: f"/wards/{ward(n)}?page=2",
        "ward page 2002": lambda n: f"/wards/{ward_codes_2002[n % len(ward_codes_2002)]}",
        "directory map": lambda n: "/maps/directory",
        "directory map points": lambda n: "/maps/directory/points.json",
        "ward map points": lambda n: f"/maps/directory/points.json?ward={ward(n)}",
        "ward choropleth": lambda n: "/maps/wards",
        "asset map": lambda n: "/maps/assets",
        "asset map points": lambda n: "/maps/assets/points.json",
        "assets register": lambda n: "/assets-register/",
        "ACV listed": lambda n: "/assets-register/acv/listed",
        "covenant": lambda n: "/covenant/",
        "covenant signatories": lambda n: "/covenant/signatories",
        "CTN": lambda n: "/ctn/",
        "CTN meetings": lambda n: "/ctn/meetings",
        "bulletins": lambda n: "/bulletins/",
        "open data page": lambda n: "/open-data",
        "API index": lambda n: "/api/oruk/v3/",
        "API services": lambda n: f"/api/oruk/v3/services?page={1 + n % 50}",
        "API service": lambda n: f"/api/oruk/v3/services/{_service_uuid(n)}",
        "API service_at_locations": lambda n: f"/api/oruk/v3/service_at_locations?page={1 + n % 50}",
        "API taxonomies": lambda n: "/api/oruk/v3/taxonomies",
        "API taxonomy_terms": lambda n: "/api/oruk/v3/taxonomy_terms",
    }


_UUIDS = []


def _service_uuid(n):
    return _UUIDS[n % len(_UUIDS)]


def _connect(url):
    if url.startswith("sqlite"):
        return sqlite3.connect(url.removeprefix("sqlite:///"))
    import psycopg  # only for PostgreSQL runs

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))


def _organisation_count(url):
    connection = _connect(url)
    try:
        return connection.execute("SELECT count(*) FROM organisation").fetchone()[0]
    finally:
        connection.close()


def _read_ids(url, rng, organisations):
    """Ward codes of both sets and a sample of service ids, read straight from the database."""
    query_wards = "SELECT code, ward_set FROM ward ORDER BY code"
    query_services = "SELECT uuid FROM service WHERE id IN ({})"
    ids = ",".join(str(rng.randint(1, organisations)) for _ in range(200))
    connection = _connect(url)
    try:
        wards = connection.execute(query_wards).fetchall()
        uuids = [row[0] for row in connection.execute(query_services.format(ids)).fetchall()]
    finally:
        connection.close()
    return [c for c, s in wards if s == "2022"], [c for c, s in wards if s == "2002"], uuids


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=60, help="requests per kind (150 for the README's figures)")
    parser.add_argument("--database-url", help="PostgreSQL URL to benchmark instead of a new SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the generated SQLite database")
    parser.add_argument(
        "--reuse",
        help="an instance folder kept by --keep, or the URL of a PostgreSQL database generated before: time against"
        " it without generating (how many organisations it holds is read from it)",
    )
    parser.add_argument("--only", nargs="*", help="time only these kinds (and the plain page)")
    args = parser.parse_args()

    if args.reuse and "://" in args.reuse:
        url, instance = args.reuse, tempfile.mkdtemp(prefix="portal-bench-")
        os.environ["PORTAL_INSTANCE_DIR"] = instance
    elif args.reuse:
        instance = args.reuse
        url = f"sqlite:///{instance}/bench.sqlite3"
        os.environ["PORTAL_INSTANCE_DIR"] = instance
    else:
        url, instance = prepared_database(args.organisations, args.database_url)
        if args.keep:
            print(f"  database in {instance} (use --reuse {instance})", flush=True)
    if args.reuse:
        args.organisations = _organisation_count(url)
    print(f"Public pages benchmark: {args.organisations:,} organisations, {args.rounds} requests per kind")
    rng = random.Random(16)
    ward_codes, ward_codes_2002, uuids = _read_ids(url, rng, args.organisations)
    _UUIDS.extend(uuids)
    table = kinds(args.organisations, ward_codes, ward_codes_2002, rng)
    if args.only:
        table = {kind: path for kind, path in table.items() if kind == PLAIN or kind in args.only}
    latencies = {kind: [] for kind in table}
    statuses = {kind: {} for kind in table}
    try:
        # A graceful stop can take long on a busy machine: 60 s, then it is killed.
        with common.gunicorn(url, instance, start_within=120, stop_within=60) as base:
            for kind, path in table.items():  # warm-up: each worker's first request of each kind
                took = max(_get(base, path(n))[0] for n in range(4))
                print(f"  warm-up {kind:26} slowest {took:7.1f} ms", flush=True)
            for n in range(args.rounds):
                for kind, path in table.items():
                    took, status = _get(base, path(n))
                    latencies[kind].append(took)
                    statuses[kind][status] = statuses[kind].get(status, 0) + 1
    finally:
        # The instance folder (and a SQLite database in it) goes, unless kept or given by --reuse DIR.
        if not args.keep and not (args.reuse and instance == args.reuse):
            shutil.rmtree(instance, ignore_errors=True)
    results = {kind: summary(values) | {"statuses": statuses[kind]} for kind, values in latencies.items()}
    plain = results[PLAIN]["p95_ms"]
    failures = 0
    for kind, figures in results.items():
        ratio = figures["p95_ms"] / plain
        figures["ratio"] = round(ratio, 2)
        bad_status = any(status >= 400 for status in statuses[kind])
        verdict = "PASS" if ratio <= TARGET and not bad_status else "FAIL"
        failures += verdict == "FAIL"
        print(
            f"  {kind:26} median {figures['median_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms   "
            f"{ratio:5.1f} x plain   {verdict}{'  (HTTP ' + str(statuses[kind]) + ')' if bad_status else ''}",
            flush=True,
        )
    print(f"  {failures} of {len(results)} kinds over {TARGET:g} x the plain page's p95")
    database = url.split(":")[0].split("+")[0]
    print(json.dumps({"organisations": args.organisations, "database": database, "results": results}))


if __name__ == "__main__":
    main()
