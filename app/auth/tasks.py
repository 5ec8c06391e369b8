"""Accounts' periodic jobs: the e-mails about officers' to-do lists (app/auth/notifications.py)."""

from huey import crontab

from ..tasks import periodic_job
from . import notifications


@periodic_job(crontab(minute="*/5"))
def notify_new_todo_items():
    """Officers who chose 'as soon as something new waits' hear within five minutes."""
    return notifications.notify_new()


@periodic_job(crontab(hour="7", minute="0"))
def send_todo_digests():
    """The morning summary (07:00 UTC: 7 or 8 in London) for officers who chose it."""
    return notifications.send_daily_digests()
