"""The pages that used to list the whole directory, next to the plain page, over HTTP against gunicorn (issue 16).

    .venv/bin/python -m bench.organisation_chooser [--organisations 20000] [--rounds 40] [--keep | --reuse DIR]

The CTN join page, the faith covenant's sign page (both once had a <select> of every published listing) and
the organisation chooser's suggestions (`/directory/organisation-names.json`, as accessible-autocomplete asks
while someone types), each beside the plain page (`/accessibility`) in the same rounds. Prints each page's
size (as sent, and gzipped as a browser asks) and p95 as a ratio of the plain page's. Run it on older code
against the same database (`--reuse`) for a before/after pair: a kind the older code does not have answers 404.
"""

import argparse
import gzip
import json
import os
import shutil
import time
import urllib.error
import urllib.request

from . import common
from .common import prepared_database, summary

PLAIN = "plain page"
# What people type, a few letters at a time: the generated names are "<adjective> <noun> <number>".
TYPED = ["barn", "barnet fo", "hendon you", "friends of g", "community ce", "colindale", "finchley 12", "mill hi"]


def _get(base, path, gzipped=True):
    headers = {"Accept-Encoding": "gzip"} if gzipped else {}
    request = urllib.request.Request(base + path, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = b"", exc.code
    except OSError:
        body, status = b"", 599
    return (time.perf_counter() - started) * 1000, status, body


def kinds():
    return {
        PLAIN: lambda n: "/accessibility",
        "CTN join": lambda n: "/ctn/join",
        "covenant sign": lambda n: "/covenant/sign",
        "suggestions": lambda n: "/directory/organisation-names.json?q=" + TYPED[n % len(TYPED)].replace(" ", "+"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the generated SQLite database")
    parser.add_argument("--reuse", help="an instance folder kept by --keep: time against it without generating")
    args = parser.parse_args()

    print(f"Organisation chooser benchmark: {args.organisations:,} organisations, {args.rounds} requests per kind")
    if args.reuse:
        instance = args.reuse
        url = f"sqlite:///{instance}/bench.sqlite3"
        os.environ["PORTAL_INSTANCE_DIR"] = instance
    else:
        url, instance = prepared_database(args.organisations)
        if args.keep:
            print(f"  database in {instance} (use --reuse {instance})", flush=True)
    table = kinds()
    latencies = {kind: [] for kind in table}
    statuses = {kind: {} for kind in table}
    sizes = {}
    env = {"SUGGESTIONS_RATE_LIMIT": "100000 per minute"}
    try:
        with common.gunicorn(url, instance, env=env, start_within=120, stop_within=60) as base:
            for kind, path in table.items():
                _, status, body = _get(base, path(0), gzipped=False)
                sizes[kind] = (len(body), len(gzip.compress(body)) if body else 0)
                took = max(_get(base, path(n))[0] for n in range(4))
                print(f"  warm-up {kind:16} slowest {took:8.1f} ms  (HTTP {status})", flush=True)
            for n in range(args.rounds):
                for kind, path in table.items():
                    took, status, _ = _get(base, path(n))
                    latencies[kind].append(took)
                    statuses[kind][status] = statuses[kind].get(status, 0) + 1
    finally:
        if not args.keep and not args.reuse:
            shutil.rmtree(instance, ignore_errors=True)
    results = {kind: summary(values) | {"statuses": statuses[kind]} for kind, values in latencies.items()}
    plain = results[PLAIN]["p95_ms"]
    for kind, figures in results.items():
        figures["ratio"] = round(figures["p95_ms"] / plain, 2)
        figures["bytes"], figures["gzip_bytes"] = sizes[kind]
        print(
            f"  {kind:16} {figures['bytes']:>11,} bytes ({figures['gzip_bytes']:>9,} gzipped)   median "
            f"{figures['median_ms']:8.1f} ms   p95 {figures['p95_ms']:8.1f} ms   {figures['ratio']:6.1f} x plain   "
            f"HTTP {statuses[kind]}",
            flush=True,
        )
    print(json.dumps({"organisations": args.organisations, "results": results}))


if __name__ == "__main__":
    main()
