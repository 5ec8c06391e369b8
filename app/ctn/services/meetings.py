"""CTN meetings as officers keep them: the meeting itself, its agenda, minutes, actions, and the theme plan."""

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy.orm import joinedload

from ...assets.models import CommunityAsset
from ...datacache import cached
from ...extensions import db
from ...places.services import normalise_postcode
from ...timeutil import utcnow
from ..models import CANCELLED, SEASONS, AgendaItem, Meeting, MeetingAction, SteeringSeat, ThemePlanEntry
from .membership_figures import member_count
from .registrations import london_to_utc, promote_after_capacity_change, ward_for_postcode


@dataclass
class MeetingDetails:
    """What the officers' meeting form says about a meeting (free text as typed; it is trimmed here)."""

    kind: str
    title: str
    day: date
    start: time
    end: time
    theme: str = ""
    description: str = ""
    asset_id: int | None = None
    venue_name: str = ""
    venue_address: str = ""
    venue_postcode: str = ""
    online_details: str = ""
    capacity: int | None = None
    registration_open: bool = True
    published: bool = True
    status: str = ""


def _apply_meeting_details(meeting, details):
    meeting.kind = details.kind
    meeting.title = details.title.strip()
    meeting.theme = (details.theme or "").strip()
    meeting.description = (details.description or "").strip()
    meeting.starts_at = london_to_utc(details.day, details.start)
    meeting.ends_at = london_to_utc(details.day, details.end)
    asset = db.session.get(CommunityAsset, details.asset_id) if details.asset_id else None
    meeting.asset_id = asset.id if asset else None
    # A listed space fills in whatever of the venue the officer left empty.
    meeting.venue_name = (details.venue_name or "").strip() or (asset.name if asset else "")
    meeting.venue_address = (details.venue_address or "").strip() or (asset.address if asset else "")
    meeting.venue_postcode = normalise_postcode(details.venue_postcode) or (
        asset.postcode if asset and asset.postcode else ""
    )
    meeting.ward_code = ward_for_postcode(meeting.venue_postcode) if meeting.venue_postcode else None
    meeting.online_details = (details.online_details or "").strip()
    meeting.capacity = details.capacity
    meeting.registration_open = details.registration_open
    meeting.published = details.published
    meeting.status = details.status
    meeting.sequence = (meeting.sequence or 0) + 1


def create_meeting(details):
    """A new meeting (calendar sequence 0), committed."""
    meeting = Meeting()
    _apply_meeting_details(meeting, details)
    meeting.sequence = 0
    db.session.add(meeting)
    db.session.commit()
    return meeting


def update_meeting(meeting, details):
    """Save the meeting's new details; when it now has more places (or no limit), people move up from the
    waiting list. Returns the registrations that moved up."""
    old_capacity = meeting.capacity
    _apply_meeting_details(meeting, details)
    db.session.commit()
    if meeting.capacity is None or (old_capacity is not None and meeting.capacity > old_capacity):
        return promote_after_capacity_change(meeting)
    return []


def add_agenda_item(meeting, title, speaker="", organisation_id=None, organisation_name=""):
    """An item at the end of the agenda, by a directory organisation or one named by hand."""
    position = max((item.position for item in meeting.agenda_items), default=0) + 1
    item = AgendaItem(
        meeting=meeting,
        position=position,
        title=title.strip(),
        speaker=(speaker or "").strip(),
        organisation_id=organisation_id or None,
        organisation_name="" if organisation_id else (organisation_name or "").strip(),
    )
    db.session.add(item)
    meeting.sequence = (meeting.sequence or 0) + 1
    db.session.commit()
    return item


def remove_agenda_item(item):
    item.meeting.sequence = (item.meeting.sequence or 0) + 1
    db.session.delete(item)
    db.session.commit()


def save_minutes(meeting, minutes, publish):
    """The minutes as written; they are published only when asked and there are some."""
    meeting.minutes = (minutes or "").strip()
    meeting.minutes_published = publish and bool(meeting.minutes)
    db.session.commit()


def add_action(meeting, description, owner, due_on):
    action = MeetingAction(meeting=meeting, description=description.strip(), owner=owner.strip(), due_on=due_on)
    db.session.add(action)
    db.session.commit()
    return action


def toggle_action_done(action, today):
    """Mark an open action done today, or reopen a done one."""
    action.done_on = None if action.done_on else today
    db.session.commit()


def theme_plan(year):
    """The year's theme plan entries in season order."""
    rows = db.session.scalars(db.select(ThemePlanEntry).where(ThemePlanEntry.year == year)).all()
    return sorted(rows, key=lambda row: row.season_order)


def theme_plan_years():
    """The years that have a theme plan, latest first."""
    return db.session.scalars(db.select(ThemePlanEntry.year).distinct().order_by(ThemePlanEntry.year.desc())).all()


def save_theme_plan(year, themes, agreed_on):
    """Set the year's plan to `themes` ({season: theme}); a season left blank is taken out of the plan."""
    existing = {e.season: e for e in theme_plan(year)}
    for season in SEASONS:
        theme = (themes.get(season) or "").strip()
        entry = existing.get(season)
        if theme and entry is None:
            db.session.add(ThemePlanEntry(year=year, season=season, theme=theme, agreed_on=agreed_on))
        elif theme:
            entry.theme, entry.agreed_on = theme, agreed_on
        elif entry is not None:
            db.session.delete(entry)
    db.session.commit()


# --- The network's front page ---------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeFacts:
    season: str
    theme: str


@dataclass(frozen=True)
class SeatFacts:
    title: str
    role_label: str
    organisation: object  # OrganisationFacts or None


@dataclass(frozen=True)
class OrganisationFacts:
    name: str
    slug: str
    published: bool


@dataclass(frozen=True)
class MeetingFacts:
    id: int
    title: str
    starts_at: object
    ends_at: object
    venue_name: str | None


@dataclass(frozen=True)
class FrontPage:
    plan_year: int | None
    plan: tuple  # ThemeFacts in season order
    seats: tuple  # SeatFacts, in the Steering Group's order
    meetings: tuple  # MeetingFacts: every published meeting not cancelled and not over when read, soonest first
    members: int

    def upcoming(self, now, limit=4):
        """The next meetings not over at `now` (a meeting ends while the facts are kept)."""
        return [meeting for meeting in self.meetings if meeting.ends_at >= now][:limit]


@cached("ctn front page", ("ctn", "directory"))
def front_page():
    """What the CTN's front page shows, as plain values kept under the versions of the network's data and
    the directory (a seat names an organisation): four statements once per version, not per view (issue 16).
    Membership counts also depend on the clock: the cache keeps them no longer than DATA_CACHE_SECONDS, as
    for the home page's figure."""
    plan_year = db.session.scalar(db.select(db.func.max(ThemePlanEntry.year)))
    seats = db.session.scalars(
        db.select(SteeringSeat)
        .options(joinedload(SteeringSeat.organisation))
        .order_by(SteeringSeat.position, SteeringSeat.id)
    ).all()
    meetings = db.session.scalars(
        db.select(Meeting)
        .where(Meeting.published.is_(True), Meeting.ends_at >= utcnow(), Meeting.status != CANCELLED)
        .order_by(Meeting.starts_at)
    ).all()
    return FrontPage(
        plan_year=plan_year,
        plan=tuple(ThemeFacts(entry.season, entry.theme) for entry in theme_plan(plan_year)) if plan_year else (),
        seats=tuple(
            SeatFacts(
                seat.title,
                seat.role_label,
                OrganisationFacts(seat.organisation.name, seat.organisation.slug, seat.organisation.published)
                if seat.organisation
                else None,
            )
            for seat in seats
        ),
        meetings=tuple(MeetingFacts(m.id, m.title, m.starts_at, m.ends_at, m.venue_name) for m in meetings),
        members=member_count(),
    )
