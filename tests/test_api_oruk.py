"""Open Referral UK read API (/api/oruk/v3): responses valid against the HSDS 3.0 UK profile schemas in
../shared/oruk, the paged envelope, filters (words, taxonomy, postcode and distance), CORS, clean errors,
and that confidential addresses, unapproved listings and people's e-mails never appear."""

import json
import math
import os
from datetime import datetime, time
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from app import datacache
from app.extensions import db

from .conftest import ORUK_DIR

API = "/api/oruk/v3"

# Real Barnet postcodes with their positions and wards, from ../shared/geo/barnet_postcodes.csv:
# postcode: (lat, lon, 2022 ward, 2002-2022 ward)
POSTCODES = {
    "EN5 4AG": (51.653969, -0.221460, "E05013644", "E05000056"),  # High Barnet: where residents search from
    "EN5 4AR": (51.653363, -0.222394, "E05013644", "E05000056"),  # about 90 m away: the refuge (confidential)
    "EN5 4AH": (51.653964, -0.219913, "E05013644", "E05000056"),  # about 107 m away: the church hall
    "EN5 4BY": (51.653045, -0.211521, "E05013644", "E05000056"),  # about 693 m away: the advice shop
    "EN4 8AA": (51.648807, -0.169898, "E05013635", "E05000048"),  # East Barnet, about 3603 m away
}
PRIVATE_EMAIL = "editor.private@example.org"
SECRET_ADDRESS = "7 Hidden Mews"


# --- A small directory, built with the models -----------------------------------------------------


@pytest.fixture
def directory(app, wards, make_user):
    from app.directory.models import (
        Location,
        Organisation,
        Schedule,
        Service,
        ServiceAtLocation,
        Taxonomy,
        TaxonomyTerm,
    )
    from app.directory.services import search_text_for
    from app.places.models import Postcode, Ward

    for code, (lat, lon, ward, ward_2002) in POSTCODES.items():
        db.session.add(Postcode(postcode=code, lat=lat, lon=lon, ward_code=ward, ward_code_2002=ward_2002))

    category = Taxonomy(code="category", name="Category", description="What the service does")
    language = Taxonomy(code="language", name="Language", description="")
    access = Taxonomy(code="accessibility", name="Accessibility", description="How accessible a location is")
    food = TaxonomyTerm(taxonomy=category, code="food", name="Food", description="Food banks and meals")
    advice = TaxonomyTerm(taxonomy=category, code="advice-and-information", name="Advice and information")
    polish = TaxonomyTerm(taxonomy=language, code="polish", name="Polish")
    step_free = TaxonomyTerm(taxonomy=access, code="step-free-access", name="Step-free access")
    db.session.add_all([category, language, access])

    kitchen = Organisation(
        name="Chipping Barnet Community Kitchen",
        slug="chipping-barnet-community-kitchen",
        description="Hot meals and a warm welcome near the High Street.",
        email="hello@cbkitchen.org.uk",
        website="www.cbkitchen.org.uk",
        charity_number="1123456",
        company_number="01234567",
        last_verified_at=datetime(2025, 5, 1, 9, 30),
    )
    hall = Location(
        organisation=kitchen,
        name="St John's church hall",
        address_1="1 Wood Street",
        address_2="Chipping Barnet",
        city="Barnet",
        postcode="EN5 4AH",
        lat=POSTCODES["EN5 4AH"][0],
        lon=POSTCODES["EN5 4AH"][1],
        ward_code="E05013644",
        accessibility=[step_free],
        accessibility_notes="Ramp at the side door",
    )
    refuge = Location(
        organisation=kitchen,
        name="Safe house",
        address_1=SECRET_ADDRESS,
        city="Barnet",
        postcode="EN5 4AR",
        lat=POSTCODES["EN5 4AR"][0],
        lon=POSTCODES["EN5 4AR"][1],
        ward_code="E05013644",
        confidential=True,
    )
    meals = Service(
        organisation=kitchen,
        name="Hot meals",
        description="A free hot lunch, twice a week.",
        url="https://cbkitchen.org.uk/meals",
        email="meals@cbkitchen.org.uk",
        fees_description="Free",
        minimum_age=0,
        maximum_age=120,
        terms=[food, polish],
        areas=[db.session.get(Ward, "E05013644")],
        schedules=[
            Schedule(weekday=2, opens_at=time(12), closes_at=time(14)),
            Schedule(weekday=0, opens_at=time(12), closes_at=time(14, 30)),
        ],
    )
    debt = Service(organisation=kitchen, name="Debt advice", description="", terms=[advice])
    sal_meals_hall = ServiceAtLocation(service=meals, location=hall)
    sal_meals_refuge = ServiceAtLocation(service=meals, location=refuge)
    sal_debt_hall = ServiceAtLocation(service=debt, location=hall)
    sal_debt_refuge = ServiceAtLocation(service=debt, location=refuge)

    oakleigh = Organisation(
        name="Oakleigh Advice Centre",
        slug="oakleigh-advice-centre",
        description="Welfare benefits help.",
        status="temporarily closed",
    )
    shop = Location(
        organisation=oakleigh,
        name="Advice shop",
        address_1="20 Union Street",
        city="Barnet",
        postcode="EN5 4BY",
        lat=POSTCODES["EN5 4BY"][0],
        lon=POSTCODES["EN5 4BY"][1],
    )
    east = Location(
        organisation=oakleigh,
        name="East Barnet office",
        address_1="2 Station Road",
        city="Barnet",
        postcode="EN4 8AA",
        lat=POSTCODES["EN4 8AA"][0],
        lon=POSTCODES["EN4 8AA"][1],
    )
    unplaced = Location(organisation=oakleigh, name="Outreach van", address_1="", city="Barnet")
    benefits = Service(
        organisation=oakleigh, name="Benefits advice", description="Help claiming welfare benefits.", terms=[advice]
    )
    sal_benefits_shop = ServiceAtLocation(service=benefits, location=shop)
    sal_benefits_east = ServiceAtLocation(service=benefits, location=east)
    sal_benefits_van = ServiceAtLocation(service=benefits, location=unplaced)

    waiting = Organisation(
        name="Unapproved Lunch Club",
        slug="unapproved-lunch-club",
        description="Waiting for an officer.",
        published=False,
    )
    waiting_place = Location(
        organisation=waiting,
        name="Lunch club room",
        address_1="3 Nowhere Lane",
        city="Barnet",
        postcode="EN5 4AG",
        lat=POSTCODES["EN5 4AG"][0],
        lon=POSTCODES["EN5 4AG"][1],
    )
    lunch = Service(
        organisation=waiting, name="Pending lunches", description="Hot meals, not yet approved.", terms=[food]
    )
    sal_lunch = ServiceAtLocation(service=lunch, location=waiting_place)
    # A published service linked to the unapproved club's room: the room must stay hidden all the same.
    sal_debt_waiting = ServiceAtLocation(service=debt, location=waiting_place)

    db.session.add_all(
        [
            kitchen,
            oakleigh,
            waiting,
            sal_meals_hall,
            sal_meals_refuge,
            sal_debt_hall,
            sal_debt_refuge,
            sal_benefits_shop,
            sal_benefits_east,
            sal_benefits_van,
            sal_lunch,
            sal_debt_waiting,
        ]
    )
    for org in (kitchen, oakleigh, waiting):
        org.search_text = search_text_for(org)
    db.session.commit()
    make_user("group_editor", email=PRIVATE_EMAIL, organisations=[kitchen])

    return SimpleNamespace(
        kitchen=kitchen.uuid,
        oakleigh=oakleigh.uuid,
        waiting=waiting.uuid,
        meals=meals.uuid,
        debt=debt.uuid,
        benefits=benefits.uuid,
        lunch=lunch.uuid,
        hall=hall.uuid,
        refuge=refuge.uuid,
        shop=shop.uuid,
        east=east.uuid,
        unplaced=unplaced.uuid,
        waiting_place=waiting_place.uuid,
        sal_meals_hall=sal_meals_hall.uuid,
        sal_meals_refuge=sal_meals_refuge.uuid,
        sal_debt_hall=sal_debt_hall.uuid,
        sal_debt_refuge=sal_debt_refuge.uuid,
        sal_benefits_shop=sal_benefits_shop.uuid,
        sal_benefits_east=sal_benefits_east.uuid,
        sal_benefits_van=sal_benefits_van.uuid,
        sal_lunch=sal_lunch.uuid,
        sal_debt_waiting=sal_debt_waiting.uuid,
        category=category.uuid,
        language=language.uuid,
        access=access.uuid,
        food=food.uuid,
        advice=advice.uuid,
        polish=polish.uuid,
        step_free=step_free.uuid,
    )


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    return response.get_json()


def ids(body):
    return [item["id"] for item in body["contents"]]


# --- The HSDS-UK 3.0 schemas from ../shared/oruk -----------------------------------------------------


@pytest.fixture(scope="session")
def oruk():
    """validate(instance, schema) against the UK profile's schemas, with formats (uuid, uri, date...) checked."""
    if not ORUK_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"The HSDS-UK schemas must be checked in CI, but {ORUK_DIR} is missing")
        pytest.skip(f"{ORUK_DIR} is missing (the shared HSDS-UK 3.0 schemas), so responses cannot be validated")
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    from app.api.openapi import SCHEMAS

    registry = Registry()
    for path in sorted(ORUK_DIR.rglob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        # The schema files refer to each other by file name ("taxonomy_term.json"); our OpenAPI document
        # refers to them by their published address.
        name = path.relative_to(ORUK_DIR).as_posix()
        registry = registry.with_resources([(name, resource), (SCHEMAS + name, resource)])
    openapi = json.loads((ORUK_DIR / "openapi.json").read_text(encoding="utf-8"))
    page = openapi["components"]["schemas"]["Page"]

    def schema(name):
        return registry.contents(name)

    def paged(item):
        return {
            "allOf": [page],
            "type": "object",
            "required": [*page["properties"], "contents"],
            "properties": {"contents": {"type": "array", "items": item}},
        }

    def validate(instance, against):
        _validate(registry, instance, against)

    def with_document(document):
        """validate() that also knows our own OpenAPI document, as urn:portal-openapi."""
        known = registry.with_resource(
            "urn:portal-openapi", Resource.from_contents(document, default_specification=DRAFT202012)
        )
        return SimpleNamespace(validate=lambda instance, against: _validate(known, instance, against))

    def _validate(with_registry, instance, against):
        validator = Draft202012Validator(
            against, registry=with_registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]
        assert problems == []

    root = openapi["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return SimpleNamespace(
        schema=schema,
        paged=paged,
        validate=validate,
        with_document=with_document,
        root={**root, "required": list(root["properties"])},
    )


def test_every_endpoint_answers_as_the_uk_profile_says(client, directory, oruk):
    d = directory
    service_list = oruk.paged(oruk.schema("compiled/service_list.json"))
    sal_list = oruk.paged(oruk.schema("compiled/service_at_location_list.json"))
    checks = [
        ("/", oruk.root),
        ("/services", service_list),
        ("/services?search=meals&per_page=1", service_list),
        (f"/services?taxonomy_term_id={d.food}", service_list),
        (f"/services?taxonomy_id={d.category}&page=2&per_page=2", service_list),
        (f"/services/{d.meals}", oruk.schema("compiled/service.json")),
        (f"/services/{d.debt}", oruk.schema("compiled/service.json")),
        (f"/services/{d.benefits}", oruk.schema("compiled/service.json")),
        ("/service_at_locations", sal_list),
        ("/service_at_locations?postcode=EN5 4AG&proximity=5000", sal_list),
        (f"/service_at_locations?taxonomy_term_id={d.step_free}", sal_list),
        # The UK profile's openapi.json names compiled/service.json for this one, but the item is a
        # service_at_location (id, service_id, location_id, location, service): compiled/service_at_location.json.
        (f"/service_at_locations/{d.sal_meals_hall}", oruk.schema("compiled/service_at_location.json")),
        (f"/service_at_locations/{d.sal_benefits_van}", oruk.schema("compiled/service_at_location.json")),
        ("/taxonomies", oruk.paged(oruk.schema("taxonomy.json"))),
        (f"/taxonomies/{d.category}", oruk.schema("taxonomy.json")),
        ("/taxonomy_terms", oruk.paged(oruk.schema("taxonomy_term.json"))),
        (f"/taxonomy_terms?taxonomy_id={d.access}", oruk.paged(oruk.schema("taxonomy_term.json"))),
        (f"/taxonomy_terms/{d.polish}", oruk.schema("taxonomy_term.json")),
    ]
    for path, schema in checks:
        body = get_json(client, API + path)
        oruk.validate(body, schema)
        if "contents" in body:
            assert body["contents"], f"{path} found nothing, so its items were not validated"


def test_responses_are_what_our_openapi_document_says(client, directory, oruk):
    """Our document's response schemas (which point at the profile's published schemas) accept our answers."""
    d = directory
    document = get_json(client, f"{API}/openapi.json")
    check = oruk.with_document(document)
    sample_ids = {
        "services": d.meals,
        "service_at_locations": d.sal_meals_hall,
        "taxonomies": d.category,
        "taxonomy_terms": d.food,
    }
    for path in document["paths"]:
        url = API + path.replace("{id}", sample_ids.get(path.split("/")[1], ""))
        pointer = "/".join(
            [
                "#",
                "paths",
                path.replace("~", "~0").replace("/", "~1"),
                "get",
                "responses",
                "200",
                "content",
                "application~1json",
                "schema",
            ]
        )
        check.validate(get_json(client, url), {"$ref": "urn:portal-openapi" + pointer})
    bad = get_json(client, f"{API}/services?page=0", status=400)
    check.validate(bad, {"$ref": "urn:portal-openapi#/components/schemas/Error"})


def test_a_full_service_carries_its_nested_data(client, directory, oruk):
    d = directory
    body = get_json(client, f"{API}/services/{d.meals}")
    assert body["id"] == d.meals and body["organization_id"] == d.kitchen
    assert body["status"] == "active" and body["minimum_age"] == 0
    assert body["assured_date"] == "2025-05-01"
    org = body["organization"]
    assert org["website"] == "https://www.cbkitchen.org.uk"  # a bare domain becomes a web address
    assert {(i["identifier_scheme"], i["identifier"]) for i in org["organization_identifiers"]} == {
        ("GB-CHC", "1123456"),
        ("GB-COH", "01234567"),
    }
    # Opening hours in weekday order, as weekly RRULE parts.
    assert [(s["byday"], s["opens_at"], s["closes_at"], s["freq"]) for s in body["schedules"]] == [
        ("MO", "12:00", "14:30", "WEEKLY"),
        ("WE", "12:00", "14:00", "WEEKLY"),
    ]
    assert [(a["name"], a["uri"]) for a in body["service_areas"]] == [
        ("High Barnet ward", "http://statistics.data.gov.uk/id/statistical-geography/E05013644"),
    ]
    assert sorted((a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["name"]) for a in body["attributes"]) == [
        ("Category", "Food"),
        ("Language", "Polish"),
    ]
    assert [c["amount_description"] for c in body["cost_options"]] == ["Free"]
    # Only the church hall: the refuge is confidential.
    (place,) = body["service_at_locations"]
    assert place["id"] == d.sal_meals_hall and place["location_id"] == d.hall
    location = place["location"]
    assert (location["latitude"], location["longitude"]) == POSTCODES["EN5 4AH"][:2]
    assert location["addresses"] == [
        {
            "id": location["addresses"][0]["id"],
            "location_id": d.hall,
            "address_1": "1 Wood Street, Chipping Barnet",
            "city": "Barnet",
            "state_province": "Greater London",
            "postal_code": "EN5 4AH",
            "country": "GB",
            "address_type": "physical",
        }
    ]
    assert [a["description"] for a in location["accessibility"]] == ["Step-free access", "Ramp at the side door"]
    # Derived ids stay the same from one request to the next.
    assert get_json(client, f"{API}/services/{d.meals}") == body


def test_every_service_is_what_the_export_builds_from_the_models(client, directory):
    """/services/{id} and the list of services at locations read plain rows (app/api/service_facts.py); the
    bulk export builds the same records from the models. Each must come out the same both ways."""
    from datetime import date, timedelta

    from app.api import hsds
    from app.api import services as api_services
    from app.directory.models import Closure, Organisation, Service

    meals = db.session.scalar(db.select(Service).where(Service.uuid == directory.meals))
    meals.closures = [
        Closure(starts_on=date.today() - timedelta(days=9), ends_on=date.today() - timedelta(days=2), note="Past"),
        Closure(starts_on=date.today() + timedelta(days=5), ends_on=date.today() + timedelta(days=6), note="Ahead"),
    ]
    db.session.commit()
    published = db.session.scalars(
        db.select(Service).join(Service.organisation).where(Organisation.published.is_(True)).order_by(Service.id)
    ).all()
    assert len(published) >= 3
    for service in published:
        from_rows = get_json(client, f"{API}/services/{service.uuid}")
        from_models = json.loads(
            json.dumps(hsds.service_full(service, api_services.public_service_at_locations(service)))
        )
        assert from_rows == from_models, service.name
    assert "Ahead" in json.dumps(get_json(client, f"{API}/services/{directory.meals}"))
    # The list of services at locations reads plain rows too: each item is the one built from the models.
    from app.directory.models import ServiceAtLocation

    listed = get_json(client, f"{API}/service_at_locations?per_page=50")["contents"]
    assert len(listed) >= 4
    for item in listed:
        place = db.session.scalar(db.select(ServiceAtLocation).where(ServiceAtLocation.uuid == item["id"]))
        assert item == json.loads(json.dumps(hsds.service_at_location(place))), item["id"]


def test_a_service_is_as_closed_as_its_organisation(client, directory):
    body = get_json(client, f"{API}/services/{directory.benefits}")
    assert body["status"] == "temporarily closed"


def test_optional_fields_are_left_out_never_null(client, directory):
    d = directory
    debt = get_json(client, f"{API}/services/{d.debt}")
    for absent in ("description", "url", "email", "minimum_age", "maximum_age", "fees"):
        assert absent not in debt
    # Empty lists are left out too: no schedules, areas, costs or identifiers to send.
    for absent in ("schedules", "service_areas", "cost_options"):
        assert absent not in debt
    benefits = get_json(client, f"{API}/services/{d.benefits}")
    assert "organization_identifiers" not in benefits["organization"]
    van = get_json(client, f"{API}/service_at_locations/{d.sal_benefits_van}")["location"]
    assert "latitude" not in van and "longitude" not in van and "addresses" not in van
    # Required text is never empty: a vocabulary or term without a description is described by its name.
    language = get_json(client, f"{API}/taxonomies/{d.language}")
    assert language["description"] == "Language"
    polish = get_json(client, f"{API}/taxonomy_terms/{d.polish}")
    assert polish["description"] == "Polish (Language)"

    def no_nulls(value, where):
        if isinstance(value, dict):
            for key, item in value.items():
                no_nulls(item, f"{where}.{key}")
        elif isinstance(value, list):
            for n, item in enumerate(value):
                no_nulls(item, f"{where}[{n}]")
        else:
            assert value is not None, f"null at {where}"

    for url in _every_public_url(client):
        no_nulls(get_json(client, url), url)


# --- Paging --------------------------------------------------------------------------------------------


def test_the_page_envelope_adds_up(client, directory):
    seen = []
    for page, size, first, last in ((1, 2, True, False), (2, 1, False, True)):
        body = get_json(client, f"{API}/services?per_page=2&page={page}")
        assert body["total_items"] == 3 and body["total_pages"] == 2
        assert (body["page_number"], body["size"], body["first_page"], body["last_page"], body["empty"]) == (
            page,
            size,
            first,
            last,
            False,
        )
        assert len(body["contents"]) == size
        seen += ids(body)
    d = directory
    assert sorted(seen) == sorted([d.meals, d.debt, d.benefits])

    past_the_end = get_json(client, f"{API}/services?per_page=2&page=3")
    assert (past_the_end["page_number"], past_the_end["size"], past_the_end["empty"], past_the_end["last_page"]) == (
        3,
        0,
        True,
        True,
    )
    assert past_the_end["contents"] == [] and past_the_end["total_items"] == 3

    nothing = get_json(client, f"{API}/services?search=zebra")
    assert nothing == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }

    default = get_json(client, f"{API}/taxonomy_terms")
    assert default["total_items"] == 4 and default["total_pages"] == 1 and default["size"] == 4


def test_paging_is_done_by_the_database_without_a_query_per_item(app, client, directory):
    """50 services of 25 organisations: a page costs the same few queries as a page of 1 (no N+1)."""
    from app.directory.models import Organisation, Service

    for n in range(25):
        org = Organisation(name=f"Group {n}", slug=f"group-{n}", search_text=f"Group {n} gardening")
        org.services = [Service(name=f"Garden {n}a"), Service(name=f"Garden {n}b")]
        db.session.add(org)
    db.session.commit()

    def queries(url):
        # Counted afresh each time: the page's total is cached under the data version (app/datacache.py),
        # which costs one small read of the versions per request.
        with app.app_context():
            datacache.forget()
        statements = []

        def count(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            get_json(client, url)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    assert queries(f"{API}/services?per_page=50") == queries(f"{API}/services?per_page=1") <= 3
    get_json(client, f"{API}/services?search=warm")  # the search vocabulary is read once, not once a request
    assert queries(f"{API}/services?per_page=50&search=gardening") <= 3
    assert queries(f"{API}/service_at_locations?per_page=50") <= 3
    assert queries(f"{API}/service_at_locations?postcode=EN5 4AG&proximity=5000") <= 4
    assert queries(f"{API}/services/{directory.meals}") <= 10


# --- Filters -------------------------------------------------------------------------------------------


def test_search_finds_listings_by_their_words(client, directory):
    d = directory
    # Words of the organisation or of any of its services find all its public services.
    assert sorted(ids(get_json(client, f"{API}/services?search=kitchen"))) == sorted([d.meals, d.debt])
    assert sorted(ids(get_json(client, f"{API}/services?search=Hot%20Meals"))) == sorted([d.meals, d.debt])
    assert ids(get_json(client, f"{API}/services?search=BENEFITS")) == [d.benefits]
    assert ids(get_json(client, f"{API}/services?search=welfare%20oakleigh")) == [d.benefits]
    # The unapproved club's own words find nothing.
    assert ids(get_json(client, f"{API}/services?search=unapproved")) == []
    # Punctuation alone is no search; search syntax is not an error.
    assert len(ids(get_json(client, f"{API}/services?search=%22%2A%29"))) == 3
    assert sorted(ids(get_json(client, f"{API}/services?search=kitchen%22%29"))) == sorted([d.meals, d.debt])
    sal = get_json(client, f"{API}/service_at_locations?search=oakleigh")
    assert sorted(ids(sal)) == sorted([d.sal_benefits_shop, d.sal_benefits_east, d.sal_benefits_van])


def test_taxonomy_filters(client, directory):
    d = directory
    assert ids(get_json(client, f"{API}/services?taxonomy_term_id={d.food}")) == [d.meals]
    assert sorted(ids(get_json(client, f"{API}/services?taxonomy_term_id={d.advice}"))) == sorted([d.debt, d.benefits])
    assert sorted(ids(get_json(client, f"{API}/services?taxonomy_id={d.category}"))) == sorted(
        [d.meals, d.debt, d.benefits]
    )
    assert ids(get_json(client, f"{API}/services?taxonomy_id={d.language}")) == [d.meals]
    assert ids(get_json(client, f"{API}/services?taxonomy_term_id={d.food}&search=oakleigh")) == []
    assert ids(get_json(client, f"{API}/services?taxonomy_term_id=no-such-term")) == []
    # For services at locations a term also matches the location's accessibility.
    step_free = get_json(client, f"{API}/service_at_locations?taxonomy_term_id={d.step_free}")
    assert sorted(ids(step_free)) == sorted([d.sal_meals_hall, d.sal_debt_hall])
    terms = get_json(client, f"{API}/taxonomy_terms?taxonomy_id={d.category}")
    assert [t["name"] for t in terms["contents"]] == ["Advice and information", "Food"]


def test_postcode_and_proximity_give_the_nearest_first_within_the_distance(client, directory):
    d = directory

    def near(query):
        body = get_json(client, f"{API}/service_at_locations?{query}")
        assert body["total_items"] == len(body["contents"])
        return ids(body)

    hall = {d.sal_meals_hall, d.sal_debt_hall}  # both 107 m away, at the church hall
    assert near("postcode=EN5 4AG&proximity=100") == []
    assert set(near("postcode=EN5 4AG&proximity=110")) == hall
    found = near("postcode=EN5 4AG&proximity=1000")
    assert set(found[:2]) == hall and found[2:] == [d.sal_benefits_shop]  # 693 m
    found = near("postcode=en54ag&proximity=5000")
    assert set(found[:2]) == hall and found[2:] == [d.sal_benefits_shop, d.sal_benefits_east]  # 3603 m
    assert near("postcode=EN5%204AG&proximity=3603")[2:] == [d.sal_benefits_shop]
    assert near("postcode=EN5%204AG&proximity=3604")[2:] == [d.sal_benefits_shop, d.sal_benefits_east]
    # Without a distance: everything, nearest first, places with no position last.
    found = near("postcode=EN5 4AG")
    assert set(found[:2]) == hall and found[2:] == [d.sal_benefits_shop, d.sal_benefits_east, d.sal_benefits_van]
    # The order is kept per postcode (app/api/services.py): another postcode has its own.
    assert near("postcode=EN4 8AA")[:3] == [d.sal_benefits_east, d.sal_benefits_shop, d.sal_debt_hall]
    # Paging goes on in distance order.
    body = get_json(client, f"{API}/service_at_locations?postcode=EN5 4AG&per_page=2&page=2")
    assert ids(body) == [d.sal_benefits_shop, d.sal_benefits_east] and body["total_items"] == 5
    # Other filters still apply.
    assert near(f"postcode=EN5 4AG&proximity=5000&taxonomy_term_id={d.food}") == [d.sal_meals_hall]


def test_a_postcode_outside_a_services_area_does_not_find_it(client, directory):
    """Hot meals serves High Barnet ward only; from East Barnet it is not offered, though it is close enough."""
    d = directory
    body = get_json(client, f"{API}/service_at_locations?postcode=EN4 8AA&proximity=5000")
    assert ids(body) == [d.sal_benefits_east, d.sal_benefits_shop, d.sal_debt_hall]


# --- Nothing private, ever ------------------------------------------------------------------------------


def _every_public_url(client):
    """Every list (all pages) and every item the lists lead to."""
    urls = [
        "/",
        "/openapi.json",
        "/taxonomies",
        "/taxonomy_terms",
        "/services?per_page=200",
        "/service_at_locations?per_page=200",
        "/service_at_locations?postcode=EN5 4AG&per_page=200",
    ]
    details = []
    for kind in ("services", "service_at_locations", "taxonomies", "taxonomy_terms"):
        body = client.get(f"{API}/{kind}?per_page=200").get_json()
        details += [f"/{kind}/{item['id']}" for item in body["contents"]]
    return [API + url for url in urls + details]


def test_confidential_places_unpublished_listings_and_emails_never_appear(client, directory):
    d = directory
    secrets = [
        d.refuge,
        d.sal_meals_refuge,
        d.sal_debt_refuge,
        SECRET_ADDRESS,
        "EN5 4AR",
        "Safe house",
        d.waiting,
        d.lunch,
        d.waiting_place,
        d.sal_lunch,
        d.sal_debt_waiting,
        "Unapproved",
        "Pending lunches",
        "Nowhere Lane",
        "Lunch club room",
        PRIVATE_EMAIL,
    ]
    urls = _every_public_url(client)
    assert len(urls) > 15
    for url in urls:
        text = client.get(url).get_data(as_text=True)
        leaked = [secret for secret in secrets if secret in text]
        assert leaked == [], f"{url} shows {leaked}"
    hidden = (d.sal_lunch, d.sal_debt_waiting, d.sal_meals_refuge, d.sal_debt_refuge)
    for url in [f"/services/{d.lunch}"] + [f"/service_at_locations/{sal}" for sal in hidden]:
        body = get_json(client, API + url, status=404)
        assert body["error"] == "Page not found"
    # Even searched for, or measured from right beside them, they stay hidden.
    for query in (
        "search=unapproved",
        "search=safe%20house",
        f"taxonomy_term_id={d.food}",
        "postcode=EN5 4AR&proximity=50",
        "postcode=EN5 4AG&proximity=200",
    ):
        text = client.get(f"{API}/service_at_locations?{query}").get_data(as_text=True)
        assert not [secret for secret in secrets if secret in text], query


# --- CORS, errors and the OpenAPI document ----------------------------------------------------------------


def test_every_api_response_allows_any_origin(client, directory):
    for url, status in (
        (f"{API}/", 200),
        (f"{API}/services", 200),
        (f"{API}/services/{directory.meals}", 200),
        (f"{API}/services/nope", 404),
        (f"{API}/services?page=0", 400),
        (f"{API}/nothing", 404),
    ):
        response = client.get(url, headers={"Origin": "https://finder.example"})
        assert response.status_code == status
        assert response.headers["Access-Control-Allow-Origin"] == "*", url
    preflight = client.options(
        f"{API}/services",
        headers={
            "Origin": "https://finder.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "accept"
    # Only the API: the site's own pages are not opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=0", "page must be a whole number from 1"),
        ("page=-1", "page must be a whole number from 1"),
        ("page=abc", "page must be a whole number from 1"),
        ("page=1.5", "page must be a whole number from 1"),
        ("page=%D9%A3", "page must be a whole number from 1"),  # an Arabic-Indic digit three
        ("page=99999999999999999999999", "page must be a whole number from 1"),
        ("per_page=0", "per_page must be a whole number from 1 to 200"),
        ("per_page=201", "per_page must be a whole number from 1 to 200"),
        ("per_page=ten", "per_page must be a whole number from 1 to 200"),
    ],
)
def test_bad_paging_is_a_clear_400(client, query, message):
    for endpoint in ("services", "service_at_locations", "taxonomies", "taxonomy_terms"):
        body = get_json(client, f"{API}/{endpoint}?{query}", status=400)
        assert body["error"] == "Sorry, there is a problem with that request"
        assert message in body["detail"]


def test_bad_places_are_a_clear_400(client, directory):
    cases = {
        "postcode=NW1 1AA&proximity=500": "The postcode NW1 1AA is unknown",
        "postcode=hello": "'hello' is not a UK postcode",
        "proximity=500": "proximity needs a postcode",
        "postcode=EN5 4AG&proximity=far": "proximity must be a distance in metres",
        "postcode=EN5 4AG&proximity=0": "proximity must be a distance in metres",
        "postcode=EN5 4AG&proximity=-5": "proximity must be a distance in metres",
        "postcode=EN5 4AG&proximity=100001": "proximity must be a distance in metres",
    }
    for query, message in cases.items():
        body = get_json(client, f"{API}/service_at_locations?{query}", status=400)
        assert message in body["detail"], (query, body)


def test_unknown_ids_are_a_404_and_odd_input_is_never_a_500(client, directory):
    for kind in ("services", "service_at_locations", "taxonomies", "taxonomy_terms"):
        body = get_json(client, f"{API}/{kind}/00000000-0000-4000-8000-000000000000", status=404)
        assert "There is no public" in body["detail"]
        get_json(client, f"{API}/{kind}/{'x' * 300}", status=404)
        get_json(client, f"{API}/{kind}/a%00b", status=404)
    # NUL characters, which PostgreSQL refuses, and very long text.
    for query in (
        "search=a%00b",
        "taxonomy_term_id=a%00b",
        "taxonomy_id=%00",
        "search=" + "word " * 500,
        "postcode=EN5%004AG",
    ):
        response = client.get(f"{API}/service_at_locations?{query}")
        assert response.status_code in (200, 400), (query, response.status_code)
        assert client.get(f"{API}/services?{query}").status_code in (200, 400)
    assert get_json(client, f"{API}/services", status=200)["total_items"] == 3
    body = client.post(f"{API}/services")
    assert body.status_code == 405 and body.get_json()["error"] == "Sorry, that action is not allowed here"


def test_root_describes_the_api_and_its_openapi_document(client, app):
    body = get_json(client, f"{API}/")
    assert body == {
        "version": "3.0",
        "profile": "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md",
        "openapi_url": "http://localhost/api/oruk/v3/openapi.json",
    }
    assert client.get(f"{API}").status_code in (301, 308)
    # The address follows where the API is reached, not the e-mail links' PUBLIC_BASE_URL...
    served = client.get(f"{API}/", base_url="https://data.barnet.example").get_json()
    assert served["openapi_url"] == "https://data.barnet.example/api/oruk/v3/openapi.json"
    document = client.get(f"{API}/openapi.json", base_url="https://data.barnet.example").get_json()
    assert document["servers"] == [{"url": "https://data.barnet.example/api/oruk/v3"}]
    # ...unless a public address is configured for it (a gateway in front that rewrites the host).
    app.config["ORUK_PUBLIC_BASE_URL"] = "https://api.barnet.example/"
    try:
        assert get_json(client, f"{API}/")["openapi_url"] == "https://api.barnet.example/api/oruk/v3/openapi.json"
    finally:
        app.config["ORUK_PUBLIC_BASE_URL"] = ""


def test_the_openapi_document_lists_every_endpoint_and_each_answers(app, client, directory):
    document = get_json(client, f"{API}/openapi.json")
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "http://localhost/api/oruk/v3"}]
    routes = {
        rule.rule.removeprefix(API).replace("<id>", "{id}") or "/"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert set(document["paths"]) == routes
    for name in (
        "services",
        "services/{id}",
        "service_at_locations",
        "service_at_locations/{id}",
        "taxonomies",
        "taxonomies/{id}",
        "taxonomy_terms",
        "taxonomy_terms/{id}",
    ):
        assert f"/{name}" in routes

    d = directory
    sample_ids = {
        "services": d.meals,
        "service_at_locations": d.sal_meals_hall,
        "taxonomies": d.category,
        "taxonomy_terms": d.food,
    }
    samples = {
        "search": "meals",
        "page": "1",
        "per_page": "5",
        "taxonomy_term_id": d.food,
        "taxonomy_id": d.category,
        "postcode": "EN5 4AG",
        "proximity": "2000",
        "minimum_age": "0",
        "maximum_age": "120",
        "day": "MO",
        "start_time": "12:00",
        "end_time": "15:00",
    }
    components = document["components"]["parameters"]
    for path, item in document["paths"].items():
        url = API + path.replace("{id}", sample_ids.get(path.split("/")[1], ""))
        get_json(client, url)
        parameters = [components[p["$ref"].rsplit("/", 1)[1]] for p in item["get"].get("parameters", [])]
        if not parameters:
            continue
        # Every documented parameter is understood: a bad value is refused, a good one narrows or pages.
        query = "&".join(f"{p['name']}={samples[p['name']]}" for p in parameters)
        body = get_json(client, f"{url}?{query}")
        assert body["size"] >= 1, (path, query)
    searched = get_json(client, f"{API}/service_at_locations?postcode=EN5 4AG&proximity=1")
    assert searched["total_items"] == 0


# --- Pure functions -------------------------------------------------------------------------------------


def test_distances_and_the_search_box():
    from app.api.services import bounding_box, metres_between

    # One degree of latitude is about 111.2 km; EN5 4AG to EN4 8AA about 3.6 km.
    assert metres_between(51.0, 0.0, 52.0, 0.0) == pytest.approx(111_195, rel=1e-3)
    assert metres_between(*POSTCODES["EN5 4AG"][:2], *POSTCODES["EN4 8AA"][:2]) == pytest.approx(3603.3, abs=0.5)
    lat, lon = POSTCODES["EN5 4AG"][:2]
    south, north, west, east = bounding_box(lat, lon, 1000)
    # Points 1 km away in every direction are inside the box; 1.1 km north or east are not.
    for bearing in range(0, 360, 5):
        b = math.radians(bearing)
        angle = 1000 / 6_371_008.8
        p_lat = math.asin(
            math.sin(math.radians(lat)) * math.cos(angle) + math.cos(math.radians(lat)) * math.sin(angle) * math.cos(b)
        )
        p_lon = math.radians(lon) + math.atan2(
            math.sin(b) * math.sin(angle) * math.cos(math.radians(lat)),
            math.cos(angle) - math.sin(math.radians(lat)) * math.sin(p_lat),
        )
        point = math.degrees(p_lat), math.degrees(p_lon)
        assert metres_between(lat, lon, *point) == pytest.approx(1000, abs=0.01)
        assert south <= point[0] <= north and west <= point[1] <= east, bearing
    assert north < lat + 1100 / 111_195 and east < lon + 1100 / (111_195 * math.cos(math.radians(lat)))


def test_values_are_written_the_way_the_profile_asks():
    from app.api import hsds

    assert hsds.iso_datetime(datetime(2025, 3, 15, 10, 30, 45, 123456)) == "2025-03-15T10:30:45.123Z"
    assert hsds.web_address("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert hsds.web_address("example.org") == "https://example.org"
    assert hsds.web_address("see our Facebook page") is None
    assert hsds.email_address("not an email") is None
    assert hsds.charity_scheme("SC012345") == "GB-SC" and hsds.charity_scheme("NIC100002") == "GB-NIC"
    assert hsds.present(a=None, b="", c=0, d=False, e="x") == {"c": 0, "d": False, "e": "x"}
    assert hsds.derived_id("address", "x") == hsds.derived_id("address", "x") != hsds.derived_id("address", "y")


# --- The filters the standard lists ---------------------------------------------------------------------


def test_age_filters_read_the_eligibility_ages_as_the_standard_words_them(client, directory):
    d = directory
    # meals: 0 to 120; debt and benefits: no ages recorded (open from birth, no upper limit).
    assert set(ids(get_json(client, f"{API}/services?minimum_age=0"))) == {d.meals, d.debt, d.benefits}
    assert ids(get_json(client, f"{API}/services?minimum_age=1")) == []
    assert ids(get_json(client, f"{API}/services?maximum_age=120")) == [d.meals]
    assert ids(get_json(client, f"{API}/services?maximum_age=119.5")) == []
    sal = get_json(client, f"{API}/service_at_locations?maximum_age=120")
    assert {item["service_id"] for item in sal["contents"]} == {d.meals}


def test_day_and_time_filters_read_the_opening_hours(client, directory):
    d = directory
    # meals opens Monday 12:00-14:30 and Wednesday 12:00-14:00; nothing else has opening hours.
    assert ids(get_json(client, f"{API}/services?day=MO")) == [d.meals]
    assert ids(get_json(client, f"{API}/services?day=wednesday")) == [d.meals]
    assert ids(get_json(client, f"{API}/services?day=TU")) == []
    assert ids(get_json(client, f"{API}/services?start_time=12:00")) == [d.meals]
    assert ids(get_json(client, f"{API}/services?start_time=12:00:01")) == []
    assert ids(get_json(client, f"{API}/services?end_time=14:00")) == [d.meals]
    assert ids(get_json(client, f"{API}/services?end_time=13:59")) == []
    # One opening must meet every condition: Monday closes at 14:30, so not "Monday, closed by 14:00".
    assert ids(get_json(client, f"{API}/services?day=MO&end_time=14:00")) == []
    assert ids(get_json(client, f"{API}/services?day=WE&end_time=14:00")) == [d.meals]
    sal = get_json(client, f"{API}/service_at_locations?day=MO")
    assert {item["service_id"] for item in sal["contents"]} == {d.meals}


def test_hours_from_the_listing_editor_are_the_schedules_the_api_sends(app, client, directory):
    """One source of truth: what the editor saves is what the API serves and filters on."""
    from app.directory import services as directory_services
    from app.directory.models import Organisation

    org = db.session.scalar(db.select(Organisation).where(Organisation.uuid == directory.oakleigh))
    data = directory_services.snapshot(org)
    data["services"][0]["hours"] = [{"weekday": 1, "opens_at": "09:30", "closes_at": "16:00"}]
    data["services"][0]["minimum_age"], data["services"][0]["maximum_age"] = 18, 65
    directory_services.write_snapshot(org, data)
    db.session.commit()
    body = get_json(client, f"{API}/services/{directory.benefits}")
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in body["schedules"]] == [("TU", "09:30", "16:00")]
    assert (body["minimum_age"], body["maximum_age"]) == (18, 65)
    assert ids(get_json(client, f"{API}/services?day=TU&start_time=09:00&end_time=16:00")) == [directory.benefits]
    assert ids(get_json(client, f"{API}/services?minimum_age=18&maximum_age=65")) == [directory.benefits]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("minimum_age=abc", "minimum_age must be an age in years"),
        ("minimum_age=-1", "minimum_age must be an age in years"),
        ("maximum_age=1e3", "maximum_age must be an age in years"),
        ("maximum_age=151", "maximum_age must be an age in years"),
        ("maximum_age=NaN", "maximum_age must be an age in years"),
        ("start_time=abc", "start_time must be a 24-hour time"),
        ("start_time=25:00", "start_time must be a 24-hour time"),
        ("end_time=9am", "end_time must be a 24-hour time"),
        ("day=xyz", "day must be a day as MO, TU"),
        ("page=", "page must be a whole number from 1"),
        ("per_page=", "per_page must be a whole number from 1 to 200"),
        ("search=" + "a" * 201, "search must be 200 characters or fewer"),
    ],
)
def test_bad_filter_values_are_a_clear_400(client, query, message):
    for endpoint in ("services", "service_at_locations"):
        body = get_json(client, f"{API}/{endpoint}?{query}", status=400)
        assert message in body["detail"], body


def test_empty_paging_is_refused_on_every_list(client):
    for endpoint in ("taxonomies", "taxonomy_terms"):
        get_json(client, f"{API}/{endpoint}?page=", status=400)
        get_json(client, f"{API}/{endpoint}?per_page=", status=400)
    # 200 characters is still fine.
    get_json(client, f"{API}/services?search=" + "a" * 200)


def test_a_refused_method_names_the_allowed_ones(client, directory):
    response = client.post(f"{API}/services")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert client.delete(f"{API}/services/{directory.meals}").headers["Allow"]


def test_only_fields_the_uk_profile_declares_are_sent(client, directory, oruk):
    d = directory
    body = get_json(client, f"{API}/services/{d.meals}")
    attributes = {a["taxonomy_term"]["name"]: a for a in body["attributes"]}
    assert attributes["Food"]["link_type"] == "service_type"
    assert attributes["Polish"]["link_type"] == "language"
    location = body["service_at_locations"][0]["location"]
    assert location["accessibility"][0]["attributes"][0]["link_type"] == "accessibility"

    def declared(instance, schema, where):
        """Every key of `instance` is a property `schema` declares, all the way down."""
        while "$ref" in schema:
            schema = oruk.schema(
                schema["$ref"].rsplit("/", 1)[-1] if "compiled" not in schema["$ref"] else schema["$ref"]
            )
        if isinstance(instance, dict):
            properties = schema.get("properties", {})
            for key, value in instance.items():
                assert key in properties, f"{where}.{key} is not in the UK profile"
                declared(value, properties[key], f"{where}.{key}")
        elif isinstance(instance, list):
            for n, item in enumerate(instance):
                declared(item, schema.get("items", {}), f"{where}[{n}]")

    declared(body, oruk.schema("compiled/service.json"), "service")
    for item in get_json(client, f"{API}/service_at_locations")["contents"]:
        declared(item, oruk.schema("compiled/service_at_location_list.json"), "service_at_location")
        assert "addresses" not in item["location"]
    for item in get_json(client, f"{API}/services")["contents"]:
        declared(item, oruk.schema("compiled/service_list.json"), "service")
    declared(
        get_json(client, f"{API}/service_at_locations/{d.sal_meals_hall}"),
        oruk.schema("compiled/service_at_location.json"),
        "service_at_location",
    )
    declared(get_json(client, f"{API}/taxonomies/{d.category}"), oruk.schema("taxonomy.json"), "taxonomy")
