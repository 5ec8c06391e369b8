"""Issue 15 items 5 and 6: per-meeting calendar files and "add to" links, what the feed covers, and meeting
counts that agree between the officers' dashboard and the public meetings page."""

import re
from datetime import datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

from icalendar import Calendar

from app.ctn import services
from app.ctn.demo import load_demo
from app.ctn.models import Meeting
from app.extensions import db
from app.timeutil import utcnow


def _meeting(**kw):
    start = utcnow().replace(microsecond=0) + timedelta(days=10)
    values = dict(
        title="Summer open meeting",
        theme="Emergency planning",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue_name="Unitas Youth Zone",
        venue_postcode="NW4 4BG",
    )
    values.update(kw)
    meeting = Meeting(**values)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def _links(page):
    return {
        unescape(text): unescape(href)
        for href, text in re.findall(r'<a class="govuk-link" href="([^"]+)"[^>]*>([^<]+)', page)
    }


def test_meeting_page_has_google_and_outlook_links_with_the_events_details(client):
    # 6 June 2030 18:30 BST is 17:30 UTC.
    meeting = _meeting(starts_at=datetime(2030, 6, 6, 17, 30), ends_at=datetime(2030, 6, 6, 19, 30))
    page = client.get(f"/ctn/meetings/{meeting.id}").get_data(as_text=True)
    links = _links(page)
    google = urlsplit(links["Add to Google Calendar"])
    assert google.netloc == "calendar.google.com"
    q = {k: v[0] for k, v in parse_qs(google.query).items()}
    assert q["action"] == "TEMPLATE" and q["text"] == "CTN open forum: Summer open meeting"
    assert q["dates"] == "20300606T173000Z/20300606T193000Z"
    assert q["location"] == "Unitas Youth Zone, NW4 4BG"
    assert f"http://portal.test/ctn/meetings/{meeting.id}" in q["details"]
    for text, host in (
        ("Add to Outlook.com", "outlook.live.com"),
        ("Add to Outlook for work or school (Microsoft 365)", "outlook.office.com"),
    ):
        outlook = urlsplit(links[text])
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
        page = client.get(f"/ctn/meetings/{meeting.id}").get_data(as_text=True)
        assert "calendar.google.com" not in page and "outlook.live.com" not in page


def test_the_empty_demo_feed_says_what_it_covers_and_why_it_is_empty(app, client, organisation):
    load_demo()
    feed = Calendar.from_ical(client.get("/ctn/meetings.ics").data)
    assert feed.walk("VEVENT") == []
    caldesc = str(feed["X-WR-CALDESC"])
    assert "No published meeting starts in that time yet" in caldesc and "28 November 2019" in caldesc
    page = client.get("/ctn/meetings").get_data(as_text=True)
    coverage = re.sub(r"\s+", " ", re.search(r'id="feed-coverage">(.*?)</p>', page, re.S).group(1))
    since = (utcnow() - timedelta(days=366)).strftime("%Y")
    assert since in coverage and "It is empty at the moment" in coverage
    assert "the latest meeting on record was on 28 November 2019" in coverage


def test_feed_with_meetings_counts_them(client):
    _meeting()
    page = client.get("/ctn/meetings").get_data(as_text=True)
    assert "It has 1 meeting at the moment" in page
    assert "No published meeting" not in str(Calendar.from_ical(client.get("/ctn/meetings.ics").data)["X-WR-CALDESC"])


def test_2019_meetings_held_agree_between_the_dashboard_and_the_public_page(app, client, organisation, signed_in_as):
    # 002_6240a75a79bed02c.txt:164: three open meetings held in 2019; "the fourth will take place on
    # 28 November", with no later record that it did.
    load_demo()
    page = client.get("/ctn/meetings").get_data(as_text=True)
    past_section = page.split('<h2 class="govuk-heading-l">Past meetings</h2>', 1)[1].split('id="not-held"', 1)[0]
    past_2019_open = re.findall(r">CTN open meeting: [^<]+</a>", past_section)
    assert len(past_2019_open) == 3
    not_held = page.split('id="not-held"', 1)[1]
    assert "28 November 2019" in not_held and "Not recorded as held" in not_held
    assert "28 November 2019" not in past_section
    assert services.meetings_held(datetime(2019, 1, 1).date(), datetime(2019, 12, 31).date()) == len(past_2019_open)
    signed_in_as("strategy_officer")
    dashboard = client.get("/ctn/manage?year=2019").get_data(as_text=True)
    assert "3 of 4" in dashboard
    warning = dashboard.split('id="not-recorded"', 1)[1].split("</div>", 2)[0]
    assert "1 meeting in 2019 has passed without being recorded as held" in re.sub(r"\s+", " ", warning)
    assert "28 November 2019" in warning
    fourth = db.session.scalar(db.select(Meeting).where(Meeting.uid.like("%2019-11-28")))
    detail = client.get(f"/ctn/meetings/{fourth.id}").get_data(as_text=True)
    assert "we have no record that it took place" in detail
