"""Account logic that needs no request: hashing, tokens, invitations, resets."""

import hashlib
import hmac
import logging
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_request_context, session, url_for
from flask_login import login_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..mailer import send_email
from ..timeutil import utcnow
from .models import TODO_EMAIL_CHOICES, User, new_session_version

# Security events (sign-in, sign-out, password and session changes) go to the JSON log with the account id,
# never the typed address or password.
log = logging.getLogger("portal.auth")

# argon2id with argon2-cffi's RFC 9106 "low memory" defaults (t=3, m=64 MiB, p=4).
password_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = password_hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128

PURPOSE_RESET = "password-reset"
PURPOSE_INVITATION = "invitation"


class TokenInvalid(Exception):
    """The link is wrong, used already or expired; `expired` tells which for the message."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def hash_password(password):
    return password_hasher.hash(password)


def password_problem(password, email=""):
    """A sentence saying what is wrong with a new password, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    local_part = email.split("@")[0].lower()
    if local_part and len(local_part) >= 4 and local_part in password.lower():
        return "Password must not contain your email address"
    if len(set(password)) < 5:
        return "Password is too easy to guess: use a mix of different characters"
    return None


def authenticate(email, password):
    """The active user with this e-mail and password, or None."""
    user = User.by_email(email or "")
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    try:
        password_hasher.verify(stored, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        log.warning("sign-in refused", extra={"user_id": user.id if user else None, "reason": "wrong password"})
        return None
    if user is None or not user.is_active:
        log.warning("sign-in refused", extra={"user_id": user.id if user else None, "reason": "inactive account"})
        return None
    if password_hasher.check_needs_rehash(stored):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    log.info("password verified", extra={"user_id": user.id})
    return user


def set_password(user, password):
    """A new password (reset, invitation, change) also ends every session the account had."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    log.info("password set", extra={"user_id": user.id})
    end_all_sessions(user)


# --- Sessions: the cookie is signed, but only the server can end one. ---

SESSION_VERSION_KEY = "_sv"
SESSION_STARTED_KEY = "_started"
SESSION_SEEN_KEY = "_seen"
# The last-seen time is rewritten (a new cookie) at most once a minute.
SEEN_RESOLUTION = 60


def start_session(user):
    """Sign `user` in on a fresh session that carries the account's current session version."""
    if not user.session_version:
        user.session_version = new_session_version()
        db.session.commit()
    session.clear()  # a fresh session on sign-in: no fixation
    login_user(user)
    session[SESSION_VERSION_KEY] = user.session_version
    session[SESSION_STARTED_KEY] = session[SESSION_SEEN_KEY] = int(time.time())
    log.info("signed in", extra={"user_id": user.id})


def session_is_current(user):
    """True when this request's session was started since the account's sessions were last ended, is
    younger than PERMANENT_SESSION_LIFETIME (absolute) and was used within SESSION_IDLE_TIMEOUT."""
    carried = session.get(SESSION_VERSION_KEY)
    if not (
        user.session_version
        and isinstance(carried, str)
        and hmac.compare_digest(carried.encode(), user.session_version.encode())
    ):
        return False
    now = int(time.time())
    started, seen = session.get(SESSION_STARTED_KEY), session.get(SESSION_SEEN_KEY)
    if not isinstance(started, int) or not isinstance(seen, int):
        return False
    config = current_app.config
    lifetime = config["PERMANENT_SESSION_LIFETIME"]
    lifetime = lifetime.total_seconds() if hasattr(lifetime, "total_seconds") else lifetime
    if now - started > lifetime or now - seen > config["SESSION_IDLE_TIMEOUT"]:
        return False
    if now - seen >= SEEN_RESOLUTION:
        session[SESSION_SEEN_KEY] = now
    return True


def end_all_sessions(user, keep_current=False):
    """Every cookie issued to this account stops working (on any device); with `keep_current`, the
    session making this request carries on (a password change keeps its author signed in)."""
    user.session_version = new_session_version()
    db.session.commit()
    log.info("sessions ended", extra={"user_id": user.id, "kept_current": keep_current})
    if keep_current and has_request_context():
        session[SESSION_VERSION_KEY] = user.session_version


def _serializer(purpose):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"portal-{purpose}")


def _fingerprint(user):
    # Tied to the current password, so a link stops working once it has been used. Before a password is
    # chosen, tied to the session version instead, which every (re)sent invitation replaces: only the
    # newest invitation works.
    material = user.password_hash or f"invited:{user.session_version}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def make_token(user, purpose):
    return _serializer(purpose).dumps({"uid": user.id, "fp": _fingerprint(user)})


def user_for_token(token, purpose, max_age):
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenInvalid(expired=True) from exc
    except BadSignature as exc:
        raise TokenInvalid() from exc
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        raise TokenInvalid()
    return user


def update_person(user, role, active, organisations):
    """An administrator's change to someone's role, access and organisations, committed. Deactivating an
    account ends its sessions, so reactivating it later revives no old cookie."""
    deactivated = user.active and not active
    user.role = role
    user.active = active
    user.organisations = list(organisations)
    db.session.commit()
    if deactivated:
        end_all_sessions(user)


def invite_user(email, name, role, organisations, invited_by):
    """Create an account without a password and e-mail the person a link to choose one."""
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        role=role,
        invited_by=invited_by,
        invited_at=utcnow(),
        organisations=list(organisations),
    )
    db.session.add(user)
    db.session.commit()
    send_invitation(user)
    return user


def new_invitation_link(user):
    """A fresh link to choose a password (the previous invitation's link stops working)."""
    user.session_version = new_session_version()
    db.session.flush()
    return absolute_url("auth.accept_invitation", token=make_token(user, PURPOSE_INVITATION))


def send_invitation(user):
    link = new_invitation_link(user)
    days = current_app.config["INVITATION_MAX_AGE"] // 86400
    send_email(
        "invitation",
        user.email,
        f"You have been invited to the {current_app.config['SERVICE_NAME']}",
        user=user,
        link=link,
        days=days,
    )
    user.invited_at = utcnow()
    db.session.commit()


def request_password_reset(email):
    """E-mail a reset link when an active account has this address; say nothing either way."""
    user = User.by_email(email)
    if user is None or not user.is_active:
        return False
    token = make_token(user, PURPOSE_RESET)
    log.info("password reset link sent", extra={"user_id": user.id})
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    send_email(
        "password_reset",
        user.email,
        f"Reset your {current_app.config['SERVICE_NAME']} password",
        user=user,
        link=absolute_url("auth.reset_password", token=token),
        minutes=minutes,
    )
    return True


def absolute_url(endpoint, **values):
    """A link for an e-mail: PUBLIC_BASE_URL plus the route's path, with or without a request."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def set_todo_emails(user, mode):
    """How `user` hears of their to-do list: TODO_IMMEDIATE or TODO_DAILY."""
    if mode not in TODO_EMAIL_CHOICES:
        raise ValueError(f"unknown to-do e-mail setting {mode!r}")
    user.todo_emails = mode
    db.session.commit()
