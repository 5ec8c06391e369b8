"""Tables of the quarterly performance report.

The delivery plan of a financial year (004_eefa4e81a284a492.txt:21-44, "Table 2: Delivery Plan") is
Priority -> Action, Kpi, Risk. Each quarter's report (000_0692e8566ba44968.txt:687 "Quarter 1 (Q1) 2019/20
Delivery Plan Performance Report") is a ReportPeriod holding the quarter's figures: KpiResult, ActionUpdate,
RiskAssessment, PriorityUpdate, BudgetLine and SavingLine.

Figures are stored as entered; ratings (RAG, direction of travel, risk bands, summaries) are never stored but
computed by app.reporting.services, so a rule change or a corrected figure can never leave a stale rating.
What the committee papers printed is kept in the ``published_*`` columns so that the report can show it
beside our rating when the two differ.
"""

from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

DRAFT, SUBMITTED, APPROVED = "draft", "submitted", "approved"
STATUS_LABELS = {DRAFT: "Draft", SUBMITTED: "Submitted for approval", APPROVED: "Approved"}

BIGGER, SMALLER = "bigger", "smaller"
POLARITY_LABELS = {BIGGER: "Bigger is better", SMALLER: "Smaller is better"}

# How a KPI's result is counted. 000_0692e8566ba44968.txt:1105 (Q2 footnote 3): "KPIs are illustrated by
# (q) quarter; (c) cumulative up to end quarter; (s) snapshot in time; or (r) rolling 12 months." Annual and
# bi-annual KPIs are marked "(Annual)" (000:809) and "(bi-annual)" (000:1250).
MEASURES = {
    "": "Not stated",
    "q": "Quarter (q)",
    "c": "Cumulative up to end of quarter (c)",
    "s": "Snapshot in time (s)",
    "r": "Rolling 12 months (r)",
    "annual": "Annual",
    "bi-annual": "Bi-annual",
}
MEASURE_MARKS = {"q": "(q)", "c": "(c)", "s": "(s)", "r": "(r)", "annual": "(Annual)", "bi-annual": "(bi-annual)"}

# An action's own RAG (000:750 footnote 1 rates actions RED / AMBER / GREEN; "Complete" counts as GREEN).
ACTION_RAGS = {"complete": "Complete", "G": "Green", "A": "Amber", "R": "Red"}


class Priority(db.Model):
    """A committee priority of one financial year's delivery plan (004:23 "Priority")."""

    __tablename__ = "reporting_priority"
    __table_args__ = (db.UniqueConstraint("year_start", "position", name="uq_reporting_priority_year_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # 2019 for 2019/20: April 2019 to March 2020.
    year_start: Mapped[int] = mapped_column(index=True)
    # The section number in the report (000:742 "5. Keeping Barnet safe").
    position: Mapped[int]
    title: Mapped[str] = mapped_column(db.String(300))
    source: Mapped[str] = mapped_column(db.String(200), default="")

    actions = relationship(
        "Action", back_populates="priority", order_by="Action.position", cascade="all, delete-orphan"
    )
    kpis = relationship("Kpi", back_populates="priority", order_by="Kpi.position", cascade="all, delete-orphan")
    risks = relationship("Risk", back_populates="priority", order_by="Risk.position", cascade="all, delete-orphan")


class Action(db.Model):
    """'How will we achieve this?' (004:23)."""

    __tablename__ = "reporting_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_priority.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(db.Text)
    timescale: Mapped[str] = mapped_column(db.String(60), default="")
    source: Mapped[str] = mapped_column(db.String(200), default="")

    priority = relationship("Priority", back_populates="actions")


class Kpi(db.Model):
    """'How will we measure this?' with its 'Year 1 Targets' (004:23), as set out in the reports' KPI tables
    (000:766 "Indicator / Polarity / 18/19 EOY / 19/20 Target / Q1 19/20 Target Result DOT / Q1 18/19 Result /
    Benchmarking")."""

    __tablename__ = "reporting_kpi"

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_priority.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(db.String(300))
    polarity: Mapped[str] = mapped_column(db.String(10), default=BIGGER)
    # "", "%": how results are shown.
    unit: Mapped[str] = mapped_column(db.String(10), default="")
    measure: Mapped[str] = mapped_column(db.String(10), default="")
    # As printed: "30", "TBC", "Monitor", "Fewer than 7855", ">20000", "54%".
    annual_target: Mapped[str] = mapped_column(db.String(60), default="")
    # The previous year's end-of-year result as printed: "74.12", "New for 19/20", "51% (Autumn 17)".
    previous_year_end: Mapped[str] = mapped_column(db.String(60), default="")
    new_for_year: Mapped[bool] = mapped_column(default=False)
    # A name in app.reporting.live.SOURCES (e.g. "directory_organisations", "ctn_meetings_held"): the result
    # can then be taken from the portal's own data.
    live_source: Mapped[str | None] = mapped_column(db.String(200))
    notes: Mapped[str] = mapped_column(db.Text, default="")
    source: Mapped[str] = mapped_column(db.String(200), default="")

    priority = relationship("Priority", back_populates="kpis")
    results = relationship("KpiResult", back_populates="kpi", cascade="all, delete-orphan")


class Risk(db.Model):
    """A risk to delivering a priority (000:777 "CLL01 - Missed opportunities for early intervention")."""

    __tablename__ = "reporting_risk"

    id: Mapped[int] = mapped_column(primary_key=True)
    priority_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_priority.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(db.String(20))
    title: Mapped[str] = mapped_column(db.String(300))
    description: Mapped[str] = mapped_column(db.Text, default="")
    source: Mapped[str] = mapped_column(db.String(200), default="")

    # A risk leaves the register by closure or by being merged into another (000:1268 footnote 25: "G&C051
    # ... has been merged with G&C050"): the quarter it happened in, and the risk it went into.
    ended_in_id: Mapped[int | None] = mapped_column(db.ForeignKey("reporting_period.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(db.ForeignKey("reporting_risk.id", ondelete="SET NULL"))
    end_note: Mapped[str] = mapped_column(db.Text, default="")

    priority = relationship("Priority", back_populates="risks")
    assessments = relationship("RiskAssessment", back_populates="risk", cascade="all, delete-orphan")
    ended_in = relationship("ReportPeriod")
    merged_into = relationship("Risk", remote_side=[id])


class ReportPeriod(db.Model):
    """One quarter's report and its workflow: draft -> submitted -> approved (who and when)."""

    __tablename__ = "reporting_period"
    __table_args__ = (db.UniqueConstraint("year_start", "quarter", name="uq_reporting_period_year_quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_start: Mapped[int]
    quarter: Mapped[int]
    status: Mapped[str] = mapped_column(db.String(20), default=DRAFT)
    # Date of the committee meeting, when known (000:1026 "20 November 2019").
    committee_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    returned_at: Mapped[datetime | None]
    returned_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    return_reason: Mapped[str] = mapped_column(db.Text, default="")
    # 1 until an approved report is reopened; each reopening starts the next version (ReportVersion keeps
    # every published one).
    version: Mapped[int] = mapped_column(default=1)

    created_by = relationship("User", foreign_keys=[created_by_id])
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    returned_by = relationship("User", foreign_keys=[returned_by_id])
    kpi_results = relationship("KpiResult", back_populates="period", cascade="all, delete-orphan")
    action_updates = relationship("ActionUpdate", back_populates="period", cascade="all, delete-orphan")
    risk_assessments = relationship("RiskAssessment", back_populates="period", cascade="all, delete-orphan")
    priority_updates = relationship("PriorityUpdate", back_populates="period", cascade="all, delete-orphan")
    budget_lines = relationship(
        "BudgetLine", back_populates="period", order_by="BudgetLine.position", cascade="all, delete-orphan"
    )
    saving_lines = relationship(
        "SavingLine", back_populates="period", order_by="SavingLine.position", cascade="all, delete-orphan"
    )
    versions = relationship(
        "ReportVersion", back_populates="period", order_by="ReportVersion.number", cascade="all, delete-orphan"
    )
    changes = relationship(
        "ReportChange", back_populates="period", order_by="ReportChange.id", cascade="all, delete-orphan"
    )

    @property
    def code(self):
        """2019-20-Q1."""
        return f"{self.year_start}-{(self.year_start + 1) % 100:02d}-Q{self.quarter}"

    @property
    def year_label(self):
        """2019/20."""
        return f"{self.year_start}/{(self.year_start + 1) % 100:02d}"

    @property
    def label(self):
        """Q1 2019/20."""
        return f"Q{self.quarter} {self.year_label}"

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_editable(self):
        return self.status == DRAFT


class PriorityUpdate(db.Model):
    """A priority's text for one quarter, and the ratings the published report printed for it."""

    __tablename__ = "reporting_priority_update"
    __table_args__ = (db.UniqueConstraint("period_id", "priority_id", name="uq_reporting_priority_update_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    priority_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_priority.id", ondelete="CASCADE"), index=True)
    actions_commentary: Mapped[str] = mapped_column(db.Text, default="")
    kpi_commentary: Mapped[str] = mapped_column(db.Text, default="")
    risk_commentary: Mapped[str] = mapped_column(db.Text, default="")
    # As printed: "Good", "Satisfactory", "Limited" (000:734 "Q1 Overall Performance").
    published_actions_rating: Mapped[str] = mapped_column(db.String(20), default="")
    published_overall_rating: Mapped[str] = mapped_column(db.String(20), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    period = relationship("ReportPeriod", back_populates="priority_updates")
    priority = relationship("Priority")


class KpiResult(db.Model):
    """A KPI's figures for one quarter."""

    __tablename__ = "reporting_kpi_result"
    __table_args__ = (db.UniqueConstraint("period_id", "kpi_id", name="uq_reporting_kpi_result_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_kpi.id", ondelete="CASCADE"), index=True)
    # The period target as printed ("7", "Monitor", "TBC", "Fewer than 7855", "Not due").
    target: Mapped[str] = mapped_column(db.String(60), default="")
    result: Mapped[float | None]
    # Shown when there is no result yet ("Due Q4 19/20").
    result_note: Mapped[str] = mapped_column(db.String(120), default="")
    # The result for the same quarter of the previous year (000:752 "Q1 19/20 result minus Q1 18/19 result").
    previous_result: Mapped[float | None]
    previous_result_note: Mapped[str] = mapped_column(db.String(120), default="")
    benchmark: Mapped[str] = mapped_column(db.String(300), default="")
    notes: Mapped[str] = mapped_column(db.Text, default="")
    # The officer's words on the quarter's result, and why it is off target (000:817 and 000:1167 explain the
    # ASB calls variance beneath the table).
    commentary: Mapped[str] = mapped_column(db.Text, default="")
    variance_explanation: Mapped[str] = mapped_column(db.Text, default="")
    # Filled when the result was taken from a live source.
    live_taken_at: Mapped[datetime | None]
    published_rag: Mapped[str] = mapped_column(db.String(2), default="")
    published_dot: Mapped[str] = mapped_column(db.String(60), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))

    period = relationship("ReportPeriod", back_populates="kpi_results")
    kpi = relationship("Kpi", back_populates="results")
    updated_by = relationship("User")


class ActionUpdate(db.Model):
    """An action's RAG and progress note for one quarter."""

    __tablename__ = "reporting_action_update"
    __table_args__ = (db.UniqueConstraint("period_id", "action_id", name="uq_reporting_action_update_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_action.id", ondelete="CASCADE"), index=True)
    rag: Mapped[str] = mapped_column(db.String(10), default="")
    commentary: Mapped[str] = mapped_column(db.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))

    period = relationship("ReportPeriod", back_populates="action_updates")
    action = relationship("Action")
    updated_by = relationship("User")


class RiskAssessment(db.Model):
    """A risk's likelihood x impact for one quarter (000:980: "Risks are reviewed quarterly")."""

    __tablename__ = "reporting_risk_assessment"
    __table_args__ = (db.UniqueConstraint("period_id", "risk_id", name="uq_reporting_risk_assessment_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    risk_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_risk.id", ondelete="CASCADE"), index=True)
    # 1-5 each, when known; the published reports give only the score.
    likelihood: Mapped[int | None]
    impact: Mapped[int | None]
    score: Mapped[int]
    controls: Mapped[str] = mapped_column(db.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))

    period = relationship("ReportPeriod", back_populates="risk_assessments")
    risk = relationship("Risk", back_populates="assessments")
    updated_by = relationship("User")


class BudgetLine(db.Model):
    """A row of 'Table 2: Revenue Forecast' (000:701), in £000."""

    __tablename__ = "reporting_budget_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    service: Mapped[str] = mapped_column(db.String(200))
    revised_budget: Mapped[float]
    forecast: Mapped[float]
    reserve_movements: Mapped[float] = mapped_column(default=0)
    # What the paper printed for the derived columns, when it printed something else than the arithmetic.
    published_variance: Mapped[float | None]
    published_forecast_after_reserves: Mapped[float | None]
    published_variance_after_reserves: Mapped[float | None]
    commentary: Mapped[str] = mapped_column(db.Text, default="")

    period = relationship("ReportPeriod", back_populates="budget_lines")


class SavingLine(db.Model):
    """A row of 'Table 3: Savings forecast delivery' (000:715), in £000."""

    __tablename__ = "reporting_saving_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    ref: Mapped[str] = mapped_column(db.String(20))
    service_area: Mapped[str] = mapped_column(db.String(200))
    description: Mapped[str] = mapped_column(db.Text, default="")
    saving: Mapped[float]
    forecast: Mapped[float]
    comment: Mapped[str] = mapped_column(db.Text, default="")

    period = relationship("ReportPeriod", back_populates="saving_lines")


class ReportVersion(db.Model):
    """A published version of a quarter's report, kept as it was approved (the report's data as JSON), so
    reopening it for a correction never changes what was published."""

    __tablename__ = "reporting_report_version"
    __table_args__ = (db.UniqueConstraint("period_id", "number", name="uq_reporting_report_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    snapshot: Mapped[str] = mapped_column(db.Text)
    approved_at: Mapped[datetime]
    approved_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    # Filled when the version is reopened for a correction (the reason is public with the version).
    reopened_at: Mapped[datetime | None]
    reopened_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    reopen_reason: Mapped[str] = mapped_column(db.Text, default="")

    period = relationship("ReportPeriod", back_populates="versions")
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    reopened_by = relationship("User", foreign_keys=[reopened_by_id])


class ReportChange(db.Model):
    """The audit trail of a quarter's report: who changed what, when, from what to what."""

    __tablename__ = "reporting_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(db.ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    # What was changed ("KPI result: PSPOs implemented", "Workflow") and how ("Result: 4 -> 5").
    subject: Mapped[str] = mapped_column(db.String(400))
    detail: Mapped[str] = mapped_column(db.Text, default="")

    period = relationship("ReportPeriod", back_populates="changes")
    user = relationship("User")
