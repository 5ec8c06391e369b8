"""CTN meetings: officers plan them, the public books (capacity and waiting list), attendance, minutes and
actions, the iCalendar feed, the 2019 demo data and the figures for the annual report and KPIs."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from app.ctn import services
from app.ctn.demo import load_demo
from app.ctn.models import (
    HELD,
    REGISTERED,
    SECTORS,
    WAITING,
    Meeting,
    MeetingAction,
    Member,
    Registration,
    SteeringSeat,
    ThemePlanEntry,
)
from app.extensions import db
from app.places.models import Postcode
from app.timeutil import utcnow
from seed.demo_data import CTN_FACTS

from .conftest import csrf_token, post_form
from .factories.ctn import make_meeting as future_meeting  # other test modules import it from here too
from .html import error_messages, heading, links, page_text, parse, text


def post_section(client, url, prefix, data):
    """Post one of the prefixed forms of the meeting management page (its CSRF field is prefixed too)."""
    token = csrf_token(client, "/ctn/join")
    return client.post(url, data={**{f"{prefix}-{k}": v for k, v in data.items()}, f"{prefix}-csrf_token": token})


LONDON = ZoneInfo("Europe/London")


def meeting_form(**overrides):
    data = {
        "kind": "open_forum",
        "title": "Spring open meeting",
        "theme": "Responding to needs",
        "description": "Guest speakers, then networking.",
        "day": ["18", "6", "2031"],
        "start_time": "18:30",
        "end_time": "20:00",
        "venue_name": "Hendon Town Hall",
        "venue_address": "The Burroughs, London",
        "venue_postcode": "nw44bg",
        "online_details": "",
        "capacity": "2",
        "registration_open": "y",
        "published": "y",
        "status": "scheduled",
    }
    data.update(overrides)
    return data


def test_officer_plans_a_meeting_in_london_time_with_the_venue_ward(client, signed_in_as, wards):
    db.session.add(Postcode(postcode="NW4 4BG", lat=51.58, lon=-0.22, ward_code="E05013643"))
    db.session.commit()
    signed_in_as("strategy_officer")
    response = post_form(client, "/ctn/manage/meetings/new", meeting_form())
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(Meeting))
    # 18:30 in June is British Summer Time: 17:30 UTC.
    assert meeting.starts_at == datetime(2031, 6, 18, 17, 30) and meeting.ends_at == datetime(2031, 6, 18, 19, 0)
    assert meeting.venue_postcode == "NW4 4BG" and meeting.ward_code == "E05013643"
    assert meeting.asset_id is None
    shown = page_text(parse(client.get(f"/ctn/meetings/{meeting.id}")))
    assert "Wednesday 18 June 2031, 6:30pm to 8pm" in shown and "Hendon ward" in shown


def test_meeting_form_errors_are_clear(client, signed_in_as):
    signed_in_as("strategy_officer")
    page = post_form(
        client,
        "/ctn/manage/meetings/new",
        meeting_form(title="", start_time="7pm", end_time="", venue_postcode="XX1", day=["31", "2", "2031"]),
    )
    messages = " | ".join(error_messages(parse(page)))
    for message in (
        "Enter a title",
        "Enter start time as a 24-hour time",
        "Enter the end time",
        "Enter a real postcode",
    ):
        assert message in messages
    assert "Date must be a real date" in messages  # the shared date field says which date (issue 13)
    page = parse(post_form(client, "/ctn/manage/meetings/new", meeting_form(start_time="20:00", end_time="19:00")))
    assert error_messages(page) == ["End time must be after the start time"]
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_booking_fills_places_then_a_waiting_list_and_a_cancellation_moves_it_up(client, outbox):
    meeting = future_meeting(capacity=2)
    url = f"/ctn/meetings/{meeting.id}"
    for name in ("One", "Two", "Three"):
        page = post_form(client, url, {"name": name, "email": f"{name.lower()}@example.org"})
        assert page.status_code == 200
    # The page never says which (issue 12 finding 4: it would tell anyone about someone else's booking).
    assert "Check your email" in heading(parse(page)) and "waiting list" in outbox[2].subject
    # The same person booking again (another case) gets no second place.
    post_form(client, url, {"name": "One", "email": "ONE@example.org"})
    statuses = {r.name: r.status for r in db.session.scalars(db.select(Registration))}
    assert statuses == {"One": REGISTERED, "Two": REGISTERED, "Three": WAITING}
    assert "waiting list" in outbox[2].subject and outbox[3].subject.startswith("Your booking:")
    assert "This meeting is full" in page_text(parse(client.get(url)))

    cancel = re.search(r"http://portal\.test(/ctn/bookings/\S+)", outbox[0].body).group(1)
    assert "Cancel my booking" in [text(button) for button in parse(client.get(cancel)).select("button")]
    post_form(client, cancel, {})
    statuses = {r.name: r.status for r in db.session.scalars(db.select(Registration))}
    assert statuses == {"One": "cancelled", "Two": REGISTERED, "Three": REGISTERED}
    assert outbox[-1].to == ["three@example.org"] and "A place has become free" in outbox[-1].subject


def test_booking_form_errors_and_closed_meetings(client):
    meeting = future_meeting()
    page = parse(post_form(client, f"/ctn/meetings/{meeting.id}", {"name": "", "email": "nope"}))
    assert error_messages(page) == [
        "Enter your full name",
        "Enter an email address in the correct format, like name@example.com",
    ]
    meeting.registration_open = False
    db.session.commit()
    assert "Book a place" not in page_text(parse(client.get(f"/ctn/meetings/{meeting.id}")))
    post_form(
        client, f"/ctn/meetings/{meeting.id}", {"name": "Late", "email": "late@example.org"}, form_url="/ctn/join"
    )
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_unpublished_meetings_are_not_public(client):
    meeting = future_meeting(published=False, kind="emergency")
    assert client.get(f"/ctn/meetings/{meeting.id}").status_code == 404
    assert client.get(f"/ctn/meetings/{meeting.id}.ics").status_code == 404
    assert b"Summer open meeting" not in client.get("/ctn/meetings.ics").data


def test_raising_capacity_gives_places_to_the_waiting_list(client, signed_in_as, outbox):
    meeting = future_meeting(capacity=1)
    services.register_for_meeting(meeting.id, "A", "a@example.org")
    services.register_for_meeting(meeting.id, "B", "b@example.org")
    signed_in_as("strategy_officer")
    local = meeting.starts_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(LONDON)
    data = meeting_form(
        capacity="5",
        venue_postcode="",
        day=[str(local.day), str(local.month), str(local.year)],
        start_time=f"{local:%H:%M}",
        end_time=f"{local + timedelta(hours=2):%H:%M}",
    )
    post_form(client, f"/ctn/manage/meetings/{meeting.id}/edit", data)
    assert {r.status for r in db.session.get(Meeting, meeting.id).registrations} == {REGISTERED}
    assert "A place has become free" in outbox[-1].subject


def test_attendance_minutes_and_actions_on_the_day(client, signed_in_as):
    start = utcnow() - timedelta(hours=1)
    meeting = future_meeting(starts_at=start, ends_at=start + timedelta(hours=2))
    a, _ = services.register_for_meeting(meeting.id, "Came", "came@example.org")
    services.register_for_meeting(meeting.id, "Absent", "absent@example.org")
    signed_in_as("strategy_officer")
    base = f"/ctn/manage/meetings/{meeting.id}"
    page = parse(client.get(base))
    assert page.select('input[name="attendance-attended"]') and "Came" in page_text(page)
    post_section(client, base + "/attendance", "attendance", {"attended": [str(a.id)], "extra_attendees": "4"})
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.attendance == 5 and meeting.status == HELD
    assert services.meetings_held(start.date() - timedelta(days=1), start.date() + timedelta(days=1)) == 1

    post_section(
        client, base + "/minutes", "minutes", {"minutes": "Food banks asked for volunteers.", "minutes_published": "y"}
    )
    assert "Food banks asked for volunteers." in page_text(parse(client.get(f"/ctn/meetings/{meeting.id}")))

    post_section(
        client,
        base + "/actions",
        "action",
        {"description": "Share the volunteering list", "owner": "Barnet Together", "due_on": ["1", "2", "2020"]},
    )
    action = db.session.scalar(db.select(MeetingAction))
    assert action.owner == "Barnet Together" and action.due_on == date(2020, 2, 1)
    assert "Overdue" in [text(tag) for tag in parse(client.get(base)).select(".govuk-tag")]
    bad = post_section(client, base + "/actions", "action", {"description": "", "owner": ""})
    assert bad.status_code == 400 and "Enter who owns the action" in " ".join(error_messages(parse(bad)))


def test_attendance_cannot_be_recorded_for_a_meeting_weeks_away(client, signed_in_as):
    meeting = future_meeting()
    signed_in_as("strategy_officer")
    base = f"/ctn/manage/meetings/{meeting.id}"
    response = post_section(client, base + "/attendance", "attendance", {"extra_attendees": "3"})
    assert response.status_code == 400 and "on the day of the meeting" in " ".join(error_messages(parse(response)))


def test_agenda_items_with_speakers_and_directory_organisations(client, signed_in_as, organisation):
    meeting = future_meeting()
    signed_in_as("strategy_officer")
    base = f"/ctn/manage/meetings/{meeting.id}"
    post_section(
        client,
        base + "/agenda",
        "agenda",
        # The organisation chooser sends the name as typed and, when a suggestion was picked, its listing's id.
        {
            "title": "Faith and food security",
            "speaker": "A. Speaker",
            "organisation_name": organisation.name,
            "organisation_id": str(organisation.id),
        },
    )
    page = parse(client.get(f"/ctn/meetings/{meeting.id}"))
    assert "Faith and food security" in page_text(page) and "A. Speaker" in page_text(page)
    assert (organisation.name, f"/directory/{organisation.slug}") in links(page)


# --- iCalendar -------------------------------------------------------------------------------------


def test_icalendar_feed_parses_with_the_right_uid_times_summary_and_location(client):
    # 7 March 2030 10:00 GMT and 6 June 2030 18:30 BST (17:30 UTC).
    winter = future_meeting(
        title="Spring meeting",
        starts_at=datetime(2030, 3, 7, 10),
        ends_at=datetime(2030, 3, 7, 12),
        venue_name="Independent Living Centre",
        venue_postcode="NW4 4BG",
    )
    summer = future_meeting(
        title="Summer meeting", starts_at=datetime(2030, 6, 6, 17, 30), ends_at=datetime(2030, 6, 6, 19, 30)
    )
    response = client.get("/ctn/meetings.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    raw = response.data
    # RFC 5545 3.1: CRLF line ends, lines folded at 75 octets.
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"CTN open forum: Spring meeting", "CTN open forum: Summer meeting"}
    for event in events.values():
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            assert required in event
    spring = events["CTN open forum: Spring meeting"]
    assert str(spring["UID"]) == f"ctn-meeting-{winter.uid}@portal.test"
    start = spring.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/London" and (start.hour, start.minute) == (10, 0)
    assert spring["DTSTART"].params["TZID"] == "Europe/London"
    assert str(spring["LOCATION"]) == "Independent Living Centre, NW4 4BG"
    summer_start = events["CTN open forum: Summer meeting"].decoded("DTSTART")
    assert (summer_start.hour, summer_start.minute) == (18, 30)
    assert str(events["CTN open forum: Summer meeting"]["URL"]) == f"http://portal.test/ctn/meetings/{summer.id}"


def test_a_changed_meeting_keeps_its_uid_and_raises_its_sequence(client, signed_in_as):
    signed_in_as("strategy_officer")
    post_form(client, "/ctn/manage/meetings/new", meeting_form(venue_postcode=""))
    meeting = db.session.scalar(db.select(Meeting))
    first = Calendar.from_ical(client.get(f"/ctn/meetings/{meeting.id}.ics").data).walk("VEVENT")[0]
    post_form(client, f"/ctn/manage/meetings/{meeting.id}/edit", meeting_form(venue_postcode="", status="cancelled"))
    second = Calendar.from_ical(client.get(f"/ctn/meetings/{meeting.id}.ics").data).walk("VEVENT")[0]
    assert str(first["UID"]) == str(second["UID"])
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"]) and str(second["STATUS"]) == "CANCELLED"


# --- Demo data and figures -------------------------------------------------------------------------


def test_demo_data_loads_the_2019_meetings_and_can_run_twice(app, organisation):
    summary = load_demo()
    assert "5 meetings" in summary
    again = load_demo()
    assert "0 meetings" in again and "0 fictitious members" in again
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 5
    assert db.session.scalar(db.select(db.func.count(ThemePlanEntry.id))) == 4
    seats = db.session.scalars(db.select(SteeringSeat).order_by(SteeringSeat.position)).all()
    assert seats[0].role == "chair" and len(seats) == 7
    assert next(s for s in seats if s.title == "Barnet Multi Faith Forum").organisation_id == organisation.id
    assert all(m.email.endswith("@example.org") for m in db.session.scalars(db.select(Member)))


def test_annual_report_figures_for_2019_come_from_the_data(app, client, signed_in_as):
    load_demo()
    figures = services.annual_report_figures(2019)
    # 002_6240a75a79bed02c.txt:164-169: three open meetings held, 30 + 23 + 40 attendees.
    assert figures["open_meetings_held"] == CTN_FACTS["open_meetings_held_2019_at_report"]["value"] == 3
    assert figures["open_meeting_attendance"] == CTN_FACTS["open_meeting_attendees_2019_total"]["value"] == 93
    assert figures["open_meetings_target"] == 4
    assert [a for _, a in figures["attendance"]] == [30, 23, 40]
    # Members are counted from the member rows: the 12 fictitious demo members, all confirmed in 2019.
    assert figures["members_at_start"] == 0 and figures["members_at_end"] == 12 and figures["growth"] == 12
    assert sum(figures["members_by_sector"].values()) == 12 and figures["council_officer_members"] == 2
    assert services.meetings_held(date(2018, 1, 1), date(2018, 12, 31), kinds=None) == 1  # Steering Group
    signed_in_as("strategy_officer")
    page = parse(client.get("/ctn/manage?year=2019"))
    assert "3 of 4" in page_text(page) and page.select_one('svg[role="img"] title') is not None
    assert "Confirmed members at the end of each month" in page_text(page)
    csv_text = client.get("/ctn/manage/report/2019.csv").get_data(as_text=True)
    assert "open meetings held,3" in csv_text and "open meeting attendance,93" in csv_text


def test_kpi_functions_count_by_london_dates(app):
    # 31 March 2030 23:30 UTC is already 1 April in London (BST).
    late = Meeting(
        title="Late", starts_at=datetime(2030, 3, 31, 23, 30), ends_at=datetime(2030, 4, 1, 0, 30), status=HELD
    )
    other = Meeting(
        title="Steering",
        kind="steering_group",
        starts_at=datetime(2030, 3, 10, 10),
        ends_at=datetime(2030, 3, 10, 11),
        status=HELD,
    )
    planned = Meeting(title="Planned", starts_at=datetime(2030, 3, 12, 10), ends_at=datetime(2030, 3, 12, 11))
    db.session.add_all([late, other, planned])
    db.session.commit()
    assert services.meetings_held(date(2030, 1, 1), date(2030, 3, 31)) == 0
    assert services.meetings_held(date(2030, 4, 1), date(2030, 6, 30)) == 1
    assert services.meetings_held(date(2030, 1, 1), date(2030, 3, 31), kinds=None) == 1


def test_members_by_sector_as_of_a_date(app):
    def member(email, sector, joined, status="confirmed", left=None):
        m = Member(
            name=email,
            email=email,
            email_key=email,
            sector=sector,
            status=status,
            confirmed_at=joined,
            unsubscribed_at=left,
        )
        m.interest_rows = []
        db.session.add(m)

    member("a@example.org", "vcfs", datetime(2019, 1, 10))
    member("b@example.org", "faith", datetime(2019, 5, 10), status="unsubscribed", left=datetime(2019, 8, 1))
    member("c@example.org", "business", datetime(2019, 6, 1), status="pending")  # never confirmed: not counted
    db.session.commit()
    june = services.members_by_sector(date(2019, 6, 30))
    assert june["vcfs"] == 1 and june["faith"] == 1 and set(june) == set(SECTORS)
    september = services.members_by_sector(date(2019, 9, 30))
    assert september["faith"] == 0 and services.member_count(date(2019, 9, 30)) == 1
    growth = services.membership_growth(date(2019, 1, 1), date(2019, 9, 30))
    assert [p.members for p in growth] == [1, 1, 1, 1, 2, 2, 2, 1, 1]
    assert growth[7].left == 1 and growth[4].joined == 1


def test_theme_plan_is_kept_per_year_and_shown_publicly(client, signed_in_as):
    signed_in_as("strategy_officer")
    page = parse(post_form(client, "/ctn/manage/themes", {"year": "2031"}))
    assert any(message.startswith("Enter at least one theme") for message in error_messages(page))
    post_form(
        client, "/ctn/manage/themes", {"year": "2031", "spring": "Responding to needs", "winter": "Food security"}
    )
    assert [e.season for e in db.session.scalars(db.select(ThemePlanEntry).order_by(ThemePlanEntry.id))] == [
        "Spring",
        "Winter",
    ]
    public = parse(client.get("/ctn/"))
    assert "Themes for 2031" in [text(h) for h in public.select("h2, h3")] and "Food security" in page_text(public)


def test_a_meeting_venue_can_be_a_space_in_the_assets_register(client, signed_in_as):
    from app.assets.models import CommunityAsset

    signed_in_as("strategy_officer")
    hall = CommunityAsset(
        name="Hendon Town Hall",
        category="Spaces",
        kind="council_building",
        owner="council",
        address="The Burroughs, London",
        postcode="NW4 4BG",
        published=True,
    )
    db.session.add(hall)
    db.session.commit()
    venues = [text(option) for option in parse(client.get("/ctn/manage/meetings/new")).select("select option")]
    assert any(venue.startswith("Hendon Town Hall") for venue in venues)
    response = post_form(
        client,
        "/ctn/manage/meetings/new",
        meeting_form(venue_name="", venue_address="", venue_postcode="", asset_id=str(hall.id)),
    )
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(Meeting))
    assert (meeting.asset_id, meeting.venue_name, meeting.venue_postcode) == (hall.id, "Hendon Town Hall", "NW4 4BG")
    page = parse(client.get(f"/ctn/meetings/{meeting.id}"))
    assert f"/assets-register/{hall.id}" in [href for _, href in links(page)]
