"""What the CTN adds to the core: meetings and members per ward, a live KPI source, and the demo data."""

from flask import url_for

from ..demo import register_demo_loader
from ..extensions import db
from ..main.sections import HomeSection, register_home_section
from ..places.ward_contents import (
    WardContent,
    count_by_postcode_ward,
    no_names,
    register_ward_content,
    select_in_ward,
)
from ..reporting.live import SourceUnavailable, register_source, tables_exist
from ..timeutil import to_london
from . import services
from .demo import load_demo
from .models import CONFIRMED, Meeting, Member
from .services import meetings_held

# --- Ward contents ------------------------------------------------------------------------------


def meetings_by_ward(ward_set):
    return count_by_postcode_ward(
        Meeting, ward_set, Meeting.published.is_(True), postcode_column=Meeting.venue_postcode
    )


def meetings_in_ward(ward):
    query = select_in_ward(Meeting, ward, Meeting.published.is_(True), postcode_column=Meeting.venue_postcode)
    meetings = db.session.scalars(query.order_by(Meeting.starts_at.desc()))
    return [
        (m.title, url_for("ctn.meeting", meeting_id=m.id), to_london(m.starts_at).strftime("%-d %B %Y"))
        for m in meetings
    ]


def members_by_ward(ward_set):
    """Confirmed CTN members by the ward they gave (a 2022 ward); no names are ever listed by ward."""
    if ward_set != "2022":
        return {}
    rows = db.session.execute(
        db.select(Member.ward_code, db.func.count(Member.id))
        .where(Member.status == CONFIRMED, Member.ward_code.is_not(None))
        .group_by(Member.ward_code)
    )
    return dict(rows.all())


register_ward_content(WardContent("meetings", "CTN meetings", meetings_by_ward, meetings_in_ward))
register_ward_content(WardContent("members", "CTN members", members_by_ward, no_names, lists_items=False))


# --- Live KPI source (app/reporting/live.py) ------------------------------------------------------


@register_source("ctn_meetings_held", "CTN open meetings held in the period")
def ctn_meetings_held(period_start, period_end):
    """The CTN's open meetings held in the period (London dates): the "four open meetings each year" the
    Steering Group plans (002:117) and the delivery plan's KPI counts (004:37)."""
    if not tables_exist("ctn_meeting"):
        raise SourceUnavailable("CTN meetings are not recorded in the portal yet")
    return meetings_held(period_start, period_end)


register_demo_loader(load_demo)

register_home_section(
    HomeSection(
        order=40,
        title="Communities Together Network",
        endpoint="ctn.index",
        count=services.member_count,
        text="members of the council's forum with the voluntary, community and faith sector. Join, and come to a meeting.",
    )
)
