"""Load: 50 concurrent clients for 60 s over a realistic mix, against gunicorn with 20,000 organisations.

    .venv/bin/python -m bench.load [--organisations 20000] [--clients 50] [--seconds 60] [--workers 4]

The mix: home, directory searches (words, ward, postcode), listing pages, ward pages, the map page and its
points, and the Open Referral API. Prints requests per second, median / p95 / p99 latency per kind and
overall, and every error. Target (issue 9): zero errors. Traffic goes to 127.0.0.1 only, and stops itself.
"""

import argparse
import random
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict

from .common import GEO_DIR, gunicorn, prepared_database, summary
from .dataset import WORDS, load_postcodes

WARDS = [f"E050136{n}" for n in range(28, 52)]


def make_mix(organisations, postcodes, rng):
    """(weight, kind, function returning a path)."""
    return [
        (8, "home", lambda: "/"),
        (14, "search words", lambda: f"/directory/?q={rng.choice(WORDS)}"),
        (8, "search words + ward", lambda: f"/directory/?q={rng.choice(WORDS)}&ward={rng.choice(WARDS)}"),
        (8, "search postcode", lambda: f"/directory/?postcode={rng.choice(postcodes).replace(' ', '+')}&distance=1"),
        (22, "listing", lambda: f"/directory/bench-{rng.randint(1, organisations)}"),
        (10, "ward page", lambda: f"/wards/{rng.choice(WARDS)}"),
        (6, "map page", lambda: "/maps/directory"),
        (2, "map points", lambda: "/maps/directory/points.json"),
        (14, "API services", lambda: f"/api/oruk/v3/services?search={rng.choice(WORDS)}&page={rng.randint(1, 5)}"),
        (
            8,
            "API near postcode",
            lambda: (
                f"/api/oruk/v3/service_at_locations?postcode={rng.choice(postcodes).replace(' ', '+')}&proximity=1500"
            ),
        ),
    ]


def client_loop(base, mix, stop_at, latencies, errors, seed):
    rng = random.Random(seed)
    weights = [weight for weight, _, _ in mix]
    while time.monotonic() < stop_at:
        _, kind, make_path = rng.choices(mix, weights)[0]
        path = make_path()
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except Exception as exc:  # noqa: BLE001  (connection failures are errors to count)
            status = f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        latencies[kind].append(elapsed)
        if status != 200:
            errors.append((kind, path, status))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    print(
        f"Load test: {args.clients} clients for {args.seconds} s, {args.organisations:,} organisations, "
        f"gunicorn with {args.workers} workers"
    )
    url, instance = prepared_database(args.organisations)
    postcodes = [p for p, *_ in load_postcodes(GEO_DIR)]
    mix = make_mix(args.organisations, postcodes, random.Random(1))
    latencies, errors = defaultdict(list), []
    with gunicorn(url, instance, workers=args.workers) as base:
        stop_at = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client_loop, args=(base, mix, stop_at, latencies, errors, n))
            for n in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    everything = [value for values in latencies.values() for value in values]
    ordered = sorted(everything)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    print(
        f"  {len(everything):,} requests in {elapsed:.0f} s = {len(everything) / elapsed:.1f} requests/s; errors: {len(errors)}"
    )
    print(
        f"  overall: median {summary(everything)['median_ms']} ms, p95 {summary(everything)['p95_ms']} ms, p99 {p99:.1f} ms"
    )
    for kind in sorted(latencies):
        figures = summary(latencies[kind])
        values = sorted(latencies[kind])
        kind_p99 = values[max(0, int(len(values) * 0.99) - 1)]
        print(
            f"  {kind:22} {figures['requests']:6} requests  median {figures['median_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms  p99 {kind_p99:7.1f} ms"  # noqa: E501
        )
    for kind, path, status in errors[:20]:
        print(f"  ERROR {kind}: {path} -> {status}")
    print("  zero errors: target met" if not errors else f"  {len(errors)} errors: target MISSED")


if __name__ == "__main__":
    main()
