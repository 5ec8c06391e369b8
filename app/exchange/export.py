"""Bulk export of the whole published directory: HSDS-UK JSON and the HSDS tabular CSV package.

For partners and the Local Insight mapping tool (council papers 001:966, 001:977: the directory is "a shared
resource between council and VCFSE partners"). Both are built from exactly what the Open Referral UK API
serves (app/api/hsds.py over app/api/services.py), so the same rules hold: unpublished listings are never
read, confidential addresses never appear, optional fields without a value are left out.

- JSON: an array of fully nested services, each as `/services/{id}` answers (the UK profile's
  compiled/service_package.json), written one service at a time.
- Tabular: a zip of one CSV per HSDS table (organizations.csv, services.csv, ...: the file names and columns of
  the UK profile's schemas, `tabular_required` columns included) and a datapackage.json naming them. Rows
  are spooled to one temporary file per table while the services are read a batch at a time, then the zip is
  written out in pieces as it is read.
"""

import io
import json
import tempfile
import zipfile

from .. import csvkit
from ..api import hsds
from ..api import services as api_services
from ..directory.models import Taxonomy
from ..extensions import db
from ..timeutil import utcnow

# HSDS-UK tables: file name and columns, in the profile's order (schema `properties` that are not lists or
# objects, plus the `tabular_required` link_entity of attribute.csv). tests/test_exchange_export.py checks
# these against ../shared/oruk.
TABLES = {
    "organization": (
        "organizations.csv",
        ["id", "name", "description", "email", "website", "logo", "uri", "parent_organization_id"],
    ),
    "organization_identifier": (
        "organization_identifiers.csv",
        ["id", "organization_id", "identifier_scheme", "identifier_type", "identifier"],
    ),
    "service": (
        "services.csv",
        [
            "id",
            "organization_id",
            "name",
            "description",
            "url",
            "email",
            "status",
            "fees",
            "accreditations",
            "minimum_age",
            "maximum_age",
            "assured_date",
            "assurer_email",
            "alert",
            "last_modified",
        ],
    ),
    "attribute": ("attribute.csv", ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity"]),
    "service_at_location": ("service_at_location.csv", ["id", "service_id", "location_id"]),
    "location": (
        "locations.csv",
        [
            "id",
            "location_type",
            "name",
            "description",
            "latitude",
            "longitude",
            "external_identifier",
            "external_identifier_type",
        ],
    ),
    "address": (
        "address.csv",
        [
            "id",
            "location_id",
            "attention",
            "address_1",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ],
    ),
    "schedule": (
        "schedule.csv",
        [
            "id",
            "service_id",
            "service_at_location_id",
            "valid_from",
            "valid_to",
            "dtstart",
            "freq",
            "interval",
            "byday",
            "bymonthday",
            "description",
            "opens_at",
            "closes_at",
            "schedule_link",
            "attending_type",
            "notes",
        ],
    ),
    "service_area": ("service_areas.csv", ["id", "service_id", "name", "extent", "extent_type", "uri", "service_area"]),
    "accessibility": ("accessibility.csv", ["id", "location_id", "description", "details", "url", "accessibility"]),
    "taxonomy_term": (
        "taxonomy_terms.csv",
        ["id", "name", "description", "parent_id", "taxonomy", "taxonomy_id", "term_uri", "term"],
    ),
    "taxonomy": ("taxonomies.csv", ["id", "name", "description", "uri", "version"]),
    "cost_option": (
        "cost_options.csv",
        ["id", "service_id", "valid_from", "valid_to", "option", "amount", "amount_description"],
    ),
}
CHUNK = 64 * 1024
BATCH = 200  # services read at a time
# Characters that make a spreadsheet run a cell as a formula (OWASP "CSV injection"): such text gets a "'".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def filename(extension):
    return f"community-directory-hsds-{utcnow():%Y-%m-%d}.{extension}"


# --- JSON ------------------------------------------------------------------------------------------------


def _full(row):
    return hsds.service_full(row, api_services.public_service_at_locations(row))


def json_chunks(app, batch_size=BATCH):
    """The directory as a JSON array of fully nested services, as text pieces of one batch each.

    Each batch is read in an app context (so a database session) of its own, left before the piece is
    handed on: nothing is held open while the client reads, however slowly, or if it never does."""
    yield "["
    last_id, first = 0, True
    while True:
        with app.app_context():
            batch = api_services.public_services_after(last_id, batch_size)
            if not batch:
                break
            last_id = batch[-1].id
            text = ",\n".join(json.dumps(_full(row), ensure_ascii=False, separators=(",", ":")) for row in batch)
        yield ("" if first else ",\n") + text
        first = False
    yield "]\n"


# --- Tabular ---------------------------------------------------------------------------------------------


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) and not _is_number(text) else text


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


class _Tables:
    """One spooled CSV per table; each id written once (an organisation or a term is shared by many)."""

    def __init__(self):
        self.files, self.writers, self.seen = {}, {}, {}
        for table, (_name, columns) in TABLES.items():
            handle = tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline="")  # noqa: SIM115  (closed by close())
            self.files[table], self.seen[table] = handle, set()
            self.writers[table] = csvkit.Writer(handle)  # the one formula guard, as every export
            self.writers[table].writerow(columns)

    def add(self, table, row):
        if row["id"] in self.seen[table]:
            return
        self.seen[table].add(row["id"])
        self.writers[table].writerow([cell(row.get(column)) for column in TABLES[table][1]])

    def attribute(self, item, link_entity):
        self.add("attribute", {**item, "link_entity": link_entity})
        self.add("taxonomy_term", item["taxonomy_term"])

    def service(self, data):
        organization = data["organization"]
        self.add("organization", organization)
        for identifier in organization.get("organization_identifiers", []):
            self.add("organization_identifier", identifier)
        self.add("service", data)
        for item in data.get("attributes", []):
            self.attribute(item, "service")
        for item in data.get("schedules", []):
            self.add("schedule", item)
        for item in data.get("service_areas", []):
            self.add("service_area", item)
        for item in data.get("cost_options", []):
            self.add("cost_option", item)
        for link in data.get("service_at_locations", []):
            self.add("service_at_location", link)
            place = link["location"]
            self.add("location", place)
            for address in place.get("addresses", []):
                self.add("address", address)
            for entry in place.get("accessibility", []):
                self.add("accessibility", entry)
                for item in entry.get("attributes", []):
                    self.attribute(item, "accessibility")

    def close(self):
        for handle in self.files.values():
            handle.close()


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes are taken out as they come (zipfile writes to it)."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def write(self, data):
        self.buffer += data
        return len(data)

    def take(self):
        data, self.buffer = bytes(self.buffer), bytearray()
        return data


def datapackage(generated):
    return {
        "name": "community-directory-hsds",
        "title": "Community directory, Open Referral UK (HSDS 3.0 UK profile) tables",
        "profile": "tabular-data-package",
        "created": generated,
        "licenses": [
            {"name": "OGL-UK-3.0", "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}
        ],
        "resources": [
            {
                "name": table,
                "path": name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [{"name": column, "type": "string"} for column in columns], "primaryKey": "id"},
            }
            for table, (name, columns) in TABLES.items()
        ],
    }


def tabular_zip_chunks(app, batch_size=BATCH):
    """The HSDS tabular package as a zip, in byte pieces. The tables are spooled in an app context of their
    own, left before the first piece is handed on (as json_chunks)."""
    tables = _Tables()
    try:
        with app.app_context():
            for row in api_services.iter_public_services(batch_size):
                tables.service(_full(row))
            # Every vocabulary and term, as /taxonomies and /taxonomy_terms list them.
            for vocabulary in db.session.scalars(db.select(Taxonomy).order_by(Taxonomy.name, Taxonomy.id)):
                tables.add("taxonomy", hsds.taxonomy(vocabulary))
                for term in vocabulary.terms:
                    tables.add("taxonomy_term", hsds.taxonomy_term(term, vocabulary))
            generated = hsds.iso_datetime(utcnow())
        pipe = _Pipe()
        with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED) as package:
            for table, (name, _columns) in TABLES.items():
                handle = tables.files[table]
                handle.seek(0)
                with package.open(name, mode="w") as entry:
                    while text := handle.read(CHUNK):
                        entry.write(text.encode("utf-8"))
                        yield pipe.take()
            package.writestr("datapackage.json", json.dumps(datapackage(generated), indent=2))
        yield pipe.take()
    finally:
        tables.close()
