"""CTN addresses: checking them, the suppression list and the consent record."""

import hashlib

from email_validator import EmailNotValidError, validate_email

from ...extensions import db
from ...timeutil import utcnow
from ..models import (
    Consent,
    Member,
    Suppression,
    email_key,
)


def address_problem(email):
    """A GOV.UK-style sentence when `email` is not a usable address, else None."""
    if not email or not email.strip():
        return "Enter an email address"
    if len(email.strip()) > 254:
        return "Email address must be 254 characters or fewer"
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        return "Enter an email address in the correct format, like name@example.com"
    return None


def address_hash(email):
    """SHA-256 of the compared form of an address: what the suppression list keeps after erasure."""
    return hashlib.sha256(email_key(email).encode("utf-8")).hexdigest()


def member_by_email(email):
    return db.session.scalar(db.select(Member).where(Member.email_key == email_key(email)))


def suppression_for(email):
    return db.session.scalar(db.select(Suppression).where(Suppression.email_hash == address_hash(email)))


def is_suppressed(email):
    return suppression_for(email) is not None


def suppress(email, reason, source=""):
    """Put an address on the suppression list (or update why it is there). Does not commit."""
    entry = suppression_for(email)
    if entry is None:
        entry = Suppression(email_hash=address_hash(email), email=email.strip(), reason=reason, source=source)
        db.session.add(entry)
    else:
        entry.reason, entry.source = reason, source
        if entry.email is None and reason != "erased":
            entry.email = email.strip()
    return entry


def lift_suppression(email):
    """Only after the person has given fresh consent (a confirmed join). Does not commit."""
    entry = suppression_for(email)
    if entry is not None:
        db.session.delete(entry)


def record_consent(member, action, source, wording=""):
    consent = Consent(member=member, action=action, source=source, wording=wording, recorded_at=utcnow())
    db.session.add(consent)
    return consent
