"""Background work on huey: the queue, and the registry of every module's tasks and periodic jobs.

A module declares its tasks in its own `tasks.py` with `@app_task("module.what", ...)` and its periodic jobs
with `@periodic_job(crontab(...))`; its `contributions.py` imports that file, and `app/modules.py` imports
every module's contributions when the app is created. Code elsewhere starts a task by its name with
`enqueue("module.what", *args)`, so a module's services never import its tasks (which import the services).

The queue is configured from the settings by `init_app`: with REDIS_URL set, tasks go through Redis, so several
workers on several machines share them; otherwise they are kept in a SQLite file (TASKS_SQLITE_PATH) and run by
`flask tasks worker`. With TASKS_IMMEDIATE (tests) a task runs at once, in the caller.

A task runs inside the app context of the app created in its process (the worker's, under `flask tasks
worker`), so tasks need no request and no import of the app factory.
"""

import functools
import os

import click
from flask import has_app_context
from flask.cli import AppGroup
from huey import Huey
from huey.storage import PriorityRedisStorage, SqliteStorage

# Until init_app applies the settings, tasks run at once and nothing is stored.
huey = Huey("portal", immediate=True)

TASKS = {}  # registry name -> huey task, for enqueue()
_process_app = None  # the app created in this process (set by init_app)


def _in_app_context(function):
    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        if _process_app is None:
            raise RuntimeError("No portal app has been created in this process; run tasks with `flask tasks worker`")
        with _process_app.app_context():
            return function(*args, **kwargs)

    return run


def app_task(name, **options):
    """Decorator: a huey task (options as for `huey.task`) that runs inside the portal's app context,
    registered as `name` for `enqueue`. The decorated function is the task: call it to enqueue it."""

    def decorator(function):
        if name in TASKS:
            raise ValueError(f"a task is already registered as {name!r}")
        task = huey.task(**options)(_in_app_context(function))
        TASKS[name] = task
        return task

    return decorator


def periodic_job(schedule, **options):
    """Decorator: run the function on a schedule (`huey.crontab(...)`) in every worker, in the app context."""

    def decorator(function):
        return huey.periodic_task(schedule, **options)(_in_app_context(function))

    return decorator


def enqueue(name, *args, eta=None):
    """Queue the task registered as `name` (now, or at the datetime `eta`)."""
    try:
        task = TASKS[name]
    except KeyError:
        raise LookupError(f"no task is registered as {name!r} (is its module listed in app/modules.py?)") from None
    if eta is not None:
        return task.schedule(args, eta=eta)
    return task(*args)


def init_app(app):
    global _process_app
    _process_app = app
    config = app.config
    if config["REDIS_URL"]:
        # The priority queue (a sorted set): huey's plain RedisStorage refuses any task with a priority, and
        # emergency bulletins and the every-minute bulletin job have one (tests/test_multi_process.py).
        huey.storage_class, huey.storage_kwargs = PriorityRedisStorage, {"url": config["REDIS_URL"]}
    else:
        path = config["TASKS_SQLITE_PATH"]
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": path}
    immediate = bool(config["TASKS_IMMEDIATE"])
    if immediate != huey.immediate:
        huey.immediate = immediate  # creates the storage chosen above (or the in-memory one)
    elif not immediate:
        huey.storage = huey.create_storage()


tasks_cli = AppGroup("tasks", help="Run the background task worker.")


@tasks_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker(workers):
    """Run queued tasks until stopped (Ctrl+C)."""
    huey.immediate = False
    consumer = huey.create_consumer(workers=workers, worker_type="thread")
    consumer.run()
