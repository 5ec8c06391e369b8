"""Times are stored as naive UTC on both SQLite and PostgreSQL; shown in Europe/London."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


def to_london(value):
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def london_today():
    """Today's date in London."""
    return datetime.now(LONDON).date()
