"""CTN membership figures: members on a date, by sector, growth by month, counts by status."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, or_

from ...extensions import db
from ...timeutil import LONDON, utcnow
from ..models import (
    BOUNCED,
    PENDING,
    SECTORS,
    UNSUBSCRIBED,
    DepartedMember,
    Member,
)


def _end_of_day_utc(day):
    """The first UTC instant after `day` ends in London (naive), for 'as of' comparisons."""
    local = datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)
    return local.astimezone(UTC).replace(tzinfo=None)


def _start_of_day_utc(day):
    local = datetime.combine(day, time.min, tzinfo=LONDON)
    return local.astimezone(UTC).replace(tzinfo=None)


def membership_spans():
    """(sector, joined, left) for everyone who has ever been a confirmed member, erased people included."""
    spans = []
    rows = db.session.execute(
        db.select(Member.sector, Member.status, Member.confirmed_at, Member.unsubscribed_at, Member.bounced_at).where(
            Member.confirmed_at.is_not(None)
        )
    )
    for sector, status, confirmed_at, unsubscribed_at, bounced_at in rows:
        left = None
        if status == UNSUBSCRIBED:
            left = unsubscribed_at or confirmed_at
        elif status == BOUNCED:
            left = bounced_at or confirmed_at
        elif status == PENDING:
            continue  # changed address, waiting for confirmation: not receiving e-mail
        spans.append((sector, confirmed_at, left))
    for sector, joined, left in db.session.execute(
        db.select(DepartedMember.sector, DepartedMember.joined_on, DepartedMember.left_on).where(
            DepartedMember.joined_on.is_not(None)
        )
    ):
        spans.append((sector, joined, left))
    return spans


def _member_on(span, moment):
    _, joined, left = span
    return joined < moment and (left is None or left >= moment)


def member_count(as_of=None, spans=None):
    """Confirmed members at the end of the day `as_of` (London time; default: now)."""
    moment = _end_of_day_utc(as_of) if as_of else utcnow()
    if spans is None:
        return _counted_member_count(moment)
    return sum(1 for span in spans if _member_on(span, moment))


def _counted_member_count(moment):
    """member_count counted by the database: the spans' rule (joined before the moment, not left by it) in two
    COUNT queries, instead of building every member's span (the home page asks on every view, issue 16)."""
    left = case(
        (Member.status == UNSUBSCRIBED, func.coalesce(Member.unsubscribed_at, Member.confirmed_at)),
        (Member.status == BOUNCED, func.coalesce(Member.bounced_at, Member.confirmed_at)),
        else_=None,
    )
    members = db.session.scalar(
        db.select(func.count(Member.id)).where(
            Member.confirmed_at.is_not(None),
            Member.status != PENDING,
            Member.confirmed_at < moment,
            or_(left.is_(None), left >= moment),
        )
    )
    departed = db.session.scalar(
        db.select(func.count(DepartedMember.id)).where(
            DepartedMember.joined_on.is_not(None),
            DepartedMember.joined_on < moment,
            or_(DepartedMember.left_on.is_(None), DepartedMember.left_on >= moment),
        )
    )
    return members + departed


def members_by_sector(as_of=None, spans=None):
    """{sector: confirmed members at the end of `as_of`} for every sector, zeros included, in SECTORS order."""
    moment = _end_of_day_utc(as_of) if as_of else utcnow()
    counts = dict.fromkeys(SECTORS, 0)
    for span in membership_spans() if spans is None else spans:
        if _member_on(span, moment):
            counts[span[0]] = counts.get(span[0], 0) + 1
    return counts


def month_ends(start, end):
    """The last day of each month from start's month to end's month."""
    days = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        days.append(nxt - timedelta(days=1))
        year, month = nxt.year, nxt.month
    return days


@dataclass
class GrowthPoint:
    month: date  # last day of the month
    members: int
    joined: int
    left: int


def membership_growth(start, end, spans=None):
    """Members at each month end from start to end, with how many joined and left in the month."""
    spans = membership_spans() if spans is None else spans
    points = []
    previous_end = _end_of_day_utc(date(start.year, start.month, 1) - timedelta(days=1))
    for month_end in month_ends(start, end):
        moment = _end_of_day_utc(month_end)
        joined = sum(1 for _, j, _ in spans if previous_end <= j < moment)
        left = sum(1 for _, _, gone in spans if gone is not None and previous_end <= gone < moment)
        points.append(GrowthPoint(month_end, sum(1 for s in spans if _member_on(s, moment)), joined, left))
        previous_end = moment
    return points


def status_counts():
    rows = db.session.execute(db.select(Member.status, func.count()).group_by(Member.status)).all()
    return dict(rows)
