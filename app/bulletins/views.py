"""Bulletin pages: the public archive and one-click unsubscribe; officers' compose, preview, test, schedule,
send, figures and progress (/bulletins/manage)."""

import smtplib

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..extensions import csrf, db
from ..places.services import ward_choices
from ..security import STRATEGY_OFFICER, public, roles_required
from ..timeutil import to_london, utcnow
from . import services
from .forms import AudienceForm, BulletinForm, ButtonForm, ItemForm, ScheduleForm
from .message import MessageFactory, bulletin_context
from .models import (
    D_SENT,
    DRAFT,
    EMERGENCY,
    FAILED_PERMANENT,
    ROUTINE,
    SCHEDULED,
    SENDING,
    SENT,
    Bulletin,
    BulletinDelivery,
    BulletinItem,
)

bp = Blueprint("bulletins", __name__, url_prefix="/bulletins")
MANAGERS = (STRATEGY_OFFICER,)


# --- Public ---------------------------------------------------------------------------------------------


@bp.route("/")
@public
def archive():
    page = request.args.get("page", 1, type=int)
    pagination = services.archive(page=max(page, 1))
    return render_template("bulletins/archive.html", pagination=pagination)


@bp.route("/<int:bulletin_id>")
@public
def bulletin(bulletin_id):
    item = services.published_bulletin(bulletin_id)
    if item is None:
        abort(404)
    return render_template("bulletins/bulletin.html", **bulletin_context(item, for_email=False))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt
def unsubscribe(token):
    """RFC 8058 one-click unsubscribe. The signed per-recipient token is the only authority: a POST with or
    without a body (mail providers send `List-Unsubscribe=One-Click`) unsubscribes and answers 200 with no
    redirect. A GET only shows a page with a button, so link scanners that open every link do nothing."""
    delivery = services.delivery_for_token(token)
    if delivery is None:
        return render_template("bulletins/unsubscribe.html", invalid=True), 400
    if request.method == "POST":
        services.one_click_unsubscribe(delivery)
        return render_template("bulletins/unsubscribe.html", done=True)
    return render_template("bulletins/unsubscribe.html", done=False, delivery=delivery)


# --- Officers: list, compose ------------------------------------------------------------------------------


def _bulletin_or_404(bulletin_id):
    bulletin = db.session.get(Bulletin, bulletin_id)
    if bulletin is None:
        abort(404)
    return bulletin


def _editable_or_redirect(bulletin):
    if not bulletin.editable:
        flash("This bulletin has been sent (or is being sent) and can no longer be changed")
        return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))
    return None


@bp.route("/manage")
@roles_required(*MANAGERS)
def manage():
    bulletins = db.session.scalars(
        select(Bulletin).order_by(
            Bulletin.status != SENDING, Bulletin.status == SENT, Bulletin.created_at.desc(), Bulletin.id.desc()
        )
    ).all()
    rows = db.session.execute(
        select(BulletinDelivery.bulletin_id, BulletinDelivery.state, func.count()).group_by(
            BulletinDelivery.bulletin_id, BulletinDelivery.state
        )
    ).all()
    unsubscribed = dict(
        db.session.execute(
            select(BulletinDelivery.bulletin_id, func.count())
            .where(BulletinDelivery.unsubscribed_at.is_not(None))
            .group_by(BulletinDelivery.bulletin_id)
        ).all()
    )
    counts = {}
    for bulletin_id, state, number in rows:
        entry = counts.setdefault(bulletin_id, {"total": 0, "sent": 0, "failed": 0})
        entry["total"] += number
        entry["sent"] += number if state == D_SENT else 0
        entry["failed"] += number if state == FAILED_PERMANENT else 0
    return render_template("bulletins/manage/list.html", bulletins=bulletins, counts=counts, unsubscribed=unsubscribed)


@bp.route("/manage/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_bulletin():
    form = BulletinForm()
    if request.method == "GET":
        form.kind.data = EMERGENCY if request.args.get("kind") == EMERGENCY else ROUTINE
    if form.validate_on_submit():
        bulletin = services.create_bulletin(form.kind.data, form.title.data, form.introduction.data, current_user.id)
        flash("Saved. Now add the items.", "success")
        return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))
    return render_template("bulletins/manage/form.html", form=form, bulletin=None)


@bp.route("/manage/<int:bulletin_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_bulletin(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    if (response := _editable_or_redirect(bulletin)) is not None:
        return response
    form = BulletinForm(obj=bulletin)
    if form.validate_on_submit():
        services.update_bulletin(bulletin, form.kind.data, form.title.data, form.introduction.data)
        flash("Your changes have been saved", "success")
        return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))
    return render_template("bulletins/manage/form.html", form=form, bulletin=bulletin)


@bp.route("/manage/<int:bulletin_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def delete_bulletin(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    if ButtonForm().validate_on_submit() and bulletin.status in (DRAFT, SCHEDULED):
        services.delete_bulletin(bulletin)
        flash("The draft has been deleted", "success")
        return redirect(url_for("bulletins.manage"))
    abort(400)


@bp.route("/manage/<int:bulletin_id>")
@roles_required(*MANAGERS)
def manage_bulletin(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    figures = services.figures(bulletin.id)
    return render_template(
        "bulletins/manage/show.html",
        bulletin=bulletin,
        figures=figures,
        status=services.status_payload(bulletin),
        audience=services.audience_description(bulletin),
        audience_count=len(services.recipients(bulletin)) if bulletin.editable else figures.total,
        failures=services.failed_deliveries(bulletin.id) if bulletin.status in (SENDING, SENT) else [],
        button_form=ButtonForm(),
    )


@bp.route("/manage/<int:bulletin_id>/status.json")
@roles_required(*MANAGERS)
def status(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    response = jsonify(services.status_payload(bulletin))
    response.headers["Cache-Control"] = "no-store"
    return response


# --- Items --------------------------------------------------------------------------------------------------


def _item_or_404(bulletin, item_id):
    item = db.session.get(BulletinItem, item_id)
    if item is None or item.bulletin_id != bulletin.id:
        abort(404)
    return item


@bp.route("/manage/<int:bulletin_id>/items/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_item(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    if (response := _editable_or_redirect(bulletin)) is not None:
        return response
    form = ItemForm()
    if request.method == "GET" and request.args.get("section") in dict(form.section.choices):
        form.section.data = request.args["section"]
    if form.validate_on_submit():
        services.new_item(
            bulletin,
            section=form.section.data,
            title=form.title.data.strip(),
            body=form.body.data,
            link_url=(form.link_url.data or "").strip(),
        )
        flash("The item has been added", "success")
        return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))
    return render_template("bulletins/manage/item_form.html", form=form, bulletin=bulletin, item=None)


@bp.route("/manage/<int:bulletin_id>/items/<int:item_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_item(bulletin_id, item_id):
    bulletin = _bulletin_or_404(bulletin_id)
    item = _item_or_404(bulletin, item_id)
    if (response := _editable_or_redirect(bulletin)) is not None:
        return response
    form = ItemForm(obj=item)
    if form.validate_on_submit():
        services.update_item(item, form.section.data, form.title.data, form.body.data, form.link_url.data)
        flash("The item has been saved", "success")
        return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))
    return render_template(
        "bulletins/manage/item_form.html", form=form, bulletin=bulletin, item=item, button_form=ButtonForm()
    )


@bp.route("/manage/<int:bulletin_id>/items/<int:item_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def delete_item(bulletin_id, item_id):
    bulletin = _bulletin_or_404(bulletin_id)
    item = _item_or_404(bulletin, item_id)
    if not ButtonForm().validate_on_submit() or not bulletin.editable:
        abort(400)
    services.delete_item(item)
    flash("The item has been removed", "success")
    return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))


# --- Audience, preview, test, schedule, send ------------------------------------------------------------------


@bp.route("/manage/<int:bulletin_id>/audience", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def audience(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    if (response := _editable_or_redirect(bulletin)) is not None:
        return response
    form = AudienceForm()
    form.ward_codes.choices = ward_choices()
    if request.method == "GET":
        form.sectors.data, form.interests.data, form.ward_codes.data = (
            bulletin.sectors,
            bulletin.interests,
            bulletin.ward_codes,
        )
    if form.validate_on_submit():
        services.save_segments(bulletin, form.sectors.data, form.interests.data, form.ward_codes.data)
        flash(f"Audience saved: {len(services.recipients(bulletin))} confirmed members", "success")
        return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))
    return render_template("bulletins/manage/audience.html", form=form, bulletin=bulletin)


@bp.route("/manage/<int:bulletin_id>/preview")
@roles_required(*MANAGERS)
def preview(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    factory = MessageFactory(bulletin)
    text = factory.text.replace("@@UNSUBSCRIBE_URL@@", "(each member's own unsubscribe link)").replace(
        "@@PREFERENCES_URL@@", "(each member's own preferences link)"
    )
    return render_template(
        "bulletins/manage/preview.html",
        text=text,
        button_form=ButtonForm(),
        **bulletin_context(bulletin, for_email=False),
    )


@bp.route("/manage/<int:bulletin_id>/test", methods=["POST"])
@roles_required(*MANAGERS)
def send_test(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.send_test(bulletin, current_user.email, current_user.name)
    except (smtplib.SMTPException, OSError):
        flash("The test email could not be sent: the mail server did not accept it. Try again later.")
    else:
        flash(f"A test email has been sent to {current_user.email}", "success")
    return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))


@bp.route("/manage/<int:bulletin_id>/schedule", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def schedule(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    if (response := _editable_or_redirect(bulletin)) is not None:
        return response
    if bulletin.kind == EMERGENCY:
        flash("Emergency messages are sent at once, not scheduled")
        return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))
    form = ScheduleForm()
    if request.method == "GET" and bulletin.scheduled_at:
        local = to_london(bulletin.scheduled_at)
        form.day.data, form.clock.data = local.date(), local.strftime("%H:%M")
    if form.validate_on_submit():
        when = services.london_to_utc(form.day.data, form.clock.clock())
        if when <= utcnow():
            form.day.errors = list(form.day.errors) + ["The date and time must be in the future"]
        elif not bulletin.items and not bulletin.introduction.strip():
            form.day.errors = list(form.day.errors) + ["Add at least one item before scheduling the bulletin"]
        else:
            services.schedule(bulletin, when)
            flash(f"The bulletin will be sent on {to_london(when):%-d %B %Y at %H:%M}", "success")
            return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))
    return render_template("bulletins/manage/schedule.html", form=form, bulletin=bulletin)


@bp.route("/manage/<int:bulletin_id>/cancel-schedule", methods=["POST"])
@roles_required(*MANAGERS)
def cancel_schedule(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.cancel_schedule(bulletin)
    flash("The bulletin is a draft again and will not be sent", "success")
    return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))


@bp.route("/manage/<int:bulletin_id>/send", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def send(bulletin_id):
    bulletin = _bulletin_or_404(bulletin_id)
    if (response := _editable_or_redirect(bulletin)) is not None:
        return response
    form = ButtonForm()
    count = len(services.recipients(bulletin))
    error = None
    if form.validate_on_submit():
        try:
            services.start_sending(bulletin)
        except services.NothingToSend as exc:
            error = str(exc)
        else:
            flash(
                "The emergency message is being sent now"
                if bulletin.kind == EMERGENCY
                else "The bulletin is being sent",
                "success",
            )
            return redirect(url_for("bulletins.manage_bulletin", bulletin_id=bulletin.id))
    return render_template(
        "bulletins/manage/send.html",
        form=form,
        bulletin=bulletin,
        count=count,
        error=error,
        audience=services.audience_description(bulletin),
    ), (400 if error else 200)
