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
_TIME = r"\d{1,2}[:.]\d{2}"
_RANGE = rf"{_TIME}\s*(?:-|–|to)\s*{_TIME}"
RANGE_RE = re.compile(rf"(?P<opens>{_TIME})\s*(?:-|–|to)\s*(?P<closes>{_TIME})")
# Days, then one or more time ranges separated by commas or "and": "Mon, Wed 09:00-12:00, 13:00-17:00".
HOURS_RE = re.compile(rf"^(?P<days>[A-Za-z][A-Za-z ,\-–]*?)\s*:?\s+(?P<times>{_RANGE}(?:\s*(?:,|and|&)\s*{_RANGE})*)$")


def parse_opening_hours(value):
    """'Mon 09:00-12:00, 13:00-17:00; Wed 10:00-14:00' -> ([{weekday, opens_at, closes_at}], [problems]).

    A day may have several opening times (a morning and an afternoon session), given together after the
    day or in separate entries; times on one day must not overlap."""
    hours, problems = [], []
    for entry in (e.strip() for e in re.split(r"[;\n]", value)):
        if not entry:
            continue
        match = HOURS_RE.match(entry)
        if not match:
            problems.append(
                f"Enter opening hours as days and 24-hour times, like Mon 09:00-12:00, 13:00-17:00; Wed 10:00-14:00 "
                f"(“{entry}” is not)"
            )
            continue
        days = _days(match.group("days"))
        if days is None:
            problems.append(f"“{match.group('days').strip()}” is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun")
            continue
        for times in RANGE_RE.finditer(match.group("times")):
            opens, closes = times.group("opens"), times.group("closes")
            bad = [t for t in (opens, closes) if not TIME_RE.match(t)]
            if bad:
                problems.append(f"“{bad[0]}” is not a 24-hour time, like 09:30")
                break
            opens, closes = _hhmm(opens), _hhmm(closes)
            problem = _add_slot(hours, days, opens, closes)
            if problem:
                problems.append(problem)
                break
    return sorted(hours, key=lambda h: (h["weekday"], h["opens_at"])), problems


def _add_slot(hours, days, opens, closes):
    for day in days:
        if closes <= opens:
            return f"The closing time on {WEEKDAY_NAMES[day]} must be after the opening time"
        for other in hours:
            if other["weekday"] == day and opens < other["closes_at"] and other["opens_at"] < closes:
                return (
                    f"The opening times on {WEEKDAY_NAMES[day]} overlap ({other['opens_at']}-{other['closes_at']} "
                    f"and {opens}-{closes}): give each time once"
                )
    for day in days:
        hours.append({"weekday": day, "opens_at": opens, "closes_at": closes})
    return None


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
    """[{weekday, opens_at, closes_at}] -> 'Mon 09:00-12:00, 13:00-17:00; Wed 10:00-14:00' (what the parser reads)."""
    days = {}
    for h in sorted(hours, key=lambda h: (h["weekday"], h["opens_at"])):
        days.setdefault(h["weekday"], []).append(f"{h['opens_at']}-{h['closes_at']}")
    return "; ".join(f"{DAY_ABBREVIATIONS[day]} {', '.join(slots)}" for day, slots in days.items())
