"""Assets of Community Value: nomination, checking, decision, review, disposal, registers, due this week."""

from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from app.assets import services
from app.assets.models import AcvNomination
from app.extensions import db

from .conftest import post_form
from .factories.assets import make_nomination
from .html import error_messages, page_text, parse, table_rows, text

# Every test here runs on one fixed day, so its dates never depend on when (or how near midnight) it runs.
TODAY = date(2026, 6, 17)


@pytest.fixture(autouse=True)
def _fixed_day():
    with freeze_time("2026-06-17 12:00:00", tick=True):
        yield


def nomination_data(**overrides):
    data = {
        "body_name": "Friends of Montrose Park",
        "body_type": "unincorporated",
        "members_on_register": "34",
        "local_connection": "All our members live around the park in Burnt Oak.",
        "body_address": "1 Park Road, London",
        "contact_name": "Sam Green",
        "contact_email": "Sam@Example.org",
        "site_name": "The Bowls Pavilion",
        "site_address": "Montrose Park, Edgware",
        "site_postcode": "",
        "boundary_description": "The pavilion and green, inside the railings.",
        "occupants": "Montrose Bowls Club",
        "freehold_owners": "London Borough of Barnet",
        "leasehold_owners": "None known",
        "reasons": "The club and residents meet there every week.",
        "evidence": "Attendance logs 2019-2024; 200 letters of support.",
        "confirm": "y",
    }
    data.update(overrides)
    return data


def d(day):
    return [str(day.day), str(day.month), str(day.year)]


def test_a_group_nominates_land_and_gets_a_reference_and_decision_date(client, outbox):
    response = post_form(client, "/assets-register/acv/nominate", nomination_data())
    assert response.status_code == 302
    nomination = db.session.scalar(db.select(AcvNomination))
    assert nomination.reference == f"ACV-{TODAY.year}-{nomination.id:04d}"
    assert nomination.received_on == TODAY and nomination.decision_due == TODAY + timedelta(days=55)
    assert nomination.contact_email == "sam@example.org" and nomination.status == "received"
    shown = page_text(parse(client.get(response.headers["Location"])))
    assert nomination.reference in shown and nomination.decision_due.strftime("%A %-d %B %Y") in shown
    assert outbox[-1].to == ["sam@example.org"] and nomination.reference in outbox[-1].subject
    assert nomination.decision_due.strftime("%A %-d %B %Y") in outbox[-1].body


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"body_type": "other"}, "A council cannot nominate"),
        ({"body_type": ""}, "Select what kind of group it is"),
        ({"members_on_register": "20"}, "at least 21 members"),
        ({"members_on_register": "twenty"}, "Enter the number of members as a whole number"),
        ({"body_type": "charity"}, "Enter the charity number"),
        (
            {"body_type": "company_limited_by_guarantee", "body_number": "0123", "distributes_surplus": "yes"},
            "does not distribute any surplus",
        ),
        ({"boundary_description": ""}, "Describe the proposed boundary"),
        ({"freehold_owners": ""}, "Enter the freehold owner, or 'Not known'"),
        ({"reasons": ""}, "Explain why the land is of community value"),
        ({"contact_email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"site_postcode": "HELLO"}, "Enter a real postcode"),
        ({"confirm": ""}, "Confirm the information is correct"),
    ],
)
def test_nomination_errors_are_clear(client, overrides, message):
    response = post_form(client, "/assets-register/acv/nominate", nomination_data(**overrides))
    [shown] = error_messages(parse(response))
    assert response.status_code == 200 and message in shown
    assert db.session.scalar(db.select(db.func.count(AcvNomination.id))) == 0


def nomination_url(nomination):
    return f"/assets-register/acv/nominations/{nomination.id}"


def test_officer_checks_lists_and_follows_the_statutory_dates(client, signed_in_as, outbox):
    received = date(2025, 1, 10)
    nomination = make_nomination(received, site_name="The Bowls Pavilion")
    assert nomination.decision_due == date(2025, 3, 6)
    signed_in_as("strategy_officer")
    url = nomination_url(nomination)
    shown = page_text(parse(client.get(url)))
    assert "Thursday 6 March 2025 (overdue)" in shown  # long past in the test's today

    post_form(
        client,
        url + "/validate",
        {"validate-outcome": "valid", "validate-checked_on": d(date(2025, 1, 13))},
        form_url=url,
    )
    assert nomination.status == "valid" and nomination.validated_on == date(2025, 1, 13)
    # A decision date before receipt is refused with a message, not saved.
    page = post_form(
        client,
        url + "/decide",
        {
            "decision-outcome": "listed",
            "decision-decided_on": d(date(2025, 1, 1)),
            "decision-reasons": "Valued",
            "decision-asset": "0",
        },
        form_url=url,
    )
    assert "cannot be before the nomination was received" in " ".join(error_messages(parse(page)))
    assert nomination.status == "valid"
    post_form(
        client,
        url + "/decide",
        {
            "decision-outcome": "listed",
            "decision-decided_on": d(date(2025, 3, 3)),
            "decision-reasons": "Used weekly by residents",
            "decision-asset": "0",
        },
        form_url=url,
    )
    assert nomination.status == "listed" and nomination.listed_on == date(2025, 3, 3)
    assert nomination.listing_expires == date(2030, 3, 2)
    assert "now listed" in outbox[-1].body and "2 March 2030" in outbox[-1].body

    post_form(client, url + "/owner-notified", {"owner-on": d(date(2025, 3, 4))}, form_url=url)
    assert nomination.review_request_deadline == date(2025, 4, 28)
    post_form(client, url + "/review-request", {"review-request-on": d(date(2025, 4, 1))}, form_url=url)
    assert nomination.review_due == date(2025, 5, 26)
    post_form(
        client,
        url + "/review-outcome",
        {
            "review-outcome-outcome": "upheld",
            "review-outcome-decided_on": d(date(2025, 5, 20)),
            "review-outcome-reasons": "Use continues",
        },
        form_url=url,
    )
    assert nomination.review_outcome == "upheld" and nomination.status == "listed"

    # The worked example: a disposal notice received on Friday 10 January... here 10 January 2025 is before
    # listing, so use the same weekday pattern after it: Friday 6 June 2025.
    post_form(client, url + "/disposal", {"disposal-on": d(date(2025, 6, 6))}, form_url=url)
    notice = nomination.disposal_notices[0]
    assert (notice.interim_ends, notice.full_ends, notice.protected_ends) == (
        date(2025, 7, 17),
        None,
        date(2026, 12, 5),
    )
    # A request to bid after the interim moratorium is refused; one inside it starts the full moratorium.
    bid_url = f"/assets-register/acv/disposals/{notice.id}/bid-request"
    page = post_form(
        client,
        bid_url,
        {f"bid-{notice.id}-group": "Friends", f"bid-{notice.id}-on": d(date(2025, 7, 18))},
        form_url=url,
    )
    assert "must be received between 6 June 2025 and 17 July 2025" in " ".join(error_messages(parse(page)))
    assert notice.full_ends is None
    post_form(
        client,
        bid_url,
        {f"bid-{notice.id}-group": "Friends", f"bid-{notice.id}-on": d(date(2025, 7, 17))},
        form_url=url,
    )
    assert notice.bid_request_group == "Friends" and notice.full_ends == date(2025, 12, 5)

    listed = page_text(parse(client.get("/assets-register/acv/listed")))
    assert (
        "The Bowls Pavilion" in listed and "2 March 2030" in listed and "full moratorium to 5 December 2025" in listed
    )
    csv = client.get("/assets-register/acv/listed.csv")
    assert csv.mimetype == "text/csv"
    header, row = csv.get_data(as_text=True).splitlines()[:2]
    assert header.startswith("reference,site,address")
    assert "2025-03-03,2030-03-02,2025-03-04,2025-04-28,2025-04-01,2025-05-26,Listing upheld" in row
    assert "2025-06-06,2025-07-17,2025-07-17,2025-12-05,2026-12-05" in row
    entry = page_text(parse(client.get(f"/assets-register/acv/register/{nomination.id}")))
    assert "5 December 2026" in entry and "Used weekly by residents" in entry


def test_the_worked_example_through_the_service(app):
    nomination = make_nomination(date(2024, 6, 3))
    nomination.status, nomination.listed_on = "listed", date(2024, 7, 1)
    db.session.commit()
    notice = services.record_disposal_notice(nomination, date(2025, 1, 10))
    services.record_bid_request(notice, date(2025, 2, 20), "Friends of the Pavilion")
    assert (notice.interim_ends, notice.full_ends, notice.protected_ends) == (
        date(2025, 2, 20),
        date(2025, 7, 9),
        date(2026, 7, 9),
    )
    assert make_nomination(date(2025, 1, 10)).decision_due == date(2025, 3, 6)


def test_invalid_and_refused_nominations_go_on_the_unsuccessful_register(client, signed_in_as, outbox):
    invalid = make_nomination(date(2025, 1, 10), site_name="Corner Shop")
    refused = make_nomination(date(2025, 1, 10), site_name="Car Park")
    signed_in_as("admin")
    url = nomination_url(invalid)
    page = post_form(
        client,
        url + "/validate",
        {"validate-outcome": "invalid", "validate-checked_on": d(date(2025, 1, 14))},
        form_url=url,
    )
    assert "Enter why the nomination is not valid" in " ".join(error_messages(parse(page)))
    post_form(
        client,
        url + "/validate",
        {
            "validate-outcome": "invalid",
            "validate-checked_on": d(date(2025, 1, 14)),
            "validate-note": "The group is a parish meeting of 5 people",
        },
        form_url=url,
    )
    assert invalid.status == "not_listed" and invalid.decided_on == date(2025, 1, 14)
    url = nomination_url(refused)
    post_form(
        client,
        url + "/validate",
        {"validate-outcome": "valid", "validate-checked_on": d(date(2025, 1, 14))},
        form_url=url,
    )
    post_form(
        client,
        url + "/decide",
        {
            "decision-outcome": "not_listed",
            "decision-decided_on": d(date(2025, 2, 1)),
            "decision-reasons": "Its main use is not social",
            "decision-asset": "0",
        },
        form_url=url,
    )
    assert refused.status == "not_listed"
    shown = page_text(parse(client.get("/assets-register/acv/unsuccessful")))
    assert "Corner Shop" in shown and "The nomination is not valid: The group is a parish meeting" in shown
    assert "Car Park" in shown and "Its main use is not social" in shown
    assert "Car Park" not in page_text(parse(client.get("/assets-register/acv/listed")))
    csv = client.get("/assets-register/acv/unsuccessful.csv").get_data(as_text=True)
    assert "Its main use is not social" in csv and "2025-02-01" in csv
    assert "not to list" in outbox[-1].body


def test_pending_nominations_are_not_public(client):
    nomination = make_nomination(TODAY)
    assert client.get(f"/assets-register/acv/register/{nomination.id}").status_code == 404
    assert client.get(nomination_url(nomination)).status_code == 302  # officers only: sign in
    assert "Site" not in text(parse(client.get("/assets-register/acv/listed")).main)


def test_officers_see_what_is_due_this_week(client, signed_in_as):
    monday, _ = services.week_containing(TODAY)
    due_this_week = make_nomination(monday - timedelta(days=55), site_name="Due Pavilion")  # due Monday
    make_nomination(TODAY, site_name="Later Hall")  # due in 8 weeks
    overdue = make_nomination(monday - timedelta(days=70), site_name="Forgotten Barn")
    signed_in_as("strategy_officer")
    page = parse(client.get("/assets-register/acv/due"))
    [(due_on, _, due_site)] = table_rows(page, caption="Due this week")
    assert due_site.endswith("Due Pavilion") and due_on == due_this_week.decision_due.strftime("%A %-d %B %Y")
    assert f"{overdue.reference} Forgotten Barn" in [
        site for _, _, site in table_rows(page, caption="Overdue decisions")
    ]
    assert "Later Hall" not in text(page.main) and overdue.status == "received"


def test_group_editors_cannot_decide(client, signed_in_as):
    nomination = make_nomination(TODAY)
    signed_in_as("group_editor")
    assert client.get(nomination_url(nomination)).status_code == 403
    assert client.get("/assets-register/acv/due").status_code == 403
    assert (
        post_form(
            client,
            nomination_url(nomination) + "/validate",
            {"validate-outcome": "valid"},
            form_url="/assets-register/acv/nominate",
        ).status_code
        == 403
    )


def test_csv_cells_cannot_run_as_formulas():
    import csv
    import io

    text = services.csv_text(["a"], [['=HYPERLINK("http://x")'], ["@SUM(1)"], ["plain"], [date(2025, 1, 10)]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["a"], ['\'=HYPERLINK("http://x")'], ["'@SUM(1)"], ["plain"], ["2025-01-10"]]
