"""Bulletin logic that needs no request: drafting, segments, scheduling, starting a send, figures, GDPR.

The delivery loop itself is in sender.py; the huey tasks in tasks.py.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, select, update

from ..ctn import services as ctn
from ..ctn.models import INTERESTS, SECTOR_SHORT, SOURCE_BULLETIN
from ..extensions import db
from ..places.models import Ward
from ..tasks import enqueue
from ..timeutil import LONDON, utcnow
from .message import MessageFactory, delivery_id_from_token
from .models import (
    D_SENDING,
    D_SENT,
    DRAFT,
    EMERGENCY,
    FAILED_PERMANENT,
    FAILED_TEMPORARY,
    QUEUED,
    SCHEDULED,
    SENDING,
    SENT,
    SKIPPED,
    Bulletin,
    BulletinDelivery,
    BulletinItem,
)
from .sender import make_transport, run_sender

log = logging.getLogger("portal.bulletins")


# --- Segments ------------------------------------------------------------------------------------


def set_segments(bulletin, sectors=(), interests=(), ward_codes=()):
    bulletin.segment_sectors = ",".join(dict.fromkeys(sectors or []))
    bulletin.segment_interests = ",".join(dict.fromkeys(interests or []))
    bulletin.segment_wards = ",".join(dict.fromkeys(ward_codes or []))


def recipients(bulletin):
    """The confirmed members the bulletin is for (all of them, or the chosen segments)."""
    return ctn.confirmed_members(
        sectors=bulletin.sectors or None, interests=bulletin.interests or None, ward_codes=bulletin.ward_codes or None
    )


def audience_description(bulletin):
    parts = []
    if bulletin.sectors:
        parts.append("sector: " + ", ".join(SECTOR_SHORT.get(s, s) for s in bulletin.sectors))
    if bulletin.interests:
        parts.append("interested in: " + ", ".join(INTERESTS.get(i, i) for i in bulletin.interests))
    if bulletin.ward_codes:
        names = dict(db.session.execute(select(Ward.code, Ward.name).where(Ward.code.in_(bulletin.ward_codes))).all())
        parts.append("ward: " + ", ".join(names.get(c, c) for c in bulletin.ward_codes))
    return "All confirmed members" if not parts else "Confirmed members (" + "; ".join(parts) + ")"


# --- Scheduling ----------------------------------------------------------------------------------


def london_to_utc(day, clock):
    """A London wall-clock date and time as naive UTC (British Summer Time handled)."""
    return datetime.combine(day, clock, tzinfo=LONDON).astimezone(UTC).replace(tzinfo=None)


def schedule(bulletin, when_utc):
    if not bulletin.editable:
        raise ValueError("Only a draft or scheduled bulletin can be scheduled")
    bulletin.status = SCHEDULED
    bulletin.scheduled_at = when_utc
    db.session.commit()


def cancel_schedule(bulletin):
    if bulletin.status == SCHEDULED:
        bulletin.status = DRAFT
        bulletin.scheduled_at = None
        db.session.commit()


def due_bulletins(now=None):
    now = now or utcnow()
    return db.session.scalars(
        select(Bulletin)
        .where(Bulletin.status == SCHEDULED, Bulletin.scheduled_at <= now)
        .order_by(Bulletin.scheduled_at)
    ).all()


def resumable_bulletins(now=None):
    """Bulletins being sent that no live sender holds (crashed worker, or retries now due)."""
    now = now or utcnow()
    return db.session.scalars(
        select(Bulletin)
        .where(
            Bulletin.status == SENDING, db.or_(Bulletin.sender_lease_until.is_(None), Bulletin.sender_lease_until < now)
        )
        .order_by(Bulletin.kind != EMERGENCY, Bulletin.id)
    ).all()


# --- Starting a send ------------------------------------------------------------------------------


class NothingToSend(Exception):
    pass


def start_sending(bulletin, enqueue=True):
    """Move the bulletin to 'sending' (only once, whoever calls) and create one delivery row per recipient.

    Returns the number of delivery rows created (0 if the bulletin was already being sent). With
    `enqueue`, the send is put on the task queue: an emergency as a priority task.
    """
    if not bulletin.items and not (bulletin.introduction or "").strip():
        raise NothingToSend("Add at least one item or an introduction before sending")
    now = utcnow()
    moved = db.session.execute(
        update(Bulletin)
        .where(Bulletin.id == bulletin.id, Bulletin.status.in_([DRAFT, SCHEDULED]))
        .values(status=SENDING, send_started_at=now, scheduled_at=db.func.coalesce(Bulletin.scheduled_at, now))
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        db.session.rollback()
        return 0
    members = recipients(bulletin)
    for member in members:
        ctn.rotate_preferences_token(member)  # the links in earlier e-mails stop working
    if members:
        db.session.execute(
            insert(BulletinDelivery),
            [
                {"bulletin_id": bulletin.id, "member_id": m.id, "state": QUEUED, "attempts": 0, "last_error": ""}
                for m in members
            ],
        )
    db.session.commit()
    db.session.refresh(bulletin)
    log.info(
        "bulletin send started", extra={"bulletin_id": bulletin.id, "recipients": len(members), "kind": bulletin.kind}
    )
    if enqueue:
        enqueue_send(bulletin.id, emergency=bulletin.kind == EMERGENCY)
    return len(members)


def enqueue_send(bulletin_id, emergency=False, eta=None):
    """Queue the send (the tasks are in tasks.py): emergencies go ahead of routine sends."""
    return enqueue("bulletins.send_emergency" if emergency else "bulletins.send", bulletin_id, eta=eta)


def send_due(run_inline=False):
    """Start bulletins whose scheduled time has come and resume interrupted sends.

    The huey periodic task calls this every minute (enqueueing the sends); `flask bulletins send-due`
    runs them in the calling process. Returns [(bulletin id, what happened)].
    """
    done = []
    for bulletin in due_bulletins():
        try:
            start_sending(bulletin, enqueue=not run_inline)
        except NothingToSend:
            bulletin.status = DRAFT
            db.session.commit()
            done.append((bulletin.id, "empty: back to draft"))
            continue
        done.append((bulletin.id, "started"))
    for bulletin in resumable_bulletins():
        if run_inline:
            result = run_sender(bulletin.id)
            done.append((bulletin.id, result.status))
        elif not any(bid == bulletin.id for bid, _ in done):
            enqueue_send(bulletin.id, emergency=bulletin.kind == EMERGENCY)
            done.append((bulletin.id, "resumed"))
    return done


# --- Test send -------------------------------------------------------------------------------------


def send_test(bulletin, address, name):
    """Send the bulletin to one address (the officer's own), marked as a test, through the same path.

    The unsubscribe link in a test message points at no delivery record, so it does nothing.
    """
    factory = MessageFactory(bulletin, subject_prefix="[Test] ")
    data = factory.build(
        None,
        name,
        address,
        factory.preferences_base,
        message_id=f"<bulletin-{bulletin.id}.test-{int(utcnow().timestamp())}@{factory.domain}>",
    )
    transport = make_transport()
    try:
        transport.send(factory.envelope_from, address, data)
    finally:
        transport.close()


# --- Unsubscribe -------------------------------------------------------------------------------------


def delivery_for_token(token):
    delivery_id = delivery_id_from_token(token)
    return db.session.get(BulletinDelivery, delivery_id) if delivery_id is not None else None


def one_click_unsubscribe(delivery):
    """Unsubscribe the member this delivery went to (idempotent). Returns the member or None (erased)."""
    if delivery.unsubscribed_at is None:
        delivery.unsubscribed_at = utcnow()
    member = delivery.member
    if member is None:
        db.session.commit()
        return None
    return ctn.unsubscribe(member, f"{SOURCE_BULLETIN} (bulletin {delivery.bulletin_id})")


# --- Figures ------------------------------------------------------------------------------------------


@dataclass
class Figures:
    total: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    skipped: int = 0
    waiting: int = 0
    unsubscribed: int = 0

    @property
    def done(self):
        return self.sent + self.failed + self.skipped

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 100

    def as_dict(self):
        return {
            k: getattr(self, k)
            for k in ("total", "sent", "failed", "retrying", "skipped", "waiting", "unsubscribed", "done", "percent")
        }


def figures(bulletin_id):
    counts = dict(
        db.session.execute(
            select(BulletinDelivery.state, func.count())
            .where(BulletinDelivery.bulletin_id == bulletin_id)
            .group_by(BulletinDelivery.state)
        ).all()
    )
    unsubscribed = db.session.scalar(
        select(func.count())
        .select_from(BulletinDelivery)
        .where(BulletinDelivery.bulletin_id == bulletin_id, BulletinDelivery.unsubscribed_at.is_not(None))
    )
    return Figures(
        total=sum(counts.values()),
        sent=counts.get(D_SENT, 0),
        failed=counts.get(FAILED_PERMANENT, 0),
        retrying=counts.get(FAILED_TEMPORARY, 0),
        skipped=counts.get(SKIPPED, 0),
        waiting=counts.get(QUEUED, 0) + counts.get(D_SENDING, 0),
        unsubscribed=unsubscribed or 0,
    )


def status_payload(bulletin):
    data = figures(bulletin.id).as_dict()
    data.update(id=bulletin.id, status=bulletin.status, status_label=bulletin.status_label)
    data["message"] = progress_message(bulletin, data)
    return data


def progress_message(bulletin, data):
    if bulletin.status == SENT:
        return f"Sent: {data['sent']} delivered, {data['failed']} failed, {data['skipped']} not sent."
    if bulletin.status == SENDING:
        text = f"Sending: {data['done']} of {data['total']} done ({data['percent']}%)."
        if data["retrying"]:
            text += f" {data['retrying']} will be tried again."
        return text
    return bulletin.status_label


def failed_deliveries(bulletin_id, limit=200):
    return db.session.scalars(
        select(BulletinDelivery)
        .where(
            BulletinDelivery.bulletin_id == bulletin_id,
            BulletinDelivery.state.in_([FAILED_PERMANENT, FAILED_TEMPORARY]),
        )
        .order_by(BulletinDelivery.id)
        .limit(limit)
    ).all()


# --- Archive -------------------------------------------------------------------------------------------


def archive(page=1, per_page=20):
    return db.paginate(
        select(Bulletin).where(Bulletin.status == SENT).order_by(Bulletin.sent_at.desc(), Bulletin.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def published_bulletin(bulletin_id):
    bulletin = db.session.get(Bulletin, bulletin_id)
    return bulletin if bulletin is not None and bulletin.status == SENT else None


def next_position(bulletin):
    return max((item.position for item in bulletin.items), default=0) + 1


def move_item(item, direction):
    items = list(item.bulletin.items)
    index = items.index(item)
    other = index + direction
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, each in enumerate(items, start=1):
            each.position = position
        db.session.commit()


# --- GDPR: the delivery records are personal data -----------------------------------------------------


def _export_deliveries(member, key):
    if member is None:
        return []
    rows = db.session.execute(
        select(BulletinDelivery, Bulletin.title)
        .join(Bulletin, Bulletin.id == BulletinDelivery.bulletin_id)
        .where(BulletinDelivery.member_id == member.id)
        .order_by(BulletinDelivery.id)
    ).all()
    return [
        {
            "bulletin": title,
            "state": delivery.state_label,
            "attempts": delivery.attempts,
            "sent_at": delivery.sent_at,
            "unsubscribed_at": delivery.unsubscribed_at,
            "last_error": delivery.last_error,
        }
        for delivery, title in rows
    ]


def _erase_deliveries(member, key):
    """Anonymise, never delete: the row loses its link to the person (and any error text that could
    quote the address) but keeps its state, so each bulletin's sent/failed/unsubscribed figures stay right."""
    if member is None:
        return 0
    result = db.session.execute(
        update(BulletinDelivery)
        .where(BulletinDelivery.member_id == member.id)
        .values(member_id=None, last_error="", claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


ctn.register_personal_data("bulletin_deliveries", export=_export_deliveries, erase=_erase_deliveries)


def new_item(bulletin, **values):
    item = BulletinItem(bulletin=bulletin, position=next_position(bulletin), **values)
    db.session.add(item)
    db.session.commit()
    return item


def create_bulletin(kind, title, introduction, created_by_id):
    """A new draft bulletin, committed."""
    bulletin = Bulletin(kind=kind, title=title.strip(), introduction=introduction or "", created_by_id=created_by_id)
    db.session.add(bulletin)
    db.session.commit()
    return bulletin


def update_bulletin(bulletin, kind, title, introduction):
    """Save a draft's kind, title and introduction; an emergency bulletin is never scheduled, so making a
    scheduled one an emergency takes it off the schedule."""
    bulletin.kind, bulletin.title = kind, title.strip()
    bulletin.introduction = introduction or ""
    if bulletin.kind == EMERGENCY and bulletin.status == SCHEDULED:
        cancel_schedule(bulletin)
    db.session.commit()


def delete_bulletin(bulletin):
    db.session.delete(bulletin)
    db.session.commit()


def update_item(item, section, title, body, link_url):
    item.section, item.title, item.body = section, title.strip(), body
    item.link_url = (link_url or "").strip()
    db.session.commit()


def delete_item(item):
    db.session.delete(item)
    db.session.commit()


def save_segments(bulletin, sectors=(), interests=(), ward_codes=()):
    """set_segments, committed: the audience page's save."""
    set_segments(bulletin, sectors, interests, ward_codes)
    db.session.commit()
