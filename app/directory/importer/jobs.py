"""Background imports from the web: the uploaded file, the job's progress, cancelling, and old checks."""

import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app

from ...extensions import db
from ...timeutil import utcnow
from ..import_models import DirectoryImport
from .common import ImportReport
from .run import run_import

log = logging.getLogger("portal.directory.import")


PROGRESS_EVERY_SECONDS = 0.25


def upload_folder():
    folder = Path(current_app.instance_path) / "directory-imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def remove_upload(job):
    if job.stored_name:
        (upload_folder() / job.stored_name).unlink(missing_ok=True)
        job.stored_name = None


@dataclass
class Progress:
    """Where a running import has got to, as the officer's page shows it."""

    step: str
    rows_done: int
    rows_total: int

    @property
    def percent(self):
        return min(100, int(self.rows_done * 100 / self.rows_total)) if self.rows_total else 0


def _progress_path(job_id):
    return upload_folder() / f"import-{job_id}.progress.json"


def _abort_path(job_id):
    return upload_folder() / f"import-{job_id}.abort"


def forget_progress(job_id):
    _progress_path(job_id).unlink(missing_ok=True)
    _abort_path(job_id).unlink(missing_ok=True)


def live_progress(job):
    """The progress of an import: while it runs, from its progress file (written whatever the database is
    doing: on SQLite the job's row cannot be written while the import's transaction saves listings), else
    from the job's row."""
    if job.state == "running":
        try:
            data = json.loads(_progress_path(job.id).read_text(encoding="utf-8"))
            return Progress(data["step"], data["rows_done"], data["rows_total"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not written yet (or a half-written file on a filesystem without atomic rename)
    return Progress(job.step or "", job.rows_done or 0, job.rows_total or 0)


def last_heard(job):
    """When the worker running `job` last reported progress (its row or its progress file)."""
    try:
        written = datetime.fromtimestamp(_progress_path(job.id).stat().st_mtime, UTC).replace(tzinfo=None)
    except OSError:
        return job.updated_at
    return max(job.updated_at, written) if job.updated_at else written


class JobProgress:
    """Progress and the abort flag of a running import. Progress goes to a small file in the upload folder
    (replaced whole, so a reader never sees half of it) and to the job's row on its own short connection,
    so the officer's page sees it while the import's own transaction is still open (and it survives its
    rollback). The abort flag is read from a file the Stop button leaves there, and from the job's row."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.last = 0.0
        self.sqlite = db.engine.dialect.name == "sqlite"
        self.path = _progress_path(job_id)
        self.abort_file = _abort_path(job_id)
        self.last_asked, self.aborted = 0.0, False

    def update(self, **values):
        with db.engine.begin() as connection:
            connection.execute(db.update(DirectoryImport).where(DirectoryImport.id == self.job_id).values(**values))

    def write_file(self, **values):
        partial = self.path.with_name(self.path.name + ".part")
        partial.write_text(json.dumps(values), encoding="utf-8")
        os.replace(partial, self.path)

    def __call__(self, step, done, total):
        now = time.monotonic()
        if done not in (0, 1, total) and now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        self.write_file(step=step, rows_done=done, rows_total=total)
        # SQLite has one writer: once the import's transaction has saved a row, the job's row cannot be
        # written until it ends; the page reads the file meanwhile.
        if step == "saving" and done and self.sqlite:
            return
        self.update(step=step, rows_done=done, rows_total=total)

    def abort_requested(self):
        if self.aborted or self.abort_file.exists():
            return True
        # The job's row too (a Stop pressed where the file could not be left), every PROGRESS_EVERY_SECONDS.
        now = time.monotonic()
        if now - self.last_asked >= PROGRESS_EVERY_SECONDS:
            self.last_asked = now
            with db.engine.connect() as connection:
                self.aborted = bool(
                    connection.scalar(
                        db.select(DirectoryImport.abort_requested).where(DirectoryImport.id == self.job_id)
                    )
                )
        return self.aborted


def start_job(job_id):
    """Claim a queued job for this worker; False when it was aborted or taken meanwhile."""
    with db.engine.begin() as connection:
        claimed = connection.execute(
            db.update(DirectoryImport)
            .where(DirectoryImport.id == job_id, DirectoryImport.state == "queued")
            .values(state="running", step="reading", rows_done=0, rows_total=0, updated_at=utcnow())
        ).rowcount
    return claimed == 1


def process_job(job_id):
    """Run one queued DirectoryImport (a dry run or an import) and record its outcome."""
    db.session.rollback()
    if not start_job(job_id):
        return None
    progress = JobProgress(job_id)
    job = db.session.get(DirectoryImport, job_id)
    db.session.refresh(job)
    try:
        if job.abort_requested:
            report = ImportReport(filename=job.filename, dry_run=job.mode == "check", outcome="aborted")
        else:
            path = upload_folder() / (job.stored_name or "missing")
            if not job.stored_name or not path.exists():
                raise FileNotFoundError("The uploaded file is no longer there: upload it again.")
            report = run_import(
                path,  # read as it goes, never loaded whole
                job.created_by,
                dry_run=job.mode == "check",
                skip_bad_rows=job.skip_bad_rows,
                filename=job.filename,
                progress=progress,
                should_abort=progress.abort_requested,
            )
        finish_job(job, report)
        db.session.commit()
        forget_progress(job_id)
    except Exception as exc:  # noqa: BLE001 - whatever happened, the officer must see that nothing was written
        db.session.rollback()
        log.exception("directory import failed", extra={"import_id": job_id})
        job = db.session.get(DirectoryImport, job_id)
        job.state = "failed"
        job.message = (
            str(exc)
            if isinstance(exc, FileNotFoundError)
            else "Something went wrong while importing. Nothing was written."
        )
        job.finished_at = utcnow()
        remove_upload(job)
        db.session.commit()
        forget_progress(job_id)
    return job.state


def finish_job(job, report):
    job.report = report.to_json()
    job.step = ""
    if report.outcome == "checked":
        job.state, job.message = "checked", None
    elif report.outcome == "refused":
        # A real run found problems the check did not (the directory changed meanwhile): back to the officer.
        job.state = "checked"
        job.message = "Nothing was imported: some rows now have problems. Look at them below, then choose again."
    else:
        job.state = {"imported": "imported", "aborted": "aborted", "file_refused": "refused"}[report.outcome]
        job.message = report.file_problem
        job.finished_at = utcnow()
        remove_upload(job)
    job.rows_total = report.total_rows
    job.rows_done = report.created_count if report.outcome == "imported" else report.total_rows


def request_abort(job):
    """Ask a queued or running import to stop. Returns what happened: stopped, asked, or finished.

    The running import sees the file left in the upload folder even when the job's row cannot be written
    (SQLite, while the import's transaction saves listings: then this raises OperationalError)."""
    if job.state == "running":
        _abort_path(job.id).touch()
    with db.engine.begin() as connection:
        stopped = connection.execute(
            db.update(DirectoryImport)
            .where(DirectoryImport.id == job.id, DirectoryImport.state == "queued")
            .values(state="aborted", abort_requested=True, finished_at=utcnow())
        ).rowcount
        if stopped:
            return "stopped"
        asked = connection.execute(
            db.update(DirectoryImport)
            .where(DirectoryImport.id == job.id, DirectoryImport.state == "running")
            # Asking is not hearing from the worker: keep updated_at, which says when the worker last reported.
            .values(abort_requested=True, updated_at=DirectoryImport.updated_at)
        ).rowcount
    return "asked" if asked else "finished"


def cancel(job):
    """The officer does not go ahead after the check: forget the file."""
    job.state = "cancelled"
    job.finished_at = utcnow()
    remove_upload(job)


def forget_stale_checks(hours=24):
    """Checked files nobody imported within a day are removed, so personal details are not kept."""
    cutoff = utcnow() - timedelta(hours=hours)
    stale = db.session.scalars(
        db.select(DirectoryImport).where(DirectoryImport.state == "checked", DirectoryImport.updated_at < cutoff)
    ).all()
    for job in stale:
        cancel(job)
    return len(stale)


# --- What the import pages ask for (they start the task themselves, with tasks.import_task) -------------


def queue_check(filename, data, user_id):
    """Keep an uploaded file and queue its check (a dry run). Returns the committed job."""
    forget_stale_checks()
    stored_name = f"{uuid.uuid4().hex}.csv"
    (upload_folder() / stored_name).write_bytes(data)
    job = DirectoryImport(
        filename=filename.replace("\\", "/").rsplit("/", 1)[-1][:255],
        stored_name=stored_name,
        mode="check",
        state="queued",
        created_by_id=user_id,
    )
    db.session.add(job)
    db.session.commit()
    return job


def queue_import(job, skip_bad_rows):
    """The officer goes ahead after the check: queue the import. False when another request got there first
    (the job is no longer 'checked'), so the import is queued once."""
    claimed = db.session.execute(
        db.update(DirectoryImport)
        .where(DirectoryImport.id == job.id, DirectoryImport.state == "checked")
        .values(
            state="queued",
            mode="import",
            skip_bad_rows=bool(skip_bad_rows),
            abort_requested=False,
            step="",
            rows_done=0,
            message=None,
        )
    ).rowcount
    db.session.commit()
    if claimed:
        forget_progress(job.id)
    return bool(claimed)


def stop_job(job, stalled_after):
    """The Stop button: request_abort, then tidy up. Returns stopped, asked or finished (as request_abort);
    a running import not heard from for `stalled_after` is ended here, as its worker has gone."""
    outcome = request_abort(job)
    db.session.expire_all()
    if outcome == "stopped":
        remove_upload(job)
        job.message = "Stopped before it started: nothing was written."
        db.session.commit()
    elif outcome == "asked" and last_heard(job) < utcnow() - stalled_after:
        # Nothing has been heard from the worker for a long time: it has gone, and its transaction with it.
        job.state, job.finished_at = "aborted", utcnow()
        job.message = "The import stopped responding, so it was ended. Nothing was written."
        remove_upload(job)
        db.session.commit()
        forget_progress(job.id)
    return outcome


def cancel_checked(job):
    """cancel, committed: the officer's Cancel button after a check."""
    cancel(job)
    db.session.commit()
