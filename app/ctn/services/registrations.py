"""CTN meetings: London times, venue wards, registrations, the waiting list and attendance."""

import logging
from datetime import UTC, datetime

from sqlalchemy import func

from ...auth.services import absolute_url
from ...extensions import db
from ...mailer import send_email
from ...places.services import lookup_postcode
from ...timeutil import LONDON, utcnow
from ..models import (
    CANCELLED_REGISTRATION,
    HELD,
    REGISTERED,
    WAITING,
    Meeting,
    Registration,
    email_key,
    new_token,
)
from .suppression import is_suppressed, member_by_email
from .tokens import preferences_url

log = logging.getLogger("portal.ctn")


def london_to_utc(day, clock):
    """A London wall-clock date and time as naive UTC (handles BST)."""
    return datetime.combine(day, clock, tzinfo=LONDON).astimezone(UTC).replace(tzinfo=None)


def ward_for_postcode(postcode):
    """The 2022 ward code for a postcode, or None when the postcode is not in the local table."""
    row = lookup_postcode(postcode)
    return row.ward_code if row else None


class RegistrationClosed(Exception):
    pass


def _locked_meeting(meeting_id):
    # On PostgreSQL this row lock makes two people asking for the last place take turns.
    return db.session.scalar(db.select(Meeting).where(Meeting.id == meeting_id).with_for_update())


def register_for_meeting(meeting_id, name, email, organisation_name="", access_needs=""):
    """Book a place, or a waiting-list place when the meeting is full. One booking per address.

    Returns (registration, is_new); (None, False) for an address on the suppression list, when nothing is
    booked or sent. Raises RegistrationClosed when the meeting takes no bookings.
    """
    meeting = _locked_meeting(meeting_id)
    if meeting is None or not meeting.registration_open or meeting.status != "scheduled":
        db.session.rollback()
        raise RegistrationClosed()
    key = email_key(email)
    registration = db.session.scalar(
        db.select(Registration).where(Registration.meeting_id == meeting.id, Registration.email_key == key)
    )
    if is_suppressed(email):
        # Nothing is sent to an address on the suppression list, so nothing is booked in its name either.
        db.session.rollback()
        log.info("ctn booking for a suppressed address: nothing done", extra={"meeting_id": meeting_id})
        return None, False
    if registration is not None and registration.status != CANCELLED_REGISTRATION:
        # Booked already: the booking stays as it is (an anonymous form never changes it); its owner gets
        # its details again, with the link to cancel.
        db.session.commit()
        _send_registration_email(registration, reminder=True)
        return registration, False
    is_new = registration is None
    if is_new:
        registration = Registration(meeting=meeting, email_key=key)
        db.session.add(registration)
    registration.name = name.strip()
    registration.email = email.strip()
    registration.organisation_name = (organisation_name or "").strip()
    registration.access_needs = (access_needs or "").strip()
    registration.cancelled_at = None
    registration.cancel_token = new_token()
    member = member_by_email(email)
    registration.member_id = member.id if member else None
    taken = db.session.scalar(
        db.select(func.count())
        .select_from(Registration)
        .where(
            Registration.meeting_id == meeting.id,
            Registration.status == REGISTERED,
            Registration.id != (registration.id or -1),
        )
    )
    registration.status = REGISTERED if meeting.capacity is None or taken < meeting.capacity else WAITING
    db.session.commit()
    _send_registration_email(registration)
    return registration, True


def _send_registration_email(registration, promoted=False, reminder=False):
    meeting = registration.meeting
    if reminder:
        subject = f"Your booking: {meeting.title}"
    elif promoted:
        subject = f"A place has become free for you: {meeting.title}"
    elif registration.status == WAITING:
        subject = f"You are on the waiting list: {meeting.title}"
    else:
        subject = f"Your place is booked: {meeting.title}"
    send_email(
        "ctn_registration",
        registration.email,
        subject,
        registration=registration,
        meeting=meeting,
        promoted=promoted,
        reminder=reminder,
        meeting_link=absolute_url("ctn.meeting", meeting_id=meeting.id),
        cancel_link=absolute_url("ctn.cancel_registration", cancel_token=registration.cancel_token),
        calendar_link=absolute_url("ctn.meeting_ics", meeting_id=meeting.id),
        preferences_link=preferences_url(registration.member) if registration.member else None,
    )


def registration_by_cancel_token(token):
    if not token or len(token) > 64:
        return None
    return db.session.scalar(db.select(Registration).where(Registration.cancel_token == token))


def cancel_registration(registration):
    """Cancel a booking; if it held a place, the first person waiting gets it (and an e-mail)."""
    meeting = _locked_meeting(registration.meeting_id)
    if registration.status == CANCELLED_REGISTRATION:
        db.session.commit()
        return []
    had_place = registration.status == REGISTERED
    registration.status = CANCELLED_REGISTRATION
    registration.cancelled_at = utcnow()
    db.session.flush()
    promoted = fill_from_waiting_list(meeting) if had_place else []
    db.session.commit()
    for person in promoted:
        _send_registration_email(person, promoted=True)
    return promoted


def fill_from_waiting_list(meeting):
    """Give free places to the people waiting, first come first served. Does not commit or e-mail."""
    promoted = []
    waiting = sorted((r for r in meeting.registrations if r.status == WAITING), key=lambda r: (r.created_at, r.id))
    for registration in waiting:
        if meeting.capacity is not None and meeting.registered_count >= meeting.capacity:
            break
        registration.status = REGISTERED
        registration.promoted_at = utcnow()
        promoted.append(registration)
    return promoted


def promote_after_capacity_change(meeting):
    promoted = fill_from_waiting_list(meeting)
    db.session.commit()
    for person in promoted:
        _send_registration_email(person, promoted=True)
    return promoted


def record_attendance(meeting, attended_ids, extra_attendees):
    attended_ids = set(attended_ids)
    for registration in meeting.registrations:
        registration.attended = registration.id in attended_ids
    meeting.extra_attendees = extra_attendees
    meeting.attendance_recorded = True
    if meeting.status == "scheduled":
        meeting.status = HELD
    db.session.commit()
