"""Bulletin pages: composing (forms with clear errors), preview as HTML and plain text, test send, audience,
schedule, send; the public archive; one-click unsubscribe (RFC 8058); figures and status; roles; XSS;
GDPR export and erasure of delivery records; demo data."""

import re
from datetime import date

import pytest

from app.bulletins import services
from app.bulletins.models import SCHEDULED, SENT, Bulletin, BulletinDelivery
from app.ctn import services as ctn
from app.ctn.models import UNSUBSCRIBED
from app.extensions import db
from app.timeutil import to_london

from .bulletins_helpers import bulletin_config, sink  # noqa: F401
from .conftest import post_form
from .factories.bulletins import make_bulletin
from .factories.ctn import make_member, make_members

XSS_MARKDOWN = (
    "Hello <script>alert('x')</script> [click me](javascript:alert(1)) "
    '<img src=x onerror=alert(2)> <a href="javascript:alert(3)" onclick="alert(4)">raw</a> **ok**'
)


def page_text(response):
    return response.get_data(as_text=True)


def test_an_officer_composes_a_bulletin_with_sections_and_sees_clear_errors(client, signed_in_as):
    signed_in_as("strategy_officer")
    response = post_form(client, "/bulletins/manage/new", {"kind": "routine", "title": ""})
    assert response.status_code == 200 and "Enter a title" in page_text(response)
    assert "<title>Error:" in page_text(response)
    response = post_form(
        client,
        "/bulletins/manage/new",
        {"kind": "routine", "title": "CTN Bulletin, 14 November 2019", "introduction": "Welcome."},
    )
    assert response.status_code == 302
    bulletin = db.session.scalar(db.select(Bulletin))
    url = f"/bulletins/manage/{bulletin.id}/items/new"
    response = post_form(client, url, {"section": "", "title": "", "body": "", "link_url": "javascript:alert(1)"})
    text = page_text(response)
    for message in (
        "Select the section for this item",
        "Enter a heading",
        "Enter the text of the item",
        "Enter a web address starting with https://",
    ):
        assert message in text
    for section, title in (
        ("events", "Open meeting"),
        ("consultations", "Have your say"),
        ("funding", "Lottery"),
        ("news", "Together we are Barnet"),
        ("other", "Free office furniture"),
    ):
        assert (
            post_form(
                client,
                url,
                {"section": section, "title": title, "body": f"About {title}.", "link_url": "https://example.org"},
            ).status_code
            == 302
        )
    page = page_text(client.get(f"/bulletins/manage/{bulletin.id}"))
    for label in (
        "Local events",
        "Consultations",
        "Funding opportunities",
        "News and campaigns",
        "Other opportunities",
    ):
        assert label in page


def test_preview_shows_html_and_plain_text_and_the_test_goes_to_the_officer(client, signed_in_as, sink):
    officer = signed_in_as("strategy_officer")
    bulletin = make_bulletin(
        items=[("funding", "Lottery fund", "Apply to **the fund** at [the site](https://example.org/f).")]
    )
    make_member("Member One", "one@example.org")
    text = page_text(client.get(f"/bulletins/manage/{bulletin.id}/preview"))
    assert "<strong>the fund</strong>" in text  # the HTML version
    assert "the fund at the site (https://example.org/f)" in text  # the plain-text version
    assert "FUNDING OPPORTUNITIES" in text and "(each member&#39;s own unsubscribe link)" in text

    response = post_form(
        client, f"/bulletins/manage/{bulletin.id}/test", {}, form_url=f"/bulletins/manage/{bulletin.id}"
    )
    assert response.status_code == 302
    assert sink.recipients() == [officer.email]  # only the officer, never the members
    message = sink.messages[0][1]
    assert message["Subject"] == "[Test] CTN Bulletin, 14 November 2019"
    assert message.get_content_type() == "multipart/alternative"
    assert db.session.scalar(db.select(db.func.count()).select_from(BulletinDelivery)) == 0
    assert db.session.get(Bulletin, bulletin.id).status == "draft"


def test_audience_and_send_from_the_pages(client, signed_in_as, sink, wards):
    signed_in_as("strategy_officer")
    make_member("Faith One", "faith@example.org", sector="faith")
    make_member("VCFS One", "vcfs@example.org", sector="vcfs")
    bulletin = make_bulletin()
    assert post_form(client, f"/bulletins/manage/{bulletin.id}/audience", {"sectors": ["faith"]}).status_code == 302
    page = page_text(client.get(f"/bulletins/manage/{bulletin.id}/send"))
    assert "It will be sent to 1 member" in page
    response = post_form(client, f"/bulletins/manage/{bulletin.id}/send", {})
    assert response.status_code == 302
    assert sink.recipients() == ["faith@example.org"]
    page = page_text(client.get(f"/bulletins/manage/{bulletin.id}"))
    assert '<progress id="delivery-progress"' in page and 'value="100"' in page
    assert 'aria-live="polite"' in page
    assert "Sent: 1 delivered, 0 failed" in page
    status = client.get(f"/bulletins/manage/{bulletin.id}/status.json").get_json()
    assert status["status"] == "sent" and status["sent"] == 1 and status["percent"] == 100
    # A sent bulletin can no longer be changed or sent again.
    assert client.get(f"/bulletins/manage/{bulletin.id}/send").status_code == 302
    assert len(sink.recipients()) == 1


def test_sending_an_empty_bulletin_is_refused_with_a_message(client, signed_in_as):
    signed_in_as("strategy_officer")
    bulletin = make_bulletin(items=[], introduction="")
    bulletin.items = []
    db.session.commit()
    response = post_form(client, f"/bulletins/manage/{bulletin.id}/send", {})
    assert response.status_code == 400 and "Add at least one item" in page_text(response)


def test_progress_page_while_sending_has_a_refresh_link_and_an_external_script(client, signed_in_as):
    signed_in_as("strategy_officer")
    make_members(4)
    bulletin = make_bulletin()
    services.start_sending(bulletin, enqueue=False)  # rows queued, nobody sending yet
    page = page_text(client.get(f"/bulletins/manage/{bulletin.id}"))
    assert 'value="0"' in page and "Sending: 0 of 4 done (0%)" in page
    assert "Refresh the figures" in page
    assert re.search(r'<script type="module" src="/static/bulletins/progress.js" nonce="[^"]+"></script>', page)
    assert f'data-bulletin-status="/bulletins/manage/{bulletin.id}/status.json"' in page
    status = client.get(f"/bulletins/manage/{bulletin.id}/status.json").get_json()
    assert (status["status"], status["waiting"], status["total"], status["percent"]) == ("sending", 4, 4, 0)


def test_a_scheduled_bulletin_page_watches_for_the_send_and_a_sent_one_says_what_happened(client, signed_in_as):
    from datetime import datetime, timedelta

    signed_in_as("strategy_officer")
    make_members(2)
    bulletin = make_bulletin()
    services.schedule(bulletin, datetime.utcnow().replace(microsecond=0) + timedelta(days=1))
    response = client.get(f"/bulletins/manage/{bulletin.id}")
    page = page_text(response)
    assert f'data-bulletin-live="/bulletins/manage/{bulletin.id}/status.json" data-bulletin-state="scheduled"' in page
    assert "This page updates itself when sending starts" in page
    nonce = re.search(r"script-src [^;]*'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'src="/static/bulletins/progress.js" nonce="{nonce}"' in page
    # Finished: no polling, and the status line says what happened.
    bulletin.status, bulletin.sent_at = SENT, datetime.utcnow()
    for delivery in db.session.scalars(db.select(BulletinDelivery).where(BulletinDelivery.bulletin_id == bulletin.id)):
        delivery.state = "sent"
    db.session.commit()
    page = page_text(client.get(f"/bulletins/manage/{bulletin.id}"))
    assert "progress.js" not in page and "data-bulletin-live" not in page
    assert re.search(r"Sent\s*</strong>\s*on \d+ \w+ \d{4} at \d\d:\d\d: \d+ delivered, 0 failed, 0 not sent\.", page)
    assert "Delivery: finished" in page and "Sending now" not in page


def test_scheduling_uses_london_time_and_refuses_the_past(client, signed_in_as):
    signed_in_as("strategy_officer")
    bulletin = make_bulletin()
    url = f"/bulletins/manage/{bulletin.id}/schedule"
    next_year = date.today().year + 1
    response = post_form(client, url, {"day": ["1", "1", "2019"], "clock": "09:30"})
    assert "The date and time must be in the future" in page_text(response)
    response = post_form(client, url, {"day": ["14", "7", str(next_year)], "clock": "25:00"})
    assert "Enter time as a 24-hour time" in page_text(response)
    response = post_form(client, url, {"day": ["14", "7", str(next_year)], "clock": "09:30"})
    assert response.status_code == 302
    db.session.expire_all()
    bulletin = db.session.get(Bulletin, bulletin.id)
    assert bulletin.status == SCHEDULED
    assert bulletin.scheduled_at.hour == 8 and bulletin.scheduled_at.minute == 30  # 09:30 BST is 08:30 UTC
    assert to_london(bulletin.scheduled_at).hour == 9
    response = post_form(
        client, f"/bulletins/manage/{bulletin.id}/cancel-schedule", {}, form_url=f"/bulletins/manage/{bulletin.id}"
    )
    assert db.session.get(Bulletin, bulletin.id).status == "draft"


def test_the_public_archive_lists_sent_bulletins_only_and_never_recipients(client, sink):
    member = make_member("Secret Person", "secret.person@example.org")
    sent = make_bulletin(title="Sent bulletin")
    draft = make_bulletin(title="Draft bulletin")
    services.start_sending(sent)
    archive = page_text(client.get("/bulletins/"))
    assert "Sent bulletin" in archive and "Draft bulletin" not in archive
    page = page_text(client.get(f"/bulletins/{sent.id}"))
    assert "Open meeting" in page and "<strong>28 November</strong>" in page
    assert member.email not in page and member.name not in page and "unsubscribe/" not in page
    assert client.get(f"/bulletins/{draft.id}").status_code == 404


def test_markdown_with_script_or_javascript_links_is_sanitised_in_the_archive_and_the_emails(client, sink):
    make_member("Member", "m@example.org")
    bulletin = make_bulletin(introduction=XSS_MARKDOWN, items=[("news", "<b>Title</b>", XSS_MARKDOWN)])
    services.start_sending(bulletin)
    message = sink.messages[0][1]
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    page = page_text(client.get(f"/bulletins/{bulletin.id}"))
    for body in (html, page):
        lowered = body.lower()
        assert "<script>alert" not in lowered and "javascript:" not in lowered
        assert "onerror" not in lowered and "onclick" not in lowered
        assert "<strong>ok</strong>" in body and "&lt;b&gt;Title&lt;/b&gt;" in body
    assert "javascript:" not in text and "<script>" not in text and "click me" in text


def test_one_click_unsubscribe_post_without_body_or_csrf_answers_200_without_redirect(app, client, sink):
    make_member("Una Subscribe", "una@example.org")
    other = make_member("Stays", "stays@example.org")
    bulletin = make_bulletin()
    services.start_sending(bulletin)
    message = sink.by_recipient("una@example.org")[0]
    url = message["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://portal.test/")
    path = url.replace("http://portal.test", "")
    assert app.config["WTF_CSRF_ENABLED"] is not False  # CSRF is on; the view is exempt

    response = client.post(path)  # no body, no token, as a mail provider would send it
    assert response.status_code == 200 and "Location" not in response.headers
    assert "You have unsubscribed" in page_text(response)
    db.session.expire_all()
    assert ctn.member_by_email("una@example.org").status == UNSUBSCRIBED and ctn.is_suppressed("una@example.org")
    assert ctn.member_by_email("stays@example.org").status == "confirmed"
    # RFC 8058's own body works too, and a second click is harmless.
    again = client.post(path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200
    figures = services.figures(bulletin.id)
    assert figures.unsubscribed == 1 and figures.sent == 2
    assert other.id


def test_get_on_the_unsubscribe_link_only_shows_a_button(client, sink):
    make_member("Careful Reader", "careful@example.org")
    bulletin = make_bulletin()
    services.start_sending(bulletin)
    text = sink.messages[0][1].get_body(preferencelist=("plain",)).get_content()
    path = re.search(r"http://portal\.test(/bulletins/unsubscribe/\S+)", text).group(1)
    response = client.get(path)
    assert response.status_code == 200 and '<form method="post"' in page_text(response)
    assert ">Unsubscribe</button>" in page_text(response)
    db.session.expire_all()
    assert ctn.member_by_email("careful@example.org").status == "confirmed"


def test_a_forged_or_changed_unsubscribe_token_does_nothing(client, sink):
    make_member("Victim", "victim@example.org")
    bulletin = make_bulletin()
    services.start_sending(bulletin)
    delivery = db.session.scalar(db.select(BulletinDelivery))
    from app.bulletins.message import unsubscribe_token

    token = unsubscribe_token(delivery.id)
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    assert client.post(f"/bulletins/unsubscribe/{forged}").status_code == 400
    assert client.post("/bulletins/unsubscribe/not-a-real-token").status_code == 400
    db.session.expire_all()
    assert ctn.member_by_email("victim@example.org").status == "confirmed"


@pytest.mark.parametrize(
    "role, expected", [("strategy_officer", 200), ("admin", 200), ("group_editor", 403), ("performance_officer", 403)]
)
def test_only_strategy_officers_and_admins_manage_bulletins(client, signed_in_as, role, expected):
    signed_in_as(role)
    bulletin = make_bulletin()
    assert client.get("/bulletins/manage").status_code == expected
    assert client.get(f"/bulletins/manage/{bulletin.id}").status_code == expected
    assert client.get(f"/bulletins/manage/{bulletin.id}/preview").status_code == expected
    assert client.get("/bulletins/").status_code == 200


def test_the_public_cannot_manage_or_see_status(client):
    bulletin = make_bulletin()
    assert client.get("/bulletins/manage").status_code == 302
    assert client.get(f"/bulletins/manage/{bulletin.id}/status.json").status_code == 302
    assert client.post(f"/bulletins/manage/{bulletin.id}/test").status_code in (302, 400)
    assert client.get("/bulletins/").status_code == 200


def test_gdpr_export_includes_deliveries_and_erasure_keeps_the_figures(client, sink):
    member = make_member("Erase Me", "erase.me@example.org")
    make_member("Stay", "stay@example.org")
    bulletin = make_bulletin(title="Bulletin for GDPR")
    services.start_sending(bulletin)
    data = ctn.export_person("erase.me@example.org")
    assert data["bulletin_deliveries"][0]["bulletin"] == "Bulletin for GDPR"
    assert data["bulletin_deliveries"][0]["state"] == "Sent"
    before = services.figures(bulletin.id)

    report = ctn.erase_person("erase.me@example.org")
    assert report["bulletin_deliveries"] == 1
    db.session.expire_all()
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(BulletinDelivery).where(BulletinDelivery.member_id == member.id)
        )
        == 0
    )
    after = services.figures(bulletin.id)
    assert (after.sent, after.failed, after.total) == (before.sent, before.failed, before.total) == (2, 0, 2)
    assert ctn.export_person("erase.me@example.org")["bulletin_deliveries"] == []


def test_demo_bulletin_loads_once_and_shows_in_the_archive(client, organisation):
    from app.bulletins.demo import TITLE, load_demo

    make_member("Demo Member", "demo@example.org")
    assert "1 sent bulletin" in load_demo()
    assert "already loaded" in load_demo()
    bulletin = db.session.scalar(db.select(Bulletin).where(Bulletin.title == TITLE))
    assert bulletin.status == SENT and len(bulletin.items) == 6
    assert all(item.source.startswith("002_6240a75a79bed02c.txt:") for item in bulletin.items)
    page = page_text(client.get(f"/bulletins/{bulletin.id}"))
    for words in ("Together we are Barnet", "Free office furniture", "litter picking equipment", "OneStoneGrove"):
        assert words in page
    assert services.figures(bulletin.id).sent == 1


def test_a_link_to_a_portal_page_opens_from_the_email_and_stays_a_path_on_the_web(client, sink):
    """An officer links to one of the portal's pages by its path, as the demo bulletin does: in the e-mail (no
    page to be relative to) it must be a whole address, in both parts; on the archive page it stays a path."""
    make_member("Member", "m@example.org")
    body = "Book on the [CTN meetings page](/ctn/meetings) or [write to us](mailto:ctn@example.org)."
    bulletin = make_bulletin(items=[("news", "Meeting", body)])
    services.start_sending(bulletin)
    message = sink.messages[0][1]
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert 'href="http://portal.test/ctn/meetings"' in html and 'href="/ctn/meetings"' not in html
    assert "(http://portal.test/ctn/meetings)" in text
    assert 'href="mailto:ctn@example.org"' in html
    page = client.get(f"/bulletins/{bulletin.id}").get_data(as_text=True)
    assert 'href="/ctn/meetings"' in page
