"""Importing services from another Open Referral UK v3 feed, served by the tests on loopback (a real HTTP server
in a thread): paging, the CSV import's checks, duplicates, dry runs, refreshes, the source on each listing,
the officer's pages, and a hostile feed (bad JSON, redirects to other schemes, huge or slow answers, private
addresses)."""

import copy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from app.directory import services as directory_services
from app.directory.models import Organisation
from app.exchange import feeds
from app.exchange.models import Feed, FeedRecord, FeedRun
from app.extensions import db

from .conftest import post_form
from .directory_helpers import make_listing

ORG_A, ORG_B, ORG_C, ORG_D = (f"0000000{n}-0000-4000-8000-00000000000{n}" for n in range(1, 5))


def oruk_service(
    service_id,
    org_id,
    org_name,
    name,
    *,
    postcode="EN1 1AA",
    charity=None,
    email="info@example.org",
    days="MO,WE",
    minimum_age=None,
    categories=("Food",),
):
    org = {
        "id": org_id,
        "name": org_name,
        "description": f"{org_name} helps people in Enfield.",
        "email": email,
        "website": "https://example.org",
    }
    if charity:
        org["organization_identifiers"] = [
            {"id": "x", "identifier_scheme": "GB-CHC", "identifier_type": "Charity number", "identifier": charity}
        ]
    service = {
        "id": service_id,
        "name": name,
        "status": "active",
        "description": f"{name}, every week.",
        "url": "https://example.org/service",
        "organization": org,
        "schedules": [{"id": "s", "freq": "WEEKLY", "byday": days, "opens_at": "09:30", "closes_at": "12:00"}],
        "attributes": [{"id": "a", "taxonomy_term": {"id": "t", "name": c, "description": c}} for c in categories],
        "service_at_locations": [
            {
                "id": "l",
                "location": {
                    "id": "loc",
                    "location_type": "physical",
                    "addresses": [
                        {
                            "id": "ad",
                            "address_1": "1 Church Street",
                            "city": "Enfield",
                            "postal_code": postcode,
                            "state_province": "Greater London",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
    }
    if minimum_age is not None:
        service["minimum_age"] = minimum_age
    return service


def remote_directory():
    return [
        oruk_service("svc-1", ORG_A, "Enfield Food Share", "Food parcels", charity="1100001", minimum_age=0),
        oruk_service("svc-2", ORG_A, "Enfield Food Share", "Community fridge", days="FR"),
        oruk_service("svc-3", ORG_B, "Colindale Food Bank", "Food bank", postcode="NW9 4EW"),  # same as ours
        oruk_service("svc-4", ORG_C, "Bad Data Club", "Youth club", email="not an email", minimum_age=-3),
        oruk_service("svc-5", ORG_D, "Charity Twin", "Advice", charity="1012345"),  # our charity number
    ]


class Feed_:
    """A loopback ORUK feed: `services` (full objects) paged two at a time, and `routes` for anything odd."""

    def __init__(self):
        self.services = remote_directory()
        self.routes = {}  # path -> (status, headers, body bytes) or callable(handler)
        self.requests = []
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                feed.requests.append(self.path)
                route = feed.routes.get(parts.path)
                if callable(route):
                    return route(self)
                if route is None:
                    route = feed.answer(parts.path, parse_qs(parts.query))
                status, headers, body = route
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/v3"

    def answer(self, path, query):
        json_type = {"Content-Type": "application/json"}
        if path == "/api/v3/services":
            page = int(query.get("page", ["1"])[0])
            size = 2
            items = self.services[(page - 1) * size : page * size]
            total_pages = max(1, -(-len(self.services) // size))
            body = {
                "total_items": len(self.services),
                "total_pages": total_pages,
                "page_number": page,
                "size": len(items),
                "first_page": page == 1,
                "last_page": page >= total_pages,
                "empty": not items,
                "contents": [{"id": s["id"], "name": s["name"], "status": s["status"]} for s in items],
            }
            return 200, json_type, json.dumps(body).encode()
        for service in self.services:
            if path == f"/api/v3/services/{service['id']}":
                return 200, json_type, json.dumps(service).encode()
        return 404, json_type, b'{"error": "not found"}'

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def remote(app):
    app.config["FEED_ALLOW_PRIVATE_ADDRESSES"] = True
    feed = Feed_()
    yield feed
    feed.stop()
    app.config["FEED_ALLOW_PRIVATE_ADDRESSES"] = False


@pytest.fixture
def ours(app, wards, taxonomies):
    make_listing("Colindale Food Bank", postcode="NW9 4EW", categories=["Food"])
    make_listing("Twin Advice Charity", postcode="NW4 4BG", charity_number="1012345")
    db.session.commit()


def add_feed(remote, refresh="off"):
    feed = Feed(name="Enfield Connected", url=remote.url, refresh=refresh)
    db.session.add(feed)
    db.session.commit()
    return feed


def by_outcome(report):
    return {(record["name"], record["outcome"]) for record in report.records}


def test_a_dry_run_reports_every_record_and_writes_nothing(remote, ours):
    feed = add_feed(remote)
    before = db.session.scalar(db.select(db.func.count(Organisation.id)))
    report = feeds.run(feed, dry_run=True)
    assert report.error is None
    assert by_outcome(report) == {
        ("Enfield Food Share", "would create"),
        ("Colindale Food Bank", "duplicate"),
        ("Bad Data Club", "refused"),
        ("Charity Twin", "duplicate"),
    }
    records = {record["name"]: record for record in report.records}
    assert (
        "Nearly the same name as the existing listing Colindale Food Bank, at the same postcode NW9 4EW"
        in records["Colindale Food Bank"]["problems"]
    )
    assert records["Charity Twin"]["problems"] == ["Same charity number as the existing listing Twin Advice Charity"]
    assert (
        "email: Enter an email address in the correct format, like name@example.com"
        in records["Bad Data Club"]["problems"]
    )
    assert any(p.startswith("minimum_age:") for p in records["Bad Data Club"]["problems"])
    # Paged: three pages of two, each service then read in full.
    assert {r for r in remote.requests if r.startswith("/api/v3/services?")} == {
        f"/api/v3/services?page={n}&per_page=50" for n in (1, 2, 3)
    }
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == before
    assert db.session.scalar(db.select(db.func.count(FeedRecord.id))) == 0


def test_an_import_creates_listings_that_say_where_they_came_from(client, remote, ours):
    feed = add_feed(remote)
    report = feeds.run(feed, dry_run=False)
    db.session.commit()
    assert ("Enfield Food Share", "created") in by_outcome(report)
    org = db.session.scalar(db.select(Organisation).where(Organisation.name == "Enfield Food Share"))
    assert org.published and org.charity_number == "1100001" and org.last_verified_at is None
    # Both of the organisation's services, with their hours, ages, categories and address.
    data = directory_services.snapshot(org)
    assert [s["name"] for s in data["services"]] == ["Food parcels", "Community fridge"]
    assert data["services"][0]["hours"] == [
        {"weekday": 0, "opens_at": "09:30", "closes_at": "12:00"},
        {"weekday": 2, "opens_at": "09:30", "closes_at": "12:00"},
    ]
    assert data["services"][0]["minimum_age"] == 0 and data["services"][0]["terms"] == ["category/food"]
    assert data["services"][0]["url"] == "https://example.org/service"
    assert data["locations"][0]["postcode"] == "EN1 1AA" and data["services"][1]["locations"] == [0]
    page = client.get(f"/directory/{org.slug}").get_data(as_text=True)
    assert "This listing comes from Enfield Connected's directory (Open Referral UK feed), imported on" in page
    assert "comes from" not in client.get("/directory/colindale-food-bank").get_data(as_text=True)
    # Where a listing came from is kept per version of the directory: a renamed feed shows at once.
    feed.name = "Enfield Council"
    db.session.commit()
    page = client.get(f"/directory/{org.slug}").get_data(as_text=True)
    assert "This listing comes from Enfield Council's directory" in page


def test_a_refresh_updates_what_changed_and_keeps_what_was_changed_here(remote, ours):
    feed = add_feed(remote)
    feeds.run(feed, dry_run=False)
    db.session.commit()
    assert by_outcome(feeds.run(feed, dry_run=False)) >= {("Enfield Food Share", "unchanged")}
    db.session.commit()

    remote.services[0]["description"] = "Now open on Fridays too."
    assert ("Enfield Food Share", "would update") in by_outcome(feeds.run(feed, dry_run=True))
    db.session.rollback()
    report = feeds.run(feed, dry_run=False)
    db.session.commit()
    record = next(r for r in report.records if r["name"] == "Enfield Food Share")
    assert record["outcome"] == "updated" and record["problems"] == ["Changed: Service: Food parcels: Description"]
    org = db.session.scalar(db.select(Organisation).where(Organisation.name == "Enfield Food Share"))
    assert org.services[0].description == "Now open on Fridays too."
    assert len(org.services) == 2  # refreshed in place, not duplicated

    # Someone edits the listing here: the feed no longer overwrites it.
    data = directory_services.snapshot(org)
    data["organisation"]["description"] = "Edited by the group."
    directory_services.publish(org, data, None)
    db.session.commit()
    remote.services[0]["description"] = "The feed changed it again."
    report = feeds.run(feed, dry_run=False)
    db.session.commit()
    assert ("Enfield Food Share", "kept") in by_outcome(report)
    db.session.refresh(org)
    assert org.description == "Edited by the group." and org.services[0].description == "Now open on Fridays too."


def test_records_gone_from_the_feed_are_reported_not_deleted(remote, ours):
    feed = add_feed(remote)
    feeds.run(feed, dry_run=False)
    db.session.commit()
    remote.services = [s for s in remote.services if s["organization"]["id"] != ORG_A]
    report = feeds.run(feed, dry_run=True)
    record = next(r for r in report.records if r["outcome"] == "missing")
    assert record["name"] == "Enfield Food Share" and record["listing"] == "enfield-food-share"
    assert "no longer in the feed" in report.summary(True)
    assert db.session.scalar(db.select(Organisation).where(Organisation.name == "Enfield Food Share")).published


def test_the_same_organisation_twice_in_a_feed_is_a_duplicate_of_the_first(remote, ours):
    twin = oruk_service(
        "svc-9", "00000000-0000-4000-8000-000000000099", "Enfield Food Share", "Pantry", charity="1100001"
    )
    remote.services.append(twin)
    report = feeds.run(add_feed(remote), dry_run=True)
    record = next(r for r in report.records if r["remote_id"] == "00000000-0000-4000-8000-000000000099")
    assert record["outcome"] == "duplicate"
    assert record["problems"][0] == "Same charity number as record 1 of this feed (Enfield Food Share)"


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ((200, {"Content-Type": "application/json"}, b"{not json"), "is not JSON"),
        ((200, {"Content-Type": "application/json"}, b"[" * 100_000), "is not"),
        ((200, {"Content-Type": "application/json"}, b'{"contents": "nope"}'), "not an Open Referral UK page"),
        ((302, {"Location": "file:///etc/passwd"}, b""), "which is not a web address (http or https)"),
        ((302, {"Location": "/api/v3/services"}, b""), "redirected more than 3 times"),
        ((500, {}, b"oops"), "The feed answered 500"),
        ((200, {"Content-Type": "application/json"}, b" " * (feeds.MAX_RESPONSE_BYTES + 1)), "larger than 2MB"),
    ],
)
def test_a_hostile_feed_is_refused_with_a_reason_and_nothing_is_saved(remote, ours, route, message):
    feed = add_feed(remote)
    remote.routes["/api/v3/services"] = route
    report = feeds.run(feed, dry_run=False)
    assert report.error and message in report.error, report.error
    assert report.records == []
    assert db.session.scalar(db.select(db.func.count(FeedRecord.id))) == 0


def test_a_slow_feed_times_out(remote, ours, monkeypatch):
    monkeypatch.setattr(feeds, "READ_TIMEOUT", 0.2)

    def slow(handler):
        time.sleep(1)

    remote.routes["/api/v3/services"] = slow
    report = feeds.run(add_feed(remote), dry_run=True)
    assert report.error == "The feed did not answer within 0.2 seconds"


def test_a_record_that_cannot_be_read_is_reported_and_the_rest_imported(remote, ours):
    remote.routes["/api/v3/services/svc-5"] = (200, {"Content-Type": "application/json"}, b'["not a service"]')
    report = feeds.run(add_feed(remote), dry_run=True)
    assert ("", "unreadable") in by_outcome(report) and ("Enfield Food Share", "would create") in by_outcome(report)


def test_feeds_on_private_addresses_are_refused_unless_allowed(app, remote, ours):
    app.config["FEED_ALLOW_PRIVATE_ADDRESSES"] = False
    report = feeds.run(add_feed(remote), dry_run=True)
    assert report.error == "The feed's address 127.0.0.1 is on a private network, which the portal does not read"
    assert remote.requests == []


def test_feed_addresses_are_checked():
    assert feeds.check_feed_url(" https://example.org/api/v3/ ") == "https://example.org/api/v3"
    for bad in (
        "ftp://example.org",
        "javascript:alert(1)",
        "https://user:pw@example.org",
        "https://example.org/?x=1",
        "example.org",
    ):
        with pytest.raises(ValueError):
            feeds.check_feed_url(bad)


def test_officers_add_check_and_import_a_feed_and_read_the_report(client, signed_in_as, remote, ours):
    signed_in_as("strategy_officer")
    page = "/directory/import/feeds"
    response = post_form(client, page, {"name": "Enfield", "url": "ftp://nope", "refresh": "off"})
    assert response.status_code == 200
    assert "Enter the feed&#39;s web address, starting with https://" in response.get_data(as_text=True)
    response = post_form(client, page, {"name": "Enfield Connected", "url": remote.url, "refresh": "weekly"})
    assert response.status_code == 302
    feed = db.session.scalar(db.select(Feed))
    assert feed.refresh == "weekly"
    detail = f"/directory/import/feeds/{feed.id}"
    response = post_form(client, f"{detail}/run", {"check": "Check the feed (dry run)"}, form_url=detail)
    assert response.status_code == 302
    report_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dry run: 1 new, 2 duplicates, 1 with problems" in report_page
    assert "Already in the directory" in report_page and "Would be created" in report_page
    assert db.session.scalar(db.select(db.func.count(FeedRecord.id))) == 0
    response = post_form(client, f"{detail}/run", {"start": "Import now"}, form_url=detail)
    report_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 new, 2 duplicates, 1 with problems" in report_page and "Created" in report_page
    assert db.session.scalar(db.select(db.func.count(FeedRecord.id))) == 1
    run = db.session.scalars(db.select(FeedRun).order_by(FeedRun.id)).all()
    assert [(r.dry_run, r.status) for r in run] == [(True, "done"), (False, "done")]


def test_feed_pages_are_for_strategy_officers_only(client, signed_in_as, remote):
    feed = add_feed(remote)
    for url in ("/directory/import/feeds", f"/directory/import/feeds/{feed.id}"):
        assert client.get(url).status_code == 302  # to sign in
    signed_in_as("group_editor")
    for url in ("/directory/import/feeds", f"/directory/import/feeds/{feed.id}"):
        assert client.get(url).status_code == 403
    assert client.post(f"/directory/import/feeds/{feed.id}/run").status_code in (400, 403)


def test_scheduled_refreshes_run_when_due(remote, ours):
    from datetime import timedelta

    from app.timeutil import utcnow

    daily = add_feed(remote, refresh="daily")
    manual = add_feed(remote, refresh="off")
    assert feeds.feeds_due() == [daily]
    assert feeds.refresh_due_feeds() == 1
    run = db.session.scalar(db.select(FeedRun).where(FeedRun.feed_id == daily.id))
    assert run.scheduled and not run.dry_run and run.status == "done"
    assert db.session.scalar(db.select(db.func.count(FeedRecord.id))) == 1
    assert feeds.feeds_due() == []
    assert feeds.feeds_due(utcnow() + timedelta(hours=24)) == [daily]
    assert manual.runs == []


def test_a_remote_directory_is_read_in_pieces_never_past_the_limits(remote, ours, monkeypatch):
    monkeypatch.setattr(feeds, "MAX_PAGES", 2)
    notes = []
    client = feeds.FeedClient(remote.url, allow_private=True)
    groups, unreadable = feeds.read_feed(client, notes)
    assert notes == ["Only the first 2 pages were read"]
    assert sum(len(group) for _, group in groups) == 4 and unreadable == []
    assert copy.deepcopy(groups)[0][0] == ORG_A


def test_a_feed_service_open_twice_a_day_keeps_both_openings():
    # Before, the second opening on a day was dropped with "the directory holds one opening time a day" (no
    # longer true: the directory keeps several times a day).
    weekly = {"freq": "WEEKLY", "byday": "MO"}
    service = {
        "schedules": [
            {**weekly, "opens_at": "09:30", "closes_at": "12:00"},
            {**weekly, "opens_at": "14:00", "closes_at": "16:30"},
            {**weekly, "opens_at": "11:00", "closes_at": "15:00"},  # overlaps both
        ]
    }
    notes = []
    assert feeds._hours(service, notes) == "Mon 09:30-12:00, 14:00-16:30"
    assert notes == ["An opening on Monday that overlaps another that day was left out"]
