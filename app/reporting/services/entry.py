"""What officers enter for a quarter: KPI results (typed, imported or taken from a live source), actions'
progress, risk assessments and risks leaving the register, priorities' commentary, budget and savings lines.
Each save records what changed in the audit trail and commits."""

from datetime import date

from ...extensions import db
from ...timeutil import utcnow
from .. import live
from ..models import BudgetLine, SavingLine
from .audit import describe_changes, field_values, record_change, record_edit
from .periods import (
    action_update_for,
    format_number,
    kpis_for_year,
    priority_update_for,
    require_editable,
    result_for,
    risk_assessment_for,
)
from .report import risk_end


def live_window(kpi, period):
    """The dates a live source counts over, by the KPI's measure: the quarter (q), the year so far (c), the
    12 months to the quarter's end (r); a snapshot (s) counts everything up to the quarter's end."""
    start, end = live.quarter_dates(period.year_start, period.quarter)
    if kpi.measure in ("c", "annual", "bi-annual"):
        start = live.year_dates(period.year_start)[0]
    elif kpi.measure == "r":
        start = (
            date(end.year - 1, end.month, end.day)
            if not (end.month == 2 and end.day == 29)
            else date(end.year - 1, 3, 1)
        )
    elif kpi.measure == "s":
        start = date(1900, 1, 1)
    return start, end


def take_live_results(period, user=None):
    """Fill the result of every KPI with a live source. Returns (taken: [(kpi, value)], unavailable:
    [(kpi, message)]). A source that is not available leaves the entered figure as it is."""
    require_editable(period)
    taken, unavailable = [], []
    for kpi in kpis_for_year(period.year_start):
        if not kpi.live_source:
            continue
        start, end = live_window(kpi, period)
        try:
            value = live.fetch(kpi.live_source, start, end)
        except live.SourceUnavailable as exc:
            unavailable.append((kpi, str(exc)))
            continue
        result = result_for(period, kpi, create=True)
        result.result = float(value)
        result.result_note = ""
        result.live_taken_at = utcnow()
        result.updated_by = user
        taken.append((kpi, value))
    db.session.commit()
    return taken, unavailable


def refresh_live_results(period, user):
    """An officer's "take live results": take_live_results, then one line in the audit trail naming what
    was taken. Returns (taken, unavailable) as take_live_results does."""
    taken, unavailable = take_live_results(period, user)
    if taken:
        record_change(
            period,
            user,
            "Live results taken",
            "; ".join(f"{kpi.name}: {format_number(value)}" for kpi, value in taken),
        )
        db.session.commit()
    return taken, unavailable


def record_import(period, user, changed, filename):
    """The audit line for a spreadsheet of results imported (importer.import_results has saved them)."""
    record_change(period, user, f"Imported {changed} KPI results", f"From {filename}")
    db.session.commit()


KPI_RESULT_FIELDS = (
    "target",
    "result",
    "result_note",
    "previous_result",
    "previous_result_note",
    "benchmark",
    "commentary",
    "variance_explanation",
    "notes",
)


def save_kpi_result(period, kpi, user, values):
    """The quarter's figures for a KPI, as entered (`values` by KPI_RESULT_FIELDS). A result typed over a
    live one is no longer live. Returns the KpiResult."""
    result = result_for(period, kpi)
    before = field_values(result, KPI_RESULT_FIELDS)
    result = result_for(period, kpi, create=True)
    if values["result"] != result.result:
        result.live_taken_at = None
    for name in KPI_RESULT_FIELDS:
        setattr(result, name, values[name])
    result.updated_by = user
    record_edit(period, user, f"KPI: {kpi.name}", before, result)
    db.session.commit()
    return result


def save_kpi_source(period, kpi, user, live_source):
    """Which registered live source (or none, '') counts the KPI's result."""
    before = field_values(kpi, ("live_source",))
    kpi.live_source = live_source or None
    record_edit(period, user, f"KPI: {kpi.name}", before, kpi)
    db.session.commit()


def save_action_update(period, action, user, rag, commentary):
    """The action's RAG and commentary for the quarter."""
    update = action_update_for(period, action)
    before = field_values(update, ("rag", "commentary"))
    update = action_update_for(period, action, create=True)
    update.rag = rag or ""
    update.commentary = commentary
    update.updated_by = user
    record_edit(period, user, f"Action {action.position}: {action.description[:200]}", before, update)
    db.session.commit()


def save_risk_assessment(period, risk, user, likelihood, impact, score, controls):
    """The risk's assessment for the quarter."""
    assessment = risk_assessment_for(period, risk)
    before = field_values(assessment, ("likelihood", "impact", "score", "controls"))
    assessment = risk_assessment_for(period, risk, create=True)
    assessment.likelihood = likelihood
    assessment.impact = impact
    assessment.score = score
    assessment.controls = controls
    assessment.updated_by = user
    record_edit(period, user, f"Risk {risk.code}", before, assessment)
    db.session.commit()


def set_risk_end(period, risk, user, ending, merged_into=None, note=""):
    """Record the risk as "closed" or "merged" (into `merged_into`) in this quarter, or with `ending` ''
    put back on the register a risk that had left it in this quarter. Returns "ended", "restored" or ""
    (nothing to do)."""
    before = {"ended": risk_end(risk, period)}
    outcome = ""
    if ending:
        risk.ended_in = period
        risk.merged_into = merged_into if ending == "merged" else None
        risk.end_note = note
        outcome = "ended"
    elif risk.ended_in_id == period.id:
        risk.ended_in, risk.merged_into, risk.end_note = None, None, ""
        outcome = "restored"
    db.session.flush()
    detail = describe_changes(before, {"ended": risk_end(risk, period)}, {"ended": "Left the register"})
    if detail:
        record_change(period, user, f"Risk {risk.code}", detail)
    db.session.commit()
    return outcome


PRIORITY_UPDATE_FIELDS = ("actions_commentary", "kpi_commentary", "risk_commentary", "published_actions_rating")


def save_priority_update(period, priority, user, values):
    """The priority's commentary for the quarter (`values` by PRIORITY_UPDATE_FIELDS)."""
    update = priority_update_for(period, priority)
    before = field_values(update, PRIORITY_UPDATE_FIELDS)
    update = priority_update_for(period, priority, create=True)
    for name in PRIORITY_UPDATE_FIELDS:
        setattr(update, name, values[name])
    record_edit(period, user, f"Priority: {priority.title}", before, update)
    db.session.commit()


# The report's two tables of lines (000:701 budget, 000:716 savings): kind -> (model, the period's list of
# them, the fields an officer enters, how the audit trail names one).
LINES = {
    "budget": (
        BudgetLine,
        "budget_lines",
        ("service", "revised_budget", "forecast", "reserve_movements", "commentary"),
        "Budget line: {service}",
    ),
    "savings": (
        SavingLine,
        "saving_lines",
        ("ref", "service_area", "description", "saving", "forecast", "comment"),
        "Savings line: {ref}",
    ),
}


def line_of(period, kind, line_id):
    """The period's budget or savings line `line_id`, or None when it is not one of them."""
    model = LINES[kind][0]
    line = db.session.get(model, line_id)
    return line if line is not None and line.period_id == period.id else None


def save_line(period, kind, line, user, values):
    """Add (when `line` is None, at the end of the table) or change a budget or savings line. Returns it."""
    model, collection, fields, subject = LINES[kind]
    before = field_values(line, fields)
    if line is None:
        line = model(period=period, position=len(getattr(period, collection)) + 1)
        db.session.add(line)
    for name in fields:
        setattr(line, name, values[name])
    if kind == "budget":
        # Figures typed by an officer are the figures: nothing "published" differs from them.
        line.published_variance = line.published_forecast_after_reserves = None
        line.published_variance_after_reserves = None
    record_edit(period, user, subject.format(**{name: getattr(line, name) for name in fields}), before, line)
    db.session.commit()
    return line
