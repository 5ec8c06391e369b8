"""Finding duplicates in an import: the same charity number or legacy ID, or a nearly identical name at the same postcode."""

import re
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
    (name, postcode). A listing of the file is kept as a (name, line) pair, and its name compared in the
    reduced form when it is needed: this is most of what a large import keeps of each listing it checked."""

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
            self._add(listing, charity_number, legacy_id, name, postcodes.get(org_id, ()))

    def _add(self, listing, charity_number, legacy_id, name, postcodes):
        if charity_number:
            self.charity.setdefault(charity_number, listing)
        if legacy_id:
            self.legacy.setdefault(legacy_id, listing)
        for postcode in postcodes:
            # (the file's own pair, or the reduced name and an existing listing)
            self.by_postcode.setdefault(postcode, []).append(
                listing if isinstance(listing, tuple) else (name_key(name), listing)
            )

    def check(self, row):
        data = row.data
        org = data["organisation"]
        legacy_id = row.values.get("legacy_id") or None
        postcodes = {loc["postcode"] for loc in data["locations"] if loc.get("postcode")}
        if org["charity_number"] and org["charity_number"] in self.charity:
            other = self.charity[org["charity_number"]]
            row.problem("charity_number", f"Same charity number as {_describe(other)}", "duplicate", _link(other))
        if legacy_id and legacy_id in self.legacy:
            other = self.legacy[legacy_id]
            row.problem(
                "legacy_id",
                f"Same legacy ID as {_describe(other)}: it may have been imported already",
                "duplicate",
                _link(other),
            )
        key = name_key(org["name"])
        for postcode in sorted(postcodes):
            for entry in self.by_postcode.get(postcode, []):
                other_key, other = (name_key(entry[0]), entry) if isinstance(entry[1], int) else entry
                if similar_names(key, other_key):
                    row.problem(
                        "name",
                        f"Nearly the same name as {_describe(other)}, at the same postcode {postcode}",
                        "duplicate",
                        _link(other),
                    )
                    break
        if not row.problems:
            self._add((org["name"], row.line), org["charity_number"], legacy_id, org["name"], postcodes)


def _describe(other):
    if isinstance(other, tuple):
        name, line = other
        return f"line {line} ({name})"
    return f"the existing listing {other['name']}"


def _link(other):
    if isinstance(other, tuple) or not other.get("published"):
        return None
    return {"name": other["name"], "slug": other["slug"]}
