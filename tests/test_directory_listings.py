"""Groups keeping their listings up to date, and officers moderating: what each of them sees."""

import json
from datetime import timedelta

import pytest

from app.auth.models import User
from app.directory import services
from app.directory.models import ListingChange, ProblemReport
from app.extensions import db
from app.timeutil import utcnow

from .conftest import post_form, sign_in
from .factories.directory import add_postcodes, make_listing
from .html import error_messages, parse, text
from .listing_editor import edit, register, send_edit, start_registration


@pytest.fixture
def food_bank(app, wards, taxonomies):
    add_postcodes()
    return make_listing("Colindale Food Bank", description="Free food parcels", categories=["Food"], postcode="NW9 4EW")


@pytest.fixture
def editor(make_user, food_bank):
    return make_user("group_editor", email="editor@foodbank.example", organisations=[food_bank])


def test_editor_change_waits_for_approval_then_is_published(app, client, editor, food_bank, make_user, outbox):
    sign_in(client, editor.email)
    edit(client, food_bank.slug, "about", {"description": "Free food parcels and hot meals on Wednesdays"})
    edit(client, food_bank.slug, "services/1/hours", {"d2_0_opens": "10:00", "d2_0_closes": "14:00"})
    response = send_edit(client, food_bank.slug)
    assert response.status_code == 302
    # Not public yet.
    assert "hot meals" not in client.get(f"/directory/{food_bank.slug}").get_data(as_text=True)
    assert "waiting for an officer" in client.get("/directory/mine").get_data(as_text=True)

    officer_client = app.test_client()
    officer = make_user("strategy_officer")
    sign_in(officer_client, officer.email)
    change = db.session.scalar(db.select(ListingChange).where(ListingChange.status == "pending"))
    review = officer_client.get(f"/directory/moderation/{change.id}").get_data(as_text=True)
    assert "Free food parcels and hot meals on Wednesdays" in review and "Changed" in review
    response = post_form(officer_client, f"/directory/moderation/{change.id}", {"decision": "approve"})
    assert response.status_code == 302

    page = client.get(f"/directory/{food_bank.slug}").get_data(as_text=True)
    assert "hot meals on Wednesdays" in page
    hours = {text(row.th): text(row.td) for row in parse(page).select("tr") if row.th and row.td}
    assert hours["Wednesday"] == "10:00 to 14:00"
    db.session.refresh(food_bank)
    assert food_bank.version == 2
    assert outbox[-1].to == [editor.email] and "was approved" in outbox[-1].subject
    history = client.get(f"/directory/{food_bank.slug}/history").get_data(as_text=True)
    assert "Version 2" in history and "Opening hours" in history and officer.name in history


def test_rejection_needs_a_reason_and_tells_the_group(app, client, editor, food_bank, make_user, outbox):
    sign_in(client, editor.email)
    edit(client, food_bank.slug, "about", {"description": "Spam spam spam"})
    send_edit(client, food_bank.slug)
    officer_client = app.test_client()
    sign_in(officer_client, make_user("strategy_officer").email)
    change = db.session.scalar(db.select(ListingChange))
    page = parse(post_form(officer_client, f"/directory/moderation/{change.id}", {"decision": "reject"}))
    [message] = error_messages(page)
    assert message.startswith("Enter the reason for rejecting this change")
    post_form(
        officer_client,
        f"/directory/moderation/{change.id}",
        {"decision": "reject", "reason": "This is not a description"},
    )
    assert outbox[-1].to == [editor.email] and "not approved" in outbox[-1].subject
    assert "This is not a description" in outbox[-1].body
    db.session.refresh(food_bank)
    assert food_bank.version == 1 and food_bank.description == "Free food parcels"


def test_second_editor_gets_a_conflict_page_and_nothing_is_lost(app, client, editor, food_bank, make_user):
    other = make_user("group_editor", email="second@foodbank.example", organisations=[food_bank])
    second = app.test_client()
    sign_in(client, editor.email)
    sign_in(second, other.email)
    edit(client, food_bank.slug, "about", {"description": "First editor's words"})
    edit(second, food_bank.slug, "about", {"description": "Second editor's words"})
    assert send_edit(client, food_bank.slug).status_code == 302
    response = send_edit(second, food_bank.slug)
    page = parse(response)
    assert response.status_code == 409
    assert "Someone else changed this listing while you were editing" in text(page.main)
    assert "First editor's words" in text(page.main) and "Second editor's words" in text(page.main)
    pending = db.session.scalar(db.select(ListingChange))
    assert json.loads(pending.payload)["organisation"]["description"] == "First editor's words"


def test_officer_cannot_approve_an_edit_made_on_an_old_version(app, client, editor, food_bank, make_user):
    sign_in(client, editor.email)
    edit(client, food_bank.slug, "about", {"description": "Editor's change"})
    send_edit(client, food_bank.slug)
    officer_client = app.test_client()
    sign_in(officer_client, make_user("strategy_officer").email)
    # The officer edits the published listing directly in the meantime.
    edit(officer_client, food_bank.slug, "contact", {"phone": "020 8359 2000"})
    assert send_edit(officer_client, food_bank.slug).status_code == 302
    change = db.session.scalar(db.select(ListingChange))
    page = post_form(officer_client, f"/directory/moderation/{change.id}", {"decision": "approve"}).get_data(
        as_text=True
    )
    assert "has changed since this edit was made" in page
    db.session.refresh(food_bank)
    assert food_bank.phone == "020 8359 2000" and food_bank.description == "Free food parcels"


def test_editor_cannot_edit_another_groups_listing(app, client, editor, wards, taxonomies):
    other = make_listing("Hendon Youth Club")
    sign_in(client, editor.email)
    assert client.get(f"/directory/{other.slug}/edit").status_code == 403
    assert post_form(client, f"/directory/{other.slug}/confirm", {}, form_url="/directory/mine").status_code == 403


def test_listing_pages_answer_bad_input_clearly(client, editor, food_bank):
    sign_in(client, editor.email)
    pages = {
        "about": (
            {"name": "", "charity_number": "ABC", "company_number": "1234ABCD"},
            [
                "Enter the name of the organisation",
                "Enter a registered charity number",
                "Enter a company number of 8 characters",
            ],
        ),
        "contact": (
            {"website": "not a site", "phone": "12"},
            ["Enter a web address starting with https://", "Enter a phone number"],
        ),
        "locations/1": ({"postcode": "XYZ"}, ["Enter a real postcode"]),
        "services/1": (
            {"minimum_age": "30", "maximum_age": "20"},
            ["Oldest age must be the same as or more than the youngest age"],
        ),
        "services/1/hours": (
            {"d0_0_opens": "25:00", "d0_0_closes": "09:00", "d1_0_opens": "10:00", "d1_0_closes": "09:00"},
            [
                "Enter the opening time on Monday as a 24-hour time",
                "The closing time on Tuesday must be after the opening time",
            ],
        ),
    }
    for page, (changes, messages) in pages.items():
        response = edit(client, food_bank.slug, page, changes)
        errors = " | ".join(error_messages(parse(response)))
        assert response.status_code == 200, page
        for message in messages:
            assert message in errors, message


@pytest.mark.parametrize(
    "value, expected",
    [("1012345", "1012345"), ("sc 012345", "SC012345"), ("NIC100123", "NIC100123"), ("1012345-1", "1012345-1")],
)
def test_charity_numbers_are_normalised(value, expected):
    assert services.normalise_charity_number(value) == expected


@pytest.mark.parametrize(
    "value, expected", [("1234567", "01234567"), ("sc123456", "SC123456"), ("OC301234", "OC301234")]
)
def test_company_numbers_are_normalised(value, expected):
    assert services.normalise_company_number(value) == expected


def test_new_group_registers_and_is_invited_when_approved(app, client, wards, taxonomies, make_user, outbox):
    add_postcodes()
    start_registration(client)
    register(
        client,
        "you",
        {"contact_name": "Amira Khan", "contact_email": "amira@newgroup.example", "contact_role": "Chair"},
    )
    register(
        client,
        "about",
        {
            "name": "Burnt Oak Knit and Natter",
            "description": "Knitting and friendship for older residents",
            "kind": "vcfs",
        },
    )
    register(client, "locations/new", {"address_1": "Library, Watling Avenue", "postcode": "NW9 4EW"})
    register(
        client,
        "services/new",
        {
            "name": "Tuesday knitting circle",
            "description": "Bring wool, or borrow ours",
            "categories": ["category/older-people"],
            "locations": ["0"],
        },
    )
    register(client, "services/1/hours", {"d1_0_opens": "14:00", "d1_0_closes": "16:00"})
    response = register(client, "check")
    assert "Registration sent" in response.get_data(as_text=True)
    assert client.get("/directory/?q=knitting").get_data(as_text=True).count("Burnt Oak Knit") == 0

    officer_client = app.test_client()
    sign_in(officer_client, make_user("strategy_officer").email)
    change = db.session.scalar(db.select(ListingChange).where(ListingChange.kind == "register"))
    assert "Tuesday knitting circle" in officer_client.get(f"/directory/moderation/{change.id}").get_data(as_text=True)
    post_form(officer_client, f"/directory/moderation/{change.id}", {"decision": "approve"})
    assert "Burnt Oak Knit and Natter" in client.get("/directory/?q=knitting").get_data(as_text=True)
    invited = User.by_email("amira@newgroup.example")
    assert invited.role == "group_editor" and [o.name for o in invited.organisations] == ["Burnt Oak Knit and Natter"]
    assert outbox[-1].to == ["amira@newgroup.example"] and "invited" in outbox[-1].subject


def test_a_claim_with_an_existing_accounts_address_warns_the_officer(app, client, food_bank, make_user):
    """Issue 12 finding 4: an anonymous form never changes an existing person without someone noticing."""
    make_user("group_editor", email="someone@elsewhere.example")
    post_form(
        client,
        f"/directory/{food_bank.slug}/claim",
        {
            "contact_name": "Mallory",
            "contact_email": "SOMEONE@elsewhere.example",
            "contact_role": "Boss",
            "message": "mine",
        },
    )
    officer_client = app.test_client()
    sign_in(officer_client, make_user("strategy_officer").email)
    change = db.session.scalar(db.select(ListingChange).where(ListingChange.kind == "claim"))
    page = officer_client.get(f"/directory/moderation/{change.id}").get_data(as_text=True)
    assert "already has an account" in page and "check with them first" in page
    assert User.by_email("someone@elsewhere.example").organisations == []


def test_claiming_a_listing(app, client, food_bank, make_user, outbox):
    page = post_form(
        client,
        f"/directory/{food_bank.slug}/claim",
        {
            "contact_name": "Tom Reed",
            "contact_email": "Tom@FoodBank.example",
            "contact_role": "Coordinator",
            "message": "I am named on our website's team page",
        },
    ).get_data(as_text=True)
    assert "Claim sent" in page
    officer_client = app.test_client()
    sign_in(officer_client, make_user("strategy_officer").email)
    change = db.session.scalar(db.select(ListingChange).where(ListingChange.kind == "claim"))
    post_form(officer_client, f"/directory/moderation/{change.id}", {"decision": "approve"})
    assert User.by_email("tom@foodbank.example").organisations == [food_bank]


def test_report_a_problem_reaches_the_group_and_the_officers(client, editor, food_bank, outbox):
    page = post_form(
        client,
        f"/directory/{food_bank.slug}/report-a-problem",
        {
            "problem": "wrong-hours",
            "details": "They now open on Thursdays",
            "reporter_email": "resident@example.org",
        },
    ).get_data(as_text=True)
    assert "Report sent" in page
    assert sorted(m.to[0] for m in outbox) == ["community@barnet.example", "editor@foodbank.example"]
    assert "They now open on Thursdays" in outbox[0].body
    assert db.session.scalar(db.select(ProblemReport)).problem == "wrong-hours"
    page = parse(post_form(client, f"/directory/{food_bank.slug}/report-a-problem", {"details": ""}))
    assert error_messages(page)[:2] == ["Select what is wrong", "Tell us what is wrong"]


def test_confirming_a_listing_and_reminders_for_stale_ones(app, client, editor, food_bank, outbox, make_user):
    food_bank.last_verified_at = utcnow() - timedelta(days=200)
    db.session.commit()
    officer_client = app.test_client()
    sign_in(officer_client, make_user("strategy_officer").email)
    assert food_bank.name in officer_client.get("/directory/needs-checking").get_data(as_text=True)

    result = app.test_cli_runner().invoke(args=["directory", "send-reminders"])
    assert "Queued verification reminders for 1 listings" in result.output
    assert outbox[-1].to == [editor.email] and "still right" in outbox[-1].subject
    # Not again within the month.
    app.test_cli_runner().invoke(args=["directory", "send-reminders"])
    assert len(outbox) == 1

    sign_in(client, editor.email)
    assert post_form(client, f"/directory/{food_bank.slug}/confirm", {}, form_url="/directory/mine").status_code == 302
    assert food_bank.name not in officer_client.get("/directory/needs-checking").get_data(as_text=True)


@pytest.mark.parametrize("name", ["Moderation", "Register", "Import", "Mine", "Needs checking"])
def test_a_group_named_like_a_directory_page_gets_a_listing_of_its_own(app, client, wards, taxonomies, name):
    # Before, "Moderation" got the slug "moderation" and its listing could never be shown: /directory/moderation
    # is the officers' moderation queue.
    organisation = make_listing(name)
    assert organisation.slug == f"{services.term_code(name)}-2"
    page = parse(client.get(f"/directory/{organisation.slug}").get_data(as_text=True))
    assert text(page.select_one("h1")) == name
