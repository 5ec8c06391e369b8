"""Loads reference data (wards) and the demo data built from the council papers in ../shared/seeds."""
import re
import secrets
import unicodedata

from app.auth.models import User
from app.auth.services import hash_password
from app.directory.models import Organisation
from app.extensions import db
from app.places.models import WARD_SET_2002, WARD_SET_2022, Ward
from app.security import ADMIN, GROUP_EDITOR, PERFORMANCE_OFFICER, STRATEGY_OFFICER
from app.timeutil import utcnow

from .wards import WARDS_2002, WARDS_2022


def slugify(text):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "organisation"


def unique_slug(name):
    base = slugify(name)[:240]
    slug, n = base, 2
    while db.session.scalar(db.select(Organisation.id).where(Organisation.slug == slug)):
        slug, n = f"{base}-{n}", n + 1
    return slug


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
    from . import demo_data

    added = 0
    for record in demo_data.ORGANISATIONS:
        if db.session.scalar(db.select(Organisation.id).where(Organisation.name == record["name"])):
            continue
        db.session.add(
            Organisation(
                name=record["name"],
                slug=unique_slug(record["name"]),
                description=record.get("description", ""),
            )
        )
        added += 1
    db.session.commit()
    return added


DEMO_ACCOUNTS = (
    ("admin@barnet.example", "Demo Administrator", ADMIN),
    ("strategy@barnet.example", "Demo Strategy Officer", STRATEGY_OFFICER),
    ("performance@barnet.example", "Demo Performance Officer", PERFORMANCE_OFFICER),
    ("editor@community.example", "Demo Group Editor", GROUP_EDITOR),
)


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


# Each module that has demo data adds "package.module:function" here; the function loads its records
# (skipping any already there) and returns a one-line summary for the console.
MODULE_DEMO_LOADERS = []


def module_demo_loaders():
    import importlib

    for spec in MODULE_DEMO_LOADERS:
        module_name, function_name = spec.split(":")
        yield getattr(importlib.import_module(module_name), function_name)
