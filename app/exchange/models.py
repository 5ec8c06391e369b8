"""Feeds of other Open Referral UK v3 directories, their import runs, and which listing came from which record."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

REFRESH_CHOICES = {"off": "Only when an officer runs it", "daily": "Every day", "weekly": "Every week"}


class Feed(db.Model):
    """Another directory's ORUK v3 API, imported from by strategy officers (and refreshed on a schedule)."""

    __tablename__ = "exchange_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(120))
    url: Mapped[str] = mapped_column(db.String(500))  # the API's base, e.g. https://example.org/api/v3
    refresh: Mapped[str] = mapped_column(db.String(10), default="off")
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_run_at: Mapped[datetime | None]

    runs = relationship("FeedRun", back_populates="feed", cascade="all, delete-orphan", order_by="FeedRun.id.desc()")

    @property
    def refresh_label(self):
        return REFRESH_CHOICES.get(self.refresh, self.refresh)


class FeedRun(db.Model):
    """One import (or dry run) of a feed, with its per-record report as JSON."""

    __tablename__ = "exchange_feed_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(db.ForeignKey("exchange_feed.id", ondelete="CASCADE"), index=True)
    dry_run: Mapped[bool] = mapped_column(default=True)
    scheduled: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(db.String(20), default="queued")  # queued | running | done | failed
    requested_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    summary: Mapped[str] = mapped_column(db.String(255), default="")
    report: Mapped[str] = mapped_column(db.Text, default="{}")

    feed = relationship("Feed", back_populates="runs")
    requested_by = relationship("User")


class FeedRecord(db.Model):
    """A listing created from a feed's organisation: where it came from, and the version the feed wrote (a
    refresh never overwrites a listing changed in the directory since)."""

    __tablename__ = "exchange_feed_record"
    __table_args__ = (db.UniqueConstraint("feed_id", "remote_id", name="uq_exchange_feed_record_remote"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(db.ForeignKey("exchange_feed.id", ondelete="CASCADE"), index=True)
    remote_id: Mapped[str] = mapped_column(db.String(100))
    organisation_id: Mapped[int] = mapped_column(db.ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    imported_version: Mapped[int]
    first_imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)

    feed = relationship("Feed")
    organisation = relationship("Organisation")
