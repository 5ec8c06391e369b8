"""CTN membership: double opt-in, consent, preferences, unsubscribe and suppression, GDPR export and
erasure, CSV import, and who may see what."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest

from app.ctn import services
from app.ctn.models import (
    CONFIRMED,
    PENDING,
    UNSUBSCRIBED,
    Consent,
    DepartedMember,
    Meeting,
    Member,
    Registration,
    Suppression,
)
from app.extensions import db
from app.timeutil import utcnow

from .conftest import post_form
from .factories.ctn import make_meeting, make_member
from .html import error_messages, field_error, form_data, heading, page_text, parse, text

LINK_RE = re.compile(r"http://portal\.test(/\S+)")


def links_in(message):
    return LINK_RE.findall(message.body)


def join_data(**overrides):
    data = {
        "name": "Ada Example",
        "email": "Ada.Example@Example.org",
        "organisation_id": "0",
        "organisation_name": "Friends of Montrose Park",
        "job_title": "Volunteer co-ordinator",
        "sector": "vcfs",
        "ward_code": "",
        "interests": ["funding", "mental_health"],
        "consent": "y",
    }
    data.update(overrides)
    return data


def join(client, **overrides):
    return post_form(client, "/ctn/join", join_data(**overrides))


def confirm_link(message):
    return next(link for link in links_in(message) if link.startswith("/ctn/confirm/"))


# --- Double opt-in ----------------------------------------------------------------------------------


def test_joining_needs_the_emailed_link_before_the_person_is_a_member(client, outbox, wards):
    response = join(client, ward_code="E05013643")
    assert response.status_code == 302 and response.headers["Location"] == "/ctn/join/check-your-email"
    member = db.session.scalar(db.select(Member))
    assert member.status == PENDING and member.email_key == "ada.example@example.org"
    assert member.interests == ["funding", "mental_health"] and member.ward_code == "E05013643"
    assert services.member_count() == 0  # not a member until they confirm

    consent = member.consents[0]
    assert consent.action == "given" and consent.source == "web join form"
    assert consent.wording == services.JOIN_CONSENT_WORDING
    assert consent.recorded_at and abs((utcnow() - consent.recorded_at).total_seconds()) < 60
    # The wording stored is the wording the form showed.
    assert " ".join(services.JOIN_CONSENT_WORDING.split()) in page_text(parse(client.get("/ctn/join")))

    assert len(outbox) == 1 and outbox[0].to == ["Ada.Example@Example.org"]
    link = confirm_link(outbox[0])
    assert any(link.startswith("/ctn/preferences/") for link in links_in(outbox[0]))

    # Opening the link (as a mail scanner would) does not confirm: it asks for a button press.
    page = client.get(link)
    assert page.status_code == 200 and "Confirm and join" in [text(button) for button in parse(page).select("button")]
    assert db.session.get(Member, member.id).status == PENDING

    page = post_form(client, link, {})
    assert "You have joined the Communities Together Network" in page_text(parse(page))
    member = db.session.get(Member, member.id)
    assert member.status == CONFIRMED and member.confirmed_at is not None
    assert [c.action for c in member.consents] == ["given", "confirmed"]
    assert services.member_count() == 1


def test_join_form_says_what_is_missing(client):
    page = parse(post_form(client, "/ctn/join", {"organisation_id": "0"}))
    assert error_messages(page) == [
        "Enter your full name",
        "Enter your email address",
        "Select the sector you are part of",
        "Confirm that you agree to join so that we can email you",
    ]
    assert text(page.title).startswith("Error:")
    bad = parse(post_form(client, "/ctn/join", join_data(email="not an address")))
    assert error_messages(bad) == ["Enter an email address in the correct format, like name@example.com"]
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 0


def test_an_expired_or_altered_link_explains_itself(app, client, outbox, monkeypatch):
    join(client)
    link = confirm_link(outbox[0])
    monkeypatch.setitem(app.config, "CTN_CONFIRM_MAX_AGE", -1)
    expired = client.get(link)
    assert expired.status_code == 400 and "This link has expired" in page_text(parse(expired))
    monkeypatch.setitem(app.config, "CTN_CONFIRM_MAX_AGE", 3600)
    altered = client.get(link[:-3] + "xyz")
    assert altered.status_code == 400 and "This link does not work" in page_text(parse(altered))
    assert db.session.scalar(db.select(Member)).status == PENDING


def test_a_newer_link_replaces_an_older_one(client, outbox):
    join(client)
    first = confirm_link(outbox[0])
    join(client, name="Ada Lovelace Example")
    second = confirm_link(outbox[1])
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 1


def test_joining_again_with_a_known_address_adds_no_duplicate_and_reveals_nothing(client, outbox):
    member = make_member(email="ada.example@example.org")
    response = join(client, email="ADA.EXAMPLE@example.org")
    assert response.headers["Location"] == "/ctn/join/check-your-email"
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 1
    assert "already a member" in outbox[0].subject
    assert f"/ctn/preferences/{member.preferences_token}" in outbox[0].body


# --- Preferences, unsubscribe, suppression ---------------------------------------------------------


def test_preferences_change_details_and_unsubscribe_keeps_the_address_suppressed(client, outbox):
    member = make_member(email="pat@example.org")
    url = f"/ctn/preferences/{member.preferences_token}"
    page = parse(client.get(url))
    assert heading(page) == "Your preferences" and form_data(page)["email"] == "pat@example.org"
    response = post_form(
        client, url, join_data(name="Pat Changed", email="pat@example.org", sector="faith", interests=["food_security"])
    )
    assert response.status_code == 302
    member = db.session.get(Member, member.id)
    assert member.name == "Pat Changed" and member.sector == "faith" and member.interests == ["food_security"]

    post_form(client, url + "/unsubscribe", {}, form_url=url)
    member = db.session.get(Member, member.id)
    assert member.status == UNSUBSCRIBED and member.unsubscribed_at is not None
    assert services.is_suppressed("PAT@example.org")
    entry = db.session.scalar(db.select(Suppression))
    assert entry.email == "pat@example.org" and entry.reason == "unsubscribed"
    assert member.consents[-1].action == "withdrawn"
    assert services.member_count() == 0
    assert services.confirmed_members() == []


def test_someone_unsubscribed_can_join_again_with_fresh_consent(client, outbox):
    member = make_member(email="kim@example.org")
    services.unsubscribe(member, "test")
    # The join form sends nothing to a suppressed address (anyone could type it in): the way back is the
    # preferences page, whose link only the owner holds.
    join(client, email="Kim@example.org", name="Kim Again")
    assert outbox == [] and db.session.get(Member, member.id).name == "Member Person"
    url = f"/ctn/preferences/{member.preferences_token}"
    post_form(client, url + "/join-again", {}, form_url=url)
    assert services.is_suppressed("kim@example.org")  # still suppressed until they confirm
    post_form(client, confirm_link(outbox[-1]), {})
    member = db.session.get(Member, member.id)
    assert member.status == CONFIRMED and not services.is_suppressed("kim@example.org")
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 1


# --- Anonymous forms never change an existing person (issue 12, finding 4) --------------------------


@pytest.mark.parametrize("status", [PENDING, UNSUBSCRIBED, CONFIRMED])
@pytest.mark.parametrize("typed", ["owner@example.org", "OWNER@Example.ORG", "oWnEr@example.org"])
def test_joining_with_someone_elses_address_changes_nothing_about_them(client, outbox, status, typed):
    owner = make_member(email="owner@example.org", status=status, name="Olive Owner")
    owner.organisation_name, owner.job_title = "Owner's Group", "Chair"
    if status == UNSUBSCRIBED:
        services.unsubscribe(owner, "test")
    db.session.commit()
    consents = len(owner.consents)
    outbox.clear()

    response = join(client, email=typed, name="Mallory", organisation_name="Evil Ltd", job_title="Boss", sector="faith")
    assert response.status_code == 302 and response.headers["Location"] == "/ctn/join/check-your-email"
    owner = db.session.get(Member, owner.id)
    assert (owner.name, owner.organisation_name, owner.job_title, owner.sector) == (
        "Olive Owner",
        "Owner's Group",
        "Chair",
        "vcfs",
    )
    assert owner.status == status and len(owner.consents) == consents
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 1
    everything_sent = " ".join(m.subject + m.body for m in outbox)
    assert "Mallory" not in everything_sent and "Evil Ltd" not in everything_sent
    if status == UNSUBSCRIBED:
        assert outbox == [] and services.is_suppressed("owner@example.org")
    else:
        # The owner hears about it, at their own address; nobody else is told anything.
        assert [m.to for m in outbox] == [["owner@example.org"]]
        assert ("/ctn/confirm/" in outbox[0].body) == (status == PENDING)


def test_the_join_page_is_the_same_whoever_the_address_belongs_to(client, outbox):
    make_member(email="known@example.org", status=PENDING)
    services.unsubscribe(make_member(email="gone@example.org"), "test")
    pages = set()
    for address in ("known@example.org", "gone@example.org", "nobody-yet@example.org"):
        response = join(client, email=address)
        pages.add((response.status_code, response.headers["Location"]))
        pages.add(re.sub(r'nonce="[^"]+"', "", client.get(response.headers["Location"]).get_data(as_text=True)))
    assert len(pages) == 2


def test_a_suppressed_address_that_is_no_members_gets_nothing(client, outbox):
    services.unsubscribe_address("erased@example.org", "bulletin unsubscribe link")
    db.session.commit()
    join(client, email="Erased@example.org")
    assert outbox == [] and db.session.scalar(db.select(Member)) is None


def test_booking_with_someone_elses_address_reveals_and_changes_nothing(client, outbox):
    meeting = make_meeting(capacity=1)
    url = f"/ctn/meetings/{meeting.id}"
    first = post_form(
        client, url, {"name": "Olive Owner", "email": "owner@example.org", "organisation_name": "Owner's Group"}
    )
    second = post_form(client, url, {"name": "Mallory", "email": "OWNER@example.org", "organisation_name": "Evil Ltd"})
    third = post_form(client, url, {"name": "Wendy Waiting", "email": "wendy@example.org"})
    # The same page every time: booked, already booked and waiting cannot be told apart.
    bodies = {re.sub(r'nonce="[^"]+"', "", r.get_data(as_text=True)) for r in (first, second, third)}
    assert len(bodies) == 1 and "owner@example.org" not in bodies.pop().lower()
    registrations = {r.email_key: r for r in db.session.scalars(db.select(Registration))}
    owner = registrations["owner@example.org"]
    assert (owner.name, owner.organisation_name, owner.email) == ("Olive Owner", "Owner's Group", "owner@example.org")
    # The owner is told again about their own booking, at their own address.
    assert [m.to for m in outbox] == [["owner@example.org"], ["owner@example.org"], ["wendy@example.org"]]
    assert "Your booking has not changed" in outbox[1].body and "Mallory" not in outbox[1].body
    assert "waiting list" in outbox[2].subject


def test_booking_with_a_suppressed_address_books_and_sends_nothing(client, outbox):
    services.unsubscribe_address("gone@example.org", "test")
    db.session.commit()
    meeting = make_meeting(capacity=5)
    page = post_form(client, f"/ctn/meetings/{meeting.id}", {"name": "Someone", "email": "Gone@example.org"})
    assert page.status_code == 200 and "Check your email" in heading(parse(page))
    assert outbox == [] and db.session.scalar(db.select(Registration)) is None


# --- Links that change something work once (issue 12, finding 9) -------------------------------------


def test_a_confirmation_link_works_once(client, outbox):
    join(client)
    link = confirm_link(outbox[0])
    post_form(client, link, {})
    member = db.session.scalar(db.select(Member))
    assert member.status == CONFIRMED
    # Still a member: the link says so, and changes nothing.
    assert "already" in page_text(parse(post_form(client, link, {}, form_url="/ctn/join"))).lower()
    services.unsubscribe(member, "test")
    for method in ("get", "post"):
        response = client.get(link) if method == "get" else post_form(client, link, {}, form_url="/ctn/join")
        assert response.status_code == 400
        assert "This link has already been used" in page_text(parse(response))
    member = db.session.get(Member, member.id)
    assert member.status == UNSUBSCRIBED and services.is_suppressed(member.email)
    assert [c.action for c in member.consents] == ["given", "confirmed", "withdrawn"]


def test_a_confirmation_link_from_before_rejoining_is_used_up(client, outbox):
    join(client)
    old_link = confirm_link(outbox[0])
    post_form(client, old_link, {})
    member = db.session.scalar(db.select(Member))
    services.unsubscribe(member, "test")
    url = f"/ctn/preferences/{member.preferences_token}"
    post_form(client, url + "/join-again", {}, form_url=url)
    new_link = confirm_link(outbox[-1])
    assert client.get(old_link).status_code == 400
    post_form(client, new_link, {})
    assert db.session.get(Member, member.id).status == CONFIRMED
    services.unsubscribe(member, "test")
    assert client.get(new_link).status_code == 400
    assert services.is_suppressed(member.email)


def test_a_booking_cancel_link_works_once(client, outbox):
    meeting = make_meeting(capacity=5)
    url = f"/ctn/meetings/{meeting.id}"
    post_form(client, url, {"name": "Bea", "email": "bea@example.org"})
    cancel = next(link for link in links_in(outbox[0]) if link.startswith("/ctn/bookings/"))
    post_form(client, cancel, {})
    page = parse(client.get(cancel))
    assert "Your booking is cancelled" in page_text(page)
    assert "Cancel my booking" not in [text(button) for button in page.select("button")]
    # Booking again sends a new link; the old one no longer finds the booking.
    post_form(client, url, {"name": "Bea", "email": "bea@example.org"})
    assert client.get(cancel).status_code == 404
    assert db.session.scalar(db.select(Registration)).status != "cancelled"


def test_unsubscribe_address_and_bounce_for_the_bulletins_module(app):
    services.unsubscribe_address("stranger@example.org", "bulletin unsubscribe link")
    assert services.is_suppressed("Stranger@Example.org")
    member = make_member(email="bouncy@example.org")
    services.mark_bounced(member)
    assert db.session.get(Member, member.id).status == "bounced"
    assert services.is_suppressed("bouncy@example.org")


def test_segments_for_bulletins(app, wards):
    a = make_member(email="a@example.org", sector="vcfs")
    a.interests = ["funding"]
    a.ward_code = "E05013643"
    b = make_member(email="b@example.org", sector="faith")
    b.interests = ["mental_health"]
    make_member(email="c@example.org", status=PENDING)
    db.session.commit()
    assert {m.email for m in services.confirmed_members()} == {"a@example.org", "b@example.org"}
    assert [m.email for m in services.confirmed_members(sectors=["faith"])] == ["b@example.org"]
    assert [m.email for m in services.confirmed_members(interests=["funding"])] == ["a@example.org"]
    assert [m.email for m in services.confirmed_members(ward_codes=["E05013643"])] == ["a@example.org"]


def test_unknown_preferences_link_is_404(client):
    assert client.get("/ctn/preferences/no-such-token").status_code == 404


# --- GDPR export and erasure -----------------------------------------------------------------------


def _meeting(**kw):
    values = dict(
        title="Open meeting",
        starts_at=datetime(2030, 3, 7, 10),
        ends_at=datetime(2030, 3, 7, 12),
        venue_name="Hendon Town Hall",
    )
    values.update(kw)
    meeting = Meeting(**values)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_export_holds_everything_on_the_person_in_json_and_csv(client, outbox):
    member = make_member(email="erin@example.org", name="Erin Export")
    meeting = _meeting()
    services.register_for_meeting(meeting.id, "Erin Export", "ERIN@example.org", "Erin's Group", "Step-free access")
    url = f"/ctn/preferences/{member.preferences_token}/your-data"
    data = client.get(url + ".json").get_json()
    assert data["member"]["name"] == "Erin Export" and data["member"]["email"] == "erin@example.org"
    assert data["meeting_registrations"][0]["access_needs"] == "Step-free access"
    rows = list(csv.reader(io.StringIO(client.get(url + ".csv").get_data(as_text=True))))
    assert rows[0] == ["record", "item", "field", "value"]
    assert ["meeting_registrations", "1", "organisation", "Erin's Group"] in rows
    assert client.get(url + ".xml").status_code == 404


def _every_value_in_the_database():
    values = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                values.extend(str(v).lower() for v in row if v is not None)
    return values


def test_erasure_removes_the_person_everywhere_and_keeps_the_counts(client, outbox):
    fake_deliveries = []

    def export(member, key):
        return [d for d in fake_deliveries if d["email"] == key]

    def erase(member, key):
        before = len(fake_deliveries)
        fake_deliveries[:] = [d for d in fake_deliveries if d["email"] != key]
        return before - len(fake_deliveries)

    services.register_personal_data("test deliveries", export, erase)
    try:
        joined = utcnow() - timedelta(days=60)
        member = make_member(email="zoe@example.org", name="Zoe Zapped", confirmed_at=joined)
        make_member(email="other@example.org", confirmed_at=joined)
        meeting = _meeting(capacity=10)
        services.register_for_meeting(meeting.id, "Zoe Zapped", "zoe@example.org", "Zoe Org", "Hearing loop")
        services.register_for_meeting(meeting.id, "Other", "other@example.org")
        services.record_attendance(meeting, [r.id for r in meeting.registrations], 0)
        fake_deliveries.append({"email": "zoe@example.org", "bulletin": 1})
        assert services.export_person("zoe@example.org")["test deliveries"] == [
            {"email": "zoe@example.org", "bulletin": 1}
        ]
        last_month = (utcnow() - timedelta(days=30)).date()
        before = (services.member_count(last_month), services.members_by_sector(last_month)["vcfs"])
        attendance_before = db.session.get(Meeting, meeting.id).attendance

        url = f"/ctn/preferences/{member.preferences_token}"
        page = post_form(client, url + "/delete", {"understood": "y"}, form_url=url)
        assert "Your data has been deleted" in page_text(parse(page))

        everything = " ".join(_every_value_in_the_database())
        for personal in ("zoe@example.org", "zoe zapped", "zoe org", "hearing loop"):
            assert personal not in everything
        assert fake_deliveries == []
        assert db.session.scalar(db.select(db.func.count(Consent.id))) == 0
        # Counts for the past stay right; today she is no longer a member.
        assert (services.member_count(last_month), services.members_by_sector(last_month)["vcfs"]) == before
        assert services.member_count() == 1
        assert db.session.scalar(db.select(db.func.count(DepartedMember.id))) == 1
        meeting = db.session.get(Meeting, meeting.id)
        assert meeting.attendance == attendance_before == 2 and meeting.registered_count == 2
        assert sum(1 for r in meeting.registrations if r.erased) == 1
        # A re-import of an old list cannot add her back.
        report = services.import_members(
            b"name,email,sector\nZoe,ZOE@example.org,VCFS\n", "old.csv", CONFIRMED, "old list"
        )
        assert report.imported == 0 and report.skipped[0][1].startswith("on the suppression list")
        assert client.get(url).status_code == 404
    finally:
        services.PERSONAL_DATA_TABLES[:] = [t for t in services.PERSONAL_DATA_TABLES if t.name != "test deliveries"]


def test_officer_erasure_needs_the_confirmation_box(client, signed_in_as):
    signed_in_as("strategy_officer")
    member = make_member(email="yan@example.org")
    url = f"/ctn/manage/members/{member.id}/erase"
    page = parse(post_form(client, url, {}))
    assert error_messages(page) == ["Confirm that you understand the data will be deleted"]
    assert db.session.get(Member, member.id) is not None
    response = post_form(client, url, {"understood": "y"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Member).where(Member.email_key == "yan@example.org")) is None


# --- CSV import ------------------------------------------------------------------------------------

GOOD_AND_BAD = (
    "Name,Email,Organisation,Sector,Interests,Ward,Job title,Joined\n"
    "Ann One,ann@example.org,Barnet Multi Faith Forum,Faith,Funding; mental health,Burnt Oak,,2019-03-07\n"
    "Bob Two,not-an-email,,VCFS,,,,\n"
    "Cat Three,cat@example.org,,Astronaut,,,,\n"
    "Dan Four,DAN@example.org,Somewhere Else,council officer,,Nowhere Ward,,\n"
    "Dan Again,dan@EXAMPLE.org,,VCFS,,,,\n"
    ",eve@example.org,,VCFS,,,,31/02/2019\n"
)


def test_import_reports_every_problem_by_line_and_writes_nothing(app, wards, organisation):
    report = services.import_members(GOOD_AND_BAD.encode(), "ctn.csv", CONFIRMED, "Legacy list")
    assert not report.written and db.session.scalar(db.select(db.func.count(Member.id))) == 0
    problems = {(line, column) for line, column, _ in report.problems}
    assert problems == {(3, "email"), (4, "sector"), (5, "ward"), (7, "name"), (7, "joined")}
    messages = " ".join(message for *_, message in report.problems)
    assert "'Astronaut' is not a sector" in messages and "'Nowhere Ward' is not a Barnet ward" in messages


def test_import_can_skip_bad_rows_and_never_duplicates(app, wards, organisation):
    make_member(email="existing@example.org")
    text = GOOD_AND_BAD.replace("Nowhere Ward", "") + "Fay Five,EXISTING@example.org,,Business,,,,\n"
    report = services.import_members(text.encode(), "ctn.csv", CONFIRMED, "Legacy list", skip_bad_rows=True)
    assert report.written and report.imported == 2
    assert dict(report.skipped) == {6: "same email address as line 5", 8: "already on the CTN list"}
    ann = services.member_by_email("ANN@example.org")
    assert ann.organisation_id == organisation.id and ann.sector == "faith" and ann.ward.name == "Burnt Oak"
    assert ann.interests == ["funding", "mental_health"] and ann.status == CONFIRMED
    assert ann.confirmed_at.date() == date(2019, 3, 7)
    assert ann.consents[0].wording == "Legacy list" and ann.consents[0].source == "CSV import: ctn.csv"
    dan = services.member_by_email("dan@example.org")
    assert dan.organisation_name == "Somewhere Else" and dan.sector == "council_officer"
    # Importing the same file again adds nobody.
    again = services.import_members(text.encode(), "ctn.csv", CONFIRMED, "Legacy list", skip_bad_rows=True)
    assert again.imported == 0
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 3


def test_officer_imports_a_list_that_must_confirm_by_email(client, signed_in_as, outbox):
    signed_in_as("strategy_officer")
    data = {
        "file": (io.BytesIO(b"name,email,sector\nGil Six,gil@example.org,VCFS\n"), "list.csv"),
        "status": "pending",
        "consent_wording": "Signed up on paper at the March open meeting",
    }
    page = post_form(client, "/ctn/manage/members/import", data, content_type="multipart/form-data")
    assert "1 of 1 rows imported" in page_text(parse(page))
    member = services.member_by_email("gil@example.org")
    assert member.status == PENDING and outbox[0].to == ["gil@example.org"]
    missing = parse(post_form(client, "/ctn/manage/members/import", {"status": "confirmed"}))
    assert field_error(missing, "file").startswith("Select a CSV file")
    assert field_error(missing, "consent_wording").startswith("Enter how these people agreed to join")


@pytest.mark.parametrize(
    "data, message",
    [
        # Issue 12 finding 10: a value longer than the csv module's field limit was a 500.
        (
            b"name,email,sector\n" + b"A" * 200_000 + b",a@example.org,VCFS\n",
            "Line 2 has a value longer than 131,072 characters",
        ),
        # Issue 12 finding 6: no silent cp1252 fallback (it turns a UTF-8 file's accents into nonsense).
        (
            "name,email,sector\nZo\u00eb,zoe@example.org,VCFS\n".encode("cp1252"),
            "line 2 has characters in another encoding",
        ),
        (b'name,email,sector\n"Unfinished,a@example.org,VCFS\n', "cannot be read as CSV"),
    ],
)
def test_an_unreadable_import_file_is_refused_on_the_page(client, signed_in_as, data, message):
    signed_in_as("strategy_officer")
    page = post_form(
        client,
        "/ctn/manage/members/import",
        {
            "file": (io.BytesIO(data), "list.csv"),
            "status": "confirmed",
            "consent_wording": "Paper list",
        },
        content_type="multipart/form-data",
    )
    assert page.status_code == 200
    assert message in page_text(parse(page))  # in the table of rows with problems
    assert db.session.scalar(db.select(db.func.count(Member.id))) == 0


def test_import_refuses_line_breaks_in_one_line_columns(app):
    data = b'name,email,sector,job_title\n"Ann\r\nBcc: x@example.org",ann@example.org,VCFS,Chair\nBob,bob@example.org,VCFS,"Tea\x07"\n'
    report = services.import_members(data, "x.csv", CONFIRMED, "x")
    assert [(line, column) for line, column, _ in report.problems] == [(2, "name"), (4, "job_title")]
    assert db.session.scalar(db.select(Member)) is None


def test_import_rejects_a_file_without_the_needed_columns(app):
    report = services.import_members(b"full name,mail\nA,b@example.org\n", "x.csv", CONFIRMED, "x")
    assert report.problems[0][1] == "header" and "email" in report.problems[0][2]


# --- Who sees what ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,expected", [("group_editor", 403), ("performance_officer", 403), ("strategy_officer", 200), ("admin", 200)]
)
def test_only_strategy_officers_and_admins_manage_members(client, signed_in_as, role, expected):
    signed_in_as(role)
    member = make_member(email="hidden@example.org")
    for url in ("/ctn/manage", "/ctn/manage/members", f"/ctn/manage/members/{member.id}", "/ctn/manage/meetings"):
        assert client.get(url).status_code == expected, url


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/ctn/manage/members")
    assert response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]


def test_member_emails_never_appear_on_public_pages(client, app, organisation, outbox):
    from app.ctn.demo import load_demo

    load_demo()
    member = make_member(email="secret.person@example.org", name="Secret Person")
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.published.is_(True)))
    meeting.registration_open, meeting.status = True, "scheduled"
    meeting.starts_at, meeting.ends_at = utcnow() + timedelta(days=3), utcnow() + timedelta(days=3, hours=2)
    db.session.commit()
    services.register_for_meeting(meeting.id, "Secret Person", "secret.person@example.org")
    emails = [m.email for m in db.session.scalars(db.select(Member))] + [member.email]
    for url in (
        "/ctn/",
        "/ctn/meetings",
        f"/ctn/meetings/{meeting.id}",
        "/ctn/meetings.ics",
        f"/ctn/meetings/{meeting.id}.ics",
    ):
        body = client.get(url).get_data(as_text=True).lower()
        assert not [email for email in emails if email.lower() in body], url
        assert "secret person" not in body


def test_an_import_with_bad_rows_lists_them_in_the_error_summary_linked_to_the_table(client, signed_in_as):
    signed_in_as("strategy_officer")
    rows = "".join(f"Person {n},not-an-address-{n},VCFS\n" for n in range(12))
    data = {
        "file": (io.BytesIO(f"name,email,sector\n{rows}".encode()), "list.csv"),
        "status": "confirmed",
        "consent_wording": "Paper list",
    }
    page = parse(post_form(client, "/ctn/manage/members/import", data, content_type="multipart/form-data"))
    links = page.select(".govuk-error-summary__list a")
    assert len(links) == 10 and links[0].get_text().startswith("Line 2, email")
    assert all(page.select_one(link["href"]) is not None for link in links)  # each opens its row in the table
    assert "And 2 more in the table below." in page_text(page)
