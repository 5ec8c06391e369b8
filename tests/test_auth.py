"""Sign in and out, password reset, invitations: what a group editor or officer sees."""

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time

from app.auth.models import User
from app.auth.services import PURPOSE_RESET, make_token
from app.extensions import db

from .conftest import TEST_PASSWORD, post_form, sign_in
from .html import error_messages, field_error, heading, page_text, parse, text

LINK_RE = re.compile(r"http://portal\.test(/\S+)")


def link_in(message):
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def test_passwords_are_hashed_with_argon2id(make_user, password_hash):
    user = make_user("strategy_officer")
    assert user.password_hash.startswith("$argon2id$")
    assert "m=65536" in user.password_hash and TEST_PASSWORD not in user.password_hash


def test_sign_in_and_out(client, make_user):
    user = make_user("strategy_officer")
    response = sign_in(client, user.email.upper())  # e-mail is matched whatever its case
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    shown = page_text(parse(client.get("/account")))
    assert "Strategy officer" in shown and user.email in shown
    response = post_form(client, "/sign-out", {}, form_url="/account")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_wrong_password_shows_a_clear_error(client, make_user):
    user = make_user("admin")
    response = sign_in(client, user.email, "not the password")
    page = parse(response)
    assert response.status_code == 200
    assert any(message.startswith("Enter a correct email address and password") for message in error_messages(page))
    assert text(page.title).startswith("Error:")


def test_empty_sign_in_form_says_what_is_missing(client):
    page = parse(post_form(client, "/sign-in", {"email": "", "password": ""}))
    assert error_messages(page) == ["Enter your email address", "Enter your password"]


def test_deactivated_and_invited_accounts_cannot_sign_in(client, make_user):
    user = make_user("group_editor", active=False)
    assert sign_in(client, user.email).status_code == 200
    invited = User(email="new@example.org", name="New", role="group_editor")
    db.session.add(invited)
    db.session.commit()
    assert sign_in(client, invited.email, "").status_code == 200


def test_sign_in_is_rate_limited_with_a_clear_message(client, make_user):
    user = make_user("admin")
    for _ in range(5):
        assert sign_in(client, user.email, "wrong password").status_code == 200
    response = sign_in(client, user.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "tried to sign in too many times" in page_text(parse(response))
    # Another account from the same address is not locked out by the first one's limit.
    other = make_user("strategy_officer")
    assert sign_in(client, other.email).status_code == 302


def test_sign_in_makes_a_new_session(client, make_user):
    """Session fixation: whatever the visitor's session held before sign-in is dropped."""
    user = make_user("admin")
    with client.session_transaction() as session:
        session["planted"] = "attacker"
    sign_in(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == str(user.id)


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/people", "/people"),
        ("https://evil.example/", "/account"),
        ("//evil.example/", "/account"),
        ("/\\evil.example", "/account"),
        ("javascript:alert(1)", "/account"),
    ],
)
def test_next_only_goes_to_pages_on_this_site(client, make_user, next_url, expected):
    user = make_user("admin")
    url = f"/sign-in?next={next_url}"
    response = post_form(client, url, {"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == expected


def test_forms_without_a_csrf_token_are_refused(client, make_user):
    user = make_user("admin")
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "did not come from this site" in page_text(parse(response))
    assert client.get("/account").status_code == 302  # not signed in


def test_password_reset_by_email(client, make_user, outbox):
    user = make_user("group_editor")
    response = post_form(client, "/password/forgot", {"email": user.email})
    assert "Check your email" in heading(parse(response))
    assert len(outbox) == 1 and outbox[0].to == [user.email]
    link = link_in(outbox[0])
    html = outbox[0].alternatives[0][0]
    assert link in html  # the HTML part carries the same link

    response = post_form(client, link, {"password": "a new long passphrase", "confirm": "a new long passphrase"})
    assert response.status_code == 302
    assert sign_in(client, user.email, "a new long passphrase").status_code == 302
    # The link works once only.
    assert client.get(link).status_code == 400
    assert "does not work" in page_text(parse(client.get(link)))


def test_unknown_email_gets_the_same_answer_and_no_mail(client, outbox):
    response = post_form(client, "/password/forgot", {"email": "nobody@example.org"})
    assert "Check your email" in heading(parse(response))
    assert outbox == []


def test_expired_reset_link_says_so(app, client, make_user):
    user = make_user("group_editor")
    with freeze_time() as clock:
        token = make_token(user, PURPOSE_RESET)
        clock.tick(timedelta(seconds=app.config["PASSWORD_RESET_MAX_AGE"] + 1))
        response = client.get(f"/password/reset/{token}")
    assert response.status_code == 400
    assert "This link has expired" in page_text(parse(response))


def test_tampered_reset_link_is_refused(client, make_user):
    user = make_user("group_editor")
    token = make_token(user, PURPOSE_RESET)
    assert client.get(f"/password/reset/{token[:-2]}xx").status_code == 400


def test_new_password_must_be_long_enough_and_match(client, make_user):
    user = make_user("group_editor")
    url = f"/password/reset/{make_token(user, PURPOSE_RESET)}"
    page = parse(post_form(client, url, {"password": "short", "confirm": "short"}))
    assert field_error(page, "password").startswith("Password must be 12 characters or more")
    page = parse(post_form(client, url, {"password": "long enough password", "confirm": "different words here"}))
    assert field_error(page, "confirm").startswith("Passwords must match")


def test_officer_invites_a_group_editor_who_sets_a_password(client, signed_in_as, organisation, outbox):
    officer = signed_in_as("strategy_officer")
    response = post_form(
        client,
        "/people/invite",
        {"name": "Asha Patel", "email": "Asha@Example.org", "role": "group_editor", "organisations": [organisation.id]},
    )
    assert response.status_code == 302, error_messages(parse(response))
    invited = User.by_email("asha@example.org")
    assert invited.organisations == [organisation] and invited.invited_by == officer
    assert invited.password_hash is None
    message = outbox[-1]
    assert message.to == ["asha@example.org"] and "invited" in message.subject
    link = link_in(message)

    post_form(client, "/sign-out", {}, form_url="/account")
    response = post_form(client, link, {"password": "my group's passphrase", "confirm": "my group's passphrase"})
    assert response.status_code == 302
    shown = page_text(parse(client.get("/account")))
    assert "Asha Patel" in shown and organisation.name in shown


def test_group_editor_invitation_needs_an_organisation(client, signed_in_as):
    signed_in_as("strategy_officer")
    page = post_form(client, "/people/invite", {"name": "X", "email": "x@example.org", "role": "group_editor"})
    # No organisations chosen yet, so the message is on the box for one's name (the organisation chooser).
    assert field_error(parse(page), "organisation_name") == "Enter the name of the organisation a group editor edits"


def test_only_administrators_may_give_officer_roles(client, signed_in_as):
    signed_in_as("strategy_officer")
    page = post_form(client, "/people/invite", {"name": "X", "email": "x@example.org", "role": "admin"}).get_data(
        as_text=True
    )
    assert "Not a valid choice" in page
    assert User.by_email("x@example.org") is None


def test_duplicate_invitation_is_refused(client, signed_in_as, make_user):
    signed_in_as("admin")
    existing = make_user("performance_officer")
    page = post_form(client, "/people/invite", {"name": "Y", "email": existing.email, "role": "performance_officer"})
    assert "already has an account" in " ".join(error_messages(parse(page)))


def test_admin_deactivates_an_account_and_it_is_signed_out(app, client, signed_in_as, make_user, organisation):
    signed_in_as("admin")
    editor = make_user("group_editor", organisations=[organisation])
    other = app.test_client()
    assert sign_in(other, editor.email).status_code == 302
    response = post_form(client, f"/people/{editor.id}", {"role": "group_editor", "organisations": [organisation.id]})
    assert response.status_code == 302
    assert other.get("/account").status_code == 302  # the deactivated editor is signed out at once


def test_change_password_needs_the_current_one(client, signed_in_as):
    signed_in_as("performance_officer")
    page = post_form(
        client,
        "/account/password",
        {"current_password": "wrong", "password": "brand new passphrase", "confirm": "brand new passphrase"},
    )
    assert field_error(parse(page), "current_password") == "Your current password is not correct"


def test_account_page_lists_the_work_each_role_may_do(client, signed_in_as):
    signed_in_as("group_editor")
    shown = page_text(parse(client.get("/account")))
    assert "Your listings" in shown
    assert "Listings waiting for approval" not in shown and "People with accounts" not in shown


def test_strategy_officer_sees_moderation_and_network_work(client, signed_in_as):
    signed_in_as("strategy_officer")
    shown = page_text(parse(client.get("/account")))
    assert "Listings waiting for approval" in shown and "Communities Together Network" in shown
    assert "People with accounts" in shown
    assert "Your listings" not in shown
