"""Checking the import file's rows: each built into a listing snapshot and checked with the listing form's rules."""

import re
from dataclasses import dataclass, field

from wtforms.validators import Email, ValidationError

from ...extensions import db
from ...forms import control_characters, validate_phone, validate_url
from ...places.models import WARD_SET_2022, Ward
from ...places.services import normalise_postcode
from .. import services
from ..forms import validate_postcode
from ..models import KIND_LABELS, STATUS_LABELS, Taxonomy, TaxonomyTerm
from .common import (
    BOROUGH_WORDS,
    COLUMNS,
    FIELD_NAMES,
    MAX_AGE,
    MAX_LENGTHS,
    MULTILINE_COLUMNS,
    NO,
    REMOTE_WORDS,
    SERVICE_COLUMNS,
    YES,
)
from .hours import parse_opening_hours


@dataclass
class Row:
    line: int
    values: dict
    problems: list = field(default_factory=list)
    data: dict | None = None  # the listing snapshot, when the row's values are valid
    lines: list = field(default_factory=list)  # a listing of several rows: all of them (grouping.build_listing)
    ids: dict = field(default_factory=dict)  # and the IDs the file gave its organisation, services and locations

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
            db.select(TaxonomyTerm.code, TaxonomyTerm.name, Taxonomy.code)
            .join(Taxonomy)
            .where(Taxonomy.code.in_(("category", "accessibility")))
        ).all()
        self.terms = {"category": {}, "accessibility": {}}
        for code, name, taxonomy in rows:
            self.terms[taxonomy][name.lower()] = f"{taxonomy}/{code}"
            self.terms[taxonomy].setdefault(code, f"{taxonomy}/{code}")
        self.kinds = {
            **{code: code for code in KIND_LABELS},
            **{label.lower(): code for code, label in KIND_LABELS.items()},
        }
        self.statuses = {
            **{code: code for code in STATUS_LABELS},
            **{label.lower(): code for code, label in STATUS_LABELS.items()},
        }
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
                row.problem(
                    "service_areas",
                    f"“{part}” is not a Barnet ward. Use all of Barnet, online or by phone, "
                    "or ward names separated by semicolons",
                )
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
                row.problem(
                    column,
                    f"“{part}” is not a directory {what}. Use the names listed on the import page, "
                    "separated by semicolons",
                )
            elif key not in keys:
                keys.append(key)
        return keys


def parse_age(value):
    """(age or None, problem or None): a whole number of years, as the listing form's age fields take."""
    if not value:
        return None, None
    if not value.isascii() or not value.isdigit() or not 0 <= int(value) <= MAX_AGE:
        return None, f"Enter an age from 0 to {MAX_AGE} in whole years (“{value[:20]}” is not)"
    return int(value), None


def build_row(line, values, vocabulary):
    """Check one row's values with the listing form's rules; on success `row.data` is its snapshot."""
    row = Row(line=line, values=values)
    v = {column: values.get(column, "") for column in COLUMNS}
    if not v["name"]:
        row.problem("name", "Enter the name of the organisation")
    for column, limit in MAX_LENGTHS.items():
        if len(v[column]) > limit:
            row.problem(column, f"{FIELD_NAMES[column]} must be {limit:,} characters or fewer")
    # The listing form's rule (app/forms.py): one-line values have no line breaks or control characters.
    for column in COLUMNS:
        multiline = column in MULTILINE_COLUMNS
        if v[column] and control_characters(v[column], multiline=multiline):
            row.problem(
                column,
                f"The {column.replace('_', ' ')} must not contain control characters"
                if multiline
                else f"The {column.replace('_', ' ')} must be on one line: remove line breaks and control characters",
            )
    kind = vocabulary.kinds.get(v["kind"].lower(), None) if v["kind"] else "vcfs"
    if kind is None:
        row.problem("kind", "Enter the type of organisation: " + ", ".join(KIND_LABELS.values()))
    status = vocabulary.statuses.get(v["status"].lower(), None) if v["status"] else "active"
    if status is None:
        row.problem("status", "Enter the status: Active, Temporarily closed or Inactive")
    service_status = vocabulary.statuses.get(v["service_status"].lower(), None) if v["service_status"] else status
    if v["service_status"] and service_status is None:
        row.problem("service_status", "Enter the service's status: Active, Temporarily closed or Inactive")
    for column, rule in (
        ("email", _email_rule),
        ("website", validate_url),
        ("phone", validate_phone),
        ("service_email", _email_rule),
        ("service_url", validate_url),
        ("service_phone", validate_phone),
        ("postcode", validate_postcode),
    ):
        if v[column] and len(v[column]) <= MAX_LENGTHS.get(column, 10):
            problem = _form_rule(rule, v[column])
            if problem:
                row.problem(column, problem)
    if v["postcode"] and len(v["postcode"]) > 10:
        row.problem("postcode", "Enter a real postcode, like NW4 4BG")
    numbers = {}
    for column, normalise in (
        ("charity_number", services.normalise_charity_number),
        ("company_number", services.normalise_company_number),
    ):
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
    has_address = bool(v["address_1"] or v["postcode"] or v["location_name"])
    # A named place may be given by its postcode alone ("Hendon Library, NW4 4BG"), as the demo listings are.
    if v["postcode"] and not v["address_1"] and not v["location_name"]:
        row.problem("address_1", "Enter the first line of the address, or remove the postcode")
    if v["location_name"] and not v["postcode"] and not v["address_1"]:
        row.problem("postcode", "Enter the postcode of the place")
    if v["address_1"] and not v["postcode"]:
        row.problem("postcode", "Enter the postcode of the address")
    if v["address_2"] and not v["address_1"]:
        row.problem("address_1", "Enter the first line of the address, or remove address line 2")
    if accessibility and not has_address:
        row.problem(
            "accessibility", "Accessibility describes an address: add the address, or leave accessibility empty"
        )
    if v["accessibility_notes"] and not has_address:
        row.problem(
            "accessibility_notes",
            "Accessibility notes describe an address: add the address, or leave the notes empty",
        )
    if row.problems:
        return row

    has_service = bool(
        any(v[column] for column in SERVICE_COLUMNS if column not in ("service_id", "service_status"))
        or any(age is not None for age in ages.values())
    )
    row.data = {
        "organisation": {
            "name": v["name"],
            "description": v["description"],
            "kind": kind,
            "status": status,
            "email": v["email"].lower() or None,
            "website": v["website"] or None,
            "phone": v["phone"] or None,
            "charity_number": numbers["charity_number"],
            "company_number": numbers["company_number"],
        },
        "services": [
            {
                "name": v["service_name"] or v["name"],
                "description": v["service_description"],
                "url": v["service_url"] or None,
                "email": v["service_email"].lower() or None,
                "phone": v["service_phone"] or None,
                "status": service_status,
                "fees_description": v["fees"] or None,
                **ages,
                "terms": categories,
                "area_scope": area_scope,
                "areas": area_codes,
                "hours": hours,
                "locations": [0] if has_address else [],
            }
        ]
        if has_service
        else [],
        "locations": [
            {
                "name": v["location_name"],
                "address_1": v["address_1"],
                "address_2": v["address_2"] or None,
                "city": v["city"] or "London",
                "postcode": normalise_postcode(v["postcode"]),
                "confidential": confidential in YES,
                "accessibility": accessibility,
                "accessibility_notes": v["accessibility_notes"] or None,
            }
        ]
        if has_address
        else [],
    }
    return row
