"""The listing editor and registration as a task list (issue 15 item 2): drafts kept between pages and
people, any number of services and locations, several opening times a day and holiday closures."""

import json
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest

from app.directory import cards, drafts, services
from app.directory import search as directory_search
from app.directory.models import Closure, ListingChange, ListingDraft, Organisation
from app.extensions import db

from .conftest import post_form, sign_in
from .factories.directory import add_postcodes, make_listing
from .html import error_messages, parse, text
from .listing_editor import edit, register, send_edit, start_registration


@pytest.fixture
def food_bank(app, wards, taxonomies):
    add_postcodes()
    return make_listing(
        "Colindale Food Bank",
        description="Free food parcels",
        categories=["Food"],
        postcode="NW9 4EW",
        hours=[{"weekday": 2, "opens_at": "10:00", "closes_at": "14:00"}],
    )


@pytest.fixture
def editor(make_user, food_bank):
    return make_user("group_editor", email="editor@foodbank.example", organisations=[food_bank])


def statuses(response):
    page = parse(response)
    return {
        text(item.select_one(".govuk-task-list__name-and-hint a, .govuk-task-list__name-and-hint div")): text(
            item.select_one(".govuk-task-list__status")
        )
        for item in page.select(".govuk-task-list__item")
    }


def test_the_task_list_shows_each_tasks_status(client, editor, food_bank):
    sign_in(client, editor.email)
    tasks = statuses(client.get(f"/directory/{food_bank.slug}/edit"))
    assert tasks == {
        "About the group": "Completed",
        "Contact details": "Not started",
        "Services and opening hours": "Completed",
        "Locations": "Completed",
        "Check your answers and send": "Not started",
    }
    edit(client, food_bank.slug, "contact", {"phone": "020 8359 2000"})
    page = client.get(f"/directory/{food_bank.slug}/edit")
    assert statuses(page)["Contact details"] == "Completed"
    hints = {
        text(item.select_one("a")): text(item.select_one(".govuk-task-list__hint"))
        for item in parse(page).select(".govuk-task-list__item")
        if item.select_one("a") and item.select_one(".govuk-task-list__hint")
    }
    assert hints["Contact details"] == "Changed."


def test_a_registration_cannot_be_sent_until_its_tasks_are_done(app, client, wards, taxonomies):
    start_registration(client)
    tasks = statuses(client.get("/directory/register/tasks"))
    assert tasks["Your details"] == "Not started" and tasks["About the group"] == "Not started"
    assert tasks["Check your answers and send for approval"] == "Cannot start yet"
    response = register(client, "check")
    assert response.status_code == 200
    errors = error_messages(parse(response))
    assert "Complete “Your details” before you send" in errors
    assert "Complete “Services and opening hours” before you send" in errors
    assert db.session.scalar(db.select(db.func.count(ListingChange.id))) == 0


def test_a_draft_is_kept_across_pages_and_signing_out_and_is_not_public(app, client, editor, food_bank):
    sign_in(client, editor.email)
    edit(client, food_bank.slug, "about", {"description": "Food parcels and a hot lunch"})
    client.post("/sign-out", data={})  # whatever signing out does, the draft is on the server
    client = app.test_client()
    sign_in(client, editor.email)
    page = parse(client.get(f"/directory/{food_bank.slug}/edit/about"))
    assert text(page.select_one("textarea[name=description]")) == "Food parcels and a hot lunch"
    assert "hot lunch" not in client.get(f"/directory/{food_bank.slug}").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ListingChange.id))) == 0  # not sent to moderation yet
    mine = parse(client.get("/directory/mine"))
    assert "Your unsent changes" in text(mine.main) and "Carry on" in text(mine.main)


def test_another_persons_draft_is_never_shown(app, client, editor, food_bank, make_user, wards):
    colleague = make_user("group_editor", email="colleague@foodbank.example", organisations=[food_bank])
    sign_in(client, editor.email)
    edit(client, food_bank.slug, "about", {"description": "My unsent words"})
    other = app.test_client()
    sign_in(other, colleague.email)
    assert "My unsent words" not in other.get(f"/directory/{food_bank.slug}/edit/about").get_data(as_text=True)
    officer = app.test_client()
    sign_in(officer, make_user("strategy_officer").email)
    assert "My unsent words" not in officer.get(f"/directory/{food_bank.slug}/edit/about").get_data(as_text=True)
    # An anonymous registration belongs to the session that started it.
    anonymous = app.test_client()
    start_registration(anonymous)
    register(anonymous, "about", {"name": "Secret Supper Club", "description": "Suppers", "kind": "vcfs"})
    stranger = app.test_client()
    response = stranger.get("/directory/register/about")
    assert response.status_code == 302 and response.headers["Location"].endswith("/directory/register")
    assert stranger.get("/directory/register/services/1").status_code == 404
    assert "Secret Supper Club" not in stranger.get("/directory/register", follow_redirects=True).get_data(as_text=True)
    draft = db.session.scalar(db.select(ListingDraft).where(ListingDraft.owner_id.is_(None)))
    assert draft.token_hash and len(draft.token_hash) == 64  # only a digest of the session's token is stored


def test_a_group_adds_a_service_with_two_times_a_day_a_closure_and_a_place(app, client, editor, food_bank, make_user):
    sign_in(client, editor.email)
    response = edit(
        client,
        food_bank.slug,
        "locations/new",
        {"name": "St Mary's Hall", "address_1": "1 Church Lane", "postcode": "NW4 4BG"},
    )
    assert response.status_code == 302
    response = edit(
        client,
        food_bank.slug,
        "services/new",
        {"name": "Advice drop-in", "description": "Help with benefits and debt", "locations": ["1"]},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit/services/2/hours")
    response = edit(
        client,
        food_bank.slug,
        "services/2/hours",
        {"d0_0_opens": "09:00", "d0_0_closes": "12:00", "more": "Save and add more times or closures"},
    )
    assert response.headers["Location"].endswith("/edit/services/2/hours#hours-heading")
    page = parse(client.get(f"/directory/{food_bank.slug}/edit/services/2/hours"))
    assert page.select_one("input[name=d0_1_opens]") is not None  # a second, empty row for Monday
    edit(
        client,
        food_bank.slug,
        "services/2/hours",
        {
            "d0_1_opens": "13:00",
            "d0_1_closes": "17:00",
            "closure_0_starts": ["24", "12", "2026"],
            "closure_0_ends": ["2", "1", "2027"],
            "closure_0_note": "Christmas and New Year",
        },
    )
    check = client.get(f"/directory/{food_bank.slug}/edit/check").get_data(as_text=True)
    assert "Monday: 09:00 to 12:00 and 13:00 to 17:00" in check
    assert "Closed 24 December 2026 to 2 January 2027: Christmas and New Year" in check
    assert send_edit(client, food_bank.slug, "New advice sessions").status_code == 302
    assert db.session.scalar(db.select(ListingDraft)) is None  # sent: the draft is gone

    officer = app.test_client()
    sign_in(officer, make_user("strategy_officer").email)
    change = db.session.scalar(db.select(ListingChange).where(ListingChange.status == "pending"))
    assert change.message == "New advice sessions"
    post_form(officer, f"/directory/moderation/{change.id}", {"decision": "approve"})
    db.session.expire_all()
    org = db.session.get(Organisation, food_bank.id)
    assert [s.name for s in org.services] == ["Colindale Food Bank service", "Advice drop-in"]
    advice = org.services[1]
    assert [(s.weekday, f"{s.opens_at:%H:%M}", f"{s.closes_at:%H:%M}") for s in advice.schedules] == [
        (0, "09:00", "12:00"),
        (0, "13:00", "17:00"),
    ]
    assert [loc.postcode for loc in org.locations] == ["NW9 4EW", "NW4 4BG"]
    assert [sal.location.postcode for sal in advice.service_at_locations] == ["NW4 4BG"]
    assert [(c.starts_on, c.ends_on, c.note) for c in advice.closures] == [
        (date(2026, 12, 24), date(2027, 1, 2), "Christmas and New Year")
    ]
    listing = client.get(f"/directory/{food_bank.slug}").get_data(as_text=True)
    assert "Advice drop-in" in listing and "St Mary&#39;s Hall" in listing
    assert "Monday 09:00 to 12:00 and 13:00 to 17:00" in listing


def test_opening_hours_and_closures_answer_bad_input_clearly(client, editor, food_bank):
    sign_in(client, editor.email)
    response = edit(
        client,
        food_bank.slug,
        "services/1/hours",
        {
            "d0_0_opens": "09:00",
            "d0_0_closes": "12:00",
            "d0_1_opens": "11:00",
            "d0_1_closes": "13:00",
            "closure_0_starts": ["2", "1", "2027"],
            "closure_0_ends": ["24", "12", "2026"],
        },
    )
    errors = error_messages(parse(response))
    assert response.status_code == 200
    assert "The times on Monday overlap: give each time once" in errors
    assert "The last day of closure 1 must be the same as or after its first day" in errors
    response = edit(
        client,
        food_bank.slug,
        "services/1/hours",
        {"closure_0_note": "Summer", "closure_0_starts": ["31", "2", "2026"]},
    )
    assert "Closure 1: first day closed must be a real date" in " | ".join(error_messages(parse(response)))
    response = edit(client, food_bank.slug, "services/1/hours", {"closure_0_note": "Summer"})
    assert "Enter the first day of closure 1" in error_messages(parse(response))
    # Error summary links go to the field.
    link = parse(response).select_one(".govuk-error-summary a")
    assert link["href"] == "#closure_0_starts-day"


def test_removing_a_place_keeps_the_services_links_right(client, editor, food_bank):
    sign_in(client, editor.email)
    edit(client, food_bank.slug, "locations/new", {"address_1": "1 Church Lane", "postcode": "NW4 4BG"})
    edit(client, food_bank.slug, "services/1", {"locations": ["0", "1"]})
    response = post_form(client, f"/directory/{food_bank.slug}/edit/locations/1/remove", {})
    assert response.status_code == 302
    draft = db.session.scalar(db.select(ListingDraft))
    data = json.loads(draft.payload)
    assert [loc["address_1"] for loc in data["locations"]] == ["1 Church Lane"]
    assert data["services"][0]["locations"] == [0]
    response = post_form(client, f"/directory/{food_bank.slug}/edit/services/1/remove", {})
    assert json.loads(db.session.get(ListingDraft, draft.id).payload)["services"] == []
    assert client.get(f"/directory/{food_bank.slug}/edit/services/1").status_code == 404


def test_an_officers_edit_is_published_when_sent(app, client, food_bank, make_user):
    sign_in(client, make_user("strategy_officer").email)
    edit(client, food_bank.slug, "about", {"name": "Colindale Community Food Bank"})
    assert "Publish the changes" in client.get(f"/directory/{food_bank.slug}/edit/check").get_data(as_text=True)
    response = send_edit(client, food_bank.slug)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/directory/{food_bank.slug}")
    db.session.expire_all()
    assert db.session.get(Organisation, food_bank.id).name == "Colindale Community Food Bank"
    assert db.session.scalar(db.select(ListingDraft)) is None


def test_a_stale_draft_gets_the_conflict_page_and_can_start_again(app, client, editor, food_bank, make_user):
    sign_in(client, editor.email)
    edit(client, food_bank.slug, "about", {"description": "Editor's words"})
    officer = app.test_client()
    sign_in(officer, make_user("strategy_officer").email)
    edit(officer, food_bank.slug, "contact", {"phone": "020 8359 2000"})
    send_edit(officer, food_bank.slug)
    response = send_edit(client, food_bank.slug)
    assert response.status_code == 409
    assert "Someone else changed this listing while you were editing" in text(parse(response).main)
    assert db.session.scalar(db.select(ListingDraft)) is not None  # nothing of theirs thrown away yet
    post_form(client, f"/directory/{food_bank.slug}/edit/discard", {}, form_url=f"/directory/{food_bank.slug}/edit")
    assert db.session.scalar(db.select(ListingDraft)) is None
    assert "020 8359 2000" in client.get(f"/directory/{food_bank.slug}/edit/contact").get_data(as_text=True)


# --- Closures and "open now" ------------------------------------------------------------------------


def _slot(day, opens, closes, service_id=1):
    return SimpleNamespace(weekday=day, opens_at=time(*opens), closes_at=time(*closes), service_id=service_id)


def test_open_now_respects_holiday_closures():
    hours = [_slot(0, (9, 0), (12, 0)), _slot(0, (13, 0), (17, 0)), _slot(2, (10, 0), (14, 0))]
    christmas = [
        SimpleNamespace(service_id=1, starts_on=date(2026, 12, 24), ends_on=date(2027, 1, 2), note="Christmas")
    ]
    # Monday 28 December 2026, 10:00 in London (GMT): open by the week's hours, but closed for Christmas.
    monday = datetime(2026, 12, 28, 10, 0)
    assert cards.opening(hours, monday).open
    closed = cards.opening(hours, monday, christmas)
    assert not closed.open
    assert closed.text == "Closed now (Christmas, closed until 2 January), opens Monday 4 January at 09:00"
    # Another service's closure does not shut this one.
    assert cards.opening(hours, monday, [SimpleNamespace(**{**vars(christmas[0]), "service_id": 2})]).open
    # Monday 4 January 2027 at 12:30: the lunch break between two times.
    assert cards.opening(hours, datetime(2027, 1, 4, 12, 30), christmas).text == "Closed now, opens today at 13:00"


def test_closures_show_on_the_listing_and_stop_open_now(app, client, wards, taxonomies, food_bank):
    service = food_bank.services[0]
    today = date.today()
    service.closures = [Closure(starts_on=today, ends_on=today, note="Staff training")]
    db.session.commit()
    page = client.get(f"/directory/{food_bank.slug}").get_data(as_text=True)
    assert "Holiday closures" in page and "Staff training" in page
    # A snapshot from before closures leaves them as they are; one with the key replaces them.
    data = services.snapshot(food_bank)
    assert data["services"][0]["closures"] == [
        {"starts_on": today.isoformat(), "ends_on": today.isoformat(), "note": "Staff training"}
    ]
    del data["services"][0]["closures"]
    services.write_snapshot(food_bank, data)
    db.session.commit()
    assert len(food_bank.services[0].closures) == 1
    data["services"][0]["closures"] = []
    services.write_snapshot(food_bank, data)
    db.session.commit()
    assert food_bank.services[0].closures == []


def test_open_now_search_leaves_out_services_closed_today(app, wards, taxonomies, monkeypatch):
    add_postcodes()
    every_day = [{"weekday": d, "opens_at": "00:00", "closes_at": "23:59"} for d in range(7)]
    open_one = make_listing("Always Open Cafe", description="Tea", hours=every_day, postcode="NW4 4BG")
    shut = make_listing("Closed Today Cafe", description="Tea", hours=every_day, postcode="NW4 4BG")
    today = directory_search.to_london(directory_search.utcnow()).date()
    shut.services[0].closures = [Closure(starts_on=today, ends_on=today)]
    db.session.commit()
    results = directory_search.search(directory_search.SearchQuery(open_now=True))
    names = [item.organisation.name for item in results.items]
    if datetime.now().time() < time(23, 59):
        assert open_one.name in names
    assert shut.name not in names
    assert directory_search.open_now(shut) is False


def test_abandoned_anonymous_registrations_are_deleted(app, wards, taxonomies):
    draft, token = drafts.start_registration()
    draft.updated_at = datetime(2020, 1, 1)
    db.session.commit()
    drafts.start_registration()
    assert drafts.registration_draft(token=token) is None


def test_the_open_referral_api_says_when_a_service_is_closed(client, food_bank):
    service = food_bank.services[0]
    service.closures = [
        Closure(starts_on=date(2099, 12, 24), ends_on=date(2100, 1, 2), note="Christmas"),
        Closure(starts_on=date(2001, 1, 1), ends_on=date(2001, 1, 1), note="Long ago"),
    ]
    db.session.commit()
    schedules = client.get(f"/api/oruk/v3/services/{service.uuid}").get_json()["schedules"]
    assert [s["description"] for s in schedules] == [
        "Wednesday 10:00 to 14:00 (UK time). Closed 24 December 2099 to 2 January 2100: Christmas."
    ]


def test_registrations_keep_the_public_form_limit(app, client, wards, taxonomies, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_FORM_RATE_LIMIT", "2 per hour")
    monkeypatch.setitem(app.config, "REGISTRATION_DRAFT_RATE_LIMIT", "3 per hour")
    for _ in range(2):
        assert post_form(client, "/directory/register", {}).status_code == 302
    assert post_form(client, "/directory/register", {}).status_code == 429
    for _ in range(3):
        assert register(client, "contact", {"phone": "020 8359 2000"}).status_code == 302
    assert register(client, "contact", {"phone": "020 8359 2000"}).status_code == 429


def test_a_draft_started_in_another_tab_at_the_same_moment_takes_the_answers(app, editor, food_bank):
    from flask_login import login_user

    from app.directory.editor import Journey

    data, _, _ = drafts.edit_starting_point(food_bank, officer=False)
    with app.test_request_context():
        login_user(editor)
        other_tab = drafts.start_edit(food_bank, editor, officer=False)
        db.session.commit()
        data["organisation"]["description"] = "Saved from the second tab"
        Journey("listing_editor", food_bank, False, None, data, {}).save("about")
    drafts_now = db.session.scalars(db.select(ListingDraft)).all()
    assert [d.id for d in drafts_now] == [other_tab.id]
    assert json.loads(drafts_now[0].payload)["organisation"]["description"] == "Saved from the second tab"


HOSTILE = ["x" * 6000, "\x00", "<script>alert(1)</script>", "25:61", "-1", "९९:००", ""]


@pytest.mark.parametrize(
    "page", ["about", "contact", "services/new", "services/1", "services/1/hours", "locations/new"]
)
def test_every_editor_page_answers_hostile_input_without_a_server_error(client, editor, food_bank, page):
    from .html import form_data

    sign_in(client, editor.email)
    url = f"/directory/{food_bank.slug}/edit/{page}"
    fields = form_data(parse(client.get(url)), "main form")
    for name in [n for n in fields if n != "csrf_token"]:
        for payload in HOSTILE:
            data = form_data(parse(client.get(url)), "main form")
            data[name] = payload
            response = client.post(url, data=data)
            assert response.status_code < 500, (name, payload[:20])
    # The extra rows a page did not show, and dates with too many parts.
    data = form_data(parse(client.get(url)), "main form")
    data.update({"d0_9_opens": "09:00", "closure_0_starts": ["1", "2", "3", "4"], "closure_40_note": "x"})
    assert client.post(url, data=data).status_code < 500
