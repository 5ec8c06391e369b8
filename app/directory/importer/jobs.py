"""Background imports from the web: the uploaded file, the job's progress, cancelling, and old checks."""

import logging
import time
import uuid
from datetime import timedelta
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


class JobProgress:
    """Progress and the abort flag, read and written on their own short connections, so the officer's page
    sees them while the import's own transaction is still open (and so they survive its rollback)."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.last = 0.0
        self.sqlite = db.engine.dialect.name == "sqlite"

    def update(self, **values):
        with db.engine.begin() as connection:
            connection.execute(db.update(DirectoryImport).where(DirectoryImport.id == self.job_id).values(**values))

    def __call__(self, step, done, total):
        now = time.monotonic()
        if done not in (0, 1, total) and now - self.last < PROGRESS_EVERY_SECONDS:
            return
        # SQLite has one writer: once the import's transaction has saved a row, progress cannot be written
        # until it ends (a few seconds for the legacy directory's 300 rows).
        if step == "saving" and done and self.sqlite:
            return
        self.last = now
        self.update(step=step, rows_done=done, rows_total=total)

    def abort_requested(self):
        with db.engine.connect() as connection:
            return bool(
                connection.scalar(db.select(DirectoryImport.abort_requested).where(DirectoryImport.id == self.job_id))
            )


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
    job.rows_done = len(report.created) if report.outcome == "imported" else report.total_rows


def request_abort(job):
    """Ask a queued or running import to stop. Returns what happened: stopped, asked, or finished."""
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
    elif outcome == "asked" and job.updated_at < utcnow() - stalled_after:
        # Nothing has been heard from the worker for a long time: it has gone, and its transaction with it.
        job.state, job.finished_at = "aborted", utcnow()
        job.message = "The import stopped responding, so it was ended. Nothing was written."
        remove_upload(job)
        db.session.commit()
    return outcome


def cancel_checked(job):
    """cancel, committed: the officer's Cancel button after a check."""
    cancel(job)
    db.session.commit()
