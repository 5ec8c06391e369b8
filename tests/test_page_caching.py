"""Cached pages never show a stale listing (issue 16): after an officer approves a change, the home page's
count, the ward page, the borough overview and the map points show it at once, also in a second web worker
whose cache was warm (two apps on one database stand for two gunicorn workers: each keeps its own cache)."""

import gzip

import pytest

from app import create_app
from app.directory import services

from .conftest import DATABASE_URL, GEO_DIR, post_form, sign_in
from .factories.directory import add_postcodes, listing, make_listing
from .html import parse

HENDON = "E05013643"


@pytest.fixture
def second_worker(app):
    other = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=DATABASE_URL, GEO_DATA_DIR=str(GEO_DIR), PUBLIC_BASE_URL="http://portal.test"
    )
    other.test_client_class = app.test_client_class
    yield other.test_client()
    with other.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def hendon(app, wards, taxonomies):
    add_postcodes()
    make_listing("Hendon Youth Club", categories=["Youth"], postcode="NW4 4BG")


def _home_directory_count(client):
    page = parse(client.get("/"))
    link = page.select_one('h2 a[href="/directory/"]')
    return int(link.find_parent("h2").find_next("span", attrs={"data-count": True}).get_text().replace(",", ""))


def _ward_names(client):
    page = parse(client.get(f"/wards/{HENDON}"))
    return [a.get_text() for a in page.select("ul.govuk-list a")]


def _point_names(client, path="/maps/directory/points.json"):
    return sorted(point[2] for point in client.get(path).get_json()["points"])


def _overview_count(client):
    page = parse(client.get("/wards"))
    row = page.find("a", string="Hendon").find_parent("tr")
    return int(row.find_all("td")[0].get_text().replace(",", ""))


def _registered_and_approved(client, officer, data):
    """A group registers a listing and `officer` approves it on the moderation page (signed in on `client`)."""
    change = services.submit_registration(data, {"name": "Ann", "email": "ann@example.org", "role": ""})
    sign_in(client, officer.email)
    response = post_form(client, f"/directory/moderation/{change.id}", {"decision": "approve", "reason": ""})
    assert response.status_code == 302


def test_an_approved_registration_shows_at_once_in_both_workers(client, second_worker, hendon, make_user):
    officer = make_user("strategy_officer")
    for worker in (client, second_worker):  # both caches warm with the old state
        assert _home_directory_count(worker) == 1
        assert _ward_names(worker) == ["Hendon Youth Club"]
        assert _point_names(worker) == ["Hendon Youth Club"]
        assert _point_names(worker, f"/maps/directory/points.json?ward={HENDON}") == ["Hendon Youth Club"]
        assert _overview_count(worker) == 1
    _registered_and_approved(client, officer, listing("Hendon Food Bank", postcode="NW4 4BG"))

    for worker in (client, second_worker):
        assert _home_directory_count(worker) == 2
        assert _ward_names(worker) == ["Hendon Food Bank", "Hendon Youth Club"]
        assert _point_names(worker) == ["Hendon Food Bank", "Hendon Youth Club"]
        assert _point_names(worker, f"/maps/directory/points.json?ward={HENDON}") == [
            "Hendon Food Bank",
            "Hendon Youth Club",
        ]
        assert _overview_count(worker) == 1 + 1


def test_an_approved_edit_moves_a_listing_out_of_the_ward_at_once(client, second_worker, hendon, make_user):
    officer = make_user("strategy_officer")
    group = make_listing("Hendon Lunch Club", postcode="NW4 4BG")
    for worker in (client, second_worker):
        assert _ward_names(worker) == ["Hendon Lunch Club", "Hendon Youth Club"]
    edited = services.snapshot(group)
    edited["organisation"]["name"] = "Colindale Lunch Club"
    edited["locations"][0]["postcode"] = "NW9 4EW"
    change = services.save_edit(group, edited, officer, group.version, 0)
    services.approve(change, officer)

    for worker in (client, second_worker):
        assert _ward_names(worker) == ["Hendon Youth Club"]
        assert "Colindale Lunch Club" in _point_names(worker)
        assert _point_names(worker, f"/maps/directory/points.json?ward={HENDON}") == ["Hendon Youth Club"]


def test_map_points_answer_304_until_the_data_changes_and_come_compressed(client, hendon):
    first = client.get("/maps/directory/points.json", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first.headers["Vary"]
    assert first.headers["Cache-Control"] == "public, no-cache"  # kept, but always asked again
    names = [point[2] for point in __import__("json").loads(gzip.decompress(first.data))["points"]]
    assert names == ["Hendon Youth Club"]
    etag = first.headers["ETag"]
    again = client.get("/maps/directory/points.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data

    make_listing("Hendon Food Bank", postcode="NW4 4BG")
    changed = client.get("/maps/directory/points.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Content-Encoding" not in changed.headers  # this client did not ask for gzip
    assert sorted(point[2] for point in changed.get_json()["points"]) == ["Hendon Food Bank", "Hendon Youth Club"]


def test_a_bulk_write_through_the_session_also_moves_the_version(app, hendon):
    """Imports and the benchmark's generator insert rows in bulk (no ORM objects): the version moves too."""
    from app import datacache
    from app.directory.models import Organisation
    from app.extensions import db

    before = datacache.versions()["directory"]
    db.session.execute(db.update(Organisation).values(description="Changed in bulk."))
    db.session.commit()
    assert datacache.versions()["directory"] != before


def _borough_wide_examples(client):
    page = parse(client.get("/directory/?q=zzqx"))
    return [a.get_text() for a in page.select("#search-borough-wide a")]


def test_a_search_that_finds_nothing_shows_an_approved_borough_wide_service_at_once(
    client, second_worker, hendon, make_user
):
    """The no-results help's borough-wide examples are cached under the directory's data version."""
    officer = make_user("strategy_officer")
    for worker in (client, second_worker):
        assert _borough_wide_examples(worker) == []
    data = listing("Barnet Advice Line", postcode=None)
    data["services"][0]["area_scope"] = "borough"
    _registered_and_approved(client, officer, data)
    for worker in (client, second_worker):
        assert _borough_wide_examples(worker) == ["Barnet Advice Line"]


def _api_places(client, query=""):
    """(total_items, [service name, ...]) of the Open Referral list of services at locations."""
    body = client.get(f"/api/oruk/v3/service_at_locations?per_page=1{query}").get_json()
    names = []
    for page in range(1, body["total_pages"] + 1):
        names += [
            item["service"]["name"].removesuffix(" service")  # the factory names a group's service after it
            for item in client.get(f"/api/oruk/v3/service_at_locations?per_page=1&page={page}{query}").get_json()[
                "contents"
            ]
        ]
    return body["total_items"], sorted(names)


def test_the_api_list_of_services_at_locations_follows_an_approval_at_once(client, second_worker, hendon, make_user):
    """The list's order of ids is kept per worker (app/api/services.py); an approval moves it on in both."""
    officer = make_user("strategy_officer")
    group = make_listing("Hendon Lunch Club", postcode="NW4 4BG")
    for worker in (client, second_worker):
        assert _api_places(worker) == (2, ["Hendon Lunch Club", "Hendon Youth Club"])
    change = services.submit_registration(
        listing("Hendon Food Bank", postcode="NW4 4BG"), {"name": "Ann", "email": "ann@example.org", "role": ""}
    )
    services.approve(change, officer)
    for worker in (client, second_worker):
        assert _api_places(worker) == (3, ["Hendon Food Bank", "Hendon Lunch Club", "Hendon Youth Club"])

    edited = services.snapshot(group)
    edited["locations"][0]["confidential"] = True  # a refuge's address: never in the public API
    services.approve(services.save_edit(group, edited, officer, group.version, 0), officer)
    for worker in (client, second_worker):
        assert _api_places(worker) == (2, ["Hendon Food Bank", "Hendon Youth Club"])


def _front_page_form(client):
    return parse(client.get("/directory/")).select_one("form.portal-search")


def test_the_directory_front_page_form_is_kept_per_version_and_follows_a_ward_change(
    app, client, second_worker, hendon
):
    """The front page's search form is rendered once per version of the directory and the wards: the kept copy
    is the form as rendered afresh, and a ward renamed shows in both workers' ward lists at once."""
    from app.extensions import db
    from app.places.models import Ward

    for worker in (client, second_worker):
        options = [o.get_text() for o in _front_page_form(worker).select("select[name=ward] option")]
        assert "Hendon" in options
    kept = str(_front_page_form(client))
    app.config["DATA_CACHE_SECONDS"] = 0  # nothing kept: rendered in full
    assert str(_front_page_form(client)) == kept
    app.config["DATA_CACHE_SECONDS"] = 300

    db.session.get(Ward, HENDON).name = "Hendon and Brent Cross"
    db.session.commit()
    for worker in (client, second_worker):
        options = [o.get_text() for o in _front_page_form(worker).select("select[name=ward] option")]
        assert "Hendon and Brent Cross" in options and "Hendon" not in options


def _ctn_front_page(client):
    """(next meetings' titles, Steering Group seats, the member figure) on the CTN's front page."""
    page = parse(client.get("/ctn/"))
    heading = page.find("h2", string="Next meetings")
    meetings = [a.get_text() for a in heading.find_next("ul").select("a")] if heading.find_next("ul") else []
    seats = [" ".join(td.get_text().split()) for td in page.select("table td:first-child")]
    return meetings, seats, int(page.select_one("[data-count]").get_text().replace(",", ""))


def test_the_ctn_front_page_follows_meetings_seats_and_members_at_once(app, client, second_worker):
    """The CTN front page is kept per version of the network's data: a meeting published, a seat added and a
    member joining show at once in both workers, and a meeting drops off when it is over even while kept."""
    from datetime import timedelta

    from freezegun import freeze_time

    from app.ctn.models import SteeringSeat
    from app.extensions import db
    from app.timeutil import utcnow

    from .factories.ctn import make_meeting, make_member

    make_meeting(title="Spring open meeting", published=True)
    for worker in (client, second_worker):
        assert _ctn_front_page(worker) == (["Spring open meeting"], [], 0)

    later = make_meeting(title="Summer open meeting", published=True, starts_at=utcnow() + timedelta(days=40))
    later.ends_at = later.starts_at + timedelta(hours=2)
    db.session.add(SteeringSeat(title="Barnet Multi-Faith Forum", role="core_member", position=1))
    make_member()
    for worker in (client, second_worker):
        assert _ctn_front_page(worker) == (
            ["Spring open meeting", "Summer open meeting"],
            ["Barnet Multi-Faith Forum"],
            1,
        )

    # Kept longer than the jump in time below (freezegun's monotonic clock jumps to the epoch's seconds).
    for worker_app in (app, second_worker.application):
        worker_app.config["DATA_CACHE_SECONDS"] = 10**12
    with freeze_time(utcnow() + timedelta(days=20)):  # the spring meeting is over; nothing was written
        for worker in (client, second_worker):
            assert _ctn_front_page(worker)[0] == ["Summer open meeting"]


def _ward_section(client, label):
    page = parse(client.get(f"/wards/{HENDON}"))
    heading = next(h for h in page.select("h2") if h.get_text().startswith(label))
    return heading.get_text(), [a.get_text() for a in heading.find_next("ul").select("a")]


def test_a_ward_pages_short_lists_follow_a_published_asset_at_once(client, second_worker, hendon):
    """A ward page's lists of assets, signatories and meetings are kept with its counts (per version of all
    public data): publishing an asset shows it on the ward page at once in both workers."""
    from app.assets.models import CommunityAsset
    from app.extensions import db

    def asset(name, published):
        return CommunityAsset(
            name=name, category="Spaces", kind="library", owner="council", address="The Burroughs",
            postcode="NW4 4BG", published=published,
        )  # fmt: skip

    library = asset("Hendon Library", published=True)
    hall = asset("Hendon Hall", published=False)
    db.session.add_all([library, hall])
    db.session.commit()
    for worker in (client, second_worker):
        assert _ward_section(worker, "Community assets") == ("Community assets (1)", ["Hendon Library"])
    hall.published = True
    db.session.commit()
    for worker in (client, second_worker):
        assert _ward_section(worker, "Community assets") == ("Community assets (2)", ["Hendon Hall", "Hendon Library"])


def test_api_lists_answer_304_until_the_directory_changes(client, hendon):
    """An aggregator polling the Open Referral lists gets 304 while nothing changed, the new list after any
    public write, CORS on both, and never a kept answer for a word search."""
    path = "/api/oruk/v3/services?per_page=5"
    first = client.get(path)
    assert first.status_code == 200 and first.headers["Access-Control-Allow-Origin"] == "*"
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/oruk/v3/services?per_page=5&page=2", headers={"If-None-Match": etag}).status_code == 200

    make_listing("Hendon Food Bank", postcode="NW4 4BG")
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["total_items"] == 2
    assert "ETag" not in client.get("/api/oruk/v3/services?search=food").headers


def test_a_holiday_closure_alone_moves_the_directory_version(app, hendon):
    """Closures are in the Open Referral API's schedules, whose lists are kept per directory version: a
    closure added on its own must move it (before, the closure table was not one of the directory's)."""
    from datetime import date

    from app import datacache
    from app.directory.models import Closure, Service
    from app.extensions import db

    before = datacache.versions()["directory"]
    service = db.session.scalar(db.select(Service))
    db.session.add(Closure(service_id=service.id, starts_on=date(2026, 12, 24), ends_on=date(2027, 1, 2)))
    db.session.commit()
    assert datacache.versions()["directory"] != before


def _search_names(client, query):
    page = parse(client.get(f"/directory/?{query}"))
    return [a.get_text() for a in page.select("li.portal-card h3 a")]


def test_an_officers_synonym_edit_changes_the_next_search_at_once_in_both_workers(
    client, second_worker, wards, taxonomies, make_user
):
    """Searches are kept per version of the data they read (app/directory/search.py): the officers' vocabulary
    is one, so a synonym added or taken out shows in both workers' next search although both had kept it."""
    from app.directory.models import SearchSynonym
    from app.extensions import db

    make_listing("Mill Hill Chess", description="Board games every week", postcode=None)
    for worker in (client, second_worker):
        assert _search_names(worker, "q=draughts") == []
        assert _search_names(worker, "q=draughts") == []  # kept
    sign_in(client, make_user("strategy_officer").email)
    response = post_form(client, "/directory/vocabulary/new", {"terms": "draughts, checkers", "related": "chess"})
    assert response.status_code == 302
    for worker in (client, second_worker):
        assert _search_names(worker, "q=draughts") == ["Mill Hill Chess"]

    entry = db.session.scalar(db.select(SearchSynonym))
    response = post_form(
        client, f"/directory/vocabulary/{entry.id}/edit", {"terms": "draughts, checkers", "related": ""}
    )
    assert response.status_code == 302
    for worker in (client, second_worker):
        assert _search_names(worker, "q=draughts") == []


def test_an_approval_shows_in_kept_searches_at_once_in_both_workers(client, second_worker, hendon, make_user):
    """A search by words, by words and ward, and by postcode, each kept in both workers, shows a listing an
    officer approves on the next search; a search that had to correct the spelling finds it as typed."""
    officer = make_user("strategy_officer")
    searches = ("q=food", f"q=food&ward={HENDON}", "q=food&postcode=NW4+4BG&distance=1", "q=youth&postcode=NW4+4BG")
    for worker in (client, second_worker):
        for query in searches:
            assert "Hendon Food Bank" not in _search_names(worker, query)
            assert "Hendon Food Bank" not in _search_names(worker, query)  # kept
        assert _search_names(worker, "q=youth+clubb") == ["Hendon Youth Club"]  # "Did you mean" club
    _registered_and_approved(client, officer, listing("Hendon Food Bank", postcode="NW4 4BG"))
    for worker in (client, second_worker):
        for query in searches[:3]:
            assert _search_names(worker, query) == ["Hendon Food Bank"], query

    group = services.create_organisation(listing("Hendon Youth Clubb", postcode="NW4 4BG"), officer)
    from app.extensions import db

    db.session.commit()
    for worker in (client, second_worker):
        assert _search_names(worker, "q=youth+clubb") == [group.name]  # as typed now


def test_a_repeated_search_is_kept_and_only_its_cards_are_read(client, hendon):
    """The second time, the ranking and counting statements are not sent again (the page is the same)."""
    from app.directory.search import SearchQuery, search

    from .statement_count import count_statements

    path = f"/directory/?q=youth&ward={HENDON}"
    with count_statements() as first:
        page = parse(client.get(path)).select_one("#results-list")
    with count_statements() as again:
        assert parse(client.get(path)).select_one("#results-list") == page
    assert again.total < first.total
    assert not any("organisation_fts" in s or "search_vector" in s for s in again.statements), again.statements
    # Outside a request (a task, a command) the versions are read at every search, so a write shows at once.
    assert search(SearchQuery(words="youth", ward=HENDON)).kept
    make_listing("Hendon Youth Theatre", postcode="NW4 4BG")
    again = search(SearchQuery(words="youth", ward=HENDON))
    assert not again.kept and again.total == 2


def test_a_kept_search_shows_an_edited_listing_and_works_out_open_now_on_every_request(
    app, client, second_worker, hendon, make_user
):
    """A kept search keeps its cards' facts too (per version of the directory and wards): an approved change
    of name shows at once in both workers, and "open now" follows the clock on the same kept page."""
    from datetime import datetime, timedelta

    from freezegun import freeze_time

    from app.timeutil import LONDON

    officer = make_user("strategy_officer")
    group = make_listing(
        "Hendon Lunch Club", postcode="NW4 4BG", hours=[{"weekday": 0, "opens_at": "10:00", "closes_at": "14:00"}]
    )

    def card(worker):
        page = parse(worker.get("/directory/?q=lunch"))
        return [a.get_text() for a in page.select("li.portal-card h3 a")], page.select_one(".portal-opening").get_text()

    for worker_app in (app, second_worker.application):
        worker_app.config["DATA_CACHE_SECONDS"] = 10**12  # freezegun's monotonic clock jumps (as above)
    monday = datetime(2026, 11, 30, 11, 0, tzinfo=LONDON)
    with freeze_time(monday):
        for worker in (client, second_worker):
            assert card(worker) == (["Hendon Lunch Club"], "Open now, until 14:00")
    with freeze_time(monday + timedelta(hours=4)):
        for worker in (client, second_worker):
            assert card(worker) == (["Hendon Lunch Club"], "Closed now, opens Monday 7 December at 10:00")

    edited = services.snapshot(group)
    edited["organisation"]["name"] = "Hendon Lunch and Social Club"
    services.approve(services.save_edit(group, edited, officer, group.version, 0), officer)
    with freeze_time(monday):
        for worker in (client, second_worker):
            assert card(worker) == (["Hendon Lunch and Social Club"], "Open now, until 14:00")


def test_a_searched_pages_form_is_kept_as_rendered_afresh_and_follows_a_ward_change(app, client, second_worker, hendon):
    """A search's form (the resident's words and filters filled in) is kept per search and per version of the
    directory and the wards: the kept copy is the form as rendered afresh, and a ward renamed shows at once."""
    from app.extensions import db
    from app.places.models import Ward

    path = f"/directory/?q=youth&ward={HENDON}&accessibility=accessibility/step-free-access&page=1"

    def form(worker):
        return parse(worker.get(path)).select_one("form.portal-search")

    kept = str(form(client))
    assert str(form(client)) == kept
    app.config["DATA_CACHE_SECONDS"] = 0  # nothing kept: rendered in full
    assert str(form(client)) == kept
    app.config["DATA_CACHE_SECONDS"] = 300
    assert form(client).select_one("select[name=ward] option[selected]").get_text() == "Hendon"
    assert form(client).select_one("input[name=q]")["value"] == "youth"
    other = parse(client.get(path.replace("q=youth", "q=food"))).select_one("form.portal-search")
    assert other.select_one("input[name=q]")["value"] == "food"  # each search its own form

    db.session.get(Ward, HENDON).name = "Hendon and Brent Cross"
    db.session.commit()
    for worker in (client, second_worker):
        assert form(worker).select_one("select[name=ward] option[selected]").get_text() == "Hendon and Brent Cross"


def test_a_renamed_ward_shows_at_once_on_every_page_that_names_it(client, second_worker, hendon):
    """Ward names are read once per version of the places data: a rename shows at once, in both workers, on
    the ward's page, the borough overview, the choropleth's table, the directory map's ward list and the assets
    register's ward filter."""
    from app.extensions import db
    from app.places.models import Ward

    def names(worker):
        ward_page = parse(worker.get(f"/wards/{HENDON}")).select_one("h1").get_text(strip=True)
        overview = [a.get_text() for a in parse(worker.get("/wards")).select("tbody th a")]
        choropleth = [a.get_text() for a in parse(worker.get("/maps/wards")).select("tbody th a")]
        directory_map = parse(worker.get("/maps/directory")).get_text(" ")
        assets = [o.get_text() for o in parse(worker.get("/assets-register/")).select("select[name=ward] option")]
        return ward_page, overview, choropleth, directory_map, assets

    for worker in (client, second_worker):
        ward_page, overview, choropleth, _, assets = names(worker)
        assert ward_page == "Hendon ward" and "Hendon" in overview and "Hendon" in choropleth and "Hendon" in assets

    db.session.get(Ward, HENDON).name = "Hendon and Brent Cross"
    db.session.commit()
    for worker in (client, second_worker):
        ward_page, overview, choropleth, directory_map, assets = names(worker)
        assert ward_page == "Hendon and Brent Cross ward"
        assert "Hendon and Brent Cross" in overview and "Hendon" not in overview
        assert "Hendon and Brent Cross" in choropleth and "Hendon" not in choropleth
        assert "Hendon and Brent Cross" in directory_map
        assert "Hendon and Brent Cross" in assets and "Hendon" not in assets
