"""The public iCalendar feed of CTN meetings (RFC 5545), built with the `icalendar` library.

Times are given in Europe/London with a VTIMEZONE, so a 7pm meeting stays at 7pm in BST and GMT;
each meeting keeps one UID and raises SEQUENCE when it changes, so clients update it in place.
"""

from datetime import UTC
from urllib.parse import urlencode, urlsplit

from icalendar import Calendar, Event

from ..timeutil import LONDON, utcnow
from .models import CANCELLED


def _utc(value):
    return value.replace(tzinfo=UTC)


def _agenda_line(item):
    who = ", ".join(part for part in (item.speaker, item.organisation_display) if part)
    return f"- {item.title}" + (f" ({who})" if who else "")


def event_uid(meeting, base_url):
    host = urlsplit(base_url).hostname or "localhost"
    return f"ctn-meeting-{meeting.uid}@{host}"


def _summary(meeting):
    return f"CTN {meeting.kind_label.lower()}: {meeting.title}"


def _short_description(meeting, page_url):
    # Kept short: it travels in a URL, and the meeting page has the rest.
    parts = [f"Theme: {meeting.theme}" if meeting.theme else "", meeting.online_details or "", f"Details: {page_url}"]
    return "\n\n".join(part for part in parts if part)


def google_calendar_url(meeting, page_url):
    """Google Calendar's "create event" template link, with the meeting's details in the query string."""
    fmt = "%Y%m%dT%H%M%SZ"
    query = {
        "action": "TEMPLATE",
        "text": _summary(meeting),
        "dates": f"{meeting.starts_at:{fmt}}/{meeting.ends_at:{fmt}}",  # stored in UTC
        "details": _short_description(meeting, page_url),
        "location": meeting.venue_display or "",
        "ctz": "Europe/London",
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(meeting, page_url, host="outlook.live.com"):
    """Outlook on the web's compose-event deep link (outlook.live.com for personal accounts,
    outlook.office.com for work and school ones), with the meeting's details in the query string."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": _summary(meeting),
        "startdt": _utc(meeting.starts_at).isoformat(),
        "enddt": _utc(meeting.ends_at).isoformat(),
        "body": _short_description(meeting, page_url),
        "location": meeting.venue_display or "",
    }
    return f"https://{host}/calendar/0/deeplink/compose?" + urlencode(query)


def build_calendar(meetings, base_url, meeting_url, name="Communities Together Network meetings", description=""):
    """An iCalendar document (bytes) for `meetings`; `meeting_url(meeting)` gives each event's page."""
    calendar = Calendar()
    calendar.add("prodid", "-//London Borough of Barnet//Community Partnership Portal CTN//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    if description:
        calendar.add("x-wr-caldesc", description)
    stamp = _utc(utcnow())
    for meeting in meetings:
        event = Event()
        event.add("uid", event_uid(meeting, base_url))
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(meeting.starts_at).astimezone(LONDON))
        event.add("dtend", _utc(meeting.ends_at).astimezone(LONDON))
        event.add("summary", _summary(meeting))
        if meeting.venue_display:
            event.add("location", meeting.venue_display)
        description = [f"Theme: {meeting.theme}" if meeting.theme else "", meeting.description]
        if meeting.agenda_items:
            description.append("Agenda:\n" + "\n".join(_agenda_line(item) for item in meeting.agenda_items))
        description.append(f"Details and booking: {meeting_url(meeting)}")
        event.add("description", "\n\n".join(part for part in description if part))
        event.add("url", meeting_url(meeting))
        event.add("categories", [meeting.kind_label])
        event.add("status", "CANCELLED" if meeting.status == CANCELLED else "CONFIRMED")
        event.add("sequence", meeting.sequence or 0)
        event.add("last-modified", _utc(meeting.updated_at or meeting.created_at))
        event.add("created", _utc(meeting.created_at))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
