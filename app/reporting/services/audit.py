"""The report's audit trail (ReportChange): who changed what, when, in words."""

from ...extensions import db
from ..models import ReportChange
from .periods import format_number


def record_change(period, user, subject, detail=""):
    """One line of the report's audit trail (committed with the change it describes)."""
    change = ReportChange(period=period, user=user, version=period.version or 1, subject=subject[:400], detail=detail)
    db.session.add(change)
    return change


def _shown(value):
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, float):
        return format_number(value)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "..."


def describe_changes(before, after, labels):
    """'Result: 4 -> 5; Target: 3 -> 4' for the fields whose value changed ('' when none did)."""
    parts = [
        f"{labels.get(key, key)}: {_shown(before.get(key))} → {_shown(after.get(key))}"
        for key in after
        if before.get(key) != after.get(key)
    ]
    return "; ".join(parts)


# How each field an officer edits is named in the audit trail.
CHANGE_LABELS = {
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


def field_values(record, fields):
    """{field: value} of `record` (all None when there is no record yet), to compare after an edit."""
    return {name: (getattr(record, name) if record is not None else None) for name in fields}


def record_edit(period, user, subject, before, record):
    """Record what changed on `record` since `before` (a field_values() dict) in the report's audit trail;
    nothing when nothing changed."""
    detail = describe_changes(before, field_values(record, before.keys()), CHANGE_LABELS)
    if detail:
        record_change(period, user, subject, detail)
