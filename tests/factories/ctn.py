"""Communities Together Network factories: members and meetings."""

from datetime import timedelta

from app.ctn.models import CONFIRMED, Meeting, Member, email_key
from app.extensions import db
from app.timeutil import utcnow


def _member(name, email, sector, status, interests, ward_code, confirmed_at):
    member = Member(
        name=name,
        email=email,
        email_key=email_key(email),
        sector=sector,
        status=status,
        ward_code=ward_code,
        confirmed_at=confirmed_at or (utcnow() if status == CONFIRMED else None),
    )
    member.interest_rows = []
    member.interests = list(interests)
    return member


def make_member(
    name="Member Person",
    email="member@example.org",
    sector="vcfs",
    status=CONFIRMED,
    interests=(),
    ward_code=None,
    confirmed_at=None,
):
    """One member (confirmed unless told otherwise)."""
    member = _member(name, email, sector, status, interests, ward_code, confirmed_at)
    db.session.add(member)
    db.session.commit()
    return member


def make_members(count, prefix="member", sector="vcfs"):
    """`count` confirmed members, "Member 1" <member1@example.org> onwards, in one commit."""
    members = [
        _member(f"Member {number}", f"{prefix}{number}@example.org", sector, CONFIRMED, (), None, None)
        for number in range(1, count + 1)
    ]
    db.session.add_all(members)
    db.session.commit()
    return members


def make_meeting(capacity=None, **fields):
    """A two-hour open meeting ten days from now, from 17:00 UTC (not published unless told); name only what
    the test is about. A fixed hour: started at the hour of the run, a meeting made after 22:00 ended the next
    day, and a test that sends its times back through the edit form failed as "ends before it starts"."""
    start = utcnow().replace(hour=17, minute=0, second=0, microsecond=0) + timedelta(days=10)
    values = {
        "title": "Summer open meeting",
        "theme": "Emergency planning",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue_name": "Unitas Youth Zone",
        "capacity": capacity,
        **fields,
    }
    meeting = Meeting(**values)
    db.session.add(meeting)
    db.session.commit()
    return meeting
