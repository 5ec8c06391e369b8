"""Bulletin rules that need no server: Markdown sanitising and plain text, SMTP error classes, back-off,
message ids and tokens, the file outbox, and two senders working on one bulletin at once."""

import smtplib
import threading
from collections import Counter

from app.bulletins import content, services
from app.bulletins.message import (
    PREFERENCES_PLACEHOLDER,
    UNSUBSCRIBE_PLACEHOLDER,
    _b64,
    _EncodedPart,
    delivery_id_from_token,
    unsubscribe_token,
)
from app.bulletins.models import D_SENT, BulletinDelivery
from app.bulletins.sender import Sender, classify, retry_delay
from app.extensions import db

from .bulletins_helpers import bulletin_config, sink  # noqa: F401
from .factories.bulletins import make_bulletin
from .factories.ctn import make_member, make_members


def test_markdown_keeps_formatting_and_drops_anything_that_runs():
    html = content.markdown_to_html(
        '# Big\n\nSome **bold**, [a link](https://example.org "t"), [bad](javascript:alert(1)), '
        "[data](data:text/html;base64,PHNjcmlwdD4=)\n\n<script>alert(1)</script><iframe src=x></iframe>"
        '<p onclick=alert(1) style="color:red">para</p>\n\n- one\n- two'
    )
    assert '<h3 class="govuk-heading-s">Big</h3>' in html
    assert "<strong>bold</strong>" in html and 'href="https://example.org"' in html
    for bad in ("javascript:", "data:", "<script", "alert(1)</", "<iframe", "onclick", "style="):
        assert bad not in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html


def test_plain_text_is_made_from_the_sanitised_html():
    text = content.markdown_to_text(
        "Read **this** and [the guide](https://example.org/g).\n\n- one\n- two\n\n1. first\n2. second"
    )
    assert text == "Read this and the guide (https://example.org/g).\n\n- one\n- two\n\n1. first\n2. second"


def test_only_web_addresses_are_accepted_as_item_links():
    assert content.safe_link(" https://example.org/a?b=c ") == "https://example.org/a?b=c"
    assert content.safe_link("javascript:alert(1)") == "" and content.safe_link("example.org") == ""


def test_smtp_errors_are_classified():
    assert classify(smtplib.SMTPRecipientsRefused({"a@x": (451, b"4.3.0 later")}))[0] == "temporary"
    assert classify(smtplib.SMTPRecipientsRefused({"a@x": (550, b"5.1.1 no user")}))[0] == "bounce"
    assert classify(smtplib.SMTPDataError(550, b"5.7.1 content rejected"))[0] == "permanent"
    assert classify(smtplib.SMTPDataError(550, b"5.1.1 no such user"))[0] == "bounce"
    assert classify(smtplib.SMTPDataError(421, b"closing"))[0] == "temporary"
    assert classify(smtplib.SMTPSenderRefused(553, b"sender", "x@y"))[0] == "temporary"  # our fault, not the member's
    assert classify(smtplib.SMTPServerDisconnected("gone"))[0] == "temporary"
    assert classify(ConnectionRefusedError())[0] == "temporary"


def test_back_off_doubles_up_to_the_maximum(app, bulletin_config):
    bulletin_config(BULLETIN_RETRY_BASE_SECONDS=60, BULLETIN_RETRY_MAX_SECONDS=300)
    assert [retry_delay(n) for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 300, 300]


def test_unsubscribe_tokens_are_signed_per_delivery(app):
    token = unsubscribe_token(42)
    assert delivery_id_from_token(token) == 42
    number, _, signature = token.partition(".")
    assert delivery_id_from_token(f"43.{signature}") is None
    assert delivery_id_from_token("42.") is None and delivery_id_from_token("abc") is None


def test_a_part_encoded_ahead_of_its_links_is_the_whole_part_encoded():
    """The bulletin's body is base64-encoded once up to the per-recipient links; every message must still carry
    exactly the encoding of its own whole text, wherever the links fall and whatever characters surround them."""
    links = ("https://portal.example/bulletins/unsubscribe/42.abc", "https://portal.example/ctn/preferences/tök")
    for head in (0, 1, 56, 57, 58, 113, 114, 1000):
        for filler in ("a", "é", "€"):
            text = (
                filler * head
                + f"Preferences: {PREFERENCES_PLACEHOLDER}\nUnsubscribe: {UNSUBSCRIBE_PLACEHOLDER}\n"
                + filler * (head % 7)
            )
            expected = _b64(text.replace(UNSUBSCRIBE_PLACEHOLDER, links[0]).replace(PREFERENCES_PLACEHOLDER, links[1]))
            assert _EncodedPart(text).encode(*links) == expected, (head, filler)
    assert _EncodedPart("no links at all " * 9).encode(*links) == _b64("no links at all " * 9)


def test_without_smtp_the_messages_go_to_the_file_outbox(app, bulletin_config, tmp_path):
    bulletin_config(MAIL_BACKEND="file", MAIL_FILE_PATH=str(tmp_path))
    make_member("Outbox Reader", "reader@example.org")
    services.start_sending(make_bulletin())
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1 and b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in files[0].read_bytes()


def test_two_senders_on_one_bulletin_never_send_a_row_twice(app, sink, bulletin_config):
    """Several workers are safe together: rows are claimed with one statement (SKIP LOCKED on PostgreSQL,
    SQLite's write lock), so two senders working on the same bulletin at once share the rows out."""
    bulletin_config(BULLETIN_BATCH_SIZE=3, BULLETIN_RATE_PER_SECOND=200)  # slow enough for both to take part
    members = make_members(60)
    bulletin = make_bulletin()
    services.start_sending(bulletin, enqueue=False)
    bulletin_id = bulletin.id
    results, errors = [], []

    def work():
        try:
            with app.app_context(), Sender() as sender:  # no bulletin lease: straight to the row claims
                results.append(sender.send_bulletin(bulletin_id))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Counter(sink.recipients()) == Counter({m.email: 1 for m in members})
    assert sum(r.sent for r in results) == 60 and all(r.sent > 0 for r in results)
    db.session.expire_all()
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(BulletinDelivery).where(BulletinDelivery.state == D_SENT)
        )
        == 60
    )
