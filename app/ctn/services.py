"""CTN logic that needs no request: membership states, consent, suppression, GDPR, meetings, figures.

Functions other modules may call
--------------------------------
Bulletins (issue 6):
    confirmed_members(sectors=None, interests=None, ward_codes=None)  -> the members to send to
    unsubscribe(member, source)          -> member unsubscribed, address on the suppression list
    unsubscribe_address(email, source)   -> the same by address (also suppresses a non-member)
    mark_bounced(member, source)         -> hard bounce: status bounced, address suppressed
    is_suppressed(email)                 -> never send to these addresses
    preferences_url(member)              -> the link every e-mail must carry
    register_personal_data(...)          -> add a per-member table (e.g. delivery records) to export/erasure
Reporting (issue 7, live KPIs):
    meetings_held(start_date, end_date, kinds=("open_forum",)) -> int
    members_by_sector(as_of=None)        -> {sector: count} for every sector (zeros included)
    member_count(as_of=None)             -> confirmed members on that date
    attendance_by_meeting(start_date, end_date) -> [(meeting, attendance or None)]
    annual_report_figures(year)          -> everything the annual CTN report quotes
"""
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func

from .. import csvkit
from ..auth.services import absolute_url
from ..directory.models import Organisation
from ..extensions import db
from ..forms import control_characters
from ..mailer import send_email
from ..places.models import WARD_SET_2022, Ward
from ..places.services import lookup_postcode
from ..timeutil import LONDON, utcnow
from .models import (
    BOUNCED,
    CANCELLED,
    CANCELLED_REGISTRATION,
    CONFIRMED,
    HELD,
    INTERESTS,
    OPEN_FORUM,
    PENDING,
    REGISTERED,
    SECTOR_SHORT,
    SECTORS,
    SOURCE_IMPORT,
    SOURCE_WEB,
    UNSUBSCRIBED,
    WAITING,
    Consent,
    DepartedMember,
    Meeting,
    Member,
    MemberInterest,
    Registration,
    SteeringSeat,
    Suppression,
    email_key,
    new_token,
)

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


class TokenInvalid(Exception):
    def __init__(self, expired=False, used=False):
        super().__init__("expired" if expired else "used" if used else "invalid")
        self.expired = expired
        self.used = used


# --- Addresses and the suppression list -----------------------------------------------------------


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


# --- Tokens and links ----------------------------------------------------------------------------


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


# --- Joining ---------------------------------------------------------------------------------------


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


# --- GDPR: export and erasure --------------------------------------------------------------------


@dataclass
class PersonalDataTable:
    """A table holding data about a person, for export and erasure.

    export(member, key) -> list of dicts (JSON-serialisable values); erase(member, key) -> rows changed.
    `member` may be None (e.g. someone who only registered for a meeting); `key` is email_key(address).
    An erase function must keep aggregate figures right: delete rows only when no count depends on
    them, otherwise anonymise them (clear every personal field, keep the status columns), or bump an
    anonymous counter before deleting.
    """

    name: str
    export: object
    erase: object


# Tables outside this package register here at import time, e.g. the bulletins module:
#     register_personal_data("bulletin deliveries", export=..., erase=...)
# Erasure runs the registered functions first (newest first), then the CTN tables below.
PERSONAL_DATA_TABLES = []


def register_personal_data(name, export, erase):
    if any(table.name == name for table in PERSONAL_DATA_TABLES):
        return
    PERSONAL_DATA_TABLES.append(PersonalDataTable(name, export, erase))


def _iso(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _member_record(member):
    return {
        "id": member.id,
        "name": member.name,
        "email": member.email,
        "organisation": member.organisation_display,
        "organisation_in_directory": bool(member.organisation_id),
        "job_title": member.job_title,
        "sector": SECTOR_SHORT.get(member.sector, member.sector),
        "ward": member.ward.name if member.ward else "",
        "interests": member.interest_labels,
        "status": member.status_label,
        "joined_through": member.source,
        "created_at": _iso(member.created_at),
        "confirmation_sent_at": _iso(member.confirmation_sent_at),
        "confirmed_at": _iso(member.confirmed_at),
        "unsubscribed_at": _iso(member.unsubscribed_at),
        "bounced_at": _iso(member.bounced_at),
    }


def _registrations_for(member, key):
    conditions = [Registration.email_key == key]
    if member is not None:
        conditions.append(Registration.member_id == member.id)
    return db.session.scalars(db.select(Registration).where(db.or_(*conditions)).order_by(Registration.id)).all()


def export_person(email):
    """Everything the CTN holds on the person with this address, as one JSON-serialisable dict."""
    key = email_key(email)
    member = member_by_email(email)
    data = {
        "generated_at": _iso(utcnow()),
        "controller": current_app.config["COUNCIL_NAME"],
        "email": email.strip(),
        "member": _member_record(member) if member else None,
        "consents": [
            {"action": c.action, "source": c.source, "wording": c.wording, "recorded_at": _iso(c.recorded_at)}
            for c in (member.consents if member else [])
        ],
        "meeting_registrations": [
            {
                "meeting": r.meeting.title,
                "meeting_date": _iso(r.meeting.starts_at),
                "name": r.name,
                "email": r.email,
                "organisation": r.organisation_name,
                "access_needs": r.access_needs,
                "status": r.status_label,
                "attended": r.attended,
                "registered_at": _iso(r.created_at),
            }
            for r in _registrations_for(member, key)
        ],
        "steering_group_seats": [
            {"seat": s.title, "role": s.role_label}
            for s in (
                db.session.scalars(db.select(SteeringSeat).where(SteeringSeat.member_id == member.id)).all()
                if member
                else []
            )
        ],
        "suppression_list": None,
    }
    entry = suppression_for(email)
    if entry is not None:
        data["suppression_list"] = {"reason": entry.reason, "source": entry.source, "since": _iso(entry.created_at)}
    for table in PERSONAL_DATA_TABLES:
        data[table.name] = [{k: _iso(v) for k, v in row.items()} for row in table.export(member, key)]
    return data


def export_person_json(email):
    return json.dumps(export_person(email), indent=2, ensure_ascii=False)


def export_person_csv(email):
    """The same data as the JSON export, one value per line: record, item, field, value."""
    data = export_person(email)
    out = io.StringIO()
    writer = csvkit.Writer(out)
    writer.writerow(["record", "item", "field", "value"])
    for record, value in data.items():
        if isinstance(value, list):
            for number, item in enumerate(value, start=1):
                for name, item_value in (item.items() if isinstance(item, dict) else [("value", item)]):
                    writer.writerow([record, number, name, _csv_value(item_value)])
        elif isinstance(value, dict):
            for name, item_value in value.items():
                writer.writerow([record, 1, name, _csv_value(item_value)])
        else:
            writer.writerow([record, "", "", _csv_value(value)])
    return out.getvalue()


def _csv_value(value):
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def erase_person(email):
    """Erase everything the CTN holds on this person (UK GDPR article 17). Returns {table: rows}.

    Why some rows are deleted and others anonymised (so every published figure stays right):
    - the member row, their interests and consent records are deleted. Membership history (growth,
      members by sector on a past date) is kept by an anonymous `DepartedMember` row holding only the
      sector and the dates they joined and left - no name, address, organisation or ward;
    - meeting registrations are anonymised, not deleted: name, address, organisation, access needs
      and the cancel link are cleared, status and attendance stay, so registration and attendance
      counts for past meetings do not change;
    - steering group seats keep the seat and lose the link to the person;
    - the suppression list keeps only a SHA-256 hash of the address (the address itself is removed),
      so re-importing an old list cannot add the person back; joining again through the public form
      (new consent, double opt-in) lifts it;
    - tables registered with `register_personal_data` (e.g. bulletin delivery records) are erased
      first by their own functions, under the same rule.
    """
    key = email_key(email)
    member = member_by_email(email)
    report = {}
    for table in reversed(PERSONAL_DATA_TABLES):
        report[table.name] = table.erase(member, key)
    registrations = _registrations_for(member, key)
    for registration in registrations:
        registration.name = None
        registration.email = None
        registration.email_key = None
        registration.organisation_name = ""
        registration.access_needs = ""
        registration.cancel_token = None
        registration.member_id = None
        registration.erased = True
    report["meeting registrations (anonymised)"] = len(registrations)
    entry = suppression_for(email)
    had_suppression = entry is not None
    if member is not None:
        seats = db.session.scalars(db.select(SteeringSeat).where(SteeringSeat.member_id == member.id)).all()
        for seat in seats:
            seat.member_id = None
        report["steering group seats (unlinked)"] = len(seats)
        if member.confirmed_at is not None:
            left = member.unsubscribed_at or member.bounced_at if member.status != CONFIRMED else None
            db.session.add(
                DepartedMember(sector=member.sector, joined_on=member.confirmed_at, left_on=left or utcnow())
            )
        report["consent records"] = len(member.consents)
        report["member"] = 1
        db.session.delete(member)
        if entry is None:
            entry = Suppression(email_hash=address_hash(email), reason="erased", source="erasure request")
            db.session.add(entry)
    if entry is not None:
        entry.email = None
        if not had_suppression:
            entry.reason = "erased"
    db.session.commit()
    log.info("ctn personal data erased", extra={"tables": {k: v for k, v in report.items()}})
    return report


# --- Membership figures --------------------------------------------------------------------------


def _end_of_day_utc(day):
    """The first UTC instant after `day` ends in London (naive), for 'as of' comparisons."""
    local = datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _start_of_day_utc(day):
    local = datetime.combine(day, time.min, tzinfo=LONDON)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def membership_spans():
    """(sector, joined, left) for everyone who has ever been a confirmed member, erased people included."""
    spans = []
    rows = db.session.execute(
        db.select(Member.sector, Member.status, Member.confirmed_at, Member.unsubscribed_at, Member.bounced_at).where(
            Member.confirmed_at.is_not(None)
        )
    )
    for sector, status, confirmed_at, unsubscribed_at, bounced_at in rows:
        left = None
        if status == UNSUBSCRIBED:
            left = unsubscribed_at or confirmed_at
        elif status == BOUNCED:
            left = bounced_at or confirmed_at
        elif status == PENDING:
            continue  # changed address, waiting for confirmation: not receiving e-mail
        spans.append((sector, confirmed_at, left))
    for sector, joined, left in db.session.execute(
        db.select(DepartedMember.sector, DepartedMember.joined_on, DepartedMember.left_on).where(
            DepartedMember.joined_on.is_not(None)
        )
    ):
        spans.append((sector, joined, left))
    return spans


def _member_on(span, moment):
    _, joined, left = span
    return joined < moment and (left is None or left >= moment)


def member_count(as_of=None, spans=None):
    """Confirmed members at the end of the day `as_of` (London time; default: now)."""
    moment = _end_of_day_utc(as_of) if as_of else utcnow()
    spans = membership_spans() if spans is None else spans
    return sum(1 for span in spans if _member_on(span, moment))


def members_by_sector(as_of=None, spans=None):
    """{sector: confirmed members at the end of `as_of`} for every sector, zeros included, in SECTORS order."""
    moment = _end_of_day_utc(as_of) if as_of else utcnow()
    counts = dict.fromkeys(SECTORS, 0)
    for span in membership_spans() if spans is None else spans:
        if _member_on(span, moment):
            counts[span[0]] = counts.get(span[0], 0) + 1
    return counts


def month_ends(start, end):
    """The last day of each month from start's month to end's month."""
    days = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        days.append(nxt - timedelta(days=1))
        year, month = nxt.year, nxt.month
    return days


@dataclass
class GrowthPoint:
    month: date  # last day of the month
    members: int
    joined: int
    left: int


def membership_growth(start, end, spans=None):
    """Members at each month end from start to end, with how many joined and left in the month."""
    spans = membership_spans() if spans is None else spans
    points = []
    previous_end = _end_of_day_utc(date(start.year, start.month, 1) - timedelta(days=1))
    for month_end in month_ends(start, end):
        moment = _end_of_day_utc(month_end)
        joined = sum(1 for _, j, _ in spans if previous_end <= j < moment)
        left = sum(1 for _, _, l in spans if l is not None and previous_end <= l < moment)
        points.append(GrowthPoint(month_end, sum(1 for s in spans if _member_on(s, moment)), joined, left))
        previous_end = moment
    return points


def status_counts():
    rows = db.session.execute(db.select(Member.status, func.count()).group_by(Member.status)).all()
    return dict(rows)


# --- Meetings figures ----------------------------------------------------------------------------


def _meetings_between(start_date, end_date, kinds=None):
    query = db.select(Meeting).where(
        Meeting.starts_at >= _start_of_day_utc(start_date), Meeting.starts_at < _end_of_day_utc(end_date)
    )
    if kinds:
        query = query.where(Meeting.kind.in_(list(kinds)))
    return db.session.scalars(query.order_by(Meeting.starts_at)).all()


def meetings_held(start_date, end_date, kinds=(OPEN_FORUM,)):
    """Meetings marked held whose date (London time) is between start_date and end_date inclusive.

    By default open forums only: the KPI "Number of CTN meetings held per year" (target 4,
    000_0692e8566ba44968.txt:860) counts the themed open meetings. Pass kinds=None for every kind.
    """
    return sum(1 for meeting in _meetings_between(start_date, end_date, kinds) if meeting.status == HELD)


def attendance_by_meeting(start_date, end_date, kinds=None):
    """[(meeting, attendance)] for held meetings in the period; attendance None when not recorded."""
    return [(m, m.attendance) for m in _meetings_between(start_date, end_date, kinds) if m.status == HELD]


def open_meetings_target():
    return current_app.config["CTN_OPEN_MEETINGS_TARGET"]


def annual_report_figures(year):
    """The figures the annual CTN report quotes, for the calendar year `year`, straight from the data."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    spans = membership_spans()
    meetings = _meetings_between(start, end)
    held = [m for m in meetings if m.status == HELD]
    open_held = [m for m in held if m.kind == OPEN_FORUM]
    attendance = [(m, m.attendance) for m in held]
    recorded = [a for _, a in attendance if a is not None]
    open_recorded = [m.attendance for m in open_held if m.attendance is not None]
    growth = membership_growth(start, end, spans)
    members_start = member_count(start - timedelta(days=1), spans)
    members_end = member_count(end, spans)
    return {
        "year": year,
        "members_at_start": members_start,
        "members_at_end": members_end,
        "growth": members_end - members_start,
        "joined": sum(p.joined for p in growth),
        "left": sum(p.left for p in growth),
        "members_by_sector": members_by_sector(end, spans),
        "council_officer_members": members_by_sector(end, spans)["council_officer"],
        "meetings_held": len(held),
        "open_meetings_held": len(open_held),
        "open_meetings_target": open_meetings_target(),
        "steering_group_meetings_held": sum(1 for m in held if m.kind == "steering_group"),
        "emergency_meetings_held": sum(1 for m in held if m.kind == "emergency"),
        "meetings_cancelled": sum(1 for m in meetings if m.status == CANCELLED),
        "attendance": attendance,
        "total_attendance": sum(recorded),
        "open_meeting_attendance": sum(open_recorded),
        "average_open_meeting_attendance": round(sum(open_recorded) / len(open_recorded), 1) if open_recorded else None,
        "growth_by_month": growth,
    }


def annual_report_csv(figures):
    out = io.StringIO()
    writer = csvkit.Writer(out)
    writer.writerow(["figure", "value"])
    for name in (
        "year",
        "members_at_start",
        "members_at_end",
        "growth",
        "joined",
        "left",
        "council_officer_members",
        "meetings_held",
        "open_meetings_held",
        "open_meetings_target",
        "steering_group_meetings_held",
        "emergency_meetings_held",
        "meetings_cancelled",
        "total_attendance",
        "open_meeting_attendance",
        "average_open_meeting_attendance",
    ):
        writer.writerow([name.replace("_", " "), "" if figures[name] is None else figures[name]])
    for sector, count in figures["members_by_sector"].items():
        writer.writerow([f"members at year end: {SECTOR_SHORT[sector]}", count])
    for meeting, attendance in figures["attendance"]:
        label = f"attendance: {meeting.title} ({_local_date(meeting.starts_at)})"
        writer.writerow([label, "" if attendance is None else attendance])
    for point in figures["growth_by_month"]:
        writer.writerow([f"members at {point.month.isoformat()}", point.members])
    return out.getvalue()


def _local_date(value):
    return value.replace(tzinfo=timezone.utc).astimezone(LONDON).date().isoformat()


# --- Meetings: times, venue, registrations -------------------------------------------------------


def london_to_utc(day, clock):
    """A London wall-clock date and time as naive UTC (handles BST)."""
    return datetime.combine(day, clock, tzinfo=LONDON).astimezone(timezone.utc).replace(tzinfo=None)


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
        .where(Registration.meeting_id == meeting.id, Registration.status == REGISTERED, Registration.id != (registration.id or -1))
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


# --- CSV import of the existing list -------------------------------------------------------------

IMPORT_COLUMNS = ("name", "email", "organisation", "sector", "interests", "ward", "job_title", "joined")
SECTOR_ALIASES = {
    "vcfs": "vcfs", "vcs": "vcfs", "voluntary": "vcfs", "community": "vcfs", "charity": "vcfs",
    "voluntary or community sector (vcfs)": "vcfs", "voluntary and community sector": "vcfs",
    "faith": "faith", "faith group": "faith", "faith organisation": "faith",
    "business": "business", "businesses": "business",
    "council officer": "council_officer", "council_officer": "council_officer", "council": "council_officer",
    "officer": "council_officer", "lbb": "council_officer",
    "statutory partner": "statutory_partner", "statutory_partner": "statutory_partner", "statutory": "statutory_partner",
    "partner": "statutory_partner", "police": "statutory_partner", "fire": "statutory_partner",
    "health": "statutory_partner", "nhs": "statutory_partner", "ccg": "statutory_partner",
    "education": "statutory_partner",
    "councillor": "councillor", "cllr": "councillor", "member": "councillor",
}


def parse_sector(value):
    text = " ".join((value or "").strip().lower().split())
    if text in SECTOR_ALIASES:
        return SECTOR_ALIASES[text]
    for key, label in SECTORS.items():
        if text == label.lower() or text == SECTOR_SHORT[key].lower():
            return key
    return None


def parse_interests(value):
    """'Funding; mental health' -> (['funding', 'mental_health'], [unknown words])."""
    keys, unknown = [], []
    labels = {label.lower(): key for key, label in INTERESTS.items()}
    for part in [p.strip() for p in (value or "").replace(",", ";").split(";") if p.strip()]:
        low = part.lower()
        key = low.replace(" ", "_") if low.replace(" ", "_") in INTERESTS else labels.get(low)
        if key is None:
            key = next((k for k, label in INTERESTS.items() if low in label.lower()), None)
        (keys if key else unknown).append(key or part)
    return keys, unknown


def parse_date(value):
    text = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class ImportRow:
    line: int
    details: MemberDetails
    joined: date | None


@dataclass
class MemberImportReport:
    rows: int = 0
    imported: int = 0
    problems: list = field(default_factory=list)  # (line, column, message)
    skipped: list = field(default_factory=list)  # (line, email-free reason)
    imported_rows: list = field(default_factory=list)
    written: bool = False

    @property
    def ok(self):
        return not self.problems


def import_members(raw, filename, status, consent_wording, skip_bad_rows=False, max_rows=20000):
    """Import the existing CTN list from CSV (columns: IMPORT_COLUMNS; name, email and sector required).

    Every problem is reported with its line number. With problems and skip_bad_rows False, nothing is
    written. Addresses are compared case-insensitively: an address already on the list, on the
    suppression list, or earlier in the same file is skipped (reported, never duplicated).
    `status` is CONFIRMED (they agreed to join before; `consent_wording` says how) or PENDING (each
    gets a confirmation e-mail).
    """
    report = MemberImportReport()
    try:
        lines = csvkit.read(raw)
    except csvkit.CsvFileError as exc:
        report.problems.append((exc.line or 0, "file", str(exc)))
        return report
    if not lines:
        report.problems.append((0, "file", "The file is empty"))
        return report
    headers = {(h or "").strip().lower().replace(" ", "_"): index for index, h in enumerate(lines[0][1])}
    missing = [c for c in ("name", "email", "sector") if c not in headers]
    if missing:
        report.problems.append((1, "header", f"The first row must name the columns; missing: {', '.join(missing)}"))
        return report
    organisations = {
        name.strip().lower(): org_id for org_id, name in db.session.execute(db.select(Organisation.id, Organisation.name))
    }
    wards = {}
    for code, name in db.session.execute(db.select(Ward.code, Ward.name).where(Ward.ward_set == WARD_SET_2022)):
        wards[code.lower()] = code
        wards[name.lower()] = code
    existing = set(db.session.scalars(db.select(Member.email_key)))
    suppressed = set(db.session.scalars(db.select(Suppression.email_hash)))
    seen = {}
    good = []
    for count, (number, cells) in enumerate(lines[1:], start=1):
        if count > max_rows:
            report.problems.append((number, "file", f"The file has more than {max_rows} rows"))
            break
        row = [csvkit.unguard(cell.strip()) for cell in cells]

        def get(column, row=row):
            index = headers.get(column)
            return row[index] if index is not None and index < len(row) else ""

        report.rows += 1
        row_problems = []
        name, email = get("name"), get("email")
        broken = [column for column in headers if column in IMPORT_COLUMNS and control_characters(get(column))]
        row_problems.extend(f"{column}: must be on one line: remove line breaks and control characters" for column in broken)
        if not name:
            row_problems.append("name: Enter the person's name")
        elif len(name) > 120:
            row_problems.append("name: Name must be 120 characters or fewer")
        problem = address_problem(email)
        if problem:
            row_problems.append(f"email: {problem}")
        sector = parse_sector(get("sector"))
        if sector is None:
            row_problems.append(
                f"sector: '{get('sector')}' is not a sector; use one of {', '.join(SECTOR_SHORT.values())}"
                if get("sector")
                else "sector: Enter the sector"
            )
        interests, unknown = parse_interests(get("interests"))
        if unknown:
            row_problems.append(f"interests: not known: {', '.join(unknown)}")
        ward_text = get("ward")
        ward_code = wards.get(ward_text.lower()) if ward_text else None
        if ward_text and ward_code is None:
            row_problems.append(f"ward: '{ward_text}' is not a Barnet ward (2022 wards)")
        joined = None
        if get("joined"):
            joined = parse_date(get("joined"))
            if joined is None:
                row_problems.append("joined: Enter the date as YYYY-MM-DD or DD/MM/YYYY")
        organisation = get("organisation")
        if len(organisation) > 255:
            row_problems.append("organisation: must be 255 characters or fewer")
        if row_problems:
            report.problems.extend((number, p.split(":", 1)[0], p.split(": ", 1)[1]) for p in row_problems)
            continue
        key = email_key(email)
        if key in seen:
            report.skipped.append((number, f"same email address as line {seen[key]}"))
            continue
        seen[key] = number
        if key in existing:
            report.skipped.append((number, "already on the CTN list"))
            continue
        if address_hash(email) in suppressed:
            report.skipped.append((number, "on the suppression list (unsubscribed, bounced or erased)"))
            continue
        org_id = organisations.get(organisation.lower()) if organisation else None
        details = MemberDetails(
            name=name,
            email=email,
            sector=sector,
            organisation_id=org_id,
            organisation_name="" if org_id else organisation,
            job_title=get("job_title")[:120],
            ward_code=ward_code,
            interests=interests,
        )
        good.append(ImportRow(number, details, joined))
    if report.problems and not skip_bad_rows:
        return report
    source = f"{SOURCE_IMPORT}: {filename}"[:120]
    created = []
    for item in good:
        member = Member(email=item.details.email.strip(), email_key=email_key(item.details.email), source=source)
        member.interest_rows = []
        _apply_details(member, item.details)
        db.session.add(member)
        if status == CONFIRMED:
            member.status = CONFIRMED
            member.confirmed_at = (
                london_to_utc(item.joined, time(12, 0)) if item.joined else utcnow()
            )
            record_consent(member, "given", source, consent_wording)
        else:
            member.status = PENDING
            record_consent(member, "given", source, consent_wording)
        created.append(member)
    db.session.commit()
    report.imported = len(created)
    report.written = True
    if status != CONFIRMED:
        for member in created:
            send_confirmation(member)
    return report
