"""CTN meeting figures: meetings held, attendance, the annual report's figures and CSV."""

import io
from datetime import UTC, date, timedelta

from flask import current_app

from ... import csvkit
from ...extensions import db
from ...timeutil import LONDON
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


def meetings_held(start_date, end_date, kinds=(OPEN_FORUM,)):
    """Meetings marked held whose date (London time) is between start_date and end_date inclusive.

    By default open forums only: the KPI "Number of CTN meetings held per year" (target 4,
    000_0692e8566ba44968.txt:860) counts the themed open meetings. Pass kinds=None for every kind.
    """
    return sum(1 for meeting in _meetings_between(start_date, end_date, kinds) if meeting.status == HELD)


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
    held = [m for m in meetings if m.status == HELD]
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
