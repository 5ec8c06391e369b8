"""CTN tokens and links: the confirmation link and the preferences link."""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ...auth.services import absolute_url
from ...extensions import db
from ..models import (
    CONFIRMED,
    Member,
    new_token,
)


class TokenInvalid(Exception):
    def __init__(self, expired=False, used=False):
        super().__init__("expired" if expired else "used" if used else "invalid")
        self.expired = expired
        self.used = used


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="ctn-confirm-membership")


def _confirmation_state(member):
    """What a confirmation link is bound to: when it was sent (a newer link replaces an older one) and when
    the member last confirmed (so a link, once used, never works again: confirm, unsubscribe, then the same
    link would otherwise confirm again and lift the suppression)."""
    sent = member.confirmation_sent_at.isoformat() if member.confirmation_sent_at else ""
    confirmed = member.confirmed_at.isoformat() if member.confirmed_at else ""
    return sent, confirmed


def confirmation_token(member):
    sent, confirmed = _confirmation_state(member)
    return _serializer().dumps({"m": member.id, "k": member.email_key, "s": sent, "c": confirmed})


def member_for_confirmation(token, max_age=None):
    max_age = max_age or current_app.config["CTN_CONFIRM_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenInvalid(expired=True) from exc
    except BadSignature as exc:
        raise TokenInvalid() from exc
    member = db.session.get(Member, data.get("m")) if isinstance(data, dict) else None
    if member is None or member.email_key != data.get("k"):
        raise TokenInvalid()
    sent, confirmed = _confirmation_state(member)
    if data.get("c", "") != confirmed:
        if member.status == CONFIRMED:
            return member  # used: the page says they are a member, and nothing changes
        raise TokenInvalid(used=True)
    if member.status != CONFIRMED and data.get("s") != sent:
        raise TokenInvalid()  # superseded by a newer link
    return member


def confirm_max_age_days():
    return current_app.config["CTN_CONFIRM_MAX_AGE"] // 86400


def preferences_url(member):
    return absolute_url("ctn.preferences", prefs_token=member.preferences_token)


def member_by_preferences_token(token):
    if not token or len(token) > 64:
        return None
    return db.session.scalar(db.select(Member).where(Member.preferences_token == token))


def rotate_preferences_token(member):
    """A new preferences link; the old one stops working. Done for every recipient when a bulletin is
    sent (so only the link in the latest e-mail works: a forwarded or archived bulletin stops giving
    access to the member's details) and when the member's address changes (the old address's links)."""
    member.preferences_token = new_token()
