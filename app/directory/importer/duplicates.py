"""Finding duplicates in an import: the same charity number or legacy ID, or a nearly identical name at the same postcode."""

import re
import sqlite3
import unicodedata
from difflib import SequenceMatcher

from ...extensions import db
from ..models import Location, Organisation

NAME_NOISE = {"the", "ltd", "limited"}
NAME_SIMILARITY = 0.9


def name_key(name):
    """A name reduced for comparison: case, accents, punctuation, "the", "&"/"and", "Ltd"/"Limited"."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower().replace("&", " and ")
    return " ".join(word for word in re.split(r"[^a-z0-9]+", text) if word and word not in NAME_NOISE)


def similar_names(a, b):
    return a == b or SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY


class DuplicateFinder:
    """Existing listings (published or not) and the rows accepted so far, by charity number, legacy ID and
    (name, postcode). The directory's listings are held in memory; the file's own accepted listings go to
    a private temporary SQLite database on disk (deleted when it is closed), so a 100,000-row import keeps
    none of them in memory."""

    def __init__(self):
        self.charity, self.legacy, self.by_postcode = {}, {}, {}
        organisations = db.session.execute(
            db.select(
                Organisation.id,
                Organisation.name,
                Organisation.slug,
                Organisation.published,
                Organisation.charity_number,
                Organisation.legacy_id,
            )
        ).all()
        postcodes = {}
        for org_id, postcode in db.session.execute(
            db.select(Location.organisation_id, Location.postcode).where(Location.postcode.is_not(None))
        ):
            postcodes.setdefault(org_id, set()).add(postcode)
        for org_id, name, slug, published, charity_number, legacy_id in organisations:
            listing = {"name": name, "slug": slug, "published": published}
            if charity_number:
                self.charity.setdefault(charity_number, listing)
            if legacy_id:
                self.legacy.setdefault(legacy_id, listing)
            for postcode in postcodes.get(org_id, ()):
                self.by_postcode.setdefault(postcode, []).append((name_key(name), listing))
        # "" is SQLite's private temporary database: on disk, beyond a small page cache.
        self.file = sqlite3.connect("")
        self.file.executescript(
            """
            CREATE TABLE charity (number TEXT PRIMARY KEY, name TEXT, line INTEGER);
            CREATE TABLE legacy (id TEXT PRIMARY KEY, name TEXT, line INTEGER);
            CREATE TABLE place (postcode TEXT, name TEXT, line INTEGER);
            CREATE INDEX place_postcode ON place (postcode);
            """
        )

    def close(self):
        self.file.close()

    def _in_file(self, table, column, value):
        found = self.file.execute(f"SELECT name, line FROM {table} WHERE {column} = ?", (value,)).fetchone()
        return tuple(found) if found else None

    def _add(self, name, line, charity_number, legacy_id, postcodes):
        if charity_number:
            self.file.execute("INSERT OR IGNORE INTO charity VALUES (?, ?, ?)", (charity_number, name, line))
        if legacy_id:
            self.file.execute("INSERT OR IGNORE INTO legacy VALUES (?, ?, ?)", (legacy_id, name, line))
        self.file.executemany("INSERT INTO place VALUES (?, ?, ?)", [(p, name, line) for p in postcodes])

    def _at_postcode(self, postcode):
        """(reduced name, listing) at a postcode: the directory's, then the file's in the order they came."""
        yield from self.by_postcode.get(postcode, [])
        rows = self.file.execute("SELECT name, line FROM place WHERE postcode = ? ORDER BY rowid", (postcode,))
        for name, line in rows.fetchall():
            yield name_key(name), (name, line)

    def check(self, row):
        data = row.data
        org = data["organisation"]
        legacy_id = row.values.get("legacy_id") or None
        postcodes = {loc["postcode"] for loc in data["locations"] if loc.get("postcode")}
        charity_number = org["charity_number"]
        other = charity_number and (
            self.charity.get(charity_number) or self._in_file("charity", "number", charity_number)
        )
        if other:
            row.problem("charity_number", f"Same charity number as {_describe(other)}", "duplicate", _link(other))
        other = legacy_id and (self.legacy.get(legacy_id) or self._in_file("legacy", "id", legacy_id))
        if other:
            row.problem(
                "legacy_id",
                f"Same legacy ID as {_describe(other)}: it may have been imported already",
                "duplicate",
                _link(other),
            )
        key = name_key(org["name"])
        for postcode in sorted(postcodes):
            for other_key, other in self._at_postcode(postcode):
                if similar_names(key, other_key):
                    row.problem(
                        "name",
                        f"Nearly the same name as {_describe(other)}, at the same postcode {postcode}",
                        "duplicate",
                        _link(other),
                    )
                    break
        if not row.problems:
            self._add(org["name"], row.line, charity_number, legacy_id, postcodes)


def _describe(other):
    if isinstance(other, tuple):
        name, line = other
        return f"line {line} ({name})"
    return f"the existing listing {other['name']}"


def _link(other):
    if isinstance(other, tuple) or not other.get("published"):
        return None
    return {"name": other["name"], "slug": other["slug"]}
