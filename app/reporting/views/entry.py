"""Officers' pages for a quarter's figures: starting a report, the dashboard, entering KPI results (typed,
imported from a spreadsheet or taken from a live source), actions' progress, risk assessments and risks
leaving the register, priorities' commentary, budget and savings lines. The writes are in services."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...extensions import db
from ...security import OFFICER_ROLES, PERFORMANCE_OFFICER, roles_required
from .. import importer, live, services
from ..forms import (
    ActionUpdateForm,
    BudgetLineForm,
    ConfirmForm,
    ImportForm,
    KpiResultForm,
    KpiSourceForm,
    NewPeriodForm,
    PriorityUpdateForm,
    RiskAssessmentForm,
    RiskEndForm,
    SavingLineForm,
    parse_number,
)
from ..models import Action, Kpi, Priority, Risk
from .common import EDITORS, bp, clean, editable_period, open_to_change, refuse_if_locked


def _typed(value):
    """A stored figure as an officer would type it again: 1936.0 -> '1936' ('' for none)."""
    return services.format_number(value).replace(",", "") if value is not None else ""


@bp.route("/new", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def new_period():
    form = NewPeriodForm()
    planned = set(services.plan_years())
    years = services.year_choices()
    form.year_start.choices = [
        (
            year,
            services.year_label(year)
            + ("" if year in planned or not planned else " (the plan is rolled forward from the year before)"),
        )
        for year in years
    ]
    if form.validate_on_submit():
        try:
            period = services.create_period(form.year_start.data, int(form.quarter.data), current_user)
        except services.WorkflowError as exc:
            form.quarter.errors.append(str(exc))
        else:
            flash(f"Draft report for {period.label} started", "success")
            return redirect(url_for("reporting.dashboard", period=period.code))
    return render_template("reporting/new_period.html", form=form, years=years)


@bp.route("/<period>/edit")
@roles_required(*OFFICER_ROLES)
def dashboard(period):
    period = editable_period(period)
    data = services.build_report(period)
    may_edit = current_user.role in EDITORS
    return render_template(
        "reporting/dashboard.html",
        period=period,
        report=data,
        confirm=ConfirmForm(),
        may_edit=may_edit,
        may_approve=may_edit and period.submitted_by_id != current_user.id,
        sources={name: source.description for name, source in sorted(live.SOURCES.items())},
    )


def _kpi_page(form, source_form, period, kpi):
    return render_template(
        "reporting/edit_kpi.html",
        form=form,
        source_form=source_form,
        period=period,
        kpi=kpi,
        sources=sorted(live.SOURCES.values(), key=lambda s: s.name),
    )


@bp.route("/<period>/kpis/<int:kpi_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_kpi(period, kpi_id):
    period, kpi = open_to_change(period, Kpi, kpi_id)
    result = services.result_for(period, kpi)
    form = KpiResultForm(obj=result if request.method == "GET" else None)
    if request.method == "GET" and result is not None:
        form.result.data = _typed(result.result)
        form.previous_result.data = _typed(result.previous_result)
    source_form = KpiSourceForm(live_source=kpi.live_source or "", prefix="source")
    if form.validate_on_submit():
        values = {name: clean(getattr(form, name)) for name in services.KPI_RESULT_FIELDS}
        values["result"] = parse_number(form.result.data)
        values["previous_result"] = parse_number(form.previous_result.data)
        services.save_kpi_result(period, kpi, current_user, values)
        flash(f"Saved the {period.label} result for {kpi.name}", "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + f"#kpi-{kpi.id}")
    return _kpi_page(form, source_form, period, kpi)


@bp.route("/<period>/kpis/<int:kpi_id>/source", methods=["POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_kpi_source(period, kpi_id):
    period, kpi = open_to_change(period, Kpi, kpi_id)
    source_form = KpiSourceForm(prefix="source")
    if source_form.validate_on_submit():
        services.save_kpi_source(period, kpi, current_user, clean(source_form.live_source))
        flash(f"Saved the live source for {kpi.name}", "success")
        return redirect(url_for("reporting.edit_kpi", period=period.code, kpi_id=kpi.id))
    form = KpiResultForm(obj=services.result_for(period, kpi))
    return _kpi_page(form, source_form, period, kpi), 400


@bp.route("/<period>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_action(period, action_id):
    period, action = open_to_change(period, Action, action_id)
    update = services.action_update_for(period, action)
    form = ActionUpdateForm(obj=update if request.method == "GET" else None)
    if form.validate_on_submit():
        services.save_action_update(period, action, current_user, form.rag.data, clean(form.commentary))
        flash("Saved the action's progress", "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + f"#action-{action.id}")
    return render_template("reporting/edit_action.html", form=form, period=period, action=action)


@bp.route("/<period>/risks/<int:risk_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_risk(period, risk_id):
    period, risk = open_to_change(period, Risk, risk_id)
    assessment = services.risk_assessment_for(period, risk)
    form = RiskAssessmentForm(obj=assessment if request.method == "GET" else None)
    if request.method == "GET" and assessment is not None:
        form.likelihood.data = str(assessment.likelihood or "")
        form.impact.data = str(assessment.impact or "")
        form.score.data = str(assessment.score or "")
    if form.validate_on_submit():
        services.save_risk_assessment(
            period,
            risk,
            current_user,
            likelihood=int(form.likelihood.data) if form.likelihood.data else None,
            impact=int(form.impact.data) if form.impact.data else None,
            score=form.computed_score,
            controls=clean(form.controls),
        )
        flash(f"Saved the {period.label} assessment of {risk.code}", "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + f"#risk-{risk.id}")
    return render_template(
        "reporting/edit_risk.html", form=form, period=period, risk=risk, end_form=_risk_end_form(period, risk)
    )


def _risk_end_form(period, risk, formdata=None):
    end_form = RiskEndForm(formdata=formdata, prefix="end")
    others = [
        r
        for p in services.priorities_for_year(period.year_start)
        for r in p.risks
        if r.id != risk.id and r.ended_in is None
    ]
    end_form.merged_into.choices = [("", "Select a risk")] + [(str(r.id), f"{r.code} – {r.title}") for r in others]
    if formdata is None:
        ended_here = risk.ended_in_id == period.id
        end_form.ending.data = ("merged" if risk.merged_into_id else "closed") if ended_here else ""
        end_form.merged_into.data = str(risk.merged_into_id or "") if ended_here else ""
        end_form.end_note.data = risk.end_note if ended_here else ""
    return end_form


@bp.route("/<period>/risks/<int:risk_id>/end", methods=["POST"])
@roles_required(PERFORMANCE_OFFICER)
def end_risk(period, risk_id):
    period, risk = open_to_change(period, Risk, risk_id)
    end_form = _risk_end_form(period, risk, formdata=request.form)
    if end_form.validate_on_submit():
        ending = end_form.ending.data or ""
        merged_into = db.session.get(Risk, int(end_form.merged_into.data)) if ending == "merged" else None
        outcome = services.set_risk_end(period, risk, current_user, ending, merged_into, clean(end_form.end_note))
        if outcome == "ended":
            flash(
                f"{risk.code} is recorded as {'merged' if ending == 'merged' else 'closed'} in {period.label}",
                "success",
            )
        elif outcome == "restored":
            flash(f"{risk.code} is back on the register", "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + f"#risk-{risk.id}")
    form = RiskAssessmentForm(obj=services.risk_assessment_for(period, risk))
    return render_template("reporting/edit_risk.html", form=form, period=period, risk=risk, end_form=end_form), 400


@bp.route("/<period>/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_priority(period, priority_id):
    period, priority = open_to_change(period, Priority, priority_id)
    update = services.priority_update_for(period, priority)
    form = PriorityUpdateForm(obj=update if request.method == "GET" else None)
    if form.validate_on_submit():
        values = {name: clean(getattr(form, name)) for name in services.PRIORITY_UPDATE_FIELDS}
        values["published_actions_rating"] = form.published_actions_rating.data or ""
        services.save_priority_update(period, priority, current_user, values)
        flash(f"Saved the commentary for {priority.title}", "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + f"#priority-{priority.id}")
    return render_template("reporting/edit_priority.html", form=form, period=period, priority=priority)


# The budget and savings tables' lines are edited by one view: kind -> (form, figures typed as numbers,
# what it is called, how the flash names the line, the dashboard's anchor).
LINE_PAGES = {
    "budget": (
        BudgetLineForm,
        ("revised_budget", "forecast", "reserve_movements"),
        "budget line",
        "the budget line for {service}",
        "#budget",
    ),
    "savings": (SavingLineForm, ("saving", "forecast"), "savings line", "savings line {ref}", "#savings"),
}


@bp.route("/<period>/budget/new", methods=["GET", "POST"], endpoint="new_budget_line")
@bp.route("/<period>/budget/<int:line_id>/edit", methods=["GET", "POST"], endpoint="edit_budget_line")
@roles_required(PERFORMANCE_OFFICER)
def budget_line(period, line_id=None):
    return _edit_line(period, "budget", line_id)


@bp.route("/<period>/savings/new", methods=["GET", "POST"], endpoint="new_saving_line")
@bp.route("/<period>/savings/<int:line_id>/edit", methods=["GET", "POST"], endpoint="edit_saving_line")
@roles_required(PERFORMANCE_OFFICER)
def saving_line(period, line_id=None):
    return _edit_line(period, "savings", line_id)


def _edit_line(period, kind, line_id):
    """Add (line_id None) or change a line of the budget or savings table."""
    form_class, figures, label, saved, anchor = LINE_PAGES[kind]
    period = editable_period(period)
    line = None
    if line_id is not None:
        line = services.line_of(period, kind, line_id)
        if line is None:
            abort(404)
    refuse_if_locked(period)
    form = form_class(obj=line if request.method == "GET" else None)
    if request.method == "GET" and line is not None:
        for name in figures:
            getattr(form, name).data = _typed(getattr(line, name))
    if form.validate_on_submit():
        values = {name: clean(getattr(form, name)) for name in services.LINES[kind][2]}
        for name in figures:
            values[name] = parse_number(getattr(form, name).data)
        if kind == "budget":
            values["reserve_movements"] = values["reserve_movements"] or 0.0
        line = services.save_line(period, kind, line, current_user, values)
        flash("Saved " + saved.format(service=getattr(line, "service", ""), ref=getattr(line, "ref", "")), "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + anchor)
    return render_template("reporting/edit_line.html", form=form, period=period, line=line, kind=label)


@bp.route("/<period>/import", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def import_results(period):
    period, _ = open_to_change(period)
    form = ImportForm()
    outcome = None
    if form.validate_on_submit():
        upload = form.file.data
        # One byte over the cap is enough for the importer to refuse the file with its size.
        data = upload.read(importer.MAX_UPLOAD_BYTES + 1)
        outcome = importer.import_results(upload.filename, data, user=current_user, allowed_period=period)
        if outcome.ok:
            services.record_import(period, current_user, outcome.changed, upload.filename)
            flash(
                f"Imported {outcome.changed} KPI result{'s' if outcome.changed != 1 else ''} for {period.label}",
                "success",
            )
            return redirect(url_for("reporting.dashboard", period=period.code))
        form.file.errors.append(
            "The file was not imported: nothing has been changed. Correct the rows listed below and try again"
        )
    kpis = services.kpis_for_year(period.year_start)
    return render_template(
        "reporting/import.html",
        form=form,
        period=period,
        outcome=outcome,
        kpis=kpis,
        status=400 if outcome and not outcome.ok else 200,
    ), (400 if outcome and not outcome.ok else 200)


@bp.route("/<period>/live", methods=["POST"])
@roles_required(PERFORMANCE_OFFICER)
def take_live(period):
    period = editable_period(period)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    refuse_if_locked(period)
    taken, unavailable = services.refresh_live_results(period, current_user)
    if taken:
        flash(
            "Live results taken: " + "; ".join(f"{kpi.name}: {services.format_number(value)}" for kpi, value in taken),
            "success",
        )
    for kpi, message in unavailable:
        flash(f"{kpi.name}: source not available ({message}). The entered result is kept.", "info")
    if not taken and not unavailable:
        flash("No KPI in this delivery plan has a live source", "info")
    return redirect(url_for("reporting.dashboard", period=period.code))
