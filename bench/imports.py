"""Large imports: the directory CSV import (2,000 and 100,000 rows) and the CTN member import (20,000), time and memory.

    .venv/bin/python -m bench.imports [--rows 100000 --small-rows 2000] [--grouped]
                                      [--members 20000 --small-members 2000] [--database-url URL]
                                      [--skip-directory] [--skip-members]

Each import runs in a child process of its own (a fresh interpreter with the app created), so that its peak
memory is its own: the child reports its resident memory before the import and the kernel reports its peak
(ru_maxrss, from os.wait4). The directory import goes the way an officer's upload goes: a queued
DirectoryImport job, its file in the upload folder, `importer.process_job` (check every row, then save the
good ones in one transaction, skipping the bad ones). A watcher thread reads the job's progress every 0.1 s
as the status page does (`importer.live_progress` on its own session and connection), and the bench prints
how many different values it saw in each step and the longest time the progress stood still. It also
counts the SQL statements the save step sent, per listing saved. `--grouped` writes the multi-row layout
(organisation_id, service_id, location_id): each organisation has a service at two places, on two rows
that are 500 organisations apart in the file. The CTN import is `ctn.services.import_members` of a file of
confirmed members.

Memory is bounded when the peak grows far less than the file: each size is run twice (small, then large), and
the bench prints both peaks and the ratio of the growth to the growth in rows. Target (issue 16): the time and
peak printed, memory bounded (the reading is streamed), and the progress bar moving throughout.
"""

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy

from .common import GEO_DIR, prepared_database
from .dataset import ADJECTIVES, NOUNS, WORDS, load_postcodes

DIRECTORY_COLUMNS = [
    "name",
    "description",
    "email",
    "website",
    "phone",
    "charity_number",
    "categories",
    "address_1",
    "postcode",
    "opening_hours",
    "legacy_id",
]
MEMBER_COLUMNS = ["name", "email", "organisation", "sector", "interests", "ward", "job_title", "joined"]


GROUPED_COLUMNS = ["organisation_id", "service_id", "service_name", "location_id", "location_name"]


def write_directory_csv(path, rows, prefix, seed=16, grouped=False):
    """`rows` rows: one listing each, or with `grouped` one organisation per two rows, 500 organisations apart."""
    rng = random.Random(seed)
    postcodes = [p for p, *_ in load_postcodes(GEO_DIR)]

    def record(n):
        words = " ".join(rng.sample(WORDS, 6))
        return [
            f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {prefix}{n}",
            f"We offer {words} for people in Barnet.\nOpen to everyone.",
            f"group{prefix.lower()}{n}@example.org",
            f"https://group{prefix.lower()}{n}.example.org",
            f"020 8{n % 1000:03d} {n % 10000:04d}",
            "",
            rng.choice(["Food", "Advice and information", "Arts and culture", "Carers"]),
            f"{n % 300 + 1} High Street",
            rng.choice(postcodes),
            "Mon 09:00-17:00; Thu 10:00-14:00",
            f"{prefix}-{n}",
        ]

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        if not grouped:
            writer.writerow(DIRECTORY_COLUMNS)
            for n in range(1, rows + 1):
                writer.writerow(record(n))
            return
        writer.writerow(DIRECTORY_COLUMNS + GROUPED_COLUMNS)
        organisations, gap = rows // 2, 500
        second_rows = {}
        for n in range(1, organisations + gap + 1):
            if n <= organisations:
                first = record(n)
                ids = [f"ORG{n}", f"S{n}", "Lunch and advice", f"L{n}a", "Main hall"]
                writer.writerow(first + ids)
                # The same service at a second place, given once: only the place's own columns.
                second = [""] * len(DIRECTORY_COLUMNS)
                second[DIRECTORY_COLUMNS.index("address_1")] = f"{n % 200 + 1} Station Road"
                second[DIRECTORY_COLUMNS.index("postcode")] = rng.choice(postcodes)
                second_rows[n] = second + [f"ORG{n}", f"S{n}", "", f"L{n}b", "Church hall"]
            if n - gap in second_rows:
                writer.writerow(second_rows.pop(n - gap))


def write_members_csv(path, rows, prefix):
    sectors = ["VCFS", "Faith", "Business", "Statutory partner"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(MEMBER_COLUMNS)
        for n in range(1, rows + 1):
            writer.writerow(
                [
                    f"Member {prefix}{n}",
                    f"member.{prefix.lower()}{n}@example.org",
                    f"Group {n % 500}",
                    sectors[n % len(sectors)],
                    "Funding; Volunteering" if n % 3 else "",
                    "",
                    "Coordinator",
                    "2019-05-01",
                ]
            )


def resident_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(kind, path, rows):
    """Runs in the child process: one import, figures printed as one JSON line."""
    from app import create_app
    from app.extensions import db

    app = create_app(os.environ.get("PORTAL_ENV", "development"), LOG_LEVEL="WARNING")
    with app.app_context():
        if kind == "directory":
            from app.directory import importer
            from app.directory.import_models import DirectoryImport

            stored = importer.upload_folder() / f"bench-{os.getpid()}.csv"
            shutil.copyfile(path, stored)  # (copied in blocks: the child's peak memory is the import's)
            job = DirectoryImport(
                filename=Path(path).name, stored_name=stored.name, mode="import", state="queued", skip_bad_rows=True
            )
            db.session.add(job)
            db.session.commit()
            job_id = job.id
            seen = []  # (time, step, rows_done) each time the progress the status page reads changed
            finished = threading.Event()

            def watch():
                with app.app_context():
                    last = None
                    while not finished.is_set():
                        db.session.expire_all()
                        progress = importer.live_progress(db.session.get(DirectoryImport, job_id))
                        db.session.rollback()
                        now = (progress.step, progress.rows_done)
                        if now != last:
                            seen.append((time.perf_counter(), *now))
                            last = now
                        finished.wait(0.1)
                    db.session.remove()

            # Statements the import's thread sends once it has started saving (executemany counts once).
            statements = {"saving": 0, "step": ""}
            engine = db.engine
            main_thread = threading.get_ident()
            real_call = importer.JobProgress.__call__

            def noting_step(self, step, done, total):
                statements["step"] = step
                return real_call(self, step, done, total)

            importer.JobProgress.__call__ = noting_step

            def count(conn, cursor, statement, parameters, context, executemany):
                if statements["step"] == "saving" and threading.get_ident() == main_thread:
                    statements["saving"] += 1

            db.session.remove()
            before = resident_mb()
            watcher = threading.Thread(target=watch, daemon=True)
            started = time.perf_counter()
            watcher.start()
            sqlalchemy.event.listen(engine, "before_cursor_execute", count)
            state = importer.process_job(job_id)
            sqlalchemy.event.remove(engine, "before_cursor_execute", count)
            seconds = time.perf_counter() - started
            finished.set()
            watcher.join()
            job = db.session.get(DirectoryImport, job_id)
            report = json.loads(job.report) if job.report else {}
            times = [started] + [t for t, *_ in seen if t > started] + [started + seconds]
            steps = {}
            for _, step, _ in seen:
                steps[step] = steps.get(step, 0) + 1
            created = report.get("created_count", len(report.get("created", [])))
            figures = {
                "state": state,
                "created": created,
                "problem_rows": len({p["line"] for p in report.get("problems", [])}),
                "progress_values_seen": steps,
                "longest_still_s": round(max(b - a for a, b in zip(times, times[1:], strict=False)), 2),
                "statements_per_listing_saved": round(statements["saving"] / max(created, 1), 3),
            }
        else:
            from app.ctn import services
            from app.ctn.models import CONFIRMED

            db.session.remove()
            before = resident_mb()
            started = time.perf_counter()
            with open(path, "rb") as handle:
                report = services.import_members(
                    handle, Path(path).name, CONFIRMED, "Joined at a CTN meeting (benchmark)", skip_bad_rows=True
                )
            seconds = time.perf_counter() - started
            figures = {"imported": report.imported, "problems": len(report.problems), "skipped": len(report.skipped)}
    print(json.dumps({"rows": rows, "seconds": round(seconds, 1), "rss_before_mb": round(before, 1), **figures}))


def run_child(kind, path, rows):
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.imports", "--child", kind, str(path), str(rows)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"the {kind} import of {rows} rows failed (status {status})")
    figures = json.loads(output.strip().splitlines()[-1])
    figures["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    figures["import_mb"] = round(figures["peak_rss_mb"] - figures["rss_before_mb"], 1)
    return figures


def report(kind, small, large):
    for figures in (small, large):
        extra = {k: v for k, v in figures.items() if k not in ("rows", "seconds", "rss_before_mb", "peak_rss_mb")}
        print(
            f"  {kind} {figures['rows']:>7,} rows: {figures['seconds']:6.1f} s "
            f"({figures['rows'] / max(figures['seconds'], 0.001):,.0f} rows/s), peak {figures['peak_rss_mb']:.0f} MB "
            f"(+{figures['import_mb']:.0f} MB over the app before the import) {json.dumps(extra)}"
        )
    grows = (large["import_mb"] - small["import_mb"]) / max(large["rows"] - small["rows"], 1) * 1024
    print(
        f"  {kind}: memory grows {grows:.2f} KB a row between the two sizes "
        f"({large['rows'] / small['rows']:.0f} x the rows, {large['import_mb'] / max(small['import_mb'], 1):.1f} x the memory)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="directory rows (large file)")
    parser.add_argument("--small-rows", type=int, default=2_000)
    parser.add_argument("--grouped", action="store_true", help="the multi-row layout: two rows per organisation")
    parser.add_argument("--members", type=int, default=20_000, help="CTN members (large file)")
    parser.add_argument("--small-members", type=int, default=2_000)
    parser.add_argument("--database-url", help="PostgreSQL URL to benchmark instead of a new SQLite file")
    parser.add_argument("--skip-directory", action="store_true")
    parser.add_argument("--skip-members", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PATH", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path, rows = args.child
        child(kind, path, int(rows))
        return

    url, instance = prepared_database(0, args.database_url)
    print(f"Import benchmark on {url.split(':')[0]}")
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-imports-"))
    if not args.skip_directory:
        sizes = []
        for prefix, rows in (("S", args.small_rows), ("L", args.rows)):
            path = folder / f"directory-{rows}.csv"
            write_directory_csv(path, rows, prefix, grouped=args.grouped)
            print(f"  directory file of {rows:,} rows: {path.stat().st_size / 2**20:.1f} MB", flush=True)
            sizes.append(run_child("directory", path, rows))
        report("directory", *sizes)
    if not args.skip_members:
        sizes = []
        for prefix, rows in (("S", args.small_members), ("L", args.members)):
            path = folder / f"members-{rows}.csv"
            write_members_csv(path, rows, prefix)
            sizes.append(run_child("members", path, rows))
        report("CTN members", *sizes)
    print(json.dumps({"database": url.split(":")[0], "instance": instance}))


if __name__ == "__main__":
    main()
