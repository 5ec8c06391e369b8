"""GDPR for CTN members: export of a person's data and its erasure, across registered tables."""

import io
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app

from ... import csvkit
from ...extensions import db
from ...timeutil import utcnow
from ..models import (
    CONFIRMED,
    SECTOR_SHORT,
    DepartedMember,
    Registration,
    SteeringSeat,
    Suppression,
    email_key,
)
from .suppression import address_hash, member_by_email, suppression_for

log = logging.getLogger("portal.ctn")


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
                for name, item_value in item.items() if isinstance(item, dict) else [("value", item)]:
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
