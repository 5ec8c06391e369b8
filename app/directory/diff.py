"""Two listing snapshots compared section by section: About the group, Contact details, each service and each
location, matched by uuid. Moderation, a listing's history, edit conflicts and feed refreshes show this.
"""

from dataclasses import dataclass
from datetime import date

from ..extensions import db
from ..places.models import Ward
from .models import AREA_SCOPE_LABELS, KIND_LABELS, LOCATION_FIELDS, SERVICE_FIELDS, STATUS_LABELS, WEEKDAY_NAMES
from .taxonomy import terms_for_keys


def _display(value):
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "kind": "Type",
    "status": "Status",
    "email": "Email",
    "website": "Website",
    "phone": "Phone",
    "charity_number": "Charity number",
    "company_number": "Company number",
    "url": "Web page",
    "fees_description": "Costs",
    "minimum_age": "Minimum age",
    "maximum_age": "Maximum age",
    "address_1": "Address line 1",
    "address_2": "Address line 2",
    "city": "Town or city",
    "postcode": "Postcode",
    "confidential": "Address hidden from the public",
    "accessibility_notes": "Accessibility notes",
}


def _term_names(keys):
    return ", ".join(term.name for term in terms_for_keys(keys))


def _ward_names(codes):
    if not codes:
        return ""
    names = dict(db.session.execute(db.select(Ward.code, Ward.name).where(Ward.code.in_(codes))).all())
    return ", ".join(names.get(code, code) for code in codes)


# The editor's task-list sections (About the group, Contact details, then each service and location).
ABOUT_FIELDS = ("name", "description", "kind", "status", "charity_number", "company_number")
CONTACT_FIELDS = ("email", "website", "phone")
# Snapshot keys described by the rows below, or not for people (uuid; a service's locations are shown by address).
_KNOWN_SERVICE_KEYS = {*SERVICE_FIELDS, "uuid", "terms", "area_scope", "areas", "hours", "locations", "closures"}
_KNOWN_LOCATION_KEYS = {*LOCATION_FIELDS, "uuid", "accessibility"}


@dataclass
class DiffRow:
    label: str
    old: str
    new: str

    @property
    def changed(self):
        return self.old != self.new


@dataclass
class DiffSection:
    """One part of a listing compared: `status` is added, removed, changed or unchanged."""

    kind: str  # about | contact | service | location
    title: str
    status: str
    rows: list

    @property
    def changed_rows(self):
        return [row for row in self.rows if row.changed]

    @property
    def shown_rows(self):
        """What a person needs to see: the changed rows, or for a new or removed part everything it holds."""
        if self.status == "added":
            return [row for row in self.rows if row.new]
        if self.status == "removed":
            return [row for row in self.rows if row.old]
        return self.changed_rows


@dataclass
class Comparison:
    """Two snapshots compared section by section (see `compare`)."""

    sections: list

    @property
    def changed(self):
        return [section for section in self.sections if section.status != "unchanged"]

    @property
    def unchanged(self):
        return [section for section in self.sections if section.status == "unchanged"]

    def __bool__(self):
        return bool(self.sections)

    def labels(self):
        """'Section: item' for every changed row, as one line of a summary or an e-mail."""
        return [f"{section.title}: {row.label}" for section in self.changed for row in section.changed_rows]


def _other_value(value):
    """A value under a snapshot key this module does not know (added by a later change): shown as text."""
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_other_value(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return "; ".join(_other_value(item) for item in value)
    return _display(value)


def _other_rows(item, known):
    return {
        key.replace("_", " ").capitalize(): _other_value(value)
        for key, value in item.items()
        if key not in known and value not in (None, "", [], {})
    }


def hours_by_day(hours, joiner=", "):
    """{weekday name: '09:00 to 12:00, 13:00 to 17:00'} (slots joined by `joiner`), for the days that have
    opening slots, in weekday order."""
    days = {}
    for slot in sorted(hours or [], key=lambda h: (h.get("weekday", 0), h.get("opens_at") or "")):
        weekday = slot.get("weekday")
        if not isinstance(weekday, int) or not 0 <= weekday < len(WEEKDAY_NAMES):
            continue
        days.setdefault(weekday, []).append(f"{slot.get('opens_at')} to {slot.get('closes_at')}")
    return {WEEKDAY_NAMES[day]: joiner.join(slots) for day, slots in sorted(days.items())}


def _closures_text(closures):
    """'24 December 2026 to 2 January 2027 (Christmas); 1 May 2027', in date order."""
    parts = []
    for closure in sorted(closures or [], key=lambda c: (c.get("starts_on") or "", c.get("ends_on") or "")):
        try:
            starts, ends = date.fromisoformat(closure["starts_on"]), date.fromisoformat(closure["ends_on"])
        except (KeyError, TypeError, ValueError):
            continue
        when = f"{starts:%-d %B %Y}" if starts == ends else f"{starts:%-d %B %Y} to {ends:%-d %B %Y}"
        parts.append(f"{when} ({closure['note']})" if closure.get("note") else when)
    return "; ".join(parts)


def location_title(location, position):
    """How a location is named to people: its name, else its first line and postcode."""
    address = ", ".join(part for part in (location.get("address_1"), location.get("postcode")) if part)
    return location.get("name") or address or f"Location {position}"


def _about_rows(org):
    rows = {}
    for field in ABOUT_FIELDS:
        value = org.get(field)
        if field == "kind":
            value = KIND_LABELS.get(value, value)
        elif field == "status":
            value = STATUS_LABELS.get(value, value)
        rows[FIELD_LABELS[field]] = _display(value)
    return rows


def _contact_rows(org):
    return {FIELD_LABELS[field]: _display(org.get(field)) for field in CONTACT_FIELDS}


def _service_rows(service, location_names):
    rows = {FIELD_LABELS[field]: _display(service.get(field)) for field in SERVICE_FIELDS}
    rows["Categories and groups"] = _term_names(service.get("terms") or [])
    rows["Where it helps people"] = AREA_SCOPE_LABELS.get(service.get("area_scope"), "At its address")
    rows["Wards served"] = _ward_names(service.get("areas") or [])
    rows["Locations"] = "; ".join(
        location_names[i] for i in service.get("locations") or [] if isinstance(i, int) and 0 <= i < len(location_names)
    )
    rows |= {f"Opening hours: {day}": slots for day, slots in hours_by_day(service.get("hours")).items()}
    rows["Holiday closures"] = _closures_text(service.get("closures"))
    rows |= _other_rows(service, _KNOWN_SERVICE_KEYS)
    return rows


def _location_rows(location):
    rows = {FIELD_LABELS[field]: _display(location.get(field)) for field in LOCATION_FIELDS}
    rows["Accessibility"] = _term_names(location.get("accessibility") or [])
    rows |= _other_rows(location, _KNOWN_LOCATION_KEYS)
    return rows


def _section(kind, title, old_rows, new_rows):
    """Rows over the labels of both sides; None for a side means the part is not there."""
    labels = list(dict.fromkeys([*(old_rows or {}), *(new_rows or {})]))
    rows = [DiffRow(label, (old_rows or {}).get(label, ""), (new_rows or {}).get(label, "")) for label in labels]
    if old_rows is None:
        status = "added"
    elif new_rows is None:
        status = "removed"
    else:
        status = "changed" if any(row.changed for row in rows) else "unchanged"
    return DiffSection(kind, title, status, rows)


def _pair(old_items, new_items):
    """(old, new) pairs of services or locations: the same uuid is the same item, wherever it is in the list.
    Items not yet saved have no uuid: those are paired in their order (both sides of an edit conflict).
    The new side's order first, then what was removed."""
    old_by_uuid = {item["uuid"]: item for item in old_items if item.get("uuid")}
    old_unsaved = [item for item in old_items if not item.get("uuid")]
    pairs, matched = [], set()
    for item in new_items:
        uuid = item.get("uuid")
        if uuid and uuid in old_by_uuid:
            pairs.append((old_by_uuid[uuid], item))
            matched.add(uuid)
        elif not uuid and old_unsaved:
            pairs.append((old_unsaved.pop(0), item))
        else:
            pairs.append((None, item))
    removed = [item for item in old_items if item.get("uuid") and item["uuid"] not in matched]
    return pairs + [(item, None) for item in removed + old_unsaved]


def _position(items, item):
    return next(n for n, candidate in enumerate(items, start=1) if candidate is item)


def compare(old, new):
    """The difference between two snapshots as a Comparison of sections: About the group, Contact details,
    each service and each location (matched by uuid, not by position), each added, removed, changed or
    unchanged. An empty `old` ({}) is a new listing: everything is added."""
    old, new = old or {}, new or {}
    old_org, new_org = old.get("organisation"), new.get("organisation")
    sections = [
        _section(
            "about",
            "About the group",
            _about_rows(old_org) if old_org else None,
            _about_rows(new_org) if new_org else None,
        ),
        _section(
            "contact",
            "Contact details",
            _contact_rows(old_org) if old_org else None,
            _contact_rows(new_org) if new_org else None,
        ),
    ]
    old_locations, new_locations = old.get("locations") or [], new.get("locations") or []
    old_names = [location_title(loc, n) for n, loc in enumerate(old_locations, start=1)]
    new_names = [location_title(loc, n) for n, loc in enumerate(new_locations, start=1)]
    for before, after in _pair(old.get("services") or [], new.get("services") or []):
        title = (after or before).get("name") or "Service with no name"
        sections.append(
            _section(
                "service",
                f"Service: {title}",
                _service_rows(before, old_names) if before is not None else None,
                _service_rows(after, new_names) if after is not None else None,
            )
        )
    for before, after in _pair(old_locations, new_locations):
        position = _position(new_locations, after) if after is not None else _position(old_locations, before)
        sections.append(
            _section(
                "location",
                f"Location: {location_title(after or before, position)}",
                _location_rows(before) if before is not None else None,
                _location_rows(after) if after is not None else None,
            )
        )
    return Comparison([section for section in sections if section.rows])


def changed_labels(old, new):
    return compare(old, new).labels()
