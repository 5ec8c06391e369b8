"""CSV export of the public directory, in the import's columns (one row per service at a location), and of an
import's problems."""

import io

from sqlalchemy.orm import selectinload

from ... import csvkit
from ...extensions import db
from ..models import Location, Organisation, Service, TaxonomyTerm
from .common import COLUMNS
from .hours import format_opening_hours


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
            selectinload(Organisation.services).selectinload(Service.service_at_locations),
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


def _hours(service):
    return format_opening_hours(
        [
            {"weekday": s.weekday, "opens_at": s.opens_at.strftime("%H:%M"), "closes_at": s.closes_at.strftime("%H:%M")}
            for s in service.schedules
        ]
    )


def _organisation_values(organisation):
    return {
        "organisation_id": organisation.uuid,
        "name": organisation.name,
        "description": organisation.description,
        "kind": organisation.kind,
        "status": organisation.status,
        "email": organisation.email,
        "website": organisation.website,
        "phone": organisation.phone,
        "charity_number": organisation.charity_number,
        "company_number": organisation.company_number,
        "legacy_id": organisation.legacy_id,
    }


def _service_values(service):
    return {
        "service_id": service.uuid,
        "service_name": service.name,
        "service_description": service.description,
        "service_status": service.status,
        "service_url": service.url,
        "service_email": service.email,
        "service_phone": service.phone,
        "fees": service.fees_description,
        "categories": "; ".join(t.name for t in service.terms if t.taxonomy.code == "category"),
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "service_areas": export_service_areas(service),
        "opening_hours": _hours(service),
    }


def _location_values(location):
    return {
        "location_id": location.uuid,
        "location_name": location.name,
        "address_1": location.address_1,
        "address_2": location.address_2,
        "city": location.city,
        "postcode": location.postcode,
        "confidential": "no",
        "accessibility": "; ".join(t.name for t in location.accessibility),
        "accessibility_notes": location.accessibility_notes,
    }


def export_rows(organisation):
    """The organisation's rows: one per service at each public location, then one per public location no
    service is at; one row of the organisation alone when it has neither. An address hidden from the
    public is left out: a service found only there says confidential "yes" with no address."""
    public = [location for location in organisation.locations if not location.confidential]
    at = {service.id: [sal.location for sal in service.service_at_locations] for service in organisation.services}
    # Locations in the order the rows first name them, so that an import makes them in that order and an
    # export of the import is the same file.
    order = []
    for service in organisation.services:
        order += [loc for loc in public if loc in at[service.id] and loc not in order]
    order += [loc for loc in public if loc not in order]
    org = _organisation_values(organisation)
    rows = []
    for service in organisation.services:
        places = [loc for loc in order if loc in at[service.id]]
        hidden = any(loc.confidential for loc in at[service.id])
        for location in places or [None]:
            rows.append(
                org
                | _service_values(service)
                | (_location_values(location) if location else {"confidential": "yes" if hidden else "no"})
            )
    served = {loc for service in organisation.services for loc in at[service.id]}
    for location in order:
        if location not in served:
            rows.append(org | _location_values(location))
    if not rows:
        rows.append(org | {"confidential": "yes" if organisation.locations else "no"})
    return [[row.get(column, "") for column in COLUMNS] for row in rows]


def write_export(stream):
    """Write the public directory as CSV to a text stream; returns the number of organisations."""
    writer = csvkit.Writer(stream)
    writer.writerow(COLUMNS)
    count = 0
    for organisation in exported_organisations():
        for row in export_rows(organisation):
            writer.writerow(row)
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
    return csvkit.to_text(
        ["line", "name", "column", "kind", "problem"],
        (
            [p["line"], p["name"], p["field"] or "whole row", p["kind"], p["problem"]]
            for p in sorted(report.problems, key=lambda p: p["line"])
        ),
        bom=True,
    )
