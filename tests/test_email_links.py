"""Every e-mailed link opens the page it names where the portal runs (issue 15 item 4).

The portal is served by a real HTTP server on a loopback port, with PUBLIC_BASE_URL set to that address as
`make run` sets it from HOST and PORT. Each kind of e-mail the portal sends is sent, and every link in its
plain-text and HTML parts (and the List-Unsubscribe header, by the one-click POST with no body) is opened
over HTTP: each must answer 200 with the page it names, never a dead address, a 404 or the sign-in page.
"""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.request
from datetime import date, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from app.assets import services as assets
from app.auth import notifications
from app.auth import services as auth
from app.bulletins import services as bulletins
from app.bulletins.sender import run_sender
from app.covenant import services as covenant
from app.ctn import services as ctn
from app.directory import services as directory
from app.extensions import db
from app.timeutil import utcnow

from .bulletins_helpers import bulletin_config, sink  # noqa: F401
from .conftest import TEST_PASSWORD, free_port
from .factories.assets import make_nomination
from .factories.bulletins import make_bulletin
from .factories.ctn import make_member
from .test_ctn_meetings import future_meeting

LINK = re.compile(r"""https?://[^\s"'<>)]+""")
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
# Each link's page, by its path, and the heading that page must show (what the e-mail's link names).
PAGES = [
    (r"/invitation/[^/]+$", "Set up your account"),
    (r"/password/reset/[^/]+$", "Choose a new password"),
    (r"/ctn/confirm/[^/]+$", "Confirm that you want to join"),
    (r"/ctn/preferences/[^/]+$", "Your preferences"),
    (r"/ctn/bookings/[^/]+$", "Cancel your booking"),
    (r"/ctn/meetings/\d+$", "Summer open meeting"),
    (r"/ctn/meetings/\d+\.ics$", None),  # a calendar file, not a page
    (r"/bulletins/\d+$", "CTN Bulletin"),
    (r"/bulletins/unsubscribe/[^/]+$", "Unsubscribe"),
    (r"/directory/moderation/\d+$", "Barnet Multi Faith Forum"),
    (r"/directory/moderation$", "Listings waiting for approval"),
    (r"/directory/problems$", "Problems reported by residents"),
    (r"/directory/mine$", "Your listings"),
    (r"/directory/[a-z0-9-]+$", "Barnet Multi Faith Forum"),
    (r"/covenant/sign$", "Sign the faith covenant"),
    (r"/account$", "Your account"),
    (r"/account/notifications$", "When should we email you about your to-do list?"),
]


def _expected_heading(path):
    for pattern, heading in PAGES:
        if re.search(pattern, path):
            return heading
    return "(a page this test does not know)"


@pytest.fixture
def served(app):
    """The portal on a real server on loopback, with its public address set to match."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    saved = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    yield app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = saved
    server.shutdown()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that reports redirects rather than following them."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect
        )

    def open(self, url, data=None, method=None):
        request = urllib.request.Request(url, data=data, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def sign_in(self, email):
        _, _, page = self.open(self.base + "/sign-in")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": TEST_PASSWORD}).encode()
        status, headers, _ = self.open(self.base + "/sign-in", data=body)
        assert status == 302, "could not sign in"


def _links(text):
    return [unescape(url).rstrip(".,;") for url in LINK.findall(text)]


def _link_problem(browser, base, url, where):
    """What is wrong with one e-mailed link (None when it opens the page it names)."""
    if not url.startswith(base + "/"):
        return f"{where}: {url} is not the portal's address {base}"
    status, headers, body = browser.open(url)
    if status != 200:
        return f"{where}: {url} answered {status} {headers.get('Location', '')}"
    heading = _expected_heading(urlsplit(url).path)
    if heading is None:
        return None if headers["Content-Type"].startswith("text/calendar") else f"{where}: {url} is not a calendar"
    found = " ".join(re.sub(r"<[^>]+>", " ", unescape(H1.search(body).group(1))).split())
    return None if heading in found else f"{where}: {url} shows {found!r}, not {heading!r}"


def _message_problems(browser, base, name, text, html, checked):
    # Every link, except those to other sites (a bulletin item's own link, say).
    links = {
        url
        for url in set(_links(text)) | set(_links(html))
        if urlsplit(url).hostname in ("127.0.0.1", "localhost", "portal.test")
    }
    checked.extend(links)
    return [problem for url in sorted(links) if (problem := _link_problem(browser, base, url, name))]


def test_every_link_in_every_e_mail_opens_its_page(
    app,
    served,
    outbox,
    sink,
    bulletin_config,
    make_user,
    organisation,  # noqa: F811
):
    base = served
    officer = make_user("strategy_officer", email="officer@example.org")
    organisation.published = True
    organisation.last_verified_at = utcnow() - timedelta(days=400)
    db.session.commit()
    editor = make_user("group_editor", email="editor@example.org", organisations=[organisation])

    # Accounts: an invitation, a password reset.
    auth.invite_user("new@example.org", "New Person", "group_editor", [], officer)
    auth.request_password_reset(editor.email)
    # CTN: joining, joining again, a meeting booking.
    ctn.request_membership(ctn.MemberDetails(name="Jo Join", email="jo@example.org", sector="vcfs"))
    make_member("Already Member", "already@example.org")
    ctn.request_membership(ctn.MemberDetails(name="Already Member", email="already@example.org", sector="vcfs"))
    ctn.register_for_meeting(future_meeting(registration_open=True, published=True).id, "Pat", "pat@example.org")
    db.session.commit()
    # Faith covenant: received, decided, renewal reminder.
    pledge = covenant.submit_pledge(
        organisation, "interfaith", "", "Sam Sign", "Chair", "sam@example.org", date(2020, 1, 1), "We pledge."
    )
    covenant.decide_pledge(pledge, True, officer)
    covenant.send_renewal_reminders(today=pledge.renewal_due)
    # Assets of Community Value: received, decided.
    nomination = make_nomination(date.today())
    assets.validate_nomination(nomination, True, date.today(), "", officer)
    assets.decide_nomination(nomination, True, date.today(), "Meets the test", officer)
    # Directory: a decision, a verification reminder, a to-do e-mail for the officer.
    change = directory.submit_claim(organisation, {"name": "Editor", "email": editor.email}, user=editor)
    directory.reject(change, officer, "We could not confirm you work there")
    directory.queue_due_reminders()
    anonymous, signed_in = Browser(base), Browser(base)
    # A resident reports a problem through the served page (the notice goes to the group and the team).
    _, _, form = anonymous.open(f"{base}/directory/{organisation.slug}/report-a-problem")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    status, _, _ = anonymous.open(
        f"{base}/directory/{organisation.slug}/report-a-problem",
        data=urllib.parse.urlencode(
            {"csrf_token": token, "problem": "closed", "details": "It closed in June"}
        ).encode(),
    )
    assert status == 200
    db.session.expire_all()
    directory.submit_claim(organisation, {"name": "Someone", "email": "someone@example.org"})
    notifications.notify_new()
    signed_in.sign_in(officer.email)
    problems, checked = [], []
    for message in list(outbox):
        html = message.alternatives[0][0] if message.alternatives else ""
        to = message.to[0]
        browser = signed_in if to == officer.email else anonymous
        if to == editor.email and "/directory/mine" in message.body:
            browser = Browser(base)
            browser.sign_in(editor.email)
        problems += _message_problems(browser, base, f"{message.subject!r} to {to}", message.body, html, checked)

    # A bulletin, through the real SMTP sender: its links, then the one-click unsubscribe with no body.
    reader = make_member("Reader", "reader@example.org")
    bulletin = make_bulletin()
    bulletins.start_sending(bulletin, enqueue=False)
    assert run_sender(bulletin.id).sent >= 1
    message = sink.by_recipient(reader.email)[0]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    problems += _message_problems(anonymous, base, "bulletin", text, html, checked)
    assert problems == [], "\n".join(problems)
    # Each kind of e-mail in templates/email/ was sent (the bulletin comes next, through SMTP).
    assert {
        re.sub(r"ACV-\S+|\(due .*\)|Barnet Multi Faith Forum|Summer open meeting|\d+ new", "", m.subject).strip()
        for m in outbox
    } == {
        "things on your to-do list",
        "Asset of Community Value nomination  received",
        "Confirm that you want to join the Communities Together Network",
        "Decision on Asset of Community Value nomination",
        "Is the directory listing for  still right?",
        "Problem reported with the listing for",
        "Reset your Community Partnership Portal password",
        "Time to renew your faith covenant pledge",
        "We have received your faith covenant pledge",
        "You are already a member of the Communities Together Network",
        "You have been invited to the Community Partnership Portal",
        "Your directory claim for  was not approved",
        "Your faith covenant pledge has been approved",
        "Your place is booked:",
    }
    # Every kind of page an e-mail links to was opened.
    opened = {pattern for pattern, _ in PAGES if any(re.search(pattern, urlsplit(url).path) for url in checked)}
    assert opened == {pattern for pattern, _ in PAGES}, {pattern for pattern, _ in PAGES} - opened
    header = message["List-Unsubscribe"].strip("<>")
    assert header.startswith(base + "/bulletins/unsubscribe/"), header
    status, headers, body = anonymous.open(header, data=b"", method="POST")
    assert status == 200 and "Location" not in headers, status
    assert "You have unsubscribed" in body
