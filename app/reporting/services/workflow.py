"""The workflow: draft -> submitted -> approved (and returned, or reopened for a correction as a new
version); the checks before submitting; approvers e-mailed; the published versions."""

import json
import logging
from datetime import date, datetime

from ... import mailer
from ...auth.models import User
from ...extensions import db
from ...security import ADMIN, PERFORMANCE_OFFICER
from ...timeutil import utcnow
from .. import ratings
from ..models import APPROVED, DRAFT, SUBMITTED, ReportVersion
from .audit import record_change
from .periods import WorkflowError, periods_in_order, previous_period
from .report import build_report, public_report

log = logging.getLogger("portal.reporting")


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


def published_reports():
    """(period, published data without source references) of every quarter the public can see, oldest
    first."""
    published = []
    for period in periods_in_order():
        data = latest_published(period)
        if data is not None:
            published.append((period, public_report(data)))
    return published
