"""What is in each ward, from every module: counts for the borough overview and the choropleth, and the
lists on a ward's page. Each entry names how to count per ward and how to list one ward's items."""
from dataclasses import dataclass
from typing import Callable

from ..extensions import db
from .models import Postcode


@dataclass
class WardContent:
    key: str
    label: str
    count_by_ward: Callable  # (ward_set) -> {ward code: count}
    items_in_ward: Callable  # (ward) -> [(name, url or None, detail)]
    lists_items: bool = True  # people (CTN members) are counted on ward pages, never listed


def ward_column(ward_set):
    """The postcode column that gives a postcode's ward in this ward set."""
    return Postcode.ward_code if ward_set == "2022" else Postcode.ward_code_2002


# --- Directory ---------------------------------------------------------------------------------


def _organisations_query():
    from ..directory.models import Location, Organisation

    return (
        db.select(Organisation, Location)
        .join(Location, Location.organisation_id == Organisation.id)
        .join(Postcode, Postcode.postcode == Location.postcode)
        .where(Organisation.published.is_(True), Organisation.status != "inactive", Location.confidential.is_(False))
    )


def organisations_by_ward(ward_set):
    from ..directory.models import Organisation

    column = ward_column(ward_set)
    query = _organisations_query().with_only_columns(column, db.func.count(db.distinct(Organisation.id)))
    return {code: count for code, count in db.session.execute(query.group_by(column)) if code}


def organisations_in_ward(ward):
    from flask import url_for

    column = ward_column(ward.ward_set)
    seen, items = set(), []
    for organisation, location in db.session.execute(
        _organisations_query().where(column == ward.code).order_by(db.text("organisation.name"))
    ):
        if organisation.id not in seen:
            seen.add(organisation.id)
            items.append((organisation.name, url_for("directory.listing", slug=organisation.slug), location.one_line_address))
    return items


# --- Community assets --------------------------------------------------------------------------


def _count_by_postcode_ward(model, ward_set, *conditions, postcode_column=None):
    """Counts per ward of rows with a postcode, in either ward set (via the postcode table)."""
    column = ward_column(ward_set)
    postcode_column = postcode_column if postcode_column is not None else model.postcode
    rows = db.session.execute(
        db.select(column, db.func.count(model.id)).join(Postcode, Postcode.postcode == postcode_column).where(*conditions).group_by(column)
    )
    return {code: count for code, count in rows if code}


def assets_by_ward(ward_set):
    from ..assets.models import CommunityAsset

    return _count_by_postcode_ward(CommunityAsset, ward_set, CommunityAsset.published.is_(True))


def assets_in_ward(ward):
    from flask import url_for

    from ..assets.models import CommunityAsset

    column = ward_column(ward.ward_set)
    assets = db.session.scalars(
        db.select(CommunityAsset).join(Postcode, Postcode.postcode == CommunityAsset.postcode)
        .where(CommunityAsset.published.is_(True), column == ward.code).order_by(CommunityAsset.name)
    )
    return [(a.name, url_for("assets.asset", asset_id=a.id), f"{a.kind_label}, {a.category}") for a in assets]


# --- Faith covenant ----------------------------------------------------------------------------


def signatories_by_ward(ward_set):
    from ..covenant.models import CovenantPledge

    return _count_by_postcode_ward(CovenantPledge, ward_set, CovenantPledge.status == "approved")


def signatories_in_ward(ward):
    from flask import url_for

    from ..covenant.models import CovenantPledge

    column = ward_column(ward.ward_set)
    pledges = db.session.scalars(
        db.select(CovenantPledge).join(Postcode, Postcode.postcode == CovenantPledge.postcode)
        .where(CovenantPledge.status == "approved", column == ward.code)
    )
    return sorted(
        ((p.organisation.name, url_for("covenant.signatories"), f"{p.faith_label}, signed {p.date_signed:%-d %B %Y}") for p in pledges),
        key=lambda item: item[0],
    )


# --- Communities Together Network --------------------------------------------------------------


def meetings_by_ward(ward_set):
    from ..ctn.models import Meeting

    return _count_by_postcode_ward(Meeting, ward_set, Meeting.published.is_(True), postcode_column=Meeting.venue_postcode)


def meetings_in_ward(ward):
    from flask import url_for

    from ..ctn.models import Meeting
    from ..timeutil import to_london

    column = ward_column(ward.ward_set)
    meetings = db.session.scalars(
        db.select(Meeting).join(Postcode, Postcode.postcode == Meeting.venue_postcode)
        .where(Meeting.published.is_(True), column == ward.code).order_by(Meeting.starts_at.desc())
    )
    return [(m.title, url_for("ctn.meeting", meeting_id=m.id), to_london(m.starts_at).strftime("%-d %B %Y")) for m in meetings]


def members_by_ward(ward_set):
    """Confirmed CTN members by the ward they gave (a 2022 ward); no names are ever listed by ward."""
    from ..ctn.models import CONFIRMED, Member

    if ward_set != "2022":
        return {}
    rows = db.session.execute(
        db.select(Member.ward_code, db.func.count(Member.id)).where(Member.status == CONFIRMED, Member.ward_code.is_not(None)).group_by(Member.ward_code)
    )
    return dict(rows.all())


def no_names(ward):
    return []


CONTENTS = [
    WardContent("organisations", "Community organisations", organisations_by_ward, organisations_in_ward),
    WardContent("assets", "Community assets", assets_by_ward, assets_in_ward),
    WardContent("signatories", "Faith covenant signatories", signatories_by_ward, signatories_in_ward),
    WardContent("meetings", "CTN meetings", meetings_by_ward, meetings_in_ward),
    WardContent("members", "CTN members", members_by_ward, no_names, lists_items=False),
]


def contents():
    """Every registered kind of ward content (modules add theirs to CONTENTS)."""
    return list(CONTENTS)
