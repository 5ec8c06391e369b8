"""Reference and demo data from the council papers."""

import re
from pathlib import Path

from app.auth.models import User
from app.directory.models import Organisation
from app.extensions import db
from app.places.models import Ward
from seed import demo_data
from seed.wards import WARDS_2002, WARDS_2022

from .conftest import SHARED


def test_ward_lists_are_the_ons_codes():
    assert [code for code, _ in WARDS_2022] == [f"E050136{n}" for n in range(28, 52)]
    assert len(WARDS_2002) == 21 and all(code.startswith("E05000") for code, _ in WARDS_2002)
    assert ("E05013646", "Totteridge & Woodside") in WARDS_2022


def test_every_demo_record_quotes_a_real_line_of_the_seeds():
    """Each `source` names seed files and lines that exist and are not blank."""
    seeds = SHARED / "seeds"
    records = [*demo_data.ORGANISATIONS, *demo_data.VENUES, *demo_data.CTN_MEETINGS]
    assert len(demo_data.ORGANISATIONS) >= 40
    for record in records:
        for reference in record["source"].split(", "):
            name, line = re.fullmatch(r"(\d{3}_[0-9a-f]+\.txt):(\d+)(?:-\d+)?", reference).groups()
            if seeds.is_dir():
                lines = (seeds / name).read_text(encoding="utf-8").splitlines()
                assert lines[int(line) - 1].strip(), f"{reference} is blank"


def test_seed_demo_loads_and_can_run_twice(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "demo", "--password", "a demo passphrase"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(Ward).where(Ward.ward_set == "2022")) == 24
    assert db.session.scalar(db.select(db.func.count()).select_from(Ward).where(Ward.ward_set == "2002")) == 21
    organisations = db.session.scalar(db.select(db.func.count(Organisation.id)))
    assert organisations == len(demo_data.ORGANISATIONS)
    assert db.session.scalar(db.select(Organisation).where(Organisation.name == "Barnet Multi Faith Forum"))
    assert {u.role for u in db.session.scalars(db.select(User))} == {
        "admin",
        "strategy_officer",
        "performance_officer",
        "group_editor",
    }
    note = Path(app.instance_path) / "demo-accounts.txt"
    assert "a demo passphrase" in note.read_text()
    again = runner.invoke(args=["seed", "demo"])
    assert again.exit_code == 0
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == organisations
