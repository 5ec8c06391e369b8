"""Issue 15 items 5 and 6: per-meeting calendar files and "add to" links, what the feed covers, and meeting
counts that agree between the officers' dashboard and the public meetings page."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from icalendar import Calendar

from app.ctn import services
from app.ctn.demo import load_demo
from app.ctn.models import Meeting
from app.extensions import db
from app.timeutil import utcnow

from .factories.ctn import make_meeting
from .html import links, page_text, parse, table_rows, text


def _meeting(**kw):
    return make_meeting(**{"venue_postcode": "NW4 4BG", **kw})


def _links(page):
    """{visible words: address} of the page's links (the words before any visually hidden ones)."""
    return {a.find(string=True).strip(): a.get("href") for a in page.select("a.govuk-link") if a.find(string=True)}


def test_meeting_page_has_google_and_outlook_links_with_the_events_details(client):
    # 6 June 2030 18:30 BST is 17:30 UTC.
    meeting = _meeting(starts_at=datetime(2030, 6, 6, 17, 30), ends_at=datetime(2030, 6, 6, 19, 30))
    found = _links(parse(client.get(f"/ctn/meetings/{meeting.id}")))
    google = urlsplit(found["Add to Google Calendar"])
    assert google.netloc == "calendar.google.com"
    q = {k: v[0] for k, v in parse_qs(google.query).items()}
    assert q["action"] == "TEMPLATE" and q["text"] == "CTN open forum: Summer open meeting"
    assert q["dates"] == "20300606T173000Z/20300606T193000Z"
    assert q["location"] == "Unitas Youth Zone, NW4 4BG"
    assert f"http://portal.test/ctn/meetings/{meeting.id}" in q["details"]
    for label, host in (
        ("Add to Outlook.com", "outlook.live.com"),
        ("Add to Outlook for work or school (Microsoft 365)", "outlook.office.com"),
    ):
        outlook = urlsplit(found[label])
        assert outlook.netloc == host
        q = {k: v[0] for k, v in parse_qs(outlook.query).items()}
        assert q["rru"] == "addevent" and q["subject"] == "CTN open forum: Summer open meeting"
        assert q["startdt"] == "2030-06-06T17:30:00+00:00" and q["enddt"] == "2030-06-06T19:30:00+00:00"
    # The per-meeting file holds that meeting alone.
    ics = client.get(f"/ctn/meetings/{meeting.id}.ics")
    assert ics.mimetype == "text/calendar" and "attachment" in ics.headers["Content-Disposition"]
    events = Calendar.from_ical(ics.data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["CTN open forum: Summer open meeting"]


def test_past_and_cancelled_meetings_offer_no_add_links(client):
    past = _meeting(starts_at=utcnow() - timedelta(days=30), ends_at=utcnow() - timedelta(days=30, hours=-2))
    cancelled = _meeting(status="cancelled")
    for meeting in (past, cancelled):
        hrefs = [href or "" for _, href in links(parse(client.get(f"/ctn/meetings/{meeting.id}")))]
        assert not [href for href in hrefs if "calendar.google.com" in href or "outlook.live.com" in href]


def test_the_empty_demo_feed_says_what_it_covers_and_why_it_is_empty(app, client, organisation):
    load_demo()
    feed = Calendar.from_ical(client.get("/ctn/meetings.ics").data)
    assert feed.walk("VEVENT") == []
    caldesc = str(feed["X-WR-CALDESC"])
    assert "No published meeting starts in that time yet" in caldesc and "28 November 2019" in caldesc
    coverage = text(parse(client.get("/ctn/meetings")).select_one("#feed-coverage"))
    since = (utcnow() - timedelta(days=366)).strftime("%Y")
    assert since in coverage and "It is empty at the moment" in coverage
    assert "the latest meeting on record was on 28 November 2019" in coverage


def test_feed_with_meetings_counts_them(client):
    _meeting()
    assert "It has 1 meeting at the moment" in text(parse(client.get("/ctn/meetings")).select_one("#feed-coverage"))
    assert "No published meeting" not in str(Calendar.from_ical(client.get("/ctn/meetings.ics").data)["X-WR-CALDESC"])


def test_2019_meetings_held_agree_between_the_dashboard_and_the_public_page(app, client, organisation, signed_in_as):
    # 002_6240a75a79bed02c.txt:164: three open meetings held in 2019; "the fourth will take place on
    # 28 November", with no later record that it did.
    load_demo()
    page = parse(client.get("/ctn/meetings"))
    past = table_rows(page, caption="Past CTN meetings")
    past_2019_open = [row for row in past if row[1].startswith("CTN open meeting: ")]
    assert len(past_2019_open) == 3
    not_held = table_rows(page, caption="CTN meetings that did not go ahead")
    assert [row[2] for row in not_held if row[0] == "28 November 2019"] == ["Not recorded as held"]
    assert "28 November 2019" not in [row[0] for row in past]
    assert services.meetings_held(datetime(2019, 1, 1).date(), datetime(2019, 12, 31).date()) == len(past_2019_open)
    signed_in_as("strategy_officer")
    dashboard = parse(client.get("/ctn/manage?year=2019"))
    assert "3 of 4" in page_text(dashboard)
    warning = text(dashboard.select_one("#not-recorded"))
    assert "1 meeting in 2019 has passed without being recorded as held" in warning
    assert "28 November 2019" in warning
    fourth = db.session.scalar(db.select(Meeting).where(Meeting.uid.like("%2019-11-28")))
    detail = page_text(parse(client.get(f"/ctn/meetings/{fourth.id}")))
    assert "we have no record that it took place" in detail
