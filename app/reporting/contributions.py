"""What the quarterly report adds to the core: its demo data and its to-do list (reports waiting for
approval). Its live KPI sources are in live.py; other modules register theirs in their own contributions.py."""

from flask import url_for

from ..demo import register_demo_loader
from ..extensions import db
from ..security import PERFORMANCE_OFFICER
from ..todo import TodoItem, TodoSource, register_todo
from .demo import load_demo
from .models import SUBMITTED, ReportPeriod

register_demo_loader(load_demo)


def reports_to_approve(user):
    periods = db.session.scalars(
        db.select(ReportPeriod).where(ReportPeriod.status == SUBMITTED).order_by(ReportPeriod.submitted_at)
    )
    return [
        TodoItem(
            f"period-{p.id}-{p.submitted_at:%Y%m%d%H%M%S}" if p.submitted_at else f"period-{p.id}",
            f"The report for {p.label}",
            url_for("reporting.dashboard", period=p.code),
        )
        for p in periods
        if p.submitted_by_id != user.id  # someone other than the submitter approves
    ]


register_todo(
    TodoSource(
        "reporting.approve",
        "Quarterly reports to approve",
        (PERFORMANCE_OFFICER,),
        reports_to_approve,
        "reporting.index",
        "Check each submitted report, then approve it or return it to draft",
    )
)
