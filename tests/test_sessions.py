"""Issue 12 findings 8 and 11 (invitations): a session ends on the server, not only in the browser."""

from app.auth.models import User
from app.extensions import db

from .conftest import post_form, sign_in
from .test_auth import link_in

NEW_PASSWORD = "a brand new passphrase"


def _captured(client):
    """The session cookie as an attacker who copied it (from a shared computer, a log) would hold it."""
    return client.get_cookie("session").value


def _replay(app, cookie):
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/account")


def test_a_cookie_captured_before_sign_out_no_longer_works(app, client, make_user):
    user = make_user("strategy_officer")
    assert sign_in(client, user.email).status_code == 302
    cookie = _captured(client)
    assert _replay(app, cookie).status_code == 200  # the copy works while the session lasts
    assert post_form(client, "/sign-out", {}, form_url="/account").status_code == 302
    response = _replay(app, cookie)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_password_reset_ends_every_session_of_the_account(app, client, make_user, outbox):
    user = make_user("admin")
    elsewhere = app.test_client()
    assert sign_in(elsewhere, user.email).status_code == 302
    cookie = _captured(elsewhere)

    post_form(client, "/password/forgot", {"email": user.email})
    link = link_in(outbox[-1])
    assert post_form(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302

    assert elsewhere.get("/account").status_code == 302
    assert _replay(app, cookie).status_code == 302


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, make_user):
    from .conftest import TEST_PASSWORD

    user = make_user("performance_officer")
    other_device = app.test_client()
    assert sign_in(other_device, user.email).status_code == 302
    assert sign_in(client, user.email).status_code == 302
    response = post_form(
        client,
        "/account/password",
        {"current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302


def test_deactivation_ends_sessions_for_good_even_if_the_account_is_reactivated(
    app, client, signed_in_as, make_user, organisation
):
    signed_in_as("admin")
    editor = make_user("group_editor", organisations=[organisation])
    theirs = app.test_client()
    assert sign_in(theirs, editor.email).status_code == 302
    cookie = _captured(theirs)
    # Deactivate (the checkbox left unticked), then reactivate.
    post_form(client, f"/people/{editor.id}", {"role": "group_editor", "organisations": [organisation.id]})
    post_form(
        client, f"/people/{editor.id}", {"role": "group_editor", "organisations": [organisation.id], "active": "y"}
    )
    assert db.session.get(User, editor.id).active is True
    assert _replay(app, cookie).status_code == 302
    assert sign_in(app.test_client(), editor.email).status_code == 302  # signing in again works


def test_a_session_from_before_the_session_version_existed_is_not_honoured(app, client, make_user):
    user = make_user("admin")
    assert sign_in(client, user.email).status_code == 302
    with client.session_transaction() as session:
        del session["_sv"]
    assert client.get("/account").status_code == 302


def test_resending_an_invitation_voids_the_previous_link(client, signed_in_as, organisation, outbox):
    signed_in_as("strategy_officer")
    post_form(
        client,
        "/people/invite",
        {"name": "Asha Patel", "email": "asha@example.org", "role": "group_editor", "organisations": [organisation.id]},
    )
    first = link_in(outbox[-1])
    invited = User.by_email("asha@example.org")
    post_form(client, f"/people/{invited.id}/resend-invitation", {}, form_url=f"/people/{invited.id}")
    second = link_in(outbox[-1])
    assert second != first
    post_form(client, "/sign-out", {}, form_url="/account")

    response = client.get(first)
    assert response.status_code == 400 and "does not work" in response.get_data(as_text=True)
    assert client.get(second).status_code == 200
    assert post_form(client, second, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302


def test_sign_in_sign_out_and_session_changes_are_logged_without_addresses_or_passwords(client, make_user, caplog):
    import logging

    user = make_user("admin")
    caplog.set_level(logging.INFO, logger="portal.auth")
    sign_in(client, user.email, "a wrong password")
    sign_in(client, user.email)
    post_form(client, "/sign-out", {}, form_url="/account")
    events = [
        (record.getMessage(), getattr(record, "user_id", None))
        for record in caplog.records
        if record.name == "portal.auth"
    ]
    assert ("sign-in refused", user.id) in events
    assert ("signed in", user.id) in events and ("sessions ended", user.id) in events
    logged = " ".join(str(vars(record)) for record in caplog.records)
    assert user.email not in logged and "a wrong password" not in logged


def test_a_session_ends_after_an_hour_without_use(client, make_user):
    from freezegun import freeze_time

    user = make_user("strategy_officer")
    with freeze_time() as clock:
        assert sign_in(client, user.email).status_code == 302
        clock.tick(59 * 60)
        assert client.get("/account").status_code == 200
        clock.tick(59 * 60)  # used within the hour: still signed in
        assert client.get("/account").status_code == 200
        clock.tick(61 * 60)
        response = client.get("/account")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_session_ends_eight_hours_after_sign_in_however_busy(client, make_user):
    from freezegun import freeze_time

    user = make_user("strategy_officer")
    with freeze_time() as clock:
        assert sign_in(client, user.email).status_code == 302
        for _ in range(9):  # a request every 50 minutes, for 7.5 hours
            clock.tick(50 * 60)
            assert client.get("/account").status_code == 200
        clock.tick(40 * 60)
        assert client.get("/account").status_code == 302


def test_sign_out_tells_the_browser_to_drop_what_it_kept(client, make_user):
    user = make_user("admin")
    sign_in(client, user.email)
    response = post_form(client, "/sign-out", {}, form_url="/account")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
