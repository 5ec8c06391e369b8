"""What the faith covenant adds to the core: approved signatories per ward, the demo data, its daily renewal
reminders, and its to-do lists (pledges to approve, renewals overdue)."""

from flask import url_for

from ..demo import register_demo_loader
from ..extensions import db
from ..main.sections import HomeSection, register_home_section
from ..places.ward_contents import WardContent, count_by_postcode_ward, register_ward_content, select_in_ward
from ..security import STRATEGY_OFFICER
from ..todo import TodoItem, TodoSource, register_todo
from . import (
    services,
    tasks,  # noqa: F401  (registers the daily renewal reminders)
)
from .demo import load_demo
from .models import CovenantPledge
from .services import london_today


def signatories_by_ward(ward_set):
    return count_by_postcode_ward(CovenantPledge, ward_set, CovenantPledge.status == "approved")


def signatories_in_ward(ward):
    pledges = db.session.scalars(select_in_ward(CovenantPledge, ward, CovenantPledge.status == "approved"))
    return sorted(
        (
            (p.organisation.name, url_for("covenant.signatories"), f"{p.faith_label}, signed {p.date_signed:%-d %B %Y}")
            for p in pledges
        ),
        key=lambda item: item[0],
    )


register_ward_content(
    WardContent("signatories", "Faith covenant signatories", signatories_by_ward, signatories_in_ward)
)
register_demo_loader(load_demo)


# --- To-do lists (app/todo.py) ---------------------------------------------------------------------


def pledges_to_approve(user):
    pledges = db.session.scalars(
        db.select(CovenantPledge).where(CovenantPledge.status == "pending").order_by(CovenantPledge.submitted_at)
    )
    return [
        TodoItem(
            f"pledge-{p.id}",
            f"{p.organisation.name}, sent {p.submitted_at:%-d %B %Y}",
            url_for("covenant.pledge", pledge_id=p.id),
        )
        for p in pledges
    ]


def renewals_overdue(user):
    pledges = db.session.scalars(
        db.select(CovenantPledge)
        .where(CovenantPledge.status == "approved")
        .where(CovenantPledge.renewal_due < london_today())
        .order_by(CovenantPledge.renewal_due)
    )
    return [
        TodoItem(
            f"renewal-{p.id}-{p.renewal_due:%Y%m%d}",
            f"{p.organisation.name}, due {p.renewal_due:%-d %B %Y}",
            url_for("covenant.pledge", pledge_id=p.id),
        )
        for p in pledges
    ]


register_todo(
    TodoSource(
        "covenant.pledges",
        "Faith covenant pledges to approve",
        (STRATEGY_OFFICER,),
        pledges_to_approve,
        "covenant.pledges",
        "Pledges from faith organisations",
    )
)
register_todo(
    TodoSource(
        "covenant.renewals",
        "Faith covenant renewals overdue",
        (STRATEGY_OFFICER,),
        renewals_overdue,
        "covenant.pledges",
        "Signatories have been reminded; record the renewal when they renew",
        notify="digest",
    )
)

register_home_section(
    HomeSection(
        order=50,
        title="Faith covenant",
        endpoint="covenant.index",
        count=services.signatory_count,
        text="faith organisations have signed the covenant for engagement with the council.",
    )
)
