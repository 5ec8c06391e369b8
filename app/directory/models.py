from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class Organisation(db.Model):
    """A voluntary, community or faith sector organisation, or a partner body."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(255))
    slug: Mapped[str] = mapped_column(db.String(255), unique=True)
    description: Mapped[str] = mapped_column(db.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    editors = relationship("User", secondary="user_organisation", back_populates="organisations")

    def __repr__(self):
        return f"<Organisation {self.slug}>"
