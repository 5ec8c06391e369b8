"""Reading the published directory for the Open Referral UK API: parameters, filters, paging and distance.

Nothing here needs a request: the views pass in the query-string values and get rows back, or an
InvalidParameter whose message says what to send instead. Only services of published organisations are
read, and a service is only ever shown at a location that is not confidential (and whose organisation is
published too), so nothing here can leak a refuge's address or a listing that waits for approval.
"""

import math
import re
from array import array
from dataclasses import dataclass, fields
from datetime import time
from types import SimpleNamespace

from sqlalchemy.orm import contains_eager, defer, joinedload, selectinload

from .. import datacache
from ..directory import search as directory_search
from ..directory.models import (
    WEEKDAY_NAMES,
    WEEKDAYS,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    location_accessibility,
    service_areas,
    service_terms,
)
from ..extensions import db
from ..places.models import Ward
from ..places.services import lookup_postcode, normalise_postcode
from . import service_facts

PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
MAX_PROXIMITY_METRES = 100_000  # far more than the borough is wide
MAX_TEXT_LENGTH = 200
MAX_ID_LENGTH = 64
EARTH_RADIUS_METRES = 6_371_008.8  # mean radius of the Earth (IUGG)
UNKNOWN_DISTANCE = 1e6  # square degrees: further than anywhere on Earth
MAX_AGE = 150
WHOLE_NUMBER_RE = re.compile(r"^[0-9]{1,9}$")
TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?$")
# ORUK `day`: the RRULE BYDAY codes the schedules carry (MO...SU), or the English day names.
DAY_CODES = {
    **{code: i for i, code in enumerate(WEEKDAYS)},
    **{name.upper(): i for i, name in enumerate(WEEKDAY_NAMES)},
}


class InvalidParameter(ValueError):
    """A query-string value the API cannot use; the message tells the caller what to send instead."""


# --- Parameters ---------------------------------------------------------------------------------


def shown(value, limit=40):
    return repr(value if len(value) <= limit else value[:limit] + "...")


def clean_text(value, limit=MAX_TEXT_LENGTH):
    """Query-string text without NUL characters (PostgreSQL refuses them), trimmed and cut to `limit`."""
    return (value or "").replace("\x00", "").strip()[:limit]


def search_words(args):
    """`search`: at most 200 characters, as the document declares (longer is refused, not cut)."""
    raw = args.get("search") or ""
    if len(raw) > MAX_TEXT_LENGTH:
        raise InvalidParameter(f"search must be {MAX_TEXT_LENGTH} characters or fewer, not {len(raw)}")
    return clean_text(raw)


def clean_id(value):
    """An id as sent, or "" when it cannot be one of ours, so that it matches nothing (and never errors)."""
    value = (value or "").strip()
    return value if 0 < len(value) <= MAX_ID_LENGTH and "\x00" not in value else ""


def whole_number(args, name, default, maximum):
    if name not in args:
        return default
    raw = args.get(name).strip()
    if not WHOLE_NUMBER_RE.match(raw) or not 1 <= int(raw) <= maximum:
        raise InvalidParameter(f"{name} must be a whole number from 1 to {maximum}, not {shown(raw)}")
    return int(raw)


def paging(args):
    """(page, per_page) from the query string: page from 1, per_page from 1 to 200 (50 when not given)."""
    return whole_number(args, "page", 1, MAX_PAGE), whole_number(args, "per_page", PER_PAGE, MAX_PER_PAGE)


def optional_id(args, name):
    raw = args.get(name)
    if raw is None or not raw.strip():
        return None
    return clean_id(raw)


def _given(args, name):
    """The parameter's value, None when it is absent; sent empty (`day=`) it is a value that means nothing,
    so it is refused like any other value that cannot be used."""
    raw = args.get(name)
    return None if raw is None else raw.strip()


def decimal(raw):
    """A finite number written in digits (`18`, `0.5`, `1e-05`), or None."""
    if not raw or len(raw) > 40 or not raw.isascii() or "_" in raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def age(args, name):
    raw = _given(args, name)
    if raw is None:
        return None
    value = decimal(raw)
    if value is None or not 0 <= value <= MAX_AGE:
        raise InvalidParameter(f"{name} must be an age in years from 0 to {MAX_AGE}, like 18, not {shown(raw)}")
    return value


def time_of_day(args, name):
    raw = _given(args, name)
    if raw is None:
        return None
    found = TIME_RE.match(raw)
    if found is None:
        raise InvalidParameter(f"{name} must be a 24-hour time, like 09:30 or 09:30:00, not {shown(raw)}")
    return time(int(found[1]), int(found[2]), int(found[3] or 0))


def weekday(args, name="day"):
    raw = _given(args, name)
    if raw is None:
        return None
    if raw.upper() not in DAY_CODES:
        raise InvalidParameter(f"{name} must be a day as MO, TU, WE, TH, FR, SA or SU (or Monday...), not {shown(raw)}")
    return DAY_CODES[raw.upper()]


@dataclass
class Filters:
    search: str = ""
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    start_time: time | None = None
    end_time: time | None = None
    day: int | None = None  # 0 = Monday
    origin: object = None  # the Postcode row measured from
    proximity: float | None = None  # metres


def parse_filters(args, place=False):
    """The filters of a list request; `place` reads postcode and proximity too (service_at_locations)."""
    filters = Filters(
        search=search_words(args),
        taxonomy_term_id=optional_id(args, "taxonomy_term_id"),
        taxonomy_id=optional_id(args, "taxonomy_id"),
        minimum_age=age(args, "minimum_age"),
        maximum_age=age(args, "maximum_age"),
        start_time=time_of_day(args, "start_time"),
        end_time=time_of_day(args, "end_time"),
        day=weekday(args),
    )
    if place:
        filters.origin, filters.proximity = parse_place(args.get("postcode"), args.get("proximity"))
    return filters


def parse_place(postcode, proximity):
    """(Postcode row or None, metres or None); InvalidParameter for a bad distance or an unknown postcode."""
    given = proximity is not None
    postcode, proximity = clean_text(postcode, 20), clean_text(proximity, 40)
    metres = None
    if given:
        metres = decimal(proximity)
        if metres is None or not 0 < metres <= MAX_PROXIMITY_METRES:
            raise InvalidParameter(
                f"proximity must be a distance in metres, more than 0 and at most {MAX_PROXIMITY_METRES}, "
                f"not {shown(proximity)}"
            )
    if not postcode:
        if metres is not None:
            raise InvalidParameter("proximity needs a postcode to measure from, for example postcode=EN5 4AG")
        return None, None
    normal = normalise_postcode(postcode)
    if normal is None:
        raise InvalidParameter(f"{shown(postcode)} is not a UK postcode; send a full postcode, for example EN5 4AG")
    found = lookup_postcode(normal)
    if found is None:
        raise InvalidParameter(
            f"The postcode {normal} is unknown: this directory knows the postcodes in and around the borough only"
        )
    return found, metres


# --- Word search --------------------------------------------------------------------------------


def search_services(words):
    """A where-clause for the services whose listing matches `words` (None when there are no words).

    This is the directory's own full-text search (app/directory/search.py: SQLite FTS5, PostgreSQL full text,
    over organisation.search_text, which holds the organisation's name and description and its services'
    names, descriptions and categories), so the API finds what the directory's search page finds. It matches
    listings: every public service of a matching organisation is found. The clause needs the service's
    Organisation in the query (every query here joins it).
    """
    if not directory_search.WORD_RE.search(words or ""):
        return None
    clause, _rank, fts = directory_search.word_filter(words)
    if fts is not None:
        return Service.organisation_id.in_(db.select(fts.c.org_id))
    return clause


def _services_with_term(term_id):
    return (
        db.select(service_terms.c.service_id)
        .join(TaxonomyTerm, TaxonomyTerm.id == service_terms.c.taxonomy_term_id)
        .where(TaxonomyTerm.uuid == term_id)
    )


def _services_in_taxonomy(taxonomy_id):
    return (
        db.select(service_terms.c.service_id)
        .join(TaxonomyTerm, TaxonomyTerm.id == service_terms.c.taxonomy_term_id)
        .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(Taxonomy.uuid == taxonomy_id)
    )


def _locations_with_term(term_id):
    return (
        db.select(location_accessibility.c.location_id)
        .join(TaxonomyTerm, TaxonomyTerm.id == location_accessibility.c.taxonomy_term_id)
        .where(TaxonomyTerm.uuid == term_id)
    )


def _locations_in_taxonomy(taxonomy_id):
    return (
        db.select(location_accessibility.c.location_id)
        .join(TaxonomyTerm, TaxonomyTerm.id == location_accessibility.c.taxonomy_term_id)
        .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(Taxonomy.uuid == taxonomy_id)
    )


def eligibility_and_hours(filters):
    """Where-clauses on Service for the ORUK age, day and time filters, read as the standard words them.

    minimum_age=N: services whose minimum age is at least N (no recorded minimum counts as 0, open from
    birth); maximum_age=N: services whose maximum age is N or below (no recorded maximum is no upper
    limit, so it never matches). day, start_time, end_time: the service has one weekly opening (a
    schedule row, from the listing editor's opening hours) on that day, opening at or after start_time and
    closing at or before end_time; all three must hold for the same opening.
    """
    clauses = []
    if filters.minimum_age is not None:
        clauses.append(db.func.coalesce(Service.minimum_age, 0) >= filters.minimum_age)
    if filters.maximum_age is not None:
        clauses.append(Service.maximum_age.is_not(None))
        clauses.append(Service.maximum_age <= filters.maximum_age)
    opening = []
    if filters.day is not None:
        opening.append(Schedule.weekday == filters.day)
    if filters.start_time is not None:
        opening.append(Schedule.opens_at >= filters.start_time)
    if filters.end_time is not None:
        opening.append(Schedule.closes_at <= filters.end_time)
    if opening:
        clauses.append(Service.id.in_(db.select(Schedule.service_id).where(*opening)))
    return clauses


def _unpublished_organisations():
    """Ids of the organisations not yet published: a short list read from the partial index of hidden
    listings (directory search's HIDDEN), so a count never reads every organisation's row to test it."""
    return db.select(Organisation.id).where(directory_search.HIDDEN, Organisation.published.is_not(True))


def _service_clauses(filters):
    """Where-clauses on Service alone (no join to Organisation needed)."""
    clauses = [Service.organisation_id.not_in(_unpublished_organisations())]
    words = search_services(filters.search) if filters.search else None
    if words is not None:
        clauses.append(words)
    if filters.taxonomy_term_id is not None:
        clauses.append(Service.id.in_(_services_with_term(filters.taxonomy_term_id)))
    if filters.taxonomy_id is not None:
        clauses.append(Service.id.in_(_services_in_taxonomy(filters.taxonomy_id)))
    clauses.extend(eligibility_and_hours(filters))
    return clauses


# --- Paging -------------------------------------------------------------------------------------


@dataclass
class Page:
    items: list
    total: int
    number: int
    per_page: int

    @property
    def total_pages(self):
        return math.ceil(self.total / self.per_page)

    @property
    def offset(self):
        return (self.number - 1) * self.per_page


def _filters_key(filters):
    """What a list's where-clauses are made from, for the keys of what is kept: the filters, with the postcode
    measured from named rather than its row. (Keys from the compiled statement cost more than the page.)"""
    origin = filters.origin
    return (
        *(getattr(filters, field.name) for field in fields(Filters) if field.name != "origin"),
        origin.postcode if origin is not None else None,
    )


def _count(count_query, key_args):
    """The query's count, kept under the versions of the data it reads (app/datacache.py) and `key_args`,
    which must name everything the query is made from: counting every public service at 100,000
    organisations takes far longer than the page of items (issue 16)."""
    key = datacache.cache_key("api count", directory_search.SEARCH_SCOPES, key_args)
    return datacache.get_or_make(key, lambda: db.session.scalar(count_query) or 0)


def _page(count_query, key_args, items_query, page, per_page):
    """One page of `items_query` (already ordered), counted with `count_query` (kept under `key_args`); past
    the end, no items."""
    result = Page(items=[], total=_count(count_query, key_args), number=page, per_page=per_page)
    if result.offset < result.total:
        # items_query: an ordered select, or a function of (limit, offset) giving the page's select.
        if callable(items_query):
            query = items_query(per_page, result.offset)
        else:
            query = items_query.limit(per_page).offset(result.offset)
        result.items = list(db.session.scalars(query).unique())
    return result


# --- Services -----------------------------------------------------------------------------------


def list_services(filters, page, per_page):
    clauses = _service_clauses(filters)
    # From the service rows (and their index) alone: a join would read the organisation row of every match.
    count = db.select(db.func.count(Service.id)).where(*clauses)

    def items(limit, offset):
        # The page's ids from the service rows, then those services with their organisations.
        page_ids = db.select(Service.id).where(*clauses).order_by(Service.id).limit(limit).offset(offset)
        return (
            db.select(Service)
            .join(Service.organisation)
            .where(Service.id.in_(page_ids))
            .options(contains_eager(Service.organisation))
            .order_by(Service.id)
        )

    return _page(count, ("services", *_filters_key(filters)), items, page, per_page)


def _service_detail_options():
    """Loader options, relative to a Service, for what a full HSDS service shows (not its places). A
    service area's ward boundary is not read (the API names wards only)."""
    return (
        selectinload(Service.schedules),
        selectinload(Service.closures),
        selectinload(Service.areas).options(defer(Ward.boundary_geojson)),
        selectinload(Service.terms).joinedload(TaxonomyTerm.taxonomy),
    )


def _location_detail_options():
    return (selectinload(Location.accessibility).joinedload(TaxonomyTerm.taxonomy),)


def public_services_after(last_id, batch_size=200):
    """The next `batch_size` published services after the id `last_id`, fully loaded (everything
    hsds.service_full shows), in id order: keyset paging, so the whole directory can be read a batch at a time."""
    return list(
        db.session.scalars(
            db.select(Service)
            .join(Service.organisation)
            .where(Organisation.published.is_(True), Service.id > last_id)
            .options(
                contains_eager(Service.organisation),
                *_service_detail_options(),
                selectinload(Service.service_at_locations)
                .joinedload(ServiceAtLocation.location)
                .options(*_location_detail_options()),
            )
            .order_by(Service.id)
            .limit(batch_size)
        ).unique()
    )


def iter_public_services(batch_size=200):
    """Every published service (see public_services_after); the session's identity map holds unchanged rows
    weakly, so a batch is freed once the caller has written it."""
    last_id = 0
    while batch := public_services_after(last_id, batch_size):
        last_id = batch[-1].id
        yield from batch


def public_service_at_locations(service):
    """The service's places that may be shown: never a confidential address, and only its own
    organisation's places (as in the service_at_locations list)."""
    return sorted(
        (
            sal
            for sal in service.service_at_locations
            if not sal.location.confidential and sal.location.organisation_id == service.organisation_id
        ),
        key=lambda sal: sal.id,
    )


# --- Services at locations ----------------------------------------------------------------------


def _service_at_location_select(*columns):
    return (
        db.select(*columns)
        .select_from(ServiceAtLocation)
        .join(ServiceAtLocation.service)
        .join(Service.organisation)
        .join(ServiceAtLocation.location)
    )


def _service_at_location_clauses(filters):
    clauses = [
        Organisation.published.is_(True),
        Location.confidential.is_(False),
        # A service is shown only at its own organisation's places, so an unpublished organisation's
        # location can never appear under someone else's service.
        Location.organisation_id == Service.organisation_id,
    ]
    words = search_services(filters.search) if filters.search else None
    if words is not None:
        clauses.append(words)
    # A term or taxonomy matches what the service offers or how accessible the place is.
    if filters.taxonomy_term_id is not None:
        clauses.append(
            db.or_(
                Service.id.in_(_services_with_term(filters.taxonomy_term_id)),
                Location.id.in_(_locations_with_term(filters.taxonomy_term_id)),
            )
        )
    if filters.taxonomy_id is not None:
        clauses.append(
            db.or_(
                Service.id.in_(_services_in_taxonomy(filters.taxonomy_id)),
                Location.id.in_(_locations_in_taxonomy(filters.taxonomy_id)),
            )
        )
    clauses.extend(eligibility_and_hours(filters))
    if filters.origin is not None:
        clauses.append(_serves_postcode(filters.origin))
    return clauses


def _serves_postcode(origin):
    """A service with service areas must serve the postcode's ward (ORUK: "If service_area is available,
    only return results where the postcode exists within the service_area")."""
    wards = [code for code in (origin.ward_code, origin.ward_code_2002) if code]
    # Uncorrelated subqueries: the database builds each list once, not once a row.
    with_areas = db.select(service_areas.c.service_id)
    serving = db.select(service_areas.c.service_id).where(service_areas.c.ward_code.in_(wards))
    return db.or_(Service.id.not_in(with_areas), Service.id.in_(serving))


def list_service_at_locations(filters, page, per_page):
    """A page of services at public locations. From a postcode, nearest first: within `proximity` metres
    when it is given (a latitude/longitude box in SQL, then the exact great-circle distance), otherwise
    all of them, ordered in SQL by a flat-earth distance (exact enough across a borough) with the places of
    unknown position last."""
    clauses = _service_at_location_clauses(filters)
    if filters.origin is not None and filters.proximity is not None:
        return _within(clauses, filters.origin, filters.proximity, page, per_page)
    order = [ServiceAtLocation.id]
    if filters.origin is not None:
        order = [_flat_distance(filters.origin), *order]
    ids = _ordered_ids(
        _service_at_location_select(ServiceAtLocation.id).where(*clauses).order_by(*order), _filters_key(filters)
    )
    result = Page(items=[], total=len(ids), number=page, per_page=per_page)
    result.items = _load_service_at_locations(ids[result.offset : result.offset + per_page], clauses)
    return result


def _ordered_ids(query, key_args):
    """The ids `query` selects, in its order, kept under the versions of the data it reads (app/datacache.py)
    and `key_args`, which must name everything the query is made from.

    Every public service at a public place must be joined and sorted before any page of them is known
    (PostgreSQL cannot tell how few rows `location.organisation_id = service.organisation_id` leaves, so it
    never walks the index in order): that costs far more than the page itself, so it is done once per
    version of the directory and each page is then a slice. Kept as a compact array (8 bytes an id)."""
    key = datacache.cache_key("api ordered ids", directory_search.SEARCH_SCOPES, key_args)
    return datacache.get_or_make(key, lambda: array("q", db.session.scalars(query)))


def _load_service_at_locations(page_ids, clauses):
    """The services at locations with these ids, in that order (the clauses again: never a row that is
    no longer public, whatever the list said), for hsds.service_at_location: plain rows of the one-to-one
    fields a list item shows (building models for a page of 50 cost more than reading them)."""
    if not len(page_ids):
        return []
    rows = db.session.execute(
        _service_at_location_select(
            ServiceAtLocation.id,
            ServiceAtLocation.uuid,
            *service_facts.SERVICE_AND_ORGANISATION,
            Location.uuid,
            Location.name,
            Location.lat,
            Location.lon,
        ).where(ServiceAtLocation.id.in_(list(page_ids)), *clauses)
    )
    width = len(service_facts.SERVICE_AND_ORGANISATION)
    loaded = {}
    for sal_id, sal_uuid, *values in rows:
        uuid, name, lat, lon = values[width:]
        location = SimpleNamespace(uuid=uuid, name=name, lat=lat, lon=lon)
        loaded[sal_id] = SimpleNamespace(
            uuid=sal_uuid, service=service_facts.service_of(values[:width]), location=location
        )
    return [loaded[sal_id] for sal_id in page_ids if sal_id in loaded]


def _flat_distance(origin):
    """For ORDER BY: grows with the distance from `origin` (equirectangular, squared, in square degrees);
    places of unknown position sort after every real one on both databases."""
    scale = math.cos(math.radians(origin.lat))
    north = Location.lat - origin.lat
    east = (Location.lon - origin.lon) * scale
    return db.func.coalesce(north * north + east * east, UNKNOWN_DISTANCE)


def _within(clauses, origin, proximity, page, per_page):
    south, north, west, east = bounding_box(origin.lat, origin.lon, proximity)
    rows = db.session.execute(
        _service_at_location_select(ServiceAtLocation.id, Location.lat, Location.lon).where(
            *clauses, Location.lat.between(south, north), Location.lon.between(west, east)
        )
    )
    ranked = sorted(
        (metres, sal_id)
        for sal_id, lat, lon in rows
        if (metres := metres_between(origin.lat, origin.lon, lat, lon)) <= proximity
    )
    result = Page(items=[], total=len(ranked), number=page, per_page=per_page)
    page_ids = [sal_id for _, sal_id in ranked[result.offset : result.offset + per_page]]
    result.items = _load_service_at_locations(page_ids, clauses)
    return result


def get_service_at_location(sal_id):
    sal_id = clean_id(sal_id)
    if not sal_id:
        return None
    return db.session.scalar(
        _service_at_location_select(ServiceAtLocation)
        .where(ServiceAtLocation.uuid == sal_id, *_service_at_location_clauses(Filters()))
        .options(
            contains_eager(ServiceAtLocation.service).options(
                contains_eager(Service.organisation), *_service_detail_options()
            ),
            contains_eager(ServiceAtLocation.location).options(*_location_detail_options()),
        )
    )


# --- Taxonomies ---------------------------------------------------------------------------------


def list_taxonomies(page, per_page):
    count = db.select(db.func.count(Taxonomy.id))
    items = db.select(Taxonomy).order_by(Taxonomy.name, Taxonomy.id)
    return _page(count, ("taxonomies",), items, page, per_page)


def get_taxonomy(taxonomy_id):
    taxonomy_id = clean_id(taxonomy_id)
    if not taxonomy_id:
        return None
    return db.session.scalar(
        db.select(Taxonomy).where(Taxonomy.uuid == taxonomy_id).options(selectinload(Taxonomy.terms))
    )


def list_taxonomy_terms(page, per_page, taxonomy_id=None):
    clauses = [] if taxonomy_id is None else [Taxonomy.uuid == taxonomy_id]
    count = db.select(db.func.count(TaxonomyTerm.id)).join(TaxonomyTerm.taxonomy).where(*clauses)
    items = (
        db.select(TaxonomyTerm)
        .join(TaxonomyTerm.taxonomy)
        .where(*clauses)
        .options(contains_eager(TaxonomyTerm.taxonomy))
        .order_by(Taxonomy.name, TaxonomyTerm.name, TaxonomyTerm.id)
    )
    return _page(count, ("taxonomy terms", taxonomy_id), items, page, per_page)


def get_taxonomy_term(term_id):
    term_id = clean_id(term_id)
    if not term_id:
        return None
    return db.session.scalar(
        db.select(TaxonomyTerm).where(TaxonomyTerm.uuid == term_id).options(joinedload(TaxonomyTerm.taxonomy))
    )


# --- Distance -----------------------------------------------------------------------------------


def metres_between(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat, lon, metres):
    """(south, north, west, east) in degrees around a point: every place within `metres` is inside it."""
    angle = metres / EARTH_RADIUS_METRES
    dlat = math.degrees(angle)
    ratio = math.sin(angle) / max(math.cos(math.radians(lat)), 1e-9)
    dlon = 180.0 if ratio >= 1 else math.degrees(math.asin(ratio))
    margin = 1.001  # rounding must never cut off a place right on the edge
    return lat - dlat * margin, lat + dlat * margin, lon - dlon * margin, lon + dlon * margin
