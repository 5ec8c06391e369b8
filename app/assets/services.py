"""Community assets and Assets of Community Value: logic that needs no request.

The statutory dates are pure functions of a start date and a period, so they can be tested exactly and
the periods can change in configuration (a bill proposes changing them). Periods are counted inclusively,
"beginning with" the day of receipt D:

- N weeks end on D + 7N - 1 (a notice received on a Friday gives a period that ends on a Thursday);
- N months end on the day before the same date N months later; when that later month has no such date
  (31 August + 6 months), the period ends on the last day of that month;
- N years are 12N months.

Worked example (issue 7): notice received Fri 10 Jan 2025 -> interim moratorium (6 weeks) ends Thu 20 Feb
2025, full moratorium (6 months) ends Wed 9 Jul 2025, protected period (18 months) ends Thu 9 Jul 2026; a
nomination received that day must be decided by Thu 6 Mar 2025 (8 weeks).
"""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app

from .. import csvkit
from ..extensions import db
from ..mailer import send_email
from ..places.services import lookup_postcode, normalise_postcode
from ..timeutil import to_london, utcnow
from .models import BODY_TYPES, AcvDisposalNotice, AcvNomination, CommunityAsset

# --- Periods -----------------------------------------------------------------------------------


def weeks_end(start: date, weeks: int) -> date:
    """The last day of a period of `weeks` weeks beginning with `start`."""
    if weeks < 1:
        raise ValueError("a period must be at least one week")
    return start + timedelta(days=7 * weeks - 1)


def months_end(start: date, months: int) -> date:
    """The last day of a period of `months` months beginning with `start`."""
    if months < 1:
        raise ValueError("a period must be at least one month")
    year, month_index = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        # No corresponding date (31 Aug + 6 months): the period ends on the last day of the month.
        return date(year, month, last_day)
    return date(year, month, start.day) - timedelta(days=1)


def years_end(start: date, years: int) -> date:
    """The last day of a period of `years` years beginning with `start`."""
    if years < 1:
        raise ValueError("a period must be at least one year")
    return months_end(start, 12 * years)


@dataclass(frozen=True)
class AcvPeriods:
    """The statutory periods (SI 2012/2421 and the Localism Act 2011), from the ACV_* settings in config.py."""

    decision_weeks: int
    listing_years: int
    review_request_weeks: int
    review_decision_weeks: int
    interim_moratorium_weeks: int
    full_moratorium_months: int
    protected_period_months: int

    @classmethod
    def from_config(cls, config: Mapping):
        return cls(**{name: int(config[f"ACV_{name.upper()}"]) for name in cls.__dataclass_fields__})


def decision_due(received_on: date, periods: AcvPeriods) -> date:
    """The last day for deciding a nomination received on `received_on` (8 weeks)."""
    return weeks_end(received_on, periods.decision_weeks)


def listing_expires(listed_on: date, periods: AcvPeriods) -> date:
    """The last day an asset stays on the list (5 years beginning with the day it was listed)."""
    return years_end(listed_on, periods.listing_years)


def review_request_deadline(owner_notified_on: date, periods: AcvPeriods) -> date:
    """The last day the owner may ask for a review of the listing (8 weeks from the listing notice)."""
    return weeks_end(owner_notified_on, periods.review_request_weeks)


def review_due(review_requested_on: date, periods: AcvPeriods) -> date:
    """The last day for the council's review decision (8 weeks from receiving the request)."""
    return weeks_end(review_requested_on, periods.review_decision_weeks)


@dataclass(frozen=True)
class MoratoriumDates:
    notice_received_on: date
    interim_ends: date
    protected_ends: date
    full_ends: date | None = None


class BidRequestOutOfTime(ValueError):
    """A request to be treated as a bidder only counts inside the interim moratorium."""


def moratorium_dates(notice_received_on: date, periods: AcvPeriods, bid_request_on: date | None = None):
    """Dates that follow an owner's notice of intended disposal.

    The full moratorium applies only when an eligible community interest group asks, within the interim
    moratorium, to be treated as a potential bidder; all periods begin with the day the notice is received.
    """
    interim = weeks_end(notice_received_on, periods.interim_moratorium_weeks)
    full = None
    if bid_request_on is not None:
        if not notice_received_on <= bid_request_on <= interim:
            raise BidRequestOutOfTime(
                f"A request to bid must be received between {notice_received_on:%-d %B %Y} and "
                f"{interim:%-d %B %Y} (the interim moratorium)"
            )
        full = months_end(notice_received_on, periods.full_moratorium_months)
    return MoratoriumDates(
        notice_received_on=notice_received_on,
        interim_ends=interim,
        protected_ends=months_end(notice_received_on, periods.protected_period_months),
        full_ends=full,
    )


# --- What officers must do this week --------------------------------------------------------------


def london_today():
    return to_london(utcnow()).date()


def week_containing(day: date):
    """(Monday, Sunday) of the week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class Deadline:
    due_on: date
    what: str
    nomination: object
    # True when the council must act by this date (a decision); False for dates that simply pass.
    action: bool = False


def deadlines_for(nomination):
    """The open dates of one nomination (any object with the nomination attributes)."""
    found = []
    if nomination.status in ("received", "valid") and nomination.decision_due:
        found.append(Deadline(nomination.decision_due, "Decision due on the nomination", nomination, True))
    if nomination.status == "listed":
        if nomination.listing_expires:
            found.append(Deadline(nomination.listing_expires, "Listing expires", nomination))
        if nomination.review_request_deadline and not nomination.review_requested_on:
            found.append(
                Deadline(nomination.review_request_deadline, "Owner's time to ask for a review ends", nomination)
            )
        if nomination.review_requested_on and not nomination.review_decided_on and nomination.review_due:
            found.append(Deadline(nomination.review_due, "Review decision due", nomination, True))
        for notice in getattr(nomination, "disposal_notices", []) or []:
            if not notice.bid_request_on:
                found.append(Deadline(notice.interim_ends, "Interim moratorium ends", nomination))
            if notice.full_ends:
                found.append(Deadline(notice.full_ends, "Full moratorium ends", nomination))
            found.append(Deadline(notice.protected_ends, "Protected period ends", nomination))
    return found


def due_between(nominations, start: date, end: date):
    """Deadlines falling from `start` to `end` inclusive, earliest first."""
    items = [d for n in nominations for d in deadlines_for(n) if start <= d.due_on <= end]
    return sorted(items, key=lambda d: (d.due_on, d.what))


def overdue(nominations, today: date):
    """Decisions the council should already have made."""
    items = [d for n in nominations for d in deadlines_for(n) if d.action and d.due_on < today]
    return sorted(items, key=lambda d: d.due_on)


# --- Eligibility ----------------------------------------------------------------------------------

# Localism Act 2011 s.89 and SI 2012/2421 regs 4-5: who may nominate land (BODY_TYPES, in models.py).
MIN_UNINCORPORATED_MEMBERS = 21
NON_DISTRIBUTING_TYPES = ("company_limited_by_guarantee", "community_benefit_society")
NUMBERED_TYPES = {
    "charity": "charity number",
    "company_limited_by_guarantee": "company number",
    "community_benefit_society": "society registration number",
    "cic": "company number",
}


def eligibility_problems(body_type, members_on_register=None, distributes_surplus=None, number=None):
    """Why a body may not nominate, as sentences; empty when it may."""
    problems = []
    if body_type not in BODY_TYPES:
        problems.append(
            "Select the kind of group making the nomination. Councils and other bodies not listed cannot nominate"
        )
        return problems
    if body_type == "unincorporated" and (members_on_register or 0) < MIN_UNINCORPORATED_MEMBERS:
        problems.append(
            f"An unincorporated group needs at least {MIN_UNINCORPORATED_MEMBERS} members who are on the "
            "electoral register in Barnet or a neighbouring borough"
        )
    if body_type in NON_DISTRIBUTING_TYPES and distributes_surplus is not False:
        problems.append("Only a company or society that does not distribute any surplus to its members can nominate")
    if body_type in NUMBERED_TYPES and not (number or "").strip():
        problems.append(f"Enter the {NUMBERED_TYPES[body_type]}")
    return problems


# --- Registers as CSV ---------------------------------------------------------------------------


def csv_text(header, rows):
    return csvkit.to_text(header, rows)


LISTED_HEADER = [
    "reference",
    "site",
    "address",
    "postcode",
    "ward",
    "proposed boundary",
    "nominated by",
    "received",
    "listed",
    "listing expires",
    "owner notified",
    "review request deadline",
    "review requested",
    "review due",
    "review outcome",
    "disposal notice received",
    "interim moratorium ends",
    "request to bid received",
    "full moratorium ends",
    "protected period ends",
]
UNSUCCESSFUL_HEADER = [
    "reference",
    "site",
    "address",
    "postcode",
    "ward",
    "nominated by",
    "received",
    "decided",
    "reasons",
]


def listed_rows(nominations):
    for n in nominations:
        notice = n.latest_disposal_notice
        yield [
            n.reference,
            n.site_name,
            n.site_address,
            n.site_postcode,
            n.ward.name if n.ward else "",
            n.boundary_description,
            n.body_name,
            n.received_on,
            n.listed_on,
            n.listing_expires,
            n.owner_notified_on,
            n.review_request_deadline,
            n.review_requested_on,
            n.review_due,
            n.review_outcome_label if n.review_decided_on else "",
            notice.received_on if notice else None,
            notice.interim_ends if notice else None,
            notice.bid_request_on if notice else None,
            notice.full_ends if notice else None,
            notice.protected_ends if notice else None,
        ]


def unsuccessful_rows(nominations):
    for n in nominations:
        yield [
            n.reference,
            n.site_name,
            n.site_address,
            n.site_postcode,
            n.ward.name if n.ward else "",
            n.body_name,
            n.received_on,
            n.decided_on,
            n.decision_reasons,
        ]


# --- Places --------------------------------------------------------------------------------------


@dataclass
class Place:
    postcode: str | None = None
    ward_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    found: bool = False
    extra: dict = field(default_factory=dict)


def place_for_postcode(value):
    """Normalised postcode, ward and position from the postcode table (position unknown if not there)."""
    postcode = normalise_postcode(value)
    if not postcode:
        return Place()
    row = lookup_postcode(postcode)
    if row is None:
        return Place(postcode=postcode)
    return Place(postcode=postcode, ward_code=row.ward_code, lat=row.lat, lon=row.lon, found=True)


# --- Database work (needs an app context, not a request) ----------------------------------------


def current_periods():
    return AcvPeriods.from_config(current_app.config)


class NotAllowedNow(ValueError):
    """The step does not fit the nomination's current state (shown to the officer as a message)."""


def create_nomination(received_on=None, **fields):
    received_on = received_on or london_today()
    place = place_for_postcode(fields.pop("site_postcode", None))
    nomination = AcvNomination(
        **fields,
        site_postcode=place.postcode,
        ward_code=place.ward_code,
        lat=place.lat,
        lon=place.lon,
        received_on=received_on,
        decision_due=decision_due(received_on, current_periods()),
    )
    db.session.add(nomination)
    db.session.flush()
    nomination.reference = f"ACV-{received_on.year}-{nomination.id:04d}"
    db.session.commit()
    send_email(
        "acv_nomination_received",
        nomination.contact_email,
        f"Asset of Community Value nomination {nomination.reference} received",
        nomination=nomination,
    )
    return nomination


def validate_nomination(nomination, valid, checked_on, note, officer):
    if nomination.status != "received":
        raise NotAllowedNow("This nomination has already been checked")
    nomination.validated_on = checked_on
    nomination.validation_note = (note or "").strip()
    if valid:
        nomination.status = "valid"
        db.session.commit()
    else:
        _decide(nomination, False, checked_on, "The nomination is not valid: " + nomination.validation_note, officer)


def decide_nomination(nomination, listed, decided_on, reasons, officer, asset=None):
    if nomination.status != "valid":
        raise NotAllowedNow("Only a nomination that has been checked and found valid can be decided")
    if decided_on < nomination.received_on:
        raise NotAllowedNow("The date of decision cannot be before the nomination was received")
    nomination.asset = asset
    _decide(nomination, listed, decided_on, reasons, officer)


def _decide(nomination, listed, decided_on, reasons, officer):
    nomination.status = "listed" if listed else "not_listed"
    nomination.decided_on = decided_on
    nomination.decision_reasons = (reasons or "").strip()
    nomination.decided_by = officer
    if listed:
        nomination.listed_on = decided_on
        nomination.listing_expires = listing_expires(decided_on, current_periods())
    db.session.commit()
    send_email(
        "acv_decision",
        nomination.contact_email,
        f"Decision on Asset of Community Value nomination {nomination.reference}",
        nomination=nomination,
    )


def record_owner_notified(nomination, on):
    if nomination.status != "listed":
        raise NotAllowedNow("The owner is notified only once the land is listed")
    if on < nomination.listed_on:
        raise NotAllowedNow("The owner cannot be notified before the land was listed")
    nomination.owner_notified_on = on
    nomination.review_request_deadline = review_request_deadline(on, current_periods())
    db.session.commit()


def record_review_request(nomination, on):
    if nomination.status != "listed" or nomination.review_requested_on:
        raise NotAllowedNow("A review can be requested once, while the land is listed")
    if on < nomination.listed_on:
        raise NotAllowedNow("A review cannot be requested before the land was listed")
    nomination.review_requested_on = on
    nomination.review_due = review_due(on, current_periods())
    db.session.commit()


def record_review_outcome(nomination, outcome, on, reasons):
    if not nomination.review_requested_on or nomination.review_decided_on:
        raise NotAllowedNow("There is no review waiting for a decision")
    if on < nomination.review_requested_on:
        raise NotAllowedNow("The review decision cannot be before the request was received")
    nomination.review_decided_on = on
    nomination.review_outcome = outcome
    nomination.review_reasons = (reasons or "").strip()
    if outcome == "removed":
        nomination.status = "removed"
        nomination.removed_on = on
    db.session.commit()


def record_disposal_notice(nomination, on):
    if nomination.status != "listed":
        raise NotAllowedNow("A disposal notice can be recorded only for listed land")
    if on < nomination.listed_on:
        raise NotAllowedNow("The notice cannot be before the land was listed")
    dates = moratorium_dates(on, current_periods())
    notice = AcvDisposalNotice(
        nomination=nomination, received_on=on, interim_ends=dates.interim_ends, protected_ends=dates.protected_ends
    )
    db.session.add(notice)
    db.session.commit()
    return notice


def record_bid_request(notice, on, group):
    if notice.bid_request_on:
        raise NotAllowedNow("A request to bid has already been recorded for this notice")
    try:
        dates = moratorium_dates(notice.received_on, current_periods(), bid_request_on=on)
    except BidRequestOutOfTime as exc:
        raise NotAllowedNow(str(exc)) from exc
    notice.bid_request_on = on
    notice.bid_request_group = group.strip()
    notice.full_ends = dates.full_ends
    db.session.commit()


def listed_nominations():
    return db.session.scalars(
        db.select(AcvNomination).where(AcvNomination.status == "listed").order_by(AcvNomination.listed_on.desc())
    ).all()


def unsuccessful_nominations():
    return db.session.scalars(
        db.select(AcvNomination).where(AcvNomination.status == "not_listed").order_by(AcvNomination.decided_on.desc())
    ).all()


def meeting_venues():
    """Published spaces that can be named as a meeting venue: [(id, venue_label)] by name.

    For the CTN meetings module: meetings refer to a venue by the asset's integer id.
    """
    rows = db.session.scalars(
        db.select(CommunityAsset)
        .where(CommunityAsset.published.is_(True), CommunityAsset.category == "Spaces")
        .order_by(CommunityAsset.name)
    )
    return [(asset.id, asset.venue_label) for asset in rows]


def map_features(assets):
    """GeoJSON features for assets with a position, for the maps (issue 4)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": asset.id,
                "geometry": {"type": "Point", "coordinates": [asset.lon, asset.lat]},
                "properties": {
                    "name": asset.name,
                    "category": asset.category,
                    "kind": asset.kind_label,
                    "owner": asset.owner_label,
                    "address": asset.full_address,
                    "ward": asset.ward.name if asset.ward else None,
                    "bookable": asset.bookable,
                },
            }
            for asset in assets
            if asset.mappable
        ],
    }


# The register's own fields an officer sets on the asset form (the place comes from the postcode).
ASSET_FIELDS = (
    "name",
    "category",
    "kind",
    "owner",
    "description",
    "address",
    "capacity",
    "facilities",
    "accessibility",
    "bookable",
    "booking_details",
    "booking_url",
    "organisation_id",
    "published",
)


def save_asset(item, postcode, **values):
    """Create (item None) or update an asset in the register from the officer's form, placing it by its
    postcode, and commit. Returns (item, place): `place.found` is False for a postcode not in Barnet's table."""
    unknown = set(values) - set(ASSET_FIELDS)
    if unknown:
        raise TypeError(f"not asset fields: {sorted(unknown)}")
    if item is None:
        item = CommunityAsset()
        db.session.add(item)
    item.name = values["name"].strip()
    item.category = values["category"]
    item.kind = values["kind"]
    item.owner = values["owner"]
    item.description = (values.get("description") or "").strip()
    item.address = (values.get("address") or "").strip()
    item.capacity = values.get("capacity")
    item.facilities = (values.get("facilities") or "").strip()
    item.accessibility = (values.get("accessibility") or "").strip()
    item.bookable = values["bookable"]
    item.booking_details = (values.get("booking_details") or "").strip()
    item.booking_url = (values.get("booking_url") or "").strip() or None
    item.organisation_id = values.get("organisation_id") or None
    item.published = values["published"]
    place = place_for_postcode(postcode)
    item.postcode, item.ward_code, item.lat, item.lon = place.postcode, place.ward_code, place.lat, place.lon
    db.session.commit()
    return item, place


def published_asset_count():
    """Published assets in the register, with or without a map position (the register's figure and the home
    page's)."""
    return db.session.scalar(db.select(db.func.count(CommunityAsset.id)).where(CommunityAsset.published.is_(True)))


def mapped_asset_count(category=""):
    """Published assets with a map position (of one category, if given): the assets map's "places shown"."""
    query = db.select(db.func.count(CommunityAsset.id)).where(
        CommunityAsset.published.is_(True), CommunityAsset.lat.is_not(None)
    )
    if category:
        query = query.where(CommunityAsset.category == category)
    return db.session.scalar(query)
