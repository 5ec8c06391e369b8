"""What the directory adds to the core: its organisations per ward, its live KPI sources, its tasks and its
to-do lists (changes to moderate, problems reported, listings not checked for 6 months)."""

import functools
from urllib.parse import quote

from flask import url_for
from sqlalchemy import bindparam, text

from ..datacache import cached
from ..extensions import db
from ..main.sections import HomeSection, register_home_section
from ..places.models import WARD_SET_2022, Postcode
from ..places.ward_contents import WardContent, register_ward_content, ward_column
from ..reporting.live import SourceUnavailable, end_of, register_source, tables_exist
from ..security import GROUP_EDITOR, STRATEGY_OFFICER
from ..timeutil import utcnow
from ..todo import TodoItem, TodoSource, counted_preview, register_todo
from . import (
    services,
    tasks,  # noqa: F401  (registers the directory's tasks)
)
from .models import Location, Organisation, Service, address_line, service_areas
from .search import borough_name, serves_wards_label

# --- Ward contents ------------------------------------------------------------------------------


def _public(query):
    return query.where(Organisation.published.is_(True), Organisation.status != "inactive")


def _located_in(ward_set):
    """(select of (organisation id, ward code) for public addresses, ward column) in either ward set. A
    location's 2022 ward is stored with it (set when it is placed); the 2002 ward comes from its postcode."""
    if ward_set == WARD_SET_2022:
        column = Location.ward_code
        query = db.select(Location.organisation_id, column)
    else:
        column = ward_column(ward_set)
        query = db.select(Location.organisation_id, column).join(Postcode, Postcode.postcode == Location.postcode)
    return query.where(Location.confidential.is_(False), column.is_not(None)), column


def _ordered_by_ward(query):
    """{ward code: [organisation id, ...] by name} from rows of (ward code, organisation id, name)."""
    found, seen = {}, set()
    for code, organisation_id, _name in db.session.execute(query):
        if (code, organisation_id) not in seen:
            seen.add((code, organisation_id))
            found.setdefault(code, []).append(organisation_id)
    return found


@cached("organisations located by ward", ("directory", "places"))
def _located_ids_by_ward(ward_set):
    """Every ward's organisations with a public address there, in name order, in one query per version of
    the data: a ward page is then a slice of its list, and its count the list's length, so the two agree and
    neither costs a query that grows with the directory (issue 16)."""
    located, column = _located_in(ward_set)
    query = _public(
        located.with_only_columns(column, Organisation.id, Organisation.name)
        .join(Organisation, Organisation.id == Location.organisation_id)
        .order_by(column, Organisation.name, Organisation.id)
    )
    return _ordered_by_ward(query)


def organisations_by_ward(ward_set):
    return {code: len(ids) for code, ids in _located_ids_by_ward(ward_set).items()}


def _listing_link():
    """slug -> the listing's address, as url_for gives it, for a list of many (a ward page has up to a hundred:
    url_for for each cost more than the page's statement)."""
    prefix = url_for("directory.listing", slug="-")[:-1]
    return lambda slug: prefix + quote(slug, safe=_PATH_SEGMENT_SAFE)


_PATH_SEGMENT_SAFE = "!$&'()*+,/:;=@"  # what url_for leaves as it is in a path segment (werkzeug's converter)


@functools.cache
def _page_statements():
    """The two statements of a ward page's lists, built once a process with the ids as a parameter (building
    a statement costs SQLAlchemy about as much as running it): the names of a page of organisations, and the
    same with their public addresses."""
    ids = bindparam("ids", expanding=True)
    names = db.select(Organisation.id, Organisation.name, Organisation.slug).where(Organisation.id.in_(ids))
    with_addresses = (
        db.select(
            Organisation.id,
            Organisation.name,
            Organisation.slug,
            Location.id.label("location_id"),
            Location.ward_code,
            Location.address_1,
            Location.address_2,
            Location.city,
            Location.postcode,
        )
        .outerjoin(Location, (Location.organisation_id == Organisation.id) & Location.confidential.is_(False))
        .where(Organisation.id.in_(ids))
        .order_by(Location.id)
    )
    return names, with_addresses


def _page_of(ids, offset, limit):
    ids = ids[offset : None if limit is None else offset + limit]
    if not ids:
        return []
    rows = {row.id: row for row in db.session.execute(_page_statements()[0], {"ids": ids})}
    return [rows[i] for i in ids if i in rows]


def organisations_in_ward(ward, offset=0, limit=None):
    """One page of the organisations with a public address in the ward, by name, with that address: one
    statement for the page's organisations and their public addresses together."""
    ids = _located_ids_by_ward(ward.ward_set).get(ward.code, [])[offset : None if limit is None else offset + limit]
    if not ids:
        return []
    rows = db.session.execute(_page_statements()[1], {"ids": ids})
    names, addresses = {}, {}
    for row in rows:
        names[row.id] = (row.name, row.slug)
        if row.location_id is not None and (row.ward_code == ward.code or ward.ward_set != WARD_SET_2022):
            addresses.setdefault(row.id, address_line(row.address_1, row.address_2, row.city, row.postcode))
    link = _listing_link()
    return [(names[i][0], link(names[i][1]), addresses.get(i)) for i in ids if i in names]


@cached("organisations serving wards", ("directory", "places"))
def _serving_ids_by_ward():
    """Organisations with a service for a ward's people (its area names the ward) and no public address in
    that ward (those are listed as in the ward already), by ward and name (service areas are 2022 wards)."""
    located = db.select(Location.id).where(
        Location.organisation_id == Service.organisation_id,
        Location.ward_code == service_areas.c.ward_code,
        Location.confidential.is_(False),
    )
    query = _public(
        db.select(service_areas.c.ward_code, Organisation.id, Organisation.name)
        .join(Service, Service.id == service_areas.c.service_id)
        .join(Organisation, Organisation.id == Service.organisation_id)
        .where(Service.area_scope == "wards", ~located.exists())
        .order_by(service_areas.c.ward_code, Organisation.name, Organisation.id)
    )
    return _ordered_by_ward(query)


def serving_by_ward(ward_set):
    if ward_set != WARD_SET_2022:
        return {}
    return {code: len(ids) for code, ids in _serving_ids_by_ward().items()}


def serving_in_ward(ward, offset=0, limit=None):
    """One page of the organisations that serve the ward from elsewhere, labelled as search results are."""
    if ward.ward_set != WARD_SET_2022:
        return []
    label = serves_wards_label([ward.name])
    page = _page_of(_serving_ids_by_ward().get(ward.code, []), offset, limit)
    link = _listing_link()
    return [(row.name, link(row.slug), label) for row in page]


def borough_wide_count():
    """Published organisations with a service for the whole borough (the same for every ward)."""
    return db.session.scalar(
        _public(
            db.select(db.func.count(Organisation.id)).where(
                Organisation.id.in_(db.select(Service.organisation_id).where(Service.area_scope == "borough"))
            )
        )
    )


_borough_wide_count = cached("borough-wide organisations", ("directory",))(borough_wide_count)


def borough_wide_line(ward):
    """'N organisations serve all of Barnet', linked to the directory search for the ward (which lists them)."""
    count = _borough_wide_count()
    if not count:
        return None
    noun = "organisation serves" if count == 1 else "organisations serve"
    return (
        f"{count:,} {noun} all of {borough_name()}, {ward.name} included",
        url_for("directory.index", ward=ward.code) if ward.ward_set == WARD_SET_2022 else url_for("directory.index"),
    )


register_ward_content(
    WardContent(
        "organisations",
        "Community organisations",
        organisations_by_ward,
        organisations_in_ward,
        page_in_ward=organisations_in_ward,
    )
)
register_ward_content(
    WardContent(
        "serving",
        "Organisations serving the ward from elsewhere",
        serving_by_ward,
        serving_in_ward,
        page_in_ward=serving_in_ward,
        more=borough_wide_line,
    )
)


# --- Live KPI sources (app/reporting/live.py) -----------------------------------------------------


@register_source("directory_organisations", "Published organisations in the directory at the end of the period")
def directory_organisations(period_start, period_end):
    if not tables_exist("organisation"):
        raise SourceUnavailable("The directory is not available")
    return db.session.execute(
        text("SELECT COUNT(*) FROM organisation WHERE published = :yes AND created_at < :end"),
        {"yes": True, "end": end_of(period_end)},
    ).scalar_one()


@register_source(
    "directory_category_count",
    "Published organisations with a service in a directory category",
    takes_argument=True,
)
def directory_category_count(period_start, period_end, argument=None):
    needed = ("organisation", "service", "taxonomy_term", "service_taxonomy_term")
    if not tables_exist(*needed):
        raise SourceUnavailable("Directory categories are not available yet")
    return db.session.execute(
        text(
            "SELECT COUNT(DISTINCT organisation.id) FROM organisation "
            "JOIN service ON service.organisation_id = organisation.id "
            "JOIN service_taxonomy_term link ON link.service_id = service.id "
            "JOIN taxonomy_term ON taxonomy_term.id = link.taxonomy_term_id "
            "WHERE organisation.published = :yes AND LOWER(taxonomy_term.name) = LOWER(:name) "
            "AND organisation.created_at < :end"
        ),
        {"yes": True, "name": argument, "end": end_of(period_end)},
    ).scalar_one()


# --- To-do lists (app/todo.py) ---------------------------------------------------------------------

_CHANGE_WORDS = {"register": "New listing", "edit": "Changes to", "claim": "Claim of"}


def changes_to_moderate(user, limit=None):
    items = []
    for change in services.pending_changes(limit):
        name = change.organisation.name if change.organisation else services.proposed_name(change)
        items.append(
            TodoItem(
                f"change-{change.id}",
                f"{_CHANGE_WORDS.get(change.kind, change.kind)} {name}, sent {change.submitted_at:%-d %B %Y}",
                url_for("directory.review", change_id=change.id),
            )
        )
    return items


def problems_reported(user, limit=None):
    return [
        TodoItem(
            f"problem-{report.id}",
            f"{report.organisation.name}, reported {report.created_at:%-d %B %Y}",
            url_for("directory.problems") + f"#problem-{report.id}",
        )
        for report in services.open_problem_reports(limit)
    ]


def listings_not_checked(user, limit=500, now=None):
    return _stale_items(_stale_first(limit, now))


def _stale_items(rows):
    link = _listing_link()
    return [TodoItem(f"listing-{organisation_id}", name, link(slug)) for organisation_id, name, slug in rows]


def _stale_first(limit, now):
    query = services.stale_query(now).with_only_columns(Organisation.id, Organisation.name, Organisation.slug)
    return [tuple(row) for row in db.session.execute(query.limit(limit))]


# Counting and ordering the listings not checked means reading every published listing (issue 16): both are
# kept per version of the directory and per minute of the clock (six months run out minute by minute), so
# an officer's /account does that work once a minute at most.
@cached("listings not checked", ("directory",))
def listings_not_checked_count(now):
    """How many published listings are not checked for 6 months at `now` (a minute: a time with no seconds)."""
    stale = services.stale_query(now).order_by(None).subquery()
    return db.session.scalar(db.select(db.func.count()).select_from(stale))


_kept_stale_first = cached("first listings not checked", ("directory",))(_stale_first)


def listings_not_checked_preview(user, n):
    """How many listings are not checked for 6 months, and the first n (for /account)."""
    minute = utcnow().replace(second=0, microsecond=0)
    total = listings_not_checked_count(minute)
    if not total:
        return 0, []
    return total, _stale_items(_kept_stale_first(n, minute))


def own_listings_not_checked(user):
    stale = {organisation.id for organisation in services.stale_organisations_of(user)}
    return [
        TodoItem(
            f"listing-{organisation.id}",
            f"Check the listing for {organisation.name} is still right",
            url_for("directory.mine"),
        )
        for organisation in user.organisations
        if organisation.id in stale
    ]


register_todo(
    TodoSource(
        "directory.changes",
        "Listing changes to moderate",
        (STRATEGY_OFFICER,),
        changes_to_moderate,
        "directory.moderation",
        "New listings, changes and claims from groups",
        # /account counts the queue and loads its oldest few, not the whole queue.
        preview=counted_preview(services.pending_change_count, changes_to_moderate),
    )
)
register_todo(
    TodoSource(
        "directory.problems",
        "Problems reported with listings",
        (STRATEGY_OFFICER,),
        problems_reported,
        "directory.problems",
        "Residents' reports about listings",
        preview=counted_preview(services.open_problem_count, problems_reported),
    )
)
register_todo(
    TodoSource(
        "directory.stale",
        "Listings not checked for 6 months",
        (STRATEGY_OFFICER,),
        listings_not_checked,
        "directory.needs_checking",
        "Their groups are reminded by e-mail once a month",
        notify="digest",
        preview=listings_not_checked_preview,
    )
)
register_todo(
    TodoSource(
        "directory.own_stale",
        "Your listings to check",
        (GROUP_EDITOR,),
        own_listings_not_checked,
        "directory.mine",
        "Confirm your listing is still right, or update it",
        notify="never",
    )
)

register_home_section(
    HomeSection(
        order=10,
        title="Directory",
        endpoint="directory.index",
        count=services.published_organisation_count,
        text="voluntary, community and faith organisations, and the services they run.",
    )
)
