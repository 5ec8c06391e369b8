"""`flask bulletins ...`: send one bulletin now (in this process), or whatever is due."""

import click
from flask.cli import AppGroup

from ..extensions import db
from .models import DRAFT, SCHEDULED, Bulletin
from .sender import run_sender
from .services import send_due, start_sending

bulletins_cli = AppGroup("bulletins", help="Send CTN bulletins.")


@bulletins_cli.command("send")
@click.argument("bulletin_id", type=int)
def send(bulletin_id):
    """Send (or resume sending) bulletin BULLETIN_ID in this process."""
    bulletin = db.session.get(Bulletin, bulletin_id)
    if bulletin is None:
        raise click.ClickException(f"There is no bulletin {bulletin_id}")
    if bulletin.status in (DRAFT, SCHEDULED):
        start_sending(bulletin, enqueue=False)
    result = run_sender(bulletin_id)
    click.echo(
        f"bulletin {bulletin_id}: {result.status}; sent {result.sent}, failed {result.failed}, "
        f"to retry {result.retried}, not sent {result.skipped}"
    )


@bulletins_cli.command("send-due")
def send_due_command():
    """Start every scheduled bulletin that is due and resume interrupted sends, in this process."""
    for bulletin_id, what in send_due(run_inline=True):
        click.echo(f"bulletin {bulletin_id}: {what}")
