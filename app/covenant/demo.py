"""Demo covenant signatory: Barnet Multi Faith Forum, which re-signed the covenant with the council at
Hendon Town Hall on 15 November 2021 (001_74f26b0b4220c599.txt:989; co-signatory: 003_c91605f45081f960.txt:676).

The papers do not name the person who signed for the Forum, so the record says so rather than inventing one.
"""

from datetime import date

from flask import current_app

from ..directory.models import Organisation
from ..extensions import db
from ..timeutil import utcnow
from .models import CovenantPledge
from .services import renewal_due_for

DEMO_PLEDGES = [
    {  # 001_74f26b0b4220c599.txt:989 (re-signed 15 November 2021 at Hendon Town Hall), 003_c91605f45081f960.txt:676
        "organisation": "Barnet Multi Faith Forum",
        "faith": "interfaith",
        "signatory_name": "Barnet Multi Faith Forum representative (not named in the council papers)",
        "signatory_role": "Co-signatory of the covenant with the council",
        "contact_email": "bmff@community.example",
        "date_signed": date(2021, 11, 15),
        "commitments": "To work together with the council to ensure faith is considered in all our work to "
        "support the community of Barnet.",  # 003_c91605f45081f960.txt:676 (the reference is in "source")
        "source": "001_74f26b0b4220c599.txt:989, 003_c91605f45081f960.txt:676",
    },
]


def load_demo():
    added = 0
    for record in DEMO_PLEDGES:
        organisation = db.session.scalar(db.select(Organisation).where(Organisation.name == record["organisation"]))
        if organisation is None:
            continue
        if db.session.scalar(db.select(CovenantPledge.id).where(CovenantPledge.organisation_id == organisation.id)):
            continue
        fields = {k: v for k, v in record.items() if k != "organisation"}
        db.session.add(
            CovenantPledge(
                organisation=organisation,
                renewal_due=renewal_due_for(record["date_signed"], current_app.config["COVENANT_RENEWAL_YEARS"]),
                status="approved",
                decided_at=utcnow(),
                **fields,
            )
        )
        added += 1
    db.session.commit()
    return f"Faith covenant signatories added: {added}."
