"""CTN meeting figures: meetings held, attendance, the annual report's figures and CSV."""

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app

from ... import csvkit
from ...extensions import db
from ...timeutil import LONDON, utcnow
from ..models import (
    CANCELLED,
    HELD,
    OPEN_FORUM,
    SECTOR_SHORT,
    Meeting,
)
from .membership_figures import (
    _end_of_day_utc,
    _start_of_day_utc,
    member_count,
    members_by_sector,
    membership_growth,
    membership_spans,
)


def _meetings_between(start_date, end_date, kinds=None):
    query = db.select(Meeting).where(
        Meeting.starts_at >= _start_of_day_utc(start_date), Meeting.starts_at < _end_of_day_utc(end_date)
    )
    if kinds:
        query = query.where(Meeting.kind.in_(list(kinds)))
    return db.session.scalars(query.order_by(Meeting.starts_at)).all()


# What became of a meeting, as both the officers' figures and the public meetings page say it.
UPCOMING = "upcoming"
NOT_HELD = "not_held"  # its date has passed and nobody recorded it as held (nor cancelled it)
OUTCOME_LABELS = {HELD: "Held", CANCELLED: "Cancelled", UPCOMING: "Coming up", NOT_HELD: "Not recorded as held"}


def meeting_outcome(meeting, now=None):
    """held, cancelled, upcoming, or not_held.

    Only a meeting an officer marked held counts as held: a meeting whose date has passed while it is still
    "scheduled" was not held as far as the records go. The 2019 annual report is the example: three open
    meetings held and "the fourth will take place on 28 November" (002_6240a75a79bed02c.txt:164), with no
    record after that it took place, so the dashboard says 3 of 4 and the public page must not list it as past.
    """
    if meeting.status in (HELD, CANCELLED):
        return meeting.status
    return UPCOMING if meeting.ends_at >= (now or utcnow()) else NOT_HELD


def public_meetings_by_outcome(now=None):
    """The published meetings grouped by meeting_outcome: {"upcoming": [...soonest first], "held": [...],
    "not_held": [... including cancelled past meetings], latest first}."""
    now = now or utcnow()
    published = db.session.scalars(
        db.select(Meeting).where(Meeting.published.is_(True)).order_by(Meeting.starts_at.desc())
    ).all()
    groups = {UPCOMING: [], HELD: [], NOT_HELD: []}
    for meeting in published:
        outcome = meeting_outcome(meeting, now)
        if outcome == CANCELLED:
            # A cancelled meeting still to come stays in the list of meetings coming up, marked cancelled.
            outcome = UPCOMING if meeting.ends_at >= now else NOT_HELD
        groups[outcome].append(meeting)
    groups[UPCOMING].reverse()
    return groups


FEED_HISTORY_DAYS = 366


@dataclass
class FeedCoverage:
    """What the public calendar feed holds: published meetings starting on or after `since`."""

    since: datetime  # UTC
    meetings: list
    latest_published: datetime | None  # the latest published meeting's start, in or out of the feed

    @property
    def description(self):
        since = _local_date_text(self.since)
        text = (
            "Communities Together Network meetings published by Barnet Council (open meetings, Steering Group "
            f"and emergency meetings when public), from {since} on, including cancellations."
        )
        if not self.meetings:
            text += " No published meeting starts in that time yet"
            if self.latest_published:
                text += f"; the latest on record was on {_local_date_text(self.latest_published)}"
            text += ". New meetings appear as soon as officers publish them."
        return text


def calendar_feed_coverage(now=None):
    # Everything published from a year ago on: clients keep recent history and see changes.
    since = (now or utcnow()) - timedelta(days=FEED_HISTORY_DAYS)
    rows = db.session.scalars(
        db.select(Meeting).where(Meeting.published.is_(True), Meeting.starts_at >= since).order_by(Meeting.starts_at)
    ).all()
    latest = db.session.scalar(db.select(db.func.max(Meeting.starts_at)).where(Meeting.published.is_(True)))
    return FeedCoverage(since=since, meetings=rows, latest_published=latest)


def _local_date_text(value):
    return f"{value.replace(tzinfo=UTC).astimezone(LONDON):%-d %B %Y}"


def meetings_held(start_date, end_date, kinds=(OPEN_FORUM,)):
    """Meetings marked held whose date (London time) is between start_date and end_date inclusive.

    By default open forums only: the KPI "Number of CTN meetings held per year" (target 4,
    000_0692e8566ba44968.txt:860) counts the themed open meetings. Pass kinds=None for every kind.
    """
    return sum(1 for meeting in _meetings_between(start_date, end_date, kinds) if meeting_outcome(meeting) == HELD)


def attendance_by_meeting(start_date, end_date, kinds=None):
    """[(meeting, attendance)] for held meetings in the period; attendance None when not recorded."""
    return [(m, m.attendance) for m in _meetings_between(start_date, end_date, kinds) if m.status == HELD]


def open_meetings_target():
    return current_app.config["CTN_OPEN_MEETINGS_TARGET"]


def annual_report_figures(year):
    """The figures the annual CTN report quotes, for the calendar year `year`, straight from the data."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    spans = membership_spans()
    meetings = _meetings_between(start, end)
    held = [m for m in meetings if meeting_outcome(m) == HELD]
    open_held = [m for m in held if m.kind == OPEN_FORUM]
    attendance = [(m, m.attendance) for m in held]
    recorded = [a for _, a in attendance if a is not None]
    open_recorded = [m.attendance for m in open_held if m.attendance is not None]
    growth = membership_growth(start, end, spans)
    members_start = member_count(start - timedelta(days=1), spans)
    members_end = member_count(end, spans)
    return {
        "year": year,
        "members_at_start": members_start,
        "members_at_end": members_end,
        "growth": members_end - members_start,
        "joined": sum(p.joined for p in growth),
        "left": sum(p.left for p in growth),
        "members_by_sector": members_by_sector(end, spans),
        "council_officer_members": members_by_sector(end, spans)["council_officer"],
        "meetings_held": len(held),
        "open_meetings_held": len(open_held),
        "open_meetings_target": open_meetings_target(),
        "steering_group_meetings_held": sum(1 for m in held if m.kind == "steering_group"),
        "emergency_meetings_held": sum(1 for m in held if m.kind == "emergency"),
        "meetings_cancelled": sum(1 for m in meetings if m.status == CANCELLED),
        "meetings_not_held": [m for m in meetings if meeting_outcome(m) == NOT_HELD],
        "attendance": attendance,
        "total_attendance": sum(recorded),
        "open_meeting_attendance": sum(open_recorded),
        "average_open_meeting_attendance": round(sum(open_recorded) / len(open_recorded), 1) if open_recorded else None,
        "growth_by_month": growth,
    }


def annual_report_csv(figures):
    out = io.StringIO()
    writer = csvkit.Writer(out)
    writer.writerow(["figure", "value"])
    for name in (
        "year",
        "members_at_start",
        "members_at_end",
        "growth",
        "joined",
        "left",
        "council_officer_members",
        "meetings_held",
        "open_meetings_held",
        "open_meetings_target",
        "steering_group_meetings_held",
        "emergency_meetings_held",
        "meetings_cancelled",
        "total_attendance",
        "open_meeting_attendance",
        "average_open_meeting_attendance",
    ):
        writer.writerow([name.replace("_", " "), "" if figures[name] is None else figures[name]])
    for sector, count in figures["members_by_sector"].items():
        writer.writerow([f"members at year end: {SECTOR_SHORT[sector]}", count])
    for meeting, attendance in figures["attendance"]:
        label = f"attendance: {meeting.title} ({_local_date(meeting.starts_at)})"
        writer.writerow([label, "" if attendance is None else attendance])
    for point in figures["growth_by_month"]:
        writer.writerow([f"members at {point.month.isoformat()}", point.members])
    return out.getvalue()


def _local_date(value):
    return value.replace(tzinfo=UTC).astimezone(LONDON).date().isoformat()
