"""Bulletin background tasks (huey): routine sends, priority emergency sends, and the every-minute check.

A routine send and an emergency send are the same loop (sender.run_sender); the emergency task has a
higher huey priority, so a worker picks it before any routine task waiting in the queue, and a routine
send already running gives way between batches (see sender.Sender._serve_emergencies).
"""
import functools

from flask import has_app_context
from huey import crontab

from ..tasks import _worker_app, app_task, huey

EMERGENCY_PRIORITY = 100


def _after(result):
    """Retries due later (4xx back-off), or a sender that stopped: come back when they are due."""
    from .services import enqueue_send

    if result.status in ("waiting", "stopped") and result.retry_at is not None:
        from .models import EMERGENCY, Bulletin
        from ..extensions import db

        bulletin = db.session.get(Bulletin, result.bulletin_id)
        enqueue_send(result.bulletin_id, emergency=bulletin is not None and bulletin.kind == EMERGENCY, eta=result.retry_at)
    return {"bulletin_id": result.bulletin_id, "status": result.status, "sent": result.sent, "failed": result.failed}


@app_task(priority=0)
def send_bulletin(bulletin_id):
    from .sender import run_sender

    return _after(run_sender(bulletin_id))


@app_task(priority=EMERGENCY_PRIORITY)
def send_emergency(bulletin_id):
    from .sender import run_sender

    return _after(run_sender(bulletin_id))


def _in_app_context(function):
    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        with _worker_app().app_context():
            return function(*args, **kwargs)

    return run


@huey.periodic_task(crontab(minute="*"), priority=EMERGENCY_PRIORITY)
@_in_app_context
def send_due_bulletins():
    """Every minute: start scheduled bulletins that are due, resume sends whose worker died."""
    from .services import send_due

    return send_due(run_inline=False)
