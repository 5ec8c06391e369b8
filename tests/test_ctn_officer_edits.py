"""Issue 15 item 6: strategy officers correct one CTN member's details (never their consent record or address)
and keep the Steering Group's seats (002_6240a75a79bed02c.txt section 2.4.1) on the web."""

from app.ctn import services
from app.ctn.demo import load_demo
from app.ctn.models import Consent, Member, SteeringSeat
from app.extensions import db

from .conftest import post_form
from .html import banners, error_messages, form_data, page_text, parse


def _member():
    member = Member(
        name="Alex Example",
        email="alex@example.org",
        email_key="alex@example.org",
        sector="vcfs",
        status="confirmed",
        job_title="Coordinator",
    )
    member.interests = ["funding"]
    member.consents = [Consent(action="given", source="web", wording="I agree")]
    db.session.add(member)
    db.session.commit()
    return member


def _edit(**overrides):
    data = {
        "name": "Alex Q. Example",
        "organisation_id": "0",
        "organisation_name": "Barnet Together",
        "job_title": "Director",
        "sector": "faith",
        "ward_code": "",
        "interests": ["volunteering", "events"],
    }
    data.update(overrides)
    return data


def test_an_officer_corrects_a_member_but_not_their_consent_or_address(client, signed_in_as, wards):
    member = _member()
    consents_before = [(c.action, c.source, c.wording, c.recorded_at) for c in member.consents]
    signed_in_as("strategy_officer")
    url = f"/ctn/manage/members/{member.id}/edit"
    page = parse(client.get(url))
    assert form_data(page)["name"] == "Alex Example" and "cannot be changed here" in page_text(page)
    response = post_form(
        client, url, {**_edit(), "email": "hijack@example.org", "status": "unsubscribed"}, follow_redirects=True
    )
    [saved] = banners(parse(response))
    assert "Alex Q. Example's details are saved" in saved
    assert "changed: name, sector, organisation, job title, interests" in saved
    db.session.refresh(member)
    assert (member.name, member.sector, member.organisation_name, member.job_title) == (
        "Alex Q. Example",
        "faith",
        "Barnet Together",
        "Director",
    )
    assert sorted(member.interests) == ["events", "volunteering"]
    assert member.email == "alex@example.org" and member.status == "confirmed"
    assert [(c.action, c.source, c.wording, c.recorded_at) for c in member.consents] == consents_before
    # Saving again without a change says so.
    response = post_form(client, url, _edit(), follow_redirects=True)
    assert any("Nothing was changed" in message for message in banners(parse(response)))


def test_member_edit_errors_are_on_the_page(client, signed_in_as, wards):
    member = _member()
    signed_in_as("strategy_officer")
    url = f"/ctn/manage/members/{member.id}/edit"
    response = post_form(client, url, _edit(name="", sector="", organisation_id="999999", job_title="x" * 121))
    messages = error_messages(parse(response))
    assert response.status_code == 200
    for message in (
        "Enter the member's full name",
        "Select the member's sector",
        "Job title must be 120 characters or fewer",
    ):
        assert message in messages
    db.session.refresh(member)
    assert member.name == "Alex Example"


def test_only_strategy_officers_edit_members_and_seats(client, signed_in_as):
    member = _member()
    signed_in_as("performance_officer")
    assert client.get(f"/ctn/manage/members/{member.id}/edit").status_code == 403
    assert client.get("/ctn/manage/steering-group").status_code == 403


def test_officers_keep_the_steering_group_seats(app, client, signed_in_as, organisation, wards):
    load_demo()
    member = _member()
    signed_in_as("strategy_officer")
    page = page_text(parse(client.get("/ctn/manage/steering-group")))
    seats = services.steering_seats()
    assert len(seats) == 7 and all(seat.title in page for seat in seats)
    # Add a seat.
    response = post_form(
        client,
        "/ctn/manage/steering-group",
        {"title": "Barnet Youth Board", "role": "core_member", "organisation_id": "0", "member_id": str(member.id)},
        follow_redirects=True,
    )
    assert "Seat added: Barnet Youth Board" in banners(parse(response))
    seat = db.session.scalar(db.select(SteeringSeat).where(SteeringSeat.title == "Barnet Youth Board"))
    assert seat.member_id == member.id and services.steering_seats()[-1] is seat
    seat_id = seat.id
    # Only one chair.
    response = post_form(
        client,
        f"/ctn/manage/steering-group/{seat.id}/edit",
        {"title": "Barnet Youth Board", "role": "chair", "organisation_id": "0", "member_id": "0"},
    )
    assert "already has a chair" in " ".join(error_messages(parse(response))) and response.status_code == 200
    db.session.refresh(seat)
    assert seat.role == "core_member"
    # Blank title and no role: messages, not a 500.
    response = post_form(
        client, f"/ctn/manage/steering-group/{seat.id}/edit", {"title": "", "organisation_id": "0", "member_id": "0"}
    )
    messages = error_messages(parse(response))
    assert "Enter the body or office that holds the seat" in messages and "Select the seat's role" in messages
    # Move it up, then remove it; the public page follows.
    post_form(client, f"/ctn/manage/steering-group/{seat.id}/move/up", {}, form_url="/ctn/manage/steering-group")
    assert services.steering_seats()[-2] is seat
    public = page_text(parse(client.get("/ctn/")))
    assert "Barnet Youth Board" in public and "Alex Example" not in public
    response = post_form(
        client,
        f"/ctn/manage/steering-group/{seat.id}/remove",
        {},
        form_url="/ctn/manage/steering-group",
        follow_redirects=True,
    )
    assert "Seat removed: Barnet Youth Board" in banners(parse(response))
    db.session.expire_all()
    assert db.session.get(SteeringSeat, seat_id) is None
