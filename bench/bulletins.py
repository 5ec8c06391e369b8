"""Bulletin sending throughput: N recipients to a local SMTP sink, our sender next to a bare smtplib loop.

    .venv/bin/python -m bench.bulletins [--recipients 10000] [--database-url URL]

The sink is aiosmtpd's `Sink` handler (accepts and discards) in its own process on loopback. The ceiling is
a bare smtplib loop on one reused connection sending the very same messages (built beforehand, so building
them is not counted there). Our figure is `run_sender` end to end: claiming rows in batches, checking each
recipient again at send time, building each message, the SMTP exchange and one committed 'sent' row per
message. Target (issue 6): at least 70% of the ceiling.
"""
import argparse
import json
import smtplib
import subprocess
import sys
import time

from .common import free_port, prepared_database


def start_sink():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
        {"name": f"Bench Member {n}", "email": f"bench{n}@example.org", "email_key": f"bench{n}@example.org",
         "organisation_name": "", "job_title": "", "sector": "vcfs", "status": "confirmed", "source": "benchmark",
         "preferences_token": f"bench-token-{n:08d}", "created_at": now, "confirmed_at": now, "updated_at": now}
        for n in range(1, count + 1)
    ]
    db.session.execute(db.insert(Member), rows)
    db.session.commit()


def make_bulletin():
    from app.bulletins.demo import INTRODUCTION, ITEMS
    from app.bulletins.models import Bulletin, BulletinItem
    from app.extensions import db

    bulletin = Bulletin(title="CTN Bulletin (benchmark)", introduction=INTRODUCTION)
    for position, item in enumerate(ITEMS, start=1):
        bulletin.items.append(BulletinItem(position=position, **item))
    db.session.add(bulletin)
    db.session.commit()
    return bulletin


def ceiling(port, messages, envelope_from):
    connection = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for recipient, data in messages:
        connection.sendmail(envelope_from, [recipient], data)
    elapsed = time.perf_counter() - started
    connection.quit()
    return len(messages) / elapsed, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--database-url", help="PostgreSQL URL to benchmark instead of a new SQLite file")
    args = parser.parse_args()

    print(f"Bulletin sending benchmark: {args.recipients:,} recipients, SMTP sink on loopback")
    url, _ = prepared_database(0, args.database_url)
    sink, port = start_sink()
    try:
        from app import create_app
        from app.bulletins import services
        from app.bulletins.message import MessageFactory
        from app.bulletins.models import BulletinDelivery
        from app.bulletins.sender import run_sender
        from app.ctn.models import Member
        from app.extensions import db

        app = create_app("development", SQLALCHEMY_DATABASE_URI=url, LOG_LEVEL="WARNING", MAIL_BACKEND="smtp",
                         MAIL_SERVER="127.0.0.1", MAIL_PORT=port, PUBLIC_BASE_URL="https://portal.example",
                         BULLETIN_RATE_PER_SECOND=0)
        with app.app_context():
            insert_members(args.recipients)
            bulletin = make_bulletin()
            started = time.perf_counter()
            created = services.start_sending(bulletin, enqueue=False)
            build_seconds = time.perf_counter() - started
            print(f"  recipient list: {created:,} delivery rows in {build_seconds:.2f} s")

            # The same messages, built beforehand, for the bare loop.
            factory = MessageFactory(bulletin)
            rows = db.session.execute(
                db.select(BulletinDelivery.id, Member.name, Member.email, Member.preferences_token)
                .join(Member, Member.id == BulletinDelivery.member_id).where(BulletinDelivery.bulletin_id == bulletin.id)
                .order_by(BulletinDelivery.id)
            ).all()
            messages = [(email, factory.build(did, name, email, factory.preferences_url(token))) for did, name, email, token in rows]
            size = sum(len(data) for _, data in messages) / len(messages)
            db.session.commit()

            bare_rate, bare_seconds = ceiling(port, messages, factory.envelope_from)
            print(f"  ceiling (bare smtplib loop, one connection): {bare_rate:8.0f} messages/s ({bare_seconds:.1f} s)")

            started = time.perf_counter()
            result = run_sender(bulletin.id)
            ours_seconds = time.perf_counter() - started
            ours_rate = result.sent / ours_seconds
            share = ours_rate / bare_rate
            verdict = "meets" if share >= 0.7 else "MISSES"
            print(f"  our sender (claim, check, build, send, commit): {ours_rate:8.0f} messages/s ({ours_seconds:.1f} s)")
            print(f"  ours / ceiling: {share:.0%} ({verdict} the 70% target); sent {result.sent:,}, failed {result.failed}, "
                  f"status {result.status}; average message {size / 1024:.1f} KiB")
            print(json.dumps({
                "recipients": args.recipients, "database": url.split(":")[0], "message_kib": round(size / 1024, 1),
                "ceiling_per_s": round(bare_rate), "ours_per_s": round(ours_rate), "share": round(share, 3),
                "recipient_list_s": round(build_seconds, 2),
            }))
    finally:
        sink.terminate()
        sink.wait(timeout=10)


if __name__ == "__main__":
    main()
