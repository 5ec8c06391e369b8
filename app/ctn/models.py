"""CTN tables: members and their consent, the suppression list, steering group seats, meetings.

Member states (the bulletins module sends only to CONFIRMED members):

    pending  --confirm link-->  confirmed  --unsubscribe-->  unsubscribed (address on the suppression list)
                                    |------ hard bounce -->  bounced      (address on the suppression list)
    unsubscribed / bounced --join again + confirm link--> confirmed (new consent; suppression lifted)

Erasure removes the member row and everything tied to it; see `services.erase_person`.
"""

import secrets
from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

# --- Members -------------------------------------------------------------------------------------

PENDING = "pending"
CONFIRMED = "confirmed"
UNSUBSCRIBED = "unsubscribed"
BOUNCED = "bounced"
MEMBER_STATUSES = {
    PENDING: "Waiting for confirmation",
    CONFIRMED: "Confirmed",
    UNSUBSCRIBED: "Unsubscribed",
    BOUNCED: "Email bounced",
}
STATUS_TAGS = {PENDING: "yellow", CONFIRMED: "green", UNSUBSCRIBED: "grey", BOUNCED: "red"}

# 002_6240a75a79bed02c.txt:113-114: membership open to VCFS, faith groups, businesses, council officers,
# strategic partners (police, fire, education, health); councillors are welcome.
SECTORS = {
    "vcfs": "Voluntary or community sector (VCFS)",
    "faith": "Faith group",
    "business": "Business",
    "council_officer": "Council officer",
    "statutory_partner": "Statutory partner (police, fire, health, education)",
    "councillor": "Councillor",
}
SECTOR_SHORT = {
    "vcfs": "VCFS",
    "faith": "Faith",
    "business": "Business",
    "council_officer": "Council officer",
    "statutory_partner": "Statutory partner",
    "councillor": "Councillor",
}

# Interests members can choose; the bulletins module segments by them. The first four are the
# Steering Group's themes (002_6240a75a79bed02c.txt:138-141); the rest are what the bulletin carries
# (002_6240a75a79bed02c.txt:119, 159).
INTERESTS = {
    "responding_to_needs": "Responding to community needs",
    "emergency_planning": "Emergency planning and resilience",
    "mental_health": "Mental health",
    "food_security": "Food security",
    "funding": "Funding opportunities",
    "consultations": "Consultations",
    "volunteering": "Volunteering",
    "community_safety": "Community safety and cohesion",
    "events": "Local events",
}

# How a member record or consent came about.
SOURCE_WEB = "web join form"
SOURCE_IMPORT = "CSV import"
SOURCE_PREFERENCES = "preferences page"
SOURCE_OFFICER = "officer"
SOURCE_BULLETIN = "bulletin unsubscribe link"


def new_token():
    return secrets.token_urlsafe(32)


def email_key(email):
    """How addresses are compared: trimmed and lower-cased (the whole address, case-insensitively)."""
    return (email or "").strip().lower()


class Member(db.Model):
    """A person on the CTN list. Their e-mail address is never shown on a public page."""

    __tablename__ = "ctn_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(120))
    email: Mapped[str] = mapped_column(db.String(254))
    # email_key(email): unique, so one address is one member whatever its case.
    email_key: Mapped[str] = mapped_column(db.String(254), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    # Free text when the organisation is not (yet) in the directory.
    organisation_name: Mapped[str] = mapped_column(db.String(255), default="")
    job_title: Mapped[str] = mapped_column(db.String(120), default="")
    sector: Mapped[str] = mapped_column(db.String(24), index=True)
    ward_code: Mapped[str | None] = mapped_column(db.ForeignKey("ward.code", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(db.String(16), default=PENDING, index=True)
    source: Mapped[str] = mapped_column(db.String(120), default=SOURCE_WEB)
    # Secret for the preferences page linked from every e-mail; rotated by `services.rotate_token`.
    preferences_token: Mapped[str] = mapped_column(db.String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmation_sent_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None] = mapped_column(index=True)
    unsubscribed_at: Mapped[datetime | None]
    bounced_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation = relationship("Organisation")
    ward = relationship("Ward")
    interest_rows = relationship(
        "MemberInterest", cascade="all, delete-orphan", back_populates="member", order_by="MemberInterest.interest"
    )
    consents = relationship(
        "Consent", cascade="all, delete-orphan", back_populates="member", order_by="Consent.recorded_at"
    )

    @property
    def interests(self):
        return [row.interest for row in self.interest_rows]

    @interests.setter
    def interests(self, values):
        wanted = [v for v in dict.fromkeys(values or []) if v in INTERESTS]
        self.interest_rows = [row for row in self.interest_rows if row.interest in wanted] + [
            MemberInterest(interest=v) for v in wanted if v not in self.interests
        ]

    @property
    def interest_labels(self):
        return [INTERESTS[i] for i in self.interests if i in INTERESTS]

    @property
    def sector_label(self):
        return SECTOR_SHORT.get(self.sector, self.sector)

    @property
    def status_label(self):
        return MEMBER_STATUSES.get(self.status, self.status)

    @property
    def status_tag(self):
        return STATUS_TAGS.get(self.status, "grey")

    @property
    def organisation_display(self):
        return self.organisation.name if self.organisation else self.organisation_name

    @property
    def is_confirmed(self):
        return self.status == CONFIRMED

    def __repr__(self):
        return f"<Member {self.id} {self.status}>"


class MemberInterest(db.Model):
    __tablename__ = "ctn_member_interest"

    member_id: Mapped[int] = mapped_column(db.ForeignKey("ctn_member.id", ondelete="CASCADE"), primary_key=True)
    interest: Mapped[str] = mapped_column(db.String(40), primary_key=True)

    member = relationship("Member", back_populates="interest_rows")


class Consent(db.Model):
    """What a member agreed to (or withdrew), when, how, and the exact words they were shown."""

    __tablename__ = "ctn_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(db.ForeignKey("ctn_member.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(db.String(16))  # given | confirmed | withdrawn
    source: Mapped[str] = mapped_column(db.String(120))
    wording: Mapped[str] = mapped_column(db.Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    member = relationship("Member", back_populates="consents")


class Suppression(db.Model):
    """Addresses the CTN must not e-mail (unsubscribed, bounced, or erased at the person's request).

    While the person is on the list the address is kept (`email`), so a re-import cannot add them back.
    After erasure only `email_hash` remains (SHA-256 of the compared form of the address): it still
    blocks a re-import of the old list but no longer holds the address itself.
    """

    __tablename__ = "ctn_suppression"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(db.String(254))
    email_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    reason: Mapped[str] = mapped_column(db.String(20))  # unsubscribed | bounced | erased
    source: Mapped[str] = mapped_column(db.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DepartedMember(db.Model):
    """An anonymous counter row left when a member's data is erased: no name, no address, no ward.

    It keeps the membership history (growth, members by sector on a past date) right after erasure.
    """

    __tablename__ = "ctn_departed_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    sector: Mapped[str] = mapped_column(db.String(24))
    joined_on: Mapped[datetime | None]  # when they confirmed (None: never confirmed)
    left_on: Mapped[datetime]  # when they stopped being a confirmed member (unsubscribe or erasure)
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Steering group ------------------------------------------------------------------------------

STEERING_ROLES = {"chair": "Chair", "vice_chair": "Vice chair", "core_member": "Core member", "member": "Member"}


class SteeringSeat(db.Model):
    """A seat on the CTN Steering Group (002_6240a75a79bed02c.txt:117): a body or office, and who holds it."""

    __tablename__ = "ctn_steering_seat"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(db.String(255))
    role: Mapped[str] = mapped_column(db.String(20), default="core_member")
    organisation_id: Mapped[int | None] = mapped_column(db.ForeignKey("organisation.id", ondelete="SET NULL"))
    # The member who currently represents the seat, if known (shown to officers only).
    member_id: Mapped[int | None] = mapped_column(db.ForeignKey("ctn_member.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(db.String(200), default="")

    organisation = relationship("Organisation")
    member = relationship("Member")

    @property
    def role_label(self):
        return STEERING_ROLES.get(self.role, self.role)


# --- Meetings ------------------------------------------------------------------------------------

OPEN_FORUM = "open_forum"
STEERING_GROUP = "steering_group"
EMERGENCY = "emergency"
MEETING_KINDS = {
    OPEN_FORUM: "Open forum",
    STEERING_GROUP: "Steering group",
    EMERGENCY: "Emergency meeting",
}
SCHEDULED = "scheduled"
HELD = "held"
CANCELLED = "cancelled"
MEETING_STATUSES = {SCHEDULED: "Scheduled", HELD: "Held", CANCELLED: "Cancelled"}
SEASONS = ("Spring", "Summer", "Autumn", "Winter")


class Meeting(db.Model):
    __tablename__ = "ctn_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable iCalendar UID, so calendar clients update an event instead of adding a second one.
    uid: Mapped[str] = mapped_column(db.String(80), unique=True, default=lambda: f"{secrets.token_hex(12)}")
    kind: Mapped[str] = mapped_column(db.String(20), default=OPEN_FORUM, index=True)
    title: Mapped[str] = mapped_column(db.String(200))
    theme: Mapped[str] = mapped_column(db.String(200), default="")
    description: Mapped[str] = mapped_column(db.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)  # naive UTC
    ends_at: Mapped[datetime]  # naive UTC
    venue_name: Mapped[str] = mapped_column(db.String(200), default="")
    venue_address: Mapped[str] = mapped_column(db.String(300), default="")
    venue_postcode: Mapped[str] = mapped_column(db.String(8), default="")
    ward_code: Mapped[str | None] = mapped_column(db.ForeignKey("ward.code", ondelete="SET NULL"))
    # The community asset this venue is, when the space is in the register (its details fill the venue).
    asset_id: Mapped[int | None] = mapped_column(db.ForeignKey("community_asset.id", ondelete="SET NULL"))
    online_details: Mapped[str] = mapped_column(db.String(300), default="")
    capacity: Mapped[int | None]  # None: no limit
    registration_open: Mapped[bool] = mapped_column(default=True)
    published: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(db.String(16), default=SCHEDULED)
    # People counted on the day without a registration (walk-ins), or the whole headcount of a
    # meeting for which no names were kept (the 2019 meetings of 002 section 3.10).
    extra_attendees: Mapped[int] = mapped_column(default=0)
    attendance_recorded: Mapped[bool] = mapped_column(default=False)
    minutes: Mapped[str] = mapped_column(db.Text, default="")
    minutes_published: Mapped[bool] = mapped_column(default=False)
    # RFC 5545 SEQUENCE: raised on every change calendar clients should pick up.
    sequence: Mapped[int] = mapped_column(default=0)
    source: Mapped[str] = mapped_column(db.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    ward = relationship("Ward")
    asset = relationship("CommunityAsset")
    agenda_items = relationship(
        "AgendaItem", cascade="all, delete-orphan", back_populates="meeting", order_by="AgendaItem.position"
    )
    registrations = relationship(
        "Registration", cascade="all, delete-orphan", back_populates="meeting", order_by="Registration.created_at"
    )
    actions = relationship(
        "MeetingAction", cascade="all, delete-orphan", back_populates="meeting", order_by="MeetingAction.id"
    )

    @property
    def kind_label(self):
        return MEETING_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return MEETING_STATUSES.get(self.status, self.status)

    @property
    def venue_display(self):
        return ", ".join(p for p in (self.venue_name, self.venue_address, self.venue_postcode) if p)

    def count(self, status):
        return sum(1 for r in self.registrations if r.status == status)

    @property
    def registered_count(self):
        return self.count(REGISTERED)

    @property
    def waiting_count(self):
        return self.count(WAITING)

    @property
    def places_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.registered_count, 0)

    @property
    def attendance(self):
        """People at the meeting: registrations marked attended plus those counted on the day."""
        if not self.attendance_recorded:
            return None
        return sum(1 for r in self.registrations if r.attended) + (self.extra_attendees or 0)

    def __repr__(self):
        return f"<Meeting {self.id} {self.kind} {self.starts_at:%Y-%m-%d}>"


class AgendaItem(db.Model):
    __tablename__ = "ctn_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(db.ForeignKey("ctn_meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(db.String(300))
    speaker: Mapped[str] = mapped_column(db.String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(db.ForeignKey("organisation.id", ondelete="SET NULL"))
    organisation_name: Mapped[str] = mapped_column(db.String(255), default="")

    meeting = relationship("Meeting", back_populates="agenda_items")
    organisation = relationship("Organisation")

    @property
    def organisation_display(self):
        return self.organisation.name if self.organisation else self.organisation_name


REGISTERED = "registered"
WAITING = "waiting"
CANCELLED_REGISTRATION = "cancelled"
REGISTRATION_STATUSES = {REGISTERED: "Registered", WAITING: "On the waiting list", CANCELLED_REGISTRATION: "Cancelled"}


class Registration(db.Model):
    """A place (or a waiting-list place) at a meeting. Anyone may register, member or not.

    On erasure the row is anonymised, not deleted: name and address go, status and attendance stay,
    so the meeting's registration and attendance figures do not change.
    """

    __tablename__ = "ctn_registration"
    __table_args__ = (db.UniqueConstraint("meeting_id", "email_key", name="uq_ctn_registration_meeting_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(db.ForeignKey("ctn_meeting.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(db.ForeignKey("ctn_member.id", ondelete="SET NULL"), index=True)
    name: Mapped[str | None] = mapped_column(db.String(120))
    email: Mapped[str | None] = mapped_column(db.String(254))
    email_key: Mapped[str | None] = mapped_column(db.String(254), index=True)
    organisation_name: Mapped[str] = mapped_column(db.String(255), default="")
    access_needs: Mapped[str] = mapped_column(db.Text, default="")
    status: Mapped[str] = mapped_column(db.String(16), default=REGISTERED)
    attended: Mapped[bool] = mapped_column(default=False)
    cancel_token: Mapped[str | None] = mapped_column(db.String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    erased: Mapped[bool] = mapped_column(default=False)

    meeting = relationship("Meeting", back_populates="registrations")
    member = relationship("Member")

    @property
    def status_label(self):
        return REGISTRATION_STATUSES.get(self.status, self.status)

    @property
    def display_name(self):
        return "(erased at the person's request)" if self.erased else self.name


class MeetingAction(db.Model):
    __tablename__ = "ctn_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(db.ForeignKey("ctn_meeting.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(db.Text)
    owner: Mapped[str] = mapped_column(db.String(200))
    due_on: Mapped[date | None]
    done_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting = relationship("Meeting", back_populates="actions")

    def is_overdue(self, today):
        return self.done_on is None and self.due_on is not None and self.due_on < today


class ThemePlanEntry(db.Model):
    """One season of a year's themes, as the Steering Group agreed them (002_6240a75a79bed02c.txt:136-141)."""

    __tablename__ = "ctn_theme_plan"
    __table_args__ = (db.UniqueConstraint("year", "season", name="uq_ctn_theme_plan_year_season"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    season: Mapped[str] = mapped_column(db.String(10))
    theme: Mapped[str] = mapped_column(db.String(200))
    agreed_on: Mapped[date | None]
    source: Mapped[str] = mapped_column(db.String(200), default="")

    @property
    def season_order(self):
        return SEASONS.index(self.season) if self.season in SEASONS else 99
