"""The shared organisation chooser (issue 16): no page lists the whole directory. People type their
organisation's name; suggestions come from a small JSON endpoint of the directory (published listings
only); without JavaScript the name is matched when the form is sent, and a name that matches several
listings brings the page back with them as radios and "My organisation is not listed"."""

import pytest

from app import datacache
from app.assets.models import CommunityAsset
from app.auth.models import User
from app.ctn.models import Member, SteeringSeat
from app.directory import services as directory_services
from app.extensions import db

from .conftest import post_form
from .factories.ctn import make_member
from .factories.directory import make_listing
from .html import error_messages, field_error, form_data, page_text, parse
from .statement_count import count_statements
from .test_assets_register import asset_data
from .test_ctn_membership import join
from .test_statement_counts import directory_of  # noqa: F401 (a fixture)


@pytest.fixture
def listings(app):
    names = [
        "Barnet Community Food Bank",
        "Barnet Community Centre",
        "Friends of Montrose Park",
        "Colindale Communities Trust",
        "Hendon Youth Club",
    ]
    found = {name: make_listing(name) for name in names}
    found["hidden"] = make_listing("Barnet Community Secret Shelter", published=False)
    found["closed"] = make_listing("Barnet Community Closed Club", status="inactive")
    return found


def suggestions(client, typed):
    response = client.get("/directory/organisation-names.json", query_string={"q": typed})
    assert response.status_code == 200 and response.mimetype == "application/json"
    return [item["name"] for item in response.get_json()]


def the_member():
    return db.session.scalar(db.select(Member))


# --- Suggestions -----------------------------------------------------------------------------------------


def test_suggestions_match_every_word_and_an_unfinished_last_word(client, listings):
    assert suggestions(client, "barnet communit") == ["Barnet Community Centre", "Barnet Community Food Bank"]
    assert suggestions(client, "montr") == ["Friends of Montrose Park"]
    assert suggestions(client, "barn comm") == ["Barnet Community Centre", "Barnet Community Food Bank"]
    # Any case; words match as the directory search stems them ("communities" finds "community").
    assert set(suggestions(client, "COMMUNITIES")) == {
        "Barnet Community Centre",
        "Barnet Community Food Bank",
        "Colindale Communities Trust",
    }
    # Names starting with what is typed come first.
    make_listing("Community Larder of Barnet")
    assert suggestions(client, "community")[0] == "Community Larder of Barnet"
    assert suggestions(client, "park friends") == ["Friends of Montrose Park"]
    assert suggestions(client, "nothing like it") == [] and suggestions(client, "") == []


def test_suggestions_never_show_a_hidden_listing_and_are_at_most_ten(client, listings):
    assert "Barnet Community Secret Shelter" not in suggestions(client, "barnet community")
    assert "Barnet Community Closed Club" not in suggestions(client, "barnet community")
    for n in range(12):
        make_listing(f"Mill Hill Group {n}")
    assert len(suggestions(client, "mill hill")) == 10


def test_suggestions_follow_an_approved_change_at_once(app, client, listings):
    app.config["DATA_CACHE_SECONDS"], before = 300, app.config["DATA_CACHE_SECONDS"]
    try:
        assert suggestions(client, "hendon youth") == ["Hendon Youth Club"]
        organisation = listings["Hendon Youth Club"]
        data = directory_services.snapshot(organisation)
        data["organisation"]["name"] = "Hendon Young People's Club"
        directory_services.publish(organisation, data, None)
        db.session.commit()
        assert suggestions(client, "hendon youth") == []
        assert suggestions(client, "hendon young") == ["Hendon Young People's Club"]
    finally:
        app.config["DATA_CACHE_SECONDS"] = before
        datacache.forget()


@pytest.mark.parametrize(
    "typed",
    ['"', '" OR "', "NEAR(a b)", "{search_name}: x", "a*", "^barnet", "'); DROP TABLE x; --", "é" * 500, "\x00", "_ _"],
)
def test_odd_input_to_the_suggestions_is_never_an_error(client, listings, typed):
    assert isinstance(suggestions(client, typed), list)


def test_suggestions_are_rate_limited(app, client, listings, monkeypatch):
    monkeypatch.setitem(app.config, "SUGGESTIONS_RATE_LIMIT", "3 per minute")
    for _ in range(3):
        assert client.get("/directory/organisation-names.json?q=barnet").status_code == 200
    assert client.get("/directory/organisation-names.json?q=barnet").status_code == 429


# --- Joining without JavaScript ----------------------------------------------------------------------------


def test_join_page_has_a_name_box_not_a_list_of_the_directory(client, listings):
    page = parse(client.get("/ctn/join"))
    assert page.select_one("select#organisation_id") is None
    box = page.select_one("input#organisation_name")
    assert box is not None and box["type"] == "text"
    assert page.select_one("[data-organisation-chooser]")["data-organisation-chooser"] == (
        "/directory/organisation-names.json"
    )
    assert "Friends of Montrose Park" not in str(page)


def test_joining_with_a_picked_suggestion_links_the_listing(client, outbox, listings):
    chosen = listings["Barnet Community Centre"]
    response = join(client, organisation_name="Barnet Community Centre", organisation_id=str(chosen.id))
    assert response.status_code == 302
    member = the_member()
    assert member.organisation_id == chosen.id and member.organisation_name == ""


def test_joining_with_a_typed_name_that_matches_one_listing(client, outbox, listings):
    response = join(client, organisation_name="  friends of MONTROSE park ")
    assert response.status_code == 302
    assert the_member().organisation_id == listings["Friends of Montrose Park"].id


def test_a_name_matching_several_listings_asks_which_and_keeps_the_other_answers(client, outbox, listings):
    page = parse(join(client, organisation_name="Barnet Community"))
    assert the_member() is None
    assert error_messages(page) == ["Select the organisation you mean, or select ‘My organisation is not listed’"]
    radios = {radio["value"]: radio for radio in page.select("input[name=organisation_choice]")}
    labels = [page.select_one(f"label[for={radio['id']}]").get_text(strip=True) for radio in radios.values()]
    assert labels == [
        "Barnet Community Centre",
        "Barnet Community Food Bank",
        "My organisation is not listed",
    ]
    legends = [legend.get_text(strip=True) for legend in page.select("legend")]
    assert "Which organisation do you mean?" in legends
    sent = form_data(page)
    assert sent["name"] == "Ada Example" and sent["email"] == "Ada.Example@Example.org"
    assert sent["sector"] == ["vcfs"] and sorted(sent["interests"]) == ["funding", "mental_health"]
    assert sent["organisation_name"] == "Barnet Community"

    chosen = listings["Barnet Community Food Bank"]
    response = post_form(client, "/ctn/join", {**sent, "organisation_choice": str(chosen.id), "consent": "y"})
    assert response.status_code == 302
    assert the_member().organisation_id == chosen.id


def test_not_listed_keeps_the_typed_name(client, outbox, listings):
    page = parse(join(client, organisation_name="Barnet Community"))
    sent = {**form_data(page), "organisation_choice": "not-listed", "consent": "y"}
    assert post_form(client, "/ctn/join", sent).status_code == 302
    member = the_member()
    assert member.organisation_id is None and member.organisation_name == "Barnet Community"


def test_a_name_matching_no_listing_is_kept_as_typed(client, outbox, listings):
    assert join(client, organisation_name="Mill Hill Allotment Society").status_code == 302
    member = the_member()
    assert member.organisation_id is None and member.organisation_name == "Mill Hill Allotment Society"


def test_sending_the_question_back_unanswered_asks_again(client, listings):
    page = parse(join(client, organisation_name="Barnet Community"))
    again = parse(post_form(client, "/ctn/join", {**form_data(page), "consent": "y"}))
    assert "Select the organisation you mean" in field_error(again, "organisation_choice")
    assert the_member() is None


def test_a_hidden_listing_is_never_linked_even_by_its_id(client, outbox, listings):
    hidden = listings["hidden"]
    response = join(client, organisation_name=hidden.name, organisation_id=str(hidden.id))
    assert response.status_code == 302
    member = the_member()
    assert member.organisation_id is None and member.organisation_name == hidden.name


def test_an_id_whose_listing_has_another_name_is_not_used(client, outbox, listings):
    """A suggestion was picked, then the name was changed: the name decides."""
    picked = listings["Hendon Youth Club"]
    response = join(client, organisation_name="Mill Hill Allotment Society", organisation_id=str(picked.id))
    assert response.status_code == 302
    member = the_member()
    assert member.organisation_id is None and member.organisation_name == "Mill Hill Allotment Society"


def test_the_choice_is_kept_when_another_answer_sends_the_page_back(client, listings):
    page = parse(join(client, organisation_name="Barnet Community"))
    chosen = listings["Barnet Community Centre"]
    again = parse(
        post_form(client, "/ctn/join", {**form_data(page), "organisation_choice": str(chosen.id), "consent": ""})
    )
    assert error_messages(again) == ["Confirm that you agree to join so that we can email you"]
    sent = form_data(again)
    assert sent["organisation_name"] == "Barnet Community Centre" and sent["organisation_id"] == str(chosen.id)


# --- Preferences and officers' forms ----------------------------------------------------------------------


def test_preferences_show_the_listing_and_clearing_the_name_unlinks_it(client, listings):
    member = make_member(email="pat@example.org")
    member.organisation_id = listings["Hendon Youth Club"].id
    db.session.commit()
    url = f"/ctn/preferences/{member.preferences_token}"
    sent = form_data(parse(client.get(url)))
    assert sent["organisation_name"] == "Hendon Youth Club"
    assert post_form(client, url, sent).status_code == 302
    assert db.session.get(Member, member.id).organisation_id == listings["Hendon Youth Club"].id
    assert post_form(client, url, {**sent, "organisation_name": ""}).status_code == 302
    member = db.session.get(Member, member.id)
    assert member.organisation_id is None and member.organisation_name == ""


def test_an_officer_links_a_member_by_typing_the_name(client, signed_in_as, listings):
    member = make_member(email="pat@example.org")
    signed_in_as("strategy_officer")
    url = f"/ctn/manage/members/{member.id}/edit"
    sent = form_data(parse(client.get(url)))
    page = parse(post_form(client, url, {**sent, "organisation_name": "community"}))
    assert "The organisation is not listed" in page_text(page)
    chosen = listings["Colindale Communities Trust"]
    post_form(client, url, {**form_data(page), "organisation_choice": str(chosen.id)})
    assert db.session.get(Member, member.id).organisation_id == chosen.id


def test_a_seat_refuses_a_name_no_listing_has(client, signed_in_as, listings):
    signed_in_as("strategy_officer")
    url = "/ctn/manage/steering-group"
    data = {"title": "Youth seat", "role": "core_member", "member_id": "0"}
    page = parse(post_form(client, url, {**data, "organisation_name": "Nowhere Society"}))
    assert "No listing in the community directory is called ‘Nowhere Society’" in field_error(page, "organisation_name")
    assert db.session.scalar(db.select(SteeringSeat).where(SteeringSeat.title == "Youth seat")) is None
    post_form(client, url, {**data, "organisation_name": "Hendon Youth Club"})
    seat = db.session.scalar(db.select(SteeringSeat).where(SteeringSeat.title == "Youth seat"))
    assert seat.organisation_id == listings["Hendon Youth Club"].id


# --- Work that does not grow with the directory ----------------------------------------------------------


def _join_page(client):
    client.get("/ctn/join")
    datacache.forget()
    with count_statements() as counted:
        response = client.get("/ctn/join")
    assert response.status_code == 200
    return len(response.get_data()), counted.total


def _suggestion_statements(client, typed):
    client.get("/directory/organisation-names.json", query_string={"q": typed})
    datacache.forget()
    with count_statements() as counted:
        found = suggestions(client, typed)
    return len(found), counted.total


def test_the_join_page_and_suggestions_cost_the_same_for_200_organisations_as_for_20(client, directory_of):  # noqa: F811
    directory_of(20)
    small_bytes, small_statements = _join_page(client)
    small_suggestions = _suggestion_statements(client, "group 1")
    directory_of(200)
    large_bytes, large_statements = _join_page(client)
    large_suggestions = _suggestion_statements(client, "group 1")
    # The CSRF token and the CSP nonce are random but of fixed length: the page is the same size.
    assert large_bytes == small_bytes
    assert large_statements == small_statements
    assert large_suggestions[1] == small_suggestions[1] and large_suggestions[0] == 10


def test_the_covenant_pledge_names_a_listing_and_a_renewal_link_fills_it_in(client, listings):
    forum = make_listing("Barnet Multi Faith Forum")
    sent = form_data(parse(client.get(f"/covenant/sign?organisation={forum.id}")))
    assert (sent["organisation_name"], sent["organisation_id"]) == ("Barnet Multi Faith Forum", str(forum.id))
    hidden = listings["hidden"]
    sent = form_data(parse(client.get(f"/covenant/sign?organisation={hidden.id}")))
    assert (sent["organisation_name"], sent["organisation_id"]) == ("", "")
    page = parse(post_form(client, "/covenant/sign", {"organisation_name": "St Nowhere's Chapel"}))
    assert field_error(page, "organisation_name") == (
        "No listing in the community directory is called ‘St Nowhere's Chapel’: check the name, or ask the "
        "Strategy Team to add your organisation to the community directory first"
    )
    page = parse(post_form(client, "/covenant/sign", {"organisation_name": "barnet community"}))
    assert "My organisation is not listed" in page_text(page)


def test_an_officer_names_the_organisation_that_runs_an_asset(client, signed_in_as, listings):
    signed_in_as("strategy_officer")
    data = {**asset_data(postcode=""), "organisation_name": "Nowhere Society"}
    page = parse(post_form(client, "/assets-register/new", data))
    assert "No listing in the community directory is called ‘Nowhere Society’" in field_error(page, "organisation_name")
    page = parse(post_form(client, "/assets-register/new", {**data, "organisation_name": "hendon youth"}))
    assert "None of these" in page_text(page)
    chosen = listings["Hendon Youth Club"]
    response = post_form(client, "/assets-register/new", {**form_data(page), "organisation_choice": str(chosen.id)})
    assert response.status_code == 302
    asset = db.session.scalar(db.select(CommunityAsset))
    assert asset.organisation_id == chosen.id
    sent = form_data(parse(client.get(f"/assets-register/{asset.id}/edit")))
    assert (sent["organisation_name"], sent["organisation_id"]) == ("Hendon Youth Club", str(chosen.id))


def test_an_officer_invites_a_group_editor_by_typing_the_organisation(client, signed_in_as, listings, outbox):
    signed_in_as("strategy_officer")
    page = parse(client.get("/people/invite"))
    assert page.select("input[name=organisations]") == []  # no box per organisation in the directory
    data = {"name": "Asha Patel", "email": "asha@example.org", "role": "group_editor"}
    response = post_form(client, "/people/invite", {**data, "organisation_name": "Friends of Montrose Park"})
    assert response.status_code == 302
    invited = User.by_email("asha@example.org")
    assert [org.name for org in invited.organisations] == ["Friends of Montrose Park"]


def test_a_person_page_lists_only_their_organisations_and_adds_one_by_name(client, signed_in_as, make_user, listings):
    signed_in_as("admin")
    editor = make_user("group_editor", organisations=[listings["Hendon Youth Club"]])
    url = f"/people/{editor.id}"
    page = parse(client.get(url))
    assert [box["value"] for box in page.select("input[name=organisations]")] == [str(listings["Hendon Youth Club"].id)]
    sent = {**form_data(page), "organisation_name": "colindale communities trust"}
    assert post_form(client, url, sent).status_code == 302
    db.session.refresh(editor)
    assert sorted(org.name for org in editor.organisations) == ["Colindale Communities Trust", "Hendon Youth Club"]


# --- Officers' forms: listings that are not published -----------------------------------------------------


def hidden_suggestions(client, typed):
    response = client.get("/directory/organisation-names.json", query_string={"q": typed, "hidden": "1"})
    return {item["name"]: item["label"] for item in response.get_json()}


@pytest.mark.parametrize("role", [None, "performance_officer", "group_editor"])
def test_hidden_listings_are_suggested_to_nobody_but_listing_moderators(client, signed_in_as, listings, role):
    if role:
        signed_in_as(role)
    assert "Barnet Community Secret Shelter" not in hidden_suggestions(client, "barnet community")


def test_officers_may_ask_for_hidden_listings_and_see_them_labelled(client, signed_in_as, listings):
    signed_in_as("strategy_officer")
    found = hidden_suggestions(client, "barnet community")
    assert found["Barnet Community Secret Shelter"] == "Barnet Community Secret Shelter (not published)"
    assert found["Barnet Community Closed Club"] == "Barnet Community Closed Club (not published)"
    assert found["Barnet Community Centre"] == "Barnet Community Centre"
    # Without hidden=1 (the public's forms) an officer sees what the public sees.
    assert "Barnet Community Secret Shelter" not in suggestions(client, "barnet community")


def test_an_officer_links_an_asset_to_a_listing_not_yet_published_and_keeps_it_on_saving(
    client, signed_in_as, listings
):
    signed_in_as("strategy_officer")
    page = parse(client.get("/assets-register/new"))
    assert "hidden=1" in page.select_one("[data-organisation-chooser]")["data-organisation-chooser"]
    hidden = listings["hidden"]
    data = {**asset_data(postcode=""), "organisation_name": "Barnet Community Secret Shelter"}
    assert post_form(client, "/assets-register/new", data).status_code == 302
    asset = db.session.scalar(db.select(CommunityAsset))
    assert asset.organisation_id == hidden.id
    # Saved again unchanged, the asset keeps its link (it used to be refused: "No listing ... is called").
    url = f"/assets-register/{asset.id}/edit"
    sent = form_data(parse(client.get(url)))
    assert (sent["organisation_name"], sent["organisation_id"]) == ("Barnet Community Secret Shelter", str(hidden.id))
    assert post_form(client, url, sent).status_code == 302
    db.session.refresh(asset)
    assert asset.organisation_id == hidden.id
    # Several matches: the radios say which listing the public cannot see.
    page = parse(post_form(client, "/assets-register/new", {**data, "organisation_name": "barnet community"}))
    labels = [
        label.get_text(" ", strip=True) for label in page.select("#organisation_choice label, .govuk-radios label")
    ]
    assert "Barnet Community Secret Shelter (not published)" in labels
    assert "Barnet Community Centre" in labels


def test_an_officer_invites_the_editor_of_a_new_group_whose_listing_awaits_moderation(
    client, signed_in_as, listings, outbox
):
    signed_in_as("strategy_officer")
    data = {"name": "Sam Okafor", "email": "sam@example.org", "role": "group_editor"}
    response = post_form(client, "/people/invite", {**data, "organisation_name": "Barnet Community Secret Shelter"})
    assert response.status_code == 302
    assert [org.name for org in User.by_email("sam@example.org").organisations] == ["Barnet Community Secret Shelter"]


def test_public_forms_still_never_link_a_hidden_listing(client, outbox, listings):
    page = parse(post_form(client, "/covenant/sign", {"organisation_name": "Barnet Community Secret Shelter"}))
    assert "Barnet Community Secret Shelter (not published)" not in page_text(page)
