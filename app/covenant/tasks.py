"""Faith covenant periodic jobs: renewal reminders."""

from huey import crontab

from ..tasks import periodic_job
from . import services


@periodic_job(crontab(hour="6", minute="15"))
def send_renewal_reminders():
    """Every morning: remind signatories whose renewal is due soon (each once per renewal date)."""
    return services.send_renewal_reminders()
