"""To-do lists: what waits on each signed-in user, on `/account` and in e-mails to officers.

Each module registers its own sources in its `contributions.py` (the core never imports them)::

    register_todo(TodoSource("directory.moderation", "Changes to moderate", (STRATEGY_OFFICER,),
                             pending_changes, "directory.moderation"))

A source's `items(user)` returns the `TodoItem`s waiting on that user now, each with a key that stays the
same while it waits (so an officer is told about it once); `endpoint` is the page where the work is done.
Administrators see every source. The e-mails (immediately, or once a day, as each officer chooses on their
account) are sent by the periodic jobs in `app/auth/tasks.py` through `app/auth/notifications.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import url_for

from .security import ADMIN


@dataclass(frozen=True)
class TodoItem:
    key: str  # stable while the item waits, unique within its source: "change-12"
    text: str  # one line: "Claim of Barnet Multi Faith Forum, sent 3 May 2026"
    href: str | None = None  # the item's own page (a path), when it has one


@dataclass(frozen=True)
class TodoSource:
    key: str
    label: str  # what waits, as a heading: "Changes to moderate"
    roles: tuple  # who it waits on (administrators always)
    items: Callable  # items(user) -> [TodoItem]
    endpoint: str  # the page where the work is done
    hint: str = ""  # one line under the heading on /account
    # Which e-mails carry it: "always" (as items arrive, and in the daily digest) or "digest" only (for
    # slow-moving lists, such as listings turning six months old, that would be noise one by one), or
    # "never" (a group editor's own list: groups are reminded by the module's own e-mails).
    notify: str = "always"
    # For a source that can hold thousands (listings not checked for 6 months): preview(user, n) ->
    # (how many wait, the first n items), so /account counts in the database instead of loading them all.
    preview: Callable | None = None

    def url(self):
        return url_for(self.endpoint)


def counted_preview(count, items):
    """A `preview` for a source that can count what waits (count()) and list only the first few
    (items(user, limit)): the count, then the first n, loaded only when something waits."""

    def preview(user, n):
        total = count()
        return total, items(user, n) if total else []

    return preview


_SOURCES = {}


def register_todo(source):
    if source.key in _SOURCES:
        raise ValueError(f"a to-do source is already registered as {source.key!r}")
    _SOURCES[source.key] = source
    return source


def sources():
    return list(_SOURCES.values())


def sources_for(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return [s for s in _SOURCES.values() if user.role in s.roles or user.role == ADMIN]


PREVIEW_ITEMS = 5


def todo_preview(user, n=PREVIEW_ITEMS):
    """[(source, first n items, how many wait)] for every source with something waiting on `user`: the
    to-do list on /account, which shows a count and the first few of each."""
    found = []
    for source in sources_for(user):
        if source.preview is not None:
            total, items = source.preview(user, n)
        else:
            items = source.items(user)
            total, items = len(items), items[:n]
        if total:
            found.append((source, items, total))
    return found


def todo_for(user):
    """[(source, items)] for every source with something waiting on `user` (needs a request context)."""
    found = []
    for source in sources_for(user):
        items = source.items(user)
        if items:
            found.append((source, items))
    return found
