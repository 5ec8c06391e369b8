"""No page does work per organisation (issue 16, target 5): each public page kind, each Open Referral endpoint
and the officers' main pages send as many SQL statements with 200 organisations as with 20.

Each page is asked twice and the second request counted, with the page caches emptied in between: the
count is of a page built from the database (the worst case), after the process's one-off loads (the search
vocabulary, say) are done.
"""

from datetime import timedelta

import pytest

from app import datacache
from app.directory import services
from app.directory.models import Organisation
from app.extensions import db
from app.timeutil import utcnow

from .conftest import sign_in
from .factories.directory import POSTCODES, add_postcodes, listing
from .statement_count import count_statements

CATEGORIES = ["Food", "Youth", "Older people", "Advice"]
POSTCODE_LIST = list(POSTCODES)
HENDON = "E05013643"
COLINDALE_NORTH = "E05013632"

PUBLIC = [
    "/",
    "/accessibility",
    "/directory/",
    "/directory/group-1",
    "/wards",
    "/wards?set=2002",
    f"/wards/{HENDON}",
    f"/wards/{HENDON}?page=2",
    "/maps/directory",
    "/maps/directory/points.json",
    f"/maps/directory/points.json?ward={HENDON}",
    "/maps/directory/points.json?category=category/food",
    "/maps/wards",
    "/maps/wards?measure=serving",
    "/maps/assets",
    "/maps/assets/points.json",
    "/assets-register/",
    "/covenant/",
    "/covenant/signatories",
    "/ctn/",
    "/ctn/meetings",
    "/bulletins/",
    "/open-data",
    "/api/oruk/v3/",
    "/api/oruk/v3/services",
    "/api/oruk/v3/services?page=2&per_page=5",
    "/api/oruk/v3/service_at_locations",
    "/api/oruk/v3/taxonomies",
    "/api/oruk/v3/taxonomy_terms",
]
OFFICERS = ["/account", "/directory/moderation", "/directory/needs-checking"]


def grow_directory(start, stop, officer):
    """Organisations start..stop-1: at the three test postcodes, with categories; every fifth serves two wards,
    every seventh the whole borough; every tenth has a registration waiting and every ninth an edit; half are
    not checked for a year."""
    for n in range(start, stop):
        data = listing(
            f"Group {n}",
            categories=[CATEGORIES[n % len(CATEGORIES)]],
            postcode=POSTCODE_LIST[n % len(POSTCODE_LIST)],
            hours=[{"weekday": n % 7, "opens_at": "09:00", "closes_at": "17:00"}],
        )
        if n % 5 == 0:
            data["services"][0]["areas"] = [HENDON, COLINDALE_NORTH]
        elif n % 7 == 0:
            data["services"][0]["area_scope"] = "borough"
        organisation = services.create_organisation(data, officer)
        db.session.commit()
        if n % 2 == 0:
            organisation.last_verified_at = utcnow() - timedelta(days=365)
        if n % 10 == 0:
            services.submit_registration(listing(f"New group {n}"), {"name": "A", "email": "a@example.org", "role": ""})
        if n % 9 == 0:
            edited = services.snapshot(organisation)
            edited["organisation"]["description"] = "Changed."
            services.save_edit(organisation, edited, officer, organisation.version, 0)
    db.session.commit()


def counts_for(client, paths):
    counts = {}
    for path in paths:
        client.get(path)  # the process's one-off loads
        datacache.forget()
        with count_statements() as counted:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = counted.total
    return counts


@pytest.fixture
def directory_of(app, wards, taxonomies, make_user):
    add_postcodes()
    officer = make_user("strategy_officer")

    def grow(size):
        have = db.session.scalar(db.select(db.func.count(Organisation.id)))
        grow_directory(have + 1, size + 1, officer)

    grow.officer = officer
    return grow


def test_public_pages_and_api_send_as_many_statements_for_200_organisations_as_for_20(client, directory_of):
    directory_of(20)
    small = counts_for(client, PUBLIC)
    directory_of(200)
    large = counts_for(client, PUBLIC)
    # Fewer is allowed: a list that is empty on a page sends no statement (a ward's page 2 with 200
    # organisations has no one left serving it from elsewhere; with 20 it is page 1 again, and has).
    grew = {path: (small[path], large[path]) for path in PUBLIC if large[path] > small[path]}
    assert not grew, f"statements with 20 and with 200 organisations: {grew}"


def test_officers_pages_send_as_many_statements_for_200_organisations_as_for_20(client, directory_of):
    sign_in(client, directory_of.officer.email)
    directory_of(20)
    small = counts_for(client, OFFICERS)
    directory_of(200)
    large = counts_for(client, OFFICERS)
    grew = {path: (small[path], large[path]) for path in OFFICERS if large[path] != small[path]}
    assert not grew, f"statements with 20 and with 200 organisations: {grew}"


def test_the_counter_sees_a_page_that_asks_once_per_organisation(client, directory_of):
    """The helper can fail: a loop of one query per organisation is counted as such."""
    directory_of(5)
    with count_statements() as counted:
        for organisation in db.session.scalars(db.select(Organisation)).all():
            organisation.services[0].name  # noqa: B018  (lazy load, one statement each)
    assert counted.total == 1 + 5
