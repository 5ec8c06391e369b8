"""A realistic directory of N organisations for benchmarks, written straight into the database.

Each organisation has one service (2 categories, opening hours on 2 days) and one location at a real Barnet
postcode from GEO_DATA_DIR/barnet_postcodes.csv (1 in 50 confidential). One service in 10 serves all of the
borough, 1 in 20 two wards, 1 in 30 online or by phone. Names and descriptions are made
from everyday directory words so that word searches match realistic numbers of rows.
"""

import csv
import random
import uuid
from datetime import time
from pathlib import Path

from app.directory.models import (
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    service_areas,
    service_terms,
)
from app.extensions import db
from app.timeutil import utcnow

ADJECTIVES = [
    "Community",
    "Friends of",
    "Barnet",
    "Hendon",
    "Finchley",
    "Colindale",
    "Edgware",
    "Mill Hill",
    "Golders Green",
    "Burnt Oak",
    "Whetstone",
    "Cricklewood",
    "Childs Hill",
    "East Barnet",
    "Totteridge",
]
NOUNS = [
    "Food Bank",
    "Youth Club",
    "Lunch Club",
    "Carers Group",
    "Litter Pickers",
    "Choir",
    "Mosque",
    "Synagogue",
    "Church",
    "Temple",
    "Gurdwara",
    "Allotment Society",
    "Residents Association",
    "Advice Centre",
    "Women's Group",
    "Mental Health Peer Support",
    "Football Club",
    "Coffee Morning",
    "Repair Cafe",
    "Library Friends",
]
WORDS = [
    "food",
    "parcels",
    "hot",
    "meals",
    "advice",
    "debt",
    "benefits",
    "young",
    "people",
    "sport",
    "music",
    "older",
    "lonely",
    "friendship",
    "carers",
    "support",
    "mental",
    "health",
    "wellbeing",
    "volunteers",
    "litter",
    "parks",
    "gardening",
    "faith",
    "prayer",
    "worship",
    "women",
    "refugees",
    "english",
    "classes",
    "homework",
    "art",
    "crafts",
    "walking",
    "dementia",
    "disability",
    "housing",
    "employment",
    "skills",
    "digital",
]


def load_postcodes(geo_dir):
    with open(Path(geo_dir) / "barnet_postcodes.csv", newline="", encoding="utf-8") as handle:
        return [
            (row["postcode"], float(row["lat"]), float(row["lon"]), row["ward_code"]) for row in csv.DictReader(handle)
        ]


def generate(count, geo_dir, seed=2026, batch=2000):
    """Insert `count` organisations; returns the number inserted."""
    rng = random.Random(seed)
    postcodes = load_postcodes(geo_dir)
    category_ids = [
        term.id
        for term in db.session.scalars(db.select(TaxonomyTerm).join(Taxonomy).where(Taxonomy.code == "category"))
    ]
    start_id = (db.session.scalar(db.select(db.func.max(Organisation.id))) or 0) + 1
    now = utcnow()
    ward_codes = sorted({ward for *_, ward in postcodes})
    for offset in range(0, count, batch):
        orgs, services, locations, sals, schedules, terms, areas = [], [], [], [], [], [], []
        for n in range(offset, min(offset + batch, count)):
            org_id = start_id + n
            name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {org_id}"
            description = " ".join(rng.choice(WORDS) for _ in range(18)).capitalize() + "."
            postcode, lat, lon, ward = rng.choice(postcodes)
            confidential = rng.random() < 0.02
            roll = rng.random()
            scope = "borough" if roll < 0.1 else "wards" if roll < 0.15 else "remote" if roll < 0.183 else None
            orgs.append(
                {
                    "id": org_id,
                    "uuid": str(uuid.uuid4()),
                    "name": name,
                    "slug": f"bench-{org_id}",
                    "description": description,
                    "kind": "vcfs",
                    "status": "active",
                    "published": True,
                    "version": 1,
                    "placed": bool(scope) or not confidential,
                    "search_name": name,
                    "search_keywords": f"{name} service",
                    "search_text": f"{name} {description} {name} service",
                    "last_verified_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            services.append(
                {
                    "id": org_id,
                    "uuid": str(uuid.uuid4()),
                    "organisation_id": org_id,
                    "name": f"{name} service",
                    "description": description,
                    "status": "active",
                    "updated_at": now,
                    "area_scope": scope,
                }
            )
            if scope == "wards":
                areas += [{"service_id": org_id, "ward_code": code} for code in rng.sample(ward_codes, 2)]
            locations.append(
                {
                    "id": org_id,
                    "uuid": str(uuid.uuid4()),
                    "organisation_id": org_id,
                    "name": name,
                    "address_1": f"{rng.randint(1, 300)} High Road",
                    "city": "London",
                    "postcode": postcode,
                    "lat": lat,
                    "lon": lon,
                    "ward_code": ward,
                    "confidential": confidential,
                }
            )
            sals.append({"uuid": str(uuid.uuid4()), "service_id": org_id, "location_id": org_id})
            for weekday in rng.sample(range(7), 2):
                schedules.append(
                    {
                        "uuid": str(uuid.uuid4()),
                        "service_id": org_id,
                        "weekday": weekday,
                        "opens_at": time(9 + rng.randint(0, 3)),
                        "closes_at": time(14 + rng.randint(0, 4)),
                    }
                )
            for term_id in rng.sample(category_ids, 2):
                terms.append({"service_id": org_id, "taxonomy_term_id": term_id})
        db.session.execute(db.insert(Organisation), orgs)
        db.session.execute(db.insert(Service), services)
        db.session.execute(db.insert(Location), locations)
        db.session.execute(db.insert(ServiceAtLocation), sals)
        db.session.execute(db.insert(Schedule), schedules)
        db.session.execute(service_terms.insert(), terms)
        if areas:
            db.session.execute(service_areas.insert(), areas)
        db.session.commit()
    from app.directory.services import rebuild_search_words

    rebuild_search_words()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return count
