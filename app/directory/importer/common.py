"""What every part of the directory import uses: the file's columns, their help and limits, and the report."""

import json
from dataclasses import asdict, dataclass, field

from ..models import KIND_LABELS

COLUMNS = (
    "name",
    "description",
    "kind",
    "status",
    "email",
    "website",
    "phone",
    "charity_number",
    "company_number",
    "service_name",
    "service_description",
    "categories",
    "address_1",
    "address_2",
    "city",
    "postcode",
    "confidential",
    "accessibility",
    "opening_hours",
    "minimum_age",
    "maximum_age",
    "legacy_id",
    "service_areas",
)
REQUIRED_COLUMNS = ("name",)
# Columns that may hold line breaks (the rest are one line, as on the listing form).
MULTILINE_COLUMNS = ("description", "service_description", "opening_hours")
COLUMN_HELP = {
    "name": "Name of the organisation (needed on every row)",
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
    "name": 255,
    "description": 5000,
    "email": 254,
    "website": 500,
    "phone": 40,
    "service_name": 255,
    "service_description": 5000,
    "address_1": 255,
    "address_2": 255,
    "city": 100,
    "legacy_id": 64,
}
FIELD_NAMES = {
    "name": "The name",
    "description": "The description",
    "email": "The email address",
    "website": "The web address",
    "phone": "The phone number",
    "service_name": "The service name",
    "service_description": "The service description",
    "address_1": "Address line 1",
    "address_2": "Address line 2",
    "city": "The town or city",
    "legacy_id": "The legacy ID",
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


EXAMPLE_HEADER = "name,description,postcode"


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
        return cls(**json.loads(text)) if text else cls()


def _plural(count, word):
    return word if count == 1 else word + "s"
