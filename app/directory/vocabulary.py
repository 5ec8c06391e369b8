"""The search vocabulary: words residents type and the words listings use for the same thing.

Strategy officers keep it on the web (SearchSynonym rows). A search turns the resident's words into
*groups*: each group is one idea with the ways of saying it ("youth club" -> youth club, young people, youth
centre ...). Every group must match (or, as a fallback, any group). Expanding is a lookup in a small
in-memory table, rebuilt only when the vocabulary changes; it never reads the directory.
"""

import re
import threading

from .. import datacache
from ..extensions import db
from ..timeutil import utcnow
from .models import SearchSynonym

TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 12
MAX_TERM_LENGTH = 60
MAX_TERMS = 20

# Words that say nothing about what is wanted; left out of searches (but not out of phrases).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "get",
        "getting",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "near",
        "nearby",
        "of",
        "on",
        "or",
        "our",
        "please",
        "some",
        "the",
        "their",
        "there",
        "to",
        "want",
        "we",
        "what",
        "where",
        "who",
        "with",
        "you",
        "your",
        "need",
        "needs",
        "looking",
        "find",
        "help",
        "local",
        "around",
        "barnet",
    ]
)

# The vocabulary a new database starts with (flask seed reference): words Barnet residents type, and the
# words the directory and the council papers use. Officers edit it at /directory/vocabulary.
DEFAULT_VOCABULARY = [
    (["youth club", "youth clubs", "young people", "youth", "youth centre", "teenagers", "teens"], ["children"]),
    (
        ["food bank", "foodbank", "food parcels", "food parcel", "food help", "free food"],
        ["food", "meals", "surplus food"],
    ),
    (
        ["jobs", "job", "employment", "work", "employability", "careers", "cv", "job club", "interview skills"],
        ["training", "unemployed"],
    ),
    (["elderly", "older people", "old people", "pensioners", "seniors", "over 55", "over 60s"], ["older"]),
    (
        [
            "english classes",
            "english lessons",
            "esol",
            "learn english",
            "english language",
            "english courses",
            "english for beginners",
        ],
        [],
    ),
    (
        ["domestic abuse", "domestic violence", "abusive relationship", "abuse at home", "vawg"],
        ["idva", "refuge", "violence against women"],
    ),
    (["hate crime", "racism", "racist abuse", "homophobia", "hate incident"], ["hate crime reporting"]),
    (["mental health", "depression", "depressed", "anxiety", "wellbeing", "stress"], ["counselling"]),
    (["counselling", "counseling", "therapy", "talking therapy", "someone to talk to"], ["mental health"]),
    (["homeless", "homelessness", "rough sleeping", "sleeping rough", "nowhere to live"], ["housing"]),
    (
        [
            "housing",
            "somewhere to live",
            "tenancy",
            "landlord",
            "council housing",
            "social housing",
            "rent",
            "rent arrears",
            "eviction",
            "evicted",
        ],
        ["housing association"],
    ),
    (
        [
            "debt",
            "money advice",
            "debt advice",
            "benefits advice",
            "benefits",
            "universal credit",
            "pension credit",
            "council tax",
        ],
        ["advice", "citizens advice"],
    ),
    (["advice", "advice centre", "legal advice", "help and advice"], ["citizens advice"]),
    (["volunteering", "volunteer", "volunteers", "volunteer work"], []),
    (["refugees", "refugee", "asylum seekers", "asylum", "migrants", "immigration"], ["new citizen"]),
    (
        ["learning disability", "learning disabilities", "learning difficulties", "autism", "special needs", "send"],
        ["mencap"],
    ),
    (["disabled", "disability", "disabilities", "wheelchair"], ["learning disability", "accessible"]),
    (["carers", "carer", "unpaid carers", "caring for someone"], []),
    (["lgbt", "lgbtq", "lgbt+", "gay", "lesbian", "transgender", "trans", "queer"], []),
    (["women", "womens", "female", "ladies"], ["girls"]),
    (
        [
            "church",
            "churches",
            "mosque",
            "synagogue",
            "temple",
            "gurdwara",
            "place of worship",
            "faith",
            "religious",
            "interfaith",
            "multi faith",
            "pray",
            "prayer",
            "somewhere to pray",
            "worship",
        ],
        [],
    ),
    (["grants", "grant", "funding", "funders", "fundraising", "crowdfunding"], ["fund"]),
    (
        ["exercise", "fitness", "keep fit", "gym", "sport", "sports", "football", "swimming", "cricket", "running"],
        ["health", "mobility", "dance"],
    ),
    (
        # Not "family" alone: "free food for my family" wants food, not a service for families.
        ["children", "child", "kids", "parents", "parenting", "family support", "toddlers", "babies"],
        ["young people"],
    ),
    (["dementia", "alzheimers", "memory loss", "memory problems"], ["older people", "carers"]),
    (
        [
            "cost of living",
            "bills",
            "paying bills",
            "energy bills",
            "fuel poverty",
            "warm space",
            "warm spaces",
            "warm hub",
            "free school meals",
        ],
        ["food bank", "debt advice", "benefits advice"],
    ),
    (["addiction", "alcohol", "drugs", "drug", "substance misuse", "gambling"], []),
    (["bereavement", "bereaved", "grief", "grieving"], ["counselling"]),
    (["interpreter", "interpreters", "interpreting", "translation", "translator"], []),
    (
        ["lonely", "loneliness", "isolated", "isolation", "social isolation", "befriending"],
        ["older people", "wellbeing"],
    ),
    (["computer skills", "digital skills", "computers", "internet", "online skills", "digital inclusion"], ["digital"]),
    (
        [
            "police",
            "crime",
            "community safety",
            "safer neighbourhoods",
            "crime prevention",
            "anti social behaviour",
            "asb",
            "knife crime",
            "gangs",
            "scams",
            "fraud",
        ],
        ["neighbourhood watch"],
    ),
    (
        # Not "community centre": as one phrase it would find fewer than its two words do.
        ["room hire", "hall hire", "venue hire", "meeting room", "meeting rooms"],
        ["community spaces"],
    ),
    (["victims", "victim", "victim support", "crime victims"], []),
    (["veterans", "ex forces", "armed forces", "military", "army", "cadets"], ["armed forces covenant"]),
    (["art", "arts", "crafts", "creative", "painting", "dance", "music"], []),
    (
        ["gardening", "garden", "allotment", "growing food", "farm", "environment", "green", "litter picking"],
        ["clean up"],
    ),
    (["nhs", "health", "healthy", "doctor", "gp", "sexual health", "clinic"], ["health champions"]),
    (["college", "courses", "adult education", "education", "learning", "classes"], ["training", "skills"]),
    (["sewing", "tailoring", "dressmaking"], ["skills"]),
    (["small business", "self employed", "business support", "start a business"], ["business"]),
    (["jewish", "jews"], []),
    (["muslim", "islamic"], []),
    (["fire", "fire safety", "fire brigade"], []),
]

_cache_lock = threading.Lock()
_UNBUILT = object()
_cache = {"stamp": _UNBUILT, "index": {}, "longest": 1}


def tokens(text):
    return [t for t in TOKEN_RE.findall((text or "").lower()) if len(t) > 1 or t.isdigit()]


def normal_word(word):
    """A light plural fold so "food banks" finds the entry "food bank" (the search itself stems properly)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def phrase_key(phrase):
    return tuple(normal_word(t) for t in tokens(phrase))


def parse_terms(text):
    """Officers' input (one term a line, or separated by commas) as clean lower-case terms, in order, once each."""
    seen, terms = set(), []
    for part in re.split(r"[,\n;]+", text or ""):
        term = " ".join(tokens(part))
        if term and term not in seen:
            seen.add(term)
            terms.append(term)
    return terms


def _index():
    """{phrase key: set of alternative phrases (token tuples)}, rebuilt when the vocabulary changes: every
    edit moves the "vocabulary" data version (app/datacache.py), which each request reads anyway, so every
    web process uses an officer's edit from its next search on (and the searches kept under the old version
    are never used again)."""
    # None until the first edit since versions were kept (every edit goes through the session, which moves it).
    stamp = datacache.versions().get("vocabulary")
    with _cache_lock:
        if _cache["stamp"] == stamp:
            return _cache["index"], _cache["longest"]
    index = {}
    for entry in db.session.scalars(db.select(SearchSynonym)):
        terms = [tuple(tokens(t)) for t in entry.term_list]
        alternatives = set(terms) | {tuple(tokens(t)) for t in entry.related_list}
        for term in terms:
            if term:
                index.setdefault(tuple(normal_word(t) for t in term), set()).update(a for a in alternatives if a)
    longest = max((len(key) for key in index), default=1)
    with _cache_lock:
        _cache.update(stamp=stamp, index=index, longest=longest)
    return index, longest


def forget_cache():
    with _cache_lock:
        _cache["stamp"] = _UNBUILT


def groups_for(words):
    """The resident's words as groups of alternatives: [(typed phrase, [alternative token tuples])].
    Longest vocabulary phrases win ("youth club" before "youth"); stop words are dropped unless part of a
    phrase; a group's first alternative is what was typed."""
    typed = tokens(words)[:MAX_WORDS]
    index, longest = _index()
    groups, i = [], 0
    while i < len(typed):
        for size in range(min(longest, len(typed) - i), 0, -1):
            key = tuple(normal_word(t) for t in typed[i : i + size])
            if key in index:
                own = tuple(typed[i : i + size])
                others = sorted(index[key] - {own}, key=lambda a: (len(a), a))
                groups.append((" ".join(own), [own, *others][:MAX_TERMS]))
                i += size
                break
        else:
            if typed[i] not in STOP_WORDS:
                groups.append((typed[i], [(typed[i],)]))
            i += 1
    if not groups and typed:
        # Only stop words ("help me"): search them after all rather than for nothing.
        groups = [(t, [(t,)]) for t in typed]
    return groups


def ensure_default_vocabulary():
    """Add the starting vocabulary to an empty one (safe to run again). Returns the number of entries added."""
    if db.session.scalar(db.select(db.func.count(SearchSynonym.id))):
        return 0
    added, _left = add_new_default_ideas()  # to an empty vocabulary: every entry
    return added


def add_new_default_ideas():
    """For a vocabulary already in use: add each entry of the starting vocabulary that shares no term with it
    (an idea it lacks, such as "dementia" after the starting vocabulary learnt it). An entry officers keep
    for the same idea is never changed (they may have removed a term on purpose): the starting vocabulary's
    terms it lacks are returned for an officer to add on the web. Returns (entries added, [terms left])."""
    known = set()
    for entry in db.session.scalars(db.select(SearchSynonym)):
        known.update(phrase_key(term) for term in (*entry.term_list, *entry.related_list))
    added, left = 0, []
    for terms, related in DEFAULT_VOCABULARY:
        keys = {phrase_key(term) for term in terms}
        if keys & known:
            left += [term for term in terms if phrase_key(term) not in known]
            continue
        db.session.add(SearchSynonym(terms="\n".join(terms), related="\n".join(related)))
        known.update(keys)
        added += 1
    db.session.commit()
    forget_cache()
    return added, left


# --- Officers' edits (the pages are in vocabulary_views.py) -----------------------------------------------


def all_entries():
    """Every vocabulary entry, in the order of their words."""
    return db.session.scalars(db.select(SearchSynonym).order_by(SearchSynonym.terms)).all()


def save_entry(entry, terms, related, note, user):
    """Save an officer's entry (a new one when `entry` is None) from the form's text, and forget the cached
    index so the next search uses it. Returns the entry."""
    if entry is None:
        entry = SearchSynonym()
        db.session.add(entry)
    entry.terms = "\n".join(parse_terms(terms))
    entry.related = "\n".join(parse_terms(related))
    entry.note = (note or "").strip() or None
    entry.updated_by_id = user.id
    entry.updated_at = utcnow()
    db.session.commit()
    forget_cache()
    return entry


def delete_entry(entry):
    """Delete an entry; searches stop using it at once."""
    db.session.delete(entry)
    db.session.commit()
    forget_cache()
