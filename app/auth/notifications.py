"""E-mails telling officers what waits on their to-do list (app/todo.py).

Each officer chooses on their account how they hear: as soon as something new waits (`notify_new`, run every
few minutes by the task worker) or in one summary each morning (`send_daily_digests`). Both run as periodic
jobs in every worker (app/auth/tasks.py), so each claims its work in the database first: a `TodoNotice` row
per item and officer (unique), and the day of the last digest on the account, so two workers never send the
same thing twice.
"""

import logging

from flask import current_app, has_request_context, url_for
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..mailer import send_email
from ..security import OFFICER_ROLES
from ..timeutil import london_today
from ..todo import todo_for
from .models import TODO_DAILY, TODO_IMMEDIATE, TodoNotice, User

log = logging.getLogger("portal.todo")

# Items listed per source in one e-mail; the rest are counted ("and 12 more").
ITEMS_PER_SOURCE = 10


def _officers(mode):
    return db.session.scalars(
        db.select(User)
        .where(User.role.in_(OFFICER_ROLES), User.active.is_(True), User.todo_emails == mode)
        .where(User.password_hash.is_not(None))
        .order_by(User.id)
    ).all()


def _notifiable(user, digest):
    wanted = ("always", "digest") if digest else ("always",)
    return [(source, items) for source, items in todo_for(user) if source.notify in wanted]


def _in_public_request(function):
    """Run `function` where url_for builds the portal's public paths (from a worker too)."""
    if has_request_context():
        return function()
    with current_app.test_request_context("/", base_url=current_app.config["PUBLIC_BASE_URL"]):
        return function()


def _email(user, subject, groups, digest):
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    shown = [
        {
            "label": source.label,
            "url": base + source.url(),
            "entries": [(item.text, base + item.href if item.href else None) for item in items[:ITEMS_PER_SOURCE]],
            "more": max(0, len(items) - ITEMS_PER_SOURCE),
        }
        for source, items in groups
    ]
    send_email(
        "todo",
        user.email,
        subject,
        user=user,
        groups=shown,
        digest=digest,
        account_url=base + url_for("auth.account"),
        settings_url=base + url_for("auth.notifications"),
    )


def _claim(user, keys):
    """Record that `user` is told about `keys`; False when another worker got there first."""
    try:
        db.session.add_all(TodoNotice(user_id=user.id, item_key=key) for key in keys)
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        return False


def _forget_done(user, waiting_keys):
    """Drop notices of items that no longer wait, so the table stays small (and an item that comes back is
    news again)."""
    query = db.delete(TodoNotice).where(TodoNotice.user_id == user.id)
    if waiting_keys:
        query = query.where(TodoNotice.item_key.not_in(waiting_keys))
    db.session.execute(query)
    db.session.commit()


def notify_new():
    """E-mail each 'immediate' officer about items that started waiting since they were last told."""
    return _in_public_request(_notify_new)


def _notify_new():
    sent = 0
    for user in _officers(TODO_IMMEDIATE):
        groups = _notifiable(user, digest=False)
        waiting = {f"{source.key}:{item.key}": (source, item) for source, items in groups for item in items}
        _forget_done(user, list(waiting))
        known = set(db.session.scalars(db.select(TodoNotice.item_key).where(TodoNotice.user_id == user.id)))
        new_keys = [key for key in waiting if key not in known]
        if not new_keys or not _claim(user, new_keys):
            continue
        new_groups = []
        for source, items in groups:
            fresh = [item for item in items if f"{source.key}:{item.key}" in new_keys]
            if fresh:
                new_groups.append((source, fresh))
        count = len(new_keys)
        subject = (
            f"New on your to-do list: {new_groups[0][0].label.lower()}"
            if len(new_groups) == 1
            else f"{count} new things on your to-do list"
        )
        _email(user, subject, new_groups, digest=False)
        sent += 1
    return sent


def send_daily_digests(today=None):
    """Once a day, e-mail each 'daily' officer everything that waits on them (nothing when nothing waits)."""
    return _in_public_request(lambda: _send_daily_digests(today or london_today()))


def _send_daily_digests(today):
    sent = 0
    for user in _officers(TODO_DAILY):
        # Claim today's digest first: only one worker's update matches.
        claimed = db.session.execute(
            db.update(User)
            .where(User.id == user.id)
            .where(db.or_(User.todo_digest_sent_on.is_(None), User.todo_digest_sent_on < today))
            .values(todo_digest_sent_on=today)
        ).rowcount
        db.session.commit()
        if not claimed:
            continue
        groups = _notifiable(user, digest=True)
        if not groups:
            continue
        total = sum(len(items) for _, items in groups)
        _email(
            user,
            f"Your to-do list for {today:%A %-d %B}: {total} thing{'s' if total != 1 else ''} waiting",
            groups,
            digest=True,
        )
        sent += 1
    log.info("to-do digests sent", extra={"sent": sent})
    return sent
