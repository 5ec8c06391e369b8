"""The to-do list on /account for each role, and the e-mails that tell officers about it (immediately or in a
daily digest, as each chooses), run by the task worker's periodic jobs."""

from datetime import date, datetime, timedelta

from app.auth import notifications
from app.auth.models import TodoNotice, User
from app.covenant.models import CovenantPledge
from app.directory import services as directory
from app.directory.models import Organisation, ProblemReport
from app.extensions import db
from app.reporting.models import SUBMITTED, ReportPeriod
from app.timeutil import utcnow
from app.todo import sources

from .conftest import post_form, sign_in
from .html import error_messages, links, parse, summary_list


def _claim(organisation):
    return directory.submit_claim(organisation, {"name": "Priya Shah", "email": "priya@example.org"})


def _problem(organisation):
    report = ProblemReport(organisation_id=organisation.id, problem="wrong-contact", details="The phone is wrong")
    db.session.add(report)
    db.session.commit()
    return report


def test_modules_register_their_to_do_sources_with_the_core():
    keys = {source.key for source in sources()}
    assert {
        "directory.changes",
        "directory.problems",
        "directory.stale",
        "covenant.pledges",
        "assets.deadlines",
        "assets.nominations",
        "reporting.approve",
    } <= keys


def test_a_strategy_officer_sees_what_waits_with_links_to_where_it_is_done(client, make_user, organisation):
    change = _claim(organisation)
    report = _problem(organisation)
    officer = make_user("strategy_officer")
    sign_in(client, officer.email)
    page = parse(client.get("/account"))
    todo = dict(links(page, "#to-do ~ h3 a"))
    assert todo["Listing changes to moderate"] == "/directory/moderation"
    assert todo["Problems reported with listings"] == "/directory/problems"
    assert todo["Listings not checked for 6 months"] == "/directory/needs-checking"
    item_links = dict(links(page, "#to-do ~ ul a"))
    assert (
        item_links[f"Claim of {organisation.name}, sent {change.submitted_at:%-d %B %Y}"]
        == f"/directory/moderation/{change.id}"
    )
    assert (
        item_links[f"{organisation.name}, reported {report.created_at:%-d %B %Y}"]
        == f"/directory/problems#problem-{report.id}"
    )
    # Each link opens for this officer.
    for href in [*todo.values(), *item_links.values()]:
        assert client.get(href.split("#")[0]).status_code == 200, href
    # The reports to approve are a performance officer's, not theirs.
    assert "Quarterly reports to approve" not in todo


def test_a_performance_officer_is_asked_to_approve_a_report_someone_else_submitted(app, client, make_user):
    submitter = make_user("performance_officer", email="one@example.org")
    approver = make_user("performance_officer", email="two@example.org")
    db.session.add(
        ReportPeriod(year_start=2019, quarter=3, status=SUBMITTED, submitted_at=utcnow(), submitted_by_id=submitter.id)
    )
    db.session.commit()
    sign_in(client, approver.email)
    page = parse(client.get("/account"))
    assert dict(links(page, "#to-do ~ ul a"))["The report for Q3 2019/20"] == "/reporting/2019-20-Q3/edit"
    assert "Listing changes to moderate" not in dict(links(page, "#to-do ~ h3 a"))
    other = app.test_client()
    sign_in(other, submitter.email)
    assert "The report for Q3 2019/20" not in other.get("/account").get_data(as_text=True)


def test_every_page_on_the_work_list_exists_and_a_performance_officer_is_offered_the_reports(app, client, make_user):
    from app.templating import WORK

    assert [e for _, endpoint, _, *needs in WORK for e in (endpoint, *needs) if e not in app.view_functions] == []
    sign_in(client, make_user("performance_officer").email)
    assert (
        dict(links(parse(client.get("/account")), "#your-work ~ ul a"))["Quarterly performance reports"]
        == "/reporting/"
    )


def test_an_empty_to_do_list_says_so(client, make_user):
    sign_in(client, make_user("strategy_officer").email)
    page = parse(client.get("/account"))
    assert "Nothing is waiting for you." in page.get_text()


def test_a_group_editor_is_offered_only_what_they_can_open(client, make_user, organisation):
    organisation.published = True
    organisation.last_verified_at = utcnow() - timedelta(days=200)
    db.session.commit()
    editor = make_user("group_editor", organisations=[organisation])
    sign_in(client, editor.email)
    page = parse(client.get("/account"))
    text = page.get_text()
    assert "Quarterly performance reports" not in text
    for _, href in links(page, "main a"):
        if href.startswith("/") and not href.startswith("/sign-out"):
            assert client.get(href).status_code == 200, href
    assert (
        dict(links(page, "#to-do ~ ul a"))[f"Check the listing for {organisation.name} is still right"]
        == "/directory/mine"
    )
    # They are not e-mailed about it by the officers' jobs (groups have their own reminders), and have no
    # setting for it.
    assert "Emails about your to-do list" not in summary_list(page)
    assert client.get("/account/notifications").status_code == 403


def test_a_group_editor_is_not_asked_whether_their_own_listing_is_theirs(client, make_user, organisation):
    organisation.published = True
    db.session.commit()
    editor = make_user("group_editor", organisations=[organisation])
    assert "Is this your organisation?" in client.get(f"/directory/{organisation.slug}").get_data(as_text=True)
    sign_in(client, editor.email)
    page = client.get(f"/directory/{organisation.slug}").get_data(as_text=True)
    assert "Is this your organisation?" not in page and "Edit this listing" in page


def test_the_needs_checking_page_tells_officers_no_command(client, signed_in_as):
    signed_in_as("strategy_officer")
    page = client.get("/directory/needs-checking").get_data(as_text=True)
    assert "flask" not in page and "Every morning the portal e-mails" in page


# --- Settings ---------------------------------------------------------------------------------------


def test_an_officer_chooses_a_daily_digest(client, signed_in_as):
    officer = signed_in_as("strategy_officer")
    page = parse(client.get("/account"))
    assert summary_list(page)["Emails about your to-do list"] == "As soon as something new waits for me"
    page = parse(client.get("/account/notifications"))
    assert page.select_one("legend h1").get_text(strip=True) == "When should we email you about your to-do list?"
    response = post_form(client, "/account/notifications", {"todo_emails": "weekly"})
    assert response.status_code == 200 and error_messages(parse(response))
    assert db.session.get(User, officer.id).todo_emails == "immediate"
    response = post_form(client, "/account/notifications", {"todo_emails": "daily"})
    assert response.status_code == 302
    assert db.session.get(User, officer.id).todo_emails == "daily"
    assert (
        summary_list(parse(client.get("/account")))["Emails about your to-do list"]
        == "Once a day, in a morning summary"
    )


def test_choosing_nothing_is_answered_on_the_page(client, signed_in_as):
    signed_in_as("strategy_officer")
    response = post_form(client, "/account/notifications", {})
    assert response.status_code == 200
    assert error_messages(parse(response)) == ["Select when we should email you about your to-do list"]


# --- E-mails ----------------------------------------------------------------------------------------


def test_an_immediate_officer_is_told_once_about_each_new_item(app, make_user, organisation, outbox):
    officer = make_user("strategy_officer")
    daily = make_user("admin", email="daily@example.org")
    daily.todo_emails = "daily"
    db.session.commit()
    change = _claim(organisation)
    assert notifications.notify_new() == 1
    [message] = outbox
    assert message.to == [officer.email]
    assert message.subject == "New on your to-do list: listing changes to moderate"
    assert f"http://portal.test/directory/moderation/{change.id}" in message.body
    assert "http://portal.test/account/notifications" in message.body
    # Nothing new: nothing sent.
    assert notifications.notify_new() == 0 and len(outbox) == 1
    # A problem report arrives: only it is in the next e-mail.
    _problem(organisation)
    assert notifications.notify_new() == 1
    assert "Problems reported with listings" in outbox[1].body and "Claim of" not in outbox[1].body
    # Listings turning six months old are left to the daily digest.
    assert "Listings not checked" not in outbox[1].body


def test_a_decided_item_is_forgotten_and_another_worker_does_not_send_it_twice(app, make_user, organisation, outbox):
    officer = make_user("strategy_officer")
    change = _claim(organisation)
    # Another worker has already claimed this item for this officer.
    db.session.add(TodoNotice(user_id=officer.id, item_key=f"directory.changes:change-{change.id}"))
    db.session.commit()
    assert notifications.notify_new() == 0 and outbox == []
    change.status = "rejected"
    db.session.commit()
    notifications.notify_new()
    assert db.session.scalars(db.select(TodoNotice)).all() == []


def test_a_daily_officer_gets_one_summary_a_day(app, make_user, organisation, outbox):
    officer = make_user("strategy_officer")
    officer.todo_emails = "daily"
    organisation.published = True
    db.session.commit()
    _claim(organisation)
    pledge = CovenantPledge(
        organisation=organisation,
        faith="jewish",
        signatory_name="Name",
        signatory_role="Role",
        contact_email="a@example.org",
        date_signed=date(2021, 1, 1),
        renewal_due=date(2024, 1, 1),
        status="approved",
    )
    db.session.add(pledge)
    db.session.commit()
    assert notifications.notify_new() == 0 and outbox == []
    assert notifications.send_daily_digests(today=date(2026, 11, 30)) == 1
    [message] = outbox
    assert message.subject == "Your to-do list for Monday 30 November: 3 things waiting"
    assert "Listing changes to moderate" in message.body
    assert "Listings not checked for 6 months" in message.body  # digest-only sources are in the digest
    assert "Faith covenant renewals overdue" in message.body
    # The same day again (a second worker): nothing; the next day: another.
    assert notifications.send_daily_digests(today=date(2026, 11, 30)) == 0
    assert notifications.send_daily_digests(today=date(2026, 12, 1)) == 1


def test_the_daily_job_reminds_each_stale_listings_editors_once(app, make_user, organisation, outbox):
    organisation.published = True
    organisation.last_verified_at = datetime(2020, 1, 1)
    db.session.commit()
    editor = make_user("group_editor", organisations=[organisation])
    from app.directory.tasks import queue_verification_reminders

    queue_verification_reminders.call_local()
    assert [m.to for m in outbox] == [[editor.email]]
    assert "http://portal.test/directory/mine" in outbox[0].body
    queue_verification_reminders.call_local()
    assert len(outbox) == 1
    assert db.session.get(Organisation, organisation.id).verification_reminder_sent_at is not None


def test_an_invited_editor_who_never_chose_a_password_is_reminded_with_a_way_in(
    app, client, make_user, organisation, outbox
):
    organisation.published = True
    organisation.last_verified_at = datetime(2020, 1, 1)
    db.session.commit()
    editor = make_user("group_editor", organisations=[organisation])
    editor.password_hash = None  # invited, never accepted
    db.session.commit()
    from app.directory.tasks import queue_verification_reminders

    queue_verification_reminders.call_local()
    [message] = outbox
    assert "You have not yet set up your account" in message.body
    [link] = [word for word in message.body.split() if "/invitation/" in word]
    page = client.get(link.replace("http://portal.test", ""))
    assert page.status_code == 200 and 'type="password"' in page.get_data(as_text=True)


def test_the_count_of_listings_not_checked_follows_a_check_and_the_clock(client, make_user):
    """The count is kept between requests (it reads every published listing), so it must still move the
    moment a listing is checked and when another listing passes six months."""
    from freezegun import freeze_time

    from .factories.directory import make_listing

    def stale_count():
        page = parse(client.get("/account"))
        headings = [h for h in page.select("#to-do ~ h3") if "Listings not checked for 6 months" in h.get_text()]
        if not headings:  # nothing to do: the heading is not shown
            return 0
        return int(headings[0].select_one(".govuk-tag").get_text(strip=True).replace(",", ""))

    with freeze_time(utcnow().replace(microsecond=0)) as clock:
        now = utcnow()
        old, recent = make_listing("Old Checked Group"), make_listing("Recently Checked Group")
        old.last_verified_at = now - timedelta(days=200)
        # Six months run out for this one a minute from now.
        recent.last_verified_at = now - timedelta(days=directory.STALE_AFTER_DAYS) + timedelta(seconds=60)
        db.session.commit()
        sign_in(client, make_user("strategy_officer").email)
        assert stale_count() == 1
        directory.confirm_still_right(old, None)
        assert stale_count() == 0
        clock.tick(timedelta(minutes=2))
        assert stale_count() == 1


def test_a_long_queue_is_counted_and_its_oldest_shown_first(client, make_user):
    """/account shows how many changes and problem reports wait and the five oldest of each, and the page
    costs the same number of statements with 12 waiting as with 2 (a queue is counted, not loaded)."""
    from .factories.directory import make_listing
    from .statement_count import count_statements

    listings = [make_listing(f"Queue Group {n:02d}") for n in range(12)]
    sign_in(client, make_user("strategy_officer").email)

    def wait(number):
        for organisation in listings[:number]:
            _claim(organisation)
            _problem(organisation)

    def account():
        return client.get("/account")

    wait(2)
    account()  # figures kept between requests are in place for both counts
    with count_statements() as few:
        account()
    for organisation in listings[2:]:
        _claim(organisation)
        _problem(organisation)
    with count_statements() as many:
        page = parse(account())
    assert many.total == few.total, many.statements
    for heading in ("Listing changes to moderate", "Problems reported with listings"):
        h3 = next(h for h in page.select("#to-do ~ h3") if heading in h.get_text())
        assert h3.select_one(".govuk-tag").get_text(strip=True) == "12"
        items = [a.get_text(" ", strip=True) for a in h3.find_next_sibling("ul").select("a")]
        assert items[0].startswith(("Claim of Queue Group 00", "Queue Group 00")), items
        assert len(items) == 6 and items[-1].startswith("7 more"), items


def _listed_on(client, path, page):
    """(the page, the names in its table) of an officer's list shown a page at a time."""
    html = parse(client.get(path, query_string={"page": page}))
    return html, [a.get_text(strip=True) for a in html.select("table th[scope=row] a")]


def test_the_moderation_queue_goes_a_page_at_a_time_oldest_first(client, make_user, monkeypatch):
    from app.directory import views as directory_views

    from .factories.directory import make_listing

    monkeypatch.setattr(directory_views, "OFFICER_PAGE_SIZE", 5)
    for n in range(12):
        _claim(make_listing(f"Queue Group {n:02d}"))
    sign_in(client, make_user("strategy_officer").email)

    def listed(page):
        return _listed_on(client, "/directory/moderation", page)

    first, names = listed(1)
    assert names == [f"Queue Group {n:02d}" for n in range(5)]
    assert "12 waiting, oldest first (page 1 of 3)" in first.get_text(" ")
    assert first.select_one(".govuk-pagination__next a")["href"].endswith("page=2")
    assert listed(3)[1] == ["Queue Group 10", "Queue Group 11"]
    # Past the end, or not a number: the nearest page, never an error.
    assert listed(9)[1] == ["Queue Group 10", "Queue Group 11"]
    assert listed("²")[1] == names


def test_listings_not_checked_go_a_page_at_a_time_with_their_true_count(client, make_user, monkeypatch):
    """Half a directory can be due at once: the page says how many, oldest check first, and pages through all
    of them (it listed the first 500 under a caption counting those 500)."""
    from app.directory import views as directory_views

    from .factories.directory import make_listing

    monkeypatch.setattr(directory_views, "OFFICER_PAGE_SIZE", 5)
    for n in range(12):
        make_listing(f"Due Group {n:02d}").last_verified_at = utcnow() - timedelta(days=400 - n)
    make_listing("Checked Group").last_verified_at = utcnow()
    db.session.commit()
    sign_in(client, make_user("strategy_officer").email)

    def listed(page):
        return _listed_on(client, "/directory/needs-checking", page)

    first, names = listed(1)
    assert names == [f"Due Group {n:02d}" for n in range(5)]
    assert first.select_one("caption").get_text(" ", strip=True).startswith("12 listings, 1 to 5 shown")
    assert first.select_one(".govuk-pagination__next a")["href"].endswith("page=2")
    assert listed(2)[1] == [f"Due Group {n:02d}" for n in range(5, 10)]
    assert listed(3)[1] == ["Due Group 10", "Due Group 11"]
    assert listed("x")[1] == names
