"""Moderation, history and edit conflicts show a change section by section (issue 15, item 2).

Each part of a listing is a GOV.UK summary card: About the group, Contact details, each service by name and
each location, tagged New, Removed, Changed or No changes, with only the changed rows side by side. Services
and locations are matched by their uuid, so removing the first of two services is one removal, not two
changes.
"""

import copy
import json

import pytest

from app.directory import diff, services
from app.directory.models import ListingChange, ListingVersion
from app.extensions import db

from .conftest import sign_in
from .factories.directory import add_postcodes, listing
from .html import parse, table_rows, text

MONDAY_MORNING = {"weekday": 0, "opens_at": "09:00", "closes_at": "12:00"}
MONDAY_AFTERNOON = {"weekday": 0, "opens_at": "13:00", "closes_at": "17:00"}
TUESDAY = {"weekday": 1, "opens_at": "10:00", "closes_at": "14:00"}


@pytest.fixture
def hub(app, wards, taxonomies):
    """A listing with two services and two locations."""
    add_postcodes()
    data = listing("Hendon Community Hub", categories=["Food"], postcode="NW4 4BG", hours=[MONDAY_MORNING, TUESDAY])
    data["services"][0]["name"] = "Food parcels"
    data["services"].append(
        {**copy.deepcopy(data["services"][0]), "name": "Advice sessions", "hours": [TUESDAY], "locations": [1]}
    )
    data["locations"].append({**data["locations"][0], "name": "Church hall", "postcode": "N12 0GA"})
    organisation = services.create_organisation(data, None)
    db.session.commit()
    return organisation


@pytest.fixture
def officer_client(app, make_user):
    client = app.test_client()
    sign_in(client, make_user("strategy_officer").email)
    return client


def cards(page, index=0):
    """{title: (tag, rows)} of the summary cards of the page's first comparison (or its `index`th); rows are
    lists of cell texts."""
    found = {}
    for card in page.select(".portal-diff")[index].select(".govuk-summary-card"):
        title = card.select_one(".govuk-summary-card__title")
        tag = text(title.select_one(".govuk-tag"))
        title.select_one(".govuk-tag").extract()
        table = card.select_one("table")
        found[text(title)] = (tag, table_rows(table) if table is not None else [])
    return found


def propose(organisation, data):
    change = ListingChange(
        organisation_id=organisation.id, kind="edit", base_version=organisation.version, payload=json.dumps(data)
    )
    db.session.add(change)
    db.session.commit()
    return change


def review(officer_client, change):
    response = officer_client.get(f"/directory/moderation/{change.id}")
    assert response.status_code == 200
    return parse(response)


def test_removing_the_first_of_two_services_is_one_removal(hub):
    old = services.snapshot(hub)
    new = copy.deepcopy(old)
    del new["services"][0]
    comparison = diff.compare(old, new)
    assert [(s.title, s.status) for s in comparison.changed] == [("Service: Food parcels", "removed")]
    assert ("Service: Advice sessions", "unchanged") in [(s.title, s.status) for s in comparison.sections]


def test_reordering_services_and_locations_is_no_change(hub):
    old = services.snapshot(hub)
    new = copy.deepcopy(old)
    new["services"].reverse()
    new["locations"].reverse()
    for service in new["services"]:
        service["locations"] = [1 - i for i in service["locations"]]
    assert diff.compare(old, new).changed == []
    assert diff.changed_labels(old, new) == []


def test_a_new_service_is_shown_as_new(hub, officer_client):
    data = services.snapshot(hub)
    data["services"].append(
        {**copy.deepcopy(data["services"][1]), "uuid": None, "name": "Youth club", "description": "Fridays"}
    )
    page = review(officer_client, propose(hub, data))
    found = cards(page)
    tag, rows = found["Service: Youth club"]
    assert tag == "New"
    assert ["Name", "Youth club"] in rows and ["Description", "Fridays"] in rows
    assert ["Opening hours: Tuesday", "10:00 to 14:00"] in rows
    assert ["Locations", "Church hall"] in rows
    # Everything else is unchanged, and says so.
    assert {title: tag for title, (tag, _) in found.items() if title != "Service: Youth club"} == {
        "About the group": "No changes",
        "Contact details": "No changes",
        "Service: Food parcels": "No changes",
        "Service: Advice sessions": "No changes",
        "Location: Hendon Community Hub base": "No changes",
        "Location: Church hall": "No changes",
    }


def test_a_removed_location_is_shown_as_removed(hub, officer_client):
    data = services.snapshot(hub)
    del data["locations"][1]
    data["services"][1]["locations"] = []
    page = review(officer_client, propose(hub, data))
    found = cards(page)
    tag, rows = found["Location: Church hall"]
    assert tag == "Removed"
    assert ["Postcode", "N12 0GA"] in rows
    assert "This location is removed" in text(page.main)
    # The service that was there loses it: one changed row, not the whole service.
    assert found["Service: Advice sessions"] == ("Changed", [["Locations", "Church hall", ""]])
    assert found["Location: Hendon Community Hub base"][0] == "No changes"


def test_a_changed_opening_slot_shows_only_that_day(hub, officer_client):
    data = services.snapshot(hub)
    data["services"][0]["hours"] = [MONDAY_MORNING, MONDAY_AFTERNOON, TUESDAY]
    page = review(officer_client, propose(hub, data))
    tag, rows = cards(page)["Service: Food parcels"]
    assert tag == "Changed"
    assert rows == [["Opening hours: Monday", "09:00 to 12:00", "09:00 to 12:00, 13:00 to 17:00"]]
    headings = [text(th) for th in page.select(".portal-diff [data-status=changed] thead th")]
    assert headings == ["Item", "Published now", "Proposed"]


def test_a_registration_shows_everything_as_new(app, wards, taxonomies, officer_client):
    add_postcodes()
    data = listing("Burnt Oak Knitters", categories=["Food"], postcode="NW9 4EW", hours=[TUESDAY])
    change = ListingChange(
        kind="register",
        payload=json.dumps({"listing": data, "contact": {"name": "Ann", "email": "ann@example.org", "role": "Chair"}}),
    )
    db.session.add(change)
    db.session.commit()
    found = cards(review(officer_client, change))
    assert {title: tag for title, (tag, _) in found.items()} == {
        "About the group": "New",
        "Contact details": "New",
        "Service: Burnt Oak Knitters service": "New",
        "Location: Burnt Oak Knitters base": "New",
    }
    assert ["Name", "Burnt Oak Knitters"] in found["About the group"][1]
    assert ["Opening hours: Tuesday", "10:00 to 14:00"] in found["Service: Burnt Oak Knitters service"][1]


def test_nothing_changed(hub, officer_client):
    page = review(officer_client, propose(hub, services.snapshot(hub)))
    assert "Nothing was changed" in text(page.main)
    assert {tag for tag, _ in cards(page).values()} == {"No changes"}
    # An unchanged section is collapsed, and still shows what it says.
    assert page.select_one(".portal-diff [data-section=about] details") is not None


def test_history_shows_each_version_by_section(hub, client, make_user):
    editor = make_user("group_editor", email="editor@hub.example", organisations=[hub])
    data = services.snapshot(hub)
    data["organisation"]["phone"] = "020 8359 2000"
    data["locations"][0]["accessibility_notes"] = "Ramp at the side door"
    services.publish(hub, data, editor)
    db.session.commit()
    sign_in(client, editor.email)
    page = parse(client.get(f"/directory/{hub.slug}/history"))
    assert db.session.scalar(db.select(db.func.count()).select_from(ListingVersion)) == 2
    assert cards(page, 0) == {
        "Contact details": ("Changed", [["Phone", "", "020 8359 2000"]]),
        "Location: Hendon Community Hub base": ("Changed", [["Accessibility notes", "", "Ramp at the side door"]]),
    }
    assert (
        "No changes to: About the group; Service: Food parcels; Service: Advice sessions; Location: Church hall."
        in text(page.select(".portal-diff")[0])
    )
    # Version 1 is the listing as created: every section new; an empty one says so.
    first = cards(page, 1)
    assert {tag for tag, _ in first.values()} == {"New"}
    assert first["Contact details"] == ("New", [])
    assert "Nothing entered" in text(page.select(".portal-diff")[1])


def test_a_part_the_comparison_does_not_know_yet_is_still_shown(hub):
    """A key added to a service later is compared, not dropped or a 500."""
    old = services.snapshot(hub)
    new = copy.deepcopy(old)
    new["services"][0]["transport_links"] = [{"bus_route": "113", "stop": "Hendon Central"}]
    [section] = diff.compare(old, new).changed
    assert [(row.label, row.old, row.new) for row in section.changed_rows] == [
        ("Transport links", "", "bus route 113, stop Hendon Central")
    ]
    del old["services"][0]["hours"]  # a missing key is an empty one
    assert diff.compare(old, new).sections


def test_holiday_closures_are_shown_as_dates(hub, officer_client):
    data = services.snapshot(hub)
    data["services"][0]["closures"] = [
        {"starts_on": "2027-05-03", "ends_on": "2027-05-03", "note": None},
        {"starts_on": "2026-12-24", "ends_on": "2027-01-02", "note": "Christmas"},
    ]
    tag, rows = cards(review(officer_client, propose(hub, data)))["Service: Food parcels"]
    assert tag == "Changed"
    assert rows == [["Holiday closures", "", "24 December 2026 to 2 January 2027 (Christmas); 3 May 2027"]]
