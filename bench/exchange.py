"""Bulk export of the directory (HSDS-UK JSON and the tabular zip): time, size and peak Python memory.

    .venv/bin/python -m bench.exchange [--sizes 1000 5000]

Each download is read piece by piece, as a client would, while tracemalloc records the peak of Python
allocations: the exports read the services a batch at a time, so the peak should stay well under the size of
the download as the directory grows.
"""

import argparse
import time
import tracemalloc

from .common import prepared_database


def measure(size):
    from app import create_app

    url, _instance = prepared_database(size)
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, LOG_LEVEL="WARNING")
    client = app.test_client()
    for path in ("/open-data/directory-hsds.json", "/open-data/directory-hsds-tables.zip"):
        tracemalloc.start()
        started = time.perf_counter()
        response = client.get(path, buffered=False)
        total = sum(len(piece) for piece in response.response)
        response.close()
        seconds = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"  {size:>6,} organisations {path:<40} {seconds:6.2f} s  {total / 1024 / 1024:7.2f} MB"
            f"  peak Python memory {peak / 1024 / 1024:6.1f} MB",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args()
    for size in args.sizes:
        measure(size)


if __name__ == "__main__":
    main()
