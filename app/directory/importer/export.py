"""CSV export of the public directory, in the import's columns, and of an import's problems."""

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
    hours = (
        [
            {"weekday": s.weekday, "opens_at": s.opens_at.strftime("%H:%M"), "closes_at": s.closes_at.strftime("%H:%M")}
            for s in sorted(service.schedules, key=lambda s: (s.weekday, s.opens_at))
        ]
        if service
        else []
    )
    row = {
        "name": organisation.name,
        "description": organisation.description,
        "kind": organisation.kind,
        "status": organisation.status,
        "email": organisation.email,
        "website": organisation.website,
        "phone": organisation.phone,
        "charity_number": organisation.charity_number,
        "company_number": organisation.company_number,
        "service_name": service.name if service else "",
        "service_description": service.description if service else "",
        "categories": "; ".join(t.name for t in service.terms if t.taxonomy.code == "category") if service else "",
        "address_1": location.address_1 if location else "",
        "address_2": location.address_2 if location else "",
        "city": location.city if location else "",
        "postcode": location.postcode if location else "",
        "confidential": "yes" if hidden else "no",
        "accessibility": "; ".join(t.name for t in location.accessibility) if location else "",
        "opening_hours": format_opening_hours(hours),
        "minimum_age": service.minimum_age if service else None,
        "maximum_age": service.maximum_age if service else None,
        "legacy_id": organisation.legacy_id,
        "service_areas": export_service_areas(service),
    }
    return [row[column] for column in COLUMNS]


def write_export(stream):
    """Write the public directory as CSV to a text stream; returns the number of organisations."""
    writer = csvkit.Writer(stream)
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
    return csvkit.to_text(
        ["line", "name", "column", "kind", "problem"],
        (
            [p["line"], p["name"], p["field"] or "whole row", p["kind"], p["problem"]]
            for p in sorted(report.problems, key=lambda p: p["line"])
        ),
        bom=True,
    )
