"""What community assets add to the core: published assets per ward, and the demo data."""

from flask import url_for

from ..demo import register_demo_loader
from ..extensions import db
from ..places.models import Postcode
from ..places.ward_contents import WardContent, count_by_postcode_ward, register_ward_content, ward_column
from .demo import load_demo
from .models import CommunityAsset


def assets_by_ward(ward_set):
    return count_by_postcode_ward(CommunityAsset, ward_set, CommunityAsset.published.is_(True))


def assets_in_ward(ward):
    column = ward_column(ward.ward_set)
    assets = db.session.scalars(
        db.select(CommunityAsset)
        .join(Postcode, Postcode.postcode == CommunityAsset.postcode)
        .where(CommunityAsset.published.is_(True), column == ward.code)
        .order_by(CommunityAsset.name)
    )
    return [(a.name, url_for("assets.asset", asset_id=a.id), f"{a.kind_label}, {a.category}") for a in assets]


register_ward_content(WardContent("assets", "Community assets", assets_by_ward, assets_in_ward))
register_demo_loader(load_demo)
