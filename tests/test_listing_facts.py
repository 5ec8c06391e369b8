"""The listing page reads plain rows (app/directory/listing_facts.py), not the models: it must show exactly what
the models would, to the public, to an officer and to the group's editor."""

import re
from datetime import date, timedelta

import pytest

from app.directory import listing_facts, services, taxonomy
from app.directory.models import Closure, Organisation
from app.extensions import db

from .conftest import sign_in
from .factories.directory import add_postcodes, listing

HENDON, COLINDALE_NORTH = "E05013643", "E05013632"


def _rich_listing(name):
    """Two services (one with its own contacts, ages, fees and wards), terms of two taxonomies, two addresses
    (one hidden from the public) with access terms, opening hours and closures past, present and ahead."""
    data = listing(
        name,
        description="Food, advice and company for older neighbours.",
        categories=["Food", "Advice"],
        postcode="NW4 4BG",
        accessibility=["Step-free access", "Hearing loop"],
        hours=[{"weekday": 0, "opens_at": "09:00", "closes_at": "12:00"}],
    )
    data["organisation"].update(
        phone="020 8359 2000", email="hello@example.org", website="https://example.org", charity_number="1234567"
    )
    data["services"][0]["terms"] += [f"beneficiary/{taxonomy.term_code('Older people')}"]
    data["locations"].append(
        {
            "name": "Safe house",
            "address_1": "2 Quiet Road",
            "address_2": None,
            "city": "London",
            "postcode": "NW9 4EW",
            "confidential": True,
            "accessibility": [],
            "accessibility_notes": "Ring the bell.",
        }
    )
    data["services"].append(
        {
            "name": "Lunch club",
            "description": "A hot meal on Wednesdays.",
            "status": "active",
            "url": "https://example.org/lunch",
            "email": "lunch@example.org",
            "phone": "020 8359 2001",
            "fees_description": "£3 a meal",
            "minimum_age": 60,
            "maximum_age": None,
            "terms": [f"category/{taxonomy.term_code('Older people')}"],
            "area_scope": "wards",
            "areas": [HENDON, COLINDALE_NORTH],
            "hours": [{"weekday": 2, "opens_at": "12:00", "closes_at": "14:00"}],
            "locations": [0, 1],
        }
    )
    return data


@pytest.fixture
def rich(app, wards, taxonomies, make_user):
    add_postcodes()
    officer = make_user("strategy_officer", email="officer@example.org")
    organisation = services.create_organisation(_rich_listing("Hendon Neighbours"), officer)
    db.session.commit()
    today = date.today()
    organisation.services[0].closures = [
        Closure(starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=20), note="Over"),
        Closure(starts_on=today, ends_on=today, note="Staff training"),
    ]
    organisation.services[1].closures = [
        Closure(starts_on=today + timedelta(days=9), ends_on=today + timedelta(days=12))
    ]
    db.session.commit()
    return organisation


def _from_the_models(slug, today):
    return db.session.scalar(db.select(Organisation).where(Organisation.slug == slug, Organisation.published.is_(True)))


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    # What differs between two requests whatever the data: the script nonce and the form token.
    page = re.sub(r'nonce="[^"]*"', "", response.get_data(as_text=True))
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", page)


def _both(client, monkeypatch, slug):
    client.get("/")  # shows the "signed in" message, which is for one page only
    from_rows = _page(client, f"/directory/{slug}")
    with monkeypatch.context() as patched:
        patched.setattr(listing_facts, "load", _from_the_models)
        from_models = _page(client, f"/directory/{slug}")
    return from_rows, from_models


def test_the_public_page_from_rows_is_the_page_from_the_models(client, rich, monkeypatch):
    from_rows, from_models = _both(client, monkeypatch, rich.slug)
    assert from_rows == from_models
    # And it is a full page: the loader was not bypassed by both renders.
    for shown in ("Lunch club", "020 8359 2001", "Staff training", "Hearing loop", "Hendon ward", "£3 a meal"):
        assert shown in from_rows
    assert "2 Quiet Road" not in from_rows and "Over" not in from_rows


def test_an_officers_page_from_rows_is_the_page_from_the_models(client, rich, monkeypatch):
    sign_in(client, "officer@example.org")
    from_rows, from_models = _both(client, monkeypatch, rich.slug)
    assert from_rows == from_models
    assert "2 Quiet Road" in from_rows and "Hidden from the public" in from_rows and "Ring the bell." in from_rows


def test_the_groups_editor_sees_the_edit_link_on_the_page_from_rows(client, rich, make_user, monkeypatch):
    editor = make_user("group_editor", email="editor@example.org", organisations=[rich])
    sign_in(client, editor.email)
    from_rows, from_models = _both(client, monkeypatch, rich.slug)
    assert from_rows == from_models and "Edit this listing" in from_rows


def test_an_unpublished_listing_is_not_found(client, rich):
    rich.published = False
    db.session.commit()
    assert client.get(f"/directory/{rich.slug}").status_code == 404
    assert client.get("/directory/no-such-group").status_code == 404
