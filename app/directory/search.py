"""Public directory search: words (full text, ranked by field), category, ward, accessibility, open now, and
distance from a postcode. Only published, not inactive organisations are found, and confidential addresses
never count for wards or distances.

Words. The resident's words become groups of alternatives through the officers' vocabulary (vocabulary.py):
"youth club" also finds "young people". Every group must match; when nothing matches all of them, a
misspelt word is corrected from the directory's own words ("Did you mean"), and then any group may match,
with a note. Ranking weighs the name most, then services and categories, then all the text: SQLite's FTS5
bm25 with column weights (porter stemming), PostgreSQL's ts_rank over setweight vectors (English stemming).
When the vocabulary's other words find more than SEARCH_RANK_ALL_UP_TO listings (an everyday word such as
"food"), the listings with the words as typed come first and the rest are ranked a block at a time, so no page
ranks the whole directory (_tiered_page).

Places. A postcode search lists the services with an address nearby (nearest first), then those that help
people in the postcode's ward, anywhere in the borough, or online / by phone, each labelled ("Serves all of
Barnet"); listings with neither an address nor an area are counted and said, not dropped silently. A ward
search works the same way.

Kept searches. What ranking and counting a search produce (the page's ids, the count, "Did you mean") and the
facts its cards show are kept in each worker under the versions of the directory, the places and the
officers' vocabulary (app/datacache.py, SEARCH_SCOPES): a repeated search reads only the versions, and the
first search after an approval or a vocabulary edit is made afresh. Whether a result is open now is worked
out on every request, and a search filtered to what is open now is never kept.
"""

import math
import re
from dataclasses import dataclass, field, replace

from flask import current_app
from rapidfuzz.distance import OSA
from sqlalchemy import case, literal_column, table, text

from .. import datacache
from ..datacache import cached
from ..extensions import db
from ..places.models import WARD_SET_2022
from ..places.services import lookup_postcode, normalise_postcode, ward_facts, wards_in_set
from ..timeutil import to_london, utcnow
from . import card_facts, vocabulary
from . import services as directory_services  # a module: it imports this one (via names.py)
from .models import (
    Closure,
    Location,
    Organisation,
    Schedule,
    SearchWord,
    Service,
    Taxonomy,
    TaxonomyTerm,
    location_accessibility,
    service_areas,
    service_terms,
)

EARTH_RADIUS_MILES = 3958.8
PER_PAGE = 20
WORD_RE = re.compile(r"\w+", re.UNICODE)
# Column weights: name, services and categories, all the text.
FTS_WEIGHTS = (10.0, 4.0, 1.0)
# PostgreSQL: the weighted vector (name A, services and categories B, all the text C), stored in a generated
# column with a GIN index (migration perf_search_0002), so ranking never runs to_tsvector on a match.
PG_VECTOR_SQL = "organisation.search_vector"
# How each result is placed, in the order a place search lists them.
NEARBY, IN_WARD, SERVES_WARD, SERVES_BOROUGH, REMOTE = "nearby", "in-ward", "serves-ward", "serves-borough", "remote"


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
class Result:
    """One search result, with the facts a result card shows.

    organisation: what its card shows (card_facts.CardOrganisation: the Organisation's public facts, with its
        services' areas, hours and categories, and its public addresses);
    miles: distance from the searched postcode to its nearest public address, or None;
    place: how it relates to the place searched: NEARBY, IN_WARD, SERVES_WARD, SERVES_BOROUGH, REMOTE or None;
    serves: the label for where it helps people ("Serves all of Barnet", "Serves West Hendon ward",
            "Online or by phone"), or None when it is found at an address only;
    open_now: True / False by its opening hours now, None when it gives no hours.
    Unpacks as (organisation, miles), as results did before."""

    organisation: card_facts.CardOrganisation
    miles: float | None = None
    place: str | None = None
    serves: str | None = None
    open_now: bool | None = None

    def __iter__(self):
        return iter((self.organisation, self.miles))


@dataclass
class SearchResults:
    items: list  # of Result
    total: int
    page: int
    per_page: int
    origin: object = None  # the Postcode searched from
    words: str = ""  # the words searched, as typed
    corrected: str | None = None  # "Did you mean": the words with spelling corrected, when they were used
    any_words: bool = False  # nothing matched all the words, so these match any of them
    also_searched: list = field(default_factory=list)  # vocabulary terms searched besides the words typed
    unplaced: int = 0  # matches left out of a place search for having neither an address nor an area
    nearby: int = 0  # in a postcode search, how many of `total` have an address within the distance
    ward_name: str | None = None
    place_in_words: str = ""  # the words as typed, when they named the ward or postcode searched (place_in_words)
    more: bool = False  # `total` is a lower bound: there are more than that many (counting stopped there)
    kept: bool = False  # the ranking and counting were kept from an earlier search (app/datacache.py)

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))


@dataclass
class _Found:
    """What ranking and counting a search produce, without the cards: kept per version of the data it reads
    (the directory, the places, the vocabulary), so a repeated search ranks and counts nothing."""

    ids: list = field(default_factory=list)  # the page's organisation ids, in order
    miles: dict = field(default_factory=dict)  # {id: miles from the postcode} for those with an address nearby
    total: int = 0
    more: bool = False
    nearby: int = 0
    unplaced: int = 0
    corrected: str | None = None
    any_words: bool = False
    also_searched: list = field(default_factory=list)


# What a search's results depend on besides the query: listings and the words table, wards and postcodes, and
# the officers' vocabulary. "Open now" depends on the clock too: those searches are never kept.
SEARCH_SCOPES = ("directory", "places", "vocabulary")


# Words that lead into a place: "youth club in Hendon", "food bank near West Hendon".
_PLACE_LEAD_INS = frozenset(["in", "near", "around", "at", "nearby", "by"])


@dataclass(frozen=True)
class PlaceInWords:
    words: str  # the other words, without the place and the word leading into it
    ward_code: str = ""
    ward_name: str = ""
    postcode: str = ""  # a postcode we can place, as normalise_postcode writes it


def place_in_words(words):
    """The place a resident's words name, or None: a postcode we can place ("food bank NW4 4BG"), else a
    current ward's whole name, the longest where names overlap ("youth clubs in West Hendon": "youth clubs" in
    West Hendon, not Hendon). A place is searched as a place, not as words no listing uses of itself."""
    typed = vocabulary.tokens(words)[: vocabulary.MAX_WORDS]

    def without(start, size, **place):
        before = typed[:start]
        while before and before[-1] in _PLACE_LEAD_INS:
            before.pop()
        rest = before + typed[start + size :]
        if all(word in vocabulary.STOP_WORDS for word in rest):
            rest = []  # "help near Edgware": everything in Edgware
        return PlaceInWords(" ".join(rest), **place)

    for start in range(len(typed)):
        for size in (2, 1):  # "nw4 4bg" as typed, or "nw44bg"
            candidate = start + size <= len(typed) and normalise_postcode("".join(typed[start : start + size]))
            if candidate and lookup_postcode(candidate) is not None:
                return without(start, size, postcode=candidate)
    names = {tuple(vocabulary.tokens(ward.name)): ward for ward in wards_in_set(WARD_SET_2022)}
    longest = max((len(name) for name in names), default=0)
    for start in range(len(typed)):
        for size in range(min(longest, len(typed) - start), 0, -1):
            ward = names.get(tuple(typed[start : start + size]))
            if ward is not None:
                return without(start, size, ward_code=ward.code, ward_name=ward.name)
    return None


def search_naming_a_place(query):
    """search(query), but a place its words name is searched as that place (place_in_words) when the query
    has no ward or postcode of its own and the place has something that matches; otherwise the words as
    typed, so a listing named after a place it is not in is still found. (results, PlaceInWords or None)."""
    place = place_in_words(query.words) if query.words and not query.ward and not query.postcode else None
    if place:
        results = search(replace(query, words=place.words, ward=place.ward_code, postcode=place.postcode))
        if results.total:
            results.place_in_words = query.words
            return results, place
    return search(query), None


def borough_name():
    return current_app.config["COUNCIL_NAME"].replace("London Borough of ", "")


def bounding_box(lat, lon, miles):
    dlat = miles / 69.0
    dlon = miles / (69.0 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


# --- Words ---------------------------------------------------------------------------------------


def fts_expression(groups, any_words=False):
    """An FTS5 query: each group an OR of its alternatives, each alternative a quoted phrase (tokens are
    letters and digits only, vocabulary.TOKEN_RE, so nothing in them is FTS syntax). Whole words only: a
    prefix match on a stemmed word finds too much ("volunteering" would find "voluntary"); misspelt or
    unfinished words are left to the spelling correction."""
    parts = ["(" + " OR ".join(f'"{" ".join(alt)}"' for alt in alternatives) + ")" for _typed, alternatives in groups]
    return (" OR " if any_words else " AND ").join(parts)


def tsquery_expression(groups, any_words=False):
    """The same as a PostgreSQL tsquery: alternatives with |, phrases with <->."""
    parts = [
        "(" + " | ".join("(" + " <-> ".join(alt) + ")" for alt in alternatives) + ")" for _typed, alternatives in groups
    ]
    return (" | " if any_words else " & ").join(parts)


def _groups_filter(groups, any_words=False):
    """The organisations matching the word groups: (subquery of org_id and rank, order-by for relevance, best
    first, subquery of org_id alone). SQLite reads the FTS5 index alone (bm25 with column weights), never
    the organisation rows; PostgreSQL uses the GIN-indexed vector and ts_rank over it. Counting and testing
    ids use the subquery without the rank, so nothing is ranked that is not listed."""
    if db.engine.dialect.name == "postgresql":
        return _expression_filter(tsquery_expression(groups, any_words))
    return _expression_filter(fts_expression(groups, any_words))


def _expression_filter(expression):
    """_groups_filter for a query already written for the database in use (FTS5 query or tsquery)."""
    if db.engine.dialect.name == "postgresql":
        vector = literal_column(PG_VECTOR_SQL)
        tsquery = db.func.to_tsquery(literal_column("'english'::regconfig"), expression)
        ranked = db.select(Organisation.id.label("org_id"), db.func.ts_rank(vector, tsquery).label("rank"))
        ids = db.select(Organisation.id.label("org_id"))
        ranked, ids = (q.where(vector.op("@@")(tsquery)).subquery() for q in (ranked, ids))
        return ranked, ranked.c.rank.desc(), ids
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    # "+rowid": the id as a value, not the table's key, so SQLite never tries to look the id filters up in
    # the FTS table instead of matching (which FTS5 refuses: "unable to use function MATCH").
    org_id = literal_column("+rowid").label("org_id")
    match = text("organisation_fts MATCH :match").bindparams(match=expression)
    ranked = db.select(org_id, literal_column(f"bm25(organisation_fts, {weights})").label("rank"))
    ids = db.select(org_id)
    ranked, ids = (q.select_from(table("organisation_fts")).where(match).subquery() for q in (ranked, ids))
    return ranked, ranked.c.rank.asc(), ids


def _tiers(groups, any_words=False):
    """(the words as typed, the vocabulary's other words only) as database queries, or None when the
    vocabulary added no other words. Every listing the search finds is in exactly one of the two."""
    if all(len(alternatives) == 1 for _typed, alternatives in groups):
        return None
    typed = [(words, alternatives[:1]) for words, alternatives in groups]
    if db.engine.dialect.name == "postgresql":
        full, own = tsquery_expression(groups, any_words), tsquery_expression(typed, any_words)
        return own, f"({full}) & !({own})"
    full, own = fts_expression(groups, any_words), fts_expression(typed, any_words)
    return own, f"({full}) NOT ({own})"


def word_filter(query_words, any_words=False):
    """How to match organisations by words on the database in use: (None, order-by for the ranking,
    subquery of org_id and rank to join or test ids against). Used by the directory search and the Open
    Referral API; the vocabulary's synonyms apply. Words with nothing searchable in them (single letters,
    punctuation) filter nothing: (None, None, None)."""
    groups = vocabulary.groups_for(query_words)
    if not groups:
        return None, None, None
    _ranked, order, ids = _groups_filter(groups, any_words)
    return None, order, ids


# --- Filters -----------------------------------------------------------------------------------------


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


# Every filter is a test of the organisation id against an uncorrelated IN (subquery): the database builds each
# list once a query (from an index), and a word search never has to read the organisation rows of its matches.


def hidden_organisations():
    """Ids of the organisations no public search shows (unpublished or inactive): a short list read from the
    partial index ix_organisation_hidden (the same expression, so the database can use it)."""
    return db.select(Organisation.id).where(HIDDEN)


HIDDEN = db.not_(db.and_(Organisation.published.is_(True), Organisation.status != literal_column("'inactive'")))


def _with_term(key):
    taxonomy_code, _, code = key.partition("/")
    return (
        db.select(Service.organisation_id)
        .join(service_terms, service_terms.c.service_id == Service.id)
        .join(TaxonomyTerm, TaxonomyTerm.id == service_terms.c.taxonomy_term_id)
        .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(TaxonomyTerm.code == code, Taxonomy.code == taxonomy_code)
    )


def _located_in_ward(ward_code):
    return db.select(Location.organisation_id).where(Location.ward_code == ward_code, Location.confidential.is_(False))


def _serves_ward(ward_codes):
    return (
        db.select(Service.organisation_id)
        .join(service_areas, service_areas.c.service_id == Service.id)
        .where(Service.area_scope == "wards", service_areas.c.ward_code.in_(ward_codes))
    )


def _has_scope(*scopes):
    return db.select(Service.organisation_id).where(Service.area_scope.in_(scopes))


def _with_access(key):
    _, _, code = key.partition("/")
    return (
        db.select(Location.organisation_id)
        .join(location_accessibility, location_accessibility.c.location_id == Location.id)
        .join(TaxonomyTerm, TaxonomyTerm.id == location_accessibility.c.taxonomy_term_id)
        .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(Location.confidential.is_(False), TaxonomyTerm.code == code, Taxonomy.code == "accessibility")
    )


def _open_now():
    now = to_london(utcnow())
    return (
        db.select(Service.organisation_id)
        .join(Schedule, Schedule.service_id == Service.id)
        .where(Schedule.weekday == now.weekday(), Schedule.opens_at <= now.time(), Schedule.closes_at > now.time())
        .where(
            # A holiday closure today closes the service whatever its weekly times say.
            ~db.exists().where(
                Closure.service_id == Service.id, Closure.starts_on <= now.date(), Closure.ends_on >= now.date()
            )
        )
    )


def _filters(query, org_id):
    """Where-clauses on `org_id` (the column holding an organisation id) for the query's filters."""
    clauses = [org_id.not_in(hidden_organisations())]
    if query.category:
        clauses.append(org_id.in_(_with_term(query.category)))
    if query.ward:
        clauses.append(
            db.or_(
                org_id.in_(_located_in_ward(query.ward)),
                org_id.in_(_serves_ward([query.ward])),
                org_id.in_(_has_scope("borough", "remote")),
            )
        )
    for key in query.accessibility:
        clauses.append(org_id.in_(_with_access(key)))
    if query.open_now:
        clauses.append(org_id.in_(_open_now()))
    return clauses


@dataclass
class _Matches:
    """The organisations a search looks at: `ranked` (a subquery of org_id and, for words, rank) to list a
    page from, `ids` (of org_id alone) to count or test against, the where-clauses on org_id for the filters
    (`clauses(org_id)`), and the order for relevance (the rank, then the id for words; the name without)."""

    ranked: object
    ids: object
    clauses: object
    relevance: list
    words: bool = True  # False: no words, every organisation matches

    def listing(self):
        return db.select(self.ranked.c.org_id).where(*self.clauses(self.ranked.c.org_id))

    def select(self, *columns):
        """Columns (default: the id) over the matches, for counts and lists of ids."""
        return (
            db.select(*(columns or (self.ids.c.org_id,))).select_from(self.ids).where(*self.clauses(self.ids.c.org_id))
        )


def _matches(query, word_match):
    def clauses(org_id):
        return _filters(query, org_id)

    if word_match is None:
        ranked = db.select(Organisation.id.label("org_id"), Organisation.name.label("name")).subquery()
        return _Matches(ranked, ranked, clauses, [ranked.c.name, ranked.c.org_id], words=False)
    ranked, order, ids = word_match
    return _Matches(ranked, ids, clauses, [order, ranked.c.org_id])


# --- Spelling -------------------------------------------------------------------------------------------


def _known(words):
    if not words:
        return set()
    return set(
        db.session.scalars(db.select(SearchWord.word).where(SearchWord.word.in_(words), SearchWord.documents > 0))
    )


def closest_word(word, also=()):
    """The directory's word nearest in spelling (an index range on the first letter and length, then edit
    distance counting a swap of two letters as one slip), preferring words more listings use; None if nothing
    is close. Short words allow one slip, long ones two."""
    if len(word) < 3 or not word.isalpha():
        return None
    limit = 1 if len(word) <= 7 else 2
    first = word[0]
    candidates = db.session.execute(
        db.select(SearchWord.word, SearchWord.documents)
        .where(SearchWord.word.not_in(vocabulary.STOP_WORDS))
        .where(SearchWord.word >= first, SearchWord.word < first + "\U0010ffff", SearchWord.documents > 0)
        .where(db.func.length(SearchWord.word).between(len(word) - limit, len(word) + limit))
        .limit(5000)
    ).all()
    best = None
    extra = [(w, 0) for w in also if w[:1] == first and abs(len(w) - len(word)) <= limit]
    for candidate, documents in [*candidates, *extra]:
        distance = OSA.distance(word, candidate, score_cutoff=limit)
        if distance <= limit:
            key = (distance, -documents, candidate)
            if best is None or key < best[0]:
                best = (key, candidate)
    return best[1] if best else None


def corrected_words(words):
    """The words with each one the directory does not use (nor the vocabulary knows) replaced by its closest
    directory word; None when nothing needed correcting."""
    typed = vocabulary.tokens(words)[: vocabulary.MAX_WORDS]
    index, _ = vocabulary._index()
    vocabulary_words = {w for key in index for w in key}
    unknown = [t for t in typed if t not in vocabulary.STOP_WORDS and vocabulary.normal_word(t) not in vocabulary_words]
    known = _known(set(unknown))
    changed, out = False, []
    for token in typed:
        if token in unknown and token not in known:
            # The directory's own words, and the vocabulary's (which lead to them).
            better = closest_word(token, also=vocabulary_words - vocabulary.STOP_WORDS)
            if better and better != token:
                out.append(better)
                changed = True
                continue
        out.append(token)
    return " ".join(out) if changed else None


# --- Search -----------------------------------------------------------------------------------------


def search(query):
    """Run a directory search; raises UnknownPostcode when the postcode cannot be placed."""
    words = (query.words or "").strip()
    results = SearchResults(items=[], total=0, page=query.page, per_page=query.per_page, words=words)

    origin = None
    if query.postcode:
        origin = lookup_postcode(query.postcode)
        if origin is None:
            raise UnknownPostcode(normalise_postcode(query.postcode) or query.postcode)
        results.origin = origin
    if query.ward:
        ward = ward_facts(query.ward)
        results.ward_name = ward.name if ward else None

    if query.open_now:
        found, results.kept = _find(query, words, origin), False
    else:
        made = []

        def make():
            made.append(True)
            return _find(query, words, origin)

        key = datacache.cache_key("directory search", SEARCH_SCOPES, _key_of(query))
        found = datacache.get_or_make(key, make, store="searches")
        results.kept = not made
    results.total, results.more = found.total, found.more
    results.nearby, results.unplaced = found.nearby, found.unplaced
    results.corrected, results.any_words = found.corrected, found.any_words
    results.also_searched = list(found.also_searched)
    # Whether each result is open now depends on the clock: worked out on every request (_results).
    if origin is not None:
        wards = [code for code in (origin.ward_code, getattr(origin, "ward_code_2002", None)) if code]
        results.items = _results(found.ids, found.miles, ward_codes=wards)
    elif query.ward:
        results.items = _results(found.ids, found.miles, ward_codes=[query.ward], located_ward=query.ward)
    else:
        results.items = _results(found.ids, found.miles)
    return results


def _key_of(query):
    """The query as what its results depend on: the words as the search reads them (vocabulary.tokens)."""
    return (
        tuple(vocabulary.tokens(query.words)[: vocabulary.MAX_WORDS]),
        query.category,
        query.ward,
        tuple(sorted(set(query.accessibility))),
        query.postcode,
        query.distance_miles if query.postcode else None,
        query.page,
        query.per_page,
    )


def _find(query, words, origin):
    """Rank and count a search (_Found): the words, then their spelling corrected, then any of them."""
    found = _Found()
    groups = vocabulary.groups_for(words) if words and vocabulary.tokens(words) else []
    if not groups:
        _run(query, None, origin, found)
        return found

    found.also_searched = [" ".join(alt) for _typed, alts in groups for alt in alts[1:]]
    _run(query, _groups_filter(groups), origin, found, _tiers(groups))
    if found.total:
        return found
    # Nothing has all the words: first try the words spelt as the directory spells them.
    better = corrected_words(words)
    if better:
        better_groups = vocabulary.groups_for(better)
        _run(query, _groups_filter(better_groups), origin, found, _tiers(better_groups))
        if found.total:
            found.corrected = better
            found.also_searched = [" ".join(alt) for _typed, alts in better_groups for alt in alts[1:]]
            return found
        groups = better_groups
        found.corrected = better
    # Then any of the words, with a note; but not a word most listings use on its own.
    telling = _telling_groups(groups) if len(groups) > 1 else []
    if telling:
        _run(query, _groups_filter(telling, any_words=True), origin, found, _tiers(telling, any_words=True))
        found.any_words = found.total > 0
    if not found.total:
        found.corrected = None
    return found


# Fewer public listings than this, and no word can be told to be everyday (in a directory of three, each word
# of a listing is in a third of it).
EVERYDAY_FROM = 20


def _telling_groups(groups):
    """The groups an any-words search may use: all but a word typed alone (no vocabulary alternatives) that
    more than half of the public listings use. Found alone, "group" in "toddler group" would list most of the
    directory as matching some of the words."""
    singles = {typed: vocabulary.normal_word(typed) for typed, alternatives in groups if len(alternatives) == 1}
    singles = {typed: folded for typed, folded in singles.items() if " " not in typed}
    if not singles:
        return groups
    documents = dict(
        db.session.execute(
            db.select(SearchWord.word, SearchWord.documents).where(SearchWord.word.in_({*singles, *singles.values()}))
        ).all()
    )
    listings = directory_services.published_organisation_count()  # the listings a search can find
    if listings < EVERYDAY_FROM:
        return groups

    def everyday(typed):
        used_by = max(documents.get(typed, 0), documents.get(singles[typed], 0))
        return used_by * 2 > listings

    return [group for group in groups if not (group[0] in singles and everyday(group[0]))]


def _run(query, word_match, origin, results, tiers=None):
    """One search of the matches (word_match: from _groups_filter, or None for no words) into `results` (_Found);
    `tiers` (from _tiers) lets a search whose other words find a great many listings rank only the page."""
    matches = _matches(query, word_match)
    if origin is not None:
        _run_from_postcode(query, matches, origin, results)
        return
    start = (query.page - 1) * query.per_page
    total = None
    if tiers is not None and not query.ward:
        # An everyday word can find most of the directory: count no further than needed to choose how to rank
        # and to offer the next page ("More than 1,000 results"). PostgreSQL reads a row for every match it
        # counts, so counting 12,000 took longer than ranking a page.
        cap = current_app.config["SEARCH_RANK_ALL_UP_TO"]
        enough = max(cap, (query.page + 1) * query.per_page)
        counted = db.session.scalar(
            db.select(db.func.count()).select_from(matches.select().limit(enough + 1).subquery())
        )
        if counted > cap:
            results.total, results.more = min(counted, enough), counted > enough
            results.ids, results.miles = _tiered_page(query, tiers, None if results.more else counted), {}
            return
        total = counted
    order = list(matches.relevance)
    if query.ward:
        org_id = matches.ranked.c.org_id
        place_rank = case(
            (org_id.in_(_located_in_ward(query.ward)), 0),
            (org_id.in_(_serves_ward([query.ward])), 1),
            (org_id.in_(_has_scope("borough")), 2),
            else_=3,
        )
        order.insert(0, place_rank)
    listing = matches.listing().order_by(*order).limit(query.per_page).offset(start)
    # PostgreSQL reads every match's row to rank it: it counts them in the same pass. SQLite counts from the
    # FTS index alone, which costs less than a window over the ranked rows.
    counted = db.engine.dialect.name == "postgresql" and total is None
    if counted:
        listing = listing.add_columns(db.func.count().over())
    rows = db.session.execute(listing).all()
    page_ids = [row[0] for row in rows]
    if total is not None:
        results.total = total
    elif counted and rows:
        results.total = rows[0][1]
    elif len(page_ids) < query.per_page and (page_ids or query.page == 1):
        results.total = start + len(page_ids)  # the last page (or none at all): no need to count
    else:
        results.total = db.session.scalar(matches.select(db.func.count()))
    results.ids, results.miles = page_ids, {}


def _tiered_page(query, tiers, total):
    """The ids of one page of a search whose vocabulary found more than SEARCH_RANK_ALL_UP_TO listings (`total`
    of them, or None when counting stopped short): first the listings with the words as typed, ranked (as many
    as a bare search for those words ranks), then those found only by the other words, ranked within blocks of
    SEARCH_RANK_BLOCK listings, newest block first.
    Each block is found by id from the index and only the block is ranked, so a page costs about the same
    however many listings an everyday word finds."""
    own_expression, others_expression = tiers
    own = _matches(query, _expression_filter(own_expression))
    start, wanted = (query.page - 1) * query.per_page, query.per_page
    own_listing = own.listing().order_by(*own.relevance).limit(wanted)
    if start == 0:
        # The first page: a short page of the words as typed is all of them, so no count is needed.
        page_ids = list(db.session.scalars(own_listing))
        if len(page_ids) == wanted:
            return page_ids
        own_total = len(page_ids)
    else:
        own_total = db.session.scalar(own.select(db.func.count()))
        page_ids = list(db.session.scalars(own_listing.offset(start))) if start < own_total else []
    block = max(1, current_app.config["SEARCH_RANK_BLOCK"])
    offset = max(0, start - own_total)
    while len(page_ids) < wanted and (total is None or offset < total - own_total):
        number, within = divmod(offset, block)
        found = _ranked_block(others_expression, query, block, number, within, wanted - len(page_ids))
        if found is None:
            break
        page_ids += found
        offset = (number + 1) * block
    return page_ids


def _ranked_block(expression, query, block, number, within, limit):
    """Ids `within` to `within + limit` of block `number` (blocks of `block` matches of `expression` by id,
    newest first, after the query's filters), ranked; None past the last block. The block's ids are read
    from the index in id order, which stops after the block, and only the block is ranked."""
    if db.engine.dialect.name == "postgresql":
        org_id = Organisation.id
        vector = literal_column(PG_VECTOR_SQL)
        tsquery = db.func.to_tsquery(literal_column("'english'::regconfig"), expression)
        match = vector.op("@@")(tsquery)
        by_id, rank = org_id.desc(), db.func.ts_rank(vector, tsquery).desc()
        source = db.select(org_id)
    else:
        # The id as a value for the filters (see _expression_filter), the table's own rowid for order and range,
        # which FTS5 answers from its index.
        org_id, rowid = literal_column("+rowid"), literal_column("rowid")
        match = text("organisation_fts MATCH :match").bindparams(match=expression)
        by_id = rowid.desc()
        rank = literal_column(f"bm25(organisation_fts, {', '.join(str(w) for w in FTS_WEIGHTS)})")
        source = db.select(org_id).select_from(table("organisation_fts"))
    where = [match, *_filters(query, org_id)]
    ids = list(db.session.scalars(source.where(*where).order_by(by_id).limit(block).offset(number * block)))
    if not ids:
        return None
    in_block = (org_id if db.engine.dialect.name == "postgresql" else rowid).between(min(ids), max(ids))
    return list(db.session.scalars(source.where(*where, in_block).order_by(rank, org_id).limit(limit).offset(within)))


def _run_from_postcode(query, matches, origin, results):
    """Nearby addresses (nearest first), then services for the postcode's ward, the whole borough, and online or
    by phone (each by relevance), as one list; the matches with neither are counted as unplaced.

    Three statements whatever the size of the directory: one page of the nearby addresses with their count (a
    bounding box on the position index, then the circle, measured and sorted by the database), one page of the
    others (those without a nearby address), and the counts."""
    start = (query.page - 1) * query.per_page
    page_ids, miles, nearby = _nearest(matches, origin, query.distance_miles, start, query.per_page)
    wards = [code for code in (origin.ward_code, getattr(origin, "ward_code_2002", None)) if code]

    def area_serving(org_id):
        return db.and_(
            db.or_(org_id.in_(_serves_ward(wards)), org_id.in_(_has_scope("borough", "remote"))),
            org_id.not_in(_near_locations(origin, query.distance_miles)),
        )

    if len(page_ids) < query.per_page:
        org_id = matches.ranked.c.org_id
        segment = case((org_id.in_(_serves_ward(wards)), 1), (org_id.in_(_has_scope("borough")), 2), else_=3)
        others = matches.listing().where(area_serving(org_id))
        if not matches.words:
            # The same test as one list of ids, which the database can look the organisations up by, instead of
            # reading every organisation in the directory.
            others = others.where(org_id.in_(db.union(_serves_ward(wards), _has_scope("borough", "remote"))))
        page_ids += db.session.scalars(
            others.order_by(segment, *matches.relevance)
            .limit(query.per_page - len(page_ids))
            .offset(max(0, start - nearby))
        )
    if matches.words:
        org_id = matches.ids.c.org_id
        unplaced = org_id.in_(db.select(Organisation.id).where(Organisation.placed.is_(False)))
        areas, results.unplaced = db.session.execute(
            matches.select(db.func.count().filter(area_serving(org_id)), db.func.count().filter(unplaced))
        ).one()
    else:
        # No words: every organisation matches, so count from the lists of those serving the area and of the
        # unplaced (both read from indexes) rather than testing every organisation in the directory.
        serving = db.union(_serves_ward(wards), _has_scope("borough", "remote")).subquery()
        serving_id = serving.c[0]
        near = _near_locations(origin, query.distance_miles)
        areas_count = (
            db.select(db.func.count())
            .select_from(serving)
            .where(serving_id.not_in(near), *matches.clauses(serving_id))
            .scalar_subquery()
        )
        unplaced_count = (
            db.select(db.func.count(Organisation.id))
            .where(Organisation.placed.is_(False), *matches.clauses(Organisation.id))
            .scalar_subquery()
        )
        areas, results.unplaced = db.session.execute(db.select(areas_count, unplaced_count)).one()
    results.total, results.nearby = nearby + areas, nearby
    results.ids, results.miles = page_ids, miles


def _flat_distance(origin):
    """The squared distance of a Location from the origin in degrees of latitude, on a flat projection (at a few
    miles it differs from the great-circle distance by far less than a metre), and miles in one degree."""
    across = math.cos(math.radians(origin.lat))
    dlat, dlon = Location.lat - origin.lat, (Location.lon - origin.lon) * across
    return dlat * dlat + dlon * dlon, EARTH_RADIUS_MILES * math.pi / 180


def _circle(origin, radius):
    """Where-clauses on Location for a public position within `radius` miles of the origin: the bounding box
    (which the position index answers), then the circle."""
    south, north, west, east = bounding_box(origin.lat, origin.lon, radius)
    squared, degree = _flat_distance(origin)
    return (
        Location.confidential.is_(False),
        Location.lat.between(south, north),
        Location.lon.between(west, east),
        squared <= (radius / degree) ** 2,
    )


def _near_locations(origin, radius):
    return db.select(Location.organisation_id).where(*_circle(origin, radius))


def _nearest(matches, origin, radius, start, limit):
    """(ids, {id: miles}, how many in all) of the matches with a public address within `radius` miles, nearest
    first, from `start`, at most `limit`: the database measures, sorts and counts them, and sends one page."""
    squared, degree = _flat_distance(origin)
    # SQLite: "+" makes the organisation a value, not a key, so the circle is read from the position index
    # rather than each matching organisation's addresses looked up one by one.
    owner = (
        Location.organisation_id
        if db.engine.dialect.name == "postgresql"
        else literal_column("+location.organisation_id")
    )
    # Without words every organisation matches: test the filters on the address's organisation directly.
    in_matches = [owner.in_(matches.select())] if matches.words else matches.clauses(owner)
    nearest = (
        db.select(Location.organisation_id.label("org_id"), db.func.min(squared).label("squared"))
        .where(*_circle(origin, radius), *in_matches)
        .group_by(Location.organisation_id)
        .subquery()
    )
    rows = db.session.execute(
        db.select(nearest.c.org_id, nearest.c.squared, db.func.count().over())
        .order_by(nearest.c.squared, nearest.c.org_id)
        .limit(limit)
        .offset(start)
    ).all()
    if rows:
        total = rows[0][2]
    elif start == 0:
        total = 0
    else:  # a page past the nearby ones: count them
        total = db.session.scalar(db.select(db.func.count()).select_from(nearest))
    return [row[0] for row in rows], {row[0]: math.sqrt(max(row[1], 0.0)) * degree for row in rows}, total


def _results(page_ids, miles, ward_codes=(), located_ward=None):
    if not page_ids:
        return []
    now = to_london(utcnow())
    # What the cards show, as plain rows (card_facts.py): building ORM objects for a page of results cost more
    # than finding them. Kept per version of the directory and the wards, like the search (never changed
    # once read); whether each is open now is worked out below, on every request.
    key = datacache.cache_key("card facts", ("directory", "places"), (tuple(page_ids), now.date()))
    organisations = datacache.get_or_make(key, lambda: card_facts.load(page_ids, now.date()), store="searches")
    items = []
    for org_id in page_ids:
        org = organisations.get(org_id)
        if org is None:
            continue
        place, serves = place_of(org, ward_codes, located_ward)
        if org_id in miles:
            place = NEARBY
        items.append(
            Result(organisation=org, miles=miles.get(org_id), place=place, serves=serves, open_now=open_now(org, now))
        )
    return items


def place_of(organisation, ward_codes=(), located_ward=None):
    """(place, label) for where an organisation helps people, seen from the ward(s) searched (if any)."""
    services = organisation.services
    if located_ward and any(loc.ward_code == located_ward and not loc.confidential for loc in organisation.locations):
        place = IN_WARD
    else:
        place = None
    wanted = set(ward_codes)
    for service in services:
        if service.area_scope == "wards" and wanted:
            served = [ward for ward in service.areas if ward.code in wanted]
            if served:
                return place or SERVES_WARD, f"Serves {served[0].name} ward"
    if any(s.area_scope == "borough" for s in services):
        return place or SERVES_BOROUGH, f"Serves all of {borough_name()}"
    ward_names = sorted({ward.name for s in services if s.area_scope == "wards" for ward in s.areas})
    if ward_names:
        return place, serves_wards_label(ward_names)
    if any(s.area_scope == "remote" for s in services):
        return place or REMOTE, "Online or by phone"
    return place, None


def serves_wards_label(names):
    if len(names) == 1:
        return f"Serves {names[0]} ward"
    if len(names) <= 3:
        return f"Serves {', '.join(names[:-1])} and {names[-1]} wards"
    return f"Serves {len(names)} wards"


def open_now(organisation, now=None):
    """True or False by the services' opening hours in London now; None when no hours are given."""
    now = now or to_london(utcnow())
    schedules = [s for service in organisation.services for s in service.schedules]
    if not schedules:
        return None
    closed = {c.service_id for service in organisation.services for c in service.closures if c.covers(now.date())}
    return any(
        s.weekday == now.weekday() and s.opens_at <= now.time() < s.closes_at and s.service_id not in closed
        for s in schedules
    )


def serving_ward(ward_code, category="", limit=50):
    """Results for organisations without a point in a ward that help people there (the ward's own services,
    then borough-wide, then online or by phone), labelled: for a ward's map or page beside its points."""
    org_id = Organisation.id
    clauses = [org_id.not_in(hidden_organisations())]
    if category:
        clauses.append(org_id.in_(_with_term(category)))
    rank = case((org_id.in_(_serves_ward([ward_code])), 1), (org_id.in_(_has_scope("borough")), 2), else_=3)
    ids = list(
        db.session.scalars(
            db.select(org_id)
            .where(
                *clauses,
                org_id.not_in(_located_in_ward(ward_code)),
                db.or_(org_id.in_(_serves_ward([ward_code])), org_id.in_(_has_scope("borough", "remote"))),
            )
            .order_by(rank, Organisation.name)
            .limit(limit)
        )
    )
    return _results(ids, {}, ward_codes=[ward_code])


@dataclass(frozen=True)
class ListingLink:
    name: str
    slug: str


@cached("borough-wide examples", ("directory",))
def borough_wide(limit=5):
    """A few services that help people anywhere in the borough, for a search that found nothing (names and
    slugs: the same for every such search, so kept under the directory's data version)."""
    return tuple(
        ListingLink(name, slug)
        for name, slug in db.session.execute(
            db.select(Organisation.name, Organisation.slug)
            .where(Organisation.id.in_(_has_scope("borough")), Organisation.id.not_in(hidden_organisations()))
            .order_by(Organisation.name)
            .limit(limit)
        )
    )


def describe_miles(miles):
    if miles is None:
        return ""
    if miles < 0.1:
        return "less than 0.1 miles away"
    return f"{miles:.1f} miles away"
