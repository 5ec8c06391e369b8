"""Demo data for the CTN, loaded from seed/demo_data.py (each record there quotes its seed file:line).

- the 2018 Steering Group meeting and the 2019 open meetings of 002 section 3.10 (002_6240a75a79bed02c.txt:136,
  164-169), with their venues, themes, agendas and attendance as the annual report gives them;
- the 2019 theme plan (002_6240a75a79bed02c.txt:136-141) and the Steering Group's core seats (002 section 2.4.1);
- a handful of clearly fictitious members (example.org addresses) so that the dashboard has something to show.
  The real list (1,261 people, 002_6240a75a79bed02c.txt:114) is not reproduced; the annual report figures
  the portal shows are always counted from the member rows.
"""

from datetime import date, datetime, time

from ..assets.models import CommunityAsset
from ..directory.models import Organisation
from ..extensions import db
from .models import (
    CONFIRMED,
    HELD,
    SCHEDULED,
    STEERING_GROUP,
    AgendaItem,
    Consent,
    Meeting,
    Member,
    SteeringSeat,
    ThemePlanEntry,
    email_key,
)
from .services import london_to_utc, ward_for_postcode

ROLE_KEYS = {"chair": "chair", "vice chair": "vice_chair", "core member": "core_member"}

# Fictitious people (example.org), spread over 2019 so the growth chart has a shape. Not from the seeds.
DEMO_MEMBERS = [
    (
        "Alex Example",
        "alex.example@example.org",
        "vcfs",
        "Barnet Together",
        ["funding", "volunteering"],
        date(2019, 1, 14),
    ),
    (
        "Sam Sample",
        "sam.sample@example.org",
        "faith",
        "Barnet Multi Faith Forum",
        ["community_safety"],
        date(2019, 2, 2),
    ),
    ("Jo Placeholder", "jo.placeholder@example.org", "council_officer", "", ["emergency_planning"], date(2019, 3, 7)),
    (
        "Chris Demo",
        "chris.demo@example.org",
        "business",
        "Federation of Small Businesses",
        ["funding"],
        date(2019, 3, 7),
    ),
    (
        "Pat Fictional",
        "pat.fictional@example.org",
        "statutory_partner",
        "Metropolitan Police",
        ["community_safety", "emergency_planning"],
        date(2019, 4, 20),
    ),
    ("Robin Madeup", "robin.madeup@example.org", "vcfs", "", ["mental_health", "food_security"], date(2019, 6, 6)),
    ("Morgan Testcase", "morgan.testcase@example.org", "council_officer", "", ["consultations"], date(2019, 6, 6)),
    ("Taylor Notreal", "taylor.notreal@example.org", "councillor", "", ["community_safety"], date(2019, 7, 15)),
    ("Jamie Invented", "jamie.invented@example.org", "vcfs", "", ["mental_health"], date(2019, 9, 19)),
    ("Casey Specimen", "casey.specimen@example.org", "faith", "", ["food_security", "volunteering"], date(2019, 9, 19)),
    ("Drew Mock", "drew.mock@example.org", "vcfs", "", ["events"], date(2019, 10, 3)),
    (
        "Avery Dummy",
        "avery.dummy@example.org",
        "statutory_partner",
        "London Fire Brigade",
        ["emergency_planning"],
        date(2019, 11, 1),
    ),
]
DEMO_CONSENT = "Demo record: a fictitious person created for the demonstration site (not a real consent)."


def _organisation(name):
    if not name:
        return None
    return db.session.scalar(db.select(Organisation).where(Organisation.name == name))


def _venue(name):
    from seed.demo_data import VENUES  # the demo records are read only when demo data is loaded

    return next((v for v in VENUES if v["name"] == name), {})


def load_demo():
    from seed.demo_data import CTN_MEETINGS, CTN_STEERING_GROUP, CTN_THEME_PLAN  # read only when loading demo data

    added = {"meetings": 0, "themes": 0, "seats": 0, "members": 0}

    # 002_6240a75a79bed02c.txt:136-141 (each entry's "source" names its line)
    for entry in CTN_THEME_PLAN:
        exists = db.session.scalar(
            db.select(ThemePlanEntry.id).where(ThemePlanEntry.year == 2019, ThemePlanEntry.season == entry["season"])
        )
        if exists:
            continue
        db.session.add(
            ThemePlanEntry(
                year=2019,
                season=entry["season"],
                theme=entry["theme"],
                agreed_on=date(2018, 12, 10),  # 002_6240a75a79bed02c.txt:136
                source=entry["source"],
            )
        )
        added["themes"] += 1

    # 002_6240a75a79bed02c.txt:117 (section 2.4.1)
    for position, seat in enumerate(CTN_STEERING_GROUP):
        if db.session.scalar(db.select(SteeringSeat.id).where(SteeringSeat.title == seat["member"])):
            continue
        db.session.add(
            SteeringSeat(
                title=seat["member"],
                role=ROLE_KEYS.get(seat["role"], "core_member"),
                organisation=_organisation(seat["organisation"]),
                position=position,
                source=seat["source"],
            )
        )
        added["seats"] += 1

    # 002_6240a75a79bed02c.txt:136, 164-169 (section 3.2 and the table of section 3.10)
    for record in CTN_MEETINGS:
        uid = f"demo-{record['kind']}-{record['date'].isoformat()}"
        if db.session.scalar(db.select(Meeting.id).where(Meeting.uid == uid)):
            continue
        venue = _venue(record["venue"]) if record["venue"] else {}
        postcode = venue.get("postcode", "")
        held = record["attendees"] is not None or record["kind"] == STEERING_GROUP
        if record["kind"] == STEERING_GROUP:
            title = "CTN Steering Group annual meeting"
        else:
            title = f"CTN open meeting: {record['theme']}"
        meeting = Meeting(
            uid=uid,
            kind=record["kind"],
            title=title,
            theme=record["theme"],
            description="The CTN annual report 2019 gives the date of this meeting but not its time.",
            starts_at=london_to_utc(record["date"], time(10, 0)),
            ends_at=london_to_utc(record["date"], time(12, 0)),
            venue_name=record["venue"] or "",
            # The same space in the community assets register, when the assets demo has loaded it.
            asset_id=db.session.scalar(db.select(CommunityAsset.id).where(CommunityAsset.name == record["venue"]))
            if record["venue"]
            else None,
            venue_address=venue.get("address", "") if venue.get("address") != record["venue"] else "",
            venue_postcode=postcode,
            ward_code=ward_for_postcode(postcode) if postcode else None,
            registration_open=False,
            published=record["kind"] != STEERING_GROUP,
            status=HELD if held else SCHEDULED,
            extra_attendees=record["attendees"] or 0,
            attendance_recorded=record["attendees"] is not None,
            source=record["source"],
        )
        meeting.agenda_items = [AgendaItem(position=n, title=title_) for n, title_ in enumerate(record["agenda"], 1)]
        db.session.add(meeting)
        added["meetings"] += 1

    for name, email, sector, organisation, interests, joined in DEMO_MEMBERS:
        if db.session.scalar(db.select(Member.id).where(Member.email_key == email_key(email))):
            continue
        org = _organisation(organisation)
        member = Member(
            name=name,
            email=email,
            email_key=email_key(email),
            sector=sector,
            organisation=org,
            organisation_name="" if org else organisation,
            status=CONFIRMED,
            source="demo data",
            confirmed_at=london_to_utc(joined, time(12, 0)),
            created_at=datetime.combine(joined, time(11, 0)),
        )
        member.interest_rows = []
        member.interests = interests
        member.consents = [
            Consent(action="given", source="demo data", wording=DEMO_CONSENT, recorded_at=member.created_at)
        ]
        db.session.add(member)
        added["members"] += 1
    db.session.commit()
    return (
        "CTN: {meetings} meetings, {themes} themes, {seats} steering group seats, "
        "{members} fictitious members added.".format(**added)
    )
