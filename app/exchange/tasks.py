"""Feed imports in the background, and the hourly check for feeds due a refresh."""
from flask import has_app_context
from huey import crontab

from ..tasks import _worker_app, app_task, huey


@app_task()
def run_feed(run_id):
    from . import feeds

    feeds.execute(run_id)


@huey.periodic_task(crontab(minute="17"))
def refresh_feeds():
    """Every hour: queue an import of each feed whose daily or weekly refresh is due."""
    from . import feeds

    if has_app_context():
        return feeds.refresh_due_feeds()
    with _worker_app().app_context():
        return feeds.refresh_due_feeds()
