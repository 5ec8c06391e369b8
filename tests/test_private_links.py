"""Issue 12 finding 11: nothing internal in public answers; personal pages behind links are not cached;
the preferences link is rotated."""

import re

from app.auth.models import User
from app.auth.services import PURPOSE_INVITATION, PURPOSE_RESET, make_token
from app.bulletins import services as bulletins
from app.bulletins.sender import run_sender
from app.ctn import services as ctn
from app.ctn.models import Member
from app.extensions import db

from .bulletins_helpers import bulletin_config, sink  # noqa: F401
from .conftest import post_form
from .factories.bulletins import make_bulletin
from .factories.ctn import make_member
from .test_ctn_meetings import future_meeting


def test_healthz_tells_the_public_nothing_internal(client):
    revision = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "up"}
    assert revision not in response.get_data(as_text=True)


def test_personal_pages_behind_e_mailed_links_are_never_stored(client, make_user, outbox):
    member = make_member("Pat", "pat@example.org")
    registration, _ = ctn.register_for_meeting(
        future_meeting(registration_open=True, published=True).id, "Pat", "pat@example.org"
    )
    db.session.commit()
    cancel = re.search(r"http://portal\.test(/ctn/bookings/\S+)", outbox[-1].body).group(1)
    user = make_user("group_editor")
    invited = User(email="new@example.org", name="New", role="group_editor")
    db.session.add(invited)
    db.session.commit()
    pages = [
        f"/ctn/preferences/{member.preferences_token}",
        f"/ctn/preferences/{member.preferences_token}/your-data.json",
        cancel,
        f"/password/reset/{make_token(user, PURPOSE_RESET)}",
        f"/invitation/{make_token(invited, PURPOSE_INVITATION)}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["Referrer-Policy"] == "no-referrer", url
    # Ordinary public pages stay cacheable.
    assert "no-store" not in client.get("/ctn/").headers.get("Cache-Control", "")


def test_a_bulletin_gives_each_member_a_new_preferences_link_and_the_old_one_stops_working(
    app, client, sink, bulletin_config
):  # noqa: F811
    member = make_member("Reader", "reader@example.org")
    old = f"/ctn/preferences/{member.preferences_token}"
    assert client.get(old).status_code == 200
    bulletin = make_bulletin()
    bulletins.start_sending(bulletin, enqueue=False)
    assert run_sender(bulletin.id).sent == 1

    response = client.get(old)
    assert response.status_code == 404
    assert "replaced by a newer link" in response.get_data(as_text=True)
    ((_, message),) = sink.messages
    text = message.get_body(preferencelist=("plain",)).get_content()
    new = re.search(r"http://portal\.test(/ctn/preferences/[^\s>]+)", text).group(1)
    assert new != old
    page = client.get(new)
    assert page.status_code == 200 and "reader@example.org" in page.get_data(as_text=True)


def test_changing_the_address_replaces_the_preferences_link(client, outbox):
    from .test_ctn_membership import join_data

    member = make_member("Pat", "pat@example.org")
    old = f"/ctn/preferences/{member.preferences_token}"
    response = post_form(client, old, join_data(name="Pat", email="pat.new@example.org"))
    assert response.status_code == 302
    new = response.headers["Location"]
    assert new != old and client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert db.session.get(Member, member.id).email == "pat.new@example.org"


def test_personal_link_tokens_stay_out_of_the_request_log(client, caplog):
    import logging

    member = make_member("Pat", "pat@example.org")
    caplog.set_level(logging.INFO, logger="portal.request")
    assert client.get(f"/ctn/preferences/{member.preferences_token}").status_code == 200
    paths = [record.path for record in caplog.records if record.name == "portal.request"]
    assert paths == ["/ctn/preferences/[token]"]
