"""Directory background tasks: verification reminders and CSV imports."""

from ..tasks import app_task
from . import importer, services


@app_task("directory.send_verification_reminder", retries=3, retry_delay=60)
def send_verification_reminder(organisation_id):
    return services.send_verification_reminder(organisation_id)


@app_task("directory.import")
def import_task(job_id):
    """Run a CSV import the officer confirmed (importer.process_job), with its progress on the job row."""
    return importer.process_job(job_id)
