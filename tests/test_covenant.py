"""The faith covenant: commitments, the pledge form, officer approval, public signatories, reminders."""

from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from app.covenant import services
from app.covenant.models import CovenantPledge, CovenantReminder
from app.directory.models import Organisation
from app.extensions import db
from app.places.models import Postcode

from .conftest import post_form, sign_in
from .html import error_messages, heading, list_under, page_text, parse, table_rows, text

# Every test here runs on one fixed day, so its dates never depend on when (or how near midnight) it runs.
TODAY = date(2026, 6, 17)


@pytest.fixture(autouse=True)
def _fixed_day():
    with freeze_time("2026-06-17 12:00:00", tick=True):
        yield


def pledge_data(org, **overrides):
    signed = TODAY - timedelta(days=10)
    data = {
        "organisation_name": org.name,
        "organisation_id": str(org.id),
        "faith": "interfaith",
        "signatory_name": "Priya Shah",
        "signatory_role": "Chair",
        "contact_email": "Priya@Example.org",
        "date_signed": [str(signed.day), str(signed.month), str(signed.year)],
        "commitments": "Open our hall to community groups.",
        "postcode": "nw44bg",
        "agree": "y",
    }
    data.update(overrides)
    return data


@pytest.fixture
def hendon_postcode(wards):
    db.session.add(Postcode(postcode="NW4 4BG", lat=51.5874, lon=-0.2297, ward_code="E05013643"))
    db.session.commit()


def make_pledge(organisation, status="approved", signed=date(2021, 11, 15), faith="jewish", email="a@example.org"):
    pledge = CovenantPledge(
        organisation=organisation,
        faith=faith,
        signatory_name="Name",
        signatory_role="Role",
        contact_email=email,
        date_signed=signed,
        renewal_due=services.renewal_due_for(signed, 3),
        status=status,
    )
    db.session.add(pledge)
    db.session.commit()
    return pledge


def test_the_covenant_page_shows_both_sides_commitments_without_inventing_the_five(client):
    page = page_text(parse(client.get("/covenant/")))
    assert "first London borough to adopt" in page
    assert "Design strategies to involve more faith groups in consultation." in page  # 001:989
    assert "We commit ourselves, as people of many faiths living in Barnet" in page  # 003:670
    assert "The wording of the five commitments is not reproduced here" in page
    assert "this is our summary, not the covenant's wording" in page


def test_a_faith_organisation_pledges_and_an_officer_approves_it(
    client, organisation, hendon_postcode, outbox, make_user
):
    response = post_form(client, "/covenant/sign", pledge_data(organisation))
    assert response.status_code == 302
    page = parse(client.get(response.headers["Location"]))
    assert "Pledge sent" in heading(page) and "priya@example.org" in page_text(page)
    pledge = db.session.scalar(db.select(CovenantPledge))
    assert pledge.status == "pending" and pledge.ward.name == "Hendon" and pledge.postcode == "NW4 4BG"
    assert pledge.renewal_due == services.renewal_due_for(pledge.date_signed, 3)
    assert outbox[-1].to == ["priya@example.org"] and "received your faith covenant pledge" in outbox[-1].subject
    # Not public until approved.
    assert "Priya Shah" not in page_text(parse(client.get("/covenant/signatories")))

    officer = make_user("strategy_officer")
    sign_in(client, officer.email)
    assert "Priya Shah" in page_text(parse(client.get("/covenant/pledges")))
    url = f"/covenant/pledges/{pledge.id}"
    response = post_form(client, url + "/decide", {"decision-decision": "approve"}, form_url=url)
    assert response.status_code == 302
    assert pledge.status == "approved" and pledge.decided_by == officer
    assert "approved" in outbox[-1].subject

    page = client.get("/covenant/signatories").get_data(as_text=True)
    shown = page_text(parse(page))
    assert "Priya Shah, Chair" in shown and organisation.name in shown and "Interfaith or multi-faith" in shown
    assert "priya@example.org" not in page  # e-mail addresses are never public, not even in the markup
    csv = client.get("/covenant/signatories.csv").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("organisation,faith,signatory") and "Priya Shah" in csv


def test_pledge_form_errors_are_clear(client, organisation):
    future = TODAY + timedelta(days=3)
    data = pledge_data(
        organisation,
        organisation_name="",
        faith="other",
        faith_other="",
        signatory_name="",
        agree="",
        date_signed=[str(future.day), str(future.month), str(future.year)],
        postcode="not a postcode",
    )
    page = parse(post_form(client, "/covenant/sign", data))
    assert error_messages(page) == [
        "Enter the name of your organisation",
        "Enter the name of the faith or belief",
        "Enter the name of the person signing",
        "Date signed must be today or in the past",
        "Enter a real postcode, like NW4 4BG",
        "Confirm that you sign up to the covenant",
    ]
    assert text(page.title).startswith("Error:")
    page = parse(post_form(client, "/covenant/sign", pledge_data(organisation, date_signed=["31", "2", "2022"])))
    [message] = error_messages(page)
    assert message.startswith("Date signed must be a real date")
    page = parse(post_form(client, "/covenant/sign", pledge_data(organisation, date_signed=["1", "", "2022"])))
    [message] = error_messages(page)
    assert message.startswith("Date signed must include a month")
    page = parse(post_form(client, "/covenant/sign", pledge_data(organisation, date_signed=["1", "1", "2014"])))
    [message] = error_messages(page)
    assert "28 July 2015" in message
    assert db.session.scalar(db.select(db.func.count(CovenantPledge.id))) == 0


def test_rejecting_needs_a_reason_and_only_officers_decide(client, organisation, signed_in_as, outbox):
    pledge = make_pledge(organisation, status="pending")
    url = f"/covenant/pledges/{pledge.id}"
    signed_in_as("group_editor")
    assert client.get(url).status_code == 403
    assert client.get("/covenant/pledges").status_code == 403


def test_officer_must_explain_a_rejection(client, organisation, signed_in_as, outbox):
    pledge = make_pledge(organisation, status="pending")
    url = f"/covenant/pledges/{pledge.id}"
    signed_in_as("strategy_officer")
    page = parse(post_form(client, url + "/decide", {"decision-decision": "reject"}, form_url=url))
    assert error_messages(page) == ["Enter why the pledge is not approved"] and pledge.status == "pending"
    post_form(
        client, url + "/decide", {"decision-decision": "reject", "decision-note": "Not a faith group"}, form_url=url
    )
    assert pledge.status == "rejected" and "Not a faith group" in outbox[-1].body


def test_a_new_approved_pledge_replaces_the_old_one(client, organisation, signed_in_as, outbox):
    old = make_pledge(organisation)
    new = make_pledge(organisation, status="pending", signed=TODAY)
    signed_in_as("admin")
    url = f"/covenant/pledges/{new.id}"
    post_form(client, url + "/decide", {"decision-decision": "approve"}, form_url=url)
    assert old.status == "superseded" and new.status == "approved"
    assert services.approved_pledges() == [new]


def test_officer_records_a_renewal(client, organisation, signed_in_as):
    pledge = make_pledge(organisation)
    signed_in_as("strategy_officer")
    url = f"/covenant/pledges/{pledge.id}"
    page = parse(post_form(client, url + "/renew", {"renewal-date_signed": ["1", "1", "2020"]}, form_url=url))
    [message] = error_messages(page)
    assert "cannot be before the pledge was first signed" in message
    post_form(
        client,
        url + "/renew",
        {"renewal-date_signed": ["20", "11", "2024"], "renewal-signatory_role": "Secretary"},
        form_url=url,
    )
    assert pledge.date_signed == date(2024, 11, 20) and pledge.renewal_due == date(2027, 11, 20)
    assert pledge.signatory_role == "Secretary"


def test_counts_by_faith_and_ward(client, organisation, hendon_postcode):
    other = Organisation(name="Finchley Mosque", slug="finchley-mosque")
    third = Organisation(name="Edgware Synagogue", slug="edgware-synagogue")
    db.session.add_all([other, third])
    db.session.commit()
    make_pledge(organisation, faith="jewish").ward_code = "E05013643"
    make_pledge(third, faith="jewish")
    make_pledge(other, faith="muslim")
    make_pledge(other, faith="hindu", status="pending")
    db.session.commit()
    pledges = services.approved_pledges()
    assert services.counts_by_faith(pledges) == [("Jewish", 2), ("Muslim", 1)]
    by_ward = services.counts_by_ward(pledges)
    assert [(w.name if w else None, c) for w, c in by_ward] == [("Hendon", 1), (None, 2)]
    page = parse(client.get("/covenant/signatories"))
    captions = [text(caption) for caption in page.select("caption")]
    assert "Signatories by faith" in captions and "Signatories by ward" in captions
    assert ["Ward not known", "2"] in table_rows(page, caption="Signatories by ward")


def test_renewal_dates():
    assert services.renewal_due_for(date(2021, 11, 15), 3) == date(2024, 11, 15)
    assert services.renewal_due_for(date(2024, 2, 29), 3) == date(2027, 2, 28)
    with pytest.raises(ValueError):
        services.renewal_due_for(date(2024, 1, 1), 0)


def test_renewal_reminders_are_sent_once_per_renewal(app, organisation, outbox):
    due_soon = make_pledge(organisation, signed=TODAY - timedelta(days=3 * 365 - 20), email="soon@example.org")
    other = Organisation(name="Later Temple", slug="later-temple")
    db.session.add(other)
    db.session.commit()
    make_pledge(other, signed=TODAY - timedelta(days=400), email="later@example.org")
    make_pledge(other, status="pending", signed=TODAY - timedelta(days=3 * 365), email="pending@example.org")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["covenant", "send-reminders", "--days", "60"])
    assert result.exit_code == 0 and "Sent 1 renewal reminder." in result.output
    assert [m.to for m in outbox] == [["soon@example.org"]]
    assert "Time to renew" in outbox[0].subject
    assert f"http://portal.test/covenant/sign?organisation={organisation.id}" in outbox[0].body
    # Running again (the next day's run) sends nothing more for the same renewal.
    result = runner.invoke(args=["covenant", "send-reminders", "--days", "60"])
    assert "Sent 0 renewal reminders." in result.output and len(outbox) == 1
    # Once renewed, the new renewal date gets its own reminder in time.
    services.renew_pledge(due_soon, TODAY - timedelta(days=3 * 365 - 30))
    assert services.send_renewal_reminders(days=60) == 1 and len(outbox) == 2
    assert db.session.scalar(db.select(db.func.count(CovenantReminder.id))) == 2


def test_demo_loader_adds_the_multi_faith_forum_once(app, organisation):
    from app.covenant.demo import load_demo

    assert load_demo() == "Faith covenant signatories added: 1."
    assert load_demo() == "Faith covenant signatories added: 0."
    pledge = db.session.scalar(db.select(CovenantPledge))
    assert pledge.organisation == organisation and pledge.date_signed == date(2021, 11, 15)
    assert pledge.status == "approved" and "001_74f26b0b4220c599.txt:989" in pledge.source


def test_the_ward_page_lists_approved_signatories_only(client, organisation, hendon_postcode):
    approved = make_pledge(organisation)
    other = Organisation(name="Hendon Mosque", slug="hendon-mosque")
    db.session.add(other)
    db.session.commit()
    pending = make_pledge(other, status="pending", email="b@example.org")
    approved.postcode = pending.postcode = "NW4 4BG"
    db.session.commit()
    page = parse(client.get("/wards/E05013643"))
    assert list_under(page, "Faith covenant signatories (1)") == [
        f"{organisation.name}, Jewish, signed 15 November 2021"
    ]
