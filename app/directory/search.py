"""Public directory search: words (full text with ranking), category, ward, accessibility, open now, and
distance from a postcode. SQLite uses the FTS5 index built in the directory migration (bm25 ranking);
PostgreSQL its English full-text index (ts_rank). Only published, not inactive organisations are found, and
confidential addresses never count for wards or distances."""
import math
import re
from dataclasses import dataclass, field

from sqlalchemy import literal_column, table, text
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..places.services import lookup_postcode, normalise_postcode
from ..timeutil import to_london, utcnow
from .models import Location, Organisation, Schedule, Service, Taxonomy, TaxonomyTerm, location_accessibility, service_areas, service_terms

EARTH_RADIUS_MILES = 3958.8
PER_PAGE = 20
WORD_RE = re.compile(r"\w+", re.UNICODE)


class UnknownPostcode(ValueError):
    """The postcode is well formed but not one we know (not in the borough's postcode table)."""


@dataclass
class SearchQuery:
    words: str = ""
    category: str = ""  # a term key like "category/food"
    ward: str = ""
    accessibility: list = field(default_factory=list)
    open_now: bool = False
    postcode: str = ""
    distance_miles: float = 1.0
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class SearchResults:
    items: list  # (organisation, miles or None)
    total: int
    page: int
    per_page: int
    origin: object = None  # the Postcode searched from

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))


def miles_between(lat1, lon1, lat2, lon2):
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


def bounding_box(lat, lon, miles):
    dlat = miles / 69.0
    dlon = miles / (69.0 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _fts_match_expression(words):
    tokens = WORD_RE.findall(words.lower())[:12]
    # Each word quoted (so nothing in it is FTS syntax); the last may be the start of a word.
    return " ".join(f'"{token}"' for token in tokens[:-1]) + (f' "{tokens[-1]}"*' if tokens else "")


def word_filter(query_words):
    """How to match organisations by words on the database in use: (where-clause or None, order-by for the
    ranking, subquery to join on org_id or None). PostgreSQL filters with a clause; SQLite joins the FTS5
    match. Used by the directory search and the Open Referral API."""
    if db.engine.dialect.name == "postgresql":
        vector = db.func.to_tsvector(literal_column("'english'::regconfig"), Organisation.search_text)
        tsquery = db.func.websearch_to_tsquery(literal_column("'english'::regconfig"), query_words)
        return vector.op("@@")(tsquery), db.func.ts_rank(vector, tsquery).desc(), None
    match = _fts_match_expression(query_words)
    fts = (
        db.select(literal_column("rowid").label("org_id"), literal_column("bm25(organisation_fts)").label("rank"))
        .select_from(table("organisation_fts"))
        .where(text("organisation_fts MATCH :match").bindparams(match=match))
        .subquery()
    )
    return None, fts.c.rank.asc(), fts


def has_term(key):
    """Organisations with a service tagged with the term `key` (like "category/food")."""
    taxonomy_code, _, code = key.partition("/")
    return (
        db.exists()
        .where(Service.organisation_id == Organisation.id)
        .where(service_terms.c.service_id == Service.id)
        .where(service_terms.c.taxonomy_term_id == TaxonomyTerm.id)
        .where(TaxonomyTerm.code == code, TaxonomyTerm.taxonomy_id == Taxonomy.id, Taxonomy.code == taxonomy_code)
    )


def _filters(query):
    clauses = [Organisation.published.is_(True), Organisation.status != "inactive"]
    if query.category:
        clauses.append(has_term(query.category))
    if query.ward:
        in_ward = db.exists().where(
            Location.organisation_id == Organisation.id, Location.ward_code == query.ward, Location.confidential.is_(False)
        )
        serves_ward = db.exists().where(
            Service.organisation_id == Organisation.id,
            service_areas.c.service_id == Service.id,
            service_areas.c.ward_code == query.ward,
        )
        clauses.append(db.or_(in_ward, serves_ward))
    for key in query.accessibility:
        _, _, code = key.partition("/")
        clauses.append(
            db.exists()
            .where(Location.organisation_id == Organisation.id, Location.confidential.is_(False))
            .where(location_accessibility.c.location_id == Location.id)
            .where(location_accessibility.c.taxonomy_term_id == TaxonomyTerm.id)
            .where(TaxonomyTerm.code == code, TaxonomyTerm.taxonomy_id == Taxonomy.id, Taxonomy.code == "accessibility")
        )
    if query.open_now:
        now = to_london(utcnow())
        clauses.append(
            db.exists()
            .where(Service.organisation_id == Organisation.id, Schedule.service_id == Service.id)
            .where(Schedule.weekday == now.weekday(), Schedule.opens_at <= now.time(), Schedule.closes_at > now.time())
        )
    return clauses


def search(query):
    """Run a directory search; raises UnknownPostcode when the postcode cannot be placed."""
    clauses = _filters(query)
    words = (query.words or "").strip()
    word_clause = order = fts = None
    if words and WORD_RE.search(words):
        word_clause, order, fts = word_filter(words)
        if word_clause is not None:
            clauses.append(word_clause)

    base = db.select(Organisation.id)
    if fts is not None:
        base = base.join(fts, fts.c.org_id == Organisation.id)
    base = base.where(*clauses)

    origin = None
    if query.postcode:
        origin = lookup_postcode(query.postcode)
        if origin is None:
            raise UnknownPostcode(normalise_postcode(query.postcode) or query.postcode)
        ids, miles = _by_distance(base, origin, query.distance_miles)
        total = len(ids)
        start = (query.page - 1) * query.per_page
        page_ids = ids[start : start + query.per_page]
    else:
        total = db.session.scalar(db.select(db.func.count()).select_from(base.subquery()))
        ordered = base.order_by(order, Organisation.name) if order is not None else base.order_by(Organisation.name)
        page_ids = list(db.session.scalars(ordered.limit(query.per_page).offset((query.page - 1) * query.per_page)))
        miles = {}
    organisations = {
        org.id: org
        for org in db.session.scalars(
            db.select(Organisation)
            .where(Organisation.id.in_(page_ids))
            .options(
                selectinload(Organisation.services).selectinload(Service.terms).selectinload(TaxonomyTerm.taxonomy),
                selectinload(Organisation.locations),
            )
        )
    }
    items = [(organisations[i], miles.get(i)) for i in page_ids if i in organisations]
    return SearchResults(items=items, total=total, page=query.page, per_page=query.per_page, origin=origin)


def _by_distance(base, origin, radius):
    south, north, west, east = bounding_box(origin.lat, origin.lon, radius)
    rows = db.session.execute(
        db.select(Location.organisation_id, Location.lat, Location.lon).where(
            Location.organisation_id.in_(base.scalar_subquery()),
            Location.confidential.is_(False),
            Location.lat.between(south, north),
            Location.lon.between(west, east),
        )
    )
    nearest = {}
    for org_id, lat, lon in rows:
        miles = miles_between(origin.lat, origin.lon, lat, lon)
        if miles <= radius and miles < nearest.get(org_id, math.inf):
            nearest[org_id] = miles
    ids = sorted(nearest, key=lambda org_id: nearest[org_id])
    return ids, nearest


def describe_miles(miles):
    if miles is None:
        return ""
    if miles < 0.1:
        return "less than 0.1 miles away"
    return f"{miles:.1f} miles away"
