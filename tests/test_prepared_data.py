"""The `prepared` fixture (conftest.py): data loaded once a run and copied back for later tests must be exactly
what loading it again would give, and the database must go on working after it (new rows, the search index)."""

from app.directory.models import Organisation
from app.extensions import db

from .conftest import _all_rows, _empty_all_tables
from .factories.directory import make_listing
from .test_hostile_input import load_demo_portal


def rows_now():
    db.session.commit()
    with db.engine.connect() as connection:
        return {table.name: sorted(map(repr, map(dict, rows))) for table, rows in _all_rows(connection)}


def test_copied_back_data_is_what_loading_gives_and_takes_new_rows(app, client, prepared):
    prepared("prepared data test", load_demo_portal)
    loaded = rows_now()
    assert len(loaded["organisation"]) > 50 and loaded["ctn_member"], "the demo data was not loaded"
    _empty_all_tables()
    assert not any(rows_now().values())

    prepared("prepared data test", load_demo_portal)
    assert rows_now() == loaded
    # New rows are numbered after the copied ones (PostgreSQL's sequences move on), and the full-text
    # search finds both the copied listings and a new one.
    before = db.session.scalar(db.select(db.func.max(Organisation.id)))
    new = make_listing("Zebra Crossing Patrol Volunteers")
    assert new.id > before
    assert "Zebra Crossing Patrol Volunteers" in client.get("/directory/?q=zebra").get_data(as_text=True)
    assert "Barnet Multi Faith Forum" in client.get("/directory/?q=multi+faith").get_data(as_text=True)


def test_a_database_with_rows_already_in_it_gets_a_real_load(app, prepared, taxonomies):
    from app.directory.models import Taxonomy
    from app.places.models import Ward
    from seed.loader import load_wards

    def count(model):
        return db.session.scalar(db.select(db.func.count()).select_from(model))

    prepared("wards only", load_wards)  # loaded beside the taxonomies, so not kept for later
    assert count(Ward) == 45 and count(Taxonomy) > 0
    for _ in range(2):  # loaded into an empty database and kept, then copied back
        _empty_all_tables()
        prepared("wards only", load_wards)
        assert count(Ward) == 45 and count(Taxonomy) == 0
