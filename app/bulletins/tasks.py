"""Bulletin background tasks (huey): routine sends, priority emergency sends, and the every-minute check.

A routine send and an emergency send are the same loop (sender.run_sender); the emergency task has a
higher huey priority, so a worker picks it before any routine task waiting in the queue, and a routine
send already running gives way between batches (see sender.Sender._serve_emergencies). The services start
these tasks by name (`app.tasks.enqueue("bulletins.send", ...)`), so they never import this module.
"""

from huey import crontab

from ..extensions import db
from ..tasks import app_task, periodic_job
from . import services
from .models import EMERGENCY, Bulletin
from .sender import run_sender

EMERGENCY_PRIORITY = 100


def _after(result):
    """Retries due later (4xx back-off), or a sender that stopped: come back when they are due."""
    if result.status in ("waiting", "stopped") and result.retry_at is not None:
        bulletin = db.session.get(Bulletin, result.bulletin_id)
        services.enqueue_send(
            result.bulletin_id, emergency=bulletin is not None and bulletin.kind == EMERGENCY, eta=result.retry_at
        )
    return {"bulletin_id": result.bulletin_id, "status": result.status, "sent": result.sent, "failed": result.failed}


@app_task("bulletins.send", priority=0)
def send_bulletin(bulletin_id):
    return _after(run_sender(bulletin_id))


@app_task("bulletins.send_emergency", priority=EMERGENCY_PRIORITY)
def send_emergency(bulletin_id):
    return _after(run_sender(bulletin_id))


@periodic_job(crontab(minute="*"), priority=EMERGENCY_PRIORITY)
def send_due_bulletins():
    """Every minute: start scheduled bulletins that are due, resume sends whose worker died."""
    return services.send_due(run_inline=False)
