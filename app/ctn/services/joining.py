"""Joining the CTN: requests, confirmation, preferences, unsubscribing, bounces, who to send to."""

import logging
from dataclasses import dataclass, field

from ...auth.services import absolute_url
from ...extensions import db
from ...mailer import send_email
from ...timeutil import utcnow
from ..models import (
    BOUNCED,
    CONFIRMED,
    PENDING,
    SOURCE_WEB,
    UNSUBSCRIBED,
    Member,
    MemberInterest,
    email_key,
)
from .suppression import is_suppressed, lift_suppression, member_by_email, record_consent, suppress
from .tokens import confirm_max_age_days, confirmation_token, preferences_url, rotate_preferences_token

log = logging.getLogger("portal.ctn")

# The words shown next to the join form's submit button, stored with every consent given through it.
JOIN_CONSENT_WORDING = (
    "I want to join the Communities Together Network. The London Borough of Barnet's Strategy Team may "
    "email me the fortnightly CTN bulletin, invitations to CTN meetings and, in an emergency, urgent "
    "messages from the Borough Resilience Forum. The council keeps my name, email address, organisation, "
    "sector, ward and interests to run the network, and never publishes my email address. I can change "
    "my preferences, download my data, unsubscribe or ask for my data to be deleted at any time from the "
    "link in every email."
)


@dataclass
class MemberDetails:
    name: str
    email: str
    sector: str
    organisation_id: int | None = None
    organisation_name: str = ""
    job_title: str = ""
    ward_code: str | None = None
    interests: list = field(default_factory=list)


def _apply_details(member, details):
    member.name = details.name.strip()
    member.sector = details.sector
    member.organisation_id = details.organisation_id or None
    member.organisation_name = "" if details.organisation_id else (details.organisation_name or "").strip()
    member.job_title = (details.job_title or "").strip()
    member.ward_code = details.ward_code or None
    member.interests = details.interests


def request_membership(details, wording=JOIN_CONSENT_WORDING, source=SOURCE_WEB):
    """The public join form. The page after it is the same whatever happened, so it never reveals whether
    the address is known; an anonymous form never changes an existing person (issue 12, finding 4).

    - a new address: a pending member with these details and their consent, and a confirmation link;
    - a pending member (any letter case): their details and consent stay as they were; the address gets
      their confirmation link again;
    - a confirmed member: nothing changes; the address gets a note with their preferences link;
    - an address on the suppression list (unsubscribed, bounced, erased): nothing changes and nothing is
      sent. Its owner joins again from their preferences page (or an officer helps), and confirms by link.
    Returns the member, or None when nothing was done.
    """
    member = member_by_email(details.email)
    if is_suppressed(details.email) or (member is not None and member.status in (UNSUBSCRIBED, BOUNCED)):
        log.info("ctn join for a suppressed address: nothing sent", extra={"member_id": member.id if member else None})
        return None
    if member is not None and member.status == CONFIRMED:
        send_email(
            "ctn_already_member",
            member.email,
            "You are already a member of the Communities Together Network",
            member=member,
            preferences_link=preferences_url(member),
        )
        return member
    if member is not None:
        send_confirmation(member)
        return member
    member = Member(email=details.email.strip(), email_key=email_key(details.email), status=PENDING, source=source)
    db.session.add(member)
    member.interest_rows = []
    _apply_details(member, details)
    record_consent(member, "given", source, wording)
    db.session.flush()
    send_confirmation(member)
    return member


def send_confirmation(member):
    member.confirmation_sent_at = utcnow()
    db.session.flush()
    send_email(
        "ctn_confirm",
        member.email,
        "Confirm that you want to join the Communities Together Network",
        member=member,
        link=absolute_url("ctn.confirm", token=confirmation_token(member)),
        days=confirm_max_age_days(),
        preferences_link=preferences_url(member),
    )
    db.session.commit()


def confirm_membership(member, source="confirmation link"):
    """Double opt-in, second step. Lifts a suppression: the person has just asked to join again."""
    if member.status == CONFIRMED:
        return False
    member.status = CONFIRMED
    member.confirmed_at = utcnow()
    member.unsubscribed_at = None
    member.bounced_at = None
    record_consent(member, "confirmed", source, "Confirmed by following the link e-mailed to this address.")
    lift_suppression(member.email)
    db.session.commit()
    log.info("ctn member confirmed", extra={"member_id": member.id})
    return True


def unsubscribe(member, source):
    """Stop all CTN e-mail to this member and keep the address on the suppression list.

    The member row stays (status unsubscribed), so they keep their history and can join again with
    fresh consent; use `erase_person` to remove everything.
    """
    if member.status != UNSUBSCRIBED:
        member.status = UNSUBSCRIBED
        member.unsubscribed_at = utcnow()
        record_consent(member, "withdrawn", source, "Unsubscribed from all CTN e-mail.")
    suppress(member.email, "unsubscribed", source)
    db.session.commit()
    return member


def unsubscribe_address(email, source):
    """Unsubscribe by address (e.g. a one-click link); suppresses the address even if it is no member's."""
    member = member_by_email(email)
    if member is not None:
        return unsubscribe(member, source)
    suppress(email, "unsubscribed", source)
    db.session.commit()
    return None


def mark_bounced(member, source="hard bounce"):
    if member.status != BOUNCED:
        member.status = BOUNCED
        member.bounced_at = utcnow()
    suppress(member.email, "bounced", source)
    db.session.commit()
    return member


def update_preferences(member, details, source):
    """Change a member's details. A changed address must be confirmed again before it is used."""
    changed_address = email_key(details.email) != member.email_key
    if changed_address:
        other = member_by_email(details.email)
        if other is not None:
            raise ValueError("Another member already uses this email address")
        member.email = details.email.strip()
        member.email_key = email_key(details.email)
        rotate_preferences_token(member)
        if member.status == CONFIRMED:
            member.status = PENDING
    _apply_details(member, details)
    db.session.flush()
    if changed_address:
        record_consent(member, "given", source, "Changed the email address on the preferences page.")
        send_confirmation(member)
    db.session.commit()
    return changed_address


def confirmed_members(sectors=None, interests=None, ward_codes=None):
    """Confirmed members, optionally only those in the given sectors / with any of the interests / wards."""
    query = db.select(Member).where(Member.status == CONFIRMED)
    if sectors:
        query = query.where(Member.sector.in_(list(sectors)))
    if ward_codes:
        query = query.where(Member.ward_code.in_(list(ward_codes)))
    if interests:
        query = query.where(
            Member.id.in_(db.select(MemberInterest.member_id).where(MemberInterest.interest.in_(list(interests))))
        )
    return db.session.scalars(query.order_by(Member.id)).all()
