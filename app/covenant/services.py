"""Covenant logic that needs no request: the commitments, renewal dates, approval, reminders, counts."""

import calendar
from collections import Counter
from datetime import date, timedelta

from flask import current_app

from ..auth.services import absolute_url
from ..extensions import db
from ..mailer import send_email
from ..timeutil import to_london, utcnow
from .models import FAITHS, CovenantPledge, CovenantReminder

# --- The commitments, as the council papers give them -------------------------------------------
#
# The seeds name "the five commitments" of the APPG Covenant for Engagement (002_6240a75a79bed02c.txt:88,
# 002_6240a75a79bed02c.txt:93) but do not give their text, so the portal does not invent it: the page says
# so and shows a short summary of the covenant's published principles, marked as a summary.

COUNCIL_COMMITMENTS = [
    {  # 003_c91605f45081f960.txt:676
        "text": "Work together with Barnet Multi Faith Forum to ensure faith is considered in all our work to "
        "support the community of Barnet.",
        "source": "003_c91605f45081f960.txt:676",
    },
    {  # 001_74f26b0b4220c599.txt:989
        "text": "Design strategies to involve more faith groups in consultation.",
        "source": "001_74f26b0b4220c599.txt:989",
    },
    {  # 001_74f26b0b4220c599.txt:989
        "text": "Ensure members of all religions and cultures are included equally.",
        "source": "001_74f26b0b4220c599.txt:989",
    },
    {  # 003_c91605f45081f960.txt:446
        "text": "Reaffirm the council's commitment to working with our faith communities and enable their "
        "participation in delivering the Barnet Plan.",
        "source": "003_c91605f45081f960.txt:446",
    },
]

# 003_c91605f45081f960.txt:670-672: the faith communities' pledge, quoted in full.
FAITH_COMMUNITIES_PLEDGE = [
    "We commit ourselves, as people of many faiths living in Barnet, to work together for the common good and "
    "uniting to build a better society in our Borough, in London and in the wider world. Together we are "
    "grounded in the following values and ideals: community, personal integrity, a sense of right and wrong, "
    "learning, wisdom and love of truth, care and compassion, justice and peace, respect for one another and "
    "for the earth and its creatures.",
    "We commit ourselves, in a spirit of friendship and co-operation, to work together alongside all who share "
    "our values and ideals in Barnet and beyond, to help bring about a better Borough, a better capital and a "
    "better world – now and for generations to come.",
]
FAITH_COMMUNITIES_PLEDGE_SOURCE = "003_c91605f45081f960.txt:670-672"

# A summary in our own words of the APPG covenant's published principles; not the covenant's wording.
APPG_PRINCIPLES_SUMMARY = [
    "Faith groups and the council engage with each other openly, honestly and with mutual respect.",
    "Faith groups that provide services with public money serve everyone in need, of any faith or none, "
    "without discrimination and without using those services to proselytise.",
    "The council treats faith groups fairly when it funds and commissions services, and does not exclude "
    "them because they are faith groups.",
    "Both work in partnership, share information and try to resolve disagreements together.",
]

# --- Renewal ----------------------------------------------------------------------------------------


def renewal_due_for(date_signed: date, years: int) -> date:
    """The anniversary `years` after signing (28 February for a pledge signed on 29 February)."""
    if years < 1:
        raise ValueError("pledges are renewed after at least one year")
    year = date_signed.year + years
    day = min(date_signed.day, calendar.monthrange(year, date_signed.month)[1])
    return date(year, date_signed.month, day)


def london_today():
    return to_london(utcnow()).date()


def needs_reminder(pledge, today: date, days: int, already_sent: set) -> bool:
    """An approved pledge whose renewal falls within `days` days (or has passed) and has no reminder yet."""
    return (
        pledge.status == "approved"
        and pledge.renewal_due <= today + timedelta(days=days)
        and (pledge.id, pledge.renewal_due) not in already_sent
    )


# --- Database work ------------------------------------------------------------------------------


def submit_pledge(
    organisation,
    faith,
    faith_other,
    signatory_name,
    signatory_role,
    contact_email,
    date_signed,
    commitments,
    postcode=None,
    ward_code=None,
):
    pledge = CovenantPledge(
        organisation=organisation,
        faith=faith,
        faith_other=(faith_other or "").strip() or None if faith == "other" else None,
        signatory_name=signatory_name.strip(),
        signatory_role=signatory_role.strip(),
        contact_email=contact_email.strip().lower(),
        date_signed=date_signed,
        renewal_due=renewal_due_for(date_signed, current_app.config["COVENANT_RENEWAL_YEARS"]),
        commitments=(commitments or "").strip(),
        postcode=postcode,
        ward_code=ward_code,
    )
    db.session.add(pledge)
    db.session.commit()
    send_email(
        "covenant_pledge_received",
        pledge.contact_email,
        "We have received your faith covenant pledge",
        pledge=pledge,
    )
    return pledge


def decide_pledge(pledge, approve, officer, note=""):
    if pledge.status != "pending":
        raise ValueError("This pledge has already been decided")
    pledge.status = "approved" if approve else "rejected"
    if approve:
        earlier = db.session.scalars(
            db.select(CovenantPledge).where(
                CovenantPledge.organisation_id == pledge.organisation_id,
                CovenantPledge.status == "approved",
                CovenantPledge.id != pledge.id,
            )
        )
        for old in earlier:
            old.status = "superseded"
    pledge.decision_note = (note or "").strip()
    pledge.decided_at = utcnow()
    pledge.decided_by = officer
    db.session.commit()
    send_email(
        "covenant_pledge_decision",
        pledge.contact_email,
        "Your faith covenant pledge has been approved" if approve else "About your faith covenant pledge",
        pledge=pledge,
    )


def renew_pledge(pledge, date_signed, signatory_name=None, signatory_role=None):
    """Record a re-signing: a new signing date and so a new renewal date (and a fresh reminder later)."""
    if date_signed < pledge.date_signed:
        raise ValueError("The renewal cannot be before the pledge was first signed")
    pledge.date_signed = date_signed
    pledge.renewal_due = renewal_due_for(date_signed, current_app.config["COVENANT_RENEWAL_YEARS"])
    if signatory_name:
        pledge.signatory_name = signatory_name.strip()
    if signatory_role:
        pledge.signatory_role = signatory_role.strip()
    db.session.commit()


def send_renewal_reminders(today=None, days=None):
    """E-mail each signatory whose renewal is due within `days` days, once per pledge per renewal date."""
    today = today or london_today()
    days = current_app.config["COVENANT_REMINDER_DAYS"] if days is None else days
    already_sent = set(db.session.execute(db.select(CovenantReminder.pledge_id, CovenantReminder.renewal_due)))
    candidates = db.session.scalars(
        db.select(CovenantPledge)
        .where(CovenantPledge.status == "approved")
        .where(CovenantPledge.renewal_due <= today + timedelta(days=days))
        .order_by(CovenantPledge.renewal_due)
    ).all()
    sent = 0
    for pledge in candidates:
        if not needs_reminder(pledge, today, days, already_sent):
            continue
        # Record first and commit with the send, so a crash cannot lead to a second e-mail later.
        db.session.add(CovenantReminder(pledge=pledge, renewal_due=pledge.renewal_due, sent_to=pledge.contact_email))
        db.session.flush()
        send_email(
            "covenant_renewal_reminder",
            pledge.contact_email,
            f"Time to renew your faith covenant pledge (due {pledge.renewal_due:%-d %B %Y})",
            pledge=pledge,
            overdue=pledge.renewal_due < today,
            renew_url=absolute_url("covenant.sign", organisation=pledge.organisation_id),
        )
        db.session.commit()
        sent += 1
    return sent


def approved_pledges():
    return db.session.scalars(
        db.select(CovenantPledge).where(CovenantPledge.status == "approved").order_by(CovenantPledge.date_signed.desc())
    ).all()


def counts_by_faith(pledges):
    """[(faith label, count)] for every faith with a signatory, most first."""
    counts = Counter(p.faith_label for p in pledges)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def counts_by_ward(pledges):
    """[(ward or None, count)], most first; pledges without a known ward are counted as None, last."""
    counts = Counter(p.ward for p in pledges)
    known = sorted(((w, c) for w, c in counts.items() if w is not None), key=lambda item: (-item[1], item[0].name))
    return known + ([(None, counts[None])] if None in counts else [])


FAITH_CHOICES = list(FAITHS.items())


def signatory_count():
    """Approved pledges: every faith organisation that has signed, placed on the map or not (the covenant
    page's figure and the home page's)."""
    return db.session.scalar(db.select(db.func.count(CovenantPledge.id)).where(CovenantPledge.status == "approved"))
