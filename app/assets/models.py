"""Community assets (the register of what groups can contribute) and ACV nominations."""

from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

# Localism Act 2011 s.89 and SI 2012/2421 regs 4-5: who may nominate land. Councils may not.
BODY_TYPES = {
    "parish_council": "Parish council",
    "neighbourhood_forum": "Neighbourhood forum",
    "unincorporated": "Unincorporated body with at least 21 members who are on the electoral register locally",
    "charity": "Charity",
    "company_limited_by_guarantee": "Company limited by guarantee that does not distribute any surplus to its members",
    "community_benefit_society": "Community benefit society that does not distribute any surplus to its members",
    "cic": "Community interest company",
}

# 003_c91605f45081f960.txt:605-611 (section 4.21): the rows of the assets table.
CATEGORIES = {
    "Money": "Money",
    "People": "People",
    "Insight": "Insight",
    "Spaces": "Spaces",
}
KINDS = {
    "community_centre": "Community hall or centre",
    "library": "Library",
    "park": "Park or open space",
    "place_of_worship": "Place of worship",
    "youth_centre": "Youth centre",
    "council_building": "Council building",
    "other": "Other space or resource",
}
OWNERS = {
    "council": "Council-owned",
    "cbat_lease": "Community benefit asset transfer (CBAT) lease",
    "vcfs": "Voluntary, community or faith sector",
    "private": "Private",
    "unknown": "Not known",
}


class CommunityAsset(db.Model):
    """A community asset. Meetings refer to spaces by this stable integer id."""

    __tablename__ = "community_asset"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(200))
    category: Mapped[str] = mapped_column(db.String(10), default="Spaces", index=True)
    kind: Mapped[str] = mapped_column(db.String(30), default="other")
    owner: Mapped[str] = mapped_column(db.String(20), default="unknown")
    description: Mapped[str] = mapped_column(db.Text, default="")
    address: Mapped[str] = mapped_column(db.String(300), default="")
    postcode: Mapped[str | None] = mapped_column(db.String(8))
    ward_code: Mapped[str | None] = mapped_column(db.ForeignKey("ward.code"), index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    capacity: Mapped[int | None]
    facilities: Mapped[str] = mapped_column(db.Text, default="")
    accessibility: Mapped[str] = mapped_column(db.Text, default="")
    bookable: Mapped[bool] = mapped_column(default=False)
    booking_details: Mapped[str] = mapped_column(db.Text, default="")
    booking_url: Mapped[str | None] = mapped_column(db.String(500))
    organisation_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    published: Mapped[bool] = mapped_column(default=True)
    # Where a demo record came from in the council papers (file:line).
    source: Mapped[str | None] = mapped_column(db.String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    ward = relationship("Ward")
    organisation = relationship("Organisation")

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

    @property
    def owner_label(self):
        return OWNERS.get(self.owner, self.owner)

    @property
    def full_address(self):
        parts = [self.address.strip()] if self.address and self.address.strip() else []
        if self.postcode and self.postcode not in (self.address or ""):
            parts.append(self.postcode)
        return ", ".join(parts)

    @property
    def venue_label(self):
        """Name and address, as shown where a meeting names its venue."""
        return f"{self.name}, {self.full_address}" if self.full_address else self.name

    @property
    def is_space(self):
        return self.category == "Spaces"

    @property
    def mappable(self):
        return self.lat is not None and self.lon is not None

    def __repr__(self):
        return f"<CommunityAsset {self.id} {self.name}>"


NOMINATION_STATUSES = {
    "received": "Received, being checked",
    "valid": "Valid, awaiting decision",
    "listed": "Listed",
    "not_listed": "Not listed",
    "removed": "Removed from the list",
}
REVIEW_OUTCOMES = {"upheld": "Listing upheld", "removed": "Listing removed"}


class AcvNomination(db.Model):
    """A nomination of land as an Asset of Community Value, and what followed it."""

    __tablename__ = "acv_nomination"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(db.String(20), unique=True)
    status: Mapped[str] = mapped_column(db.String(12), default="received", index=True)

    # The nominating body.
    body_name: Mapped[str] = mapped_column(db.String(200))
    body_type: Mapped[str] = mapped_column(db.String(40))
    body_number: Mapped[str | None] = mapped_column(db.String(20))
    members_on_register: Mapped[int | None]
    distributes_surplus: Mapped[bool | None]
    local_connection: Mapped[str] = mapped_column(db.Text, default="")
    body_address: Mapped[str] = mapped_column(db.Text, default="")
    contact_name: Mapped[str] = mapped_column(db.String(120))
    contact_email: Mapped[str] = mapped_column(db.String(254))
    contact_phone: Mapped[str | None] = mapped_column(db.String(40))

    # The land.
    site_name: Mapped[str] = mapped_column(db.String(200))
    site_address: Mapped[str] = mapped_column(db.String(300))
    site_postcode: Mapped[str | None] = mapped_column(db.String(8))
    ward_code: Mapped[str | None] = mapped_column(db.ForeignKey("ward.code"), index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    boundary_description: Mapped[str] = mapped_column(db.Text)
    occupants: Mapped[str] = mapped_column(db.Text, default="")
    freehold_owners: Mapped[str] = mapped_column(db.Text, default="")
    leasehold_owners: Mapped[str] = mapped_column(db.Text, default="")
    reasons: Mapped[str] = mapped_column(db.Text)
    evidence: Mapped[str] = mapped_column(db.Text, default="")
    asset_id: Mapped[int | None] = mapped_column(db.ForeignKey("community_asset.id", ondelete="SET NULL"))

    received_on: Mapped[date]
    decision_due: Mapped[date]
    validated_on: Mapped[date | None]
    validation_note: Mapped[str] = mapped_column(db.Text, default="")
    decided_on: Mapped[date | None]
    decision_reasons: Mapped[str] = mapped_column(db.Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    listed_on: Mapped[date | None]
    listing_expires: Mapped[date | None]
    owner_notified_on: Mapped[date | None]
    review_request_deadline: Mapped[date | None]
    review_requested_on: Mapped[date | None]
    review_due: Mapped[date | None]
    review_decided_on: Mapped[date | None]
    review_outcome: Mapped[str | None] = mapped_column(db.String(10))
    review_reasons: Mapped[str] = mapped_column(db.Text, default="")
    removed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    ward = relationship("Ward")
    asset = relationship("CommunityAsset")
    decided_by = relationship("User")
    disposal_notices = relationship(
        "AcvDisposalNotice",
        back_populates="nomination",
        cascade="all, delete-orphan",
        order_by="AcvDisposalNotice.received_on",
    )

    @property
    def status_label(self):
        return NOMINATION_STATUSES.get(self.status, self.status)

    @property
    def review_outcome_label(self):
        return REVIEW_OUTCOMES.get(self.review_outcome or "", "")

    @property
    def body_type_label(self):
        return BODY_TYPES.get(self.body_type, self.body_type)

    @property
    def latest_disposal_notice(self):
        return self.disposal_notices[-1] if self.disposal_notices else None

    @property
    def is_open(self):
        return self.status in ("received", "valid")

    def __repr__(self):
        return f"<AcvNomination {self.reference} {self.status}>"


class AcvDisposalNotice(db.Model):
    """An owner's notice that they intend to dispose of a listed asset, and the moratorium dates."""

    __tablename__ = "acv_disposal_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(db.ForeignKey("acv_nomination.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date]
    interim_ends: Mapped[date]
    protected_ends: Mapped[date]
    bid_request_on: Mapped[date | None]
    bid_request_group: Mapped[str | None] = mapped_column(db.String(200))
    full_ends: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    nomination = relationship("AcvNomination", back_populates="disposal_notices")
