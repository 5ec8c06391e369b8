"""Mail really leaves through SMTP: a local aiosmtpd server on loopback receives it."""

import contextlib
import email
import email.policy

import pytest
from aiosmtpd.controller import Controller

from .conftest import free_port, post_form


@contextlib.contextmanager
def mail_settings(app, **settings):
    """Flask-Mailman reads its settings once, at start-up: change them on its state for one test."""
    state = app.extensions["mailman"]
    saved = {name: getattr(state, name) for name in settings}
    for name, value in settings.items():
        setattr(state, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(state, name, value)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default))
        )
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    with mail_settings(app, backend="smtp", server="127.0.0.1", port=port):
        yield inbox
    controller.stop()


def test_password_reset_mail_arrives_over_smtp_as_text_and_html(client, make_user, smtp_server):
    user = make_user("group_editor", email="editor@group.example")
    post_form(client, "/password/forgot", {"email": user.email})
    assert len(smtp_server.messages) == 1
    recipients, message = smtp_server.messages[0]
    assert recipients == ["editor@group.example"]
    assert message["Subject"].startswith("Reset your")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "http://portal.test/password/reset/" in text and "http://portal.test/password/reset/" in html


def test_file_outbox_keeps_a_copy_of_each_message(app, client, make_user, tmp_path):
    user = make_user("group_editor")
    with mail_settings(app, backend="file", file_path=str(tmp_path)):
        post_form(client, "/password/forgot", {"email": user.email})
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and user.email in files[0].read_text()
