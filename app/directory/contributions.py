"""What the directory adds to the core: its organisations per ward, its live KPI sources, its tasks and its
to-do lists (changes to moderate, problems reported, listings not checked for 6 months)."""

from flask import url_for
from sqlalchemy import text

from ..extensions import db
from ..main.sections import HomeSection, register_home_section
from ..places.models import Postcode
from ..places.ward_contents import WardContent, register_ward_content, ward_column
from ..reporting.live import SourceUnavailable, end_of, register_source, tables_exist
from ..security import GROUP_EDITOR, STRATEGY_OFFICER
from ..todo import TodoItem, TodoSource, register_todo
from . import (
    services,
    tasks,  # noqa: F401  (registers the directory's tasks)
)
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


# --- To-do lists (app/todo.py) ---------------------------------------------------------------------

_CHANGE_WORDS = {"register": "New listing", "edit": "Changes to", "claim": "Claim of"}


def changes_to_moderate(user):
    items = []
    for change in services.pending_changes():
        name = change.organisation.name if change.organisation else services.proposed_name(change)
        items.append(
            TodoItem(
                f"change-{change.id}",
                f"{_CHANGE_WORDS.get(change.kind, change.kind)} {name}, sent {change.submitted_at:%-d %B %Y}",
                url_for("directory.review", change_id=change.id),
            )
        )
    return items


def problems_reported(user):
    return [
        TodoItem(
            f"problem-{report.id}",
            f"{report.organisation.name}, reported {report.created_at:%-d %B %Y}",
            url_for("directory.problems") + f"#problem-{report.id}",
        )
        for report in services.open_problem_reports()
    ]


def listings_not_checked(user):
    return [
        TodoItem(f"listing-{organisation.id}", organisation.name, url_for("directory.listing", slug=organisation.slug))
        for organisation in db.session.scalars(services.stale_query().limit(500))
    ]


def own_listings_not_checked(user):
    stale = {organisation.id for organisation in services.stale_organisations_of(user)}
    return [
        TodoItem(
            f"listing-{organisation.id}",
            f"Check the listing for {organisation.name} is still right",
            url_for("directory.mine"),
        )
        for organisation in user.organisations
        if organisation.id in stale
    ]


register_todo(
    TodoSource(
        "directory.changes",
        "Listing changes to moderate",
        (STRATEGY_OFFICER,),
        changes_to_moderate,
        "directory.moderation",
        "New listings, changes and claims from groups",
    )
)
register_todo(
    TodoSource(
        "directory.problems",
        "Problems reported with listings",
        (STRATEGY_OFFICER,),
        problems_reported,
        "directory.problems",
        "Residents' reports about listings",
    )
)
register_todo(
    TodoSource(
        "directory.stale",
        "Listings not checked for 6 months",
        (STRATEGY_OFFICER,),
        listings_not_checked,
        "directory.needs_checking",
        "Their groups are reminded by e-mail once a month",
        notify="digest",
    )
)
register_todo(
    TodoSource(
        "directory.own_stale",
        "Your listings to check",
        (GROUP_EDITOR,),
        own_listings_not_checked,
        "directory.mine",
        "Confirm your listing is still right, or update it",
        notify="never",
    )
)

register_home_section(
    HomeSection(
        order=10,
        title="Directory",
        endpoint="directory.index",
        count=services.published_organisation_count,
        text="voluntary, community and faith organisations, and the services they run.",
    )
)
