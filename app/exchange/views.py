"""Open data downloads (anyone) and feed imports (strategy officers)."""

import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..extensions import db
from ..security import STRATEGY_OFFICER, public, roles_required
from . import export, feeds
from .forms import FeedForm, RunForm
from .models import Feed, FeedRecord, FeedRun

bp = Blueprint("exchange", __name__)


@bp.route("/open-data")
@public
def open_data():
    return render_template("exchange/open_data.html", api_openapi=url_for("api.openapi_document"))


def _download(chunks, mimetype, name):
    """A streamed attachment; `chunks` read the database in app contexts of their own (see export.py)."""
    response = Response(chunks, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/open-data/directory-hsds.json")
@public
def hsds_json():
    return _download(export.json_chunks(current_app._get_current_object()), "application/json", export.filename("json"))


@bp.route("/open-data/directory-hsds-tables.zip")
@public
def hsds_tables():
    return _download(
        export.tabular_zip_chunks(current_app._get_current_object()), "application/zip", export.filename("zip")
    )


# --- Feed imports (strategy officers) ---------------------------------------------------------------------

OUTCOME_LABELS = {
    "created": "Created",
    "would create": "Would be created",
    "updated": "Updated",
    "would update": "Would be updated",
    "unchanged": "Unchanged",
    "duplicate": "Already in the directory",
    "refused": "Not imported: problems",
    "unreadable": "Could not be read",
    "kept": "Kept: changed in the directory",
    "missing": "No longer in the feed",
}


@bp.app_template_global()
def listing_source(organisation):
    """The feed a listing was imported from, for its page: (Feed, FeedRecord) or None."""
    return feeds.source_of(organisation)


@bp.route("/directory/import/feeds", methods=["GET", "POST"])
@roles_required(STRATEGY_OFFICER)
def feed_list():
    form = FeedForm()
    if form.validate_on_submit():
        feed = feeds.add_feed(form.name.data, form.url.data, form.refresh.data, current_user.id)
        flash(f"Feed {feed.name} added. Check it with a dry run before importing.", "success")
        return redirect(url_for(".feed", feed_id=feed.id))
    known = db.session.scalars(db.select(Feed).order_by(Feed.name, Feed.id)).all()
    return render_template("exchange/feeds.html", form=form, feeds=known)


@bp.route("/directory/import/feeds/<int:feed_id>", methods=["GET", "POST"])
@roles_required(STRATEGY_OFFICER)
def feed(feed_id):
    feed = db.get_or_404(Feed, feed_id)
    form = FeedForm(obj=feed)
    if form.validate_on_submit():
        feeds.update_feed(feed, form.name.data, form.url.data, form.refresh.data)
        flash("Feed saved.", "success")
        return redirect(url_for(".feed", feed_id=feed.id))
    imported = db.session.scalar(db.select(db.func.count(FeedRecord.id)).where(FeedRecord.feed_id == feed.id))
    return render_template(
        "exchange/feed.html", feed=feed, form=form, run_form=RunForm(), runs=feed.runs[:20], imported=imported
    )


@bp.route("/directory/import/feeds/<int:feed_id>/run", methods=["POST"])
@roles_required(STRATEGY_OFFICER)
def run_feed(feed_id):
    feed = db.get_or_404(Feed, feed_id)
    form = RunForm()
    if not form.validate_on_submit():
        abort(400)
    busy = feeds.run_in_progress(feed)
    if busy:
        flash("This feed is being read already: wait for that run to finish.", "error")
        return redirect(url_for(".feed_run", feed_id=feed.id, run_id=busy))
    feed_run = feeds.queue_run(feed, dry_run=not form.start.data, user=current_user)
    return redirect(url_for(".feed_run", feed_id=feed.id, run_id=feed_run.id))


@bp.route("/directory/import/feeds/<int:feed_id>/runs/<int:run_id>")
@roles_required(STRATEGY_OFFICER)
def feed_run(feed_id, run_id):
    feed_run = db.session.scalar(db.select(FeedRun).where(FeedRun.id == run_id, FeedRun.feed_id == feed_id))
    if feed_run is None:
        abort(404)
    report = json.loads(feed_run.report or "{}")
    return render_template(
        "exchange/run.html", feed=feed_run.feed, run=feed_run, report=report, labels=OUTCOME_LABELS, run_form=RunForm()
    )
