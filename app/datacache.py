"""Caches of public figures, lists and map points that can never show a stale listing (issue 16).

Every write through the database session to a table that public pages summarise moves that table's *scope*
(directory, places, assets, covenant, ctn) to a new version, in the same transaction as the write: the
version lives in the `data_version` table, so every web worker and every machine sees it the moment the
write commits. A cached value is stored under the versions of the scopes it depends on, so the first
request after an officer approves a change reads the new version and computes afresh; nothing is ever
invalidated by hand and no worker can serve another worker's old copy.

    @cached("directory points", scopes=("directory",))
    def directory_points(category, ward_code): ...

The versions are read once per request (one small query) and each value is kept in this process, least
recently used first out, for at most DATA_CACHE_SECONDS (a bound for figures that also depend on the
clock, such as membership on today's date). Writes that bypass the session (a raw connection) must call
`bump(scopes)` themselves.
"""

import functools
import gzip
import hashlib
import json
import random
import threading
import time
from collections import OrderedDict

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from .extensions import db

# Which scope a write to each table moves. Tables not named here feed no cached value.
TABLE_SCOPES = {
    "organisation": "directory",
    "service": "directory",
    "location": "directory",
    "service_at_location": "directory",
    "schedule": "directory",
    "closure": "directory",  # holiday closures: in the API's schedules and "open now"
    "service_taxonomy_term": "directory",
    "location_accessibility_term": "directory",
    "service_area": "directory",
    "taxonomy": "directory",
    "taxonomy_term": "directory",
    "search_word": "directory",  # the directory's words, which "Did you mean" draws on
    "search_synonym": "vocabulary",  # the strategy officers' search vocabulary (synonyms)
    "ward": "places",
    "postcode": "places",
    "community_asset": "assets",
    "acv_nomination": "assets",
    "acv_disposal_notice": "assets",
    "covenant_pledge": "covenant",
    "ctn_member": "ctn",
    "ctn_departed_member": "ctn",
    "ctn_meeting": "ctn",
    "ctn_steering_seat": "ctn",
    "ctn_theme_plan": "ctn",
}
SCOPES = tuple(sorted(set(TABLE_SCOPES.values())))
_PENDING = "datacache_scopes"


class DataVersion(db.Model):
    """The version of each scope of public data; moved on by every write to its tables."""

    __tablename__ = "data_version"

    scope: Mapped[str] = mapped_column(db.String(20), primary_key=True)
    version: Mapped[int] = mapped_column(db.BigInteger)


def _fresh_start():
    # A new row starts at a random version, so a table emptied and written again (tests do that) never
    # repeats a version an earlier cache entry was stored under.
    return random.randrange(1, 2**53)


def bump(scopes, connection=None):
    """Move `scopes` to new versions (in the caller's transaction)."""
    scopes = sorted(set(scopes))
    if not scopes:
        return
    executor = connection if connection is not None else db.session
    dialect = executor.dialect if connection is not None else db.engine.dialect
    insert = postgresql_insert if dialect.name == "postgresql" else sqlite_insert
    statement = insert(DataVersion).values([{"scope": scope, "version": _fresh_start()} for scope in scopes])
    statement = statement.on_conflict_do_update(index_elements=["scope"], set_={"version": DataVersion.version + 1})
    executor.execute(statement)


def _table_of(instance):
    table = getattr(type(instance), "__table__", None)
    return getattr(table, "name", None)


@event.listens_for(Session, "after_flush")
def _note_flushed_writes(session, flush_context):
    pending = session.info.setdefault(_PENDING, set())
    for instance in (*session.new, *session.deleted, *session.dirty):
        scope = TABLE_SCOPES.get(_table_of(instance))
        if scope and scope not in pending:
            if instance in session.dirty and not session.is_modified(instance):
                continue
            pending.add(scope)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(state):
    """Bulk INSERT/UPDATE/DELETE through session.execute (imports, the benchmark's generator)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    scope = TABLE_SCOPES.get(getattr(table, "name", None))
    if scope:
        state.session.info.setdefault(_PENDING, set()).add(scope)


@event.listens_for(Session, "before_commit")
def _bump_before_commit(session):
    # Flush first so the last changes are noted, then move the versions in one statement just before
    # COMMIT (holding the rows' locks for the shortest time, always in the same order).
    session.flush()
    pending = session.info.pop(_PENDING, None)
    if pending:
        bump(pending, connection=session.connection())
        if has_app_context():
            # What this context read before its own write is out of date: read the versions again.
            g.pop("data_versions", None)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop(_PENDING, None)


def versions():
    """{scope: version} as committed now; read once per request (and at every call outside one: a task
    worker's or a command's app context lasts for many writes)."""
    if not has_request_context():
        return _read_versions()
    if "data_versions" not in g:
        g.data_versions = _read_versions()
    return g.data_versions


def _read_versions():
    return dict(db.session.execute(db.select(DataVersion.scope, DataVersion.version)).all())


class _Store:
    def __init__(self, size):
        self.size = size
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, max_age):
        with self.lock:
            found = self.items.get(key)
            if found is None or time.monotonic() - found[0] > max_age:
                return None
            self.items.move_to_end(key)
            return found

    def put(self, key, value):
        with self.lock:
            self.items[key] = (time.monotonic(), value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


# Each store's size setting. Searches have their own, so many residents' searches never push the figures and
# map points every page needs out of the main store.
STORES = {"data": "DATA_CACHE_ENTRIES", "searches": "SEARCH_CACHE_ENTRIES"}


def _store(name="data"):
    stores = current_app.extensions.setdefault("datacache", {})
    store = stores.get(name)
    if store is None:
        store = stores[name] = _Store(current_app.config[STORES[name]])
    return store


def cache_key(name, scopes, args=()):
    """The key a value of `name` for `args` is stored under now (also an ETag's basis)."""
    current = versions()
    return (name, tuple(args), tuple(current.get(scope) for scope in scopes))


def cached(name, scopes):
    """Decorator: keep the function's result per arguments and per version of `scopes`."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown data scopes {unknown}")

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args):
            if not has_app_context() or not current_app.config["DATA_CACHE_SECONDS"]:
                return function(*args)
            key = cache_key(name, scopes, args)
            store = _store()
            found = store.get(key, current_app.config["DATA_CACHE_SECONDS"])
            if found is not None:
                return found[1]
            value = function(*args)
            store.put(key, value)
            return value

        wrapper.uncached = function
        return wrapper

    return decorate


def get_or_make(key, make, store="data"):
    """The value stored under `key` (from cache_key), made by make() when missing; `store` names one of STORES."""
    if not current_app.config["DATA_CACHE_SECONDS"] or not current_app.config[STORES[store]]:
        return make()
    store = _store(store)
    found = store.get(key, current_app.config["DATA_CACHE_SECONDS"])
    if found is not None:
        return found[1]
    value = make()
    store.put(key, value)
    return value


def forget():
    """Empty this process's caches (tests)."""
    for name in STORES:
        _store(name).clear()


def encode_json(payload):
    """(JSON body, its gzip) of a payload, as json_response sends them."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    # Level 1: a ward's points at 100,000 organisations (400 kB) compress in half the time of level 6, to a
    # body under a tenth larger; the body is compressed once per worker and version, on a request's time.
    return body, gzip.compress(body, compresslevel=1)


def json_response(key, make=None, encoded=None):
    """A JSON response for a cached payload: an ETag from the data versions (a conditional GET after no write
    gets 304 without the body being made or sent) and gzip for clients that accept it, compressed once.

    `key` comes from cache_key(...) and `make()` returns the payload (lists and dicts); or `encoded()` returns
    it already encoded by encode_json (kept by the caller under the same versions as `key`). Neither is
    called for a 304."""
    etag = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = current_app.response_class(status=304)
    else:
        body, compressed = encoded() if encoded else get_or_make(("json", *key), lambda: encode_json(make()))
        response = current_app.response_class(body, mimetype="application/json")
        if "gzip" in request.accept_encodings:
            response.set_data(compressed)
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(etag)
    # Browsers and proxies may keep it but must ask again each time (a cheap 304), so an approved change
    # shows on the next view rather than after some max-age.
    response.headers["Cache-Control"] = "public, no-cache"
    response.vary.add("Accept-Encoding")
    return response
