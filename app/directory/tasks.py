"""Directory background tasks: verification reminders and CSV imports."""

from huey import crontab

from ..tasks import app_task, periodic_job
from . import importer, services


@app_task("directory.send_verification_reminder", retries=3, retry_delay=60)
def send_verification_reminder(organisation_id):
    return services.send_verification_reminder(organisation_id)


@app_task("directory.import")
def import_task(job_id):
    """Run a CSV import the officer confirmed (importer.process_job), with its progress on the job row."""
    return importer.process_job(job_id)


@periodic_job(crontab(hour="6", minute="0"))
def queue_verification_reminders():
    """Every morning: remind each group whose listing has not been checked for 6 months (once a month)."""
    return services.queue_due_reminders()
