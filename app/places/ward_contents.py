"""The registry of what is in each ward: counts for the borough overview and the choropleth, and the lists
on a ward's page. Each module registers its own kinds of content in its `contributions.py`::

    register_ward_content(WardContent("assets", "Community assets", assets_by_ward, assets_in_ward))

`count_by_ward(ward_set)` gives {ward code: count}; `items_in_ward(ward)` gives [(name, url or None, detail)],
and must list what the count counts (a ward page does not ask for the items of a kind counted 0 there).
Content that can be long (the directory's) gives `page_in_ward(ward, offset, limit)` instead, the same items
one page at a time, and its `count_by_ward` is then the total the ward page pages through.
Contents are listed in the order they are registered (the order of the modules in app/modules.py).

Counts per ward are cached (app/datacache.py) under the versions of every scope of public data, so the
borough overview, the choropleth and the ward pages never count afresh per request and never show
figures older than the last write.
"""

from collections.abc import Callable
from dataclasses import dataclass

from ..datacache import SCOPES, cached
from ..extensions import db
from .models import Postcode


@dataclass
class WardContent:
    key: str
    label: str
    count_by_ward: Callable  # (ward_set) -> {ward code: count}
    items_in_ward: Callable  # (ward) -> [(name, url or None, detail)]
    lists_items: bool = True  # people (CTN members) are counted on ward pages, never listed
    page_in_ward: Callable | None = None  # (ward, offset, limit) -> items, for content too long for one page
    more: Callable | None = None  # (ward) -> (text, url) or None: a line under the list (borough-wide services)


_CONTENTS: dict[str, WardContent] = {}


def register_ward_content(content):
    """Add a kind of ward content (registering a key again replaces it)."""
    content.count_by_ward = cached(f"ward counts: {content.key}", SCOPES)(content.count_by_ward)
    _CONTENTS[content.key] = content
    return content


def contents():
    """Every registered kind of ward content."""
    return list(_CONTENTS.values())


def content(key):
    return _CONTENTS[key]


def no_names(ward):
    """items_in_ward for content that is counted but never listed by name."""
    return []


def ward_column(ward_set):
    """The postcode column that gives a postcode's ward in this ward set."""
    return Postcode.ward_code if ward_set == "2022" else Postcode.ward_code_2002


def select_in_ward(model, ward, *conditions, postcode_column=None):
    """A select of the rows of `model` whose postcode lies in `ward` (via the postcode table)."""
    postcode_column = postcode_column if postcode_column is not None else model.postcode
    return (
        db.select(model)
        .join(Postcode, Postcode.postcode == postcode_column)
        .where(ward_column(ward.ward_set) == ward.code, *conditions)
    )


def count_by_postcode_ward(model, ward_set, *conditions, postcode_column=None):
    """Counts per ward of rows with a postcode, in either ward set (via the postcode table)."""
    column = ward_column(ward_set)
    postcode_column = postcode_column if postcode_column is not None else model.postcode
    rows = db.session.execute(
        db.select(column, db.func.count(model.id))
        .join(Postcode, Postcode.postcode == postcode_column)
        .where(*conditions)
        .group_by(column)
    )
    return {code: count for code, count in rows if code}
