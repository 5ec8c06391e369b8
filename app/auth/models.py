import secrets
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..security import ADMIN, LISTING_MODERATORS, OFFICER_ROLES, ROLE_LABELS
from ..timeutil import utcnow

# Which organisations' listings a group editor may change.
user_organisations = db.Table(
    "user_organisation",
    db.Column("user_id", db.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    db.Column("organisation_id", db.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)


TODO_IMMEDIATE, TODO_DAILY = "immediate", "daily"
TODO_EMAIL_CHOICES = {
    TODO_IMMEDIATE: "As soon as something new waits for me",
    TODO_DAILY: "Once a day, in a morning summary",
}


def new_session_version():
    return secrets.token_urlsafe(24)


class User(db.Model):
    """A signed-in user of the portal. Residents never need one."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), unique=True)
    name: Mapped[str] = mapped_column(db.String(120))
    role: Mapped[str] = mapped_column(db.String(32))
    # Empty until the invited person chooses a password.
    password_hash: Mapped[str | None] = mapped_column(db.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    invited_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    # Copied into each session at sign-in and checked on every request: replacing it ends every session
    # of the account (sign-out, password change or reset, deactivation) and voids an unused invitation.
    session_version: Mapped[str] = mapped_column(db.String(43), default=new_session_version, server_default="")
    # How an officer hears of new to-do items (app/todo.py): one e-mail as they arrive, or a daily digest.
    todo_emails: Mapped[str] = mapped_column(db.String(10), default=TODO_IMMEDIATE, server_default=TODO_IMMEDIATE)
    # The London day of the last daily digest, so several workers never send the same day's twice.
    todo_digest_sent_on: Mapped[date | None]

    organisations = relationship(
        "Organisation", secondary=user_organisations, back_populates="editors", order_by="Organisation.name"
    )
    invited_by = relationship("User", remote_side=[id])

    # Flask-Login protocol
    @property
    def is_authenticated(self):
        return True

    @property
    def is_active(self):
        return self.active and self.password_hash is not None

    @property
    def is_anonymous(self):
        return False

    def get_id(self):
        return str(self.id)

    @property
    def role_label(self):
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def is_officer(self):
        return self.role in OFFICER_ROLES

    @property
    def is_admin(self):
        return self.role == ADMIN

    @property
    def moderates_listings(self):
        return self.role in LISTING_MODERATORS

    def can_edit_organisation(self, organisation):
        # By id: the listing page passes plain rows (directory/listing_facts.py), not the model.
        return self.moderates_listings or any(mine.id == organisation.id for mine in self.organisations)

    @classmethod
    def by_email(cls, email):
        return db.session.scalar(db.select(cls).where(func.lower(cls.email) == email.strip().lower()))

    @property
    def todo_emails_label(self):
        return TODO_EMAIL_CHOICES.get(self.todo_emails, self.todo_emails)

    def __repr__(self):
        return f"<User {self.id} {self.role}>"


class TodoNotice(db.Model):
    """A to-do item an officer has been e-mailed about (removed once the item no longer waits)."""

    __tablename__ = "todo_notice"
    __table_args__ = (db.UniqueConstraint("user_id", "item_key", name="uq_todo_notice_user_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(db.String(200))  # "<source key>:<item key>"
    notified_at: Mapped[datetime] = mapped_column(default=utcnow)
