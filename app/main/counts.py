"""The figures on the home page. Each is one function, used both by the home page and by the page its link
goes to, so the two can never disagree (tests/test_home_counts.py follows every link and compares)."""
from ..extensions import db


def directory_organisations():
    """Published organisations that are not closed: the ones a resident can find in the directory."""
    from ..directory.models import Organisation

    return db.session.scalar(
        db.select(db.func.count(Organisation.id)).where(Organisation.published.is_(True), Organisation.status != "inactive")
    )


def wards_2022():
    from ..places.models import WARD_SET_2022, Ward

    return db.session.scalar(db.select(db.func.count()).select_from(Ward).where(Ward.ward_set == WARD_SET_2022))


def ctn_members():
    from ..ctn.services import member_count

    return member_count()


def covenant_signatories():
    """Approved pledges: every faith organisation that has signed, with or without a postcode we can place."""
    from ..covenant.models import CovenantPledge

    return db.session.scalar(db.select(db.func.count(CovenantPledge.id)).where(CovenantPledge.status == "approved"))


def community_assets():
    """Published assets in the register, whether or not they have a map position."""
    from ..assets.models import CommunityAsset

    return db.session.scalar(db.select(db.func.count(CommunityAsset.id)).where(CommunityAsset.published.is_(True)))


def community_assets_on_map(category=""):
    from ..assets.models import CommunityAsset

    query = db.select(db.func.count(CommunityAsset.id)).where(CommunityAsset.published.is_(True), CommunityAsset.lat.is_not(None))
    if category:
        query = query.where(CommunityAsset.category == category)
    return db.session.scalar(query)
