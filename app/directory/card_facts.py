"""What a search result card needs about a page of organisations, read as plain rows in at most three small
queries of the columns a card shows (issue 16): no ORM objects, no identity map, no relationship loaders.

The objects built here have the attribute names of the models they stand for (an organisation's `services`,
`locations`, `public_locations`, `status_label`; a service's `area_scope`, `areas`, `schedules`, `closures`,
`terms`), so `cards.py`, `search.place_of` and `search.open_now` read them as they read the models. They hold
only what is public: an organisation's confidential addresses are not read at all, and of its taxonomy terms
only the categories (all a card shows).
"""

import functools
from dataclasses import dataclass, field
from datetime import date, time
from types import SimpleNamespace

from sqlalchemy import bindparam

from ..extensions import db
from ..places.models import Ward
from .models import (
    Closure,
    Location,
    Organisation,
    OrganisationWords,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
    service_areas,
    service_terms,
)

_CATEGORY = SimpleNamespace(code="category")


@dataclass(frozen=True, slots=True)
class CardLocation:
    id: int
    lat: float | None
    lon: float | None
    ward_code: str | None
    confidential: bool = False  # only public addresses are read


@dataclass(frozen=True, slots=True)
class CardWard:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class CardTerm:
    name: str

    @property
    def taxonomy(self):
        return _CATEGORY


@dataclass(frozen=True, slots=True)
class CardSchedule:
    service_id: int
    weekday: int
    opens_at: time
    closes_at: time


@dataclass(frozen=True, slots=True)
class CardClosure:
    service_id: int
    starts_on: date
    ends_on: date
    note: str | None

    def covers(self, day):
        return self.starts_on <= day <= self.ends_on


@dataclass(slots=True)
class CardService:
    id: int
    area_scope: str | None
    terms: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    schedules: list = field(default_factory=list)
    closures: list = field(default_factory=list)


@dataclass(slots=True)
class CardOrganisation(OrganisationWords):
    id: int
    slug: str
    name: str
    status: str
    description: str
    phone: str | None
    services: list = field(default_factory=list)
    locations: list = field(default_factory=list)


@functools.cache
def _statements():
    """The three statements, built once a process with the ids and the date as parameters: building and
    looking up a statement cost SQLAlchemy more than running it (3.4 ms a page of 20 at 20,000, of which
    0.4 ms in the database)."""
    ids, service_ids = bindparam("ids", expanding=True), bindparam("service_ids", expanding=True)
    # The organisations with their public addresses (one row per address, or one with none).
    organisations = (
        db.select(
            Organisation.id,
            Organisation.slug,
            Organisation.name,
            Organisation.status,
            Organisation.description,
            Organisation.phone,
            Location.id,
            Location.lat,
            Location.lon,
            Location.ward_code,
        )
        .outerjoin(Location, db.and_(Location.organisation_id == Organisation.id, Location.confidential.is_(False)))
        .where(Organisation.id.in_(ids))
        .order_by(Organisation.id, Location.id)
    )
    # Their services, each with its categories and the wards it serves (one row per pair, or one with none:
    # a service has a few of each, so this costs less than a statement of its own).
    category_taxonomy = db.select(Taxonomy.id).where(Taxonomy.code == "category").scalar_subquery()
    services = (
        db.select(Service.id, Service.organisation_id, Service.area_scope, TaxonomyTerm.name, Ward.code, Ward.name)
        .outerjoin(service_terms, service_terms.c.service_id == Service.id)
        .outerjoin(
            TaxonomyTerm,
            db.and_(TaxonomyTerm.id == service_terms.c.taxonomy_term_id, TaxonomyTerm.taxonomy_id == category_taxonomy),
        )
        .outerjoin(service_areas, db.and_(service_areas.c.service_id == Service.id, Service.area_scope == "wards"))
        .outerjoin(Ward, Ward.code == service_areas.c.ward_code)
        .where(Service.organisation_id.in_(ids))
        .order_by(Service.id, TaxonomyTerm.name, Ward.name)
    )
    # Opening times and closures in one statement: a weekly time's row has no dates, a closure's no times.
    no_time, no_date, no_text = (db.null().cast(kind) for kind in (db.Time, db.Date, db.String))
    schedules = db.select(
        Schedule.service_id,
        Schedule.weekday,
        Schedule.opens_at,
        Schedule.closes_at,
        no_date.label("starts_on"),
        no_date.label("ends_on"),
        no_text.label("note"),
    ).where(Schedule.service_id.in_(service_ids))
    closures = db.select(
        Closure.service_id,
        db.null().cast(db.Integer),
        no_time,
        no_time,
        Closure.starts_on,
        Closure.ends_on,
        Closure.note,
    ).where(Closure.service_id.in_(service_ids), Closure.ends_on >= bindparam("today", type_=db.Date))
    hours = db.union_all(schedules, closures).subquery()
    return organisations, services, db.select(hours).order_by(hours.c.starts_on, hours.c.weekday, hours.c.opens_at)


def load(organisation_ids, today):
    """{id: CardOrganisation} for these organisations; closures that ended before `today` (a London date) are
    left out (no card shows them)."""
    ids = list(organisation_ids)
    if not ids:
        return {}
    organisations_statement, services_statement, _ = _statements()
    organisations = {}
    rows = db.session.execute(organisations_statement, {"ids": ids})
    for org_id, slug, name, status, description, phone, location_id, lat, lon, ward_code in rows:
        organisation = organisations.get(org_id)
        if organisation is None:
            organisation = organisations[org_id] = CardOrganisation(
                org_id, slug, name, status, description or "", phone
            )
        if location_id is not None:
            organisation.locations.append(CardLocation(location_id, lat, lon, ward_code))

    services = {}
    for service_id, org_id, area_scope, term_name, ward_code, ward_name in db.session.execute(
        services_statement, {"ids": ids}
    ):
        service = services.get(service_id)
        if service is None:
            service = services[service_id] = CardService(service_id, area_scope)
            organisations[org_id].services.append(service)
        if term_name is not None and (not service.terms or service.terms[-1].name != term_name):
            service.terms.append(CardTerm(term_name))
        if ward_code is not None and all(ward.code != ward_code for ward in service.areas):
            service.areas.append(CardWard(ward_code, ward_name))
    if not services:
        return organisations

    load_hours(services, today)
    return organisations


def load_hours(services, today):
    """Each of these services' weekly opening times and its closures that have not ended by `today` (a London
    date), appended to its `schedules` and `closures`; `services` is {id: service}. The listing page reads
    them this way too (listing_facts.py)."""
    _, _, hours_statement = _statements()
    rows = db.session.execute(hours_statement, {"service_ids": list(services), "today": today})
    for service_id, weekday, opens_at, closes_at, starts_on, ends_on, note in rows:
        if starts_on is None:
            services[service_id].schedules.append(CardSchedule(service_id, weekday, opens_at, closes_at))
        else:
            services[service_id].closures.append(CardClosure(service_id, starts_on, ends_on, note))
