"""Directory rows as Open Referral UK (HSDS 3.0 UK profile) objects.

Optional fields without a value are left out (never null, never empty text, never an empty list); required
text the portal does not hold is filled from what it does hold (a name, the borough), never sent empty, and an
object whose required fields cannot be filled (an address without a postcode) is left out. Only fields that
the UK profile declares for the object are sent. Ids are the rows' `uuid`s. Objects that the portal keeps inside another row (an
address, a service area, an attribute, a charity number...) get a name-based uuid (uuid5), so the same
object always has the same id.

Callers pass only public rows (see services.py); this module does not decide what may be shown, except
that a location's address is the only address it ever prints and member or user details are never read.
"""

import re
import uuid

from flask import current_app

from ..directory.cards import closure_text
from ..timeutil import to_london, utcnow

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
# Namespace of the derived ids (fixed for ever: changing it would change every derived id).
ID_NAMESPACE = uuid.UUID("b233d5e7-e909-40a7-85c1-692da3f99b8a")
# ONS linked-data URI of a statistical geography such as a ward (E05...).
ONS_GEOGRAPHY_URI = "http://statistics.data.gov.uk/id/statistical-geography/"
COUNTRY = "GB"  # ISO 3166-1 alpha-2
STATE_PROVINCE = "Greater London"  # the borough's ceremonial county
DEFAULT_CITY = "London"
# How open a service is, least open last; a service is as closed as its organisation.
STATUS_ORDER = ("active", "temporarily closed", "inactive", "defunct")
# attribute.link_type: what the taxonomy term says about the thing it is linked to, by taxonomy code.
LINK_TYPES = {
    "category": "service_type",
    "beneficiary": "audience",
    "faith": "faith",
    "language": "language",
    "accessibility": "accessibility",
}

URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s]+$", re.IGNORECASE)
BARE_DOMAIN_RE = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- Values -------------------------------------------------------------------------------------


def derived_id(*parts):
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(parts)))


def present(**fields):
    """The fields that have a value: None, empty text and empty lists are left out (0 and False are values)."""
    return {key: value for key, value in fields.items() if value is not None and value != "" and value != []}


def web_address(value):
    """An absolute http(s) URL, "https://" added to a bare domain; None when it is not a web address."""
    value = (value or "").strip()
    if URL_RE.match(value):
        return value
    if BARE_DOMAIN_RE.match(value):
        return f"https://{value}"
    return None


def email_address(value):
    value = (value or "").strip()
    return value if EMAIL_RE.match(value) else None


def iso_date(value):
    return value.date().isoformat() if value else None


def iso_datetime(value):
    """Naive UTC -> '2023-03-15T10:30:45.123Z' (the profile asks for millisecond accuracy)."""
    if value is None:
        return None
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"


def hhmm(value):
    return value.strftime("%H:%M")


def service_status(service):
    known = [s for s in (service.status, service.organisation.status) if s in STATUS_ORDER]
    return max(known, key=STATUS_ORDER.index, default="active")


# --- Organisations ------------------------------------------------------------------------------


def organization(org):
    """The organisation's one-to-one fields (as in a list item)."""
    return {
        "id": org.uuid,
        "name": org.name,
        # Required by the profile: a listing without a description is described by its name.
        "description": org.description or org.name,
        **present(email=email_address(org.email), website=web_address(org.website)),
    }


def charity_scheme(number):
    """org-id.guide scheme of a charity number: England and Wales, Scotland or Northern Ireland."""
    if number.startswith("SC"):
        return "GB-SC"
    if number.startswith("NIC"):
        return "GB-NIC"
    if number[:1].isdigit():
        return "GB-CHC"
    return None


def organization_identifiers(org):
    identifiers = []
    if org.charity_number:
        identifiers.append(
            {
                "id": derived_id("organization_identifier", org.uuid, "charity"),
                "organization_id": org.uuid,
                "identifier_type": "Charity number",
                "identifier": org.charity_number,
                **present(identifier_scheme=charity_scheme(org.charity_number)),
            }
        )
    if org.company_number:
        identifiers.append(
            {
                "id": derived_id("organization_identifier", org.uuid, "company"),
                "organization_id": org.uuid,
                "identifier_scheme": "GB-COH",
                "identifier_type": "Company number",
                "identifier": org.company_number,
            }
        )
    return identifiers


def organization_full(org):
    return {**organization(org), **present(organization_identifiers=organization_identifiers(org))}


# --- Taxonomies ---------------------------------------------------------------------------------


def taxonomy_term(term, taxonomy=None):
    taxonomy = taxonomy or term.taxonomy
    return {
        "id": term.uuid,
        "name": term.name,
        # Required by the profile: a term the vocabulary does not describe says which vocabulary it is from.
        "description": term.description or f"{term.name} ({taxonomy.name})",
        "taxonomy": taxonomy.name,
        "taxonomy_id": taxonomy.uuid,
        **present(term=term.code),
    }


def taxonomy(vocabulary, with_terms=False):
    data = {"id": vocabulary.uuid, "name": vocabulary.name, "description": vocabulary.description or vocabulary.name}
    if with_terms:
        data.update(present(taxonomy_terms=[taxonomy_term(term, vocabulary) for term in vocabulary.terms]))
    return data


def attribute(link_id, link_entity, term):
    """A link from a service (or an accessibility entry) to a taxonomy term. `link_entity` (HSDS 3.0's
    "service", "accessibility") is not in the UK profile's attribute, so it only keeps the derived id stable;
    `link_type`, which the profile declares, says what the term describes."""
    return {
        "id": derived_id("attribute", link_entity, link_id, term.uuid),
        "link_id": link_id,
        "taxonomy_term_id": term.uuid,
        **present(link_type=LINK_TYPES.get(term.taxonomy.code)),
        "taxonomy_term": taxonomy_term(term),
    }


# --- Locations ----------------------------------------------------------------------------------


def addresses(location):
    """The location's street address, or none when it lacks a first line or a postcode (both required)."""
    line = ", ".join(part for part in (location.address_1, location.address_2) if part)
    if not line or not location.postcode:
        return []
    return [
        {
            "id": derived_id("address", location.uuid),
            "location_id": location.uuid,
            "address_1": line,
            "city": location.city or DEFAULT_CITY,
            "state_province": STATE_PROVINCE,
            "postal_code": location.postcode,
            "country": COUNTRY,
            "address_type": "physical",
        }
    ]


def location(place):
    """A location's one-to-one fields (as in a list item: the list schema has no addresses)."""
    data = {"id": place.uuid, "location_type": "physical", **present(name=place.name)}
    if place.lat is not None and place.lon is not None:
        data.update(latitude=place.lat, longitude=place.lon)
    return data


def accessibility(place):
    entries = []
    for term in place.accessibility:
        entry_id = derived_id("accessibility", place.uuid, term.uuid)
        entries.append(
            {
                "id": entry_id,
                "location_id": place.uuid,
                "description": term.name,
                **present(details=term.description),
                "attributes": [attribute(entry_id, "accessibility", term)],
            }
        )
    if place.accessibility_notes:
        entries.append(
            {
                "id": derived_id("accessibility", place.uuid, "notes"),
                "location_id": place.uuid,
                "description": place.accessibility_notes,
            }
        )
    return entries


def location_full(place):
    return {**location(place), **present(addresses=addresses(place), accessibility=accessibility(place))}


# --- Services -----------------------------------------------------------------------------------


def service(row):
    """A service's one-to-one fields and its organisation's (a /services list item)."""
    org = row.organisation
    changed = [stamp for stamp in (row.updated_at, org.updated_at) if stamp]
    return {
        "id": row.uuid,
        "organization_id": org.uuid,
        "name": row.name,
        "status": service_status(row),
        **present(
            description=row.description,
            url=web_address(row.url),
            email=email_address(row.email),
            minimum_age=row.minimum_age,
            maximum_age=row.maximum_age,
            assured_date=iso_date(org.last_verified_at),
            last_modified=iso_datetime(max(changed)) if changed else None,
        ),
        "organization": organization(org),
    }


def schedule(row, service_uuid, closures=()):
    """A weekly opening time. HSDS 3.0 has no record for "closed on these dates", so a service's holiday
    closures that have not ended are said in each of its weekly schedules' description (a separate schedule
    with valid_from/valid_to would read as a time it is open)."""
    opens, closes = hhmm(row.opens_at), hhmm(row.closes_at)
    closed = "".join(f" {closure_text(c)}." for c in closures)
    return {
        "id": row.uuid,
        "service_id": service_uuid,
        "freq": "WEEKLY",
        "byday": row.byday,
        "opens_at": opens,
        "closes_at": closes,
        "description": f"{row.weekday_name} {opens} to {closes} (UK time).{closed}"
        if closed
        else f"{row.weekday_name} {opens} to {closes} (UK time)",
    }


def service_area(service_uuid, ward):
    return {
        "id": derived_id("service_area", service_uuid, ward.code),
        "service_id": service_uuid,
        "name": f"{ward.name} ward",
        "service_area": f"People who live in {ward.name} ward",
        "uri": ONS_GEOGRAPHY_URI + ward.code,
    }


def service_areas(row):
    """The UK profile's service_area records for a service: one per ward it serves, one for the whole
    borough (the local authority's ONS code), or a text area for a service given online or by phone."""
    if row.area_scope == "borough":
        code = current_app.config.get("COUNCIL_GSS_CODE", "E09000003")
        place = current_app.config["COUNCIL_NAME"].replace("London Borough of ", "")
        return [
            {
                "id": derived_id("service_area", row.uuid, code),
                "service_id": row.uuid,
                "name": f"All of {place}",
                "service_area": f"People who live anywhere in {place}",
                "uri": ONS_GEOGRAPHY_URI + code,
            }
        ]
    if row.area_scope == "remote":
        return [
            {
                "id": derived_id("service_area", row.uuid, "remote"),
                "service_id": row.uuid,
                "name": "Online or by phone",
                "service_area": "Online or by phone, wherever people live",
                "extent_type": "text",
                "extent": "Online or by phone",
            }
        ]
    return [service_area(row.uuid, ward) for ward in row.areas]


def cost_options(row):
    if not row.fees_description:
        return []
    return [
        {
            "id": derived_id("cost_option", row.uuid),
            "service_id": row.uuid,
            "amount_description": row.fees_description,
        }
    ]


def service_full(row, places=None):
    """The fully nested service (/services/{id}); `places` are its public ServiceAtLocation rows, or None to
    leave service_at_locations out (inside a service_at_location)."""
    data = service(row)
    data["organization"] = organization_full(row.organisation)
    today = to_london(utcnow()).date()
    closures_ahead = [c for c in row.closures if c.ends_on >= today]
    data.update(
        present(
            schedules=[
                schedule(s, row.uuid, closures_ahead)
                for s in sorted(row.schedules, key=lambda s: (s.weekday, s.opens_at, s.id))
            ],
            service_areas=service_areas(row),
            attributes=[attribute(row.uuid, "service", term) for term in row.terms],
            cost_options=cost_options(row),
            service_at_locations=[
                {
                    "id": sal.uuid,
                    "service_id": row.uuid,
                    "location_id": sal.location.uuid,
                    "location": location_full(sal.location),
                }
                for sal in places or []
            ],
        )
    )
    return data


def service_at_location(sal):
    """A /service_at_locations list item: the link, its location and its service's one-to-one fields."""
    return {
        "id": sal.uuid,
        "service_id": sal.service.uuid,
        "location_id": sal.location.uuid,
        "location": location(sal.location),
        "service": service(sal.service),
    }


def service_at_location_full(sal):
    return {
        "id": sal.uuid,
        "service_id": sal.service.uuid,
        "location_id": sal.location.uuid,
        "location": location_full(sal.location),
        "service": service_full(sal.service),
    }


# --- Envelope and metadata ----------------------------------------------------------------------


def page_envelope(page, item):
    contents = [item(row) for row in page.items]
    return {
        "total_items": page.total,
        "total_pages": page.total_pages,
        "page_number": page.number,
        "size": len(contents),
        "first_page": page.number == 1,
        "last_page": page.number >= page.total_pages,
        "empty": not contents,
        "contents": contents,
    }


def metadata(openapi_url):
    """The `/` answer: which HSDS version and profile this API follows, and where its OpenAPI document is."""
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": openapi_url}
