"""Bulletin tables: the bulletin, its items, and one delivery record per (bulletin, member).

Bulletin states:

    draft --schedule--> scheduled --(due: send_due)--> sending --(every row final)--> sent
      |                    |                              ^
      |                    +--cancel schedule--> draft    |
      +------------------send now / emergency------------+

Delivery states (one row per recipient, created when the send starts; unique per bulletin and member):

    queued --claimed by a sender--> sending --250--> sent
                                       |---4xx--> failed_temporary (attempts, next_attempt_at) --due--> sending
                                       |---5xx--> failed_permanent (member flagged bounced)
                                       +--suppressed / no longer confirmed at send time--> skipped
    a 'sending' row whose lease expired (its sender died) is claimed again.
"""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

ROUTINE = "routine"
EMERGENCY = "emergency"
KINDS = {ROUTINE: "Bulletin", EMERGENCY: "Emergency message"}

DRAFT = "draft"
SCHEDULED = "scheduled"
SENDING = "sending"
SENT = "sent"
STATUSES = {DRAFT: "Draft", SCHEDULED: "Scheduled", SENDING: "Sending", SENT: "Sent"}
STATUS_TAGS = {DRAFT: "grey", SCHEDULED: "blue", SENDING: "yellow", SENT: "green"}

# Sections in the order the bulletin shows them (002_6240a75a79bed02c.txt:119, 160-161).
SECTIONS = {
    "events": "Local events",
    "consultations": "Consultations",
    "funding": "Funding opportunities",
    "news": "News and campaigns",
    "other": "Other opportunities",
}

QUEUED = "queued"
D_SENDING = "sending"
D_SENT = "sent"
FAILED_TEMPORARY = "failed_temporary"
FAILED_PERMANENT = "failed_permanent"
SKIPPED = "skipped"
DELIVERY_STATES = {
    QUEUED: "Waiting",
    D_SENDING: "Being sent",
    D_SENT: "Sent",
    FAILED_TEMPORARY: "Temporary failure, will retry",
    FAILED_PERMANENT: "Failed",
    SKIPPED: "Not sent (unsubscribed or no longer a member)",
}
FINAL_STATES = (D_SENT, FAILED_PERMANENT, SKIPPED)


class Bulletin(db.Model):
    __tablename__ = "bulletin"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(16), default=ROUTINE, index=True)
    title: Mapped[str] = mapped_column(db.String(200))  # also the e-mail subject
    introduction: Mapped[str] = mapped_column(db.Text, default="")  # Markdown
    status: Mapped[str] = mapped_column(db.String(16), default=DRAFT, index=True)
    # Segments (comma-separated keys; empty: everyone). A member matches when they are in one of the
    # sectors AND have one of the interests AND work in one of the wards (each only if given).
    segment_sectors: Mapped[str] = mapped_column(db.String(300), default="")
    segment_interests: Mapped[str] = mapped_column(db.String(500), default="")
    segment_wards: Mapped[str] = mapped_column(db.String(500), default="")
    scheduled_at: Mapped[datetime | None] = mapped_column(index=True)  # naive UTC
    send_started_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)  # when every delivery was final
    # One sender works on a bulletin at a time (it renews this lease); a dead sender's lease runs out.
    sender_id: Mapped[str | None] = mapped_column(db.String(80))
    sender_lease_until: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    source: Mapped[str] = mapped_column(db.String(200), default="")

    created_by = relationship("User")
    items = relationship(
        "BulletinItem",
        cascade="all, delete-orphan",
        back_populates="bulletin",
        order_by="(BulletinItem.position, BulletinItem.id)",
    )

    def _split(self, value):
        return [v for v in (value or "").split(",") if v]

    @property
    def sectors(self):
        return self._split(self.segment_sectors)

    @property
    def interests(self):
        return self._split(self.segment_interests)

    @property
    def ward_codes(self):
        return self._split(self.segment_wards)

    @property
    def is_emergency(self):
        return self.kind == EMERGENCY

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def status_tag(self):
        return "red" if self.is_emergency and self.status != SENT else STATUS_TAGS.get(self.status, "grey")

    @property
    def subject(self):
        return f"EMERGENCY: {self.title}" if self.is_emergency else self.title

    @property
    def editable(self):
        return self.status in (DRAFT, SCHEDULED)

    def items_by_section(self):
        """[(section key, label, [items])] in the bulletin's order, only sections with items."""
        groups = []
        for key, label in SECTIONS.items():
            items = [item for item in self.items if item.section == key]
            if items:
                groups.append((key, label, items))
        return groups

    def __repr__(self):
        return f"<Bulletin {self.id} {self.kind} {self.status}>"


class BulletinItem(db.Model):
    __tablename__ = "bulletin_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(db.ForeignKey("bulletin.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(db.String(20), default="news")
    title: Mapped[str] = mapped_column(db.String(200))
    body: Mapped[str] = mapped_column(db.Text, default="")  # Markdown
    link_url: Mapped[str] = mapped_column(db.String(500), default="")
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(db.String(200), default="")

    bulletin = relationship("Bulletin", back_populates="items")

    @property
    def section_label(self):
        return SECTIONS.get(self.section, self.section)


class BulletinDelivery(db.Model):
    """One recipient of one bulletin. The address is not copied here: it is read from the member at
    send time (so a changed or erased address is never used). After erasure the row stays, anonymous
    (member_id NULL), so the bulletin's figures do not change."""

    __tablename__ = "bulletin_delivery"
    __table_args__ = (
        db.UniqueConstraint("bulletin_id", "member_id", name="uq_bulletin_delivery_bulletin_member"),
        db.Index("ix_bulletin_delivery_claim", "bulletin_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(db.ForeignKey("bulletin.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(db.ForeignKey("ctn_member.id", ondelete="SET NULL"), index=True)
    state: Mapped[str] = mapped_column(db.String(20), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(db.String(80))
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(db.String(300), default="")
    sent_at: Mapped[datetime | None]
    # Set when the recipient unsubscribed through this bulletin's link (the per-bulletin figure).
    unsubscribed_at: Mapped[datetime | None]

    bulletin = relationship("Bulletin")
    member = relationship("Member")

    @property
    def state_label(self):
        return DELIVERY_STATES.get(self.state, self.state)
