"""Covenant pledges by faith organisations, and the renewal reminders sent about them."""

from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

FAITHS = {
    "bahai": "Bahá'í",
    "buddhist": "Buddhist",
    "christian": "Christian",
    "hindu": "Hindu",
    "jain": "Jain",
    "jewish": "Jewish",
    "muslim": "Muslim",
    "sikh": "Sikh",
    "zoroastrian": "Zoroastrian",
    "interfaith": "Interfaith or multi-faith",
    "other": "Another faith or belief",
}
PLEDGE_STATUSES = {
    "pending": "Waiting for approval",
    "approved": "Approved",
    "rejected": "Not approved",
    # An organisation that signs again: its new pledge, once approved, replaces the old one.
    "superseded": "Replaced by a newer pledge",
}


class CovenantPledge(db.Model):
    """A faith organisation's pledge to the covenant. Public once an officer approves it."""

    __tablename__ = "covenant_pledge"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(db.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    faith: Mapped[str] = mapped_column(db.String(20), index=True)
    faith_other: Mapped[str | None] = mapped_column(db.String(100))
    signatory_name: Mapped[str] = mapped_column(db.String(120))
    signatory_role: Mapped[str] = mapped_column(db.String(120))
    # Never shown to the public: used for the approval and renewal e-mails.
    contact_email: Mapped[str] = mapped_column(db.String(254))
    date_signed: Mapped[date]
    renewal_due: Mapped[date] = mapped_column(index=True)
    commitments: Mapped[str] = mapped_column(db.Text, default="")
    postcode: Mapped[str | None] = mapped_column(db.String(8))
    ward_code: Mapped[str | None] = mapped_column(db.ForeignKey("ward.code"), index=True)
    status: Mapped[str] = mapped_column(db.String(10), default="pending", index=True)
    decision_note: Mapped[str] = mapped_column(db.Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Where a demo record came from in the council papers (file:line).
    source: Mapped[str | None] = mapped_column(db.String(300))

    organisation = relationship("Organisation")
    ward = relationship("Ward")
    decided_by = relationship("User")
    reminders = relationship(
        "CovenantReminder", back_populates="pledge", cascade="all, delete-orphan", order_by="CovenantReminder.sent_at"
    )

    @property
    def faith_label(self):
        if self.faith == "other" and self.faith_other:
            return self.faith_other
        return FAITHS.get(self.faith, self.faith)

    @property
    def status_label(self):
        return PLEDGE_STATUSES.get(self.status, self.status)

    def __repr__(self):
        return f"<CovenantPledge {self.id} {self.status}>"


class CovenantReminder(db.Model):
    """One renewal reminder e-mail: at most one per pledge for each renewal date."""

    __tablename__ = "covenant_reminder"
    __table_args__ = (db.UniqueConstraint("pledge_id", "renewal_due", name="uq_covenant_reminder_pledge_renewal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(db.ForeignKey("covenant_pledge.id", ondelete="CASCADE"))
    renewal_due: Mapped[date]
    sent_to: Mapped[str] = mapped_column(db.String(254))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    pledge = relationship("CovenantPledge", back_populates="reminders")
