"""Rows into listings: the rows of one organisation, and within it its services and its locations.

The file has one row per service at a location (docs/directory-csv.md). Rows with the same organisation_id
are one listing; within it, rows with the same service_id are one service (offered at each of their
locations) and rows with the same location_id one location. Without IDs, rows of one listing with the same
service name are one service, and rows with the same address one location; a row without an
organisation_id is a listing by itself (the old one-row-per-organisation files).

A value need only be given once: on the other rows of the same organisation, service or location its cell
may be empty. Two different values for the same thing are a problem on the later row, never a guess.
Each row is then checked by `build_row` with the values of its organisation, service and location, and the
listing's snapshot is put together from the checked rows.
"""

import sqlite3
import uuid
from dataclasses import dataclass, field

from ...extensions import db
from ..models import Location, Organisation, Service
from .common import LOCATION_COLUMNS, ORGANISATION_COLUMNS, SERVICE_COLUMNS
from .rows import Row, build_row

# The columns that say a row has a service or an address (a "no" in confidential says neither).
_SERVICE_CONTENT = tuple(c for c in SERVICE_COLUMNS if c not in ("service_id", "service_status"))
_LOCATION_CONTENT = ("location_name", "address_1", "address_2", "postcode", "accessibility", "accessibility_notes")


def as_uuid(value):
    """The canonical uuid when an ID is one (the export's IDs), else None (an ID made up in a spreadsheet)."""
    try:
        return str(uuid.UUID(value.strip()))
    except (ValueError, AttributeError):
        return None


@dataclass
class Part:
    """One organisation, service or location of the file: its values and the line each came from."""

    kind: str
    ident: str  # the ID as written in the file, or ""
    values: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)

    def merge(self, line, values, columns, problems):
        for column in columns:
            value = values.get(column, "")
            if not value or column in ("organisation_id", "service_id", "location_id"):
                continue
            if column not in self.values:
                self.values[column], self.lines[column] = value, line
            elif self.values[column] != value:
                which = f" {self.ident}" if self.ident else ""
                problems.append(
                    (
                        line,
                        column,
                        f"The {column} differs from line {self.lines[column]}, for the same {self.kind}{which}: "
                        "give it once, or the same on each of its rows",
                    )
                )


@dataclass
class Group:
    """The rows of one listing."""

    organisation: Part
    lines: list = field(default_factory=list)
    services: dict = field(default_factory=dict)  # key -> Part, in the order they first appear
    locations: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)  # (line, service key, location key (or None), confidential)
    problems: list = field(default_factory=list)  # (line, column, problem)


def _key(values, id_column, content_columns, name_key):
    ident = values.get(id_column, "").strip()
    if ident:
        return ("id", ident.lower()), ident
    if any(values.get(column) for column in content_columns):
        return ("same", name_key(values)), ""
    return None, ""


def _service_name(values):
    return " ".join(values.get("service_name", "").lower().split())


def _address(values):
    return tuple(
        " ".join(values.get(column, "").lower().split())
        for column in ("location_name", "address_1", "address_2", "postcode")
    )


def group_rows(rows):
    """[(line, values)] -> [Group], in the order each listing first appears."""
    groups = {}
    for line, values in rows:
        ident = values.get("organisation_id", "").strip()
        key = ("id", ident.lower()) if ident else ("line", line)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(Part("organisation", ident))
        group.lines.append(line)
        group.organisation.merge(line, values, ORGANISATION_COLUMNS, group.problems)
        service_key, service_id = _key(values, "service_id", _SERVICE_CONTENT, _service_name)
        if service_key:
            group.services.setdefault(service_key, Part("service", service_id)).merge(
                line, values, SERVICE_COLUMNS, group.problems
            )
        location_key, location_id = _key(values, "location_id", _LOCATION_CONTENT, _address)
        if location_key:
            group.locations.setdefault(location_key, Part("location", location_id)).merge(
                line, values, LOCATION_COLUMNS, group.problems
            )
        # A row without an address may still say confidential (a service at a hidden address): checked too.
        group.rows.append((line, service_key, location_key, values.get("confidential", "")))
    return list(groups.values())


def build_listing(group, vocabulary):
    """The listing of a Group as an importer Row: line = its first line, data = its snapshot (None when any of
    its rows has a problem; every problem keeps its own line)."""
    first = group.lines[0]
    listing = Row(line=first, values=dict(group.organisation.values), lines=list(group.lines))
    seen = set()

    def problem(line, column, text):
        if (column, text) not in seen:  # a value given once is reported once, on its first row
            seen.add((column, text))
            listing.problems.append(
                {"line": line, "name": listing.name, "field": column, "problem": text, "kind": "error", "listing": None}
            )

    for line, column, text in group.problems:
        problem(line, column, text)
    services, locations = {}, {}
    service_places = {key: [] for key in group.services}
    for line, service_key, location_key, confidential in group.rows:
        values = {
            **group.organisation.values,
            **(group.services[service_key].values if service_key else {}),
            **(group.locations[location_key].values if location_key else {"confidential": confidential}),
        }
        row = build_row(line, values, vocabulary)
        for item in row.problems:
            problem(item["line"], item["field"], item["problem"])
        if row.data is None:
            continue
        listing.data = listing.data or {"organisation": row.data["organisation"]}
        if location_key and row.data["locations"]:
            locations.setdefault(location_key, row.data["locations"][0])
        if service_key and row.data["services"]:
            services.setdefault(service_key, row.data["services"][0])
            if location_key in locations and location_key not in service_places[service_key]:
                service_places[service_key].append(location_key)
    if listing.problems:
        listing.data = None
        return listing
    location_order = list(locations)
    for key, location in locations.items():
        location["uuid"] = as_uuid(group.locations[key].ident)
    for key, service in services.items():
        service["uuid"] = as_uuid(group.services[key].ident)
        service["locations"] = sorted(location_order.index(place) for place in service_places[key])
    listing.data["services"] = list(services.values())
    listing.data["locations"] = list(locations.values())
    listing.ids = {
        "organisation": as_uuid(group.organisation.ident),
        "services": [group.services[key].ident for key in services],
        "locations": [group.locations[key].ident for key in locations],
    }
    return listing


class IdChecker:
    """IDs across the file and the directory: a service or location ID belongs to one organisation of the
    file, and an ID the export wrote that is already in the directory means the listing is there already.
    The directory is asked about each listing's uuids as it is checked (one query, only when it has some),
    so nothing of the whole file is kept but the service and location IDs seen so far, and those on disk."""

    def __init__(self):
        # (kind, id) -> first line of the organisation that has it, in SQLite's private temporary database
        # (on disk beyond a small cache): a large file has as many service and location IDs as rows.
        self.owners = sqlite3.connect("")
        self.owners.execute("CREATE TABLE owner (kind TEXT, ident TEXT, line INTEGER, PRIMARY KEY (kind, ident))")

    def close(self):
        self.owners.close()

    def owner(self, kind, ident, line):
        """The first line of the organisation that has this service or location ID (`line`'s if it is the first)."""
        self.owners.execute("INSERT OR IGNORE INTO owner VALUES (?, ?, ?)", (kind, ident, line))
        return self.owners.execute("SELECT line FROM owner WHERE kind = ? AND ident = ?", (kind, ident)).fetchone()[0]

    @staticmethod
    def existing(group):
        """{(kind, uuid): name of the listing that has it} for the group's uuids already in the directory."""
        wanted = {"organisation": set(), "service": set(), "location": set()}
        for part in [group.organisation, *group.services.values(), *group.locations.values()]:
            if as_uuid(part.ident):
                wanted[part.kind].add(as_uuid(part.ident))
        queries = []
        for kind, model in (("organisation", Organisation), ("service", Service), ("location", Location)):
            if not wanted[kind]:
                continue
            query = db.select(db.literal(kind), model.uuid, Organisation.name)
            if model is not Organisation:
                query = query.join(Organisation, Organisation.id == model.organisation_id)
            queries.append(query.where(model.uuid.in_(wanted[kind])))
        if not queries:
            return {}
        query = queries[0] if len(queries) == 1 else db.union_all(*queries)
        return {(kind, ident): name for kind, ident, name in db.session.execute(query)}

    def check(self, group, listing):
        existing = self.existing(group)
        for kind, parts in (
            ("organisation", [group.organisation]),
            ("service", group.services.values()),
            ("location", group.locations.values()),
        ):
            for part in parts:
                if not part.ident:
                    continue
                line = min(part.lines.values(), default=group.lines[0])
                canonical = as_uuid(part.ident)
                if canonical and (kind, canonical) in existing:
                    listing.problems.append(
                        {
                            "line": line,
                            "name": listing.name,
                            "field": f"{kind}_id",
                            "problem": f"This {kind} is already in the directory (in the listing "
                            f"{existing[(kind, canonical)]}): it may have been imported already",
                            "kind": "duplicate",
                            "listing": None,
                        }
                    )
                    listing.data = None
                if kind == "organisation":
                    continue
                owner = self.owner(kind, part.ident.lower(), group.lines[0])
                if owner != group.lines[0]:
                    listing.problems.append(
                        {
                            "line": line,
                            "name": listing.name,
                            "field": f"{kind}_id",
                            "problem": f"The {kind}_id {part.ident} is also used on line {owner}, for another "
                            f"organisation: each {kind} belongs to one organisation",
                            "kind": "error",
                            "listing": None,
                        }
                    )
                    listing.data = None
