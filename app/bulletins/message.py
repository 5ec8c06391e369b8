"""Each recipient's e-mail: multipart/alternative (plain text + HTML), RFC 8058 one-click unsubscribe.

The bulletin is rendered once (templates/email/bulletin.txt and .html) with placeholders for the two
per-recipient links; `MessageFactory.build` then only substitutes the links and encodes the parts, so a
send to thousands of members does not render a template per message. Both parts are base64 (no line-
length limits to worry about, and fast); the result is a standard MIME message (tests parse it with
`email.policy.default`).

Headers on every bulletin message:
- `Message-ID: <bulletin-B.delivery-D@domain>`: derived from the bulletin and delivery ids, so a copy sent
  twice (see sender.py for the only way that can happen) carries the same id and can be recognised;
- `List-Unsubscribe: <https://.../bulletins/unsubscribe/TOKEN>` and
  `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), at PUBLIC_BASE_URL as configured, like
  every link in the body. RFC 8058 wants an https address, and a production portal is served over https;
  forcing the scheme would give a dead link wherever it is not (a developer's `make run` on plain http). The
  token is signed and names one delivery record: it is the only authority the unsubscribe view needs;
- `List-Id`, `Precedence: bulk`.
"""

import base64
import hashlib
import hmac
import re
import time
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for

from ..forms import whole_number
from .content import html_to_text, markdown_to_html, safe_link

UNSUBSCRIBE_PLACEHOLDER = "@@UNSUBSCRIBE_URL@@"
PREFERENCES_PLACEHOLDER = "@@PREFERENCES_URL@@"
TOKEN_PLACEHOLDER = "TOKEN-PLACEHOLDER"


def _token_key():
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(secret, b"bulletin-one-click-unsubscribe", hashlib.sha256).digest()


def _signature(key, delivery_id):
    digest = hmac.new(key, str(delivery_id).encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode("ascii")


def unsubscribe_token(delivery_id, key=None):
    """'<delivery id>.<HMAC-SHA256 of it under a key derived from SECRET_KEY>' (144 bits, URL-safe).

    The token never expires (RFC 8058 links must keep working) and names one delivery record only."""
    return f"{delivery_id}.{_signature(key or _token_key(), delivery_id)}"


def delivery_id_from_token(token):
    """The delivery id a token was signed for, or None for anything else."""
    if not token or len(token) > 80 or "." not in token:
        return None
    number, _, signature = token.partition(".")
    delivery_id = whole_number(number)
    if delivery_id is None or number != str(delivery_id):
        return None
    expected = _signature(_token_key(), delivery_id)
    return delivery_id if hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")) else None


def _one_line(text):
    return " ".join((text or "").split())


def _render(template, **context):
    context.setdefault("council_name", current_app.config["COUNCIL_NAME"])
    context.setdefault("service_name", current_app.config["SERVICE_NAME"])
    if has_request_context():
        return render_template(template, **context)
    with current_app.test_request_context("/", base_url=current_app.config["PUBLIC_BASE_URL"]):
        return render_template(template, **context)


def bulletin_context(bulletin, for_email=True):
    """What the e-mail templates and the web pages show: sanitised HTML and text for each part."""
    # An e-mail has no page for a link to be relative to: links to the portal's own pages are made absolute.
    base_url = current_app.config["PUBLIC_BASE_URL"] if for_email else None
    sections = []
    for key, label, items in bulletin.items_by_section():
        rendered = []
        for item in items:
            body_html = markdown_to_html(item.body, for_email=for_email, base_url=base_url)
            rendered.append(
                {
                    "title": _one_line(item.title),
                    "html": body_html,
                    "text": html_to_text(body_html),
                    "link": safe_link(item.link_url),
                }
            )
        sections.append({"key": key, "label": label, "entries": rendered})
    intro_html = markdown_to_html(bulletin.introduction, for_email=for_email, base_url=base_url)
    return {
        "bulletin": bulletin,
        "subject": _one_line(bulletin.subject),
        "introduction_html": intro_html,
        "introduction_text": html_to_text(intro_html),
        "sections": sections,
    }


class MessageFactory:
    """Builds one bulletin's messages; create it once per send (inside an app context)."""

    def __init__(self, bulletin, subject_prefix=""):
        config = current_app.config
        base = config["PUBLIC_BASE_URL"].rstrip("/")
        context = bulletin_context(bulletin)
        context.update(
            unsubscribe_url=UNSUBSCRIBE_PLACEHOLDER,
            preferences_url=PREFERENCES_PLACEHOLDER,
            archive_url=base + self._path("bulletins.bulletin", bulletin_id=bulletin.id),
        )
        self.text = _render("email/bulletin.txt", **context)
        self.html = _render("email/bulletin.html", **context)
        self.text_part = _EncodedPart(self.text)
        self.html_part = _EncodedPart(self.html)
        self.bulletin_id = bulletin.id
        self.sender_header = config["MAIL_DEFAULT_SENDER"]
        self.envelope_from = parseaddr(self.sender_header)[1]
        self.domain = self.envelope_from.rpartition("@")[2] or urlsplit(base).hostname or "localhost"
        subject = _one_line(subject_prefix + context["subject"])
        charset = "us-ascii" if subject.isascii() else "utf-8"
        self.subject_header = Header(subject, charset, header_name="Subject").encode()
        self.unsubscribe_base = base + self._path("bulletins.unsubscribe", token=TOKEN_PLACEHOLDER)
        # The same address as ctn.services.preferences_url(member), built once instead of per message.
        self.preferences_base = base + self._path("ctn.preferences", prefs_token=TOKEN_PLACEHOLDER)
        self.list_id = f"CTN Bulletin <ctn-bulletin.{self.domain}>"
        self.token_key = _token_key()
        self._date_second, self._date_text = None, ""

    @staticmethod
    def _path(endpoint, **values):
        if has_request_context():
            return url_for(endpoint, **values)
        with current_app.test_request_context("/"):
            return url_for(endpoint, **values)

    def message_id(self, delivery_id):
        return f"<bulletin-{self.bulletin_id}.delivery-{delivery_id}@{self.domain}>"

    def preferences_url(self, prefs_token):
        return self.preferences_base.replace(TOKEN_PLACEHOLDER, prefs_token)

    def unsubscribe_url(self, delivery_id):
        return self.unsubscribe_base.replace(TOKEN_PLACEHOLDER, unsubscribe_token(delivery_id, self.token_key))

    def build(self, delivery_id, name, address, preferences_url, message_id=None):
        """The message as bytes with CRLF line ends, ready for smtplib.sendmail. Put together as bytes from
        the parts encoded once (the bulletin's bodies up to their links): a bulletin message is ~8 KiB and
        this runs once a recipient."""
        token = unsubscribe_token(delivery_id, self.token_key) if delivery_id is not None else "test-message"
        unsubscribe = self.unsubscribe_base.replace(TOKEN_PLACEHOLDER, token)
        boundary = f"==bulletin-{self.bulletin_id}-{delivery_id}=="
        headers = "\r\n".join(
            [
                f"From: {self.sender_header}",
                f"To: {formataddr((_one_line(name), address), charset='utf-8')}",
                f"Subject: {self.subject_header}",
                f"Date: {self._date()}",
                f"Message-ID: {message_id or self.message_id(delivery_id)}",
                "MIME-Version: 1.0",
                f"List-Id: {self.list_id}",
                f"List-Unsubscribe: <{unsubscribe}>",
                "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                "Precedence: bulk",
                f'Content-Type: multipart/alternative; boundary="{boundary}"',
            ]
        )
        separator = f"--{boundary}".encode("ascii")
        return b"\r\n".join(
            [
                headers.encode("ascii"),
                b"",
                separator,
                b'Content-Type: text/plain; charset="utf-8"',
                b"Content-Transfer-Encoding: base64",
                b"",
                self.text_part.encode(unsubscribe, preferences_url),
                separator,
                b'Content-Type: text/html; charset="utf-8"',
                b"Content-Transfer-Encoding: base64",
                b"",
                self.html_part.encode(unsubscribe, preferences_url),
                separator + b"--",
                b"",
            ]
        )

    def _date(self):
        """The Date header, formatted once a second rather than once a message."""
        second = int(time.time())
        if second != self._date_second:
            self._date_second, self._date_text = second, formatdate(second, usegmt=True)
        return self._date_text


class _EncodedPart:
    """One part of the rendered bulletin, base64-encoded as far as its first per-recipient link.

    Base64 turns each 57 bytes into one 76-character line on their own, so the part's bytes up to the last
    multiple of 57 before the first placeholder are encoded once; a message encodes only the rest (the
    footer with the two links). The result is exactly `_b64` of the whole part with the links put in."""

    def __init__(self, rendered):
        data = rendered.encode("utf-8")
        placeholders = [data.find(p.encode("ascii")) for p in (UNSUBSCRIBE_PLACEHOLDER, PREFERENCES_PLACEHOLDER)]
        first = min([at for at in placeholders if at >= 0], default=len(data))
        cut = first - first % 57
        self.head = _b64_bytes(data[:cut])
        self.tail = data[cut:]

    def encode(self, unsubscribe_url, preferences_url):
        tail = self.tail.replace(UNSUBSCRIBE_PLACEHOLDER.encode("ascii"), unsubscribe_url.encode("utf-8")).replace(
            PREFERENCES_PLACEHOLDER.encode("ascii"), preferences_url.encode("utf-8")
        )
        if not self.head:
            return _b64_bytes(tail)
        return self.head + b"\r\n" + _b64_bytes(tail) if tail else self.head


def _b64(text):
    return _b64_bytes(text.encode("utf-8"))


def _b64_bytes(data):
    """Base64 (bytes) in lines of 76 characters joined by CRLF (MIME's limit): one encode of the whole part,
    then cut, which is several times quicker than base64.encodebytes's 57-byte chunks."""
    encoded = base64.b64encode(data)
    return b"\r\n".join([encoded[start : start + 76] for start in range(0, len(encoded), 76)])


_SAFE_ADDRESS = re.compile(r"^[^\s<>\"(),;:\\\[\]]+@[^\s<>\"(),;:\\\[\]]+$")


def usable_address(address):
    return bool(address) and _SAFE_ADDRESS.match(address) is not None
