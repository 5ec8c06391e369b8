"""Directory logic that needs no request: listings as snapshots, publishing, moderation, freshness.

A listing is edited and moderated as a *snapshot*: a plain dict of the organisation, its services and its
locations (see `snapshot`). Groups' changes wait as ListingChange rows holding a proposed snapshot; an
officer's approval `publish`es it into the tables, raises Organisation.version and keeps the published
snapshot as a ListingVersion, so history and diffs come from comparing snapshots.
"""

import functools
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, time, timedelta

from flask import current_app
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..auth.services import invite_user, new_invitation_link
from ..datacache import cached
from ..extensions import db
from ..mailer import send_email
from ..places.models import Ward
from ..places.services import lookup_postcode, normalise_postcode, ward_at
from ..tasks import enqueue
from ..timeutil import utcnow
from .diff import changed_labels
from .models import (
    AREA_SCOPES,
    LOCATION_FIELDS,
    ORGANISATION_FIELDS,
    SERVICE_FIELDS,
    Closure,
    ListingChange,
    ListingVersion,
    Location,
    Organisation,
    ProblemReport,
    Schedule,
    SearchWord,
    Service,
    ServiceAtLocation,
)
from .names import (  # noqa: F401 (the organisation chooser's rules, named here for other modules)
    OrganisationChoice,
    any_published_listing,
    choose_any_listing,
    choose_organisation,
    listing_by_id,
    organisation_suggestions,
    published_listing,
)
from .taxonomy import term_code, term_key, terms_for_keys

STALE_AFTER_DAYS = 183  # "not verified for 6 months"
REMINDER_INTERVAL_DAYS = 30

# Registered charity numbers: England and Wales (6-8 digits, optional "-N" for a linked charity),
# Scotland (SC + 6 digits), Northern Ireland (NIC + 6 digits, or the older XN/XR + digits).
CHARITY_NUMBER_RE = re.compile(r"^(\d{6,8}(-\d{1,2})?|SC\d{6}|NIC\d{6}|X[NR]\d{5,6})$")
# Companies House numbers: 8 digits, or two letters (SC, NI, OC, CE...) and 6 digits.
COMPANY_NUMBER_RE = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")


def normalise_charity_number(value):
    """'sc 012345' -> 'SC012345'; None when blank; ValueError when not a charity number."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return None
    if not CHARITY_NUMBER_RE.match(compact):
        raise ValueError(
            "Enter a registered charity number, like 1012345 (England and Wales), SC012345 (Scotland) "
            "or NIC100123 (Northern Ireland)"
        )
    return compact


def normalise_company_number(value):
    """'1234567' -> '01234567', 'sc123456' -> 'SC123456'; None when blank; ValueError when wrong."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return None
    if compact.isdigit() and len(compact) < 8:
        compact = compact.zfill(8)
    if not COMPANY_NUMBER_RE.match(compact):
        raise ValueError("Enter a company number of 8 characters, like 01234567 or SC123456")
    return compact


# --- Snapshots ---------------------------------------------------------------------------------


def _hhmm(value):
    return value.strftime("%H:%M") if value else None


def snapshot(organisation):
    """The whole listing as plain data (JSON-safe), as groups edit it and officers compare it."""
    location_index = {location.id: i for i, location in enumerate(organisation.locations)}
    return {
        "organisation": {field: getattr(organisation, field) for field in ORGANISATION_FIELDS},
        "services": [
            {
                "uuid": service.uuid,
                **{field: getattr(service, field) for field in SERVICE_FIELDS},
                "terms": [term_key(term) for term in service.terms],
                "area_scope": service.area_scope,
                "areas": [ward.code for ward in service.areas],
                "hours": [
                    {"weekday": s.weekday, "opens_at": _hhmm(s.opens_at), "closes_at": _hhmm(s.closes_at)}
                    for s in sorted(service.schedules, key=lambda s: (s.weekday, s.opens_at))
                ],
                "closures": [closure_data(c) for c in service.closures],
                "locations": sorted(
                    location_index[sal.location_id]
                    for sal in service.service_at_locations
                    if sal.location_id in location_index
                ),
            }
            for service in organisation.services
        ],
        "locations": [
            {
                "uuid": location.uuid,
                **{field: getattr(location, field) for field in LOCATION_FIELDS},
                "accessibility": [term_key(term) for term in location.accessibility],
            }
            for location in organisation.locations
        ],
    }


def closure_data(closure):
    """A closure in a snapshot: {"starts_on": "2026-12-24", "ends_on": "2027-01-02", "note": "Christmas"}."""
    return {"starts_on": closure.starts_on.isoformat(), "ends_on": closure.ends_on.isoformat(), "note": closure.note}


def empty_snapshot():
    return {
        "organisation": {field: None for field in ORGANISATION_FIELDS} | {"kind": "vcfs", "status": "active"},
        "services": [],
        "locations": [],
    }


def _parse_time(value):
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _apply_fields(target, data, fields):
    for field in fields:
        if field in data:
            setattr(target, field, data[field])


class Lookups:
    """How write_snapshot finds terms, wards and postcodes and counts the directory's words: a query or an
    upsert each time. The CSV import passes its own, which looks them up once and counts words per batch."""

    def terms(self, keys):
        return terms_for_keys(keys)

    def wards(self, codes):
        return db.session.scalars(db.select(Ward).where(Ward.code.in_(codes))).all() if codes else []

    def postcode(self, value):
        return lookup_postcode(value)

    def count_words(self, words, step):
        count_words(words, step)


def write_snapshot(organisation, data, lookups=None):
    """Make the tables say what `data` says: update, add and remove services and locations by uuid."""
    with db.session.no_autoflush:
        _write_snapshot(organisation, data, lookups or Lookups())


def _write_snapshot(organisation, data, lookups):
    _apply_fields(organisation, data.get("organisation", {}), ORGANISATION_FIELDS)

    existing_locations = {location.uuid: location for location in organisation.locations}
    locations = []
    for item in data.get("locations", []):
        location = existing_locations.pop(item.get("uuid"), None)
        if location is None:
            # Appended through the collection: SQLAlchemy 2 does not cascade a new child through a backref.
            location = Location()
            organisation.locations.append(location)
        old_postcode = location.postcode
        _apply_fields(location, item, LOCATION_FIELDS)
        location.postcode = normalise_postcode(location.postcode) or location.postcode
        if not (location.position_source == "manual" and location.postcode == old_postcode):
            geocode(location, lookups)
        location.accessibility = lookups.terms(item.get("accessibility", []))
        locations.append(location)
    for stale in existing_locations.values():
        organisation.locations.remove(stale)

    existing_services = {service.uuid: service for service in organisation.services}
    for item in data.get("services", []):
        service = existing_services.pop(item.get("uuid"), None)
        if service is None:
            service = Service()
            organisation.services.append(service)
        _apply_fields(service, item, SERVICE_FIELDS)
        service.terms = lookups.terms(item.get("terms", []))
        service.areas = lookups.wards(item.get("areas", []))
        scope = item.get("area_scope")
        service.area_scope = scope if scope in AREA_SCOPES else ("wards" if service.areas else None)
        if service.area_scope != "wards":
            service.areas = []
        service.schedules = [
            Schedule(weekday=h["weekday"], opens_at=_parse_time(h["opens_at"]), closes_at=_parse_time(h["closes_at"]))
            for h in item.get("hours", [])
        ]
        # Snapshots from before closures (old pending edits, imports) leave a service's closures as they are.
        if "closures" in item:
            service.closures = [
                Closure(
                    starts_on=date.fromisoformat(c["starts_on"]),
                    ends_on=date.fromisoformat(c.get("ends_on") or c["starts_on"]),
                    note=c.get("note") or None,
                )
                for c in item["closures"]
            ]
        wanted = [locations[i] for i in item.get("locations", []) if 0 <= i < len(locations)]
        kept = [sal for sal in service.service_at_locations if sal.location in wanted]
        have = {sal.location for sal in kept}
        service.service_at_locations = kept + [ServiceAtLocation(location=loc) for loc in wanted if loc not in have]
    for stale in existing_services.values():
        organisation.services.remove(stale)
    set_search_fields(organisation, lookups)


def geocode(location, lookups=None):
    """Position and ward from the local postcode table; a confidential address keeps only its ward."""
    found = (lookups or Lookups()).postcode(location.postcode) if location.postcode else None
    if found is None:
        location.lat = location.lon = location.ward_code = location.position_source = None
        return False
    location.lat, location.lon, location.ward_code = found.lat, found.lon, found.ward_code
    location.position_source = "postcode"
    return True


def pin(location, lat, lon):
    """An officer places an address by hand (the last resort when its postcode cannot be found)."""
    location.lat, location.lon = round(lat, 6), round(lon, 6)
    location.position_source = "manual"
    if location.organisation is not None:
        location.organisation.placed = is_placed(location.organisation)
    ward = ward_at(lat, lon, "2022")
    location.ward_code = ward.code if ward else location.ward_code
    db.session.commit()
    return ward


def search_text_for(organisation):
    """All the words a listing is found by: name, description, services, their terms, public places."""
    parts = [organisation.name, organisation.description or "", organisation.kind_label]
    for service in organisation.services:
        parts += [service.name, service.description or ""]
        parts += [term.name for term in service.terms]
    for location in organisation.locations:
        if not location.confidential:
            parts += [location.name or "", location.city or ""]
    return " ".join(part for part in parts if part)


def is_placed(organisation):
    """An address residents can be sent to, or an area the organisation helps people in."""
    return any(not loc.confidential and loc.lat is not None for loc in organisation.locations) or any(
        service.area_scope for service in organisation.services
    )


def search_keywords_for(organisation):
    """The second most weighty field: the services' names and their categories and other terms."""
    parts = []
    for service in organisation.services:
        parts.append(service.name)
        parts += [term.name for term in service.terms]
    return " ".join(part for part in parts if part)


SEARCH_WORD_RE = re.compile(r"[^\W\d_]{3,60}", re.UNICODE)


def search_words(text):
    return {word.lower() for word in SEARCH_WORD_RE.findall(text or "")}


def set_search_fields(organisation, lookups=None):
    """Write the listing's search fields (the full-text index follows by trigger) and keep the table of the
    directory's words (for "Did you mean") in step with the change."""
    lookups = lookups or Lookups()
    old = search_words(organisation.search_text) if organisation.id else set()
    organisation.search_name = organisation.name or ""
    organisation.search_keywords = search_keywords_for(organisation)
    organisation.search_text = search_text_for(organisation)
    organisation.placed = is_placed(organisation)
    new = search_words(organisation.search_text)
    lookups.count_words(new - old, +1)
    lookups.count_words(old - new, -1)


def count_words(words, step):
    """Add `step` to the number of listings using each word (an upsert, so concurrent writers never collide)."""
    if not words:
        return
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    rows = [{"word": word, "documents": max(step, 0)} for word in sorted(words)]
    statement = insert(SearchWord).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["word"], set_={"documents": SearchWord.documents + step}
    )
    db.session.execute(statement)


def add_word_counts(counts):
    """Add each {word: n} (n > 0: listings added) to the words' counts, in upserts of a few thousand words."""
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    rows = [{"word": word, "documents": n} for word, n in sorted(counts.items()) if n > 0]
    for start in range(0, len(rows), 5000):
        statement = insert(SearchWord).values(rows[start : start + 5000])
        statement = statement.on_conflict_do_update(
            index_elements=["word"], set_={"documents": SearchWord.documents + statement.excluded.documents}
        )
        db.session.execute(statement)


@event.listens_for(Organisation, "after_delete")
def _forget_deleted_words(mapper, connection, organisation):
    """A deleted listing no longer counts for its words."""
    words = search_words(organisation.search_text)
    if words:
        connection.execute(
            db.update(SearchWord).where(SearchWord.word.in_(words)).values(documents=SearchWord.documents - 1)
        )


def rebuild_search_words():
    """Count every listing's words afresh (after bulk loads that bypass set_search_fields)."""
    counts = Counter()
    for text in db.session.scalars(db.select(Organisation.search_text).execution_options(yield_per=1000)):
        counts.update(search_words(text))
    db.session.execute(db.delete(SearchWord))
    rows = [{"word": word, "documents": n} for word, n in counts.items()]
    for start in range(0, len(rows), 5000):
        db.session.execute(db.insert(SearchWord), rows[start : start + 5000])
    db.session.commit()
    return len(rows)


# --- Publishing, history and diffs -------------------------------------------------------------


def publish(organisation, data, user, change=None, summary="Listing updated"):
    """Write `data` into the published listing, raise its version and keep the snapshot in history."""
    write_snapshot(organisation, data)
    organisation.published = True
    organisation.version = (organisation.version or 0) + 1 if organisation.id else 1
    db.session.flush()
    db.session.add(
        ListingVersion(
            organisation_id=organisation.id,
            version=organisation.version,
            snapshot=json.dumps(snapshot(organisation)),
            change_id=change.id if change else None,
            summary=summary[:255],
            created_by_id=user.id if user else None,
        )
    )
    return organisation


@functools.lru_cache(maxsize=8)  # one url_map per app; tests make many apps
def _fixed_paths(url_map):
    segments = set()
    for rule in url_map.iter_rules():
        parts = rule.rule.split("/")
        if len(parts) > 2 and parts[1] == "directory" and parts[2] and "<" not in parts[2]:
            segments.add(parts[2])
    return frozenset(segments)


def fixed_directory_paths():
    """The first path segments under /directory/ that belong to pages rather than listings ("mine",
    "moderation", "register", "import"...), read from the app's routes so that a new page is covered too.
    A group called "Moderation" must not get a listing its own page can never show."""
    return _fixed_paths(current_app.url_map)  # the routes are fixed once the app is made


def unique_slugs(names):
    """A slug for each name, free in the directory, among each other and of the fixed /directory/ paths (one
    statement for the plain slugs, however many names: the import saves listings in batches)."""
    bases = [term_code(name)[:240] or "organisation" for name in names]
    taken = set(fixed_directory_paths())
    taken.update(db.session.scalars(db.select(Organisation.slug).where(Organisation.slug.in_(set(bases)))))
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken or (slug != base and db.session.scalar(db.select(Organisation.id).filter_by(slug=slug))):
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def create_organisation(data, user, summary="Listing created", change=None, published=True):
    organisation = Organisation(
        name=data["organisation"]["name"], slug=unique_slugs([data["organisation"]["name"]])[0], version=0
    )
    db.session.add(organisation)
    publish(organisation, data, user, change=change, summary=summary)
    organisation.published = published
    organisation.last_verified_at = utcnow()
    return organisation


# --- Moderation --------------------------------------------------------------------------------


@dataclass
class EditConflict(Exception):
    """Someone else changed the listing (or the pending draft) after this editor started."""

    organisation: Organisation
    theirs: dict
    reason: str


def pending_edit(organisation):
    return db.session.scalar(
        db.select(ListingChange).where(
            ListingChange.organisation_id == organisation.id,
            ListingChange.kind == "edit",
            ListingChange.status == "pending",
        )
    )


def save_edit(organisation, data, user, base_version, draft_revision, message=None):
    """A group's edit: saved as the one pending change of this listing, never over someone else's.

    Raises EditConflict when the published listing or the pending draft moved on since the editor
    opened the form (they give the version and draft revision they started from).
    """
    if organisation.version != base_version:
        raise EditConflict(organisation, snapshot(organisation), "published")
    pending = pending_edit(organisation)
    if pending is not None and pending.revision != draft_revision:
        raise EditConflict(organisation, json.loads(pending.payload), "draft")
    if pending is None:
        if draft_revision:
            raise EditConflict(organisation, snapshot(organisation), "decided")
        pending = ListingChange(organisation_id=organisation.id, kind="edit", base_version=base_version, revision=0)
        db.session.add(pending)
    pending.payload = json.dumps(data)
    pending.revision += 1
    pending.submitted_by_id = user.id
    pending.submitted_at = utcnow()
    pending.message = message
    db.session.commit()
    return pending


def save_officer_edit(organisation, data, user, base_version):
    """An officer's own edit is published at once, with the same stale-version check."""
    if organisation.version != base_version:
        raise EditConflict(organisation, snapshot(organisation), "published")
    publish(
        organisation,
        data,
        user,
        summary="Edited by an officer: " + ", ".join(changed_labels(snapshot(organisation), data))[:200],
    )
    organisation.last_verified_at = utcnow()
    db.session.commit()
    return organisation


def submit_registration(data, contact, message=None):
    """A new group asks to be listed: waits for an officer; `contact` is {name, email, role}."""
    change = ListingChange(
        kind="register",
        payload=json.dumps({"listing": data, "contact": contact}),
        message=message,
    )
    db.session.add(change)
    db.session.commit()
    return change


def submit_claim(organisation, contact, message=None, user=None):
    change = ListingChange(
        organisation_id=organisation.id,
        kind="claim",
        payload=json.dumps({"contact": contact}),
        message=message,
        submitted_by_id=user.id if user else None,
    )
    db.session.add(change)
    db.session.commit()
    return change


class ModerationError(Exception):
    pass


def approve(change, officer):
    """Publish a pending edit or registration, or grant a claim; tell the group by e-mail."""
    if change.status != "pending":
        raise ModerationError("This change has already been decided")
    payload = json.loads(change.payload)
    organisation = change.organisation
    if change.kind == "edit":
        if organisation.version != change.base_version:
            raise ModerationError(
                "The published listing has changed since this edit was made. Reject it with a note asking "
                "the group to check the latest listing, so nothing is overwritten."
            )
        summary = "Approved edit: " + ", ".join(changed_labels(snapshot(organisation), payload))
        publish(organisation, payload, officer, change=change, summary=summary[:255])
        organisation.last_verified_at = utcnow()
        recipients = [change.submitted_by] if change.submitted_by else organisation.editors
    elif change.kind == "register":
        organisation = create_organisation(
            payload["listing"], officer, summary="Registered by the group", change=change
        )
        db.session.flush()
        change.organisation_id = organisation.id
        recipients = _grant_editor(organisation, payload["contact"], officer, invite_user, User)
    elif change.kind == "claim":
        recipients = _grant_editor(organisation, payload["contact"], officer, invite_user, User)
    else:  # pragma: no cover - kinds are fixed above
        raise ModerationError(f"Unknown change kind {change.kind}")
    change.status = "approved"
    change.decided_by_id = officer.id
    change.decided_at = utcnow()
    db.session.commit()
    _tell_group(change, organisation, recipients, approved=True)
    return organisation


def _grant_editor(organisation, contact, officer, invite_user, User):
    user = User.by_email(contact["email"])
    if user is None:
        invite_user(contact["email"], contact["name"], "group_editor", [organisation], invited_by=officer)
        return []  # the invitation e-mail says it all
    if organisation not in user.organisations:
        user.organisations.append(organisation)
    return [user]


def reject(change, officer, reason):
    if change.status != "pending":
        raise ModerationError("This change has already been decided")
    if not (reason or "").strip():
        raise ModerationError("Enter the reason for rejecting this change; the group will see it")
    change.status = "rejected"
    change.decided_by_id = officer.id
    change.decided_at = utcnow()
    change.decision_reason = reason.strip()
    db.session.commit()
    recipients = [change.submitted_by] if change.submitted_by else []
    _tell_group(change, change.organisation, recipients, approved=False)


def _tell_group(change, organisation, users, approved):
    payload = json.loads(change.payload)
    addresses = {user.email for user in users if user and user.active}
    if change.kind in ("register", "claim") and not approved:
        addresses.add(payload["contact"]["email"])
    name = (
        organisation.name
        if organisation
        else payload.get("listing", {}).get("organisation", {}).get("name", "your group")
    )
    verdict = "approved" if approved else "not approved"
    for address in sorted(addresses):
        send_email(
            "listing_decision",
            address,
            f"Your directory {'listing' if change.kind != 'claim' else 'claim'} for {name} was {verdict}",
            change=change,
            organisation=organisation,
            name=name,
            approved=approved,
        )


# --- Freshness ---------------------------------------------------------------------------------


def confirm_still_right(organisation, user):
    organisation.last_verified_at = utcnow()
    organisation.verification_reminder_sent_at = None
    db.session.commit()


def stale_query(now=None, days=STALE_AFTER_DAYS):
    cutoff = (now or utcnow()) - timedelta(days=days)
    return (
        db.select(Organisation)
        .where(Organisation.published.is_(True))
        .where(db.or_(Organisation.last_verified_at.is_(None), Organisation.last_verified_at < cutoff))
        .order_by(Organisation.last_verified_at.asc().nullsfirst(), Organisation.name)
    )


def stale_organisations_of(user, now=None):
    """The published listings `user` edits that have not been checked for 6 months."""
    ids = [organisation.id for organisation in user.organisations]
    if not ids:
        return []
    return db.session.scalars(stale_query(now).where(Organisation.id.in_(ids))).all()


def pending_changes(limit=None, offset=0):
    """Changes waiting for an officer, oldest first (`limit` of them from `offset`), with their organisations
    (loaded in one more query)."""
    return db.session.scalars(
        db.select(ListingChange)
        .options(selectinload(ListingChange.organisation))
        .where(ListingChange.status == "pending")
        .order_by(ListingChange.submitted_at, ListingChange.id)
        .limit(limit)
        .offset(offset)
    ).all()


def pending_change_count():
    return db.session.scalar(db.select(db.func.count()).where(ListingChange.status == "pending"))


def proposed_name(change):
    """The organisation's name a registration proposes."""
    payload = json.loads(change.payload or "{}")
    return ((payload.get("listing") or {}).get("organisation") or {}).get("name") or "an unnamed group"


def open_problem_reports(limit=None):
    return db.session.scalars(
        db.select(ProblemReport)
        .options(selectinload(ProblemReport.organisation))
        .where(ProblemReport.resolved_at.is_(None))
        .order_by(ProblemReport.created_at, ProblemReport.id)
        .limit(limit)
    ).all()


def open_problem_count():
    return db.session.scalar(db.select(db.func.count()).where(ProblemReport.resolved_at.is_(None)))


def organisations_due_a_reminder(now=None):
    now = now or utcnow()
    recent = now - timedelta(days=REMINDER_INTERVAL_DAYS)
    query = stale_query(now).where(
        db.or_(
            Organisation.verification_reminder_sent_at.is_(None), Organisation.verification_reminder_sent_at < recent
        )
    )
    return [org for org in db.session.scalars(query) if any(user.active for user in org.editors)]


def queue_due_reminders(now=None):
    """Queue a reminder for every listing due one; each listing is claimed first (its reminder time set in
    one conditional update) so two workers running the daily job never both queue the same one."""
    now = now or utcnow()
    recent = now - timedelta(days=REMINDER_INTERVAL_DAYS)
    queued = 0
    for organisation in organisations_due_a_reminder(now):
        claimed = db.session.execute(
            db.update(Organisation)
            .where(Organisation.id == organisation.id)
            .where(
                db.or_(
                    Organisation.verification_reminder_sent_at.is_(None),
                    Organisation.verification_reminder_sent_at < recent,
                )
            )
            .values(verification_reminder_sent_at=now)
        ).rowcount
        db.session.commit()
        if claimed:
            enqueue("directory.send_verification_reminder", organisation.id)
            queued += 1
    current_app.logger.info("verification reminders queued", extra={"queued": queued})
    return queued


def send_verification_reminder(organisation_id):
    """E-mail the group's editors asking them to confirm or update their listing (one task per listing)."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        return 0
    sent = 0
    for user in organisation.editors:
        if user.active:
            # An editor who was invited but never chose a password could not sign in to act on the reminder:
            # theirs carries a fresh invitation link.
            invitation_link = new_invitation_link(user) if user.password_hash is None else None
            send_email(
                "verification_reminder",
                user.email,
                f"Is the directory listing for {organisation.name} still right?",
                organisation=organisation,
                user=user,
                months=STALE_AFTER_DAYS // 30,
                invitation_link=invitation_link,
                invitation_days=current_app.config["INVITATION_MAX_AGE"] // 86400,
            )
            sent += 1
    organisation.verification_reminder_sent_at = utcnow()
    db.session.commit()
    current_app.logger.info("verification reminder", extra={"organisation_id": organisation_id, "sent": sent})
    return sent


def report_problem(organisation, problem, problem_label, details, reporter_name="", reporter_email=""):
    """A member of the public's report of a problem with a listing: stored, and e-mailed to the listing's
    active editors and the directory team."""
    report = ProblemReport(
        organisation_id=organisation.id,
        problem=problem,
        details=details.strip(),
        reporter_name=(reporter_name or "").strip() or None,
        reporter_email=(reporter_email or "").strip().lower() or None,
    )
    db.session.add(report)
    db.session.commit()
    recipients = {user.email for user in organisation.editors if user.active}
    recipients.add(current_app.config["DIRECTORY_TEAM_EMAIL"])
    for address in sorted(recipients):
        send_email(
            "problem_report",
            address,
            f"Problem reported with the listing for {organisation.name}",
            organisation=organisation,
            report=report,
            problem_label=problem_label,
        )
    return report


def resolve_problem(report, user_id):
    report.resolved_at = utcnow()
    report.resolved_by_id = user_id
    db.session.commit()


@cached("published organisations", ("directory",))
def published_organisation_count():
    """Published organisations that are not closed: the ones a resident can find in the directory (the
    directory page's figure and the home page's)."""
    return db.session.scalar(
        db.select(db.func.count(Organisation.id)).where(
            Organisation.published.is_(True), Organisation.status != "inactive"
        )
    )
