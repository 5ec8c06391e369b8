"""Finding a published listing by its name, for the organisation chooser on CTN and other forms (issue 16).

A form used to list every organisation in the directory as a <select> option (9 MB of HTML at 20,000
organisations). Now a person types the name: with JavaScript, accessible-autocomplete asks the directory's
suggestions endpoint as they type; without it, the form's answer is matched here when it is sent.

Both read the full-text index's name column only (FTS5 on SQLite, the weight-A part of the tsvector on
PostgreSQL), every word must match, and the last word may be unfinished. No query reads more than
SCAN_LIMIT matches, whatever the size of the directory. Hidden listings (unpublished or inactive) are never
suggested or chosen on the public's forms; officers' forms (a community asset's organisation, a group editor's
listings) ask with `include_hidden`, because they link records to listings that are not published yet or any
more, and such a listing is named "(not published)" wherever it is offered.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import literal_column, table, text

from ..extensions import db
from .models import Organisation, SearchWord
from .search import HIDDEN

NAME_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 8
# Matches read before ranking: a bound on the work of one suggestion, so a common word costs the same in a
# directory of 200,000 as in one of 2,000 (the person narrows it by typing more).
SCAN_LIMIT = 2000
# Whole words of the directory an unfinished last word stands for (most used first).
EXPANSIONS = 25
SUGGESTIONS = 10
CANDIDATES = 20


HIDDEN_LABEL = " (not published)"


@dataclass(frozen=True)
class Listing:
    id: int
    name: str
    hidden: bool = False

    @property
    def label(self):
        """The name as a list of choices shows it: officers see which listings the public cannot."""
        return self.name + HIDDEN_LABEL if self.hidden else self.name


@dataclass
class OrganisationChoice:
    """What a person's answer to "Organisation" comes to: a listing, a name typed for an organisation that is
    not listed, nothing, or (`candidates`) several listings they must choose between."""

    organisation_id: int | None = None
    organisation_name: str = ""
    # The chosen listing's name, as the page should show it.
    listing_name: str = ""
    candidates: list = field(default_factory=list)

    @property
    def needs_choice(self):
        return bool(self.candidates)


def same_name(a, b):
    return " ".join((a or "").casefold().split()) == " ".join((b or "").casefold().split())


def _words(typed):
    return [word.casefold() for word in NAME_TOKEN_RE.findall(typed or "")][:MAX_WORDS]


def _expansions(prefix):
    """Whole words of the directory starting with `prefix` (an unfinished word): the full-text index stems
    words ("community" is stored as "commun"), so a prefix like "communit" would not find it alone."""
    if len(prefix) < 3:
        return []
    # A range on the primary key (an index scan), not LIKE, which neither database can use the index for here.
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return list(
        db.session.scalars(
            db.select(SearchWord.word)
            .where(SearchWord.word >= prefix, SearchWord.word < upper, SearchWord.documents > 0)
            .order_by(SearchWord.documents.desc(), SearchWord.word)
            .limit(EXPANSIONS)
        )
    )


def _matching(words):
    """A subquery (org_id, rank) of at most SCAN_LIMIT listings whose name has every word (the last one may be
    unfinished), or None when the words hold nothing to match."""
    if not words:
        return None
    last = _expansions(words[-1])
    if db.engine.dialect.name == "postgresql":
        groups = []
        for index, word in enumerate(words):
            alternatives = [f"'{word}':*A"] + [f"'{whole}':A" for whole in (last if index == len(words) - 1 else [])]
            groups.append("(" + " | ".join(alternatives) + ")")
        tsquery = db.func.to_tsquery(literal_column("'english'::regconfig"), " & ".join(groups))
        vector = literal_column("organisation.search_vector")
        return (
            db.select(Organisation.id.label("org_id"), db.func.ts_rank(vector, tsquery).label("rank"))
            .where(vector.op("@@")(tsquery))
            .limit(SCAN_LIMIT)
            .subquery()
        ), True
    groups = []
    for index, word in enumerate(words):
        alternatives = [f'"{word}" *'] + [f'"{whole}"' for whole in (last if index == len(words) - 1 else [])]
        groups.append("(" + " OR ".join(alternatives) + ")")
    match = text("organisation_fts MATCH :match").bindparams(match="{search_name} : (" + " AND ".join(groups) + ")")
    return (
        db.select(literal_column("+rowid").label("org_id"), literal_column("bm25(organisation_fts)").label("rank"))
        .select_from(table("organisation_fts"))
        .where(match)
        .limit(SCAN_LIMIT)
        .subquery()
    ), False


def _suggest(typed, limit, include_hidden=False):
    words = _words(typed)
    found = _matching(words)
    if found is None:
        return []
    matches, higher_is_better = found
    starts = db.func.lower(Organisation.name).startswith(" ".join(words), autoescape=True)
    query = (
        _listings(include_hidden)
        .join(matches, matches.c.org_id == Organisation.id)
        .order_by(
            starts.desc(),
            matches.c.rank.desc() if higher_is_better else matches.c.rank.asc(),
            Organisation.name,
            Organisation.id,
        )
        .limit(limit)
    )
    return [Listing(row.id, row.name, bool(row.hidden)) for row in db.session.execute(query)]


def _listings(include_hidden):
    """(id, name, hidden) of the listings the public may see, or with `include_hidden` of every listing."""
    query = db.select(Organisation.id, Organisation.name, HIDDEN.label("hidden"))
    return query if include_hidden else query.where(db.not_(HIDDEN))


def organisation_suggestions(typed, limit=SUGGESTIONS, include_hidden=False):
    """Published listings (with `include_hidden`, any listing) whose names match what has been typed so far,
    best first (names starting with it, then by rank), at most `limit`. Not kept in app/datacache.py: every
    keystroke is a new key, and they would push the cached pages' figures and map points out of its small
    shared store; the query reads at most SCAN_LIMIT index entries anyway."""
    return _suggest(typed, limit, include_hidden)


def listing_by_id(organisation_id, include_hidden=False):
    """The listing with this id if the public may see it (with `include_hidden`, any listing), else None."""
    try:
        organisation_id = int(organisation_id)
    except (TypeError, ValueError):
        return None
    row = db.session.execute(_listings(include_hidden).where(Organisation.id == organisation_id)).first()
    return Listing(row.id, row.name, bool(row.hidden)) if row else None


def published_listing(organisation_id):
    """The listing with this id if the public may see it, else None."""
    return listing_by_id(organisation_id)


def any_published_listing():
    """Whether the public directory has any listing at all (one row read, however large it is)."""
    return db.session.scalar(db.select(Organisation.id).where(db.not_(HIDDEN)).limit(1)) is not None


def choose_organisation(typed, chosen_id=None, chosen_listing=None, not_listed=False, include_hidden=False):
    """Resolve a person's answer about their organisation (among published listings; with `include_hidden`,
    among every listing: officers' forms).

    `typed` is the name in the text box; `chosen_id` the listing a suggestion filled in (JavaScript) or the
    page held already; `chosen_listing` the radio picked when the page asked "which of these?", or
    `not_listed` when they picked "not listed". The typed name decides: an id only stands while its listing
    has that name, so clearing or retyping the name never keeps an old listing. A name that matches no
    listing is kept as typed; one that matches exactly one listing's name is that listing."""
    name = " ".join((typed or "").split())
    if not name:
        return OrganisationChoice()
    if not_listed:
        return OrganisationChoice(organisation_name=name)
    for wanted, must_match in ((chosen_listing, False), (chosen_id, True)):
        listing = listing_by_id(wanted, include_hidden) if wanted else None
        if listing is not None and (not must_match or same_name(listing.name, name)):
            return OrganisationChoice(organisation_id=listing.id, listing_name=listing.name)
    candidates = _suggest(name, CANDIDATES, include_hidden)
    exact = [listing for listing in candidates if same_name(listing.name, name)]
    if len(exact) == 1:
        return OrganisationChoice(organisation_id=exact[0].id, listing_name=exact[0].name)
    if candidates:
        return OrganisationChoice(organisation_name=name, candidates=candidates)
    return OrganisationChoice(organisation_name=name)


def choose_any_listing(typed, **answer):
    """choose_organisation among every listing, published or not: for officers' forms."""
    return choose_organisation(typed, include_hidden=True, **answer)
