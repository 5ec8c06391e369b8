"""Loads reference data (wards) and the demo data built from the council papers in ../shared/seeds."""

import secrets

from app.auth.models import User
from app.auth.services import hash_password
from app.demo import demo_loaders
from app.directory.models import Organisation, Taxonomy, TaxonomyTerm
from app.directory.services import create_organisation, term_code
from app.extensions import db
from app.places.models import WARD_SET_2002, WARD_SET_2022, Ward
from app.security import ADMIN, GROUP_EDITOR, PERFORMANCE_OFFICER, STRATEGY_OFFICER
from app.timeutil import utcnow

from .taxonomy import TAXONOMIES
from .wards import WARDS_2002, WARDS_2022


def load_wards():
    """Insert or rename the 24 + 21 wards; boundaries are left as they are."""
    added = 0
    for ward_set, wards in ((WARD_SET_2022, WARDS_2022), (WARD_SET_2002, WARDS_2002)):
        for code, name in wards:
            ward = db.session.get(Ward, code)
            if ward is None:
                db.session.add(Ward(code=code, name=name, ward_set=ward_set))
                added += 1
            else:
                ward.name, ward.ward_set = name, ward_set
    db.session.commit()
    return added


def load_demo_organisations():
    """The organisations named in the council papers, as published listings with their categories."""
    from app.places.models import Ward

    from . import demo_data  # the demo records are read only when demo data is loaded

    wards = {
        name: code
        for code, name in db.session.execute(db.select(Ward.code, Ward.name).where(Ward.ward_set == WARD_SET_2022))
    }
    added = 0
    for record in demo_data.ORGANISATIONS:
        area = demo_data.SERVICE_AREAS.get(record["name"])
        scope = area if isinstance(area, str) else "wards" if area else None
        if db.session.scalar(db.select(Organisation.id).where(Organisation.name == record["name"])):
            continue
        listing = {
            "organisation": {
                "name": record["name"],
                "description": record.get("description", ""),
                "kind": record.get("kind", "vcfs"),
                "status": "active",
                "website": record.get("website"),
            },
            "services": [
                {
                    "name": record["name"],
                    "description": record.get("description", ""),
                    "status": "active",
                    "terms": [f"category/{term_code(name)}" for name in record.get("categories", [])],
                    "area_scope": scope,
                    "areas": [wards[name] for name in area if name in wards] if scope == "wards" else [],
                    "hours": [],
                    "locations": [0] if record.get("postcode") else [],
                }
            ],
            "locations": [
                {
                    "name": record["name"],
                    "address_1": "",
                    "postcode": record["postcode"],
                    "city": "London",
                    "confidential": False,
                    "accessibility": [],
                }
            ]
            if record.get("postcode")
            else [],
        }
        # The history page shows this to the group's editors too: the file and line stay in demo_data.py.
        create_organisation(listing, None, summary="Demo data from the council papers")
        added += 1
    db.session.commit()
    return added


DEMO_ACCOUNTS = (
    ("admin@barnet.example", "Demo Administrator", ADMIN),
    ("strategy@barnet.example", "Demo Strategy Officer", STRATEGY_OFFICER),
    ("performance@barnet.example", "Demo Performance Officer", PERFORMANCE_OFFICER),
    ("editor@community.example", "Demo Group Editor", GROUP_EDITOR),
)


def load_search_vocabulary():
    """The starting vocabulary of synonyms and related terms for directory search (safe to run again)."""
    from app.directory.vocabulary import ensure_default_vocabulary

    return ensure_default_vocabulary()


def demo_service_areas():
    """Set the areas of demo organisations loaded before areas were recorded (safe to run again)."""

    from . import demo_data

    wards = {
        name: code
        for code, name in db.session.execute(db.select(Ward.code, Ward.name).where(Ward.ward_set == WARD_SET_2022))
    }
    changed = 0
    for name, area in demo_data.SERVICE_AREAS.items():
        org = db.session.scalar(db.select(Organisation).where(Organisation.name == name))
        if org is None:
            continue
        for service in org.services:
            if service.area_scope:
                continue
            if isinstance(area, str):
                service.area_scope = area
            else:
                service.area_scope = "wards"
                service.areas = [db.session.get(Ward, wards[n]) for n in area if n in wards]
            changed += 1
    db.session.commit()
    return changed


def load_demo_accounts(password=None):
    """One account per role, all with one password (random unless given). Returns the password or None."""
    password = password or secrets.token_urlsafe(12)
    created = False
    first_org = db.session.scalar(db.select(Organisation).order_by(Organisation.name))
    for email, name, role in DEMO_ACCOUNTS:
        if User.by_email(email):
            continue
        user = User(email=email, name=name, role=role, password_hash=hash_password(password))
        user.password_changed_at = utcnow()
        if role == GROUP_EDITOR and first_org:
            user.organisations = [first_org]
        db.session.add(user)
        created = True
    db.session.commit()
    return password if created else None


def module_demo_loaders():
    """Every module's demo loader, as registered in its contributions.py (app/demo.py)."""
    return demo_loaders()


def load_taxonomies():
    """Insert the vocabularies and their terms (safe to run again; names are kept up to date)."""
    added = 0
    for code, name, description, terms in TAXONOMIES:
        taxonomy = db.session.scalar(db.select(Taxonomy).where(Taxonomy.code == code))
        if taxonomy is None:
            taxonomy = Taxonomy(code=code, name=name, description=description)
            db.session.add(taxonomy)
            db.session.flush()
        existing = {term.code for term in taxonomy.terms}
        for term_name in terms:
            if term_code(term_name) not in existing:
                db.session.add(TaxonomyTerm(taxonomy=taxonomy, code=term_code(term_name), name=term_name))
                added += 1
    db.session.commit()
    return added
