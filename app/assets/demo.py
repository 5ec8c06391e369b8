"""Demo community assets from seed/demo_data.py VENUES (each record there carries its seed file:line).

The council papers give no Asset of Community Value nominations, so none are invented here.
"""

from ..extensions import db
from .models import CommunityAsset
from .services import place_for_postcode

# seed/demo_data.py "kind" -> register kind; "owner" -> register owner.
KIND_MAP = {
    "community centre": "community_centre",
    "library": "library",
    "youth centre": "youth_centre",
    "council building": "council_building",
    "place of worship": "place_of_worship",
    "park": "park",
    "other": "other",
}
OWNER_MAP = {"council-owned": "council", "CBAT lease": "cbat_lease", "VCFS": "vcfs", "private": "private"}


def load_demo():
    from seed import demo_data  # the demo records are read only when demo data is loaded

    added = 0
    for record in demo_data.VENUES:  # each record: source = "<seed file>:<line>", e.g. 003_c91605f45081f960.txt:15
        if db.session.scalar(db.select(CommunityAsset.id).where(CommunityAsset.name == record["name"])):
            continue
        place = place_for_postcode(record.get("postcode"))
        address = record.get("address", "")
        db.session.add(
            CommunityAsset(
                name=record["name"],
                category=record.get("category", "Spaces"),
                kind=KIND_MAP.get(record.get("kind"), "other"),
                owner=OWNER_MAP.get(record.get("owner"), "unknown"),
                address=address,
                postcode=place.postcode,
                ward_code=place.ward_code,
                lat=place.lat,
                lon=place.lon,
                source=record["source"],
            )
        )
        added += 1
    db.session.commit()
    return f"Community assets added: {added}."
