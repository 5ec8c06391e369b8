"""The CTN's member count on today's date (the home page's and the CTN page's figure) is counted by the
database (issue 16: it built every member's span on each view) and agrees with the span rule used for
past dates: confirmed before now, not unsubscribed, bounced or erased by now."""

from datetime import timedelta

from app.ctn.models import BOUNCED, PENDING, UNSUBSCRIBED, DepartedMember
from app.ctn.services import member_count
from app.ctn.services.membership_figures import membership_spans
from app.extensions import db
from app.timeutil import utcnow

from .factories.ctn import make_member
from .statement_count import count_statements


def test_member_count_today_agrees_with_the_spans_and_takes_two_queries(app):
    now = utcnow()
    make_member(email="a@example.org", confirmed_at=now - timedelta(days=30))
    make_member(email="b@example.org", confirmed_at=now - timedelta(days=3))
    left = make_member(email="c@example.org", confirmed_at=now - timedelta(days=60))
    left.status, left.unsubscribed_at = UNSUBSCRIBED, now - timedelta(days=1)
    bounced = make_member(email="d@example.org", confirmed_at=now - timedelta(days=60))
    bounced.status, bounced.bounced_at = BOUNCED, None  # no date: gone from when they confirmed
    make_member(email="e@example.org", status=PENDING)
    changing = make_member(email="f@example.org", confirmed_at=now - timedelta(days=9))
    changing.status = PENDING  # changed address, waiting for confirmation: not counted
    db.session.add(DepartedMember(sector="vcfs", joined_on=now - timedelta(days=90), left_on=now - timedelta(days=2)))
    db.session.add(DepartedMember(sector="vcfs", joined_on=now - timedelta(days=90), left_on=now + timedelta(days=2)))
    db.session.commit()

    with count_statements() as counted:
        today = member_count()
    # The two confirmed members, and the departed row whose leaving date is still ahead.
    assert today == member_count(spans=membership_spans()) == 3
    assert counted.total == 2
