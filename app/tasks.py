"""Background work (reminders, bulletin sending) on huey.

Embedded default: tasks are kept in a SQLite file (instance/tasks.sqlite3) and run by
`flask tasks worker`; with REDIS_URL set they go through Redis, so several workers on several machines
share them. In tests (TASKS_IMMEDIATE) a task runs at once, in the caller.
"""
import functools
import os

import click
from flask import has_app_context
from flask.cli import AppGroup
from huey import RedisHuey, SqliteHuey

from config import INSTANCE_DIR


def _make_huey():
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey("portal", url=redis_url)
    path = os.environ.get("TASKS_SQLITE_PATH") or str(INSTANCE_DIR / "tasks.sqlite3")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return SqliteHuey("portal", filename=path)


huey = _make_huey()


@functools.cache
def _worker_app():
    from . import create_app

    return create_app()


def app_task(**options):
    """A huey task that runs inside the portal's app context (the worker has no request)."""

    def decorator(function):
        @huey.task(**options)
        @functools.wraps(function)
        def run(*args, **kwargs):
            if has_app_context():
                return function(*args, **kwargs)
            with _worker_app().app_context():
                return function(*args, **kwargs)

        return run

    return decorator


def init_app(app):
    huey.immediate = bool(app.config.get("TASKS_IMMEDIATE"))


tasks_cli = AppGroup("tasks", help="Run the background task worker.")


@tasks_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker(workers):
    """Run queued tasks until stopped (Ctrl+C)."""
    from . import task_modules  # noqa: F401  (registers every task)

    huey.immediate = False
    consumer = huey.create_consumer(workers=workers, worker_type="thread")
    consumer.run()
