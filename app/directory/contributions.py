"""What the directory adds to the core: its organisations per ward, its live KPI sources and its tasks."""

from flask import url_for
from sqlalchemy import text

from ..extensions import db
from ..places.models import Postcode
from ..places.ward_contents import WardContent, register_ward_content, ward_column
from ..reporting.live import SourceUnavailable, end_of, register_source, tables_exist
from . import tasks  # noqa: F401  (registers the directory's tasks)
from .models import Location, Organisation

# --- Ward contents ------------------------------------------------------------------------------


def _organisations_query():
    return (
        db.select(Organisation, Location)
        .join(Location, Location.organisation_id == Organisation.id)
        .join(Postcode, Postcode.postcode == Location.postcode)
        .where(Organisation.published.is_(True), Organisation.status != "inactive", Location.confidential.is_(False))
    )


def organisations_by_ward(ward_set):
    column = ward_column(ward_set)
    query = _organisations_query().with_only_columns(column, db.func.count(db.distinct(Organisation.id)))
    return {code: count for code, count in db.session.execute(query.group_by(column)) if code}


def organisations_in_ward(ward):
    column = ward_column(ward.ward_set)
    seen, items = set(), []
    for organisation, location in db.session.execute(
        _organisations_query().where(column == ward.code).order_by(db.text("organisation.name"))
    ):
        if organisation.id not in seen:
            seen.add(organisation.id)
            items.append(
                (organisation.name, url_for("directory.listing", slug=organisation.slug), location.one_line_address)
            )
    return items


register_ward_content(
    WardContent("organisations", "Community organisations", organisations_by_ward, organisations_in_ward)
)


# --- Live KPI sources (app/reporting/live.py) -----------------------------------------------------


@register_source("directory_organisations", "Published organisations in the directory at the end of the period")
def directory_organisations(period_start, period_end):
    if not tables_exist("organisation"):
        raise SourceUnavailable("The directory is not available")
    return db.session.execute(
        text("SELECT COUNT(*) FROM organisation WHERE published = :yes AND created_at < :end"),
        {"yes": True, "end": end_of(period_end)},
    ).scalar_one()


@register_source(
    "directory_category_count",
    "Published organisations with a service in a directory category",
    takes_argument=True,
)
def directory_category_count(period_start, period_end, argument=None):
    needed = ("organisation", "service", "taxonomy_term", "service_taxonomy_term")
    if not tables_exist(*needed):
        raise SourceUnavailable("Directory categories are not available yet")
    return db.session.execute(
        text(
            "SELECT COUNT(DISTINCT organisation.id) FROM organisation "
            "JOIN service ON service.organisation_id = organisation.id "
            "JOIN service_taxonomy_term link ON link.service_id = service.id "
            "JOIN taxonomy_term ON taxonomy_term.id = link.taxonomy_term_id "
            "WHERE organisation.published = :yes AND LOWER(taxonomy_term.name) = LOWER(:name) "
            "AND organisation.created_at < :end"
        ),
        {"yes": True, "name": argument, "end": end_of(period_end)},
    ).scalar_one()
