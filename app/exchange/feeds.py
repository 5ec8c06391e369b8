"""Importing services from another directory's Open Referral UK v3 API.

A feed is read page by page (`/services?page=N`), and each service in full (`/services/{id}`). Services
are grouped by their organisation: one remote organisation becomes one listing, its first service the
listing's main service. Each organisation is turned into the columns of the directory's CSV import and
checked by the same code (importer.build_row: the listing form's rules), then compared for duplicates with
the same DuplicateFinder (charity number, and nearly the same name at the same postcode). An organisation
imported from this feed before is refreshed instead: updated if the feed changed it, and never overwritten
when someone has changed the listing in the directory since (its version is no longer the one the feed
wrote). A dry run does all of that and writes nothing.

The feed is someone else's server, so it is treated as hostile: http and https only, redirects followed by
hand (at most a few, never to another scheme), every answer size-limited and timed out, the whole run
bounded in pages, records and time, JSON checked for shape before use, and (unless
FEED_ALLOW_PRIVATE_ADDRESSES is set, as tests on loopback do) no address on a private, loopback or
link-local network, so a feed cannot point the portal at the council's own internal services.
"""

import calendar
import functools
import ipaddress
import json
import logging
import re
import socket
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import requests
from flask import current_app
from sqlalchemy import bindparam
from wtforms.validators import Email

from ..directory import diff, importer, services
from ..directory.models import WEEKDAYS
from ..extensions import db
from ..forms import validate_url
from ..tasks import enqueue
from ..timeutil import utcnow
from .models import Feed, FeedRecord, FeedRun

log = logging.getLogger("portal.exchange.feeds")

PER_PAGE = 50
MAX_PAGES = 40
MAX_RECORDS = 1000  # services read in one run
MAX_RESPONSE_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 3
CONNECT_TIMEOUT, READ_TIMEOUT = 5, 15  # seconds, each request
RUN_DEADLINE = 600  # seconds, the whole run
MAX_ID_LENGTH = 100
USER_AGENT = "CommunityPartnershipPortal-FeedImport/1.0"
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)")
STATUSES = {
    "active": "active",
    "temporarily closed": "temporarily closed",
    "inactive": "inactive",
    "defunct": "inactive",
}
CHARITY_SCHEMES = {"GB-CHC", "GB-SC", "GB-NIC"}
LINE_RE = re.compile(r"\bline (\d+) \(")


class FeedError(Exception):
    """The feed as a whole cannot be read; the message says why, for the officer."""


class FeedTooSlow(FeedError):
    """The run's time is up: nothing more is read."""


# --- Reading a feed --------------------------------------------------------------------------------------


def add_feed(name, url, refresh, created_by_id):
    """A feed to import from, committed (check it with a dry run before importing)."""
    feed = Feed(name=name.strip(), url=url, refresh=refresh, created_by_id=created_by_id)
    db.session.add(feed)
    db.session.commit()
    return feed


def update_feed(feed, name, url, refresh):
    feed.name, feed.url, feed.refresh = name.strip(), url, refresh
    db.session.commit()


def check_feed_url(url):
    """The feed's base address, normalised, or ValueError with a message for the form."""
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("Enter the feed's web address, starting with https://, like https://example.org/api/v3")
    if parts.username or parts.password:
        raise ValueError("Enter the address without a user name or password in it")
    if parts.query or parts.fragment:
        raise ValueError("Enter the address of the API itself, without ? or # parts")
    return url


def _private(host):
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError) as exc:
        raise FeedError(f"The feed's server {host} cannot be found") from exc
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            return True
    return False


class FeedClient:
    def __init__(self, base_url, *, allow_private=False, deadline=None):
        self.base_url = check_feed_url(base_url)
        self.allow_private = allow_private
        self.deadline = deadline or time.monotonic() + RUN_DEADLINE
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT})
        self.session.trust_env = False  # no proxies or .netrc from the server's environment

    def get_json(self, path, params=None):
        url = f"{self.base_url}{path}"
        for _ in range(MAX_REDIRECTS + 1):
            if time.monotonic() > self.deadline:
                raise FeedTooSlow(f"The feed took longer than {RUN_DEADLINE // 60} minutes, so the run stopped")
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FeedError(f"The feed sent us to {url[:100]}, which is not a web address (http or https)")
            if not self.allow_private and _private(parts.hostname):
                raise FeedError(
                    f"The feed's address {parts.hostname} is on a private network, which the portal does not read"
                )
            try:
                response = self.session.get(
                    url, params=params, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), allow_redirects=False, stream=True
                )
            except requests.Timeout as exc:
                raise FeedError(f"The feed did not answer within {READ_TIMEOUT} seconds") from exc
            except requests.RequestException as exc:
                raise FeedError(f"The feed could not be reached ({exc.__class__.__name__})") from exc
            with response:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("Location", ""))
                    params = None  # the new address is complete
                    continue
                if response.status_code == 404:
                    return None
                if response.status_code != 200:
                    raise FeedError(f"The feed answered {response.status_code} for {path}")
                body = self._read(response)
            try:
                return json.loads(body)
            except (ValueError, RecursionError) as exc:  # RecursionError: "[[[[..." nested too deep
                raise FeedError(f"The feed's answer for {path} is not JSON") from exc
        raise FeedError(f"The feed redirected more than {MAX_REDIRECTS} times")

    def _read(self, response):
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
            raise FeedError(f"The feed's answer is larger than {MAX_RESPONSE_BYTES // (1024 * 1024)}MB")
        body = bytearray()
        try:
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_RESPONSE_BYTES:
                    raise FeedError(f"The feed's answer is larger than {MAX_RESPONSE_BYTES // (1024 * 1024)}MB")
                if time.monotonic() > self.deadline:
                    raise FeedTooSlow(f"The feed took longer than {RUN_DEADLINE // 60} minutes, so the run stopped")
        except requests.RequestException as exc:
            raise FeedError(f"The feed's answer was cut off ({exc.__class__.__name__})") from exc
        return bytes(body)


def _list(value):
    return value if isinstance(value, list) else []


def _dict(value):
    return value if isinstance(value, dict) else {}


def _remote_id(value):
    return value if isinstance(value, str) and 0 < len(value) <= MAX_ID_LENGTH else None


def read_feed(client, notes):
    """Every service of the feed, in full, grouped by organisation: [(remote org id, [service dicts])].
    Records that cannot be read become entries with an "unreadable" note instead."""
    ids, seen, page, total_pages = [], set(), 1, None
    while page <= MAX_PAGES:
        body = client.get_json("/services", {"page": page, "per_page": PER_PAGE})
        if not isinstance(body, dict) or not isinstance(body.get("contents"), list):
            raise FeedError("The feed's /services answer is not an Open Referral UK page (no contents list)")
        for item in body["contents"]:
            remote = _remote_id(item.get("id")) if isinstance(item, dict) else None
            if remote is None:
                notes.append(f"Page {page}: an item without a usable id was skipped")
            elif remote not in seen and len(ids) <= MAX_RECORDS:
                seen.add(remote)
                ids.append(remote)
        total_pages = body.get("total_pages") if isinstance(body.get("total_pages"), int) else None
        if not body["contents"] or body.get("last_page") is True or (total_pages is not None and page >= total_pages):
            break
        if len(ids) >= MAX_RECORDS:
            break
        page += 1
    else:
        notes.append(f"Only the first {MAX_PAGES} pages were read")
    if len(ids) > MAX_RECORDS:
        notes.append(f"Only the first {MAX_RECORDS} services were read")
        ids = ids[:MAX_RECORDS]

    groups, unreadable = {}, []
    for remote in ids:
        try:
            full = client.get_json(f"/services/{requests.utils.quote(remote, safe='')}")
        except FeedTooSlow:
            raise
        except FeedError as exc:
            unreadable.append((remote, str(exc)))
            continue
        if not isinstance(full, dict) or not isinstance(full.get("name"), str):
            unreadable.append((remote, "The feed's answer for this service is not a service"))
            continue
        org = _dict(full.get("organization"))
        key = _remote_id(org.get("id")) or _remote_id(full.get("organization_id")) or f"service:{remote}"
        groups.setdefault(key, []).append(full)
    return list(groups.items()), unreadable


# --- From ORUK to the directory's import columns ---------------------------------------------------------


def text(value, single_line=True):
    if not isinstance(value, str):
        return ""
    value = CONTROL_RE.sub("", value).strip()
    return " ".join(value.split()) if single_line else value


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _identifiers(org):
    charity = company = ""
    for item in _list(org.get("organization_identifiers")):
        if not isinstance(item, dict):
            continue
        scheme, kind, value = (
            text(item.get("identifier_scheme")).upper(),
            text(item.get("identifier_type")).lower(),
            text(item.get("identifier")),
        )
        if not charity and (scheme in CHARITY_SCHEMES or "charity" in kind):
            charity = value
        elif not company and (scheme == "GB-COH" or "company" in kind):
            company = value
    return charity, company


def _address(service):
    for link in _list(service.get("service_at_locations")):
        for address in _list(_dict(_dict(link).get("location")).get("addresses")):
            if isinstance(address, dict) and text(address.get("address_1")) and text(address.get("postal_code")):
                return text(address.get("address_1")), text(address.get("city")), text(address.get("postal_code"))
    return "", "", ""


def _hours(service, notes):
    hours = {}
    for item in _list(service.get("schedules")):
        if not isinstance(item, dict):
            continue
        opens, closes = TIME_RE.match(text(item.get("opens_at"))), TIME_RE.match(text(item.get("closes_at")))
        days = [d.strip().upper() for d in text(item.get("byday")).split(",") if d.strip()]
        if text(item.get("freq")).upper() != "WEEKLY" or not days or not opens or not closes:
            notes.append(
                "An opening time that is not weekly on named days was left out: "
                + (text(item.get("description"))[:80] or "no description")
            )
            continue
        for day in days:
            if day not in WEEKDAYS:
                notes.append(f"“{day[:10]}” is not a day; that opening was left out")
                continue
            weekday = WEEKDAYS.index(day)
            slot = {
                "weekday": weekday,
                "opens_at": f"{int(opens[1]):02d}:{opens[2]}",
                "closes_at": f"{int(closes[1]):02d}:{closes[2]}",
            }
            # Several openings a day are kept ("10:00-12:00, 14:00-16:00"); one that overlaps another is not.
            same_day = hours.setdefault(weekday, [])
            if any(
                slot["opens_at"] < other["closes_at"] and other["opens_at"] < slot["closes_at"] for other in same_day
            ):
                notes.append(f"An opening on {calendar.day_name[weekday]} that overlaps another that day was left out")
                continue
            same_day.append(slot)
    return importer.format_opening_hours([slot for day in sorted(hours) for slot in hours[day]])


def _categories(service, vocabulary, notes):
    names, unknown = [], []
    for item in _list(service.get("attributes")):
        name = text(_dict(_dict(item).get("taxonomy_term")).get("name"))
        if not name:
            continue
        if name.lower() in vocabulary.terms["category"]:
            if name not in names:
                names.append(name)
        elif name not in unknown:
            unknown.append(name)
    if unknown:
        notes.append("Terms that are not directory categories were left out: " + ", ".join(unknown[:10]))
    return "; ".join(names)


def import_values(service, vocabulary, notes):
    """The directory CSV import's columns for one ORUK service and its organisation."""
    org = _dict(service.get("organization"))
    charity, company = _identifiers(org)
    address_1, city, postcode = _address(service)
    status = text(service.get("status")).lower()
    return {
        "name": text(org.get("name")) or text(service.get("name")),
        "description": text(org.get("description"), single_line=False),
        "kind": "",
        "status": STATUSES.get(status, status),
        "email": text(org.get("email")),
        "website": text(org.get("website")),
        "phone": "",
        "charity_number": charity,
        "company_number": company,
        "service_name": text(service.get("name")),
        "service_description": text(service.get("description"), single_line=False),
        "categories": _categories(service, vocabulary, notes),
        "address_1": address_1,
        "address_2": "",
        "city": city,
        "postcode": postcode,
        "confidential": "no",
        "accessibility": "",
        "opening_hours": _hours(service, notes),
        "minimum_age": _number(service.get("minimum_age")),
        "maximum_age": _number(service.get("maximum_age")),
        "legacy_id": "",
    }


_email_rule = Email()


def _service_contact(service, data):
    """The service's own web page and e-mail, when they pass the listing form's checks."""
    url, email = text(service.get("url")), text(service.get("email"))
    if url and len(url) <= 500 and not importer._form_rule(validate_url, url):
        data["url"] = url
    if email and len(email) <= 254 and not importer._form_rule(_email_rule, email):
        data["email"] = email.lower()


def build_listing(line, group, vocabulary):
    """(importer Row, notes) for one remote organisation and its services; row.data is the snapshot."""
    notes = []
    first, *others = group
    row = importer.build_row(line, import_values(first, vocabulary, notes), vocabulary)
    if row.data is None:
        return row, notes
    if row.data["services"]:
        _service_contact(first, row.data["services"][0])
    for extra in others:
        more = importer.build_row(line, import_values(extra, vocabulary, notes), vocabulary)
        if more.data is None:
            for problem in more.problems:
                row.problem(problem["field"], f"Service “{text(extra.get('name'))[:60]}”: {problem['problem']}")
            continue
        service = more.data["services"][0]
        _service_contact(extra, service)
        service["locations"] = [0] if row.data["locations"] else []
        row.data["services"].append(service)
    if row.problems:
        row.data = None
    return row, notes


# --- A run -----------------------------------------------------------------------------------------------


@dataclass
class RunReport:
    records: list = field(default_factory=list)  # {"remote_id", "name", "outcome", "problems", "notes", "listing"}
    notes: list = field(default_factory=list)
    error: str | None = None

    def count(self, *outcomes):
        return sum(1 for record in self.records if record["outcome"] in outcomes)

    def summary(self, dry_run):
        if self.error:
            return self.error[:255]
        parts = [
            (self.count("created", "would create"), "new"),
            (self.count("updated", "would update"), "updated"),
            (self.count("unchanged"), "unchanged"),
            (self.count("duplicate"), "duplicates"),
            (self.count("refused", "unreadable"), "with problems"),
            (self.count("kept"), "changed here, kept"),
            (self.count("missing"), "no longer in the feed"),
        ]
        text_ = ", ".join(f"{n} {what}" for n, what in parts if n) or "nothing in the feed"
        return (("Dry run: " if dry_run else "") + text_)[:255]


def _entry(remote_id, name, outcome, problems=(), notes=(), listing=None):
    return {
        "remote_id": remote_id,
        "name": name,
        "outcome": outcome,
        "problems": list(problems),
        "notes": list(notes),
        "listing": listing,
    }


def _with_ids(new, old):
    """`new` snapshot with the existing listing's service and location uuids, so a refresh edits in place.
    Open Referral feeds carry no holiday closures: a service keeps the ones entered here."""
    for items in ("services", "locations"):
        for new_item, old_item in zip(new[items], old[items], strict=False):
            new_item["uuid"] = old_item.get("uuid")
            if items == "services" and "closures" not in new_item:
                new_item["closures"] = old_item.get("closures", [])
    return new


def _comparable(data):
    return json.dumps(
        {
            **data,
            "services": [{k: v for k, v in s.items() if k != "uuid"} for s in data["services"]],
            "locations": [{k: v for k, v in loc.items() if k != "uuid"} for loc in data["locations"]],
        },
        sort_keys=True,
        default=str,
    )


def run(feed, *, dry_run=True, user=None, client=None):
    """Read `feed` and (unless `dry_run`) create and refresh its listings in the session; the caller commits.
    Returns a RunReport."""
    report = RunReport()
    client = client or FeedClient(feed.url, allow_private=current_app.config.get("FEED_ALLOW_PRIVATE_ADDRESSES", False))
    try:
        groups, unreadable = read_feed(client, report.notes)
    except FeedError as exc:
        report.error = str(exc)
        return report
    for remote, problem in unreadable:
        report.records.append(_entry(remote, "", "unreadable", [problem]))

    vocabulary = importer.Vocabulary()
    duplicates = importer.DuplicateFinder()
    known = {
        record.remote_id: record
        for record in db.session.scalars(db.select(FeedRecord).where(FeedRecord.feed_id == feed.id))
    }
    now = utcnow()
    with db.session.no_autoflush:
        for line, (remote, group) in enumerate(groups, start=1):
            row, notes = build_listing(line, group, vocabulary)
            name = row.values.get("name", "")
            if row.data is None:
                problems = [f"{p['field'] or 'record'}: {p['problem']}" for p in row.problems]
                report.records.append(_entry(remote, name, "refused", problems, notes))
                continue
            record = known.get(remote)
            if record is not None:
                report.records.append(_refresh(feed, record, row, notes, dry_run, user, now))
                continue
            duplicates.check(row)
            if row.problems:
                # The CSV import's words for an earlier row ("line 3 (name)") said of a feed's record.
                problems = [LINE_RE.sub(r"record \1 of this feed (", p["problem"]) for p in row.problems]
                listing = next((p["listing"] for p in row.problems if p.get("listing")), None)
                report.records.append(_entry(remote, name, "duplicate", problems, notes, listing))
                continue
            if dry_run:
                report.records.append(_entry(remote, name, "would create", notes=notes))
                continue
            organisation = services.create_organisation(row.data, user, summary=f"Imported from the feed {feed.name}")
            # Another directory checked it, not us: it is due a check by its group.
            organisation.last_verified_at = None
            db.session.flush()
            db.session.add(
                FeedRecord(
                    feed_id=feed.id,
                    remote_id=remote,
                    organisation_id=organisation.id,
                    imported_version=organisation.version,
                    first_imported_at=now,
                    last_refreshed_at=now,
                )
            )
            report.records.append(_entry(remote, name, "created", notes=notes, listing=organisation.slug))
    if not report.notes:  # the whole feed was read, so what it no longer has is known
        seen = {remote for remote, _group in groups} | {remote for remote, _problem in unreadable}
        for remote, record in sorted(known.items()):
            if remote not in seen:
                report.records.append(
                    _entry(
                        remote,
                        record.organisation.name,
                        "missing",
                        [
                            "No longer in the feed: the listing was left as it is. Check whether the organisation has closed."
                        ],
                        listing=record.organisation.slug,
                    )
                )
    return report


def _refresh(feed, record, row, notes, dry_run, user, now):
    organisation = record.organisation
    name = row.values.get("name", "")
    if organisation.version != record.imported_version:
        return _entry(
            record.remote_id,
            name,
            "kept",
            ["Changed in the directory since it was imported, so the feed's version was not written"],
            notes,
            organisation.slug,
        )
    current = services.snapshot(organisation)
    new = _with_ids(row.data, current)
    if _comparable(new) == _comparable(current):
        if not dry_run:
            record.last_refreshed_at = now
        return _entry(record.remote_id, name, "unchanged", notes=notes, listing=organisation.slug)
    if dry_run:
        return _entry(record.remote_id, name, "would update", notes=notes, listing=organisation.slug)
    changed = diff.changed_labels(current, new)
    services.publish(organisation, new, user, summary=f"Refreshed from the feed {feed.name}")
    record.imported_version, record.last_refreshed_at = organisation.version, now
    return _entry(
        record.remote_id,
        name,
        "updated",
        [f"Changed: {', '.join(changed[:12])}"] if changed else [],
        notes,
        organisation.slug,
    )


def execute(run_id):
    """Carry out a queued FeedRun (the background task, or the caller in tests) and keep its report."""
    feed_run = db.session.get(FeedRun, run_id)
    if feed_run is None or feed_run.status != "queued":
        return
    feed_run.status = "running"
    db.session.commit()
    feed = feed_run.feed
    try:
        report = run(feed, dry_run=feed_run.dry_run, user=feed_run.requested_by)
        if report.error and not feed_run.dry_run:
            db.session.rollback()
        status = "failed" if report.error else "done"
    except Exception:
        db.session.rollback()
        log.exception("feed import failed", extra={"feed_id": feed.id, "run_id": run_id})
        report, status = (
            RunReport(error="Something went wrong while importing; nothing was saved. Try again later."),
            "failed",
        )
    feed_run = db.session.get(FeedRun, run_id)
    feed_run.status, feed_run.finished_at = status, utcnow()
    feed_run.report = json.dumps(asdict(report))
    feed_run.summary = report.summary(feed_run.dry_run)
    feed_run.feed.last_run_at = feed_run.finished_at
    db.session.commit()


def queue_run(feed, *, dry_run, user=None, scheduled=False):
    feed_run = FeedRun(feed_id=feed.id, dry_run=dry_run, scheduled=scheduled, requested_by_id=user.id if user else None)
    db.session.add(feed_run)
    db.session.commit()
    enqueue("exchange.run_feed", feed_run.id)
    return feed_run


REFRESH_AFTER = {"daily": 23 * 3600, "weekly": 6 * 24 * 3600 + 23 * 3600}  # an hour's slack for the hourly check


def feeds_due(now=None):
    now = now or utcnow()
    due = []
    for feed in db.session.scalars(db.select(Feed).where(Feed.refresh.in_(tuple(REFRESH_AFTER)))):
        if is_due(feed, now):
            due.append(feed)
    return due


def is_due(feed, now):
    if feed.refresh not in REFRESH_AFTER:
        return False
    return feed.last_run_at is None or (now - feed.last_run_at).total_seconds() >= REFRESH_AFTER[feed.refresh]


LOST_AFTER = 30 * 60  # seconds: a run queued or running this long has lost its worker (runs stop at 10 minutes)


def run_in_progress(feed, now=None):
    """The id of the feed's run that is queued or running (and not lost), or None."""
    since = (now or utcnow()) - timedelta(seconds=LOST_AFTER)
    return db.session.scalar(
        db.select(FeedRun.id).where(
            FeedRun.feed_id == feed.id, FeedRun.status.in_(("queued", "running")), FeedRun.created_at > since
        )
    )


def refresh_due_feeds(now=None):
    """The periodic job: import every feed whose refresh is due (and is not being read already). Returns the
    number queued."""
    queued = 0
    for feed in feeds_due(now):
        # Every task worker runs this job; the feed's row lock (PostgreSQL) makes the check and the queueing one
        # step, so two workers never import the same feed side by side. SQLite refuses the second writer instead.
        db.session.execute(db.select(Feed.id).where(Feed.id == feed.id).with_for_update())
        db.session.refresh(feed)
        if is_due(feed, now or utcnow()) and run_in_progress(feed, now) is None:
            queue_run(feed, dry_run=False, scheduled=True)
            queued += 1
        else:
            db.session.rollback()
    return queued


@functools.cache
def _source_statement():
    # Built once a process, and plain columns rather than models: every listing page asks (issue 16).
    return (
        db.select(Feed.name, FeedRecord.first_imported_at, FeedRecord.last_refreshed_at)
        .join(FeedRecord, FeedRecord.feed_id == Feed.id)
        .where(FeedRecord.organisation_id == bindparam("organisation_id"))
        .order_by(FeedRecord.id)
        .limit(1)
    )


def source_of(organisation):
    """(feed, record) the listing was imported from, or None: the feed's `name`, and when the record was
    `first_imported_at` and `last_refreshed_at`."""
    if organisation is None or organisation.id is None:
        return None
    found = db.session.execute(_source_statement(), {"organisation_id": organisation.id}).first()
    if found is None:
        return None
    name, first_imported_at, last_refreshed_at = found
    return SimpleNamespace(name=name), SimpleNamespace(
        first_imported_at=first_imported_at, last_refreshed_at=last_refreshed_at
    )
