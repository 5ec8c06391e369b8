"""Bulletin sending throughput: 10,000 recipients to a local SMTP sink, our sender next to a bare smtplib loop.

    .venv/bin/python -m bench.bulletins [--recipients 10000] [--slices 10] [--database-url URL]

The sink is aiosmtpd's `Sink` handler (accepts and discards) in its own process on loopback. The ceiling is a
bare smtplib loop on one reused connection sending the very same messages (built beforehand, so building them
is not counted there). Our figure is `run_sender` end to end: the bulletin lease, claiming rows in batches,
checking each recipient again at send time, building each message, the SMTP exchange and one committed
'sent' row per message (committed while the next message's MAIL FROM is answered, and the next message
built while its RCPT TO is, both before its DATA: see app/bulletins/sender.py).

Fairness on a shared machine: the recipients are split into slices (one bulletin each) and the two loops take
turns slice by slice (bare loop, our sender, bare loop, ...), so a burst of other work on the machine hits both
alike; each run of our sender also pays its own start-up (rendering, SMTP connection) on every slice. Then
one whole 10,000-recipient bulletin is sent by our sender alone, for the plain figure.
Target (issue 16): at least 85% of the ceiling, on SQLite and on PostgreSQL (`--database-url`; for a
throwaway server: scripts/with-postgres sh -c '.venv/bin/python -m bench.bulletins --database-url "$TEST_DATABASE_URL"').
"""

import argparse
import json
import os
import smtplib
import statistics
import subprocess
import sys
import time

from .common import free_port, prepared_database

TARGET = 0.85  # issue 16: our sender reaches at least 85% of the bare smtplib loop


def start_sink():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            smtplib.SMTP("127.0.0.1", port, timeout=1).quit()
            return process, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the SMTP sink did not start")


def insert_members(count):
    from app.ctn.models import Member
    from app.extensions import db
    from app.timeutil import utcnow

    now = utcnow()
    rows = [
        {
            "name": f"Bench Member {n}",
            "email": f"bench{n}@example.org",
            "email_key": f"bench{n}@example.org",
            "organisation_name": "",
            "job_title": "",
            "sector": "vcfs",
            "status": "confirmed",
            "source": "benchmark",
            "preferences_token": f"bench-token-{n:08d}",
            "created_at": now,
            "confirmed_at": now,
            "updated_at": now,
        }
        for n in range(1, count + 1)
    ]
    db.session.execute(db.insert(Member), rows)
    db.session.commit()
    return db.session.scalars(db.select(Member.id).order_by(Member.id)).all()


def make_bulletin(title="CTN Bulletin (benchmark)"):
    from app.bulletins.demo import INTRODUCTION, ITEMS
    from app.bulletins.models import Bulletin, BulletinItem
    from app.extensions import db

    bulletin = Bulletin(title=title, introduction=INTRODUCTION)
    for position, item in enumerate(ITEMS, start=1):
        bulletin.items.append(BulletinItem(position=position, **item))
    db.session.add(bulletin)
    db.session.commit()
    return bulletin


def slice_bulletin(number, member_ids):
    """A bulletin being sent to exactly these members (delivery rows written directly)."""
    from app.bulletins.models import QUEUED, SENDING, BulletinDelivery
    from app.extensions import db
    from app.timeutil import utcnow

    bulletin = make_bulletin(f"CTN Bulletin (benchmark slice {number})")
    bulletin.status, bulletin.send_started_at = SENDING, utcnow()
    db.session.execute(
        db.insert(BulletinDelivery),
        [
            {"bulletin_id": bulletin.id, "member_id": member_id, "state": QUEUED, "attempts": 0, "last_error": ""}
            for member_id in member_ids
        ],
    )
    db.session.commit()
    return bulletin


def prebuilt_messages(bulletin):
    """The messages our sender will send for this bulletin, built now, for the bare loop."""
    from app.bulletins.message import MessageFactory
    from app.bulletins.models import BulletinDelivery
    from app.ctn.models import Member
    from app.extensions import db

    factory = MessageFactory(bulletin)
    rows = db.session.execute(
        db.select(BulletinDelivery.id, Member.name, Member.email, Member.preferences_token)
        .join(Member, Member.id == BulletinDelivery.member_id)
        .where(BulletinDelivery.bulletin_id == bulletin.id)
        .order_by(BulletinDelivery.id)
    ).all()
    db.session.commit()
    return factory.envelope_from, [
        (email, factory.build(did, name, email, factory.preferences_url(token))) for did, name, email, token in rows
    ]


def bare_loop(port, envelope_from, messages):
    connection = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for recipient, data in messages:
        connection.sendmail(envelope_from, [recipient], data)
    elapsed = time.perf_counter() - started
    connection.quit()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--slices", type=int, default=10)
    parser.add_argument("--database-url", help="PostgreSQL URL to benchmark instead of a new SQLite file")
    args = parser.parse_args()

    print(
        f"Bulletin sending benchmark: {args.recipients:,} recipients, SMTP sink on loopback, "
        f"{args.slices} interleaved slices"
    )
    url, _ = prepared_database(0, args.database_url)
    sink, port = start_sink()
    try:
        from app import create_app
        from app.bulletins import services
        from app.bulletins.sender import run_sender

        app = create_app(
            "development",
            SQLALCHEMY_DATABASE_URI=url,
            LOG_LEVEL="WARNING",
            MAIL_BACKEND="smtp",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=port,
            PUBLIC_BASE_URL="https://portal.example",
            BULLETIN_RATE_PER_SECOND=0,
        )
        with app.app_context():
            member_ids = insert_members(args.recipients)
            size = args.recipients // args.slices
            bare_total = ours_total = bare_cpu = ours_cpu = 0.0
            sent = 0
            shares = []
            message_sizes = []
            for number in range(args.slices):
                chunk = member_ids[number * size : (number + 1) * size]
                bulletin = slice_bulletin(number + 1, chunk)
                envelope_from, messages = prebuilt_messages(bulletin)
                message_sizes.extend(len(data) for _, data in messages)
                cpu = time.process_time()
                bare = bare_loop(port, envelope_from, messages)
                bare_cpu += time.process_time() - cpu
                started, cpu = time.perf_counter(), time.process_time()
                result = run_sender(bulletin.id)
                ours = time.perf_counter() - started
                ours_cpu += time.process_time() - cpu
                assert result.sent == len(chunk) and result.status == "done", result
                bare_total, ours_total, sent = bare_total + bare, ours_total + ours, sent + result.sent
                shares.append(bare / ours)
            ceiling_rate, ours_rate = sent / bare_total, sent / ours_total
            share = ours_rate / ceiling_rate
            print(f"  ceiling (bare smtplib loop, one connection): {ceiling_rate:7.0f} messages/s ({bare_total:.1f} s)")
            print(
                f"  our sender (lease, claim, check, build, send, commit): {ours_rate:7.0f} messages/s ({ours_total:.1f} s)"
            )
            print(
                f"  ours / ceiling on {url.split(':')[0].split('+')[0]}: {share:.0%} "
                f"({'meets' if share >= TARGET else 'MISSES'} the {TARGET:.0%} target); "
                f"per slice: median {statistics.median(shares):.0%}, lowest {min(shares):.0%}, highest {max(shares):.0%}"
            )
            # Beside the rates, the client's own CPU time per message (this process: sender or bare loop). On
            # a busy machine the sink, the database and the client share the cores and the rates swing;
            # this figure says how much work each loop adds, whatever the load.
            load = os.getloadavg()[0]
            print(
                f"  CPU time in this process per message: bare loop {1000 * bare_cpu / sent:.3f} ms, "
                f"our sender {1000 * ours_cpu / sent:.3f} ms (load average {load:.1f})"
            )

            whole = make_bulletin("CTN Bulletin (benchmark, whole list)")
            started = time.perf_counter()
            created = services.start_sending(whole, enqueue=False)
            list_seconds = time.perf_counter() - started
            started = time.perf_counter()
            result = run_sender(whole.id)
            whole_seconds = time.perf_counter() - started
            print(
                f"  one bulletin to all {created:,}: list built in {list_seconds:.2f} s, sent in {whole_seconds:.1f} s "
                f"= {result.sent / whole_seconds:.0f} messages/s (status {result.status}, failed {result.failed}); "
                f"average message {statistics.mean(message_sizes) / 1024:.1f} KiB"
            )
            print(
                json.dumps(
                    {
                        "recipients": args.recipients,
                        "database": url.split(":")[0],
                        "slices": args.slices,
                        "ceiling_per_s": round(ceiling_rate),
                        "ours_per_s": round(ours_rate),
                        "share": round(share, 3),
                        "bare_cpu_ms_per_message": round(1000 * bare_cpu / sent, 3),
                        "ours_cpu_ms_per_message": round(1000 * ours_cpu / sent, 3),
                        "load_average": round(load, 2),
                        "slice_share_median": round(statistics.median(shares), 3),
                        "whole_bulletin_per_s": round(result.sent / whole_seconds),
                        "recipient_list_s": round(list_seconds, 2),
                    }
                )
            )
    finally:
        sink.terminate()
        sink.wait(timeout=10)


if __name__ == "__main__":
    main()
