"""What community assets add to the core: published assets per ward, and the demo data."""

from flask import url_for

from ..demo import register_demo_loader
from ..extensions import db
from ..main.sections import HomeSection, register_home_section
from ..places.ward_contents import WardContent, count_by_postcode_ward, register_ward_content, select_in_ward
from ..security import STRATEGY_OFFICER
from ..todo import TodoItem, TodoSource, register_todo
from . import services
from .demo import load_demo
from .models import AcvNomination, CommunityAsset


def assets_by_ward(ward_set):
    return count_by_postcode_ward(CommunityAsset, ward_set, CommunityAsset.published.is_(True))


def assets_in_ward(ward):
    query = select_in_ward(CommunityAsset, ward, CommunityAsset.published.is_(True))
    assets = db.session.scalars(query.order_by(CommunityAsset.name))
    return [(a.name, url_for("assets.asset", asset_id=a.id), f"{a.kind_label}, {a.category}") for a in assets]


register_ward_content(WardContent("assets", "Community assets", assets_by_ward, assets_in_ward))
register_demo_loader(load_demo)


# --- To-do lists (app/todo.py) ---------------------------------------------------------------------


def _nomination_url(nomination):
    return url_for("assets.nomination", nomination_id=nomination.id)


def nominations_to_decide(user):
    nominations = db.session.scalars(
        db.select(AcvNomination).where(AcvNomination.status.in_(("received", "valid"))).order_by(AcvNomination.id)
    )
    return [
        TodoItem(
            f"nomination-{n.id}",
            f"{n.reference} {n.site_name}: decide by {n.decision_due:%-d %B %Y}",
            _nomination_url(n),
        )
        for n in nominations
    ]


def acv_deadlines_this_week(user):
    today = services.london_today()
    monday, sunday = services.week_containing(today)
    open_nominations = db.session.scalars(
        db.select(AcvNomination).where(AcvNomination.status.in_(("received", "valid", "listed")))
    ).all()
    deadlines = services.overdue(open_nominations, today) + [
        d for d in services.due_between(open_nominations, monday, sunday) if not (d.action and d.due_on < today)
    ]
    return [
        TodoItem(
            f"deadline-{d.nomination.id}-{d.what}-{d.due_on:%Y%m%d}",
            f"{d.nomination.reference} {d.nomination.site_name}: {d.what}, "
            f"{'overdue since' if d.due_on < today else 'on'} {d.due_on:%A %-d %B}",
            _nomination_url(d.nomination),
        )
        for d in deadlines
    ]


register_todo(
    TodoSource(
        "assets.nominations",
        "Assets of Community Value nominations to decide",
        (STRATEGY_OFFICER,),
        nominations_to_decide,
        "assets.nominations",
        "Validate each nomination and decide it within 8 weeks",
    )
)
register_todo(
    TodoSource(
        "assets.deadlines",
        "Assets of Community Value deadlines this week",
        (STRATEGY_OFFICER,),
        acv_deadlines_this_week,
        "assets.due",
        "Statutory dates falling this week, and decisions overdue",
    )
)

register_home_section(
    HomeSection(
        order=60,
        title="Community assets",
        endpoint="assets.index",
        count=services.published_asset_count,
        text="halls, libraries, parks and other community assets, and Assets of Community Value.",
    )
)
