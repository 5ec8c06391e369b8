"""CSV import of the legacy directory (strategy officers) and CSV export of the public directory (anyone).

An upload is always checked first (a dry run in the background, with a progress bar), then the officer
reads the per-row report and chooses to import, or to cancel. The logic is in the importer package.
"""

from datetime import timedelta

from flask import Blueprint, current_app, flash, jsonify, make_response, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.validators import ValidationError

from ..extensions import db
from ..forms import ConfirmForm, Form, GovukCheckboxField, GovukFileField, GovukSubmitField
from ..security import STRATEGY_OFFICER, public, roles_required
from ..timeutil import utcnow
from . import importer, tasks, taxonomy
from .import_models import DirectoryImport

import_bp = Blueprint("directory_import", __name__, url_prefix="/directory/import")
# The export sits beside the directory's own pages, so it needs a blueprint of its own.
export_bp = Blueprint("directory_export", __name__, url_prefix="/directory")

# A running import that has not reported progress for this long has lost its worker.
STALLED_AFTER = timedelta(minutes=10)
# Rows listed on a report page; the problems CSV has them all.
SHOW_AT_MOST = 500


def _size_limit():
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return f"{limit / (1024 * 1024):g}MB" if limit >= 1024 * 1024 else f"{limit // 1024 or 1}KB"


class UploadForm(Form):
    file = GovukFileField("Upload a CSV file")
    submit = GovukSubmitField("Upload and check the file")

    def validate_file(self, field):
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError("Select a CSV file")
        if not upload.filename.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")


class ConfirmImportForm(Form):
    skip_bad_rows = GovukCheckboxField("Import the good rows and skip the rows with problems")
    submit = GovukSubmitField("Import the listings")


def _job_or_404(job_id):
    return db.get_or_404(DirectoryImport, job_id)


def _render_upload(form, status=200):
    recent = db.session.scalars(
        db.select(DirectoryImport).order_by(DirectoryImport.created_at.desc(), DirectoryImport.id.desc()).limit(10)
    ).all()
    return render_template(
        "directory/import_upload.html",
        form=form,
        recent=recent,
        column_groups=(
            ("The organisation", importer.ORGANISATION_COLUMNS),
            ("Its services", importer.SERVICE_COLUMNS),
            ("Its places (addresses)", importer.LOCATION_COLUMNS),
        ),
        column_help=importer.COLUMN_HELP,
        categories=[name for _, name in taxonomy.term_choices("category")],
        accessibility=[name for _, name in taxonomy.term_choices("accessibility")],
        size_limit=_size_limit(),
    ), status


@import_bp.route("/", methods=["GET", "POST"])
@roles_required(STRATEGY_OFFICER)
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        upload_file = form.file.data
        data = upload_file.read()
        if not data:
            form.file.errors.append("The selected file is empty")
            return _render_upload(form)
        job = importer.queue_check(upload_file.filename, data, current_user.id)
        tasks.import_task(job.id)
        return redirect(url_for(".job", job_id=job.id))
    return _render_upload(form)


@import_bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    form = UploadForm(formdata=None)
    form.file.errors = [f"The selected file must be smaller than {_size_limit()}"]
    return _render_upload(form, 413)


def _progress_text(job, progress):
    if job.abort_requested:
        return "Stopping: nothing will be written"
    if job.state == "queued":
        return "Waiting to start"
    done, total, percent = progress.rows_done, progress.rows_total, progress.percent
    if progress.step == "checking" and total:
        return f"Checked {done} of {total} rows ({percent}%)"
    if progress.step == "saving" and total and not done:
        return f"Saving {total} {'listing' if total == 1 else 'listings'}"
    if progress.step == "saving" and total:
        return f"Saved {done} of {total} listings ({percent}%)"
    return "Reading the file"


@import_bp.route("/<int:job_id>")
@roles_required(STRATEGY_OFFICER)
def job(job_id):
    return _render_job(_job_or_404(job_id))


def _render_job(job, form=None):
    """The progress page while the import runs; afterwards its report (and, after a check, the choice)."""
    if job.active:
        progress = importer.live_progress(job)
        return render_template(
            "directory/import_progress.html",
            job=job,
            progress=progress,
            text=_progress_text(job, progress),
            stop_form=ConfirmForm(),
        )
    report = importer.ImportReport.from_json(job.report)
    if job.state == "checked" and form is None:
        form = ConfirmImportForm()
    if form is not None:
        # Rows of one organisation are one listing: then the good ones are counted as listings.
        several = report.total_listings and report.total_listings != report.total_rows
        ready = report.ready_count
        good = ("listing" if ready == 1 else "listings") if several else _rows(ready)
        form.skip_bad_rows.label.text = (
            f"Import the {ready} good {good} and skip the {len(report.bad_lines)} {_rows(len(report.bad_lines))} "
            "with problems"
        )
        form.submit.label.text = f"Import {ready} {'listing' if ready == 1 else 'listings'}"
    return render_template(
        "directory/import_report.html",
        job=job,
        report=report,
        form=form,
        cancel_form=ConfirmForm(),
        problems=sorted(report.problems, key=lambda p: p["line"])[:SHOW_AT_MOST],
        ready=report.ready[:SHOW_AT_MOST],
        created=report.created[:SHOW_AT_MOST],
    )


def _rows(count):
    return "row" if count == 1 else "rows"


@import_bp.route("/<int:job_id>/status")
@roles_required(STRATEGY_OFFICER)
def status(job_id):
    job = db.session.get(DirectoryImport, job_id)
    if job is None:
        return jsonify(error="No such import"), 404
    progress = importer.live_progress(job)
    return jsonify(
        state=job.state,
        mode=job.mode,
        step=progress.step,
        rows_done=progress.rows_done,
        rows_total=progress.rows_total,
        percent=progress.percent,
        text=_progress_text(job, progress),
        finished=not job.active,
        url=url_for(".job", job_id=job.id),
    )


@import_bp.route("/<int:job_id>/import", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def confirm(job_id):
    job = _job_or_404(job_id)
    if job.state != "checked":
        flash("This import has already been dealt with", "info")
        return redirect(url_for(".job", job_id=job.id))
    report = importer.ImportReport.from_json(job.report)
    form = ConfirmImportForm()
    if form.validate_on_submit():
        if report.problems and not form.skip_bad_rows.data:
            form.skip_bad_rows.errors.append(
                "Select ‘import the good rows and skip the rows with problems’, or fix the file and upload it again"
            )
        else:
            if importer.queue_import(job, form.skip_bad_rows.data):
                tasks.import_task(job.id)
            return redirect(url_for(".job", job_id=job.id))
    return _render_job(job, form)


@import_bp.route("/<int:job_id>/stop", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def stop(job_id):
    job = _job_or_404(job_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".job", job_id=job.id))
    try:
        outcome = importer.stop_job(job, STALLED_AFTER)
        if outcome == "stopped":
            flash("The import was stopped before it started. Nothing was written.", "success")
        elif outcome == "asked":
            flash("Stopping the import. Nothing will be written.", "success")
        else:
            flash("The import had already finished, so it could not be stopped.", "info")
    except OperationalError:
        # SQLite has one writer: while the import saves its listings the job's row cannot be written, but
        # the import reads the stop request request_abort left in its upload folder.
        db.session.rollback()
        flash("Stopping the import. Nothing will be written.", "success")
    return redirect(url_for(".job", job_id=job_id))


@import_bp.route("/<int:job_id>/cancel", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def cancel(job_id):
    job = _job_or_404(job_id)
    if ConfirmForm().validate_on_submit() and job.state == "checked":
        importer.cancel_checked(job)
        flash(f"Cancelled: nothing was imported from {job.filename}, and the file has been deleted.", "success")
        return redirect(url_for(".upload"))
    return redirect(url_for(".job", job_id=job.id))


@import_bp.route("/<int:job_id>/problems.csv")
@roles_required(STRATEGY_OFFICER)
def problems_csv(job_id):
    job = _job_or_404(job_id)
    report = importer.ImportReport.from_json(job.report)
    return _csv_response(importer.problems_csv(report), f"import-{job.id}-problems.csv")


@export_bp.route("/export.csv")
@public
def export_csv():
    return _csv_response(importer.export_csv(), f"community-directory-{utcnow():%Y-%m-%d}.csv")


def _csv_response(text, filename):
    response = make_response(text.encode("utf-8"))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
