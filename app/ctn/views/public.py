"""CTN public pages: about, join, confirm, preferences, meetings, bookings, calendar."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from ...auth.services import absolute_url
from ...extensions import db
from ...ratelimit import limit_posts, per_form_address, per_meeting_and_client
from ...security import public
from ...timeutil import utcnow
from .. import calendar as ctn_calendar
from .. import services
from ..forms import (
    ButtonForm,
    EraseForm,
    JoinForm,
    PreferencesForm,
    RegisterForm,
)
from ..models import (
    CANCELLED_REGISTRATION,
    CONFIRMED,
    SOURCE_PREFERENCES,
    Meeting,
)
from .common import (
    _export_response,
    _organisation_for_display,
    _validated_with_organisation,
    _ward_choices,
    bp,
)


def _details_form(form_class, **kwargs):
    form = form_class(**kwargs)
    form.ward_code.choices = _ward_choices()
    return form


def _details_from(form, organisation):
    organisation_id, organisation_name = organisation
    return services.MemberDetails(
        name=form.name.data,
        email=form.email.data,
        sector=form.sector.data,
        organisation_id=organisation_id,
        organisation_name=organisation_name,
        job_title=form.job_title.data or "",
        ward_code=form.ward_code.data or None,
        interests=form.interests.data or [],
    )


def _public_meeting_or_404(meeting_id):
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not meeting.published:
        abort(404)
    return meeting


# --- Public pages -------------------------------------------------------------------------------


@bp.route("/")
@public
def index():
    facts = services.front_page()
    return render_template(
        "ctn/index.html",
        upcoming=facts.upcoming(utcnow()),
        plan_year=facts.plan_year,
        plan=facts.plan,
        seats=facts.seats,
        members=facts.members,
    )


@bp.route("/join", methods=["GET", "POST"])
@limit_posts("PUBLIC_FORM_RATE_LIMIT")
@limit_posts("EMAIL_RECIPIENT_RATE_LIMIT", key=per_form_address("email"))
@public
def join():
    form = _details_form(JoinForm)
    organisation = _validated_with_organisation(form)
    if organisation is not None:
        services.request_membership(_details_from(form, organisation), wording=services.JOIN_CONSENT_WORDING)
        return redirect(url_for("ctn.check_email"))
    return render_template("ctn/join.html", form=form, wording=services.JOIN_CONSENT_WORDING)


@bp.route("/join/check-your-email")
@public
def check_email():
    return render_template("ctn/check_email.html", days=services.confirm_max_age_days())


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@limit_posts("LINK_FORM_RATE_LIMIT")
@public
def confirm(token):
    # GET only shows a button: link checkers that open every link in an e-mail must not confirm.
    try:
        member = services.member_for_confirmation(token)
    except services.TokenInvalid as exc:
        return render_template("ctn/link_invalid.html", expired=exc.expired, used=exc.used), 400
    form = ButtonForm()
    if member.status == CONFIRMED:
        return render_template("ctn/confirmed.html", member=member, already=True)
    if form.validate_on_submit():
        services.confirm_membership(member)
        return render_template("ctn/confirmed.html", member=member, already=False)
    return render_template("ctn/confirm.html", form=form, member=member)


def _member_for_prefs_or_404(prefs_token):
    member = services.member_by_preferences_token(prefs_token)
    if member is None:
        # Unknown, or replaced: each bulletin (and a change of address) gives the member a new link.
        abort(make_response(render_template("ctn/preferences_link_invalid.html"), 404))
    return member


@bp.route("/preferences/<prefs_token>", methods=["GET", "POST"])
@limit_posts("LINK_FORM_RATE_LIMIT")
@public
def preferences(prefs_token):
    member = _member_for_prefs_or_404(prefs_token)
    form = _details_form(PreferencesForm, obj=member if request.method == "GET" else None)
    if request.method == "GET":
        _organisation_for_display(form, member.organisation_id, member.organisation_display)
        form.interests.data = member.interests
        form.ward_code.data = member.ward_code or ""
    organisation = _validated_with_organisation(form)
    if organisation is not None:
        try:
            changed = services.update_preferences(member, _details_from(form, organisation), SOURCE_PREFERENCES)
        except ValueError as exc:
            form.email.errors.append(str(exc))
        else:
            if changed:
                flash(
                    f"Saved. We have sent a link to {member.email}: follow it to confirm your new address.", "success"
                )
            else:
                flash("Your preferences have been saved", "success")
            return redirect(url_for("ctn.preferences", prefs_token=member.preferences_token))
    return render_template(
        "ctn/preferences.html", form=form, member=member, button_form=ButtonForm(), erase_form=EraseForm()
    )


@bp.route("/preferences/<prefs_token>/unsubscribe", methods=["POST"])
@limit_posts("LINK_FORM_RATE_LIMIT")
@public
def unsubscribe(prefs_token):
    member = _member_for_prefs_or_404(prefs_token)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.unsubscribe(member, SOURCE_PREFERENCES)
    flash("You have unsubscribed. We will not email you about the CTN again unless you join again.", "success")
    return redirect(url_for("ctn.preferences", prefs_token=member.preferences_token))


@bp.route("/preferences/<prefs_token>/join-again", methods=["POST"])
@limit_posts("LINK_FORM_RATE_LIMIT")
@public
def join_again(prefs_token):
    member = _member_for_prefs_or_404(prefs_token)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if member.status != CONFIRMED:
        services.record_consent(member, "given", SOURCE_PREFERENCES, services.JOIN_CONSENT_WORDING)
        services.send_confirmation(member)
        flash(f"We have sent a link to {member.email}. Follow it to join again.", "success")
    return redirect(url_for("ctn.preferences", prefs_token=member.preferences_token))


@bp.route("/preferences/<prefs_token>/your-data.<fmt>")
@public
def preferences_export(prefs_token, fmt):
    member = _member_for_prefs_or_404(prefs_token)
    return _export_response(member.email, fmt, "ctn-your-data")


@bp.route("/preferences/<prefs_token>/delete", methods=["POST"])
@limit_posts("LINK_FORM_RATE_LIMIT")
@public
def preferences_erase(prefs_token):
    member = _member_for_prefs_or_404(prefs_token)
    form = EraseForm()
    if not form.validate_on_submit():
        flash("Tick the box to confirm that you want all your data deleted", "info")
        return redirect(url_for("ctn.preferences", prefs_token=prefs_token) + "#delete")
    services.erase_person(member.email)
    return render_template("ctn/erased.html")


@bp.route("/meetings")
@public
def meetings():
    groups = services.public_meetings_by_outcome()
    return render_template(
        "ctn/meetings.html",
        upcoming=groups[services.UPCOMING],
        past=groups["held"],
        not_held=groups[services.NOT_HELD],
        feed=services.calendar_feed_coverage(),
    )


@bp.route("/meetings/<int:meeting_id>", methods=["GET", "POST"])
@limit_posts("MEETING_BOOKING_RATE_LIMIT", key=per_meeting_and_client)
@limit_posts("PUBLIC_FORM_RATE_LIMIT")
@limit_posts("EMAIL_RECIPIENT_RATE_LIMIT", key=per_form_address("email"))
@public
def meeting(meeting_id):
    meeting = _public_meeting_or_404(meeting_id)
    form = RegisterForm()
    can_book = meeting.registration_open and meeting.status == "scheduled" and meeting.ends_at >= utcnow()
    if request.method == "POST":
        if not can_book:
            flash("This meeting is not taking bookings", "info")
            return redirect(url_for("ctn.meeting", meeting_id=meeting.id))
        if form.validate_on_submit():
            try:
                services.register_for_meeting(
                    meeting.id, form.name.data, form.email.data, form.organisation_name.data, form.access_needs.data
                )
            except services.RegistrationClosed:
                flash("This meeting is not taking bookings", "info")
                return redirect(url_for("ctn.meeting", meeting_id=meeting_id))
            return render_template("ctn/booked.html", meeting=meeting)
    outcome = services.meeting_outcome(meeting)
    add_links = None
    if outcome == services.UPCOMING:
        page_url = absolute_url("ctn.meeting", meeting_id=meeting.id)
        add_links = {
            "google": ctn_calendar.google_calendar_url(meeting, page_url),
            "outlook": ctn_calendar.outlook_calendar_url(meeting, page_url),
            "office": ctn_calendar.outlook_calendar_url(meeting, page_url, host="outlook.office.com"),
        }
    return render_template(
        "ctn/meeting.html",
        meeting=meeting,
        form=form,
        can_book=can_book,
        outcome=outcome,
        outcome_label=services.OUTCOME_LABELS[outcome],
        add_links=add_links,
    )


@bp.route("/meetings/<int:meeting_id>.ics")
@public
def meeting_ics(meeting_id):
    meeting = _public_meeting_or_404(meeting_id)
    return _ics_response([meeting], f"ctn-meeting-{meeting.id}.ics")


@bp.route("/meetings.ics")
@public
def calendar_feed():
    feed = services.calendar_feed_coverage()
    return _ics_response(feed.meetings, "ctn-meetings.ics", inline=True, description=feed.description)


def _ics_response(rows, filename, inline=False, description=""):
    base = current_app.config["PUBLIC_BASE_URL"]
    body = ctn_calendar.build_calendar(
        rows, base, lambda m: absolute_url("ctn.meeting", meeting_id=m.id), description=description
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


@bp.route("/bookings/<cancel_token>", methods=["GET", "POST"])
@limit_posts("LINK_FORM_RATE_LIMIT")
@public
def cancel_registration(cancel_token):
    registration = services.registration_by_cancel_token(cancel_token)
    if registration is None:
        abort(404)
    if registration.status == CANCELLED_REGISTRATION:
        # A cancel link works once: afterwards it only says so (booking again sends a new link).
        return render_template("ctn/booking_cancelled.html", meeting=registration.meeting)
    form = ButtonForm()
    if form.validate_on_submit():
        services.cancel_registration(registration)
        return render_template("ctn/booking_cancelled.html", meeting=registration.meeting)
    return render_template(
        "ctn/cancel_booking.html", registration=registration, meeting=registration.meeting, form=form
    )
