"""What every part of the directory import uses: the file's columns, their help and limits, and the report."""

import json
from dataclasses import asdict, dataclass, field

from ..models import KIND_LABELS, ORGANISATION_FIELDS

# One row per service at a location (see docs/directory-csv.md). The organisation's columns are repeated on each
# of its rows, a service's on each of its locations' rows, and the *_id columns say which rows belong together.
# A file of the old layout (one row per organisation, without the *_id columns) is still read: each row is
# then one listing, with at most one service and one address.
# The organisation's columns are the snapshot's organisation fields, between its ID and the old directory's.
ORGANISATION_COLUMNS = ("organisation_id", *ORGANISATION_FIELDS, "legacy_id")
SERVICE_COLUMNS = (
    "service_id",
    "service_name",
    "service_description",
    "service_status",
    "service_url",
    "service_email",
    "service_phone",
    "fees",
    "categories",
    "minimum_age",
    "maximum_age",
    "service_areas",
    "opening_hours",
)
LOCATION_COLUMNS = (
    "location_id",
    "location_name",
    "address_1",
    "address_2",
    "city",
    "postcode",
    "confidential",
    "accessibility",
    "accessibility_notes",
)
COLUMNS = ORGANISATION_COLUMNS + SERVICE_COLUMNS + LOCATION_COLUMNS
ID_COLUMNS = ("organisation_id", "service_id", "location_id")
REQUIRED_COLUMNS = ("name",)
# Columns that may hold line breaks (the rest are one line, as on the listing form).
MULTILINE_COLUMNS = ("description", "service_description", "fees", "opening_hours", "accessibility_notes")
COLUMN_HELP = {
    "organisation_id": "Which rows are one organisation: the same on each of its rows. The export gives the "
    "directory's own ID; for a new organisation make one up, like ORG1, or leave it empty if it has one row",
    "name": "Name of the organisation (needed: on every row, or on one of the rows with its organisation_id)",
    "description": "What the organisation does",
    "kind": "Type: "
    + ", ".join(KIND_LABELS.values())
    + " (or vcfs, faith, infrastructure, business, statutory). Empty means voluntary or community group",
    "status": "Active, Temporarily closed or Inactive. Empty means active",
    "email": "Email address, like name@example.com",
    "website": "Web address starting with https://",
    "phone": "Phone number, like 020 8359 2000",
    "charity_number": "Registered charity number, like 1012345",
    "company_number": "Companies House number, like 01234567",
    "legacy_id": "The record's number in the old directory",
    "service_id": "Which rows are one service (one row for each place it is offered): the same on each of its "
    "rows. For a new service make one up, like S1, or leave it empty: rows with the same service name are then "
    "one service",
    "service_name": "Name of the service or activity (the organisation's name if empty)",
    "service_description": "What the service offers",
    "service_status": "Active, Temporarily closed or Inactive (the organisation's status if empty)",
    "service_url": "The service's own web page, starting with https://",
    "service_email": "The service's own email address",
    "service_phone": "The service's own phone number",
    "fees": "What it costs, like Free, or £2 a session",
    "categories": "Directory categories, separated by semicolons, like Food; Youth",
    "minimum_age": "Youngest age the service is for, in whole years from 0 to 120 (empty if none)",
    "maximum_age": "Oldest age the service is for, in whole years from 0 to 120 (empty if none)",
    "service_areas": "Where the service helps people beyond its address: all of Barnet, online or by phone, or ward "
    "names separated by semicolons, like West Hendon; Burnt Oak (empty if only at its address)",
    "opening_hours": "Days and 24-hour times separated by semicolons, several times a day separated by commas, "
    "like Mon 09:00-12:00, 13:00-17:00; Wed 10:00-14:00 (or Mon-Fri 09:00-17:00)",
    "location_id": "Which rows are one address: the same on each of its rows. For a new address make one up, "
    "like L1, or leave it empty: rows with the same address are then one place",
    "location_name": "Name of the place, like Hendon Library",
    "address_1": "First line of the address",
    "address_2": "Second line of the address",
    "city": "Town or city (London if empty)",
    "postcode": "Postcode, like NW4 4BG",
    "confidential": "yes to hide the address from the public (a refuge or a home address), otherwise no",
    "accessibility": "Accessibility of the address, separated by semicolons, like Step-free access; Hearing loop",
    "accessibility_notes": "More about access, like Ramp at the side door",
}
BOROUGH_WORDS = {"borough", "all of barnet", "whole borough", "borough-wide", "borough wide", "barnet", "all"}
REMOTE_WORDS = {"online", "by phone", "phone", "online or by phone", "remote", "online only", "phone only"}
MAX_LENGTHS = {
    "organisation_id": 64,
    "service_id": 64,
    "location_id": 64,
    "name": 255,
    "description": 5000,
    "email": 254,
    "website": 500,
    "phone": 40,
    "service_name": 255,
    "service_description": 5000,
    "service_url": 500,
    "service_email": 254,
    "service_phone": 40,
    "fees": 5000,
    "location_name": 255,
    "address_1": 255,
    "address_2": 255,
    "city": 100,
    "legacy_id": 64,
    "accessibility_notes": 5000,
}
FIELD_NAMES = {
    "organisation_id": "The organisation ID",
    "service_id": "The service ID",
    "location_id": "The location ID",
    "name": "The name",
    "description": "The description",
    "email": "The email address",
    "website": "The web address",
    "phone": "The phone number",
    "service_name": "The service name",
    "service_description": "The service description",
    "service_url": "The service's web address",
    "service_email": "The service's email address",
    "service_phone": "The service's phone number",
    "fees": "The costs",
    "location_name": "The name of the place",
    "accessibility_notes": "The accessibility notes",
    "address_1": "Address line 1",
    "address_2": "Address line 2",
    "city": "The town or city",
    "legacy_id": "The legacy ID",
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


EXAMPLE_HEADER = "name,description,postcode"


MAX_AGE = 120  # as the listing form

# The report keeps the first rows ready (or created) by name, and the count of all: the report pages show
# 500 of them, and a 100,000-row import must not hold (or store) a list of every listing it made.
REPORT_KEEPS = 1000


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
    total_listings: int = 0  # rows of one organisation are one listing
    ready: list = field(default_factory=list)  # {"line", "name", "postcode"}: rows that can be (or were) created
    problems: list = field(default_factory=list)  # {"line", "name", "field", "problem", "kind", "listing"}
    created: list = field(default_factory=list)  # {"line", "name", "slug"}
    # ready and created hold the first REPORT_KEEPS; these count them all
    ready_count: int = 0
    created_count: int = 0

    def add_ready(self, item):
        self.ready_count += 1
        if len(self.ready) < REPORT_KEEPS:
            self.ready.append(item)

    def add_created(self, item):
        self.created_count += 1
        if len(self.created) < REPORT_KEEPS:
            self.created.append(item)

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
        rows = f"{self.total_rows} {_plural(self.total_rows, 'row')}"
        ready = "ready to import"
        if self.total_listings and self.total_listings != self.total_rows:
            rows += f" for {self.total_listings} {_plural(self.total_listings, 'listing')}"
            ready = f"{_plural(self.ready_count, 'listing')} ready to import"
        counts = (
            f"{rows}: {self.ready_count} {ready}, {len(self.error_lines)} with errors, "
            f"{len(self.duplicate_lines)} {_plural(len(self.duplicate_lines), 'duplicate')}."
        )
        outcome = {
            "checked": "This was a check only: nothing was written.",
            "imported": f"Imported {self.created_count} {_plural(self.created_count, 'listing')}"
            + (
                f" and skipped {len(self.bad_lines)} {_plural(len(self.bad_lines), 'row')} with problems."
                if self.bad_lines
                else "."
            ),
            "refused": "Nothing was imported, because some rows have problems. Fix them, or choose to import "
            "the good rows and skip the rest.",
            "aborted": "The import was stopped: nothing was written.",
        }.get(self.outcome, "")
        return f"{counts} {outcome}".strip()

    def to_json(self):
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text):
        if not text:
            return cls()
        data = json.loads(text)
        # (reports stored before the counts were kept held every row)
        data.setdefault("ready_count", len(data.get("ready", [])))
        data.setdefault("created_count", len(data.get("created", [])))
        return cls(**data)


def _plural(count, word):
    return word if count == 1 else word + "s"
