"""The report's workflow: submit (with the checks first), approve, return to draft, reopen for a correction;
the published versions; the audit trail."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...security import OFFICER_ROLES, PERFORMANCE_OFFICER, public, roles_required
from .. import charts, services
from ..forms import ConfirmForm, ReopenForm, ReturnForm
from ..models import APPROVED
from .common import bp, clean, editable_period, is_officer, visible_period


def _workflow(period_code, action, done_message):
    period = editable_period(period_code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(period, current_user)
    except services.WorkflowError as exc:
        flash(str(exc), "info")
    else:
        flash(done_message.format(label=period.label), "success")
    return redirect(url_for("reporting.dashboard", period=period.code))


@bp.route("/<period>/submit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def submit(period):
    """GET: the checks before submitting (KPIs not entered, budget missing, ratings changed since last
    quarter...). POST: submit, and e-mail the approvers."""
    period = editable_period(period)
    if period.status != "draft":
        flash(f"Only a draft can be submitted; this report is {period.status_label.lower()}", "info")
        return redirect(url_for("reporting.dashboard", period=period.code))
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            warnings = services.submit(period, current_user)
        except services.WorkflowError as exc:
            flash(str(exc), "info")
        else:
            sent = services.notify_approvers(period, warnings)
            approvers = len(services.approvers_for(period))
            flash(f"The report for {period.label} has been submitted for approval", "success")
            if approvers and sent < approvers:
                flash(
                    f"{approvers - sent} of {approvers} approvers could not be e-mailed; tell them it is ready", "info"
                )
            elif not approvers:
                flash("There is no other performance officer or administrator to approve it yet", "info")
        return redirect(url_for("reporting.dashboard", period=period.code))
    return render_template(
        "reporting/submit.html",
        period=period,
        form=form,
        warnings=services.submission_warnings(period),
        approvers=services.approvers_for(period) if period.submitted_by_id is None else [],
    )


@bp.route("/<period>/approve", methods=["POST"])
@roles_required(PERFORMANCE_OFFICER)
def approve(period):
    return _workflow(period, services.approve, "The report for {label} is approved and published")


@bp.route("/<period>/return", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def return_report(period):
    period = editable_period(period)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            services.return_to_draft(period, current_user, clean(form.reason))
        except services.WorkflowError as exc:
            flash(str(exc), "info")
        else:
            flash(f"The report for {period.label} is back in draft", "success")
        return redirect(url_for("reporting.dashboard", period=period.code))
    return render_template("reporting/return.html", form=form, period=period)


@bp.route("/<period>/reopen", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def reopen_report(period):
    """Reopen an approved report for a correction: a reason is required; the published version stays public
    until the correction is approved as the next version."""
    period = editable_period(period)
    form = ReopenForm()
    if period.status != APPROVED:
        flash("Only an approved report can be reopened", "info")
        return redirect(url_for("reporting.dashboard", period=period.code))
    if form.validate_on_submit():
        try:
            services.reopen(period, current_user, clean(form.reason))
        except services.WorkflowError as exc:
            form.reason.errors.append(str(exc))
        else:
            flash(
                f"The report for {period.label} is open for correction as version {period.version}. "
                f"Version {period.version - 1} stays published until this one is approved.",
                "success",
            )
            return redirect(url_for("reporting.dashboard", period=period.code))
    return render_template("reporting/reopen.html", form=form, period=period)


@bp.route("/<period>/versions")
@public
def versions(period):
    """Every published version of the quarter's report, with why each was reopened."""
    period = visible_period(period)
    return render_template(
        "reporting/versions.html", period=period, versions=services.published_versions(period), is_officer=is_officer()
    )


@bp.route("/<period>/versions/<int:number>")
@public
def version(period, number):
    period = visible_period(period)
    found = next((v for v in services.published_versions(period) if v.number == number), None)
    if found is None:
        abort(404)
    data = services.public_report(services.load_snapshot(found))
    return render_template(
        "reporting/report.html",
        period=period,
        report=data,
        is_officer=False,
        versions=services.published_versions(period),
        shown_version=found,
        charts=charts.quarter_charts(data),
    )


@bp.route("/<period>/changes")
@roles_required(*OFFICER_ROLES)
def changes(period):
    """The audit trail: who changed what, when."""
    period = editable_period(period)
    return render_template("reporting/changes.html", period=period, changes=list(reversed(period.changes)))
