"""Bulletin factories."""

from app.bulletins.models import Bulletin, BulletinItem
from app.extensions import db

DEFAULT_ITEMS = [("events", "Open meeting", "Come along on **28 November**.")]


def make_bulletin(title="CTN Bulletin, 14 November 2019", kind="routine", items=None, introduction="Hello members."):
    """A draft bulletin; `items` are (section, heading, body in Markdown)."""
    bulletin = Bulletin(title=title, kind=kind, introduction=introduction)
    for position, (section, heading, body) in enumerate(items or DEFAULT_ITEMS, start=1):
        bulletin.items.append(BulletinItem(section=section, title=heading, body=body, position=position))
    db.session.add(bulletin)
    db.session.commit()
    return bulletin
