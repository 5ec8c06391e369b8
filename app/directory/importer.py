"""CSV import of the legacy Barnet Community Directory, and CSV export of the public directory.

No request is needed here: the web pages (import_views.py), the background task and `flask directory
import/export` all use these functions.

Import, in two steps:
1. *checking*: the file is read (UTF-8, with or without a byte order mark; a header row naming the columns),
   every row is built into a listing snapshot (the shape of `services.snapshot`) and checked with the
   listing form's rules, and duplicates are looked for: the same charity number or legacy ID as an existing
   listing or an earlier row, or a nearly identical name at the same postcode. Each problem is reported as
   (line, column, problem). Nothing is written.
2. *saving* (not in a dry run): the rows are created with `services.create_organisation`, all in the
   caller's one transaction, which the caller commits. If any row has a problem nothing is written, unless
   the officer chose to import the good rows and skip the rest. Between rows the import asks
   `should_abort()`; when it says yes, everything is rolled back.

Export writes the same columns, so an export can be imported again; confidential addresses are left out,
and cells that a spreadsheet would run as a formula are made plain text.
"""
import csv
import io
import json
import logging
import re
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import selectinload
from wtforms.validators import Email, ValidationError

from ..extensions import db
from ..places.services import normalise_postcode
from ..tasks import app_task
from ..timeutil import utcnow
from . import services
from .forms import TIME_RE, validate_phone, validate_postcode, validate_url
from .import_models import DirectoryImport
from .models import KIND_LABELS, STATUS_LABELS, WEEKDAY_NAMES, Location, Organisation, Service, Taxonomy, TaxonomyTerm

log = logging.getLogger("portal.directory.import")

COLUMNS = (
    "name", "description", "kind", "status", "email", "website", "phone", "charity_number", "company_number",
    "service_name", "service_description", "categories", "address_1", "address_2", "city", "postcode",
    "confidential", "accessibility", "opening_hours", "minimum_age", "maximum_age", "legacy_id",
    "service_areas",
)
REQUIRED_COLUMNS = ("name",)
COLUMN_HELP = {
    "name": "Name of the organisation (needed on every row)",
    "description": "What the organisation does",
    "kind": "Type: " + ", ".join(KIND_LABELS.values()) + " (or vcfs, faith, infrastructure, business, statutory). Empty means voluntary or community group",
    "status": "Active, Temporarily closed or Inactive. Empty means active",
    "email": "Email address, like name@example.com",
    "website": "Web address starting with https://",
    "phone": "Phone number, like 020 8359 2000",
    "charity_number": "Registered charity number, like 1012345",
    "company_number": "Companies House number, like 01234567",
    "service_name": "Name of the main service or activity (the organisation's name if empty)",
    "service_description": "What the service offers",
    "categories": "Directory categories, separated by semicolons, like Food; Youth",
    "address_1": "First line of the address",
    "address_2": "Second line of the address",
    "city": "Town or city (London if empty)",
    "postcode": "Postcode, like NW4 4BG",
    "confidential": "yes to hide the address from the public (a refuge or a home address), otherwise no",
    "accessibility": "Accessibility of the address, separated by semicolons, like Step-free access; Hearing loop",
    "opening_hours": "Days and 24-hour times separated by semicolons, like Mon 09:00-17:00; Wed 10:00-14:00 (or Mon-Fri 09:00-17:00)",
    "minimum_age": "Youngest age the service is for, in whole years from 0 to 120 (empty if none)",
    "maximum_age": "Oldest age the service is for, in whole years from 0 to 120 (empty if none)",
    "legacy_id": "The record's number in the old directory",
    "service_areas": "Where the service helps people beyond its address: all of Barnet, online or by phone, or ward "
                     "names separated by semicolons, like West Hendon; Burnt Oak (empty if only at its address)",
}
BOROUGH_WORDS = {"borough", "all of barnet", "whole borough", "borough-wide", "borough wide", "barnet", "all"}
REMOTE_WORDS = {"online", "by phone", "phone", "online or by phone", "remote", "online only", "phone only"}
MAX_LENGTHS = {
    "name": 255, "description": 5000, "email": 254, "website": 500, "phone": 40, "service_name": 255,
    "service_description": 5000, "address_1": 255, "address_2": 255, "city": 100, "legacy_id": 64,
}
FIELD_NAMES = {
    "name": "The name", "description": "The description", "email": "The email address", "website": "The web address",
    "phone": "The phone number", "service_name": "The service name", "service_description": "The service description",
    "address_1": "Address line 1", "address_2": "Address line 2", "city": "The town or city", "legacy_id": "The legacy ID",
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
DAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}
DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOURS_RE = re.compile(
    r"^(?P<days>[A-Za-z][A-Za-z ,\-–]*?)\s*:?\s+(?P<opens>\d{1,2}[:.]\d{2})\s*(?:-|–|to)\s*(?P<closes>\d{1,2}[:.]\d{2})$"
)
NAME_NOISE = {"the", "ltd", "limited"}
NAME_SIMILARITY = 0.9
# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXAMPLE_HEADER = "name,description,postcode"
PROGRESS_EVERY_SECONDS = 0.25
MAX_AGE = 120  # as the listing form


class FileRefused(Exception):
    """The file cannot be imported at all (not UTF-8 CSV, no header, required column missing)."""


@dataclass
class ImportReport:
    """What an import found and did; kept as JSON on the DirectoryImport row."""

    filename: str = ""
    dry_run: bool = True
    skip_bad_rows: bool = False
    # checked (dry run) | imported | refused (rows had problems, nothing written) | aborted | file_refused
    outcome: str = ""
    file_problem: str | None = None
    column_notes: list = field(default_factory=list)
    total_rows: int = 0
    ready: list = field(default_factory=list)  # {"line", "name", "postcode"}: rows that can be (or were) created
    problems: list = field(default_factory=list)  # {"line", "name", "field", "problem", "kind", "listing"}
    created: list = field(default_factory=list)  # {"line", "name", "slug"}

    @property
    def bad_lines(self):
        return sorted({p["line"] for p in self.problems})

    @property
    def error_lines(self):
        return sorted({p["line"] for p in self.problems if p["kind"] == "error"})

    @property
    def duplicate_lines(self):
        return sorted({p["line"] for p in self.problems if p["kind"] == "duplicate"} - set(self.error_lines))

    def summary(self):
        if self.file_problem:
            return f"The file cannot be imported: {self.file_problem}"
        counts = (
            f"{self.total_rows} {_plural(self.total_rows, 'row')}: {len(self.ready)} ready to import, "
            f"{len(self.error_lines)} with errors, {len(self.duplicate_lines)} {_plural(len(self.duplicate_lines), 'duplicate')}."
        )
        outcome = {
            "checked": "This was a check only: nothing was written.",
            "imported": f"Imported {len(self.created)} {_plural(len(self.created), 'listing')}"
            + (f" and skipped {len(self.bad_lines)} {_plural(len(self.bad_lines), 'row')} with problems." if self.bad_lines else "."),
            "refused": "Nothing was imported, because some rows have problems. Fix them, or choose to import "
            "the good rows and skip the rest.",
            "aborted": "The import was stopped: nothing was written.",
        }.get(self.outcome, "")
        return f"{counts} {outcome}".strip()

    def to_json(self):
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text):
        return cls(**json.loads(text)) if text else cls()


def _plural(count, word):
    return word if count == 1 else word + "s"


# --- Reading the file ----------------------------------------------------------------------------


@dataclass
class CsvFile:
    columns: list  # the header, normalised; None for a column without a name
    rows: list  # (line number, [cells])
    column_notes: list


def normalise_column(name):
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def read_csv(data):
    """Decode and split a CSV file; raises FileRefused with a message an officer can act on."""
    if not data or not data.strip():
        raise FileRefused("The file is empty.")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            "This is a spreadsheet workbook, not a CSV file. In Excel choose File, Save As, "
            "'CSV UTF-8 (Comma delimited)', then upload that file."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise FileRefused(
            "The file is not UTF-8 text (it may be UTF-16 or a binary file). Save it as 'CSV UTF-8' and upload it again."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileRefused(
            f"The file is not UTF-8 text: line {line} has characters in another encoding. "
            "Save the file as 'CSV UTF-8' and upload it again."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        header = next(reader, None)
        next_line = reader.line_num + 1
        for cells in reader:
            line, next_line = next_line, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
    except csv.Error:
        raise FileRefused(
            f"The file cannot be read as CSV near line {reader.line_num}: check the quotation marks on that line. "
            "A value with a comma or a line break in it must be in double quotation marks."
        ) from None
    if not header or not any(cell.strip() for cell in header):
        raise FileRefused(f"The first row must be a header row naming the columns, for example: {EXAMPLE_HEADER}")
    columns = [normalise_column(cell) or None for cell in header]
    if len(columns) == 1 and (";" in header[0] or "\t" in header[0]):
        raise FileRefused("Separate the columns with commas, not semicolons or tabs: save the file as 'CSV UTF-8 (Comma delimited)'.")
    seen = set()
    for name in columns:
        if name and name in seen:
            raise FileRefused(f"The column {name} appears twice in the header row: each column may appear once.")
        seen.add(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise FileRefused(
            f"The file has no {' or '.join(missing)} column. The first row must be a header row naming the columns, "
            f"for example: {EXAMPLE_HEADER}"
        )
    if not rows:
        raise FileRefused("The file has a header row but no rows of data.")
    notes = []
    for index, name in enumerate(columns, start=1):
        if name is None:
            notes.append(f"Column {index} has no name in the header row, so its values were not imported.")
        elif name not in COLUMNS:
            notes.append(f"The column {header[index - 1].strip()} is not one the directory uses, so its values were not imported.")
    return CsvFile(columns=columns, rows=rows, column_notes=notes)


def unprotect(value):
    """Undo the export's formula protection: "'=SUM" read back is "=SUM"."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


# --- Checking rows ---------------------------------------------------------------------------------


@dataclass
class Row:
    line: int
    values: dict
    problems: list = field(default_factory=list)
    data: dict | None = None  # the listing snapshot, when the row's values are valid

    @property
    def name(self):
        return self.values.get("name", "")

    def problem(self, column, text, kind="error", listing=None):
        self.problems.append(
            {"line": self.line, "name": self.name, "field": column, "problem": text, "kind": kind, "listing": listing}
        )

    @property
    def has_errors(self):
        return any(p["kind"] == "error" for p in self.problems)


class _Value:
    """Stands in for a WTForms field, so the listing form's own validators check import values."""

    def __init__(self, data):
        self.data = data
        self.errors = []


def _form_rule(validator, value):
    try:
        validator(None, _Value(value))
    except ValidationError as exc:
        return str(exc)
    return None


_email_rule = Email(message="Enter an email address in the correct format, like name@example.com")


class Vocabulary:
    """Directory terms by lower-case name or code, and the choices for kind and status."""

    def __init__(self):
        rows = db.session.execute(
            db.select(TaxonomyTerm.code, TaxonomyTerm.name, Taxonomy.code).join(Taxonomy)
            .where(Taxonomy.code.in_(("category", "accessibility")))
        ).all()
        self.terms = {"category": {}, "accessibility": {}}
        for code, name, taxonomy in rows:
            self.terms[taxonomy][name.lower()] = f"{taxonomy}/{code}"
            self.terms[taxonomy].setdefault(code, f"{taxonomy}/{code}")
        self.kinds = {**{code: code for code in KIND_LABELS}, **{label.lower(): code for code, label in KIND_LABELS.items()}}
        self.statuses = {**{code: code for code in STATUS_LABELS}, **{label.lower(): code for code, label in STATUS_LABELS.items()}}
        from ..places.models import WARD_SET_2022, Ward

        self.wards = {}
        for code, name in db.session.execute(db.select(Ward.code, Ward.name).where(Ward.ward_set == WARD_SET_2022)):
            self.wards[name.lower()] = self.wards[name.lower().replace("&", "and")] = self.wards[code.lower()] = code

    def service_areas(self, row, value):
        """(area_scope, ward codes) from the service_areas column."""
        text = " ".join(value.lower().split())
        if not text:
            return None, []
        if text in BOROUGH_WORDS:
            return "borough", []
        if text in REMOTE_WORDS:
            return "remote", []
        codes = []
        for part in (p.strip() for p in text.split(";")):
            part = re.sub(r"\s+ward$", "", part)
            if not part:
                continue
            code = self.wards.get(part)
            if code is None:
                row.problem("service_areas", f"“{part}” is not a Barnet ward. Use all of Barnet, online or by phone, "
                                             "or ward names separated by semicolons")
            elif code not in codes:
                codes.append(code)
        return ("wards" if codes else None), codes

    def term_keys(self, row, column, taxonomy, value):
        keys = []
        for part in (p.strip() for p in value.split(";")):
            if not part:
                continue
            key = self.terms[taxonomy].get(part.lower())
            if key is None:
                what = "category" if taxonomy == "category" else "accessibility feature"
                row.problem(column, f"“{part}” is not a directory {what}. Use the names listed on the import page, "
                                    "separated by semicolons")
            elif key not in keys:
                keys.append(key)
        return keys


def parse_opening_hours(value):
    """'Mon 09:00-17:00; Wed 10:00-14:00' -> ([{weekday, opens_at, closes_at}], [problems])."""
    hours, problems, days_seen = [], [], set()
    for entry in (e.strip() for e in re.split(r"[;\n]", value)):
        if not entry:
            continue
        match = HOURS_RE.match(entry)
        if not match:
            problems.append(f"Enter opening hours as days and 24-hour times, like Mon 09:00-17:00; Wed 10:00-14:00 "
                            f"(“{entry}” is not)")
            continue
        days = _days(match.group("days"))
        if days is None:
            problems.append(f"“{match.group('days').strip()}” is not a day: use Mon, Tue, Wed, Thu, Fri, Sat or Sun")
            continue
        opens, closes = match.group("opens"), match.group("closes")
        bad = [t for t in (opens, closes) if not TIME_RE.match(t)]
        if bad:
            problems.append(f"“{bad[0]}” is not a 24-hour time, like 09:30")
            continue
        opens, closes = _hhmm(opens), _hhmm(closes)
        for day in days:
            if closes <= opens:
                problems.append(f"The closing time on {WEEKDAY_NAMES[day]} must be after the opening time")
                break
            if day in days_seen:
                problems.append(f"{WEEKDAY_NAMES[day]} is given twice: the directory holds one opening time a day")
                break
            days_seen.add(day)
            hours.append({"weekday": day, "opens_at": opens, "closes_at": closes})
    return sorted(hours, key=lambda h: h["weekday"]), problems


def _days(text):
    days = []
    for part in (p.strip() for p in text.split(",")):
        ends = [e.strip().lower().rstrip(".") for e in re.split(r"\s*[-–]\s*", part)]
        if not part or len(ends) > 2 or any(e not in DAYS for e in ends):
            return None
        first, last = DAYS[ends[0]], DAYS[ends[-1]]
        if last < first:
            return None
        days += [d for d in range(first, last + 1) if d not in days]
    return days


def _hhmm(value):
    hours, minutes = TIME_RE.match(value).groups()
    return f"{int(hours):02d}:{minutes}"


def parse_age(value):
    """(age or None, problem or None): a whole number of years, as the listing form's age fields take."""
    if not value:
        return None, None
    if not value.isascii() or not value.isdigit() or not 0 <= int(value) <= MAX_AGE:
        return None, f"Enter an age from 0 to {MAX_AGE} in whole years (“{value[:20]}” is not)"
    return int(value), None


def format_opening_hours(hours):
    return "; ".join(f"{DAY_ABBREVIATIONS[h['weekday']]} {h['opens_at']}-{h['closes_at']}" for h in hours)


def build_row(line, values, vocabulary):
    """Check one row's values with the listing form's rules; on success `row.data` is its snapshot."""
    row = Row(line=line, values=values)
    v = {column: values.get(column, "") for column in COLUMNS}
    if not v["name"]:
        row.problem("name", "Enter the name of the organisation")
    for column, limit in MAX_LENGTHS.items():
        if len(v[column]) > limit:
            row.problem(column, f"{FIELD_NAMES[column]} must be {limit:,} characters or fewer")
    kind = vocabulary.kinds.get(v["kind"].lower(), None) if v["kind"] else "vcfs"
    if kind is None:
        row.problem("kind", "Enter the type of organisation: " + ", ".join(KIND_LABELS.values()))
    status = vocabulary.statuses.get(v["status"].lower(), None) if v["status"] else "active"
    if status is None:
        row.problem("status", "Enter the status: Active, Temporarily closed or Inactive")
    for column, rule in (("email", _email_rule), ("website", validate_url), ("phone", validate_phone), ("postcode", validate_postcode)):
        if v[column] and len(v[column]) <= MAX_LENGTHS.get(column, 10):
            problem = _form_rule(rule, v[column])
            if problem:
                row.problem(column, problem)
    if v["postcode"] and len(v["postcode"]) > 10:
        row.problem("postcode", "Enter a real postcode, like NW4 4BG")
    numbers = {}
    for column, normalise in (("charity_number", services.normalise_charity_number), ("company_number", services.normalise_company_number)):
        try:
            numbers[column] = normalise(v[column])
        except ValueError as exc:
            row.problem(column, str(exc))
    categories = vocabulary.term_keys(row, "categories", "category", v["categories"])
    accessibility = vocabulary.term_keys(row, "accessibility", "accessibility", v["accessibility"])
    area_scope, area_codes = vocabulary.service_areas(row, v["service_areas"])
    hours, hour_problems = parse_opening_hours(v["opening_hours"])
    for problem in hour_problems:
        row.problem("opening_hours", problem)
    ages = {}
    for column in ("minimum_age", "maximum_age"):
        ages[column], problem = parse_age(v[column])
        if problem:
            row.problem(column, problem)
    if None not in ages.values() and ages["maximum_age"] < ages["minimum_age"]:
        row.problem("maximum_age", "Oldest age must be the same as or more than the youngest age")
    confidential = v["confidential"].lower()
    if confidential not in YES | NO:
        row.problem("confidential", "Enter yes or no")
    has_address = bool(v["address_1"] or v["postcode"])
    if v["postcode"] and not v["address_1"]:
        row.problem("address_1", "Enter the first line of the address, or remove the postcode")
    if v["address_1"] and not v["postcode"]:
        row.problem("postcode", "Enter the postcode of the address")
    if v["address_2"] and not v["address_1"]:
        row.problem("address_1", "Enter the first line of the address, or remove address line 2")
    if accessibility and not has_address:
        row.problem("accessibility", "Accessibility describes an address: add the address, or leave accessibility empty")
    if row.problems:
        return row

    has_service = bool(v["service_name"] or v["service_description"] or categories or hours or area_scope
                       or any(age is not None for age in ages.values()))
    row.data = {
        "organisation": {
            "name": v["name"], "description": v["description"], "kind": kind, "status": status,
            "email": v["email"].lower() or None, "website": v["website"] or None, "phone": v["phone"] or None,
            "charity_number": numbers["charity_number"], "company_number": numbers["company_number"],
        },
        "services": [{
            "name": v["service_name"] or v["name"], "description": v["service_description"], "url": None, "email": None,
            "phone": None, "status": status, "fees_description": None, **ages,
            "terms": categories, "area_scope": area_scope, "areas": area_codes, "hours": hours,
            "locations": [0] if has_address else [],
        }] if has_service else [],
        "locations": [{
            "name": "", "address_1": v["address_1"], "address_2": v["address_2"] or None, "city": v["city"] or "London",
            "postcode": normalise_postcode(v["postcode"]), "confidential": confidential in YES,
            "accessibility": accessibility, "accessibility_notes": None,
        }] if has_address else [],
    }
    return row


# --- Duplicates --------------------------------------------------------------------------------------


def name_key(name):
    """A name reduced for comparison: case, accents, punctuation, "the", "&"/"and", "Ltd"/"Limited"."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower().replace("&", " and ")
    return " ".join(word for word in re.split(r"[^a-z0-9]+", text) if word and word not in NAME_NOISE)


def similar_names(a, b):
    return a == b or SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY


class DuplicateFinder:
    """Existing listings (published or not) and the rows accepted so far, by charity number, legacy ID and
    (name, postcode)."""

    def __init__(self):
        self.charity, self.legacy, self.by_postcode = {}, {}, {}
        organisations = db.session.execute(
            db.select(Organisation.id, Organisation.name, Organisation.slug, Organisation.published,
                      Organisation.charity_number, Organisation.legacy_id)
        ).all()
        postcodes = {}
        for org_id, postcode in db.session.execute(db.select(Location.organisation_id, Location.postcode).where(Location.postcode.is_not(None))):
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
            self.by_postcode.setdefault(postcode, []).append((name_key(name), listing))

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
            row.problem("legacy_id", f"Same legacy ID as {_describe(other)}: it may have been imported already", "duplicate", _link(other))
        key = name_key(org["name"])
        for postcode in sorted(postcodes):
            for other_key, other in self.by_postcode.get(postcode, []):
                if similar_names(key, other_key):
                    row.problem("name", f"Nearly the same name as {_describe(other)}, at the same postcode {postcode}", "duplicate", _link(other))
                    break
        if not row.problems:
            self._add({"name": org["name"], "line": row.line}, org["charity_number"], legacy_id, org["name"], postcodes)


def _describe(other):
    if "line" in other:
        return f"line {other['line']} ({other['name']})"
    return f"the existing listing {other['name']}"


def _link(other):
    if "line" in other or not other.get("published"):
        return None
    return {"name": other["name"], "slug": other["slug"]}


# --- Running an import ----------------------------------------------------------------------------------


class ImportAborted(Exception):
    pass


def check_rows(csv_file, progress=None, should_abort=None):
    """Every row built and checked (and compared for duplicates); writes nothing."""
    vocabulary = Vocabulary()
    duplicates = DuplicateFinder()
    width = len(csv_file.columns)
    rows = []
    total = len(csv_file.rows)
    with db.session.no_autoflush:
        for done, (line, cells) in enumerate(csv_file.rows, start=1):
            if should_abort and should_abort():
                raise ImportAborted()
            values = {
                column: unprotect(cell.strip())
                for column, cell in zip(csv_file.columns, cells)
                if column in COLUMNS
            }
            row = build_row(line, values, vocabulary)
            if len(cells) > width:
                row.problem("", f"This row has {len(cells)} cells but the header row has {width} columns: check for a stray "
                                "comma, or a value that needs double quotation marks")
                row.data = None
            if row.data is not None:
                duplicates.check(row)
            rows.append(row)
            if progress:
                progress("checking", done, total)
    return rows


def run_import(data, user=None, *, dry_run=True, skip_bad_rows=False, filename="", progress=None, should_abort=None):
    """Check (and unless `dry_run`, create) the listings in CSV `data`; returns an ImportReport.

    Created listings are left in the session for the caller to commit, so that an import is one
    transaction; on an abort, a refusal or any error, the session is rolled back and nothing is written.
    """
    report = ImportReport(filename=filename, dry_run=dry_run, skip_bad_rows=skip_bad_rows)
    try:
        csv_file = read_csv(data)
    except FileRefused as exc:
        report.outcome, report.file_problem = "file_refused", str(exc)
        return report
    report.column_notes = csv_file.column_notes
    report.total_rows = len(csv_file.rows)
    try:
        rows = check_rows(csv_file, progress, should_abort)
        good = [row for row in rows if not row.problems]
        report.problems = [problem for row in rows for problem in row.problems]
        report.ready = [{"line": row.line, "name": row.name, "postcode": _postcode(row)} for row in good]
        if dry_run:
            report.outcome = "checked"
            return report
        if report.problems and not skip_bad_rows:
            report.outcome = "refused"
            return report
        if progress:
            progress("saving", 0, len(good))
        for done, row in enumerate(good, start=1):
            if should_abort and should_abort():
                raise ImportAborted()
            organisation = services.create_organisation(
                row.data, user, summary=f"Imported from the legacy directory (line {row.line})"
            )
            organisation.legacy_id = row.values.get("legacy_id") or None
            # The old directory's records were last checked years ago: they are due a check now.
            organisation.last_verified_at = None
            db.session.flush()
            report.created.append({"line": row.line, "name": organisation.name, "slug": organisation.slug})
            if progress:
                progress("saving", done, len(good))
        if should_abort and should_abort():
            raise ImportAborted()
    except ImportAborted:
        db.session.rollback()
        report.outcome, report.created = "aborted", []
        return report
    except BaseException:
        db.session.rollback()
        raise
    report.outcome = "imported"
    return report


def _postcode(row):
    locations = row.data["locations"] if row.data else []
    return locations[0]["postcode"] if locations else None


# --- Background imports from the web ----------------------------------------------------------------------


def upload_folder():
    folder = Path(current_app.instance_path) / "directory-imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def remove_upload(job):
    if job.stored_name:
        (upload_folder() / job.stored_name).unlink(missing_ok=True)
        job.stored_name = None


class JobProgress:
    """Progress and the abort flag, read and written on their own short connections, so the officer's page
    sees them while the import's own transaction is still open (and so they survive its rollback)."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.last = 0.0
        self.sqlite = db.engine.dialect.name == "sqlite"

    def update(self, **values):
        with db.engine.begin() as connection:
            connection.execute(db.update(DirectoryImport).where(DirectoryImport.id == self.job_id).values(**values))

    def __call__(self, step, done, total):
        now = time.monotonic()
        if done not in (0, 1, total) and now - self.last < PROGRESS_EVERY_SECONDS:
            return
        # SQLite has one writer: once the import's transaction has saved a row, progress cannot be written
        # until it ends (a few seconds for the legacy directory's 300 rows).
        if step == "saving" and done and self.sqlite:
            return
        self.last = now
        self.update(step=step, rows_done=done, rows_total=total)

    def abort_requested(self):
        with db.engine.connect() as connection:
            return bool(connection.scalar(db.select(DirectoryImport.abort_requested).where(DirectoryImport.id == self.job_id)))


def start_job(job_id):
    """Claim a queued job for this worker; False when it was aborted or taken meanwhile."""
    with db.engine.begin() as connection:
        claimed = connection.execute(
            db.update(DirectoryImport)
            .where(DirectoryImport.id == job_id, DirectoryImport.state == "queued")
            .values(state="running", step="reading", rows_done=0, rows_total=0, updated_at=utcnow())
        ).rowcount
    return claimed == 1


def process_job(job_id):
    """Run one queued DirectoryImport (a dry run or an import) and record its outcome."""
    db.session.rollback()
    if not start_job(job_id):
        return None
    progress = JobProgress(job_id)
    job = db.session.get(DirectoryImport, job_id)
    db.session.refresh(job)
    try:
        if job.abort_requested:
            report = ImportReport(filename=job.filename, dry_run=job.mode == "check", outcome="aborted")
        else:
            path = upload_folder() / (job.stored_name or "missing")
            if not job.stored_name or not path.exists():
                raise FileNotFoundError("The uploaded file is no longer there: upload it again.")
            report = run_import(
                path.read_bytes(), job.created_by, dry_run=job.mode == "check", skip_bad_rows=job.skip_bad_rows,
                filename=job.filename, progress=progress, should_abort=progress.abort_requested,
            )
        finish_job(job, report)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - whatever happened, the officer must see that nothing was written
        db.session.rollback()
        log.exception("directory import failed", extra={"import_id": job_id})
        job = db.session.get(DirectoryImport, job_id)
        job.state = "failed"
        job.message = str(exc) if isinstance(exc, FileNotFoundError) else "Something went wrong while importing. Nothing was written."
        job.finished_at = utcnow()
        remove_upload(job)
        db.session.commit()
    return job.state


def finish_job(job, report):
    job.report = report.to_json()
    job.step = ""
    if report.outcome == "checked":
        job.state, job.message = "checked", None
    elif report.outcome == "refused":
        # A real run found problems the check did not (the directory changed meanwhile): back to the officer.
        job.state = "checked"
        job.message = "Nothing was imported: some rows now have problems. Look at them below, then choose again."
    else:
        job.state = {"imported": "imported", "aborted": "aborted", "file_refused": "refused"}[report.outcome]
        job.message = report.file_problem
        job.finished_at = utcnow()
        remove_upload(job)
    job.rows_total = report.total_rows
    job.rows_done = len(report.created) if report.outcome == "imported" else report.total_rows


@app_task()
def import_task(job_id):
    return process_job(job_id)


def request_abort(job):
    """Ask a queued or running import to stop. Returns what happened: stopped, asked, or finished."""
    with db.engine.begin() as connection:
        stopped = connection.execute(
            db.update(DirectoryImport)
            .where(DirectoryImport.id == job.id, DirectoryImport.state == "queued")
            .values(state="aborted", abort_requested=True, finished_at=utcnow())
        ).rowcount
        if stopped:
            return "stopped"
        asked = connection.execute(
            db.update(DirectoryImport)
            .where(DirectoryImport.id == job.id, DirectoryImport.state == "running")
            .values(abort_requested=True)
        ).rowcount
    return "asked" if asked else "finished"


def cancel(job):
    """The officer does not go ahead after the check: forget the file."""
    job.state = "cancelled"
    job.finished_at = utcnow()
    remove_upload(job)


def forget_stale_checks(hours=24):
    """Checked files nobody imported within a day are removed, so personal details are not kept."""
    from datetime import timedelta

    cutoff = utcnow() - timedelta(hours=hours)
    stale = db.session.scalars(
        db.select(DirectoryImport).where(DirectoryImport.state == "checked", DirectoryImport.updated_at < cutoff)
    ).all()
    for job in stale:
        cancel(job)
    return len(stale)


# --- Export -------------------------------------------------------------------------------------------------


def protect(value):
    """A cell a spreadsheet would run as a formula is prefixed with a single quote (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def exported_organisations():
    """What the public sees: published organisations that are not inactive, by name."""
    return db.session.scalars(
        db.select(Organisation)
        .where(Organisation.published.is_(True), Organisation.status != "inactive")
        .order_by(Organisation.name, Organisation.id)
        .options(
            selectinload(Organisation.services).selectinload(Service.terms).selectinload(TaxonomyTerm.taxonomy),
            selectinload(Organisation.services).selectinload(Service.schedules),
            selectinload(Organisation.services).selectinload(Service.areas),
            selectinload(Organisation.locations).selectinload(Location.accessibility),
        )
    ).all()


def export_service_areas(service):
    if service is None or not service.area_scope:
        return ""
    if service.area_scope == "borough":
        return "all of Barnet"
    if service.area_scope == "remote":
        return "online or by phone"
    return "; ".join(ward.name for ward in service.areas)


def export_row(organisation):
    service = organisation.services[0] if organisation.services else None
    location = organisation.public_locations[0] if organisation.public_locations else None
    hidden = location is None and any(loc.confidential for loc in organisation.locations)
    hours = [
        {"weekday": s.weekday, "opens_at": s.opens_at.strftime("%H:%M"), "closes_at": s.closes_at.strftime("%H:%M")}
        for s in sorted(service.schedules, key=lambda s: (s.weekday, s.opens_at))
    ] if service else []
    row = {
        "name": organisation.name, "description": organisation.description, "kind": organisation.kind,
        "status": organisation.status, "email": organisation.email, "website": organisation.website,
        "phone": organisation.phone, "charity_number": organisation.charity_number,
        "company_number": organisation.company_number,
        "service_name": service.name if service else "", "service_description": service.description if service else "",
        "categories": "; ".join(t.name for t in service.terms if t.taxonomy.code == "category") if service else "",
        "address_1": location.address_1 if location else "", "address_2": location.address_2 if location else "",
        "city": location.city if location else "", "postcode": location.postcode if location else "",
        "confidential": "yes" if hidden else "no",
        "accessibility": "; ".join(t.name for t in location.accessibility) if location else "",
        "opening_hours": format_opening_hours(hours),
        "minimum_age": service.minimum_age if service else None, "maximum_age": service.maximum_age if service else None,
        "legacy_id": organisation.legacy_id,
        "service_areas": export_service_areas(service),
    }
    return [protect(row[column]) for column in COLUMNS]


def write_export(stream):
    """Write the public directory as CSV to a text stream; returns the number of organisations."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for organisation in exported_organisations():
        writer.writerow(export_row(organisation))
        count += 1
    return count


def export_csv():
    """The export as UTF-8 text with a byte order mark, so that Excel opens it with the right characters."""
    stream = io.StringIO()
    stream.write("\ufeff")
    write_export(stream)
    return stream.getvalue()


def problems_csv(report):
    """The per-row problems as CSV (line, column, problem), for fixing the file in a spreadsheet."""
    stream = io.StringIO()
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(["line", "name", "column", "kind", "problem"])
    for p in sorted(report.problems, key=lambda p: p["line"]):
        writer.writerow([p["line"], protect(p["name"]), p["field"] or "whole row", p["kind"], protect(p["problem"])])
    return stream.getvalue()
