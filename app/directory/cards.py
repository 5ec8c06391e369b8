"""What a resident sees about one organisation on a result card and on its listing page: whether it is open
now, links that call or e-mail it, its places on a map and directions to them. No request needed."""

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from ..timeutil import to_london, utcnow
from .models import WEEKDAY_NAMES

_NOT_DIALLED = re.compile(r"[^\d+]")


def tel_href(phone):
    """A tel: link for a UK number as people write it ("020 8359 2000", "(020) 8359-2000 ext 4"), or None.

    International form (+44…) so the link works from any phone; an extension or words after the number are
    left out of the link (they stay in the text shown)."""
    if not phone:
        return None
    number = re.split(r"(?i)\b(?:ext|extension|x)\b|[,;/]", phone)[0]
    digits = _NOT_DIALLED.sub("", number.replace("(0)", ""))
    if digits.startswith("+"):
        digits = "+" + digits[1:].replace("+", "")
    elif digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+44" + digits[1:]
    if len(digits.lstrip("+")) < 5:
        return None
    return "tel:" + digits


def directions_url(lat, lon):
    """OpenStreetMap's directions to a point; the resident fills in where they start from."""
    return f"https://www.openstreetmap.org/directions?route=%3B{lat:.5f}%2C{lon:.5f}#map=16/{lat:.5f}/{lon:.5f}"


def maps_search_url(address):
    """For an address without a map point: an OpenStreetMap search for it."""
    return "https://www.openstreetmap.org/search?query=" + quote(address)


@dataclass
class Opening:
    open: bool
    text: str  # "Open now, until 17:00" / "Closed now, opens Tuesday at 09:00"


def _closure_on(closures, service_id, day):
    """The closure of that service covering that day, or None."""
    return next((c for c in closures if c.service_id == service_id and c.starts_on <= day <= c.ends_on), None)


def opening(schedules, now=None, closures=()):
    """Open now or closed, with the next change, from weekly opening hours (London time) less the services'
    holiday closures; None without hours."""
    schedules = [s for s in schedules if s.opens_at < s.closes_at]
    if not schedules:
        return None
    now = to_london(now or utcnow())
    today, clock = now.weekday(), now.time()

    def open_on(s, day):
        return not closures or _closure_on(closures, getattr(s, "service_id", None), day) is None

    for s in sorted(schedules, key=lambda s: s.opens_at):
        if s.weekday == today and s.opens_at <= clock < s.closes_at and open_on(s, now.date()):
            return Opening(True, f"Open now, until {s.closes_at:%H:%M}")
    # Why it is shut today, when a holiday closure covers a service that has hours today.
    shut = [
        c
        for s in schedules
        if s.weekday == today
        for c in [_closure_on(closures, getattr(s, "service_id", None), now.date())]
        if c is not None
    ]
    reason = ""
    if shut:
        last = max(c.ends_on for c in shut)
        reason = f" ({shut[0].note + ', ' if shut[0].note else ''}closed until {last.day} {last:%B})"
    # The next opening: later today, then the following days (past any closure, up to a year ahead).
    for ahead in range(366 if closures else 8):
        day = now.date() + timedelta(days=ahead)
        for s in sorted((s for s in schedules if s.weekday == day.weekday()), key=lambda s: s.opens_at):
            if ahead == 0 and s.opens_at <= clock:
                continue
            if not open_on(s, day):
                continue
            if ahead == 0:
                when = "today"
            elif ahead == 1:
                when = "tomorrow"
            elif ahead < 7:
                when = WEEKDAY_NAMES[day.weekday()]
            else:
                when = f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {day:%B}"
            return Opening(False, f"Closed now{reason}, opens {when} at {s.opens_at:%H:%M}")
    return Opening(False, f"Closed now{reason}")


def organisation_schedules(organisation):
    return [s for service in organisation.services for s in service.schedules]


def organisation_closures(organisation):
    return [c for service in organisation.services for c in service.closures]


def opening_for(organisation, now=None):
    return opening(organisation_schedules(organisation), now, organisation_closures(organisation))


def closures_ahead(organisation, now=None):
    """[(service name, Closure)] of the closures that have not ended yet (London date), soonest first."""
    today = to_london(now or utcnow()).date()
    return sorted(
        ((service.name, c) for service in organisation.services for c in service.closures if c.ends_on >= today),
        key=lambda pair: (pair[1].starts_on, pair[0]),
    )


def closure_text(closure):
    """'Closed 24 December 2026 to 2 January 2027: Christmas' or 'Closed 1 May 2026'."""

    def day(d):
        return f"{d.day} {d:%B %Y}"

    span = (
        day(closure.starts_on)
        if closure.ends_on == closure.starts_on
        else f"{day(closure.starts_on)} to {day(closure.ends_on)}"
    )
    return f"Closed {span}" + (f": {closure.note}" if closure.note else "")


def weekly_hours(organisation):
    """[(day name, ["09:00 to 12:00", …])] for Monday to Sunday, every day listed (closed days say so)."""
    by_day = {day: [] for day in range(7)}
    for s in sorted(organisation_schedules(organisation), key=lambda s: (s.weekday, s.opens_at)):
        text = f"{s.opens_at:%H:%M} to {s.closes_at:%H:%M}"
        if text not in by_day[s.weekday]:
            by_day[s.weekday].append(text)
    return [(WEEKDAY_NAMES[day], times) for day, times in by_day.items()]


def service_hours(service):
    """'Monday 09:00 to 12:00 and 13:00 to 17:00; Wednesday 10:00 to 14:00' for one service."""
    by_day = {}
    for s in sorted(service.schedules, key=lambda s: (s.weekday, s.opens_at)):
        by_day.setdefault(s.weekday, []).append(f"{s.opens_at:%H:%M} to {s.closes_at:%H:%M}")
    return "; ".join(f"{WEEKDAY_NAMES[day]} {' and '.join(times)}" for day, times in by_day.items())


def categories(organisation):
    names = []
    for service in organisation.services:
        for term in service.terms:
            if term.taxonomy.code == "category" and term.name not in names:
                names.append(term.name)
    return names


def map_points(organisations):
    """[lat, lon, name, slug] of the public, placed addresses of these organisations, for a map of them."""
    return [
        [round(location.lat, 5), round(location.lon, 5), organisation.name, organisation.slug]
        for organisation in organisations
        for location in organisation.public_locations
        if location.lat is not None and location.lon is not None
    ]


@dataclass
class Card:
    """One search result as the results page shows it."""

    organisation: object
    miles: float | None
    opening: Opening | None
    categories: list
    tel: str | None
    # Filled from the search when it knows the service areas, e.g. "Serves all of Barnet" (issue 14 item 1).
    serves: str | None = None


def card(item, now=None):
    """A Card from one search result: an object with organisation, miles and serves (the search's Result),
    or an (organisation, miles) pair."""
    if hasattr(item, "organisation"):
        organisation, miles, serves = item.organisation, item.miles, getattr(item, "serves", None)
    else:
        organisation, miles = tuple(item)[:2]
        serves = None
    return Card(
        organisation,
        miles,
        opening_for(organisation, now),
        categories(organisation),
        tel_href(organisation.phone),
        serves,
    )


def last_checked(organisation, now=None):
    """When the listing was last confirmed, and whether that is over 6 months ago (the reminders' rule)."""
    if organisation.last_verified_at is None:
        return None, True
    now = now or utcnow()
    stamp = organisation.last_verified_at
    if stamp.tzinfo is None and now.tzinfo is not None:
        now = now.replace(tzinfo=None)
    return stamp, now - stamp > timedelta(days=183)
