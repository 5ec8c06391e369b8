"""The writes behind the officers' entry pages (app/reporting/services/entry.py), called as the views call
them, without a request: each save lands in the audit trail in words."""

from app.extensions import db
from app.reporting import services
from app.reporting.models import ReportChange, Risk

from .test_reporting_views import draft, plan  # noqa: F401 (fixtures)


def _trail(period, subject):
    changes = db.session.scalars(
        db.select(ReportChange).where(ReportChange.period_id == period.id).order_by(ReportChange.id)
    )
    return [change.detail for change in changes if change.subject == subject]


def _budget(service, forecast):
    return {
        "service": service,
        "revised_budget": 3538.0,
        "forecast": forecast,
        "reserve_movements": 0.0,
        "commentary": "",
    }


def test_budget_lines_go_last_and_typed_figures_replace_the_printed_ones(draft, make_user):  # noqa: F811
    officer = make_user("performance_officer", email="figures@example.org")
    first = services.save_line(draft, "budget", None, officer, _budget("Community Safety", 3538.0))
    line = services.save_line(draft, "budget", None, officer, _budget("Libraries", 3538.0))
    assert (first.position, line.position) == (1, 2)
    line.published_variance = 5.0  # as printed in a committee paper
    db.session.commit()
    services.save_line(draft, "budget", line, officer, _budget("Libraries", 3600.0))
    assert line.published_variance is None and services.budget_row(line)["variance"] == 62
    assert _trail(draft, "Budget line: Libraries")[-1] == "Forecast: 3,538 → 3,600"
    saving = services.save_line(
        draft,
        "savings",
        None,
        officer,
        {
            "ref": "S1",
            "service_area": "Libraries",
            "description": "",
            "saving": 243.0,
            "forecast": 200.0,
            "comment": "",
        },
    )
    assert saving.position == 1 and _trail(draft, "Savings line: S1")


def test_a_risk_closed_in_error_goes_back_on_the_register(draft, make_user):  # noqa: F811
    officer = make_user("performance_officer", email="risks@example.org")
    risk = db.session.scalar(db.select(Risk).where(Risk.code == "CLL02"))
    assert services.set_risk_end(draft, risk, officer, "closed", note="Sign-ups passed 24,000") == "ended"
    assert services.risk_end(risk, draft) == "Closed: Sign-ups passed 24,000"
    assert services.set_risk_end(draft, risk, officer, "") == "restored"
    assert risk.ended_in is None and services.risk_end(risk, draft) == ""
    assert services.set_risk_end(draft, risk, officer, "") == ""  # nothing to undo
    assert _trail(draft, "Risk CLL02") == [
        "Left the register: (empty) → Closed: Sign-ups passed 24,000",
        "Left the register: Closed: Sign-ups passed 24,000 → (empty)",
    ]
