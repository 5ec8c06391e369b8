"""`flask reporting import FILE`, `flask reporting export PERIOD --format json|csv`, and the live sources."""

import json
from datetime import date

import pytest

from app.extensions import db
from app.reporting import demo, live, services
from app.reporting.models import KpiResult


@pytest.fixture
def plan(app):
    demo.load_demo()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def draft(plan):
    return services.create_period(2019, 3)


def test_export_json_carries_computed_rag_dot_and_overall_rating(runner, plan):
    result = runner.invoke(args=["reporting", "export", "2019-20-Q2", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period"] == "2019-20-Q2"
    asb = data["priorities"][1]
    assert (asb["overall_rating"], asb["published_overall_rating"]) == ("A", "Good")
    calls = next(k for k in asb["kpis"] if k["name"] == "Volume of ASB calls to police")
    assert (calls["rag"], calls["dot"], calls["dot_percent"], calls["published_dot"]) == ("R", "W", 15.7, "↓ W +10%")
    assert data["budget"][1]["published"] == {"forecast_after_reserves": 3583}
    assert {r["code"]: r["band"] for r in asb["risks"]}["CLL04"] == "Medium/High"


def test_export_csv_to_a_file(runner, plan, tmp_path):
    target = tmp_path / "q1.csv"
    result = runner.invoke(args=["reporting", "export", "2019-20-Q1", "--format", "csv", "--output", str(target)])
    assert result.exit_code == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 27  # header and 26 KPIs
    assert any(line.startswith("2019-20-Q1,Keeping Barnet safe,Complex repeat ASB cases") for line in lines)


def test_export_of_an_unknown_period_says_so(runner, plan):
    result = runner.invoke(args=["reporting", "export", "2019-Q1"])
    assert result.exit_code == 2
    assert "there is no report for 2019-Q1" in result.output


def test_import_writes_nothing_when_any_row_is_wrong(runner, draft, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(
        "period,kpi,target,result,published_rag\n"
        "2019-20-Q3,PSPOs implemented,3,4,G\n"
        "2019-20-Q3,PSPOs implemented,3,5,\n"
        "2019-20-Q1,Number of Funders Fairs,1,1,\n"
        "2019-20-Q3,Number of Funders Fairs,2 by Q3,,\n"
        "2019-20-Q3,Number of hours of 121 surgeries,9,9,green\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["reporting", "import", str(path)])
    assert result.exit_code == 1
    assert "Row 3: 'PSPOs implemented' appears more than once for 2019-20-Q3" in result.output
    assert "Row 4: the report for Q1 2019/20 is approved and cannot be changed" in result.output
    assert "Row 5: '2 by Q3' is not a target the report can use" in result.output
    assert "Row 6: published RAG 'green' must be G, A, R or blank" in result.output
    assert "Nothing imported: 4 problems." in result.output
    assert db.session.scalar(db.select(db.func.count(KpiResult.id)).where(KpiResult.period_id == draft.id)) == 0


def test_import_of_a_good_file_and_round_trip_of_the_export(runner, draft, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(
        'period,kpi,target,result,previous_result\n2019-20-Q3,Racist and religious hate crime,Monitor,"1,010",796\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["reporting", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 KPI result for 2019-20-Q3." in result.output
    exported = runner.invoke(args=["reporting", "export", "2019-20-Q3", "--format", "csv"]).output
    row = next(line for line in exported.splitlines() if "Racist and religious hate crime" in line)
    assert ",Monitor,1010,,796,,,,W,26.9," in row
    # The exported file can be imported again as it is.
    again = tmp_path / "again.csv"
    again.write_text(exported, encoding="utf-8")
    result = runner.invoke(args=["reporting", "import", str(again)])
    assert result.exit_code == 0, result.output
    assert "Imported 26 KPI results" in result.output


def test_import_rejects_files_it_cannot_read(runner, draft, tmp_path):
    path = tmp_path / "results.txt"
    path.write_text("period,kpi\n", encoding="utf-8")
    assert "must be a CSV or XLSX file" in runner.invoke(args=["reporting", "import", str(path)]).output
    path = tmp_path / "results.csv"
    path.write_text("quarter,indicator\n", encoding="utf-8")
    assert "missing: period, kpi" in runner.invoke(args=["reporting", "import", str(path)]).output
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a workbook")
    assert "cannot be opened" in runner.invoke(args=["reporting", "import", str(path)]).output


# --- Live sources ---------------------------------------------------------------------------------------


def test_quarter_dates():
    assert live.quarter_dates(2019, 1) == (date(2019, 4, 1), date(2019, 6, 30))
    assert live.quarter_dates(2019, 3) == (date(2019, 10, 1), date(2019, 12, 31))
    assert live.quarter_dates(2019, 4) == (date(2020, 1, 1), date(2020, 3, 31))


def test_unknown_and_incomplete_source_names_are_explained(app):
    assert "There is no live source called 'nope'" in live.validate_name("nope")
    assert "needs a value after a colon" in live.validate_name("directory_category_count")
    assert live.validate_name("directory_category_count:Hate Crime Reporting Centre") is None
    with pytest.raises(live.SourceUnavailable, match="no live source"):
        live.fetch("nope", date(2019, 4, 1), date(2019, 6, 30))


def test_a_source_whose_tables_are_missing_is_unavailable_not_an_error(app, monkeypatch):
    monkeypatch.setattr(live, "_tables_exist", lambda *names: False)
    for name in ("ctn_meetings_held", "directory_category_count:Hate Crime Reporting Centre"):
        with pytest.raises(live.SourceUnavailable, match="not"):
            live.fetch(name, date(2019, 4, 1), date(2019, 6, 30))


def test_a_failing_source_is_reported_as_unavailable(app, monkeypatch):
    def broken(period_start, period_end):
        raise RuntimeError("column does not exist")

    monkeypatch.setitem(live.SOURCES, "broken", live.LiveSource("broken", "Broken", broken))
    with pytest.raises(live.SourceUnavailable, match="not available"):
        live.fetch("broken", date(2019, 4, 1), date(2019, 6, 30))


def test_take_live_results_keeps_entered_figures_when_a_source_is_unavailable(draft, monkeypatch):
    monkeypatch.setattr(live, "_tables_exist", lambda *names: False)
    taken, unavailable = services.take_live_results(draft)
    assert taken == []
    assert sorted(kpi.name for kpi, _ in unavailable) == [
        "Hate Crime Reporting Centres in Barnet",
        "Number of CTN meetings held per year",
    ]
    assert db.session.scalar(db.select(db.func.count(KpiResult.id)).where(KpiResult.period_id == draft.id)) == 0


def test_ctn_meetings_held_counts_held_meetings_in_the_quarter(draft):
    from sqlalchemy import inspect

    if "ctn_meeting" not in inspect(db.engine).get_table_names():
        pytest.skip("the CTN module's tables are not in this database")
    from app.ctn.models import Meeting

    for day, status in ((date(2019, 10, 10), "held"), (date(2019, 11, 5), "cancelled"), (date(2020, 1, 9), "held")):
        start = datetime_at(day)
        db.session.add(Meeting(title=f"CTN {day}", starts_at=start, ends_at=start, status=status))
    db.session.commit()
    assert live.fetch("ctn_meetings_held", date(2019, 10, 1), date(2019, 12, 31)) == 1


def datetime_at(day):
    from datetime import datetime, time

    return datetime.combine(day, time(18, 0))
