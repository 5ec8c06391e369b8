"""Reporting logic that needs no request: building a quarter's report, the workflow, live results.

The rules themselves are pure functions in ratings.py. ``build_report`` turns the stored figures into one
plain structure (dicts and lists) that the web page, the PDF, the CSV / XLSX / JSON exports and the CLI all
use, so they can never disagree.
"""

import json
import logging
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from .. import mailer
from ..auth.models import User
from ..extensions import db
from ..security import ADMIN, PERFORMANCE_OFFICER
from ..timeutil import utcnow
from . import live, ratings
from .models import (
    APPROVED,
    DRAFT,
    MEASURE_MARKS,
    POLARITY_LABELS,
    SUBMITTED,
    Action,
    ActionUpdate,
    BudgetLine,
    Kpi,
    KpiResult,
    Priority,
    PriorityUpdate,
    ReportChange,
    ReportPeriod,
    ReportVersion,
    Risk,
    RiskAssessment,
)

log = logging.getLogger("portal.reporting")

PERIOD_CODE = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")


class WorkflowError(Exception):
    """An action the workflow does not allow now; the message is shown to the officer."""


# --- Periods --------------------------------------------------------------------------------------------


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


# --- Audit trail ---------------------------------------------------------------------------------------


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


# --- Workflow -------------------------------------------------------------------------------------------


def previous_period(period):
    """The latest quarter before this one (of any year), or None."""
    return db.session.scalar(
        db.select(ReportPeriod)
        .where((ReportPeriod.year_start * 10 + ReportPeriod.quarter) < period.year_start * 10 + period.quarter)
        .order_by(ReportPeriod.year_start.desc(), ReportPeriod.quarter.desc())
    )


def submission_warnings(period):
    """What an approver would want to know before the report goes in: [{"kind", "text", "items"}]. An
    officer may still submit (a figure can be genuinely missing), but sees the list first."""
    report = build_report(period)
    warnings = []
    missing = [
        k["name"]
        for p in report["priorities"]
        for k in p["kpis"]
        if not k["entered"] or not k["target"] or (k["result"] is None and not k["result_text"])
    ]
    if missing:
        warnings.append(
            {
                "kind": "kpis_not_entered",
                "text": f"{len(missing)} KPI{'s' if len(missing) != 1 else ''} not entered (no target, or "
                f"no result and no reason why)",
                "items": missing,
            }
        )
    if not report["budget"]:
        warnings.append({"kind": "budget_missing", "text": "No budget forecast has been entered", "items": []})
    if not report["savings"]:
        warnings.append({"kind": "savings_missing", "text": "No savings lines have been entered", "items": []})
    unexplained = [
        k["name"]
        for p in report["priorities"]
        for k in p["kpis"]
        if k["rag"] == ratings.RED and not k["variance_explanation"]
    ]
    if unexplained:
        warnings.append(
            {"kind": "red_unexplained", "text": "Red KPIs without an explanation of variance", "items": unexplained}
        )
    unrated = [p["title"] for p in report["priorities"] if p["overall"] is None]
    if unrated:
        warnings.append(
            {
                "kind": "priorities_not_rated",
                "text": "Priorities with no rating (no rated action or KPI)",
                "items": unrated,
            }
        )
    previous = previous_period(period)
    if previous is not None:
        before = build_report(previous)
        old_kpis = {k["name"]: k for p in before["priorities"] for k in p["kpis"]}
        old_priorities = {p["title"]: p for p in before["priorities"]}
        changed = []
        for p in report["priorities"]:
            old = old_priorities.get(p["title"])
            if old and old["overall"] and p["overall"] and old["overall"] != p["overall"]:
                changed.append(
                    f"{p['title']} (overall): {old['overall_label']} in {previous.label}, {p['overall_label']} now"
                )
            for k in p["kpis"]:
                old_kpi = old_kpis.get(k["name"])
                if old_kpi and old_kpi["rag"] and k["rag"] and old_kpi["rag"] != k["rag"]:
                    changed.append(f"{k['name']}: {old_kpi['rag_label']} in {previous.label}, {k['rag_label']} now")
        if changed:
            warnings.append(
                {"kind": "ratings_changed", "text": f"Ratings that changed since {previous.label}", "items": changed}
            )
    return warnings


def approvers_for(period):
    """Who can approve once it is submitted: active performance officers and administrators other than the
    submitter."""
    return db.session.scalars(
        db.select(User)
        .where(
            User.role.in_((PERFORMANCE_OFFICER, ADMIN)), User.active.is_(True), User.id != (period.submitted_by_id or 0)
        )
        .order_by(User.id)
    ).all()


def notify_approvers(period, warnings=()):
    """E-mail every possible approver; a mail failure is logged and reported, never undoes the submission.
    Returns the number of messages sent."""
    sent = 0
    for user in approvers_for(period):
        try:
            mailer.send_email(
                "reporting_submitted",
                user.email,
                f"{period.label} performance report: ready for approval",
                period=period,
                approver=user,
                warnings=list(warnings),
            )
            sent += 1
        except Exception:  # the SMTP server may be down: the report is submitted all the same
            log.exception("approval request not sent", extra={"period": period.code, "to_user": user.id})
    return sent


def submit(period, user):
    """draft -> submitted."""
    if period.status != DRAFT:
        raise WorkflowError(f"Only a draft can be submitted; this report is {period.status_label.lower()}")
    warnings = submission_warnings(period)
    period.status = SUBMITTED
    period.submitted_by = user
    period.submitted_at = utcnow()
    record_change(
        period,
        user,
        "Submitted for approval",
        ("With warnings: " + "; ".join(w["text"] for w in warnings)) if warnings else "No warnings",
    )
    db.session.commit()
    return warnings


def approve(period, user):
    """submitted -> approved, by someone other than the submitter. The report is then public and frozen, and
    kept as a published version."""
    if period.status != SUBMITTED:
        raise WorkflowError("Only a submitted report can be approved")
    if period.submitted_by_id == user.id:
        raise WorkflowError("Someone other than the person who submitted the report must approve it")
    period.status = APPROVED
    period.approved_by = user
    period.approved_at = utcnow()
    db.session.flush()
    _keep_version(period)
    record_change(period, user, f"Approved and published (version {period.version})")
    db.session.commit()


def return_to_draft(period, user, reason):
    """submitted -> draft with a reason, so the submitter can correct it."""
    if period.status != SUBMITTED:
        raise WorkflowError("Only a submitted report can be returned")
    period.status = DRAFT
    period.returned_by = user
    period.returned_at = utcnow()
    period.return_reason = reason.strip()
    record_change(period, user, "Returned to draft", reason.strip())
    db.session.commit()


def reopen(period, user, reason):
    """approved -> draft for a correction: the published version stays as it was (and stays public until
    the corrected one is approved); the correction becomes the next version."""
    reason = (reason or "").strip()
    if period.status != APPROVED:
        raise WorkflowError("Only an approved report can be reopened")
    if not reason:
        raise WorkflowError("Enter why the approved report needs to be reopened")
    version = _keep_version(period)
    version.reopened_at = utcnow()
    version.reopened_by = user
    version.reopen_reason = reason
    record_change(period, user, f"Reopened version {period.version} for a correction", reason)
    period.version = (period.version or 1) + 1
    period.status = DRAFT
    period.submitted_at = period.submitted_by = period.approved_at = period.approved_by = None
    db.session.commit()


def _keep_version(period):
    """The ReportVersion of the period's current (approved) version, made now if it is missing (reports
    loaded from the committee papers were never approved through the portal)."""
    number = period.version or 1
    version = db.session.scalar(
        db.select(ReportVersion).where(ReportVersion.period_id == period.id, ReportVersion.number == number)
    )
    if version is None:
        version = ReportVersion(
            period=period,
            number=number,
            snapshot=snapshot_json(build_report(period)),
            approved_at=period.approved_at or utcnow(),
            approved_by=period.approved_by,
        )
        db.session.add(version)
    return version


SNAPSHOT_DATES = ("submitted_at", "approved_at")


def snapshot_json(report):
    return json.dumps(
        report, default=lambda value: value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    )


def load_snapshot(version):
    """A published version's report data, as build_report gave it at the time."""
    report = json.loads(version.snapshot)
    for key in SNAPSHOT_DATES:
        if report.get(key):
            report[key] = datetime.fromisoformat(report[key])
    report["version"] = version.number
    return report


def published_versions(period):
    return db.session.scalars(
        db.select(ReportVersion).where(ReportVersion.period_id == period.id).order_by(ReportVersion.number)
    ).all()


def latest_published(period):
    """The report data the public sees: the live report when approved, else the last published version
    (a reopened report under correction), else None."""
    if period.status == APPROVED:
        return build_report(period)
    versions = published_versions(period)
    return load_snapshot(versions[-1]) if versions else None


def require_editable(period):
    if not period.is_editable:
        raise WorkflowError(
            f"The report for {period.label} is {period.status_label.lower()}: it can no longer be changed"
        )


# --- Live results ---------------------------------------------------------------------------------------


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


def result_for(period, kpi, create=False):
    result = db.session.scalar(db.select(KpiResult).where(KpiResult.period_id == period.id, KpiResult.kpi_id == kpi.id))
    if result is None and create:
        result = KpiResult(period=period, kpi=kpi)
        db.session.add(result)
    return result


def action_update_for(period, action, create=False):
    update = db.session.scalar(
        db.select(ActionUpdate).where(ActionUpdate.period_id == period.id, ActionUpdate.action_id == action.id)
    )
    if update is None and create:
        update = ActionUpdate(period=period, action=action)
        db.session.add(update)
    return update


def risk_assessment_for(period, risk, create=False):
    assessment = db.session.scalar(
        db.select(RiskAssessment).where(RiskAssessment.period_id == period.id, RiskAssessment.risk_id == risk.id)
    )
    if assessment is None and create:
        assessment = RiskAssessment(period=period, risk=risk, score=0)
        db.session.add(assessment)
    return assessment


def priority_update_for(period, priority, create=False):
    update = db.session.scalar(
        db.select(PriorityUpdate).where(
            PriorityUpdate.period_id == period.id, PriorityUpdate.priority_id == priority.id
        )
    )
    if update is None and create:
        update = PriorityUpdate(period=period, priority=priority)
        db.session.add(update)
    return update


# --- Building the report --------------------------------------------------------------------------------


def format_number(value, unit=""):
    """22789 -> '22,789'; 9.54 -> '9.54'; with '%' when the KPI is a percentage."""
    if value is None:
        return ""
    value = float(value)
    text = f"{int(value):,}" if value.is_integer() else f"{value:,}"
    return text + ("%" if unit == "%" else "")


def kpi_row(kpi, result):
    """One KPI's line of the report, with our RAG and DOT and the published ones."""
    target_text = result.target if result else ""
    problems = []
    target = None
    if target_text:
        try:
            target = ratings.parse_target(target_text)
        except ratings.RatingError as exc:
            problems.append(str(exc))
    value = result.result if result else None
    previous_value = result.previous_result if result else None
    # Figures stored before the forms refused Infinity, NaN and 1e400 (issue 12 finding 10) are shown as a
    # problem, never rated or drawn.
    if value is not None and not ratings.is_usable_number(value):
        problems.append("The stored result is not a number the report can use: enter it again")
        value = None
    if previous_value is not None and not ratings.is_usable_number(previous_value):
        problems.append("The stored result for last year is not a number the report can use: enter it again")
        previous_value = None
    rag = None
    if target is not None and value is not None:
        rag = ratings.kpi_rag(value, target, kpi.polarity)
    dot = None
    if result is not None:
        dot = ratings.direction_of_travel(value, previous_value, kpi.polarity)
    rag_basis = ""
    if target is not None and not problems:
        rag_basis = ratings.kpi_rag_basis(value, target, kpi.polarity)
    elif not target_text:
        rag_basis = "Not rated: no target entered for this quarter"
    dot_basis = dot.basis(value, previous_value, kpi.polarity) if dot else ""
    published_rag = (result.published_rag if result else "") or ""
    published_dot = (result.published_dot if result else "") or ""
    row = {
        "id": kpi.id,
        "name": kpi.name,
        "mark": MEASURE_MARKS.get(kpi.measure, ""),
        "measure": kpi.measure,
        "polarity": kpi.polarity,
        "polarity_label": POLARITY_LABELS.get(kpi.polarity, kpi.polarity),
        "unit": kpi.unit,
        "previous_year_end": kpi.previous_year_end,
        "annual_target": kpi.annual_target,
        "new_for_year": kpi.new_for_year,
        "live_source": kpi.live_source or "",
        "target": target_text,
        "target_rated": bool(target and target.is_rated),
        "target_rule": ratings.target_rule(target, kpi.polarity, kpi.measure) if target is not None else "",
        "rephased": "",
        "result": value,
        "result_text": format_number(value, kpi.unit) if value is not None else (result.result_note if result else ""),
        "previous_result": previous_value,
        "previous_result_text": (
            format_number(previous_value, kpi.unit)
            if previous_value is not None
            else (result.previous_result_note if result else "")
        ),
        "benchmark": result.benchmark if result else "",
        "notes": result.notes if result else "",
        "commentary": result.commentary if result else "",
        "variance_explanation": result.variance_explanation if result else "",
        "rag": rag,
        "rag_label": ratings.RAG_LABELS.get(rag, "Not rated"),
        "rag_basis": rag_basis,
        "dot_basis": dot_basis,
        "published_rag": published_rag,
        "rag_differs": bool(published_rag) and published_rag != (rag or ""),
        "dot": dot.code if dot else None,
        "dot_label": dot.label if dot else "",
        "dot_percent": float(dot.percent) if dot else None,
        "dot_text": dot.text if dot else "",
        "published_dot": published_dot,
        "dot_differs": bool(dot) and bool(published_dot) and not dot_matches_published(dot, published_dot),
        "live_taken_at": result.live_taken_at if result else None,
        "problems": problems,
        "entered": result is not None,
    }
    if not row["result_text"] and not row["entered"]:
        row["result_text"] = "Not entered"
    return row


def dot_matches_published(direction, published):
    """Whether the printed DOT ("↓ W +10%") says the same as ours, to the precision it was printed with:
    "+10%" agrees with +10.1% but not with +15.7%. Text such as "New for 19/20" is not compared."""
    match = re.search(r"\b([IWS])\b\s*([+-]?\d+(?:\.(\d+))?)?\s*%?", published or "")
    if not match:
        return True
    if match.group(1) != direction.code:
        return False
    if match.group(2) is None:
        return True
    places = len(match.group(3) or "")
    printed = Decimal(match.group(2))
    ours = direction.percent.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return ours == printed


def risk_row(risk, assessment):
    score = assessment.score if assessment else None
    band = None
    problem = ""
    if score:
        try:
            band = ratings.risk_band(score)
        except ratings.RatingError as exc:
            problem = str(exc)
    basis = ""
    if band:
        basis = f"Score {score}: {band.name} = {band.low} to {band.high} ({band.colour}), footnote 3" + (
            "; a high level risk for footnote 4" if band.name == "High" else ""
        )
    return {
        "id": risk.id,
        "band_basis": basis,
        "code": risk.code,
        "title": risk.title,
        "description": risk.description,
        "likelihood": assessment.likelihood if assessment else None,
        "impact": assessment.impact if assessment else None,
        "score": score,
        "band": band.name if band else "",
        "colour": band.colour if band else "",
        "high": bool(band and band.name == "High"),
        "controls": assessment.controls if assessment else "",
        "assessed": bool(assessment and score),
        "problem": problem,
    }


def risk_history(risk):
    """The risk's score in every quarter it was assessed, oldest first."""
    rows = db.session.execute(
        db.select(ReportPeriod, RiskAssessment)
        .join(RiskAssessment, RiskAssessment.period_id == ReportPeriod.id)
        .where(RiskAssessment.risk_id == risk.id)
        .order_by(ReportPeriod.year_start, ReportPeriod.quarter)
    ).all()
    return [(period, assessment) for period, assessment in rows]


def _order(period):
    return period.year_start * 10 + period.quarter


def risk_history_entries(risk, period):
    """The risk's story up to `period`: each published quarter's score (and `period`'s own, published or
    not) with how it moved ("Increased from 6", 000:1180), then its closure or merger (000:1268 footnote 25:
    "G&C051 ... has been merged with G&C050") when that happened by `period`."""
    entries, last = [], None
    for other, assessment in risk_history(risk):
        if _order(other) > _order(period) or (other.id != period.id and other.status != APPROVED):
            continue
        if not assessment.score:
            continue
        if last is None:
            change = "First assessed"
        elif assessment.score > last:
            change = f"Increased from {last}"
        elif assessment.score < last:
            change = f"Decreased from {last}"
        else:
            change = "No change"
        entries.append(
            {
                "period": other.label,
                "score": assessment.score,
                "change": change,
                "text": f"{other.label}: {assessment.score} ({change.lower()})",
            }
        )
        last = assessment.score
    ended = risk_end(risk, period)
    if ended:
        entries.append(
            {"period": risk.ended_in.label, "score": None, "change": ended, "text": f"{risk.ended_in.label}: {ended}"}
        )
    return entries


def risk_end(risk, period):
    """'Merged into G&C050' / 'Closed' when the risk left the register in `period` or before, else ''."""
    if risk.ended_in is None or _order(risk.ended_in) > _order(period):
        return ""
    text = f"Merged into {risk.merged_into.code} – {risk.merged_into.title}" if risk.merged_into else "Closed"
    return text + (f": {risk.end_note}" if risk.end_note else "")


def build_report(period):
    """Everything the quarter's report shows, as plain data."""
    priorities = []
    # The quarter before in the same year: cumulative targets may be re-phased (000:1238 "a reduced
    # cumulative target in Q2 (from Q1)").
    before = db.session.scalar(
        db.select(ReportPeriod).where(
            ReportPeriod.year_start == period.year_start, ReportPeriod.quarter == period.quarter - 1
        )
    )
    for priority in priorities_for_year(period.year_start):
        update = priority_update_for(period, priority)
        actions = []
        for action in priority.actions:
            action_update = action_update_for(period, action)
            actions.append(
                {
                    "id": action.id,
                    "description": action.description,
                    "timescale": action.timescale,
                    "rag": action_update.rag if action_update else "",
                    "commentary": action_update.commentary if action_update else "",
                }
            )
        kpis = [kpi_row(kpi, result_for(period, kpi)) for kpi in priority.kpis]
        if before is not None:
            for kpi, row in zip(priority.kpis, kpis, strict=False):
                if kpi.measure == "c" and row["target_rated"]:
                    row["rephased"] = _rephased(row, result_for(before, kpi), before)
        risks = []
        for risk in priority.risks:
            ended_before = risk.ended_in is not None and _order(risk.ended_in) < _order(period)
            if ended_before:
                continue  # gone from the register in an earlier quarter
            row = risk_row(risk, risk_assessment_for(period, risk))
            row["history"] = risk_history_entries(risk, period)
            row["history_text"] = "; ".join(entry["text"] for entry in row["history"])
            row["ended"] = risk_end(risk, period)
            risks.append(row)
        risks_assessed = [row for row in risks if row["assessed"] and not row["ended"]]
        action_rags = [a["rag"] for a in actions if a["rag"]]
        valid_scores = [row["score"] for row in risks_assessed if not row["problem"]]
        published_overall = update.published_overall_rating if update else ""
        published_actions = update.published_actions_rating if update else ""
        # Red actions from per-action RAGs where recorded, else from the actions summary the report states
        # (footnote 1 read backwards); see ratings.overall_assessment.
        assessment = ratings.overall_assessment(
            action_rags, published_actions, [row["rag"] for row in kpis], valid_scores
        )
        summary = assessment.summary_code
        kpi_counts = {code: sum(1 for row in kpis if row["rag"] == code) for code in ("G", "A", "R")}
        kpi_counts["not_rated"] = sum(1 for row in kpis if row["rag"] is None)
        published_code = ratings.published_progress_code(published_overall)
        priorities.append(
            {
                "id": priority.id,
                "position": priority.position,
                "title": priority.title,
                "actions": actions,
                "actions_rated": assessment.actions_rated,
                "actions_summary": summary,
                "actions_summary_from": assessment.actions_from,
                "actions_summary_label": ratings.progress_label(summary) if summary else "Not rated",
                "published_actions_rating": published_actions,
                # Only per-action RAGs can disagree with a stated summary; a summary used as stated cannot.
                "actions_differs": assessment.actions_from == "actions"
                and bool(published_actions)
                and ratings.published_progress_code(published_actions) != summary,
                "action_reds": assessment.action_reds,
                "action_reds_at_least": assessment.action_reds_at_least,
                "actions_commentary": update.actions_commentary if update else "",
                "kpi_commentary": update.kpi_commentary if update else "",
                "risk_commentary": update.risk_commentary if update else "",
                "kpis": kpis,
                "kpi_counts": kpi_counts,
                "kpi_reds": assessment.kpi_reds,
                "risks": risks,
                "high_risks": assessment.high_risks,
                "overall": assessment.code,
                "overall_label": assessment.label,
                "overall_separate": assessment.separate_code,
                "overall_separate_label": assessment.separate_label,
                "readings_differ": assessment.readings_differ,
                "overall_basis": assessment.explanation(),
                "published_overall": published_overall,
                "overall_differs": bool(published_overall) and published_code != assessment.code,
                # Which reading of footnote 4 the printed rating agrees with: "both", "joint", "separate", "neither".
                "published_reading": _published_reading(published_code, assessment) if published_overall else "",
            }
        )
    budget = [budget_row(line) for line in period.budget_lines]
    savings = [
        {
            "ref": s.ref,
            "service_area": s.service_area,
            "description": s.description,
            "saving": s.saving,
            "forecast": s.forecast,
            "comment": s.comment,
        }
        for s in period.saving_lines
    ]
    return {
        "code": period.code,
        "version": period.version or 1,
        "label": period.label,
        "year_label": period.year_label,
        "previous_year_label": f"{(period.year_start - 1) % 100:02d}/{period.year_start % 100:02d}",
        "short_year_label": f"{period.year_start % 100:02d}/{(period.year_start + 1) % 100:02d}",
        "quarter": period.quarter,
        "status": period.status,
        "status_label": period.status_label,
        "submitted_by": period.submitted_by.name if period.submitted_by else "",
        "submitted_at": period.submitted_at,
        "approved_by": period.approved_by.name if period.approved_by else "",
        "approved_at": period.approved_at,
        "priorities": priorities,
        "budget": budget,
        "budget_totals": _totals(
            budget,
            (
                "revised_budget",
                "forecast",
                "variance",
                "reserve_movements",
                "forecast_after_reserves",
                "variance_after_reserves",
            ),
        ),
        "savings": savings,
        "savings_totals": _totals(savings, ("saving", "forecast")),
    }


def _rephased(row, earlier, before):
    """'Re-phased: the cumulative target was 25 in Q1 2019/20 and is 16 now' when a cumulative target went
    down from the quarter before ('' otherwise)."""
    if earlier is None or not earlier.target:
        return ""
    try:
        old, new = ratings.parse_target(earlier.target), ratings.parse_target(row["target"])
    except ratings.RatingError:
        return ""
    if old.is_rated and new.is_rated and new.value < old.value:
        return f"Re-phased: the cumulative target was {earlier.target} in {before.label} and is {row['target']} now"
    return ""


def _published_reading(published_code, assessment):
    joint = published_code == assessment.code
    separate = published_code == assessment.separate_code
    return {(True, True): "both", (True, False): "joint", (False, True): "separate"}.get((joint, separate), "neither")


# Where a figure came from in the council papers ("Source: 000_0692e8566ba44968.txt:768.", "(000:746,
# 000:748)") is for officers checking the demo data against the papers, never for the published report
# (issue 15): public pages, the PDF and every export show the text without them.
_REF = r"\d{3}(?:_[0-9a-f]{16}\.txt)?:\d+(?:-\d+)?(?:\s+(?:Q[1-4]|footnote\s+\d+))?"
_SOURCE_SENTENCE = re.compile(r"\s*\(?Source:\s*" + _REF + r"(?:[;,]\s*" + _REF + r")*\.?\)?\.?")
_REF_GROUP = re.compile(r"\s*\((?:" + _REF + r")(?:[;,]\s*" + _REF + r")*\)")
_REF_IN_TEXT = re.compile(r"(?::\s*|,\s*|;\s*)?\b" + _REF + r"\b")


def without_source_references(text):
    """'Rolling 12 months to June 2019 (000:817). Source: 000_0692e8566ba44968.txt:807.' ->
    'Rolling 12 months to June 2019.'"""
    if not isinstance(text, str) or ":" not in text:
        return text
    text = _SOURCE_SENTENCE.sub("", text)
    text = _REF_GROUP.sub("", text)
    text = _REF_IN_TEXT.sub("", text)
    return re.sub(r"\(\s*\)", "", text).strip()


def public_report(report):
    """A copy of build_report()'s data with source references taken out of every text."""
    if isinstance(report, dict):
        return {key: public_report(value) for key, value in report.items()}
    if isinstance(report, list):
        return [public_report(value) for value in report]
    return without_source_references(report)


def budget_row(line: BudgetLine):
    """Table 2 (000:701): the variance columns are arithmetic, so they are computed; what the paper printed
    is kept beside them (000:1059 prints a Q2 forecast after reserve movements of 3,583 where 3,618 + 0 is
    3,618)."""
    variance = line.forecast - line.revised_budget
    after = line.forecast + line.reserve_movements
    variance_after = after - line.revised_budget
    row = {
        "service": line.service,
        "revised_budget": line.revised_budget,
        "forecast": line.forecast,
        "variance": variance,
        "reserve_movements": line.reserve_movements,
        "forecast_after_reserves": after,
        "variance_after_reserves": variance_after,
        "commentary": line.commentary,
        "published": {},
    }
    for key, published in (
        ("variance", line.published_variance),
        ("forecast_after_reserves", line.published_forecast_after_reserves),
        ("variance_after_reserves", line.published_variance_after_reserves),
    ):
        if published is not None and abs(published - row[key]) > 0.0005:
            row["published"][key] = published
    return row


def _totals(rows, keys):
    return {key: sum(row[key] for row in rows) for key in keys} if rows else {}


def kpi_trend(kpi, periods):
    """The KPI's result, target and last year's result in each of `periods` (oldest first)."""
    points = []
    for period in periods:
        result = result_for(period, kpi)
        if result is None:
            continue
        row = kpi_row(kpi, result)
        target_value = None
        if row["target_rated"]:
            target_value = float(ratings.parse_target(row["target"]).value)
        points.append(
            {
                "period": period,
                "label": period.label,
                "result": row["result"],
                "target": target_value,
                "target_text": row["target"],
                "previous_result": row["previous_result"],
                "row": row,
            }
        )
    return points
