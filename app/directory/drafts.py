"""Listings being edited or registered through the task list: drafts kept between pages, the tasks' status,
and sending a finished draft (to moderation, or published at once by an officer). No request needed.

A draft is a ListingDraft row holding a snapshot (see services.snapshot). An edit's draft starts from the
group's pending change if there is one (so nothing sent earlier is lost) or else the published listing, and
remembers the version and draft revision it started from: sending it goes through services.save_edit or
save_officer_edit, which refuse with EditConflict if someone else changed the listing meanwhile.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from ..extensions import db
from ..timeutil import utcnow
from . import services
from .models import ListingDraft

# Anonymous registrations nobody has touched for this long are deleted when another one starts.
ABANDONED_AFTER_DAYS = 30

COMPLETED, IN_PROGRESS, NOT_STARTED, CANNOT_START = "Completed", "In progress", "Not started", "Cannot start yet"


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


# --- Finding and starting drafts ---------------------------------------------------------------------


def edit_draft(organisation, user):
    """This person's draft of an edit to this listing, or None."""
    return db.session.scalar(
        db.select(ListingDraft).where(ListingDraft.owner_id == user.id, ListingDraft.organisation_id == organisation.id)
    )


def edit_starting_point(organisation, officer):
    """(snapshot, base_version, draft_revision) an edit starts from: for a group, its change waiting for
    moderation if there is one; for an officer (who publishes at once), the published listing."""
    pending = None if officer else services.pending_edit(organisation)
    if pending is not None:
        return json.loads(pending.payload), pending.base_version, pending.revision
    return services.snapshot(organisation), organisation.version, 0


def start_edit(organisation, user, officer):
    data, base_version, revision = edit_starting_point(organisation, officer)
    draft = ListingDraft(
        owner_id=user.id,
        organisation_id=organisation.id,
        payload=json.dumps(data),
        base_version=base_version,
        draft_revision=revision,
    )
    db.session.add(draft)
    return draft


def registration_draft(user=None, token=None):
    """A registration in progress: a signed-in person's latest, or the one whose token their session holds."""
    if user is not None:
        return db.session.scalar(
            db.select(ListingDraft)
            .where(ListingDraft.owner_id == user.id, ListingDraft.organisation_id.is_(None))
            .order_by(ListingDraft.updated_at.desc())
            .limit(1)
        )
    if token:
        return db.session.scalar(
            db.select(ListingDraft).where(ListingDraft.token_hash == _hash(token), ListingDraft.owner_id.is_(None))
        )
    return None


def start_registration(user=None):
    """A new, empty registration. Returns (draft, token): the token (for an anonymous person, None for a
    signed-in one) is the only key to the draft, to be kept in their session."""
    forget_abandoned()
    token = None if user is not None else secrets.token_urlsafe(32)
    draft = ListingDraft(
        owner_id=user.id if user is not None else None,
        token_hash=_hash(token) if token else None,
        payload=json.dumps(services.empty_snapshot()),
    )
    db.session.add(draft)
    db.session.commit()
    return draft, token


def forget_abandoned(now=None):
    cutoff = (now or utcnow()) - timedelta(days=ABANDONED_AFTER_DAYS)
    db.session.execute(db.delete(ListingDraft).where(ListingDraft.owner_id.is_(None), ListingDraft.updated_at < cutoff))


# --- Reading and changing a draft -------------------------------------------------------------------


def data_of(draft):
    return json.loads(draft.payload)


def contact_of(draft):
    return json.loads(draft.contact or "{}")


def touched(draft):
    return set(filter(None, (draft.touched or "").split(",")))


def save(draft, data=None, contact=None, section=None):
    """Keep the draft's new snapshot (and a registration's contact) and note the task worked on."""
    if data is not None:
        draft.payload = json.dumps(data)
    if contact is not None:
        draft.contact = json.dumps(contact)
    if section:
        draft.touched = ",".join(sorted(touched(draft) | {section}))
    draft.updated_at = utcnow()
    db.session.commit()


def discard(draft):
    db.session.delete(draft)
    db.session.commit()


def remove_location(data, index):
    """The snapshot without its location `index`; services' links to later locations move down one."""
    data["locations"] = [loc for n, loc in enumerate(data.get("locations", [])) if n != index]
    for service in data.get("services", []):
        service["locations"] = [i - (i > index) for i in service.get("locations", []) if i != index]
    return data


# --- The task list -------------------------------------------------------------------------------------


@dataclass
class Task:
    key: str
    title: str
    endpoint: str
    status: str
    hint: str = ""


def tasks(draft_data, contact=None, touched_sections=(), registering=False, published=None):
    """The task list's rows with their status. `published` (an edit's published snapshot) marks the tasks
    whose answers differ from it as changed."""
    org = draft_data.get("organisation", {})
    service_list = draft_data.get("services", [])
    location_list = draft_data.get("locations", [])
    rows = []
    if registering:
        contact = contact or {}
        filled = [contact.get(key) for key in ("name", "email", "role")]
        rows.append(Task("you", "Your details", "you", COMPLETED if all(filled) else _started(any(filled))))
    about = [org.get("name"), org.get("description")]
    rows.append(Task("about", "About the group", "about", COMPLETED if all(about) else _started(any(about))))
    contact_done = "contact" in touched_sections or any(org.get(k) for k in ("email", "website", "phone"))
    rows.append(Task("contact", "Contact details", "contact", COMPLETED if contact_done else NOT_STARTED))
    if not service_list:
        status = NOT_STARTED
    elif all(s.get("name") and s.get("description") for s in service_list):
        status = COMPLETED
    else:
        status = IN_PROGRESS
    rows.append(
        Task("services", "Services and opening hours", "services_list", status, _count(service_list, "service"))
    )
    locations_done = bool(location_list) or "locations" in touched_sections
    rows.append(
        Task(
            "locations",
            "Locations",
            "locations_list",
            COMPLETED if locations_done else NOT_STARTED,
            _count(location_list, "place") or "Skip this if you have no regular place, for example if you work online",
        )
    )
    if published is not None:
        changed = _changed_sections(published, draft_data)
        for row in rows:
            if row.key in changed:
                row.hint = ("Changed. " + row.hint).strip()
    ready = all(row.status == COMPLETED for row in rows if row.key in ("you", "about", "services"))
    rows.append(
        Task(
            "check",
            "Check your answers and send" if not registering else "Check your answers and send for approval",
            "check",
            NOT_STARTED if ready else CANNOT_START,
        )
    )
    return rows


def ready_to_send(rows):
    return next(row for row in rows if row.key == "check").status != CANNOT_START


def _started(anything):
    return IN_PROGRESS if anything else NOT_STARTED


def _count(items, word):
    if not items:
        return ""
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def _changed_sections(old, new):
    changed = set()
    old_org, new_org = old.get("organisation", {}), new.get("organisation", {})
    if any(
        old_org.get(k) != new_org.get(k)
        for k in ("name", "description", "kind", "status", "charity_number", "company_number")
    ):
        changed.add("about")
    if any(old_org.get(k) != new_org.get(k) for k in ("email", "website", "phone")):
        changed.add("contact")
    if old.get("services", []) != new.get("services", []):
        changed.add("services")
    if old.get("locations", []) != new.get("locations", []):
        changed.add("locations")
    return changed


# --- Sending ---------------------------------------------------------------------------------------------


def send_edit(draft, user, officer, message=None):
    """Send a finished edit: an officer's is published, a group's waits for moderation. The draft is kept if
    someone else changed the listing meanwhile (EditConflict), and deleted once sent."""
    organisation = draft.organisation
    data = data_of(draft)
    if officer:
        services.save_officer_edit(organisation, data, user, draft.base_version)
    else:
        services.save_edit(organisation, data, user, draft.base_version, draft.draft_revision, message)
    discard(draft)


def send_registration(draft, message=None):
    change = services.submit_registration(data_of(draft), contact_of(draft), message)
    discard(draft)
    return change
