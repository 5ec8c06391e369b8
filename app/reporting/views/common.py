"""What the report's pages share: the blueprint, template filters, who may see which period."""

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_login import current_user

from ...extensions import db
from ...security import ADMIN, OFFICER_ROLES, PERFORMANCE_OFFICER
from .. import ratings, services
from ..models import APPROVED, Priority

bp = Blueprint("reporting", __name__, url_prefix="/reporting")

# Who enters figures, submits and approves (a strategy officer reads the officers' pages but changes nothing).
EDITORS = (PERFORMANCE_OFFICER, ADMIN)


@bp.app_template_filter("no_sources")
def no_sources_filter(text):
    return services.without_source_references(text)


@bp.app_template_filter("target_rule")
def target_rule_filter(target, polarity, measure=""):
    """How a target rates, in words ({{ k.annual_target | target_rule(k.polarity) }})."""
    return ratings.target_rule(target or "", polarity, measure) if target else "No target"


def clean(field):
    """A text field's value without surrounding spaces ('' when it was not sent)."""
    return (field.data or "").strip()


def is_officer():
    return current_user.is_authenticated and current_user.role in OFFICER_ROLES


def may_edit():
    return current_user.is_authenticated and current_user.role in EDITORS


def visible_period(code):
    """The period, if the visitor may see it; 404 otherwise (drafts are not revealed). The public sees an
    approved report, or a reopened one's last published version."""
    period = services.period_by_code(code)
    if period is None or (period.status != APPROVED and not is_officer() and not services.published_versions(period)):
        abort(404)
    return period


def report_data(period):
    """What this visitor sees of the period: officers the live figures; everyone else the published ones.
    Either way without the council papers' file:line references (officers see those on the entry pages)."""
    if is_officer():
        return services.public_report(services.build_report(period))
    data = services.latest_published(period)
    if data is None:
        abort(404)
    return services.public_report(data)


def editable_period(code):
    period = services.period_by_code(code)
    if period is None:
        abort(404)
    return period


def visible_periods():
    periods = services.periods_in_order()
    if is_officer():
        return periods
    return [p for p in periods if p.status == APPROVED or services.published_versions(p)]


def of_year(record, period):
    """404 unless the plan record (a priority, or a priority's action, KPI or risk) belongs to the period's
    financial year."""
    owner = record if isinstance(record, Priority) or record is None else record.priority
    if owner is None or owner.year_start != period.year_start:
        abort(404)
    return record


def open_to_change(code, model=None, record_id=None):
    """(period, plan record) for a page that changes the quarter's figures: 404 for a period that does not
    exist or a record of another year; a redirect to the dashboard, with a message, when the report can no
    longer be changed."""
    period = editable_period(code)
    record = of_year(db.session.get(model, record_id), period) if model is not None else None
    refuse_if_locked(period)
    return period, record


def refuse_if_locked(period):
    """Send the officer back to the dashboard, with a message, when the report can no longer be changed."""
    if not period.is_editable:
        flash(f"The report for {period.label} is {period.status_label.lower()}: it can no longer be changed", "info")
        abort(redirect(url_for("reporting.dashboard", period=period.code)))


def download(body, mimetype, filename):
    return current_app.response_class(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
