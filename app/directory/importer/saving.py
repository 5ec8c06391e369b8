"""Saving checked listings in batches: one flush per batch, so the ORM inserts each table's rows of the whole
batch in one statement (SQLAlchemy's "insertmanyvalues"), with the vocabulary, wards and postcodes looked up
once and the directory's word counts written once per batch.

The listings are written with `services.write_snapshot`, as a listing an officer publishes is, so an
imported listing is the same as one made on the site; each gets its first ListingVersion. Everything stays
in the caller's one transaction: the batches are flushed, never committed.
"""

import json
from collections import Counter

from sqlalchemy.orm import defer

from ...extensions import db
from ...places.models import Postcode, Ward
from ...places.services import normalise_postcode
from ...timeutil import utcnow
from .. import services
from ..models import ListingVersion, Organisation, Taxonomy, TaxonomyTerm
from .grouping import as_uuid

# Listings written per flush: large enough that the statements per listing are a small fraction, small
# enough that the progress bar moves every second or so and a batch's rows stay well under SQLite's and
# PostgreSQL's limits on the values of one statement.
BATCH = 100


class ImportLookups(services.Lookups):
    """The terms and wards once per import, the batch's postcodes in one query, and word counts per batch."""

    def __init__(self):
        self.term_by_key = {
            f"{taxonomy}/{term.code}": term
            for term, taxonomy in db.session.execute(db.select(TaxonomyTerm, Taxonomy.code).join(Taxonomy))
        }
        # (without their boundaries, which the import never reads)
        wards = db.session.scalars(db.select(Ward).options(defer(Ward.boundary_geojson)))
        self.ward_by_code = {ward.code: ward for ward in wards}
        self.postcodes = {}
        self.words = Counter()

    def terms(self, keys):
        return [self.term_by_key[key] for key in keys if key in self.term_by_key]

    def wards(self, codes):
        return [self.ward_by_code[code] for code in codes if code in self.ward_by_code]

    def prefetch_postcodes(self, values):
        wanted = {normalise_postcode(value) for value in values if value}
        wanted.discard(None)
        wanted.discard("")
        found = db.session.scalars(db.select(Postcode).where(Postcode.postcode.in_(wanted))).all() if wanted else []
        self.postcodes = {postcode.postcode: postcode for postcode in found}

    def postcode(self, value):
        found = self.postcodes.get(normalise_postcode(value))
        # Not in the table: the usual lookup, which asks the postcode API when one is set.
        return found if found is not None else super().postcode(value)

    def count_words(self, words, step):
        if step > 0:
            self.words.update(words)
        else:
            super().count_words(words, step)

    def write_words(self):
        services.add_word_counts(self.words)
        self.words.clear()


def save_batch(batch, user, lookups):
    """Create the batch's listings (dicts of `spooled`); returns their Organisations, flushed."""
    lookups.prefetch_postcodes(loc["postcode"] for item in batch for loc in item["data"]["locations"])
    organisations = []
    with db.session.no_autoflush:
        for item, slug in zip(
            batch, services.unique_slugs([item["data"]["organisation"]["name"] for item in batch]), strict=True
        ):
            data = item["data"]
            for service in data["services"]:
                service.setdefault("closures", [])  # so the new services' closures need no query to read
            organisation = Organisation(name=data["organisation"]["name"], slug=slug, version=1, published=True)
            db.session.add(organisation)
            services.write_snapshot(organisation, data, lookups)
            # The IDs the file gave (an export's uuids) are kept, so the API and history keep them too.
            ids = item["ids"]
            organisation.uuid = as_uuid(ids.get("organisation") or "") or organisation.uuid
            for thing, ident in zip(organisation.services, ids.get("services", []), strict=False):
                thing.uuid = as_uuid(ident) or thing.uuid
            for thing, ident in zip(organisation.locations, ids.get("locations", []), strict=False):
                thing.uuid = as_uuid(ident) or thing.uuid
            organisation.legacy_id = item["legacy_id"] or None
            # The old directory's records were last checked years ago: they are due a check now.
            organisation.last_verified_at = None
            organisations.append(organisation)
    db.session.flush()
    versions = []
    for organisation, item in zip(organisations, batch, strict=True):
        lines = item["lines"]
        where = f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(str(n) for n in lines)}"
        versions.append(
            {
                "organisation_id": organisation.id,
                "version": 1,
                "snapshot": json.dumps(services.snapshot(organisation)),
                "summary": f"Imported from the legacy directory ({where})"[:255],
                "created_by_id": user.id if user else None,
                "created_at": utcnow(),
            }
        )
    # Nothing reads the versions back: one executemany, without fetching their ids.
    db.session.execute(db.insert(ListingVersion), versions)
    lookups.write_words()
    return organisations


def spooled(listing):
    """What saving needs of a checked listing (an importer Row), as one line of JSON."""
    return json.dumps(
        {
            "lines": listing.lines or [listing.line],
            "legacy_id": listing.values.get("legacy_id") or None,
            "data": listing.data,
            "ids": listing.ids,
        }
    )
