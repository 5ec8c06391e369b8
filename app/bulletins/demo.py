"""Demo data: one sent CTN bulletin in the public archive, built from what the council papers say the
bulletin carried (002_6240a75a79bed02c.txt sections 3.7-3.8 and the meetings table of 3.10).

The seeds describe the bulletin's contents but do not reproduce an issue, so the wording below is ours;
each item quotes the seed line it stands on. The date (14 November 2019) is chosen for the demo: the
annual report is dated November 2019 and announces the fourth open meeting on 28 November.
Delivery records are created for the demo members that are confirmed (fictitious example.org people).
"""

from datetime import date, time

from ..ctn.models import CONFIRMED, Member
from ..extensions import db
from .models import D_SENT, SENT, Bulletin, BulletinDelivery, BulletinItem
from .services import london_to_utc

TITLE = "CTN Bulletin, 14 November 2019"

INTRODUCTION = (
    "Welcome to the fortnightly bulletin of the Communities Together Network: local events, council campaigns, "
    "consultations, funding and other opportunities for Barnet's voluntary, community and faith sector."
)
# 002_6240a75a79bed02c.txt:160 "The fortnightly CTN bulletin is sent to all members by email and promotes local
# events, council campaigns, funding and other opportunities."

ITEMS = [
    {
        "section": "events",
        "title": "Open network meeting, 28 November, OneStoneGrove, Edgware",
        "body": (
            "The fourth themed open meeting of the Communities Together Network this year takes place on "
            "**28 November** at OneStoneGrove, Edgware. All members are welcome: book your place on the "
            "[CTN meetings page](/ctn/meetings)."
        ),
        # 002_6240a75a79bed02c.txt:164 "the fourth will take place on 28 November at OneStoneGrove, Edgware";
        # 002_6240a75a79bed02c.txt:161 "Invitations to attend the themed open network meetings are communicated
        # through the CTN bulletin."
        "source": "002_6240a75a79bed02c.txt:161, 164",
    },
    {
        "section": "consultations",
        "title": "Have your say in the council's public consultations",
        "body": (
            "The council is consulting the public. Tell us what you think, and share the consultations with the "
            "people your group works with."
        ),
        # 002_6240a75a79bed02c.txt:161 "These have included public consultations"
        "source": "002_6240a75a79bed02c.txt:161",
    },
    {
        "section": "funding",
        "title": "National Lottery Community Funding and support for consortium bidding",
        "body": (
            "At the September open meeting on mental health, members heard about National Lottery Community "
            "Funding and about support for groups that want to bid together as a consortium."
        ),
        # 002_6240a75a79bed02c.txt:170 agenda of 19 Sept 2019: "National Lottery Community Funding • Support for
        # consortium bidding"; 002_6240a75a79bed02c.txt:160 "promotes ... funding and other opportunities"
        "source": "002_6240a75a79bed02c.txt:160, 170",
    },
    {
        "section": "news",
        "title": "Together we are Barnet: how to get involved",
        "body": (
            "*Together we are Barnet* showcases community groups in Barnet and the good work they do in bringing "
            "people together. There are various ways for your group to get involved in the campaign."
        ),
        # 002_6240a75a79bed02c.txt:156 "Launch of 'Together we are Barnet' campaign that showcases some of the
        # community groups in Barnet"; 002_6240a75a79bed02c.txt:161 "the various ways of getting involved in the
        # Together we are Barnet campaign"
        "source": "002_6240a75a79bed02c.txt:156, 161",
    },
    {
        "section": "other",
        "title": "Free office furniture for community groups",
        "body": (
            "Office furniture made available by the council's recent office move is free to community groups. "
            "Apply to the Strategy Team."
        ),
        # 002_6240a75a79bed02c.txt:161 "details of how to apply for free office furniture made available by the
        # council's recent office move"
        "source": "002_6240a75a79bed02c.txt:161",
    },
    {
        "section": "other",
        "title": "Free litter picking equipment for local groups",
        "body": "Government-funded litter picking equipment is available free to local groups.",
        # 002_6240a75a79bed02c.txt:161 "the free government-funded litter picking equipment available to local
        # groups"
        "source": "002_6240a75a79bed02c.txt:161",
    },
]


def load_demo():
    if db.session.scalar(db.select(Bulletin.id).where(Bulletin.title == TITLE)):
        return "bulletins: demo bulletin already loaded"
    sent_at = london_to_utc(date(2019, 11, 14), time(10, 0))
    bulletin = Bulletin(
        title=TITLE,
        introduction=INTRODUCTION,
        status=SENT,
        scheduled_at=sent_at,
        send_started_at=sent_at,
        sent_at=sent_at,
        source="002_6240a75a79bed02c.txt:160-161 (sections 3.7-3.8)",
    )
    db.session.add(bulletin)
    for position, item in enumerate(ITEMS, start=1):
        bulletin.items.append(BulletinItem(position=position, **item))
    db.session.flush()
    members = db.session.scalars(db.select(Member).where(Member.status == CONFIRMED).order_by(Member.id)).all()
    for member in members:
        db.session.add(
            BulletinDelivery(
                bulletin_id=bulletin.id, member_id=member.id, state=D_SENT, attempts=1, sent_at=sent_at, last_error=""
            )
        )
    db.session.commit()
    return f"bulletins: 1 sent bulletin with {len(ITEMS)} items, {len(members)} delivery records"
