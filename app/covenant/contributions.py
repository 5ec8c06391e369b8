"""What the faith covenant adds to the core: approved signatories per ward, and the demo data."""

from flask import url_for

from ..demo import register_demo_loader
from ..extensions import db
from ..places.ward_contents import WardContent, count_by_postcode_ward, register_ward_content, select_in_ward
from .demo import load_demo
from .models import CovenantPledge


def signatories_by_ward(ward_set):
    return count_by_postcode_ward(CovenantPledge, ward_set, CovenantPledge.status == "approved")


def signatories_in_ward(ward):
    pledges = db.session.scalars(select_in_ward(CovenantPledge, ward, CovenantPledge.status == "approved"))
    return sorted(
        (
            (p.organisation.name, url_for("covenant.signatories"), f"{p.faith_label}, signed {p.date_signed:%-d %B %Y}")
            for p in pledges
        ),
        key=lambda item: item[0],
    )


register_ward_content(
    WardContent("signatories", "Faith covenant signatories", signatories_by_ward, signatories_in_ward)
)
register_demo_loader(load_demo)
