"""Directory factories: real Barnet postcodes with their wards, and listings built through the services."""

from app.directory import services, taxonomy
from app.extensions import db
from app.places.models import Postcode

# Real Barnet postcodes (../shared/geo/barnet_postcodes.csv) with their positions and 2022 wards.
POSTCODES = {
    "NW4 4BG": (51.588264, -0.229251, "E05013643"),  # Hendon Town Hall, Hendon
    "NW9 4EW": (51.597619, -0.245016, "E05013632"),  # Colindale North, about 1 mile from it
    "N12 0GA": (51.612818, -0.176705, "E05013648"),  # West Finchley, about 3 miles from it
}


def add_postcodes():
    for postcode, (lat, lon, ward) in POSTCODES.items():
        if db.session.get(Postcode, postcode) is None:
            db.session.add(Postcode(postcode=postcode, lat=lat, lon=lon, ward_code=ward))
    db.session.commit()


def listing(
    name,
    description="",
    categories=(),
    postcode=None,
    confidential=False,
    hours=(),
    accessibility=(),
    kind="vcfs",
    status="active",
    areas=(),
    charity_number=None,
):
    return {
        "organisation": {
            "name": name,
            "description": description or f"{name} helps people in Barnet.",
            "kind": kind,
            "status": status,
            "email": None,
            "website": None,
            "phone": None,
            "charity_number": charity_number,
            "company_number": None,
        },
        "services": [
            {
                "name": f"{name} service",
                "description": description or "A service.",
                "status": status,
                "url": None,
                "email": None,
                "phone": None,
                "fees_description": None,
                "minimum_age": None,
                "maximum_age": None,
                "terms": [f"category/{taxonomy.term_code(c)}" for c in categories],
                "areas": list(areas),
                "hours": list(hours),
                "locations": [0] if postcode else [],
            }
        ],
        "locations": [
            {
                "name": f"{name} base",
                "address_1": "1 High Street",
                "address_2": None,
                "city": "London",
                "postcode": postcode,
                "confidential": confidential,
                "accessibility": [f"accessibility/{taxonomy.term_code(a)}" for a in accessibility],
                "accessibility_notes": None,
            }
        ]
        if postcode
        else [],
    }


def make_listing(name, user=None, published=True, **kwargs):
    organisation = services.create_organisation(listing(name, **kwargs), user, published=published)
    db.session.commit()
    return organisation
