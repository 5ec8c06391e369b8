"""What a listing's public page shows, read as plain rows in at most four small queries (issue 16): no ORM
objects, no identity map, no lazy loads. The page loaded lazily took eleven statements; eager loader options cut
them to seven but built as many objects and measured no faster, so the cost was the ORM's, not the database's.

The objects have the attribute names of the models they stand for (as in card_facts.py, whose ward records
and reading of opening hours and closures they share), so the listing template and cards.py read them as they
read the models. An address hidden from the public (a refuge, a home) is read as the models are (officers see
it, and the public page says that the address is not published), and only `public_locations` go on the public
page and its map.
"""

import functools
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam

from ..extensions import db
from ..places.models import Ward
from . import card_facts
from .card_facts import CardWard
from .models import (
    AddressLine,
    Location,
    Organisation,
    OrganisationWords,
    Service,
    Taxonomy,
    TaxonomyTerm,
    location_accessibility,
    service_areas,
    service_terms,
)


@dataclass(frozen=True, slots=True)
class ListingTaxonomy:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ListingTerm:
    name: str
    taxonomy: ListingTaxonomy


@dataclass(slots=True)
class ListingLocation(AddressLine):
    id: int
    name: str
    address_1: str
    address_2: str | None
    city: str
    postcode: str | None
    lat: float | None
    lon: float | None
    ward: CardWard | None
    position_source: str | None
    confidential: bool
    accessibility_notes: str | None
    accessibility: list = field(default_factory=list)

    @property
    def ward_code(self):
        return self.ward.code if self.ward else None


@dataclass(slots=True)
class ListingService:
    id: int
    name: str
    description: str
    url: str | None
    email: str | None
    phone: str | None
    fees_description: str | None
    minimum_age: int | None
    maximum_age: int | None
    area_scope: str | None
    terms: list = field(default_factory=list)
    areas: list = field(default_factory=list)
    schedules: list = field(default_factory=list)
    closures: list = field(default_factory=list)


@dataclass(slots=True)
class ListingOrganisation(OrganisationWords):
    id: int
    slug: str
    name: str
    description: str
    kind: str
    status: str
    email: str | None
    website: str | None
    phone: str | None
    charity_number: str | None
    company_number: str | None
    last_verified_at: datetime | None
    services: list = field(default_factory=list)
    locations: list = field(default_factory=list)


_ORGANISATION_COLUMNS = (
    Organisation.id,
    Organisation.slug,
    Organisation.name,
    Organisation.description,
    Organisation.kind,
    Organisation.status,
    Organisation.email,
    Organisation.website,
    Organisation.phone,
    Organisation.charity_number,
    Organisation.company_number,
    Organisation.last_verified_at,
)
_LOCATION_COLUMNS = (
    Location.id,
    Location.name,
    Location.address_1,
    Location.address_2,
    Location.city,
    Location.postcode,
    Location.lat,
    Location.lon,
    Location.ward_code,
    Ward.name,
    Location.position_source,
    Location.confidential,
    Location.accessibility_notes,
)
_SERVICE_COLUMNS = (
    Service.id,
    Service.name,
    Service.description,
    Service.url,
    Service.email,
    Service.phone,
    Service.fees_description,
    Service.minimum_age,
    Service.maximum_age,
    Service.area_scope,
)


@functools.cache
def _statements():
    """Built once a process with the slug and ids as parameters (building a statement costs SQLAlchemy more
    than running it)."""
    org_id, service_ids = bindparam("org_id"), bindparam("service_ids", expanding=True)
    # The published listing with its addresses (one row per address and access term, or one with none).
    organisation = (
        db.select(*_ORGANISATION_COLUMNS, *_LOCATION_COLUMNS, TaxonomyTerm.name)
        .outerjoin(Location, Location.organisation_id == Organisation.id)
        .outerjoin(Ward, Ward.code == Location.ward_code)
        .outerjoin(location_accessibility, location_accessibility.c.location_id == Location.id)
        .outerjoin(TaxonomyTerm, TaxonomyTerm.id == location_accessibility.c.taxonomy_term_id)
        .where(Organisation.slug == bindparam("slug"), Organisation.published.is_(True))
        .order_by(Location.id, TaxonomyTerm.name)
    )
    # Its services with their terms (one row per term, or one with none).
    services = (
        db.select(*_SERVICE_COLUMNS, TaxonomyTerm.name, Taxonomy.code, Taxonomy.name)
        .outerjoin(service_terms, service_terms.c.service_id == Service.id)
        .outerjoin(TaxonomyTerm, TaxonomyTerm.id == service_terms.c.taxonomy_term_id)
        .outerjoin(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(Service.organisation_id == org_id)
        .order_by(Service.id, TaxonomyTerm.name)
    )
    areas = (
        db.select(service_areas.c.service_id, Ward.code, Ward.name)
        .join(Ward, Ward.code == service_areas.c.ward_code)
        .where(service_areas.c.service_id.in_(service_ids))
        .order_by(Ward.name)
    )
    return organisation, services, areas


def load(slug, today):
    """The published listing called `slug` as a ListingOrganisation, or None. Closures that ended before
    `today` (a London date) are left out: the page shows none of them."""
    organisation_statement, services_statement, areas_statement = _statements()
    organisation = None
    locations = {}
    rows = db.session.execute(organisation_statement, {"slug": slug})
    width = len(_ORGANISATION_COLUMNS)
    for row in rows:
        if organisation is None:
            organisation = ListingOrganisation(*row[:width])
        location_id, *location, access_term = row[width:]
        if location_id is None:
            continue
        place = locations.get(location_id)
        if place is None:
            name, address_1, address_2, city, postcode, lat, lon, ward_code, ward_name, source, hidden, notes = location
            ward = CardWard(ward_code, ward_name) if ward_code else None
            place = locations[location_id] = ListingLocation(
                location_id, name, address_1, address_2, city, postcode, lat, lon, ward, source, hidden, notes
            )
            organisation.locations.append(place)
        if access_term is not None:
            place.accessibility.append(ListingTerm(access_term, None))
    if organisation is None:
        return None

    services = {}
    for row in db.session.execute(services_statement, {"org_id": organisation.id}):
        service_id, *columns, term_name, taxonomy_code, taxonomy_name = row
        service = services.get(service_id)
        if service is None:
            service = services[service_id] = ListingService(service_id, *columns)
            organisation.services.append(service)
        if term_name is not None:
            service.terms.append(ListingTerm(term_name, ListingTaxonomy(taxonomy_code, taxonomy_name)))
    # Only a service for named wards has any (services.py clears the areas of any other).
    serving_wards = [service.id for service in services.values() if service.area_scope == "wards"]
    if serving_wards:
        for service_id, code, name in db.session.execute(areas_statement, {"service_ids": serving_wards}):
            services[service_id].areas.append(CardWard(code, name))
    if services:
        card_facts.load_hours(services, today)
    return organisation
