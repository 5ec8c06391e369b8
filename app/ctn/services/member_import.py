"""CSV import of the existing CTN membership list."""

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ... import csvkit
from ...directory.models import Organisation
from ...extensions import db
from ...forms import control_characters
from ...places.models import WARD_SET_2022, Ward
from ...timeutil import utcnow
from ..models import (
    CONFIRMED,
    INTERESTS,
    PENDING,
    SECTOR_SHORT,
    SECTORS,
    SOURCE_IMPORT,
    Member,
    Suppression,
    email_key,
)
from .joining import MemberDetails, _apply_details, send_confirmation
from .registrations import london_to_utc
from .suppression import address_hash, address_problem, record_consent

# New members are written (flushed, not committed) this many at a time, so memory holds one chunk of them.
IMPORT_FLUSH_EVERY = 500
IMPORT_COLUMNS = ("name", "email", "organisation", "sector", "interests", "ward", "job_title", "joined")
SECTOR_ALIASES = {
    "vcfs": "vcfs",
    "vcs": "vcfs",
    "voluntary": "vcfs",
    "community": "vcfs",
    "charity": "vcfs",
    "voluntary or community sector (vcfs)": "vcfs",
    "voluntary and community sector": "vcfs",
    "faith": "faith",
    "faith group": "faith",
    "faith organisation": "faith",
    "business": "business",
    "businesses": "business",
    "council officer": "council_officer",
    "council_officer": "council_officer",
    "council": "council_officer",
    "officer": "council_officer",
    "lbb": "council_officer",
    "statutory partner": "statutory_partner",
    "statutory_partner": "statutory_partner",
    "statutory": "statutory_partner",
    "partner": "statutory_partner",
    "police": "statutory_partner",
    "fire": "statutory_partner",
    "health": "statutory_partner",
    "nhs": "statutory_partner",
    "ccg": "statutory_partner",
    "education": "statutory_partner",
    "councillor": "councillor",
    "cllr": "councillor",
    "member": "councillor",
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
    # The file is read a row at a time (an upload's stream, or bytes), never held whole.
    lines = csvkit.iter_file(io.BytesIO(raw) if isinstance(raw, (bytes, bytearray)) else raw)
    try:
        first = next(lines, None)
    except csvkit.CsvFileError as exc:
        report.problems.append((exc.line or 0, "file", str(exc)))
        return report
    if first is None:
        report.problems.append((0, "file", "The file is empty"))
        return report
    headers = {(h or "").strip().lower().replace(" ", "_"): index for index, h in enumerate(first[1])}
    missing = [c for c in ("name", "email", "sector") if c not in headers]
    if missing:
        report.problems.append((1, "header", f"The first row must name the columns; missing: {', '.join(missing)}"))
        return report
    organisations = {
        name.strip().lower(): org_id
        for org_id, name in db.session.execute(db.select(Organisation.id, Organisation.name))
    }
    wards = {}
    for code, name in db.session.execute(db.select(Ward.code, Ward.name).where(Ward.ward_set == WARD_SET_2022)):
        wards[code.lower()] = code
        wards[name.lower()] = code
    existing = set(db.session.scalars(db.select(Member.email_key)))
    suppressed = set(db.session.scalars(db.select(Suppression.email_hash)))
    seen = {}
    good = []
    try:
        for count, (number, cells) in enumerate(lines, start=1):
            if count > max_rows:
                report.problems.append((number, "file", f"The file has more than {max_rows} rows"))
                break
            _check_row(number, cells, headers, wards, organisations, existing, suppressed, seen, good, report)
    except csvkit.CsvFileError as exc:
        report.problems.append((exc.line or 0, "file", str(exc)))
        return report
    if report.problems and not skip_bad_rows:
        return report
    source = f"{SOURCE_IMPORT}: {filename}"[:120]
    created_ids, chunk = [], []
    for item in good:
        member = Member(email=item.details.email.strip(), email_key=email_key(item.details.email), source=source)
        member.interest_rows = []
        _apply_details(member, item.details)
        db.session.add(member)
        if status == CONFIRMED:
            member.status = CONFIRMED
            member.confirmed_at = london_to_utc(item.joined, time(12, 0)) if item.joined else utcnow()
            record_consent(member, "given", source, consent_wording)
        else:
            member.status = PENDING
            record_consent(member, "given", source, consent_wording)
        chunk.append(member)
        if len(chunk) >= IMPORT_FLUSH_EVERY:
            created_ids.extend(_flushed(chunk))
    created_ids.extend(_flushed(chunk))
    db.session.commit()  # one transaction: all the rows or none
    report.imported = len(created_ids)
    report.written = True
    if status != CONFIRMED:
        for start in range(0, len(created_ids), IMPORT_FLUSH_EVERY):
            ids = created_ids[start : start + IMPORT_FLUSH_EVERY]
            for member in db.session.scalars(db.select(Member).where(Member.id.in_(ids)).order_by(Member.id)).all():
                send_confirmation(member)
    return report


def _flushed(chunk):
    """Write a chunk of new members (inside the import's transaction) and let them go: the session keeps no
    strong hold on flushed rows, so a 20,000-row import holds one chunk of members at a time."""
    db.session.flush()
    ids = [member.id for member in chunk]
    chunk.clear()
    return ids


def _check_row(number, cells, headers, wards, organisations, existing, suppressed, seen, good, report):
    """Check one row of the member import: its problems go into `report`, a good row into `good`."""
    row = [csvkit.unguard(cell.strip()) for cell in cells]

    def get(column, row=row):
        index = headers.get(column)
        return row[index] if index is not None and index < len(row) else ""

    report.rows += 1
    row_problems = []
    name, email = get("name"), get("email")
    broken = [column for column in headers if column in IMPORT_COLUMNS and control_characters(get(column))]
    row_problems.extend(
        f"{column}: must be on one line: remove line breaks and control characters" for column in broken
    )
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
        return
    key = email_key(email)
    if key in seen:
        report.skipped.append((number, f"same email address as line {seen[key]}"))
        return
    seen[key] = number
    if key in existing:
        report.skipped.append((number, "already on the CTN list"))
        return
    if address_hash(email) in suppressed:
        report.skipped.append((number, "on the suppression list (unsubscribed, bounced or erased)"))
        return
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
