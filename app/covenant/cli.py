"""`flask covenant send-reminders`: e-mail signatories whose pledge is due for renewal."""

import click
from flask.cli import AppGroup

from . import services

covenant_cli = AppGroup("covenant", help="Faith covenant pledges.")


@covenant_cli.command("send-reminders")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=None,
    help="Remind when renewal is due within this many days (default COVENANT_REMINDER_DAYS).",
)
def send_reminders(days):
    """Send each renewal reminder once per pledge per renewal date (safe to run daily)."""
    sent = services.send_renewal_reminders(days=days)
    click.echo(f"Sent {sent} renewal reminder{'s' if sent != 1 else ''}.")
