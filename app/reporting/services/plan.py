"""A year's delivery plan: rolled forward from the year before, edited on the web, locked while an approved
report shows it; a new quarter's report started from it."""

from ...extensions import db
from ..models import APPROVED, DRAFT, Action, Kpi, Priority, ReportPeriod, Risk, RiskAssessment
from .periods import WorkflowError, format_number, plan_years, priorities_for_year, result_for, year_label


def plan_locked_reason(year_start):
    """Why the year's plan cannot be changed now ('' when it can): an approved report shows it as published,
    so it must be reopened first."""
    approved = db.session.scalars(
        db.select(ReportPeriod)
        .where(ReportPeriod.year_start == year_start, ReportPeriod.status == APPROVED)
        .order_by(ReportPeriod.quarter)
    ).all()
    if approved:
        labels = ", ".join(p.label for p in approved)
        return (
            f"The {year_label(year_start)} plan is part of approved reports ({labels}). Reopen them to change the plan."
        )
    return ""


def roll_forward_plan(to_year, user=None):
    """Copy the latest earlier year's delivery plan into `to_year`: priorities, actions, KPIs (with last
    year's annual result as the previous end-of-year figure when a Q4 result exists) and the risks still on
    the register. The officer then edits it on the web. Returns the year copied from."""
    if priorities_for_year(to_year):
        raise WorkflowError(f"There is already a delivery plan for {year_label(to_year)}")
    earlier = [year for year in plan_years() if year < to_year]
    if not earlier:
        raise WorkflowError(
            f"There is no earlier delivery plan to roll forward into {year_label(to_year)}: add its priorities "
            f"on the plan page first"
        )
    from_year = earlier[-1]
    last_q4 = db.session.scalar(
        db.select(ReportPeriod).where(ReportPeriod.year_start == from_year, ReportPeriod.quarter == 4)
    )
    short = f"{from_year % 100:02d}/{(from_year + 1) % 100:02d}"
    for old in priorities_for_year(from_year):
        new = Priority(
            year_start=to_year,
            position=old.position,
            title=old.title,
            source=f"Rolled forward from {year_label(from_year)}",
        )
        db.session.add(new)
        for action in old.actions:
            new.actions.append(
                Action(position=action.position, description=action.description, timescale=action.timescale)
            )
        for kpi in old.kpis:
            q4 = result_for(last_q4, kpi) if last_q4 else None
            previous_end = format_number(q4.result, kpi.unit) if q4 and q4.result is not None else ""
            new.kpis.append(
                Kpi(
                    position=kpi.position,
                    name=kpi.name,
                    polarity=kpi.polarity,
                    unit=kpi.unit,
                    measure=kpi.measure,
                    annual_target=kpi.annual_target,
                    previous_year_end=previous_end or f"Not reported for {short}",
                    new_for_year=False,
                    live_source=kpi.live_source,
                    notes="",
                )
            )
        for risk in old.risks:
            if risk.ended_in is not None:
                continue
            new.risks.append(
                Risk(position=risk.position, code=risk.code, title=risk.title, description=risk.description)
            )
    db.session.commit()
    return from_year


def create_period(year_start, quarter, user=None):
    """A new draft quarter. Risk assessments start from the latest earlier quarter's (the register is a
    live document, 000:754), so the officer only changes what moved."""
    if not priorities_for_year(year_start):
        # "Any financial year": the plan is rolled forward from the year before and edited on the web.
        roll_forward_plan(year_start, user)
    existing = db.session.scalar(
        db.select(ReportPeriod).where(ReportPeriod.year_start == year_start, ReportPeriod.quarter == quarter)
    )
    if existing:
        raise WorkflowError(f"The report for {existing.label} already exists")
    period = ReportPeriod(year_start=year_start, quarter=quarter, status=DRAFT, created_by=user)
    db.session.add(period)
    previous = db.session.scalar(
        db.select(ReportPeriod)
        .where((ReportPeriod.year_start * 10 + ReportPeriod.quarter) < year_start * 10 + quarter)
        .order_by(ReportPeriod.year_start.desc(), ReportPeriod.quarter.desc())
    )
    if previous:
        # A new year's plan has its own risk records: carry scores over by risk code.
        this_year = {risk.code: risk for p in priorities_for_year(year_start) for risk in p.risks}
        for old in previous.risk_assessments:
            risk = old.risk if old.risk.priority.year_start == year_start else this_year.get(old.risk.code)
            if risk is not None and risk.ended_in is None:
                period.risk_assessments.append(
                    RiskAssessment(
                        risk=risk, likelihood=old.likelihood, impact=old.impact, score=old.score, controls=old.controls
                    )
                )
    db.session.commit()
    return period


# What the plan page edits: kind -> (model, the fields the form sets, what it is called).
PLAN_ITEMS = {
    "priorities": (Priority, ("position", "title"), "priority"),
    "actions": (Action, ("description", "timescale"), "action"),
    "kpis": (Kpi, ("name", "polarity", "unit", "measure", "annual_target", "previous_year_end"), "KPI"),
    "risks": (Risk, ("code", "title", "description"), "risk"),
}


def priority_at(year_start, position):
    """The year's priority in section `position`, or None."""
    return db.session.scalar(
        db.select(Priority).where(Priority.year_start == year_start, Priority.position == position)
    )


def save_plan_item(year_start, kind, item, priority, values):
    """Add (when `item` is None) or change a priority of the year's plan, or an action / KPI / risk of
    `priority`; a new action, KPI or risk goes last in its priority. `values` are the form's, by field.
    Returns the item."""
    model, fields, _ = PLAN_ITEMS[kind]
    if item is None:
        if kind == "priorities":
            item = model(year_start=year_start)
        else:
            position = max([0] + [other.position for other in getattr(priority, kind)]) + 1
            item = model(priority=priority, position=position)
        db.session.add(item)
    for name in fields:
        value = values[name]
        setattr(item, name, int(value.strip()) if name == "position" else (value or "").strip())
    db.session.commit()
    return item
