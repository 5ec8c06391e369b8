"""The OpenAPI 3.1 document of our Open Referral UK API, served at /api/oruk/v3/openapi.json.

Built from the constants in services.py so the limits it states are the ones the code applies. Response
bodies refer to the UK profile's published JSON schemas (the ones the tests validate against).
"""

from ..directory.models import WEEKDAY_NAMES, WEEKDAYS
from . import services

SCHEMAS = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
# The shape of a UK postcode, any case and spacing (or nothing at all).
POSTCODE_PATTERN = r"^(\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*)?$"

PARAMETERS = {
    "search": {
        "name": "search",
        "in": "query",
        "required": False,
        "description": (
            "Words to look for, as the directory's own search does: full text over the organisation's name and "
            "description and its services' names, descriptions and categories. Every public service of a "
            "matching organisation is returned."
        ),
        "schema": {"type": "string", "maxLength": services.MAX_TEXT_LENGTH},
    },
    "page": {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "Page number of paginated result, from 1.",
        "schema": {"type": "integer", "minimum": 1, "maximum": services.MAX_PAGE, "default": 1},
    },
    "per_page": {
        "name": "per_page",
        "in": "query",
        "required": False,
        "description": f"Number of results requested in a single page, at most {services.MAX_PER_PAGE}.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": services.MAX_PER_PAGE,
            "default": services.PER_PAGE,
        },
    },
    "taxonomy_term_id": {
        "name": "taxonomy_term_id",
        "in": "query",
        "required": False,
        "description": (
            "Only services with this taxonomy term (for service_at_locations: the service has it, or the "
            "location has it as an accessibility feature)."
        ),
        "schema": {"type": "string"},
    },
    "taxonomy_id": {
        "name": "taxonomy_id",
        "in": "query",
        "required": False,
        "description": "Only services with any term of this taxonomy (for service_at_locations, or the location).",
        "schema": {"type": "string"},
    },
    "taxonomy_id_of_terms": {
        "name": "taxonomy_id",
        "in": "query",
        "required": False,
        "description": "Only the terms of this taxonomy.",
        "schema": {"type": "string"},
    },
    "minimum_age": {
        "name": "minimum_age",
        "in": "query",
        "required": False,
        "description": (
            "Only services whose minimum age is at least this many years (a service with no minimum age is open "
            "from birth, so it counts as 0)."
        ),
        "schema": {"type": "number", "minimum": 0, "maximum": services.MAX_AGE},
    },
    "maximum_age": {
        "name": "maximum_age",
        "in": "query",
        "required": False,
        "description": (
            "Only services whose maximum age is this many years or below (a service with no maximum age has no "
            "upper limit, so it is not returned)."
        ),
        "schema": {"type": "number", "minimum": 0, "maximum": services.MAX_AGE},
    },
    "start_time": {
        "name": "start_time",
        "in": "query",
        "required": False,
        "description": (
            "Only services with a weekly opening that starts at or after this time (UK time, 24-hour HH:MM or "
            "HH:MM:SS). With `day` and `end_time`, the same opening must meet all three."
        ),
        "schema": {"type": "string", "pattern": services.TIME_RE.pattern},
    },
    "end_time": {
        "name": "end_time",
        "in": "query",
        "required": False,
        "description": "Only services with a weekly opening that ends at or before this time (UK time, 24-hour).",
        "schema": {"type": "string", "pattern": services.TIME_RE.pattern},
    },
    "day": {
        "name": "day",
        "in": "query",
        "required": False,
        "description": "Only services open on this day: MO, TU, WE, TH, FR, SA or SU (or the day's English name).",
        "schema": {"type": "string", "enum": [*WEEKDAYS, *WEEKDAY_NAMES]},
    },
    "postcode": {
        "name": "postcode",
        "in": "query",
        "required": False,
        "description": (
            "A postcode in the borough. Results are ordered by distance from its centre; a service with service "
            "areas is returned only if the postcode's ward is one of them. 400 when the postcode is unknown "
            "(the directory knows the postcodes in and around the borough). Empty: no postcode."
        ),
        "schema": {"type": "string", "pattern": POSTCODE_PATTERN},
    },
    "proximity": {
        "name": "proximity",
        "in": "query",
        "required": False,
        "description": (
            "Only results within this many metres of the centre of `postcode` (which it needs), at most "
            f"{services.MAX_PROXIMITY_METRES}."
        ),
        "schema": {"type": "number", "exclusiveMinimum": 0, "maximum": services.MAX_PROXIMITY_METRES},
    },
}

PAGE_SCHEMA = {
    "type": "object",
    "required": [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    ],
    "properties": {
        "total_items": {"type": "integer", "description": "The total number of entities found."},
        "total_pages": {"type": "integer", "description": "Count of total pages (0 when nothing is found)."},
        "page_number": {"type": "integer", "description": "The number of the current page."},
        "size": {"type": "integer", "description": "The number of entities in the current page."},
        "first_page": {"type": "boolean", "description": "Whether this is the first page."},
        "last_page": {"type": "boolean", "description": "Whether this is the last page (or past it)."},
        "empty": {"type": "boolean", "description": "Whether this page has no entities."},
        "contents": {"type": "array"},
    },
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string", "description": "What went wrong, in general."},
        "detail": {"type": "string", "description": "What was wrong with this request and what to send."},
    },
}

SERVICE_FILTERS = ("minimum_age", "maximum_age", "start_time", "end_time", "day")

ID_PARAMETER = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}


def _json(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description):
    return _json(description, {"$ref": "#/components/schemas/Error"})


def _list(operation_id, summary, item_schema, parameters):
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in parameters],
            "responses": {
                "200": _json(
                    summary,
                    {
                        "allOf": [{"$ref": "#/components/schemas/Page"}],
                        "properties": {"contents": {"type": "array", "items": {"$ref": SCHEMAS + item_schema}}},
                    },
                ),
                "400": _error("A parameter cannot be used (for example per_page above the maximum, or an empty page)."),
            },
        }
    }


def _one(operation_id, summary, what, schema):
    return {
        "parameters": [{**ID_PARAMETER, "description": f"The id of the {what}."}],
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "responses": {
                "200": _json(summary, {"$ref": SCHEMAS + schema}),
                "404": _error(f"There is no public {what} with this id."),
            },
        },
    }


def document(server_url, open_data_url=None):
    """The OpenAPI document, with `server_url` (the API stub) as its server; `open_data_url` is the page of
    bulk downloads (the whole directory as HSDS-UK JSON and tables)."""
    extra = {}
    if open_data_url:
        extra["externalDocs"] = {
            "description": "The whole directory at once: HSDS-UK JSON and the HSDS tabular CSV package (zip).",
            "url": open_data_url,
        }
    return {
        **extra,
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Community Partnership Portal: Open Referral UK API",
            "version": "3.0",
            "description": (
                "The council's directory of voluntary, community and faith sector organisations and their "
                "services, as Open Referral UK (HSDS 3.0 UK profile). Read-only, public, no key needed; every "
                "response allows any origin (CORS). Only approved listings are included, and confidential "
                "addresses (such as refuges) never are. Optional fields without a value are left out, never null."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/": {
                "get": {
                    "operationId": "getAPIMetaInformation",
                    "summary": "Information about this API and its relationship with HSDS.",
                    "responses": {
                        "200": _json(
                            "The HSDS version, the profile and where this document is.",
                            {
                                "type": "object",
                                "required": ["version", "profile", "openapi_url"],
                                "properties": {
                                    "version": {"type": "string"},
                                    "profile": {"type": "string", "format": "uri"},
                                    "openapi_url": {"type": "string", "format": "uri"},
                                },
                            },
                        )
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenAPIDocument",
                    "summary": "This document.",
                    "responses": {"200": _json("This OpenAPI document.", {"type": "object"})},
                }
            },
            "/services": _list(
                "getPaginatedListOfServices",
                "Paginated listing of services with their one-to-one fields and organisation.",
                "compiled/service_list.json",
                ["search", "page", "per_page", "taxonomy_term_id", "taxonomy_id", *SERVICE_FILTERS],
            ),
            "/services/{id}": _one(
                "getFullyNestedServiceById",
                "A fully nested service with all related data.",
                "service",
                "compiled/service.json",
            ),
            "/service_at_locations": _list(
                "getPaginatedListOfServiceAtLocation",
                "Paginated listing of services at locations, nearest first when a postcode is given.",
                "compiled/service_at_location_list.json",
                [
                    "search",
                    "page",
                    "per_page",
                    "taxonomy_term_id",
                    "taxonomy_id",
                    *SERVICE_FILTERS,
                    "postcode",
                    "proximity",
                ],
            ),
            "/service_at_locations/{id}": _one(
                "getServiceAtLocationWithNestedDataById",
                "A fully nested service at a location, with its location and service.",
                "service at location",
                "compiled/service_at_location.json",
            ),
            "/taxonomies": _list(
                "getPaginatedListOfTaxonomies",
                "Paginated listing of taxonomies.",
                "taxonomy.json",
                ["page", "per_page"],
            ),
            "/taxonomies/{id}": _one("getTaxonomyById", "A taxonomy with its terms.", "taxonomy", "taxonomy.json"),
            "/taxonomy_terms": _list(
                "getPaginatedListOfTaxonomyTerms",
                "Paginated listing of taxonomy terms.",
                "taxonomy_term.json",
                ["page", "per_page", "taxonomy_id_of_terms"],
            ),
            "/taxonomy_terms/{id}": _one(
                "getTaxonomyTermById", "A taxonomy term.", "taxonomy term", "taxonomy_term.json"
            ),
        },
        "components": {
            "schemas": {"Page": PAGE_SCHEMA, "Error": ERROR_SCHEMA},
            "parameters": PARAMETERS,
        },
    }
