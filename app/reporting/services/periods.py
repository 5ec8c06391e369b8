"""Finding things: periods by code, a year's plan, a quarter's records of a KPI, action, risk or priority;
the financial year's labels; numbers as the report prints them."""

import re
from datetime import date

from ...extensions import db
from ..models import ActionUpdate, Kpi, KpiResult, Priority, PriorityUpdate, ReportPeriod, RiskAssessment

PERIOD_CODE = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")


class WorkflowError(Exception):
    """An action the workflow does not allow now; the message is shown to the officer."""


def parse_period_code(code):
    """'2019-20-Q1' -> (2019, 1); None when it is not a period code."""
    match = PERIOD_CODE.match((code or "").strip())
    if not match:
        return None
    year, next_year, quarter = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if (year + 1) % 100 != next_year:
        return None
    return year, quarter


def period_by_code(code):
    parsed = parse_period_code(code)
    if parsed is None:
        return None
    return db.session.scalar(
        db.select(ReportPeriod).where(ReportPeriod.year_start == parsed[0], ReportPeriod.quarter == parsed[1])
    )


def periods_in_order():
    """Every quarter's report, oldest first."""
    return db.session.scalars(db.select(ReportPeriod).order_by(ReportPeriod.year_start, ReportPeriod.quarter)).all()


def priorities_for_year(year_start):
    return db.session.scalars(
        db.select(Priority).where(Priority.year_start == year_start).order_by(Priority.position)
    ).all()


def kpis_for_year(year_start):
    return db.session.scalars(
        db.select(Kpi).join(Priority).where(Priority.year_start == year_start).order_by(Priority.position, Kpi.position)
    ).all()


def plan_years():
    return db.session.scalars(db.select(Priority.year_start).distinct().order_by(Priority.year_start)).all()


def year_label(year_start):
    return f"{year_start}/{(year_start + 1) % 100:02d}"


def financial_year_of(day):
    """2019 for any day from 1 April 2019 to 31 March 2020."""
    return day.year if day.month >= 4 else day.year - 1


def year_choices(today=None):
    """Years a report can be started for: every year with a plan, the year after the latest (its plan is
    rolled forward) and the current financial year."""
    today = today or date.today()
    years = set(plan_years())
    if years:
        years.add(max(years) + 1)
    years.add(financial_year_of(today))
    return sorted(years)


def previous_period(period):
    """The latest quarter before this one (of any year), or None."""
    return db.session.scalar(
        db.select(ReportPeriod)
        .where((ReportPeriod.year_start * 10 + ReportPeriod.quarter) < period.year_start * 10 + period.quarter)
        .order_by(ReportPeriod.year_start.desc(), ReportPeriod.quarter.desc())
    )


def require_editable(period):
    if not period.is_editable:
        raise WorkflowError(
            f"The report for {period.label} is {period.status_label.lower()}: it can no longer be changed"
        )


def _quarter_record(model, period, owner_name, owner, create, **defaults):
    """The quarter's `model` row of `owner` (a KPI, action, risk or priority); when there is none and
    `create`, a new one added to the session."""
    record = db.session.scalar(
        db.select(model).where(model.period_id == period.id, getattr(model, f"{owner_name}_id") == owner.id)
    )
    if record is None and create:
        record = model(period=period, **{owner_name: owner}, **defaults)
        db.session.add(record)
    return record


def result_for(period, kpi, create=False):
    return _quarter_record(KpiResult, period, "kpi", kpi, create)


def action_update_for(period, action, create=False):
    return _quarter_record(ActionUpdate, period, "action", action, create)


def risk_assessment_for(period, risk, create=False):
    return _quarter_record(RiskAssessment, period, "risk", risk, create, score=0)


def priority_update_for(period, priority, create=False):
    return _quarter_record(PriorityUpdate, period, "priority", priority, create)


def format_number(value, unit=""):
    """22789 -> '22,789'; 9.54 -> '9.54'; with '%' when the KPI is a percentage."""
    if value is None:
        return ""
    value = float(value)
    text = f"{int(value):,}" if value.is_integer() else f"{value:,}"
    return text + ("%" if unit == "%" else "")
