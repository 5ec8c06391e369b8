"""Directory background tasks."""
from ..tasks import app_task
from . import services


@app_task(retries=3, retry_delay=60)
def send_verification_reminder(organisation_id):
    return services.send_verification_reminder(organisation_id)
