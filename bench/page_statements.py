"""Where each public page kind spends its time in the database: statements and time per statement (issue 16).

    .venv/bin/python -m bench.page_statements --database-url URL [--only KIND ...] [--show]

Runs in-process (Flask's test client, no gunicorn) against a database bench.pages prepared (`--keep`, or a
PostgreSQL one you keep running). For each kind of bench/pages.py it asks a few different pages (different
organisations, wards), first with this process's page caches emptied (the worst case: built from the
database) and then again warm, and prints the median statement count, the time spent in statements and the
whole request's time. `--show` prints the statements of the cold request and each one's time.
"""

import argparse
import os
import random
import statistics
import sys
import time

from sqlalchemy import event

from .common import ROOT
from .pages import _UUIDS, PLAIN, _read_ids, kinds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--show", action="store_true", help="print each statement of a cold request")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("PORTAL_INSTANCE_DIR", "/tmp/portal-bench-statements")
    sys.path.insert(0, str(ROOT))
    from app import create_app, datacache
    from app.extensions import db

    rng = random.Random(16)
    ward_codes, ward_codes_2002, uuids = _read_ids(args.database_url, rng, args.organisations)
    _UUIDS.extend(uuids)
    table = kinds(args.organisations, ward_codes, ward_codes_2002, rng)
    if args.only:
        table = {kind: path for kind, path in table.items() if kind == PLAIN or kind in args.only}
    app = create_app("development", SQLALCHEMY_DATABASE_URI=args.database_url, LOG_LEVEL="WARNING")
    timings = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        took = (time.perf_counter() - conn.info.pop("bench_started")) * 1000
        timings.append((took, " ".join(statement.split())[:160]))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
    client = app.test_client()
    print(
        f"{'kind':28} {'cold: stmts':>11} {'db ms':>7} {'total ms':>8}   {'warm: stmts':>11} {'db ms':>7} {'total ms':>8}"
    )
    for kind, path in table.items():
        client.get(path(0))  # one-off loads
        rows = {"cold": [], "warm": []}
        shown = None
        for n in range(args.samples):
            url = path(n)
            for phase in ("cold", "warm"):
                if phase == "cold":
                    with app.app_context():
                        datacache.forget()
                timings.clear()
                started = time.perf_counter()
                response = client.get(url, headers={"Accept-Encoding": "gzip"})
                total = (time.perf_counter() - started) * 1000
                if response.status_code >= 400:
                    print(f"  {kind}: {url} answered {response.status_code}")
                rows[phase].append((len(timings), sum(t for t, _ in timings), total))
                if phase == "cold" and shown is None:
                    shown = list(timings)
        figures = []
        for phase in ("cold", "warm"):
            counts, db_ms, total = zip(*rows[phase], strict=True)
            figures.append(
                f"{statistics.median(counts):11.0f} {statistics.median(db_ms):7.1f} {statistics.median(total):8.1f}"
            )
        print(f"{kind:28} {figures[0]}   {figures[1]}", flush=True)
        if args.show:
            for took, statement in shown:
                print(f"      {took:7.2f} ms  {statement}")


if __name__ == "__main__":
    main()
