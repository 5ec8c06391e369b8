"""Officers' corrections: one member's details, and the Steering Group's seats (002_6240a75a79bed02c.txt
section 2.4.1). Views pass plain values; these functions build, change and commit the rows.

An officer's edit never touches a member's consent record, e-mail address or status: consent is the
member's own act, recorded when it happened, and the address changes only through the member's own
preferences link (which asks them to confirm it).
"""

from dataclasses import dataclass

from ...directory.models import Organisation
from ...extensions import db
from ...places.models import Ward
from ..models import INTERESTS, SECTORS, STEERING_ROLES, Member, SteeringSeat


class EditRefused(ValueError):
    """The edit names something that does not exist (or no longer does); the message says what."""


@dataclass
class OfficerMemberEdit:
    name: str
    sector: str
    organisation_id: int | None = None
    organisation_name: str = ""
    job_title: str = ""
    ward_code: str | None = None
    interests: tuple = ()


def _check_organisation(organisation_id):
    if organisation_id and db.session.get(Organisation, organisation_id) is None:
        raise EditRefused("That organisation is no longer in the directory: choose another")


def edit_member(member, edit):
    """Correct a member's name, organisation, job title, sector, interests and ward, committed.
    Returns the names of the things that changed (empty when nothing did)."""
    if edit.sector not in SECTORS:
        raise EditRefused("Select the member's sector")
    _check_organisation(edit.organisation_id)
    if edit.ward_code and db.session.get(Ward, edit.ward_code) is None:
        raise EditRefused("That ward does not exist: choose another")
    before = _member_snapshot(member)
    member.name = edit.name.strip()
    member.sector = edit.sector
    member.organisation_id = edit.organisation_id or None
    member.organisation_name = "" if edit.organisation_id else (edit.organisation_name or "").strip()
    member.job_title = (edit.job_title or "").strip()
    member.ward_code = edit.ward_code or None
    member.interests = [i for i in edit.interests if i in INTERESTS]
    after = _member_snapshot(member)
    changed = [label for label in before if before[label] != after[label]]
    db.session.commit()
    return changed


def _member_snapshot(member):
    return {
        "name": member.name,
        "sector": member.sector,
        "organisation": (member.organisation_id, member.organisation_name),
        "job title": member.job_title,
        "ward": member.ward_code,
        "interests": sorted(member.interests),
    }


@dataclass
class SeatDetails:
    title: str
    role: str
    organisation_id: int | None = None
    member_id: int | None = None


def steering_seats():
    return db.session.scalars(db.select(SteeringSeat).order_by(SteeringSeat.position, SteeringSeat.id)).all()


def _apply_seat(seat, details):
    if details.role not in STEERING_ROLES:
        raise EditRefused("Select the seat's role")
    _check_organisation(details.organisation_id)
    if details.member_id and db.session.get(Member, details.member_id) is None:
        raise EditRefused("That member is no longer on the CTN list: choose another")
    if details.role in ("chair", "vice_chair"):
        holder = db.session.scalar(
            db.select(SteeringSeat).where(SteeringSeat.role == details.role, SteeringSeat.id != (seat.id or 0))
        )
        if holder is not None:
            raise EditRefused(
                f"The Steering Group already has a {STEERING_ROLES[details.role].lower()} ({holder.title}): "
                "change that seat first"
            )
    seat.title = details.title.strip()
    seat.role = details.role
    seat.organisation_id = details.organisation_id or None
    seat.member_id = details.member_id or None


def add_seat(details):
    """A new seat at the end of the list, committed."""
    seat = SteeringSeat(position=max((s.position for s in steering_seats()), default=0) + 1, source="")
    _apply_seat(seat, details)
    db.session.add(seat)
    db.session.commit()
    return seat


def edit_seat(seat, details):
    _apply_seat(seat, details)
    db.session.commit()
    return seat


def remove_seat(seat):
    db.session.delete(seat)
    db.session.commit()


def move_seat(seat, offset):
    """Move a seat up (offset -1) or down (+1) the list; the list is renumbered 1, 2, 3 ..."""
    seats = steering_seats()
    index = seats.index(seat)
    target = min(max(index + offset, 0), len(seats) - 1)
    seats.insert(target, seats.pop(index))
    for position, each in enumerate(seats, 1):
        each.position = position
    db.session.commit()
