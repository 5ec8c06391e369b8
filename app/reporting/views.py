"""Pages of the quarterly report (url prefix /reporting).

Who sees what: an approved report is public (committee members and residents read published reports);
drafts and submitted reports are seen only by officers (strategy officers, performance officers and
administrators), and anyone else gets "Page not found" so unpublished reports are not revealed.
Performance officers and administrators enter, import and submit results; a different performance officer
or administrator approves.
"""

import json

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..security import OFFICER_ROLES, PERFORMANCE_OFFICER, public, roles_required
from ..timeutil import utcnow
from . import charts, exports, importer, live, ratings, services
from .forms import (
    ActionUpdateForm,
    BudgetLineForm,
    ConfirmForm,
    ImportForm,
    KpiResultForm,
    KpiSourceForm,
    NewPeriodForm,
    PlanActionForm,
    PlanKpiForm,
    PlanPriorityForm,
    PlanRiskForm,
    PriorityUpdateForm,
    ReopenForm,
    ReturnForm,
    RiskAssessmentForm,
    RiskEndForm,
    SavingLineForm,
    parse_number,
)
from .models import APPROVED, Action, BudgetLine, Kpi, Priority, ReportPeriod, Risk, SavingLine

bp = Blueprint("reporting", __name__, url_prefix="/reporting")


@bp.app_template_filter("no_sources")
def no_sources_filter(text):
    return services.without_source_references(text)


@bp.app_template_filter("target_rule")
def target_rule_filter(target, polarity, measure=""):
    """How a target rates, in words ({{ k.annual_target | target_rule(k.polarity) }})."""
    return ratings.target_rule(target or "", polarity, measure) if target else "No target"


def _clean(field):
    """A text field's value without surrounding spaces ('' when it was not sent)."""
    return (field.data or "").strip()


def _is_officer():
    return current_user.is_authenticated and current_user.role in OFFICER_ROLES


def _visible_period(code):
    """The period, if the visitor may see it; 404 otherwise (drafts are not revealed). The public sees an
    approved report, or a reopened one's last published version."""
    period = services.period_by_code(code)
    if period is None or (period.status != APPROVED and not _is_officer() and not services.published_versions(period)):
        abort(404)
    return period


def _report_data(period):
    """What this visitor sees of the period: officers the live figures; everyone else the published ones.
    Either way without the council papers' file:line references (officers see those on the entry pages)."""
    if _is_officer():
        return services.public_report(services.build_report(period))
    data = services.latest_published(period)
    if data is None:
        abort(404)
    return services.public_report(data)


def _editable_period(code):
    period = services.period_by_code(code)
    if period is None:
        abort(404)
    return period


def _visible_periods():
    query = db.select(ReportPeriod).order_by(ReportPeriod.year_start, ReportPeriod.quarter)
    periods = db.session.scalars(query).all()
    if _is_officer():
        return periods
    return [p for p in periods if p.status == APPROVED or services.published_versions(p)]


def _locked(period):
    """Redirect with a message when the report can no longer be changed, else None."""
    if period.is_editable:
        return None
    flash(f"The report for {period.label} is {period.status_label.lower()}: it can no longer be changed", "info")
    return redirect(url_for("reporting.dashboard", period=period.code))


LABELS = {
    "target": "Target",
    "result": "Result",
    "result_note": "Why no result",
    "previous_result": "Last year's result",
    "previous_result_note": "Why no result last year",
    "benchmark": "Benchmarking",
    "commentary": "Commentary",
    "variance_explanation": "Explanation of variance",
    "notes": "Notes",
    "rag": "RAG",
    "likelihood": "Likelihood",
    "impact": "Impact",
    "score": "Score",
    "controls": "Controls",
    "actions_commentary": "Summary of actions",
    "kpi_commentary": "KPI commentary",
    "risk_commentary": "Risk commentary",
    "published_actions_rating": "Actions summary",
    "service": "Service",
    "revised_budget": "Revised budget",
    "forecast": "Forecast",
    "reserve_movements": "Reserve movements",
    "ref": "Ref",
    "service_area": "Service area",
    "description": "Description",
    "saving": "Saving",
    "comment": "Comment",
    "live_source": "Live source",
}


def _values(record, fields):
    return {name: (getattr(record, name) if record is not None else None) for name in fields}


def _audit(period, subject, before, record):
    """Record what changed on `record` since `before` (a _values() dict) in the report's audit trail."""
    detail = services.describe_changes(before, _values(record, before.keys()), LABELS)
    if detail:
        services.record_change(period, current_user, subject, detail)


def _of_year(record, period):
    """404 unless the plan record belongs to the period's financial year."""
    if record is None or record.priority.year_start != period.year_start:
        abort(404)
    return record


# --- Public pages ---------------------------------------------------------------------------------------


@bp.route("/")
@public
def index():
    periods = _visible_periods()
    reports = [(period, _report_data(period)) for period in reversed(periods)]
    return render_template(
        "reporting/index.html",
        reports=reports,
        is_officer=_is_officer(),
        plan_years=services.plan_years() if _is_officer() else [],
        may_edit=current_user.is_authenticated and current_user.role in (PERFORMANCE_OFFICER, "admin"),
    )


@bp.route("/<period>")
@public
def report(period):
    period = _visible_period(period)
    data = _report_data(period)
    return render_template(
        "reporting/report.html",
        period=period,
        report=data,
        is_officer=_is_officer(),
        versions=services.published_versions(period),
        charts=_quarter_charts(data),
    )


def _quarter_charts(data):
    """The quarter page's charts, each with the table that is its text alternative:
    [{"id", "title", "svg", "headers", "rows"}]."""
    charts_ = []
    rag_rows = [
        (
            f"{p['position']}. {p['title']}",
            {
                "G": p["kpi_counts"]["G"],
                "A": p["kpi_counts"]["A"],
                "R": p["kpi_counts"]["R"],
                "N": p["kpi_counts"]["not_rated"],
            },
        )
        for p in data["priorities"]
    ]
    charts_.append(
        {
            "id": "chart-rags",
            "title": "KPI ratings by priority",
            "svg": charts.rag_counts_svg("KPI ratings by priority", rag_rows, "chart-rags"),
            "headers": ["Priority", "Green", "Amber", "Red", "Not rated"],
            "rows": [[label, c["G"], c["A"], c["R"], c["N"]] for label, c in rag_rows],
        }
    )
    rated = []
    for p in data["priorities"]:
        for k in p["kpis"]:
            if not k["rag"] or not k["target_rated"]:
                continue
            try:
                target = float(ratings.parse_target(k["target"]).value)
            except ratings.RatingError:
                continue
            if target and k["result"] is not None:
                rated.append((k, target, round(k["result"] / target * 100)))
    if rated:
        colours = charts.RAG_COLOURS
        charts_.append(
            {
                "id": "chart-targets",
                "title": "Results against targets",
                "svg": charts.bars_svg(
                    "Results against targets: each rated KPI's result as a percentage of its target",
                    [
                        (f"{k['name']} ({k['polarity_label'].lower()})", [("", percent, colours[k["rag"]])])
                        for k, _, percent in rated
                    ],
                    "chart-targets",
                    unit="%",
                    reference=100,
                    reference_label="Target (100%)",
                ),
                "headers": ["KPI", "Polarity", "Target", "Result", "Result as % of target", "RAG"],
                "rows": [
                    [k["name"], k["polarity_label"], k["target"], k["result_text"], f"{percent}%", k["rag_label"]]
                    for k, _, percent in rated
                ],
            }
        )
    if data["budget"]:
        charts_.append(
            {
                "id": "chart-budget",
                "title": "Budget: revised budget and forecast (£000)",
                "svg": charts.bars_svg(
                    "Budget: revised budget and forecast by service (£000)",
                    [
                        (
                            b["service"],
                            [
                                ("Revised budget", b["revised_budget"], "#505a5f"),
                                ("Forecast", b["forecast"], "#1d70b8"),
                            ],
                        )
                        for b in data["budget"]
                    ],
                    "chart-budget",
                ),
                "headers": ["Service", "Revised budget (£000)", "Forecast (£000)", "Variance adv/(fav) (£000)"],
                "rows": [
                    [
                        b["service"],
                        services.format_number(b["revised_budget"]),
                        services.format_number(b["forecast"]),
                        services.format_number(b["variance"]),
                    ]
                    for b in data["budget"]
                ],
            }
        )
    return charts_


@bp.route("/<period>/report.pdf")
@public
def report_pdf(period):
    period = _visible_period(period)
    data = _report_data(period)
    html = render_template("reporting/report_pdf.html", period=period, report=data, generated_at=utcnow())
    pdf = exports.to_pdf_bytes(html, base_url=request.url_root)
    return current_app.response_class(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="performance-report-{period.code}.pdf"'},
    )


def _download(body, mimetype, filename):
    return current_app.response_class(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.route("/<period>/export.csv")
@public
def export_csv(period):
    """?table=kpis (the default), priorities, risks, budget or savings."""
    period = _visible_period(period)
    table = request.args.get("table", "kpis")
    if table not in exports.CSV_TABLES:
        abort(404)
    suffix = "" if table == "kpis" else f"-{table}"
    return _download(
        exports.to_csv_text(_report_data(period), table),
        "text/csv; charset=utf-8",
        f"performance-report-{period.code}{suffix}.csv",
    )


@bp.route("/<period>/export.xlsx")
@public
def export_xlsx(period):
    period = _visible_period(period)
    return _download(
        exports.to_xlsx_bytes(_report_data(period)),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"performance-report-{period.code}.xlsx",
    )


@bp.route("/<period>/export.json")
@public
def export_json(period):
    period = _visible_period(period)
    return _download(
        exports.to_json_text(_report_data(period)), "application/json", f"performance-report-{period.code}.json"
    )


@bp.route("/<period>/kpis/<int:kpi_id>")
@public
def kpi_trend(period, kpi_id):
    period = _visible_period(period)
    kpi = _of_year(db.session.get(Kpi, kpi_id), period)
    # Results exist only in the quarters of the KPI's own delivery plan year.
    # Only published figures for the public (a reopened report's draft corrections are not).
    shown = [p for p in _visible_periods() if p.status == APPROVED or _is_officer()]
    points = services.kpi_trend(kpi, shown)
    chart = charts.trend_svg(f"{kpi.name}: results by quarter", points, chart_id=f"kpi-{kpi.id}")
    return render_template(
        "reporting/kpi.html",
        period=period,
        kpi=kpi,
        points=points,
        chart=chart,
        row=services.kpi_row(kpi, services.result_for(period, kpi)),
    )


# --- Officers: starting a report, entering figures ------------------------------------------------------


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
    period = _editable_period(period)
    data = services.build_report(period)
    may_edit = current_user.role in (PERFORMANCE_OFFICER, "admin")
    return render_template(
        "reporting/dashboard.html",
        period=period,
        report=data,
        confirm=ConfirmForm(),
        may_edit=may_edit,
        may_approve=may_edit and period.submitted_by_id != current_user.id,
        sources={name: source.description for name, source in sorted(live.SOURCES.items())},
    )


@bp.route("/<period>/kpis/<int:kpi_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_kpi(period, kpi_id):
    period = _editable_period(period)
    kpi = _of_year(db.session.get(Kpi, kpi_id), period)
    if (locked := _locked(period)) is not None:
        return locked
    result = services.result_for(period, kpi)
    form = KpiResultForm(obj=result if request.method == "GET" else None)
    if request.method == "GET" and result is not None:
        form.result.data = services.format_number(result.result).replace(",", "") if result.result is not None else ""
        form.previous_result.data = (
            services.format_number(result.previous_result).replace(",", "")
            if result.previous_result is not None
            else ""
        )
    source_form = KpiSourceForm(live_source=kpi.live_source or "", prefix="source")
    if form.validate_on_submit():
        before = _values(
            result,
            (
                "target",
                "result",
                "result_note",
                "previous_result",
                "previous_result_note",
                "benchmark",
                "commentary",
                "variance_explanation",
                "notes",
            ),
        )
        result = services.result_for(period, kpi, create=True)
        result.target = _clean(form.target)
        new_value = parse_number(form.result.data)
        if new_value != result.result:
            result.live_taken_at = None
        result.result = new_value
        result.result_note = _clean(form.result_note)
        result.previous_result = parse_number(form.previous_result.data)
        result.previous_result_note = _clean(form.previous_result_note)
        result.benchmark = _clean(form.benchmark)
        result.commentary = _clean(form.commentary)
        result.variance_explanation = _clean(form.variance_explanation)
        result.notes = _clean(form.notes)
        result.updated_by = current_user
        _audit(period, f"KPI: {kpi.name}", before, result)
        db.session.commit()
        flash(f"Saved the {period.label} result for {kpi.name}", "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + f"#kpi-{kpi.id}")
    return render_template(
        "reporting/edit_kpi.html",
        form=form,
        source_form=source_form,
        period=period,
        kpi=kpi,
        sources=sorted(live.SOURCES.values(), key=lambda s: s.name),
    )


@bp.route("/<period>/kpis/<int:kpi_id>/source", methods=["POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_kpi_source(period, kpi_id):
    period = _editable_period(period)
    kpi = _of_year(db.session.get(Kpi, kpi_id), period)
    if (locked := _locked(period)) is not None:
        return locked
    source_form = KpiSourceForm(prefix="source")
    if source_form.validate_on_submit():
        before = _values(kpi, ("live_source",))
        kpi.live_source = _clean(source_form.live_source) or None
        _audit(period, f"KPI: {kpi.name}", before, kpi)
        db.session.commit()
        flash(f"Saved the live source for {kpi.name}", "success")
        return redirect(url_for("reporting.edit_kpi", period=period.code, kpi_id=kpi.id))
    form = KpiResultForm(obj=services.result_for(period, kpi))
    return render_template(
        "reporting/edit_kpi.html",
        form=form,
        source_form=source_form,
        period=period,
        kpi=kpi,
        sources=sorted(live.SOURCES.values(), key=lambda s: s.name),
    ), 400


@bp.route("/<period>/actions/<int:action_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_action(period, action_id):
    period = _editable_period(period)
    action = _of_year(db.session.get(Action, action_id), period)
    if (locked := _locked(period)) is not None:
        return locked
    update = services.action_update_for(period, action)
    form = ActionUpdateForm(obj=update if request.method == "GET" else None)
    if form.validate_on_submit():
        before = _values(update, ("rag", "commentary"))
        update = services.action_update_for(period, action, create=True)
        update.rag = form.rag.data or ""
        update.commentary = _clean(form.commentary)
        update.updated_by = current_user
        _audit(period, f"Action {action.position}: {action.description[:200]}", before, update)
        db.session.commit()
        flash("Saved the action's progress", "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + f"#action-{action.id}")
    return render_template("reporting/edit_action.html", form=form, period=period, action=action)


@bp.route("/<period>/risks/<int:risk_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_risk(period, risk_id):
    period = _editable_period(period)
    risk = _of_year(db.session.get(Risk, risk_id), period)
    if (locked := _locked(period)) is not None:
        return locked
    assessment = services.risk_assessment_for(period, risk)
    form = RiskAssessmentForm(obj=assessment if request.method == "GET" else None)
    if request.method == "GET" and assessment is not None:
        form.likelihood.data = str(assessment.likelihood or "")
        form.impact.data = str(assessment.impact or "")
        form.score.data = str(assessment.score or "")
    if form.validate_on_submit():
        before = _values(assessment, ("likelihood", "impact", "score", "controls"))
        assessment = services.risk_assessment_for(period, risk, create=True)
        assessment.likelihood = int(form.likelihood.data) if form.likelihood.data else None
        assessment.impact = int(form.impact.data) if form.impact.data else None
        assessment.score = form.computed_score
        assessment.controls = _clean(form.controls)
        assessment.updated_by = current_user
        _audit(period, f"Risk {risk.code}", before, assessment)
        db.session.commit()
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
    period = _editable_period(period)
    risk = _of_year(db.session.get(Risk, risk_id), period)
    if (locked := _locked(period)) is not None:
        return locked
    end_form = _risk_end_form(period, risk, formdata=request.form)
    if end_form.validate_on_submit():
        ending = end_form.ending.data or ""
        before = {"ended": services.risk_end(risk, period)}
        if ending:
            risk.ended_in = period
            risk.merged_into = db.session.get(Risk, int(end_form.merged_into.data)) if ending == "merged" else None
            risk.end_note = _clean(end_form.end_note)
            flash(
                f"{risk.code} is recorded as {'merged' if ending == 'merged' else 'closed'} in {period.label}",
                "success",
            )
        elif risk.ended_in_id == period.id:
            risk.ended_in, risk.merged_into, risk.end_note = None, None, ""
            flash(f"{risk.code} is back on the register", "success")
        db.session.flush()
        detail = services.describe_changes(
            before, {"ended": services.risk_end(risk, period)}, {"ended": "Left the register"}
        )
        if detail:
            services.record_change(period, current_user, f"Risk {risk.code}", detail)
        db.session.commit()
        return redirect(url_for("reporting.dashboard", period=period.code) + f"#risk-{risk.id}")
    form = RiskAssessmentForm(obj=services.risk_assessment_for(period, risk))
    return render_template("reporting/edit_risk.html", form=form, period=period, risk=risk, end_form=end_form), 400


@bp.route("/<period>/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_priority(period, priority_id):
    period = _editable_period(period)
    priority = db.session.get(Priority, priority_id)
    if priority is None or priority.year_start != period.year_start:
        abort(404)
    if (locked := _locked(period)) is not None:
        return locked
    update = services.priority_update_for(period, priority)
    form = PriorityUpdateForm(obj=update if request.method == "GET" else None)
    if form.validate_on_submit():
        before = _values(
            update, ("actions_commentary", "kpi_commentary", "risk_commentary", "published_actions_rating")
        )
        update = services.priority_update_for(period, priority, create=True)
        update.actions_commentary = _clean(form.actions_commentary)
        update.kpi_commentary = _clean(form.kpi_commentary)
        update.risk_commentary = _clean(form.risk_commentary)
        update.published_actions_rating = form.published_actions_rating.data or ""
        _audit(period, f"Priority: {priority.title}", before, update)
        db.session.commit()
        flash(f"Saved the commentary for {priority.title}", "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + f"#priority-{priority.id}")
    return render_template("reporting/edit_priority.html", form=form, period=period, priority=priority)


def _line(model, period, line_id):
    if line_id is None:
        return None
    line = db.session.get(model, line_id)
    if line is None or line.period_id != period.id:
        abort(404)
    return line


@bp.route("/<period>/budget/new", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def new_budget_line(period):
    return _budget_line(period, None)


@bp.route("/<period>/budget/<int:line_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_budget_line(period, line_id):
    return _budget_line(period, line_id)


def _budget_line(period, line_id):
    period = _editable_period(period)
    line = _line(BudgetLine, period, line_id)
    if (locked := _locked(period)) is not None:
        return locked
    form = BudgetLineForm(obj=line if request.method == "GET" else None)
    if request.method == "GET" and line is not None:
        for name in ("revised_budget", "forecast", "reserve_movements"):
            getattr(form, name).data = services.format_number(getattr(line, name)).replace(",", "")
    if form.validate_on_submit():
        before = _values(line, ("service", "revised_budget", "forecast", "reserve_movements", "commentary"))
        if line is None:
            line = BudgetLine(period=period, position=len(period.budget_lines) + 1)
            db.session.add(line)
        line.service = _clean(form.service)
        line.revised_budget = parse_number(form.revised_budget.data)
        line.forecast = parse_number(form.forecast.data)
        line.reserve_movements = parse_number(form.reserve_movements.data) or 0.0
        line.commentary = _clean(form.commentary)
        # Figures typed by an officer are the figures: nothing "published" differs from them.
        line.published_variance = line.published_forecast_after_reserves = None
        line.published_variance_after_reserves = None
        _audit(period, f"Budget line: {line.service}", before, line)
        db.session.commit()
        flash(f"Saved the budget line for {line.service}", "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + "#budget")
    return render_template("reporting/edit_line.html", form=form, period=period, line=line, kind="budget line")


@bp.route("/<period>/savings/new", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def new_saving_line(period):
    return _saving_line(period, None)


@bp.route("/<period>/savings/<int:line_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_saving_line(period, line_id):
    return _saving_line(period, line_id)


def _saving_line(period, line_id):
    period = _editable_period(period)
    line = _line(SavingLine, period, line_id)
    if (locked := _locked(period)) is not None:
        return locked
    form = SavingLineForm(obj=line if request.method == "GET" else None)
    if request.method == "GET" and line is not None:
        for name in ("saving", "forecast"):
            getattr(form, name).data = services.format_number(getattr(line, name)).replace(",", "")
    if form.validate_on_submit():
        before = _values(line, ("ref", "service_area", "description", "saving", "forecast", "comment"))
        if line is None:
            line = SavingLine(period=period, position=len(period.saving_lines) + 1)
            db.session.add(line)
        line.ref = _clean(form.ref)
        line.service_area = _clean(form.service_area)
        line.description = _clean(form.description)
        line.saving = parse_number(form.saving.data)
        line.forecast = parse_number(form.forecast.data)
        line.comment = _clean(form.comment)
        _audit(period, f"Savings line: {line.ref}", before, line)
        db.session.commit()
        flash(f"Saved savings line {line.ref}", "success")
        return redirect(url_for("reporting.dashboard", period=period.code) + "#savings")
    return render_template("reporting/edit_line.html", form=form, period=period, line=line, kind="savings line")


@bp.route("/<period>/import", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def import_results(period):
    period = _editable_period(period)
    if (locked := _locked(period)) is not None:
        return locked
    form = ImportForm()
    outcome = None
    if form.validate_on_submit():
        upload = form.file.data
        # One byte over the cap is enough for the importer to refuse the file with its size.
        data = upload.read(importer.MAX_UPLOAD_BYTES + 1)
        outcome = importer.import_results(upload.filename, data, user=current_user, allowed_period=period)
        if outcome.ok:
            services.record_change(
                period, current_user, f"Imported {outcome.changed} KPI results", f"From {upload.filename}"
            )
            db.session.commit()
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
    period = _editable_period(period)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if (locked := _locked(period)) is not None:
        return locked
    taken, unavailable = services.take_live_results(period, current_user)
    if taken:
        services.record_change(
            period,
            current_user,
            "Live results taken",
            "; ".join(f"{kpi.name}: {services.format_number(value)}" for kpi, value in taken),
        )
        db.session.commit()
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


# --- Workflow -------------------------------------------------------------------------------------------


def _workflow(period_code, action, done_message):
    period = _editable_period(period_code)
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
    period = _editable_period(period)
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
    period = _editable_period(period)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            services.return_to_draft(period, current_user, _clean(form.reason))
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
    period = _editable_period(period)
    form = ReopenForm()
    if period.status != APPROVED:
        flash("Only an approved report can be reopened", "info")
        return redirect(url_for("reporting.dashboard", period=period.code))
    if form.validate_on_submit():
        try:
            services.reopen(period, current_user, _clean(form.reason))
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
    period = _visible_period(period)
    return render_template(
        "reporting/versions.html", period=period, versions=services.published_versions(period), is_officer=_is_officer()
    )


@bp.route("/<period>/versions/<int:number>")
@public
def version(period, number):
    period = _visible_period(period)
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
        charts=_quarter_charts(data),
    )


@bp.route("/<period>/changes")
@roles_required(*OFFICER_ROLES)
def changes(period):
    """The audit trail: who changed what, when."""
    period = _editable_period(period)
    return render_template("reporting/changes.html", period=period, changes=list(reversed(period.changes)))


# --- The delivery plan of a year, edited on the web --------------------------------------------------------

PLAN_KINDS = {
    # kind: (model, form, fields, label)
    "priorities": (Priority, PlanPriorityForm, ("position", "title"), "priority"),
    "actions": (Action, PlanActionForm, ("description", "timescale"), "action"),
    "kpis": (Kpi, PlanKpiForm, ("name", "polarity", "unit", "measure", "annual_target", "previous_year_end"), "KPI"),
    "risks": (Risk, PlanRiskForm, ("code", "title", "description"), "risk"),
}


@bp.route("/plan/<int:year>")
@roles_required(*OFFICER_ROLES)
def plan(year):
    """The year's delivery plan: priorities with their actions, KPIs (and targets) and risks."""
    if not 2000 <= year <= 2100:
        abort(404)
    return render_template(
        "reporting/plan.html",
        year=year,
        year_label=services.year_label(year),
        priorities=services.priorities_for_year(year),
        locked=services.plan_locked_reason(year),
        may_edit=current_user.role in (PERFORMANCE_OFFICER, "admin"),
        confirm=ConfirmForm(),
        earlier=[y for y in services.plan_years() if y < year],
    )


@bp.route("/plan/<int:year>/roll-forward", methods=["POST"])
@roles_required(PERFORMANCE_OFFICER)
def roll_forward(year):
    if not ConfirmForm().validate_on_submit() or not 2000 <= year <= 2100:
        abort(400)
    try:
        from_year = services.roll_forward_plan(year, current_user)
    except services.WorkflowError as exc:
        flash(str(exc), "info")
    else:
        flash(
            f"The {services.year_label(from_year)} plan has been copied into {services.year_label(year)}: "
            f"change what is different this year",
            "success",
        )
    return redirect(url_for("reporting.plan", year=year))


@bp.route("/plan/<int:year>/<kind>/new", methods=["GET", "POST"])
@bp.route("/plan/<int:year>/<kind>/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(PERFORMANCE_OFFICER)
def edit_plan_item(year, kind, item_id=None):
    """Add or change a priority, or an action / KPI / risk of a priority (?priority=<id> when adding)."""
    if kind not in PLAN_KINDS or not 2000 <= year <= 2100:
        abort(404)
    model, form_class, fields, label = PLAN_KINDS[kind]
    item = db.session.get(model, item_id) if item_id is not None else None
    if item_id is not None:
        owner_year = (item.year_start if kind == "priorities" else item.priority.year_start) if item else None
        if owner_year != year:
            abort(404)
    priority = None
    if kind != "priorities":
        priority = item.priority if item else db.session.get(Priority, request.args.get("priority", type=int) or 0)
        if priority is None or priority.year_start != year:
            abort(404)
    back = url_for("reporting.plan", year=year) + (f"#priority-{priority.id}" if priority else "")
    locked = services.plan_locked_reason(year)
    if locked:
        flash(locked, "info")
        return redirect(back)
    form = form_class(obj=item if request.method == "GET" else None)
    if request.method == "GET" and item is not None and kind == "priorities":
        form.position.data = str(item.position)
    if form.validate_on_submit():
        if kind == "priorities":
            position = int(form.position.data.strip())
            clash = db.session.scalar(
                db.select(Priority).where(Priority.year_start == year, Priority.position == position)
            )
            if clash is not None and clash is not item:
                form.position.errors.append(f"Section {position} is already '{clash.title}'")
                return render_template(
                    "reporting/plan_item.html",
                    form=form,
                    year=year,
                    kind=kind,
                    label=label,
                    item=item,
                    priority=priority,
                    back=back,
                ), 400
        if item is None:
            if kind == "priorities":
                item = model(year_start=year)
            else:
                position = max([0] + [other.position for other in getattr(priority, kind)]) + 1
                item = model(priority=priority, position=position)
            db.session.add(item)
        for name in fields:
            value = getattr(form, name).data
            setattr(item, name, int(value.strip()) if name == "position" else (value or "").strip())
        db.session.commit()
        flash(f"Saved the {label} in the {services.year_label(year)} plan", "success")
        return redirect(back)
    return render_template(
        "reporting/plan_item.html",
        form=form,
        year=year,
        kind=kind,
        label=label,
        item=item,
        priority=priority,
        back=back,
    )


# --- Open data (000:940: the council publishes KPI results on its Open Barnet portal) ---------------------

OPEN_LICENCE = (
    "Open Government Licence v3.0 (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)"
)


def _published_reports():
    """(period, published data) of every quarter the public can see, oldest first."""
    published = []
    for period in db.session.scalars(db.select(ReportPeriod).order_by(ReportPeriod.year_start, ReportPeriod.quarter)):
        data = services.latest_published(period)
        if data is not None:
            published.append((period, services.public_report(data)))
    return published


@bp.route("/open-data/kpi-results.csv")
@public
def open_data_csv():
    """Every published quarter's KPI results in one CSV (the columns of each quarter's KPI CSV)."""
    parts = [exports.to_csv_text(data) for _, data in _published_reports()]
    body = parts[0] if parts else ",".join(exports.CSV_COLUMNS) + "\r\n"
    for extra in parts[1:]:
        body += extra.split("\r\n", 1)[1]
    return _download(body, "text/csv; charset=utf-8", "kpi-results.csv")


@bp.route("/open-data/reports.json")
@public
def open_data_index():
    """A catalogue of the published quarters and their files, for the open data portal to harvest."""
    root = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    reports = [
        {
            "period": period.code,
            "label": period.label,
            "version": data.get("version", 1),
            "approved_at": data["approved_at"].isoformat() if data.get("approved_at") else None,
            "page": root + url_for("reporting.report", period=period.code),
            "csv": root + url_for("reporting.export_csv", period=period.code),
            "json": root + url_for("reporting.export_json", period=period.code),
            "xlsx": root + url_for("reporting.export_xlsx", period=period.code),
        }
        for period, data in _published_reports()
    ]
    body = {
        "title": "Community Leadership and Libraries Committee: quarterly delivery plan performance",
        "licence": OPEN_LICENCE,
        "all_kpi_results_csv": root + url_for("reporting.open_data_csv"),
        "reports": reports,
    }
    return current_app.response_class(json.dumps(body, indent=2, ensure_ascii=False), mimetype="application/json")
