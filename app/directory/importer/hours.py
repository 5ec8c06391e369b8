"""Opening hours as the import file writes them ("Mon-Fri 09:00-17:00"): parsing and formatting."""

import re

from ..forms import TIME_RE
from ..models import WEEKDAY_NAMES

DAYS = {
    "mon": 0,
    "monday": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "fri": 4,
    "friday": 4,
    "sat": 5,
    "saturday": 5,
    "sun": 6,
    "sunday": 6,
}
DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS_RE = re.compile(
    r"^(?P<days>[A-Za-z][A-Za-z ,\-–]*?)\s*:?\s+(?P<opens>\d{1,2}[:.]\d{2})\s*(?:-|–|to)\s*(?P<closes>\d{1,2}[:.]\d{2})$"
)


def parse_opening_hours(value):
    """'Mon 09:00-17:00; Wed 10:00-14:00' -> ([{weekday, opens_at, closes_at}], [problems])."""
    hours, problems, days_seen = [], [], set()
    for entry in (e.strip() for e in re.split(r"[;\n]", value)):
        if not entry:
            continue
        match = HOURS_RE.match(entry)
        if not match:
            problems.append(
                f"Enter opening hours as days and 24-hour times, like Mon 09:00-17:00; Wed 10:00-14:00 "
                f"(“{entry}” is not)"
            )
            continue
        days = _days(match.group("days"))
        if days is None:
            problems.append(f"“{match.group('days').strip()}” is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun")
            continue
        opens, closes = match.group("opens"), match.group("closes")
        bad = [t for t in (opens, closes) if not TIME_RE.match(t)]
        if bad:
            problems.append(f"“{bad[0]}” is not a 24-hour time, like 09:30")
            continue
        opens, closes = _hhmm(opens), _hhmm(closes)
        for day in days:
            if closes <= opens:
                problems.append(f"The closing time on {WEEKDAY_NAMES[day]} must be after the opening time")
                break
            if day in days_seen:
                problems.append(f"{WEEKDAY_NAMES[day]} is given twice: the directory holds one opening time a day")
                break
            days_seen.add(day)
            hours.append({"weekday": day, "opens_at": opens, "closes_at": closes})
    return sorted(hours, key=lambda h: h["weekday"]), problems


def _days(text):
    days = []
    for part in (p.strip() for p in text.split(",")):
        ends = [e.strip().lower().rstrip(".") for e in re.split(r"\s*[-–]\s*", part)]
        if not part or len(ends) > 2 or any(e not in DAYS for e in ends):
            return None
        first, last = DAYS[ends[0]], DAYS[ends[-1]]
        if last < first:
            return None
        days += [d for d in range(first, last + 1) if d not in days]
    return days


def _hhmm(value):
    hours, minutes = TIME_RE.match(value).groups()
    return f"{int(hours):02d}:{minutes}"


def format_opening_hours(hours):
    return "; ".join(f"{DAY_ABBREVIATIONS[h['weekday']]} {h['opens_at']}-{h['closes_at']}" for h in hours)
