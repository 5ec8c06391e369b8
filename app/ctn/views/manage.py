"""CTN officers' pages (/ctn/manage): dashboard, annual figures, members, import, meetings, themes."""

from datetime import date, timedelta

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from ... import csvkit
from ...assets.services import meeting_venues
from ...directory.models import Organisation
from ...extensions import db
from ...security import STRATEGY_OFFICER, roles_required
from ...timeutil import to_london, utcnow
from .. import charts, services
from ..forms import (
    ActionForm,
    AgendaItemForm,
    AttendanceForm,
    ButtonForm,
    EraseForm,
    ImportForm,
    MeetingForm,
    MinutesForm,
    OfficerMemberForm,
    SteeringSeatForm,
    ThemePlanForm,
)
from ..models import (
    CONFIRMED,
    MEETING_KINDS,
    MEMBER_STATUSES,
    OPEN_FORUM,
    PENDING,
    REGISTERED,
    SEASONS,
    SECTOR_SHORT,
    SECTORS,
    SOURCE_OFFICER,
    WAITING,
    AgendaItem,
    Meeting,
    MeetingAction,
    Member,
    Registration,
    SteeringSeat,
)
from .common import (
    _export_response,
    _organisation_for_display,
    _today,
    _validated_with_organisation,
    _ward_choices,
    bp,
)

MANAGERS = (STRATEGY_OFFICER,)


def _year_arg():
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        year = _today().year
    return year if 2011 <= year <= 2100 else _today().year


def _meeting_years():
    years = {to_london(m).year for m in db.session.scalars(db.select(Meeting.starts_at))}
    return sorted(years | {_today().year}, reverse=True)


@bp.route("/manage")
@roles_required(*MANAGERS)
def dashboard():
    year = _year_arg()
    figures = services.annual_report_figures(year)
    today = _today()
    growth_start = date(today.year - 1, today.month, 1) if year == today.year else date(year, 1, 1)
    growth_end = today if year == today.year else date(year, 12, 31)
    growth = services.membership_growth(growth_start, growth_end)
    open_actions = db.session.scalars(
        db.select(MeetingAction).where(MeetingAction.done_on.is_(None)).order_by(MeetingAction.due_on)
    ).all()
    return render_template(
        "ctn/manage/dashboard.html",
        year=year,
        years=_meeting_years(),
        figures=figures,
        growth=growth,
        growth_chart=charts.line_chart(
            [(p.month.strftime("%b %Y"), p.members) for p in growth],
            title="Confirmed CTN members at the end of each month",
        ),
        attendance_chart=charts.bar_chart(
            [(f"{to_london(m.starts_at):%-d %b}", a or 0) for m, a in figures["attendance"]],
            title=f"Attendance at CTN meetings held in {year}",
        ),
        status_counts=services.status_counts(),
        member_total=services.member_count(),
        open_actions=open_actions,
        today=today,
        sector_short=SECTOR_SHORT,
        statuses=MEMBER_STATUSES,
    )


@bp.route("/manage/report/<int:year>")
@roles_required(*MANAGERS)
def annual_report(year):
    if not 2011 <= year <= 2100:
        abort(404)
    figures = services.annual_report_figures(year)
    return render_template("ctn/manage/report.html", figures=figures, year=year, sector_short=SECTOR_SHORT)


@bp.route("/manage/report/<int:year>.csv")
@roles_required(*MANAGERS)
def annual_report_csv(year):
    if not 2011 <= year <= 2100:
        abort(404)
    response = Response(services.annual_report_csv(services.annual_report_figures(year)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="ctn-annual-figures-{year}.csv"'
    return response


# --- Officers: members ---------------------------------------------------------------------------


@bp.route("/manage/members")
@roles_required(*MANAGERS)
def members():
    query = db.select(Member)
    status = request.args.get("status", "")
    sector = request.args.get("sector", "")
    ward = request.args.get("ward", "")
    q = (request.args.get("q") or "").strip()[:100]
    if status in MEMBER_STATUSES:
        query = query.where(Member.status == status)
    if sector in SECTORS:
        query = query.where(Member.sector == sector)
    if ward:
        query = query.where(Member.ward_code == ward)
    if q:
        like = f"%{q.lower()}%"
        query = query.outerjoin(Organisation, Member.organisation_id == Organisation.id).where(
            db.or_(
                db.func.lower(Member.name).like(like),
                Member.email_key.like(like),
                db.func.lower(Member.organisation_name).like(like),
                db.func.lower(Organisation.name).like(like),
            )
        )
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    pagination = db.paginate(query.order_by(Member.name, Member.id), page=page, per_page=50, error_out=False)
    return render_template(
        "ctn/manage/members.html",
        pagination=pagination,
        filters={"status": status, "sector": sector, "ward": ward, "q": q},
        statuses=MEMBER_STATUSES,
        sectors=SECTOR_SHORT,
        wards=_ward_choices()[1:],
    )


@bp.route("/manage/members.csv")
@roles_required(*MANAGERS)
def members_csv():
    # Every cell is guarded, the e-mail address too: "=1+1@example.org" is a valid address.
    text = csvkit.to_text(
        ["name", "email", "organisation", "sector", "interests", "ward", "job_title", "status", "joined"],
        (
            [
                member.name,
                member.email,
                member.organisation_display,
                member.sector_label,
                "; ".join(member.interest_labels),
                member.ward.name if member.ward else "",
                member.job_title,
                member.status,
                to_london(member.confirmed_at).date().isoformat() if member.confirmed_at else "",
            ]
            for member in db.session.scalars(db.select(Member).order_by(Member.name))
        ),
    )
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="ctn-members.csv"'
    return response


@bp.route("/manage/members/<int:member_id>")
@roles_required(*MANAGERS)
def member(member_id):
    member = db.get_or_404(Member, member_id)
    registrations = services.gdpr._registrations_for(member, member.email_key)
    return render_template(
        "ctn/manage/member.html",
        member=member,
        registrations=registrations,
        suppression=services.suppression_for(member.email),
        button_form=ButtonForm(),
        seats=db.session.scalars(db.select(SteeringSeat).where(SteeringSeat.member_id == member.id)).all(),
    )


@bp.route("/manage/members/<int:member_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def member_edit(member_id):
    member = db.get_or_404(Member, member_id)
    form = OfficerMemberForm(obj=member if request.method == "GET" else None)
    form.ward_code.choices = _ward_choices()
    if request.method == "GET":
        _organisation_for_display(form, member.organisation_id, member.organisation_display)
        form.ward_code.data = member.ward_code or ""
        form.interests.data = member.interests
    organisation = _validated_with_organisation(form)
    if organisation is not None:
        edit = services.OfficerMemberEdit(
            name=form.name.data,
            sector=form.sector.data,
            organisation_id=organisation[0],
            organisation_name=organisation[1],
            job_title=form.job_title.data or "",
            ward_code=form.ward_code.data or None,
            interests=tuple(form.interests.data or ()),
        )
        try:
            changed = services.edit_member(member, edit)
        except services.EditRefused as exc:
            message = str(exc)
            field = (
                form.organisation_name
                if "organisation" in message
                else form.ward_code
                if "ward" in message
                else form.sector
            )
            field.errors = list(field.errors) + [message]
        else:
            if changed:
                flash(f"{member.name}'s details are saved (changed: {', '.join(changed)})", "success")
            else:
                flash("Nothing was changed", "info")
            return redirect(url_for("ctn.member", member_id=member.id))
    return render_template("ctn/manage/member_edit.html", member=member, form=form)


@bp.route("/manage/members/<int:member_id>/data.<fmt>")
@roles_required(*MANAGERS)
def member_export(member_id, fmt):
    member = db.get_or_404(Member, member_id)
    return _export_response(member.email, fmt, f"ctn-member-{member.id}-data")


@bp.route("/manage/members/<int:member_id>/unsubscribe", methods=["POST"])
@roles_required(*MANAGERS)
def member_unsubscribe(member_id):
    member = db.get_or_404(Member, member_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.unsubscribe(member, SOURCE_OFFICER)
    flash(f"{member.name} is unsubscribed and their address is on the suppression list", "success")
    return redirect(url_for("ctn.member", member_id=member.id))


@bp.route("/manage/members/<int:member_id>/resend", methods=["POST"])
@roles_required(*MANAGERS)
def member_resend(member_id):
    member = db.get_or_404(Member, member_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if member.status != PENDING:
        flash("Only members waiting for confirmation can be sent the link again", "info")
    else:
        services.send_confirmation(member)
        flash(f"Confirmation link sent again to {member.email}", "success")
    return redirect(url_for("ctn.member", member_id=member.id))


@bp.route("/manage/members/<int:member_id>/erase", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def member_erase(member_id):
    member = db.get_or_404(Member, member_id)
    form = EraseForm()
    if form.validate_on_submit():
        report = services.erase_person(member.email)
        flash(f"All CTN data about this person has been erased ({sum(report.values())} records)", "success")
        return redirect(url_for("ctn.members"))
    return render_template("ctn/manage/erase.html", member=member, form=form)


@bp.route("/manage/members/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_members():
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = services.import_members(
            upload.stream,  # read a row at a time
            upload.filename,
            CONFIRMED if form.status.data == "confirmed" else PENDING,
            form.consent_wording.data.strip(),
            skip_bad_rows=form.skip_bad_rows.data,
        )
        if report.written:
            flash(f"{report.imported} members imported", "success")
    return render_template("ctn/manage/import.html", form=form, report=report)


# --- Officers: meetings --------------------------------------------------------------------------


@bp.route("/manage/meetings")
@roles_required(*MANAGERS)
def manage_meetings():
    rows = db.session.scalars(db.select(Meeting).order_by(Meeting.starts_at.desc())).all()
    return render_template("ctn/manage/meetings.html", meetings=rows, kinds=MEETING_KINDS)


def _meeting_details(form):
    return services.MeetingDetails(
        kind=form.kind.data,
        title=form.title.data,
        day=form.day.data,
        start=form.start_time.clock(),
        end=form.end_time.clock(),
        theme=form.theme.data,
        description=form.description.data,
        asset_id=form.asset_id.data or None,
        venue_name=form.venue_name.data,
        venue_address=form.venue_address.data,
        venue_postcode=form.venue_postcode.data,
        online_details=form.online_details.data,
        capacity=form.capacity.data,
        registration_open=form.registration_open.data,
        published=form.published.data,
        status=form.status.data,
    )


def _venue_choices(form):
    form.asset_id.choices = [(0, "Not in the register")] + meeting_venues()


@bp.route("/manage/meetings/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_meeting():
    form = MeetingForm()
    _venue_choices(form)
    if request.method == "GET":
        form.kind.data = OPEN_FORUM
        form.registration_open.data = True
        form.published.data = True
        form.start_time.data, form.end_time.data = "10:00", "12:00"
    if form.validate_on_submit():
        meeting = services.create_meeting(_meeting_details(form))
        flash("Meeting created. Add the agenda below.", "success")
        return redirect(url_for("ctn.manage_meeting", meeting_id=meeting.id))
    return render_template("ctn/manage/meeting_form.html", form=form, meeting=None)


@bp.route("/manage/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_meeting(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = MeetingForm(obj=meeting if request.method == "GET" else None)
    _venue_choices(form)
    if request.method == "GET":
        form.asset_id.data = meeting.asset_id or 0
        local_start, local_end = to_london(meeting.starts_at), to_london(meeting.ends_at)
        form.day.data = local_start.date()
        form.start_time.data, form.end_time.data = f"{local_start:%H:%M}", f"{local_end:%H:%M}"
    if form.validate_on_submit():
        promoted = services.update_meeting(meeting, _meeting_details(form))
        if promoted:
            flash(f"{len(promoted)} people moved from the waiting list to a place", "success")
        flash("Meeting saved", "success")
        return redirect(url_for("ctn.manage_meeting", meeting_id=meeting.id))
    return render_template("ctn/manage/meeting_form.html", form=form, meeting=meeting)


def _agenda_form():
    return AgendaItemForm(prefix="agenda")


def _attendance_form(meeting, formdata=None):
    form = AttendanceForm(prefix="attendance", formdata=formdata)
    form.attended.choices = [
        (r.id, f"{r.display_name}" + (f" ({r.organisation_name})" if r.organisation_name else ""))
        for r in meeting.registrations
        if r.status == REGISTERED
    ]
    if formdata is None:
        form.attended.data = [r.id for r in meeting.registrations if r.attended]
        form.extra_attendees.data = meeting.extra_attendees or 0
    return form


@bp.route("/manage/meetings/<int:meeting_id>")
@roles_required(*MANAGERS)
def manage_meeting(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    return _render_manage_meeting(meeting)


def _render_manage_meeting(meeting, **forms):
    minutes_form = forms.get("minutes_form") or MinutesForm(prefix="minutes", obj=meeting, formdata=None)
    return render_template(
        "ctn/manage/meeting.html",
        meeting=meeting,
        agenda_form=forms.get("agenda_form") or _agenda_form(),
        attendance_form=forms.get("attendance_form") or _attendance_form(meeting),
        minutes_form=minutes_form,
        action_form=forms.get("action_form") or _blank_action_form(),
        button_form=ButtonForm(),
        form=forms.get("form"),
        today=_today(),
        statuses={REGISTERED: "Registered", WAITING: "Waiting list"},
    )


def _blank_action_form():
    return ActionForm(prefix="action", formdata=None)


@bp.route("/manage/meetings/<int:meeting_id>/agenda", methods=["POST"])
@roles_required(*MANAGERS)
def add_agenda_item(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = _agenda_form()
    organisation = _validated_with_organisation(form)
    if organisation is None:
        return _render_manage_meeting(meeting, agenda_form=form, form=form), 400
    services.add_agenda_item(
        meeting,
        title=form.title.data,
        speaker=form.speaker.data,
        organisation_id=organisation[0],
        organisation_name=organisation[1],
    )
    flash("Agenda item added", "success")
    return redirect(url_for("ctn.manage_meeting", meeting_id=meeting.id) + "#agenda")


@bp.route("/manage/meetings/<int:meeting_id>/agenda/<int:item_id>/remove", methods=["POST"])
@roles_required(*MANAGERS)
def remove_agenda_item(meeting_id, item_id):
    item = db.get_or_404(AgendaItem, item_id)
    if item.meeting_id != meeting_id or not ButtonForm().validate_on_submit():
        abort(404 if item.meeting_id != meeting_id else 400)
    services.remove_agenda_item(item)
    flash("Agenda item removed", "success")
    return redirect(url_for("ctn.manage_meeting", meeting_id=meeting_id) + "#agenda")


@bp.route("/manage/meetings/<int:meeting_id>/attendance", methods=["POST"])
@roles_required(*MANAGERS)
def record_attendance(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = _attendance_form(meeting, formdata=request.form)
    if not form.validate_on_submit():
        return _render_manage_meeting(meeting, attendance_form=form, form=form), 400
    if meeting.starts_at > utcnow() + timedelta(hours=12):
        form.extra_attendees.errors.append("You can record attendance on the day of the meeting or after it")
        return _render_manage_meeting(meeting, attendance_form=form, form=form), 400
    services.record_attendance(meeting, form.attended.data or [], form.extra_attendees.data)
    flash(f"Attendance saved: {meeting.attendance} people", "success")
    return redirect(url_for("ctn.manage_meeting", meeting_id=meeting.id) + "#attendance")


@bp.route("/manage/meetings/<int:meeting_id>/minutes", methods=["POST"])
@roles_required(*MANAGERS)
def save_minutes(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = MinutesForm(prefix="minutes")
    if not form.validate_on_submit():
        return _render_manage_meeting(meeting, minutes_form=form, form=form), 400
    services.save_minutes(meeting, form.minutes.data, form.minutes_published.data)
    flash("Minutes saved" + (" and published" if meeting.minutes_published else ""), "success")
    return redirect(url_for("ctn.manage_meeting", meeting_id=meeting.id) + "#minutes")


@bp.route("/manage/meetings/<int:meeting_id>/actions", methods=["POST"])
@roles_required(*MANAGERS)
def add_action(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = ActionForm(prefix="action")
    if not form.validate_on_submit():
        return _render_manage_meeting(meeting, action_form=form, form=form), 400
    services.add_action(meeting, form.description.data, form.owner.data, form.due_on.data)
    flash("Action added", "success")
    return redirect(url_for("ctn.manage_meeting", meeting_id=meeting.id) + "#actions")


@bp.route("/manage/actions/<int:action_id>/done", methods=["POST"])
@roles_required(*MANAGERS)
def action_done(action_id):
    action = db.get_or_404(MeetingAction, action_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.toggle_action_done(action, _today())
    flash("Action marked as done" if action.done_on else "Action reopened", "success")
    return redirect(url_for("ctn.manage_meeting", meeting_id=action.meeting_id) + "#actions")


@bp.route("/manage/registrations/<int:registration_id>/cancel", methods=["POST"])
@roles_required(*MANAGERS)
def officer_cancel_registration(registration_id):
    registration = db.get_or_404(Registration, registration_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    promoted = services.cancel_registration(registration)
    flash(
        "Booking cancelled" + (f"; {promoted[0].display_name} moved up from the waiting list" if promoted else ""),
        "success",
    )
    return redirect(url_for("ctn.manage_meeting", meeting_id=registration.meeting_id) + "#registrations")


@bp.route("/manage/themes", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def themes():
    form = ThemePlanForm()
    if request.method == "GET":
        form.year.data = request.args.get("year", type=int) or _today().year + 1
        for entry in services.theme_plan(form.year.data):
            getattr(form, entry.season.lower()).data = entry.theme
            form.agreed_on.data = entry.agreed_on
    if form.validate_on_submit():
        themes = {season: getattr(form, season.lower()).data for season in SEASONS}
        services.save_theme_plan(form.year.data, themes, form.agreed_on.data)
        flash(f"Theme plan for {form.year.data} saved", "success")
        return redirect(url_for("ctn.themes", year=form.year.data))
    plans = {year: services.theme_plan(year) for year in services.theme_plan_years()}
    return render_template("ctn/manage/themes.html", form=form, plans=plans)


# --- Officers: the Steering Group's seats (002_6240a75a79bed02c.txt section 2.4.1) -------------------


def _seat_form(seat=None):
    form = SteeringSeatForm(obj=seat if request.method == "GET" else None)
    members = db.session.execute(
        db.select(Member.id, Member.name, Member.organisation_name)
        .where((Member.status == CONFIRMED) | (Member.id == (seat.member_id if seat and seat.member_id else 0)))
        .order_by(Member.name)
    )
    form.member_id.choices = [(0, "Not known, or vacant")] + [
        (row.id, f"{row.name}, {row.organisation_name}" if row.organisation_name else row.name) for row in members
    ]
    if request.method == "GET" and seat is not None:
        name = seat.organisation.name if seat.organisation else ""
        _organisation_for_display(form, seat.organisation_id, name)
        form.member_id.data = seat.member_id or 0
    return form


def _seat_organisation(form):
    """The listing a seat's form names, 0 for none, or None (with the message on the form) when it is not
    settled. A seat links to a listing or to nothing, so a name no listing has is refused, not kept."""
    return _validated_with_organisation(form, listing_only=True)


def _seat_details(form, organisation_id):
    return services.SeatDetails(
        title=form.title.data,
        role=form.role.data,
        organisation_id=organisation_id or None,
        member_id=form.member_id.data or None,
    )


def _refused(form, exc):
    message = str(exc)
    field = (
        form.member_id if "member" in message else form.organisation_name if "organisation" in message else form.role
    )
    field.errors = list(field.errors) + [message]


@bp.route("/manage/steering-group", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def steering_group():
    form = _seat_form()
    organisation_id = _seat_organisation(form)
    if organisation_id is not None:
        try:
            seat = services.add_seat(_seat_details(form, organisation_id))
        except services.EditRefused as exc:
            _refused(form, exc)
        else:
            flash(f"Seat added: {seat.title}", "success")
            return redirect(url_for("ctn.steering_group"))
    return render_template(
        "ctn/manage/steering_group.html", seats=services.steering_seats(), form=form, button_form=ButtonForm()
    )


@bp.route("/manage/steering-group/<int:seat_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def seat_edit(seat_id):
    seat = db.get_or_404(SteeringSeat, seat_id)
    form = _seat_form(seat)
    organisation_id = _seat_organisation(form)
    if organisation_id is not None:
        try:
            services.edit_seat(seat, _seat_details(form, organisation_id))
        except services.EditRefused as exc:
            _refused(form, exc)
        else:
            flash(f"Seat saved: {seat.title}", "success")
            return redirect(url_for("ctn.steering_group"))
    return render_template("ctn/manage/seat_edit.html", seat=seat, form=form)


@bp.route("/manage/steering-group/<int:seat_id>/remove", methods=["POST"])
@roles_required(*MANAGERS)
def seat_remove(seat_id):
    seat = db.get_or_404(SteeringSeat, seat_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    title = seat.title
    services.remove_seat(seat)
    flash(f"Seat removed: {title}", "success")
    return redirect(url_for("ctn.steering_group"))


@bp.route("/manage/steering-group/<int:seat_id>/move/<direction>", methods=["POST"])
@roles_required(*MANAGERS)
def seat_move(seat_id, direction):
    seat = db.get_or_404(SteeringSeat, seat_id)
    if direction not in ("up", "down"):
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.move_seat(seat, -1 if direction == "up" else 1)
    return redirect(url_for("ctn.steering_group") + f"#seat-{seat.id}")
