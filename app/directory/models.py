"""The directory, after the Open Referral UK (HSDS 3.0 UK profile) model.

organisation -> services -> service_at_location <- locations; taxonomy -> taxonomy terms linked to services
(categories, beneficiary groups, faith, languages) and to locations (accessibility); schedules (opening
hours); service areas (wards). Each HSDS entity has a stable `uuid` used by the Open Referral API, and an
integer key used inside the portal.

What the public sees is the published state in these tables. Changes from community groups wait as a
ListingChange (a full proposed snapshot) until an officer approves them; every published state is kept as a
ListingVersion, so the history shows who changed what and when.
"""

import uuid
from datetime import date, datetime, time

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


def new_uuid():
    return str(uuid.uuid4())


def _uuid_column():
    # The uuid, made here rather than by the database, is also the "insert sentinel": with it SQLAlchemy
    # inserts many new rows in one statement and still matches each to the id the database gave it (SQLite
    # cannot say which new id belongs to which row otherwise, so rows would go one statement each).
    return db.Column(db.String(36), unique=True, nullable=False, default=new_uuid, insert_sentinel=True)


KIND_LABELS = {
    "vcfs": "Voluntary or community group",
    "faith": "Faith organisation",
    "infrastructure": "Infrastructure and support",
    "business": "Business",
    "statutory": "Statutory partner",
}
AREA_SCOPES = ("wards", "borough", "remote")
AREA_SCOPE_LABELS = {
    "wards": "In particular wards",
    "borough": "Anywhere in the borough",
    "remote": "Online or by phone only, wherever people live",
}
STATUS_LABELS = {"active": "Active", "temporarily closed": "Temporarily closed", "inactive": "Inactive"}

service_terms = db.Table(
    "service_taxonomy_term",
    db.Column("service_id", db.ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    db.Column("taxonomy_term_id", db.ForeignKey("taxonomy_term.id", ondelete="CASCADE"), primary_key=True),
)
location_accessibility = db.Table(
    "location_accessibility_term",
    db.Column("location_id", db.ForeignKey("location.id", ondelete="CASCADE"), primary_key=True),
    db.Column("taxonomy_term_id", db.ForeignKey("taxonomy_term.id", ondelete="CASCADE"), primary_key=True),
)
service_areas = db.Table(
    "service_area",
    db.Column("service_id", db.ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    db.Column("ward_code", db.ForeignKey("ward.code", ondelete="CASCADE"), primary_key=True),
)


class OrganisationWords:
    """What pages say of an organisation, for the model and for the plain rows some pages read instead
    (card_facts.py, listing_facts.py): each has `status` and `locations`, and `kind` for kind_label."""

    __slots__ = ()

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def public_locations(self):
        return [loc for loc in self.locations if not loc.confidential]


class Organisation(OrganisationWords, db.Model):
    """A voluntary, community or faith sector organisation, or a partner body."""

    __tablename__ = "organisation"
    # The few organisations no public search shows, so a search can leave them out without reading the rows
    # of everything it matched (app/directory/search.py HIDDEN is the same expression).
    __table_args__ = (
        db.Index(
            "ix_organisation_hidden",
            "id",
            sqlite_where=db.text("NOT (published IS 1 AND status != 'inactive')"),
            postgresql_where=db.text("NOT (published IS true AND status <> 'inactive')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    name: Mapped[str] = mapped_column(db.String(255))
    slug: Mapped[str] = mapped_column(db.String(255), unique=True)
    description: Mapped[str] = mapped_column(db.Text, default="")
    kind: Mapped[str] = mapped_column(db.String(20), default="vcfs")
    status: Mapped[str] = mapped_column(db.String(20), default="active")
    email: Mapped[str | None] = mapped_column(db.String(254))
    website: Mapped[str | None] = mapped_column(db.String(500))
    phone: Mapped[str | None] = mapped_column(db.String(40))
    charity_number: Mapped[str | None] = mapped_column(db.String(12), index=True)
    company_number: Mapped[str | None] = mapped_column(db.String(8), index=True)
    # False until an officer approves a new registration: unpublished listings are not public.
    published: Mapped[bool] = mapped_column(default=True)
    # Raised by one on every published change, so a stale edit can be told from a fresh one.
    version: Mapped[int] = mapped_column(default=1)
    last_verified_at: Mapped[datetime | None]
    verification_reminder_sent_at: Mapped[datetime | None]
    legacy_id: Mapped[str | None] = mapped_column(db.String(64))
    # Words searched by the directory, kept by services.set_search_fields and ranked by field: the name
    # (weighted most), then service names and category / keyword terms, then everything (name, description,
    # services, categories, places).
    search_name: Mapped[str] = mapped_column(db.Text, default="")
    # Has a public address with a position, or a service that says where it helps people: false means a
    # postcode search cannot place it (it is counted and said, not dropped silently). Kept by services.py.
    placed: Mapped[bool] = mapped_column(default=False, index=True)
    search_keywords: Mapped[str] = mapped_column(db.Text, default="")
    search_text: Mapped[str] = mapped_column(db.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    editors = relationship("User", secondary="user_organisation", back_populates="organisations")
    services = relationship(
        "Service", back_populates="organisation", cascade="all, delete-orphan", order_by="Service.id"
    )
    locations = relationship(
        "Location", back_populates="organisation", cascade="all, delete-orphan", order_by="Location.id"
    )

    @property
    def serves_label(self):
        """Where it helps people, for residents: "Serves all of Barnet", "Serves West Hendon ward",
        "Online or by phone", or None when it is found at its address only."""
        from .search import place_of

        return place_of(self)[1]

    def __repr__(self):
        return f"<Organisation {self.slug}>"


class Service(db.Model):
    __tablename__ = "service"
    # Searches list the organisations serving an area from this index alone (no service rows read).
    __table_args__ = (db.Index("ix_service_scope_organisation", "area_scope", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    organisation_id: Mapped[int] = mapped_column(db.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(db.String(255))
    description: Mapped[str] = mapped_column(db.Text, default="")
    url: Mapped[str | None] = mapped_column(db.String(500))
    email: Mapped[str | None] = mapped_column(db.String(254))
    phone: Mapped[str | None] = mapped_column(db.String(40))
    status: Mapped[str] = mapped_column(db.String(20), default="active")
    fees_description: Mapped[str | None] = mapped_column(db.Text)
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    # Where the service helps people beyond its addresses (HSDS service_areas): "wards" (the wards in
    # `areas`), "borough" (all of the borough), "remote" (online or by phone, wherever people live), or None
    # (only at its addresses, or not said).
    area_scope: Mapped[str | None] = mapped_column(db.String(10), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation = relationship("Organisation", back_populates="services")
    terms = relationship("TaxonomyTerm", secondary=service_terms, order_by="TaxonomyTerm.name")
    areas = relationship("Ward", secondary=service_areas, order_by="Ward.name")
    service_at_locations = relationship("ServiceAtLocation", back_populates="service", cascade="all, delete-orphan")
    schedules = relationship("Schedule", back_populates="service", cascade="all, delete-orphan")
    closures = relationship(
        "Closure", back_populates="service", cascade="all, delete-orphan", order_by="Closure.starts_on"
    )


def address_line(address_1, address_2, city, postcode):
    """An address on one line: its parts that are given, separated by commas."""
    return ", ".join(part for part in (address_1, address_2, city, postcode) if part)


class AddressLine:
    """An address on one line, for the model and for the plain rows the listing page reads (listing_facts.py)."""

    __slots__ = ()

    @property
    def one_line_address(self):
        return address_line(self.address_1, self.address_2, self.city, self.postcode)


class Location(AddressLine, db.Model):
    __tablename__ = "location"
    __table_args__ = (
        db.Index("ix_location_lat_lon", "lat", "lon"),
        # Searches by ward and by distance read the organisation ids from these indexes alone.
        db.Index("ix_location_ward_organisation", "ward_code", "confidential", "organisation_id"),
        db.Index("ix_location_position", "lat", "lon", "confidential", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    organisation_id: Mapped[int] = mapped_column(db.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(db.String(255), default="")
    address_1: Mapped[str] = mapped_column(db.String(255), default="")
    address_2: Mapped[str | None] = mapped_column(db.String(255))
    city: Mapped[str] = mapped_column(db.String(100), default="London")
    postcode: Mapped[str | None] = mapped_column(db.String(8), index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    ward_code: Mapped[str | None] = mapped_column(db.ForeignKey("ward.code"), index=True)
    # Where lat/lon came from: "postcode" (table or API) or "manual" (an officer's pin, kept until the
    # postcode changes); None when the address is not placed.
    position_source: Mapped[str | None] = mapped_column(db.String(10))
    # A refuge or a home address: shown to officers only, never on public pages, maps or the API.
    confidential: Mapped[bool] = mapped_column(default=False)
    accessibility_notes: Mapped[str | None] = mapped_column(db.Text)

    organisation = relationship("Organisation", back_populates="locations")
    ward = relationship("Ward")
    accessibility = relationship("TaxonomyTerm", secondary=location_accessibility, order_by="TaxonomyTerm.name")
    service_at_locations = relationship("ServiceAtLocation", back_populates="location", cascade="all, delete-orphan")


class ServiceAtLocation(db.Model):
    __tablename__ = "service_at_location"
    __table_args__ = (db.UniqueConstraint("service_id", "location_id", name="uq_service_at_location_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    service_id: Mapped[int] = mapped_column(db.ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(db.ForeignKey("location.id", ondelete="CASCADE"), index=True)

    service = relationship("Service", back_populates="service_at_locations")
    location = relationship("Location", back_populates="service_at_locations")


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ScheduleDay:
    """A weekly opening's day as HSDS writes it and as people read it, for the model and for the plain rows
    the API reads instead (api/service_facts.py): each has `weekday`, 0 = Monday."""

    __slots__ = ()

    @property
    def byday(self):
        return WEEKDAYS[self.weekday]

    @property
    def weekday_name(self):
        return WEEKDAY_NAMES[self.weekday]


class Schedule(ScheduleDay, db.Model):
    """Opening hours: one row per weekday the service is open (HSDS schedule, weekly)."""

    __tablename__ = "schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    service_id: Mapped[int] = mapped_column(db.ForeignKey("service.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]  # 0 = Monday
    opens_at: Mapped[time]
    closes_at: Mapped[time]

    service = relationship("Service", back_populates="schedules")


class Closure(db.Model):
    """A holiday closure of a service: closed from `starts_on` to `ends_on` (both days included) whatever its
    weekly hours say, e.g. "Closed 24 December to 2 January: Christmas"."""

    __tablename__ = "closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_uuid)
    service_id: Mapped[int] = mapped_column(db.ForeignKey("service.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(db.String(255))

    service = relationship("Service", back_populates="closures")

    def covers(self, day):
        return self.starts_on <= day <= self.ends_on


class ListingDraft(db.Model):
    """A listing being edited or registered through the task list, kept between pages until it is sent.

    Owned by a signed-in person (`owner_id`, so it survives signing out and back in) or, for an anonymous
    registration, by the holder of a random token kept in their session (only its SHA-256 is stored).
    `base_version` and `draft_revision` are what the editor started from, checked when the draft is sent.
    """

    __tablename__ = "listing_draft"
    __table_args__ = (db.UniqueConstraint("owner_id", "organisation_id", name="uq_listing_draft_owner_listing"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str | None] = mapped_column(db.String(64), unique=True)
    # None for a registration (a new listing).
    organisation_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[str] = mapped_column(db.Text, default="{}")
    # For a registration: the person's {name, email, role}.
    contact: Mapped[str] = mapped_column(db.Text, default="{}")
    # The sections the editor has saved at least once ("about", "contact", "services", ...).
    touched: Mapped[str] = mapped_column(db.String(255), default="")
    base_version: Mapped[int] = mapped_column(default=0)
    draft_revision: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    organisation = relationship("Organisation")


class Taxonomy(db.Model):
    """A vocabulary: categories, beneficiary groups, faith, languages, accessibility."""

    __tablename__ = "taxonomy"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_uuid)
    code: Mapped[str] = mapped_column(db.String(40), unique=True)
    name: Mapped[str] = mapped_column(db.String(120))
    description: Mapped[str] = mapped_column(db.Text, default="")

    terms = relationship("TaxonomyTerm", back_populates="taxonomy", order_by="TaxonomyTerm.name")


class TaxonomyTerm(db.Model):
    __tablename__ = "taxonomy_term"
    __table_args__ = (db.UniqueConstraint("taxonomy_id", "code", name="uq_taxonomy_term_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(db.String(36), unique=True, default=new_uuid)
    taxonomy_id: Mapped[int] = mapped_column(db.ForeignKey("taxonomy.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(db.String(60))
    name: Mapped[str] = mapped_column(db.String(120))
    description: Mapped[str] = mapped_column(db.Text, default="")

    taxonomy = relationship("Taxonomy", back_populates="terms")


class ListingChange(db.Model):
    """A group's proposed listing (new registration, edit or claim) waiting for an officer."""

    __tablename__ = "listing_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(db.String(20))  # register | edit | claim
    status: Mapped[str] = mapped_column(db.String(20), default="pending", index=True)
    # The proposed listing as JSON (see services.snapshot); empty for a claim.
    payload: Mapped[str] = mapped_column(db.Text, default="{}")
    # Organisation.version when the editor started; approval refuses a change made on a stale version.
    base_version: Mapped[int] = mapped_column(default=0)
    # Raised on every save of this pending change, to catch two people saving the same draft.
    revision: Mapped[int] = mapped_column(default=1)
    message: Mapped[str | None] = mapped_column(db.Text)
    submitted_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(db.Text)

    organisation = relationship("Organisation")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])


class ListingVersion(db.Model):
    """One published state of a listing: who published it, when, and what it said."""

    __tablename__ = "listing_version"
    __table_args__ = (db.UniqueConstraint("organisation_id", "version", name="uq_listing_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(db.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    snapshot: Mapped[str] = mapped_column(db.Text)
    change_id: Mapped[int | None] = mapped_column(db.ForeignKey("listing_change.id", ondelete="SET NULL"))
    summary: Mapped[str] = mapped_column(db.String(255), default="")
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by = relationship("User")


class ProblemReport(db.Model):
    """'Report a problem with this listing', from anyone."""

    __tablename__ = "problem_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(db.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    problem: Mapped[str] = mapped_column(db.String(40))
    details: Mapped[str] = mapped_column(db.Text)
    reporter_name: Mapped[str | None] = mapped_column(db.String(120))
    reporter_email: Mapped[str | None] = mapped_column(db.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))

    organisation = relationship("Organisation")


class SearchSynonym(db.Model):
    """One entry of the search vocabulary, kept by strategy officers: words residents type that mean the
    same (`terms`, each finds the others), and related terms that a search for any of them also finds
    (`related`, one way). Terms are stored one per line, lower case."""

    __tablename__ = "search_synonym"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(db.Text)
    related: Mapped[str] = mapped_column(db.Text, default="")
    note: Mapped[str | None] = mapped_column(db.String(255))
    updated_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    updated_by = relationship("User")

    @property
    def term_list(self):
        return [t for t in self.terms.splitlines() if t.strip()]

    @property
    def related_list(self):
        return [t for t in (self.related or "").splitlines() if t.strip()]


class SearchWord(db.Model):
    """The words of the published directory with how many listings use each: the index "Did you mean"
    suggestions are drawn from. Kept up to date whenever a listing's search text is written."""

    __tablename__ = "search_word"

    word: Mapped[str] = mapped_column(db.String(60), primary_key=True)
    documents: Mapped[int] = mapped_column(default=0)


# The columns a listing snapshot carries for each part (services.snapshot writes them, diff.compare shows them).
ORGANISATION_FIELDS = (
    "name",
    "description",
    "kind",
    "status",
    "email",
    "website",
    "phone",
    "charity_number",
    "company_number",
)
SERVICE_FIELDS = (
    "name",
    "description",
    "url",
    "email",
    "phone",
    "status",
    "fees_description",
    "minimum_age",
    "maximum_age",
)
LOCATION_FIELDS = ("name", "address_1", "address_2", "city", "postcode", "confidential", "accessibility_notes")
