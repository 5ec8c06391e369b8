"""Feed imports in the background, and the hourly check for feeds due a refresh."""

from huey import crontab

from ..tasks import app_task, periodic_job
from . import feeds


@app_task("exchange.run_feed")
def run_feed(run_id):
    feeds.execute(run_id)


@periodic_job(crontab(minute="17"))
def refresh_feeds():
    """Every hour: queue an import of each feed whose daily or weekly refresh is due."""
    return feeds.refresh_due_feeds()
