"""One full Open Referral service (/services/{id}) read as plain rows in six small queries (issue 16), for
hsds.service_full: no ORM objects, no loader options. Loaded as models it took as many statements, but building
the objects and working out the loaders' statements cost twice what the database did.

The objects have the attribute names of the models they stand for (a closure and a ward are the search
cards' records, directory/card_facts.py), so hsds.py reads them as it reads the models (the bulk export still
passes models). Only what may be public is read: the service of a published organisation, and its places
that are not confidential and belong to its own organisation (as services.public_service_at_locations chooses
them).
"""

import functools
from dataclasses import dataclass, field
from datetime import time
from types import SimpleNamespace

from sqlalchemy import bindparam

from ..directory.card_facts import CardClosure, CardWard
from ..directory.models import (
    Closure,
    Location,
    Organisation,
    Schedule,
    ScheduleDay,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    location_accessibility,
    service_areas,
    service_terms,
)
from ..extensions import db
from ..places.models import Ward


@dataclass(frozen=True, slots=True)
class FactSchedule(ScheduleDay):
    id: int
    uuid: str
    weekday: int
    opens_at: time
    closes_at: time


@dataclass(frozen=True, slots=True)
class FactTerm:
    uuid: str
    name: str
    description: str | None
    code: str
    taxonomy: SimpleNamespace  # name, uuid, code


@dataclass(slots=True)
class FactLocation:
    id: int
    uuid: str
    name: str | None
    lat: float | None
    lon: float | None
    address_1: str | None
    address_2: str | None
    city: str | None
    postcode: str | None
    accessibility_notes: str | None
    accessibility: list = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FactPlace:
    uuid: str
    location: FactLocation


_SERVICE_COLUMNS = (
    Service.id,
    Service.uuid,
    Service.name,
    Service.status,
    Service.description,
    Service.url,
    Service.email,
    Service.minimum_age,
    Service.maximum_age,
    Service.fees_description,
    Service.area_scope,
    Service.updated_at,
)
_ORGANISATION_COLUMNS = (
    Organisation.id,
    Organisation.uuid,
    Organisation.name,
    Organisation.description,
    Organisation.email,
    Organisation.website,
    Organisation.status,
    Organisation.charity_number,
    Organisation.company_number,
    Organisation.last_verified_at,
    Organisation.updated_at,
)
# What hsds.service (a list item) shows: the service's columns, then its organisation's.
SERVICE_AND_ORGANISATION = (*_SERVICE_COLUMNS, *_ORGANISATION_COLUMNS)


def service_of(values):
    """A service with its organisation from the values of SERVICE_AND_ORGANISATION's columns."""
    width = len(_SERVICE_COLUMNS)
    service = SimpleNamespace(**{c.key: v for c, v in zip(_SERVICE_COLUMNS, values[:width], strict=True)})
    service.organisation = SimpleNamespace(
        **{c.key: v for c, v in zip(_ORGANISATION_COLUMNS, values[width:], strict=True)}
    )
    return service


_TERM_COLUMNS = (
    TaxonomyTerm.uuid,
    TaxonomyTerm.name,
    TaxonomyTerm.description,
    TaxonomyTerm.code,
    Taxonomy.name,
    Taxonomy.uuid,
    Taxonomy.code,
)


@functools.cache
def _statements():
    """Built once a process with the ids as parameters (see card_facts.py: building and looking up a statement
    cost SQLAlchemy more than running it)."""
    service_id, location_ids = bindparam("service_id"), bindparam("location_ids", expanding=True)
    # The service and its organisation, with its weekly opening times (one row each, or one with none).
    service = (
        db.select(*SERVICE_AND_ORGANISATION, *(getattr(Schedule, c) for c in FactSchedule.__slots__))
        .join(Organisation, Organisation.id == Service.organisation_id)
        .outerjoin(Schedule, Schedule.service_id == Service.id)
        .where(Service.uuid == bindparam("uuid"), Organisation.published.is_(True))
        .order_by(Schedule.id)
    )
    closures = (
        db.select(Closure.service_id, Closure.starts_on, Closure.ends_on, Closure.note)
        .where(Closure.service_id == service_id)
        .order_by(Closure.starts_on, Closure.id)
    )
    areas = (
        db.select(Ward.code, Ward.name)
        .join(service_areas, service_areas.c.ward_code == Ward.code)
        .where(service_areas.c.service_id == service_id)
        .order_by(Ward.name)
    )
    terms = (
        db.select(*_TERM_COLUMNS)
        .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .join(service_terms, service_terms.c.taxonomy_term_id == TaxonomyTerm.id)
        .where(service_terms.c.service_id == service_id)
        .order_by(TaxonomyTerm.name, TaxonomyTerm.id)
    )
    places = (
        db.select(
            ServiceAtLocation.uuid,
            *(getattr(Location, c) for c in FactLocation.__slots__ if c != "accessibility"),
        )
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(
            ServiceAtLocation.service_id == service_id,
            Location.confidential.is_(False),
            Location.organisation_id == bindparam("organisation_id"),
        )
        .order_by(ServiceAtLocation.id)
    )
    access = (
        db.select(location_accessibility.c.location_id, *_TERM_COLUMNS)
        .join(TaxonomyTerm, TaxonomyTerm.id == location_accessibility.c.taxonomy_term_id)
        .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(location_accessibility.c.location_id.in_(location_ids))
        .order_by(TaxonomyTerm.name, TaxonomyTerm.id)
    )
    return service, closures, areas, terms, places, access


def _term(row):
    uuid, name, description, code, taxonomy_name, taxonomy_uuid, taxonomy_code = row
    return FactTerm(
        uuid, name, description, code, SimpleNamespace(name=taxonomy_name, uuid=taxonomy_uuid, code=taxonomy_code)
    )


def load(service_uuid):
    """(service, its public places) for hsds.service_full, or None when no published service has that id."""
    service_statement, closures_statement, areas_statement, terms_statement, places_statement, access_statement = (
        _statements()
    )
    rows = db.session.execute(service_statement, {"uuid": service_uuid}).all()
    if not rows:
        return None
    width = len(SERVICE_AND_ORGANISATION)
    service = service_of(rows[0][:width])
    service.schedules = [FactSchedule(*row[width:]) for row in rows if row[width] is not None]
    parameters = {"service_id": service.id}
    service.closures = [CardClosure(*row) for row in db.session.execute(closures_statement, parameters)]
    service.areas = [CardWard(*row) for row in db.session.execute(areas_statement, parameters)]
    service.terms = [_term(row) for row in db.session.execute(terms_statement, parameters)]
    places = [
        FactPlace(row[0], FactLocation(*row[1:]))
        for row in db.session.execute(places_statement, {**parameters, "organisation_id": service.organisation.id})
    ]
    if places:
        locations = {place.location.id: place.location for place in places}
        for location_id, *term in db.session.execute(access_statement, {"location_ids": list(locations)}):
            locations[location_id].accessibility.append(_term(term))
    return service, places
