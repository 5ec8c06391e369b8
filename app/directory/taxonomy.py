"""Taxonomy terms (categories, who a service is for, faiths, languages, accessibility) by their keys.

A term's key is 'taxonomy/term', e.g. 'category/food': snapshots, forms and imports name terms that way.
"""

import re
import unicodedata

from ..datacache import cached
from ..extensions import db
from .models import Taxonomy, TaxonomyTerm


def term_code(name):
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")


def term_key(term):
    return f"{term.taxonomy.code}/{term.code}"


def terms_for_keys(keys):
    """TaxonomyTerm rows for keys like 'category/food', in the given order; unknown keys are skipped."""
    wanted = [key.split("/", 1) for key in keys if "/" in key]
    if not wanted:
        return []
    rows = db.session.execute(
        db.select(TaxonomyTerm, Taxonomy.code).join(Taxonomy).where(Taxonomy.code.in_({t for t, _ in wanted}))
    ).all()
    by_key = {f"{taxonomy_code}/{term.code}": term for term, taxonomy_code in rows}
    return [by_key[f"{t}/{c}"] for t, c in wanted if f"{t}/{c}" in by_key]


def term_choices(taxonomy_code):
    """[(key, name)] of a taxonomy's terms, for forms (a fresh list: callers may add to it)."""
    return list(_term_choices(taxonomy_code))


@cached("term choices", ("directory",))
def _term_choices(taxonomy_code):
    # Every search form asks for these; cached under the directory's data version (app/datacache.py).
    taxonomy = db.session.scalar(db.select(Taxonomy).where(Taxonomy.code == taxonomy_code))
    return tuple((f"{taxonomy_code}/{term.code}", term.name) for term in (taxonomy.terms if taxonomy else []))
