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


def opening(schedules, now=None):
    """Open now or closed, with the next change, from weekly opening hours (London time); None without hours."""
    schedules = [s for s in schedules if s.opens_at < s.closes_at]
    if not schedules:
        return None
    now = to_london(now or utcnow())
    today, clock = now.weekday(), now.time()
    for s in sorted(schedules, key=lambda s: s.opens_at):
        if s.weekday == today and s.opens_at <= clock < s.closes_at:
            return Opening(True, f"Open now, until {s.closes_at:%H:%M}")
    # The next opening: later today, then the following days round the week.
    for ahead in range(8):
        day = (today + ahead) % 7
        for s in sorted((s for s in schedules if s.weekday == day), key=lambda s: s.opens_at):
            if ahead == 0 and s.opens_at <= clock:
                continue
            when = "today" if ahead == 0 else "tomorrow" if ahead == 1 else WEEKDAY_NAMES[day]
            return Opening(False, f"Closed now, opens {when} at {s.opens_at:%H:%M}")
    return Opening(False, "Closed now")


def organisation_schedules(organisation):
    return [s for service in organisation.services for s in service.schedules]


def opening_for(organisation, now=None):
    return opening(organisation_schedules(organisation), now)


def weekly_hours(organisation):
    """[(day name, ["09:00 to 12:00", …])] for Monday to Sunday, every day listed (closed days say so)."""
    by_day = {day: [] for day in range(7)}
    for s in sorted(organisation_schedules(organisation), key=lambda s: (s.weekday, s.opens_at)):
        text = f"{s.opens_at:%H:%M} to {s.closes_at:%H:%M}"
        if text not in by_day[s.weekday]:
            by_day[s.weekday].append(text)
    return [(WEEKDAY_NAMES[day], times) for day, times in by_day.items()]


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
