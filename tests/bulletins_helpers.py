"""Shared helpers for the bulletin tests: a controllable aiosmtpd server on loopback, bulletin settings for one
test, and waiting for a condition. Members and bulletins come from tests/factories."""

import email
import email.policy
import threading
import time

import pytest
from aiosmtpd.controller import Controller

from .conftest import free_port


class Sink:
    """An SMTP server that records what it accepts. `rcpt_replies[address]` is a list of replies to give
    to that recipient's next RCPT commands, in order (e.g. ["451 4.3.0 Try later"]); then it accepts.
    `mail_replies` and `data_replies` are lists of replies to the next MAIL FROM and end of DATA commands.
    `before_accepting(envelope)`, if set, is called at the end of DATA before the message is accepted."""

    def __init__(self):
        self.messages = []  # (recipients, parsed message)
        self.rcpt_replies = {}
        self.mail_replies = []
        self.data_replies = []
        self.before_accepting = None
        self.rcpt_log = []  # (address, reply)
        self.lock = threading.Lock()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            reply = self.mail_replies.pop(0) if self.mail_replies else "250 OK"
        if reply.startswith("250"):
            envelope.mail_from = address
            envelope.mail_options.extend(mail_options)
        return reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            replies = self.rcpt_replies.get(address)
            reply = replies.pop(0) if replies else "250 OK"
            self.rcpt_log.append((address, reply))
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            reply = self.data_replies.pop(0) if self.data_replies else "250 OK"
        if not reply.startswith("250"):
            return reply
        if self.before_accepting is not None:
            self.before_accepting(envelope)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    # Helpers for assertions
    def recipients(self):
        with self.lock:
            return [rcpt for rcpts, _ in self.messages for rcpt in rcpts]

    def message_ids(self):
        with self.lock:
            return [m["Message-ID"] for _, m in self.messages]

    def by_recipient(self, address):
        with self.lock:
            return [m for rcpts, m in self.messages if address in rcpts]


@pytest.fixture
def sink(app):
    """A real SMTP server on 127.0.0.1; the bulletin sender (and test sends) deliver to it."""
    handler = Sink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config.get(k) for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    handler.port = port
    try:
        yield handler
    finally:
        app.config.update(saved)
        controller.stop()


@pytest.fixture
def bulletin_config(app):
    """Set bulletin settings for one test (restored afterwards)."""
    saved = {}

    def set_(**values):
        for key in values:
            saved.setdefault(key, app.config.get(key, KeyError))
        app.config.update(values)

    yield set_
    for key, value in saved.items():
        if value is KeyError:
            app.config.pop(key, None)
        else:
            app.config[key] = value


def wait_for(condition, timeout=20.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


__all__ = ["Sink", "sink", "bulletin_config", "wait_for"]
