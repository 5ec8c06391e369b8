"""CSV imports of the legacy directory: one row per uploaded file, holding its progress and report.

The uploaded file itself stays in the instance folder (never in the database) until the import ends; the
background task keeps `rows_done`, `state` and `report` up to date so the officer's page can show a
progress bar, and reads `abort_requested` between rows.
"""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

# mode: "check" is the dry run every upload starts with; "import" writes the listings.
# state: queued -> running -> one of
#   checked   the dry run is done; the file is kept until the officer imports it or cancels
#   imported  listings written (end)
#   refused   the file could not be read at all (end)
#   aborted   stopped by the officer, nothing written (end)
#   cancelled the officer did not go ahead after the check (end)
#   failed    something went wrong, nothing written (end)
ACTIVE_STATES = ("queued", "running")
FINAL_STATES = ("imported", "refused", "aborted", "cancelled", "failed")


class DirectoryImport(db.Model):
    __tablename__ = "directory_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The name the officer's file had (shown back to them), and ours in instance/directory-imports/.
    filename: Mapped[str] = mapped_column(db.String(255))
    stored_name: Mapped[str | None] = mapped_column(db.String(64))
    mode: Mapped[str] = mapped_column(db.String(10), default="check")
    state: Mapped[str] = mapped_column(db.String(20), default="queued", index=True)
    step: Mapped[str] = mapped_column(db.String(20), default="")  # reading | checking | saving
    rows_total: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(default=0)
    skip_bad_rows: Mapped[bool] = mapped_column(default=False)
    abort_requested: Mapped[bool] = mapped_column(default=False)
    message: Mapped[str | None] = mapped_column(db.Text)
    report: Mapped[str | None] = mapped_column(db.Text)  # importer.ImportReport as JSON
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None]

    created_by = relationship("User")

    @property
    def active(self):
        return self.state in ACTIVE_STATES

    @property
    def percent(self):
        if not self.rows_total:
            return 0
        return min(100, int(self.rows_done * 100 / self.rows_total))

    def __repr__(self):
        return f"<DirectoryImport {self.id} {self.mode} {self.state}>"
