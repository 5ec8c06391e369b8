"""What community assets add to the core: published assets per ward, and the demo data."""

from flask import url_for

from ..demo import register_demo_loader
from ..extensions import db
from ..places.ward_contents import WardContent, count_by_postcode_ward, register_ward_content, select_in_ward
from .demo import load_demo
from .models import CommunityAsset


def assets_by_ward(ward_set):
    return count_by_postcode_ward(CommunityAsset, ward_set, CommunityAsset.published.is_(True))


def assets_in_ward(ward):
    query = select_in_ward(CommunityAsset, ward, CommunityAsset.published.is_(True))
    assets = db.session.scalars(query.order_by(CommunityAsset.name))
    return [(a.name, url_for("assets.asset", asset_id=a.id), f"{a.kind_label}, {a.category}") for a in assets]


register_ward_content(WardContent("assets", "Community assets", assets_by_ward, assets_in_ward))
register_demo_loader(load_demo)
