"""The bulletin sender: every recipient exactly once, as far as SMTP allows.

How a send works
----------------
1. `services.start_sending` moves the bulletin to 'sending' (a conditional UPDATE, so only once) and inserts
   one `bulletin_delivery` row per recipient in state 'queued' (unique per bulletin and member).
2. `run_sender(bulletin_id)` (a huey task, or `flask bulletins send ID`) takes the bulletin's sender lease
   (one sender per bulletin at a time; a dead sender's lease runs out) and then loops:
   - it claims a small batch of rows with ONE statement in its own transaction:
     `UPDATE bulletin_delivery SET state='sending', claimed_by=me, lease_until=now+lease
      WHERE id IN (SELECT id ... WHERE state='queued' ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED)
      RETURNING id`, then the same for retries that are due (failed_temporary, next_attempt_at<=now) and
     rows whose lease ran out (state='sending', lease_until<now)
     (PostgreSQL skips rows another sender has locked; SQLite runs the statement under its single write
     lock, so two senders can never claim the same row);
   - it checks every claimed recipient again *now*: erased, no longer confirmed, or on the suppression
     list -> 'skipped', never sent;
   - it sends each message over one reused SMTP connection (smtplib) and commits its row as 'sent' (one
     row, one commit) once the server has answered 250 to its DATA - while the next message's MAIL FROM
     is on its way and always before that message's DATA (see below); the next message is built while
     its RCPT TO is answered. Transports that take whole messages only (the file outbox, the tests'
     memory) commit right after each send;
   - 4xx -> 'failed_temporary' with attempts and next_attempt_at (exponential back-off); after
     BULLETIN_MAX_ATTEMPTS it becomes 'failed_permanent'. 5xx to RCPT (the mailbox is refused) ->
     'failed_permanent' and the member is flagged bounced (`ctn.services.mark_bounced`); 5xx to DATA
     -> 'failed_permanent', and the member is flagged only when the enhanced status says the mailbox is
     bad (5.1.x / 5.2.1), because a content rejection is not the member's fault;
   - between batches a routine send checks for an emergency bulletin being sent and, if there is one,
     sends it first (or waits while another worker sends it);
   - when no row is left to claim, the bulletin becomes 'sent' once every row is final; otherwise the
     caller is told when the next retry is due.

Exactly once, and the one window where it is not
------------------------------------------------
A row becomes 'sent' only after the server accepted the message, so a crash can never lose a recipient:
a killed sender leaves its claimed rows in 'sending' with a lease; when the lease has run out the next
sender (the every-minute `send_due` task, or a rerun of the command) claims them again. Rows already
committed as 'sent' are never claimed again, so nobody gets a second copy - except in one window: if the
process dies after the server has accepted a message (the server answers 250) and before our UPDATE to
'sent' is committed, that recipient is sent the message again on resume. The window holds at most one
message per sender: a server accepts a message only at the end of its DATA, and the sender does not
send the next message's DATA until the previous 'sent' row is committed (if that commit fails, the
send stops with `RecordingFailed` before the next DATA). It lasts one network reply, the next
message's MAIL FROM going out, and one commit; a rate-limit pause, the end of a batch or any failure
commits first. The second copy carries the same Message-ID, derived from the bulletin and delivery ids,
so receiving systems that de-duplicate by Message-ID drop it. SMTP itself offers no way to close this
window (there is no two-phase commit with the server).

Why the commit waits for the next MAIL FROM: per message, the SMTP exchange is four round trips to the
server (MAIL, RCPT, DATA, the message) during which the sender would otherwise sit idle. Committing the
previous row and building the next message while the server answers MAIL FROM and RCPT TO takes them
off the critical path. It needs no second thread: the commit waits on the database while the mail server
works on its reply, and the build is done by the time its reply is read.

On SQLite the sender's own connection uses WAL with synchronous=NORMAL (a commit per row with a full
fsync would cost ~5 ms on an ordinary disk): a killed process loses nothing, but a power cut or OS
crash could lose the last few 'sent' commits, and those recipients would get a second copy (same
Message-ID). PostgreSQL commits stay fully durable.

Rate limit: BULLETIN_RATE_PER_SECOND messages per second per sender (0: as fast as the server takes them).
The BULLETIN_* settings and their defaults are in config.py.
"""

import logging
import os
import re
import smtplib
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from ..ctn.models import CONFIRMED, Member, Suppression
from ..ctn.services import address_hash, mark_bounced
from ..extensions import db
from ..timeutil import utcnow
from .message import MessageFactory, usable_address
from .models import (
    D_SENDING,
    EMERGENCY,
    FAILED_PERMANENT,
    FAILED_TEMPORARY,
    FINAL_STATES,
    QUEUED,
    SENDING,
    SENT,
    SKIPPED,
    Bulletin,
    BulletinDelivery,
)

log = logging.getLogger("portal.bulletins")


def setting(name):
    """A BULLETIN_* setting (defaults and meanings in config.py)."""
    return current_app.config[name]


def retry_delay(attempts):
    """Seconds to wait after the `attempts`-th temporary failure: base x 2^(attempts-1), capped."""
    base = setting("BULLETIN_RETRY_BASE_SECONDS")
    return min(base * 2 ** max(attempts - 1, 0), setting("BULLETIN_RETRY_MAX_SECONDS"))


# --- Transports ------------------------------------------------------------------------------------


class RecordingFailed(Exception):
    """A message the server accepted could not be recorded as 'sent': the send stops there, so no message
    is ever sent while an earlier one is unrecorded. (Not an SMTP or OS error, so never taken for a failed
    delivery of the next message.)"""


LEADING_DOT = re.compile(rb"(?m)^\.")  # smtplib's own pattern for dots to double (RFC 5321 4.5.2)


class SmtpTransport:
    """One SMTP connection, opened on first use and reused for every message (settings read at send time)."""

    overlaps = True  # `send` takes work to do while the server answers (see `send`)

    def __init__(self, app):
        config = app.config
        self.server = config["MAIL_SERVER"]
        self.port = int(config["MAIL_PORT"])
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.use_tls = bool(config["MAIL_USE_TLS"])
        self.use_ssl = bool(config["MAIL_USE_SSL"])
        self.timeout = config["MAIL_TIMEOUT"]
        self.connection = None
        self._quoted_from = (None, "")

    def open(self):
        cls = smtplib.SMTP_SSL if self.use_ssl else smtplib.SMTP
        connection = cls(self.server, self.port, timeout=self.timeout)
        if self.use_tls and not self.use_ssl:
            connection.starttls()
        if self.username:
            connection.login(self.username, self.password or "")
        self.connection = connection

    def send(self, envelope_from, recipient, data, meanwhile=()):
        """Send one message; raises exactly what smtplib's `sendmail` raises for the same replies.

        Each callable in `meanwhile` runs while the server's reply to a command is on its way: the first
        while MAIL FROM is answered, the second while RCPT TO is, any others before DATA. So they all have
        run before DATA is sent. A refusal before a callable's turn skips it (the caller then does that work
        itself). If one of them raises, the command's reply is still in flight: the connection is dropped and the
        exception goes to the caller unchanged."""
        if self.connection is None:
            self.open()
        connection = self.connection
        try:
            if not meanwhile:
                connection.sendmail(envelope_from, [recipient], data)
                return
            self._send_stepwise(connection, envelope_from, recipient, data, list(meanwhile))
        except (smtplib.SMTPServerDisconnected, OSError):
            self.connection = None
            raise

    def _send_stepwise(self, connection, envelope_from, recipient, data, meanwhile):
        """smtplib's `sendmail` for one recipient and a message in bytes, step by step (same commands, same
        replies handled the same way, same exceptions), with the caller's work done during the round trips."""
        connection.ehlo_or_helo_if_needed()
        size = f" size={len(data)}" if connection.does_esmtp and connection.has_extn("size") else ""
        if self._quoted_from[0] != envelope_from:  # the same for every message: parsed once
            self._quoted_from = (envelope_from, smtplib.quoteaddr(envelope_from))
        connection.putcmd("mail", f"from:{self._quoted_from[1]}{size}")
        self._run(connection, meanwhile)
        code, reply = connection.getreply()
        if code != 250:
            self._abandon(connection, code)
            raise smtplib.SMTPSenderRefused(code, reply, envelope_from)
        connection.putcmd("rcpt", f"TO:{smtplib.quoteaddr(recipient)}")
        self._run(connection, meanwhile)
        code, reply = connection.getreply()
        if code not in (250, 251):
            self._abandon(connection, code)
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
        while meanwhile:
            self._run(connection, meanwhile)
        code, reply = self._data(connection, data)
        if code != 250:
            self._abandon(connection, code)
            raise smtplib.SMTPDataError(code, reply)

    @staticmethod
    def _data(connection, data):
        """smtplib's `data` for a message in bytes, without its pass over the whole message to double the
        dots that start lines when no line starts with one (a base64 bulletin has none): the same bytes
        go to the server, for a fraction of the work."""
        connection.putcmd("data")
        code, reply = connection.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if data.startswith(b".") or b"\n." in data:
            data = LEADING_DOT.sub(b"..", data)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        connection.send(data + b".\r\n")
        return connection.getreply()

    def _run(self, connection, meanwhile):
        if not meanwhile:
            return
        try:
            meanwhile.pop(0)()
        except BaseException:
            connection.close()  # a reply is still owed: this connection is out of step, never reuse it
            self.connection = None
            raise

    @staticmethod
    def _abandon(connection, code):
        """What sendmail does after a refusal: 421 means the server is closing; otherwise reset."""
        if code == 421:
            connection.close()
        else:
            try:
                connection.rset()
            except smtplib.SMTPServerDisconnected:
                pass

    def close(self):
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.connection = None


class FileTransport:
    """MAIL_BACKEND=file (the embedded default): each message as an .eml file in MAIL_FILE_PATH."""

    def __init__(self, app):
        self.folder = Path(app.config["MAIL_FILE_PATH"])

    def send(self, envelope_from, recipient, data):
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-bulletin-{uuid.uuid4().hex[:12]}.eml"
        (self.folder / name).write_bytes(data)

    def close(self):
        pass


# MAIL_BACKEND -> transport class. Another backend (the tests' in-memory one) registers itself here.
TRANSPORTS = {"smtp": SmtpTransport, "file": FileTransport}


def make_transport(app=None):
    app = app or current_app._get_current_object()
    backend = app.config["MAIL_BACKEND"]
    if backend not in TRANSPORTS:
        raise LookupError(f"MAIL_BACKEND={backend!r} has no bulletin transport (known: {', '.join(TRANSPORTS)})")
    return TRANSPORTS[backend](app)


def classify(exc):
    """(kind, code, text) for a sending error: kind is 'temporary', 'permanent' or 'bounce'."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(exc.recipients.values()))
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
        return ("bounce" if 500 <= code < 600 else "temporary"), code, text
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        message = exc.smtp_error
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
        if 500 <= code < 600 and not isinstance(exc, smtplib.SMTPSenderRefused):
            mailbox_bad = text.startswith(("5.1.", "5.2.1"))
            return ("bounce" if mailbox_bad else "permanent"), code, text
        return "temporary", code, text
    return "temporary", None, f"{type(exc).__name__}: {exc}"


# --- The loop --------------------------------------------------------------------------------------


@dataclass
class SendResult:
    bulletin_id: int
    status: str = "done"  # done | busy | waiting (retries due later) | stopped (connection problem)
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    retry_at: object = None
    emergencies: list = field(default_factory=list)


def new_worker_id():
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


D = BulletinDelivery.__table__.c
B = Bulletin.__table__.c


class Sender:
    def __init__(self, worker_id=None, transport=None):
        self.app = current_app._get_current_object()
        self.worker_id = worker_id or new_worker_id()
        self.transport = transport or make_transport(self.app)
        self.rate = setting("BULLETIN_RATE_PER_SECOND")
        self.batch_size = max(1, setting("BULLETIN_BATCH_SIZE"))
        if self.rate > 0:
            # A batch should take no more than about two seconds, so send-time checks stay fresh.
            self.batch_size = max(1, min(self.batch_size, int(self.rate * 2) or 1))
        self.lease = timedelta(seconds=max(setting("BULLETIN_LEASE_SECONDS"), 1))
        self.max_attempts = setting("BULLETIN_MAX_ATTEMPTS")
        self.sent_total = 0
        self.paced = 0
        self.pace_start = None
        self.conn = None
        self._sent_sql = None
        self._unrecorded = None  # (delivery id, attempts) of the accepted message not yet committed as 'sent'
        # SmtpTransport can do our work while the server answers; other transports send whole messages.
        self.overlapped = bool(getattr(self.transport, "overlaps", False))

    # Connection handling: the sender works on its own connection, committing row by row.
    def __enter__(self):
        # Every statement the sender runs is complete on its own (the claim is one UPDATE ... RETURNING),
        # so its connection runs in autocommit: each statement is its own transaction, committed when it
        # returns - one round trip per 'sent' row instead of BEGIN + UPDATE + COMMIT.
        self.conn = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        if self.conn.dialect.name == "sqlite":
            self.conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            self.conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
            self.conn.commit()
        return self

    def __exit__(self, *exc):
        self.transport.close()
        try:
            self.conn.rollback()
            if self.conn.dialect.name == "sqlite":
                self.conn.exec_driver_sql("PRAGMA synchronous=FULL")
        finally:
            self.conn.close()

    def _commit(self, statement):
        result = self.conn.execute(statement)
        self.conn.commit()
        return result

    # The bulletin lease: one sender per bulletin.
    def acquire(self, bulletin_id):
        now = utcnow()
        result = self._commit(
            update(Bulletin.__table__)
            .where(
                B.id == bulletin_id,
                B.status == SENDING,
                or_(B.sender_lease_until.is_(None), B.sender_lease_until < now, B.sender_id == self.worker_id),
            )
            .values(sender_id=self.worker_id, sender_lease_until=now + self.lease)
        )
        return result.rowcount == 1

    def renew(self, bulletin_id):
        self._commit(
            update(Bulletin.__table__)
            .where(B.id == bulletin_id, B.sender_id == self.worker_id)
            .values(sender_lease_until=utcnow() + self.lease)
        )

    def release(self, bulletin_id):
        self._commit(
            update(Bulletin.__table__)
            .where(B.id == bulletin_id, B.sender_id == self.worker_id)
            .values(sender_id=None, sender_lease_until=None)
        )

    def claim(self, bulletin_id):
        """Claim up to a batch of rows: queued ones first (the index on (bulletin_id, state) gives them in id
        order, so this stays cheap however long the list), then retries that are due and rows whose sender's
        lease ran out."""
        now = utcnow()
        ids = self._claim_where(bulletin_id, D.state == QUEUED, self.batch_size, now)
        if len(ids) < self.batch_size:
            ids += self._claim_where(
                bulletin_id,
                or_(
                    and_(D.state == FAILED_TEMPORARY, D.next_attempt_at <= now),
                    and_(D.state == D_SENDING, D.lease_until < now),
                ),
                self.batch_size - len(ids),
                now,
            )
        return sorted(ids)

    def _claim_where(self, bulletin_id, condition, limit, now):
        claimable = (
            select(D.id)
            .where(D.bulletin_id == bulletin_id, condition)
            .order_by(D.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(BulletinDelivery.__table__)
            .where(D.id.in_(claimable.scalar_subquery()))
            .values(state=D_SENDING, claimed_by=self.worker_id, lease_until=now + self.lease)
            .returning(D.id)
        )
        ids = self.conn.execute(statement).scalars().all()
        self.conn.commit()
        return list(ids)

    def _recipients(self, bulletin_id, ids):
        """The claimed rows with their members as they are now, and which addresses are suppressed. The rows
        are read as 'this sender's claims in the range of ids' (four parameters, one statement shape the
        database prepares once) rather than as a list of a hundred ids, which costs 2-3 ms a batch to send
        and plan on PostgreSQL; a row another sender took over meanwhile is left to it."""
        claimed = set(ids)
        rows = self.conn.execute(
            select(D.id, D.attempts, Member.id, Member.name, Member.email, Member.status, Member.preferences_token)
            .select_from(BulletinDelivery.__table__.outerjoin(Member.__table__, Member.id == D.member_id))
            .where(
                D.bulletin_id == bulletin_id,
                D.id.between(min(ids), max(ids)),
                D.claimed_by == self.worker_id,
                D.state == D_SENDING,
            )
            .order_by(D.id)
        ).all()
        rows = [row for row in rows if row[0] in claimed]
        hashes = {row[4]: address_hash(row[4]) for row in rows if row[4]}
        suppressed = (
            set(
                self.conn.execute(
                    select(Suppression.email_hash).where(Suppression.email_hash.in_(list(hashes.values())))
                ).scalars()
            )
            if hashes
            else set()
        )
        self.conn.commit()
        return rows, hashes, suppressed

    def _pace(self):
        if self.rate <= 0:
            return
        now = time.monotonic()
        if self.pace_start is None:
            self.pace_start = now
        due = self.pace_start + self.paced / self.rate
        if due > now:
            self._record_sent()  # never wait with an accepted message unrecorded
            time.sleep(due - now)
        self.paced += 1

    def _mark(self, delivery_id, **values):
        return self._commit(
            update(BulletinDelivery.__table__)
            .where(D.id == delivery_id, D.claimed_by == self.worker_id)
            .values(claimed_by=None, lease_until=None, **values)
        )

    def _mark_sent(self, delivery_id, attempts):
        """The hot path, once per message: one parameterised UPDATE straight on the driver's connection
        (autocommit, so it is committed when execute returns). SQLAlchemy's statement machinery costs
        more than the database here; the statement is fixed and every value is a bound parameter."""
        if self._sent_sql is None:
            mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
            self._sent_sql = (
                f"UPDATE bulletin_delivery SET state = 'sent', sent_at = {mark}, attempts = {mark}, last_error = '', "
                f"claimed_by = NULL, lease_until = NULL WHERE id = {mark} AND claimed_by = {mark}"
            )
            self._raw = self.conn.connection.driver_connection
        now = utcnow()
        if self.conn.dialect.name == "sqlite":
            now = now.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's own SQLite DateTime format
        cursor = self._raw.cursor()
        try:
            cursor.execute(self._sent_sql, (now, attempts, delivery_id, self.worker_id))
            updated = cursor.rowcount
        finally:
            cursor.close()
        if updated != 1:
            log.warning(
                "a sent row had been claimed by another sender (lease ran out)", extra={"delivery_id": delivery_id}
            )

    def _pending_emergencies(self, current_id):
        return (
            self.conn.execute(
                select(B.id).where(B.kind == EMERGENCY, B.status == SENDING, B.id != current_id).order_by(B.id)
            )
            .scalars()
            .all()
        )

    def _serve_emergencies(self, bulletin_id, result):
        """Called by a routine send between batches: emergencies go first."""
        while True:
            pending = self._pending_emergencies(bulletin_id)
            self.conn.commit()
            if not pending:
                return
            waited = False
            for emergency_id in pending:
                if self.acquire(emergency_id):
                    log.info(
                        "routine bulletin yields to an emergency",
                        extra={"bulletin_id": bulletin_id, "emergency_id": emergency_id},
                    )
                    try:
                        outcome = self.send_bulletin(emergency_id)
                    finally:
                        self.release(emergency_id)
                    result.emergencies.append(emergency_id)
                    if outcome.status in ("waiting", "stopped"):
                        return  # retries due later: do not hold the routine send up meanwhile
                else:
                    waited = True
            if waited:
                # Another worker is sending the emergency: leave the connection to it.
                self.renew(bulletin_id)
                time.sleep(0.2)

    def send_bulletin(self, bulletin_id):
        """Send every claimable row of one bulletin (the caller holds the bulletin lease)."""
        bulletin = db.session.get(Bulletin, bulletin_id)
        result = SendResult(bulletin_id)
        factory = MessageFactory(bulletin)
        db.session.commit()  # release the session's read transaction before the row-by-row writes
        routine = bulletin.kind != EMERGENCY
        while True:
            if routine:
                self._serve_emergencies(bulletin_id, result)
            self.renew(bulletin_id)
            ids = self.claim(bulletin_id)
            if not ids:
                break
            if not self._send_batch(bulletin_id, factory, ids, result):
                return result
        return self._finish(bulletin_id, result)

    def _send_batch(self, bulletin_id, factory, ids, result):
        """Check and send one claimed batch. False if the mail server cannot be reached (the rest of the
        batch is released and `result` says when to try again). Every accepted message is recorded as
        'sent' before this returns."""
        rows, hashes, suppressed = self._recipients(bulletin_id, ids)
        to_send = []
        for delivery_id, attempts, member_id, name, address, status, prefs_token in rows:
            if (
                member_id is None
                or status != CONFIRMED
                or hashes.get(address) in suppressed
                or not usable_address(address)
            ):
                self._mark(delivery_id, state=SKIPPED, last_error="not a confirmed member, or suppressed, when sent")
                result.skipped += 1
            else:
                to_send.append((delivery_id, attempts, member_id, name, address, prefs_token))

        def build(position):
            delivery_id, _, _, name, address, prefs_token = to_send[position]
            return factory.build(delivery_id, name, address, factory.preferences_url(prefs_token))

        prepared = {}

        def prepare(position):
            """Build a message ahead, while the server answers the one before it."""
            if position < len(to_send):
                try:
                    prepared[position] = build(position)
                except Exception:  # noqa: BLE001 - built again in its turn, where the error is raised as usual
                    pass

        try:
            for position, (delivery_id, attempts, member_id, _, address, _) in enumerate(to_send):
                data = prepared.pop(position, None) or build(position)
                self._pace()
                try:
                    if self.overlapped:
                        # The previous message is recorded while this one's MAIL FROM is answered, the next
                        # one built while its RCPT TO is; both before this one's DATA.
                        meanwhile = (self._record_sent, partial(prepare, position + 1))
                        self.transport.send(factory.envelope_from, address, data, meanwhile=meanwhile)
                    else:
                        self.transport.send(factory.envelope_from, address, data)
                except (smtplib.SMTPException, OSError) as exc:
                    self._record_sent()  # if the failure came before its turn
                    kind, code, text = classify(exc)
                    self._failed(delivery_id, member_id, attempts, kind, code, text, result)
                    if isinstance(exc, (smtplib.SMTPServerDisconnected, OSError)) and not isinstance(  # noqa: SIM102
                        exc, smtplib.SMTPResponseException
                    ):
                        if not self._reconnect():
                            self._release_claims(bulletin_id, [row[0] for row in to_send[position + 1 :]])
                            result.status = "stopped"
                            result.retry_at = utcnow() + timedelta(seconds=retry_delay(1))
                            return False
                    continue
                self._unrecorded = (delivery_id, attempts + 1)
                if not self.overlapped:
                    self._record_sent()
                result.sent += 1
                self.sent_total += 1
        finally:
            self._record_sent()
        return True

    def _record_sent(self):
        """Commit the message the server last accepted as 'sent' (if it is not yet). Until this returns no
        other message may be accepted: the one message that a crash could send twice."""
        if self._unrecorded is None:
            return
        delivery_id, attempts = self._unrecorded
        self._unrecorded = None
        try:
            self._mark_sent(delivery_id, attempts)
        except Exception as exc:
            raise RecordingFailed(
                f"delivery {delivery_id} was accepted by the mail server but could not be recorded as sent"
            ) from exc

    def _failed(self, delivery_id, member_id, attempts, kind, code, text, result):
        attempts += 1
        message = (f"{code} {text}" if code else text)[:300]
        if kind == "temporary" and attempts < self.max_attempts:
            self._mark(
                delivery_id,
                state=FAILED_TEMPORARY,
                attempts=attempts,
                last_error=message,
                next_attempt_at=utcnow() + timedelta(seconds=retry_delay(attempts)),
            )
            result.retried += 1
            return
        if kind == "temporary":
            message = f"gave up after {attempts} temporary failures: {message}"[:300]
        self._mark(delivery_id, state=FAILED_PERMANENT, attempts=attempts, last_error=message, next_attempt_at=None)
        result.failed += 1
        if kind == "bounce":
            member = db.session.get(Member, member_id)
            if member is not None:
                mark_bounced(member, f"bulletin {result.bulletin_id}: {message}"[:120])

    def _reconnect(self):
        try:
            self.transport.close()
            if hasattr(self.transport, "open"):
                self.transport.open()
            return True
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("bulletin sender cannot reach the mail server", extra={"error": str(exc)})
            return False

    def _release_claims(self, bulletin_id, ids):
        if ids:
            self._commit(
                update(BulletinDelivery.__table__)
                .where(D.id.in_(ids), D.claimed_by == self.worker_id, D.state == D_SENDING)
                .values(state=QUEUED, claimed_by=None, lease_until=None)
            )

    def _finish(self, bulletin_id, result):
        counts = dict(
            self.conn.execute(select(D.state, func.count()).where(D.bulletin_id == bulletin_id).group_by(D.state)).all()
        )
        open_rows = sum(n for state, n in counts.items() if state not in FINAL_STATES)
        if open_rows == 0:
            self._commit(
                update(Bulletin.__table__)
                .where(B.id == bulletin_id, B.status == SENDING)
                .values(status=SENT, sent_at=utcnow())
            )
            result.status = "done"
            log.info("bulletin sent", extra={"bulletin_id": bulletin_id, "states": counts})
            return result
        next_retry = self.conn.execute(
            select(func.min(D.next_attempt_at)).where(D.bulletin_id == bulletin_id, D.state == FAILED_TEMPORARY)
        ).scalar()
        leased = self.conn.execute(
            select(func.min(D.lease_until)).where(D.bulletin_id == bulletin_id, D.state == D_SENDING)
        ).scalar()
        self.conn.commit()
        candidates = [t for t in (next_retry, leased) if t is not None]
        result.status = "waiting"
        result.retry_at = min(candidates) if candidates else utcnow()
        return result


def run_sender(bulletin_id, worker_id=None, transport=None):
    """Send what is left of one bulletin. Safe to run in several processes at once."""
    with Sender(worker_id, transport) as sender:
        if not sender.acquire(bulletin_id):
            return SendResult(bulletin_id, status="busy")
        try:
            return sender.send_bulletin(bulletin_id)
        finally:
            sender.release(bulletin_id)
