"""Every 2019/20 KPI RAG, direction of travel and risk band of the demo data, derived by hand from the
footnotes of 000_0692e8566ba44968.txt (footnote 2 at 000:752, footnote 3 at 000:754; repeated for Q2 at
000:1105-1107), with what the papers printed pinned beside it. The overall ratings of the ten priorities are
in test_reporting_overall.py. The committee can check each line against its own reading of the papers."""

import pytest

from app.reporting import services

from .test_reporting_views import plan  # noqa: F401 (fixtures)

# (quarter, KPI, line, target, result, % off target worked out by hand, RAG by footnote 2, RAG printed)
# Footnote 2: "On target = GREEN (G); Up to 9.9% off target = AMBER (A); 10% or more off target = RED (R)."
KPI_RAGS = [
    (1, "Complex repeat ASB cases to be problem solved through Community Safety MARAC", 768, "7", 19, 0, "G", "G"),
    (1, "PSPOs implemented", 806, "3", 4, 0, "G", "G"),
    # Smaller is better: (8893 - 7855) / 7855 = 13.2% off.
    (1, "Volume of ASB calls to police", 807, "7855", 8893, 13.2, "R", "R"),
    (
        1,
        "Multi-agency action plans in place to address high impact ASB and environmental crime areas",
        808,
        "2",
        4,
        0,
        "G",
        "G",
    ),
    # (10 - 9) / 10 = 10.0% off: RED by the footnote; the paper printed "9 (A)".
    (1, "Hate Crime Reporting Centres in Barnet", 848, "10", 9, 10.0, "R", "A"),
    (1, "Residents signed up as Hate Crime Awareness Champions", 849, "12", 12, 0, "G", "G"),
    (1, "Training sessions delivered across the partnership", 850, "2", 2, 0, "G", "G"),
    (1, "Number of staff to receive training across the partnership", 858, "25", 4, 84.0, "R", "R"),
    (1, "Number of Hate Crime Awareness workshops delivered", 859, "2", 3, 0, "G", "G"),
    (1, "Number of CTN meetings held per year", 860, "1", 1, 0, "G", "G"),
    (1, "Number of hours of 121 surgeries", 883, "9", 9, 0, "G", "G"),
    (1, "Number of Funders Fairs", 884, "1", 1, 0, "G", "G"),
    (1, "Number of new residents registering to be a volunteer", 886, "187", 218, 0, "G", "G"),
    (2, "Complex repeat ASB cases to be problem solved through Community Safety MARAC", 1121, "7", 18, 0, "G", "G"),
    (2, "PSPOs implemented", 1159, "3", 4, 0, "G", "G"),
    (2, "Volume of ASB calls to police", 1160, "7855", 9252, 17.8, "R", "R"),
    (
        2,
        "Multi-agency action plans in place to address high impact ASB and environmental crime areas",
        1161,
        "2",
        11,
        0,
        "G",
        "G",
    ),
    (2, "Hate Crime Reporting Centres in Barnet", 1204, "10", 9, 10.0, "R", "A"),
    (2, "Residents signed up as Hate Crime Awareness Champions", 1216, "20", 21, 0, "G", "G"),
    (2, "Training sessions delivered across the partnership", 1217, "2", 3, 0, "G", "G"),
    (2, "Number of staff to receive training across the partnership", 1218, "16", 16, 0, "G", "G"),
    (2, "Number of Hate Crime Awareness workshops delivered", 1219, "3", 6, 0, "G", "G"),
    (2, "Number of CTN meetings held per year", 1220, "1", 1, 0, "G", "G"),
    (2, "Number of hours of 121 surgeries", 1249, "9", 11, 0, "G", "G"),
    (2, "Number of new residents registering to be a volunteer", 1252, "374", 458, 0, "G", "G"),
]

# (quarter, KPI, line, this year, same quarter last year, % change by hand, DOT by footnote 2, DOT printed)
# Footnote 2: "Q1 19/20 result minus Q1 18/19 result equals difference; then difference divided by Q1 18/19
# result multiplied by 100 = percentage variation."
DOTS = [
    (1, "Overall crime rate in Barnet (total notifiable offences)", 770, 77.0, 70.4, 9.4, "W", "↓ W +9.4%"),
    (1, "Volume of ASB calls to police", 807, 8893, 8078, 10.1, "W", "↓ W +10%"),
    (1, "Racist and religious hate crime", 847, 774, 719, 7.6, "W", "↓ W +7.6%"),
    (2, "Overall crime rate in Barnet (total notifiable offences)", 1123, 77.9, 71.1, 9.6, "W", "↓ W +9.6%"),
    # (9252 - 8000) / 8000 = +15.7%; the paper printed +10%.
    (2, "Volume of ASB calls to police", 1160, 9252, 8000, 15.7, "W", "↓ W +10%"),
    (2, "Racist and religious hate crime", 1203, 796, 711, 12.0, "W", "↓ W +12%"),
]

# (quarter, risk, line, score, band by footnote 3: "Low = 1 to 3; Medium/Low = 4 to 6; Medium/High = 8 to 12;
# High = 15 to 25")
RISKS = [
    (1, "CLL01", 777, 9, "Medium/High"),
    (1, "CLL02", 778, 3, "Low"),
    (1, "CLL03", 819, 8, "Medium/High"),
    (1, "CLL04", 820, 6, "Medium/Low"),
    (1, "CLL05", 821, 6, "Medium/Low"),
    (1, "CLL06", 866, 12, "Medium/High"),
    (1, "CLL07", 867, 8, "Medium/High"),
    (1, "G&C050", 892, 9, "Medium/High"),
    (1, "G&CS051", 893, 9, "Medium/High"),
    (1, "FS031", 919, 5, "Medium/Low"),
    (1, "FS032", 920, 6, "Medium/Low"),
    (2, "CLL01", 1130, 9, "Medium/High"),
    (2, "CLL02", 1142, 3, "Low"),
    (2, "CLL03", 1179, 8, "Medium/High"),
    (2, "CLL04", 1180, 9, "Medium/High"),
    (2, "CLL05", 1181, 6, "Medium/Low"),
    (2, "CLL06", 1226, 12, "Medium/High"),
    (2, "CLL07", 1227, 8, "Medium/High"),
    (2, "G&C050", 1258, 9, "Medium/High"),
    (2, "FS031", 1288, 5, "Medium/Low"),
    (2, "FS032", 1289, 6, "Medium/Low"),
]


def _footnote_2(percent_off):
    return "G" if percent_off == 0 else ("A" if percent_off < 10 else "R")


def _rows(report):
    return {k["name"]: k for p in report["priorities"] for k in p["kpis"]}


def test_the_hand_workings_follow_the_footnotes():
    for _, _, _, _target, _result, off, ours, _ in KPI_RAGS:
        assert _footnote_2(off) == ours
    for _, _, _, this, last, percent, _, _ in DOTS:
        assert round((this - last) / last * 100, 1) == percent


@pytest.mark.parametrize("quarter, name, line, target, result, off, ours, printed", KPI_RAGS)
def test_every_rated_kpi(plan, quarter, name, line, target, result, off, ours, printed):  # noqa: F811
    row = _rows(services.build_report(plan[quarter]))[name]
    assert (row["target"], row["result"]) == (target, result), f"000:{line}"
    assert row["rag"] == ours, f"000:{line}"
    assert row["published_rag"] == printed and row["rag_differs"] == (ours != printed), f"000:{line}"
    assert (f"{off}% off target" if off else "on or better than target") in row["rag_basis"]


def test_every_other_kpi_is_not_rated(plan):  # noqa: F811
    rated = {(quarter, name) for quarter, name, *_ in KPI_RAGS}
    for quarter in (1, 2):
        for name, row in _rows(services.build_report(plan[quarter])).items():
            if (quarter, name) not in rated:
                # Monitor (004:25-29, 004:39-48), annual or not due (000:809, 000:1173, 000:1250), or no result yet.
                assert row["rag"] is None and row["rag_basis"].startswith("Not rated"), (quarter, name)


@pytest.mark.parametrize("quarter, name, line, this, last, percent, ours, printed", DOTS)
def test_every_direction_of_travel(plan, quarter, name, line, this, last, percent, ours, printed):  # noqa: F811
    row = _rows(services.build_report(plan[quarter]))[name]
    assert (row["dot"], row["dot_percent"], row["published_dot"]) == (ours, percent, printed), f"000:{line}"
    assert row["dot_differs"] == (name == "Volume of ASB calls to police" and quarter == 2)


@pytest.mark.parametrize("quarter, code, line, score, band", RISKS)
def test_every_risk_band(plan, quarter, code, line, score, band):  # noqa: F811
    report = services.build_report(plan[quarter])
    row = next(r for p in report["priorities"] for r in p["risks"] if r["code"] == code)
    assert (row["score"], row["band"]) == (score, band), f"000:{line}"
    assert row["band_basis"].startswith(f"Score {score}: {band}")
