"""Test scaffolding for the bulletin sender, kept out of production code.

- `MemoryTransport`: MAIL_BACKEND=locmem (the testing settings) keeps bulletin messages in Flask-Mailman's
  outbox list, as the ordinary mail does; tests/conftest.py registers it with the sender.
- `after_each_sent(monkeypatch, hook)`: calls `hook(bulletin_id, delivery_id, sent_count)` right after the
  sender commits each 'sent' row (to start an emergency in the middle of a routine send, for example).
- Run as a program, `python -m tests.sender_faults BULLETIN_ID KILL_AFTER` is `flask bulletins send
  BULLETIN_ID` in a process that SIGKILLs itself right after committing its KILL_AFTER-th 'sent' row (the
  settings come from the environment, as for the real command).
"""

import email
import email.policy
import os
import signal
import sys

from app.bulletins import sender as sender_module
from app.bulletins.models import BulletinDelivery
from app.extensions import db


class MemoryTransport:
    """MAIL_BACKEND=locmem (tests without an SMTP server): kept in the Flask-Mailman outbox list."""

    def __init__(self, app):
        self.state = app.extensions["mailman"]

    def send(self, envelope_from, recipient, data):
        if getattr(self.state, "outbox", None) is None:
            self.state.outbox = []
        self.state.outbox.append(email.message_from_bytes(data, policy=email.policy.default))

    def close(self):
        pass


def register_memory_transport():
    sender_module.TRANSPORTS["locmem"] = MemoryTransport


def _wrap_mark_sent(after):
    """A replacement for Sender._mark_sent that commits as usual, then calls after(sender, delivery_id)."""
    original = sender_module.Sender._mark_sent

    def mark_sent(self, delivery_id, attempts):
        original(self, delivery_id, attempts)
        after(self, delivery_id)

    return mark_sent


def after_each_sent(monkeypatch, hook):
    count = 0

    def after(sender, delivery_id):
        nonlocal count
        count += 1
        hook(db.session.get(BulletinDelivery, delivery_id).bulletin_id, delivery_id, count)

    monkeypatch.setattr(sender_module.Sender, "_mark_sent", _wrap_mark_sent(after))


def main(bulletin_id, kill_after):
    from app import create_app

    count = 0

    def after(sender, delivery_id):
        nonlocal count
        count += 1
        if count >= kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    sender_module.Sender._mark_sent = _wrap_mark_sent(after)
    with create_app().app_context():
        sender_module.run_sender(bulletin_id)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
