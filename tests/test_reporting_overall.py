"""Each priority's overall rating, derived from the footnotes of the Q1 2019/20 report
(../shared/seeds/000_0692e8566ba44968.txt:750-756; repeated in the Q2 report at 000:1103-1109):

- footnote 1 (000:750): "Complete or Good progress = GREEN (where no Actions RAG rated RED); Satisfactory
  progress = AMBER (where no more than one Action RAG rated RED) or Limited progress = RED (where two or more
  Actions RAG rated RED)." The papers give only the summary, so: Good = no red action, Satisfactory = exactly
  one, Limited = two or more.
- footnote 2 (000:752): "On target = GREEN (G); Up to 9.9% off target = AMBER (A); 10% or more off target =
  RED (R)."
- footnote 3 (000:754): "High = 15 to 25 (RED)".
- footnote 4 (000:756): "Complete or Good progress = GREEN (where no Actions or KPIs RAG rated RED and no more
  than one high level risk); Satisfactory progress = AMBER (where no more than one Action or KPIs RAG rated RED
  and/or no more than two high level risks) or Limited progress = RED (where two or more Actions or KPIs RAG
  rated RED and/or more than two high level risks)." Read jointly (red actions + red KPIs) or separately.
"""

import pytest

from app.reporting import ratings, services
from app.reporting.ratings import AMBER, GREEN, RED

from .html import page_text, parse, text
from .test_reporting_views import draft, plan  # noqa: F401 (fixtures)

# (quarter, section): (actions summary as printed, red actions it means, red KPIs with their lines,
#                      high level risks, joint reading, separate reading, overall as printed)
PAPERS = {
    # Q1: Table 4 at 000:733-739; summaries at 000:744, 794, 826, 872, 898.
    (1, 5): ("Satisfactory", 1, [], 0, "Satisfactory", "Satisfactory", "Satisfactory"),
    # 000:807 ASB calls 8893 against 7855, smaller is better: 13.2% off target = RED.
    (1, 6): ("Satisfactory", 1, ["000:807"], 0, "Limited", "Satisfactory", "Satisfactory"),
    # 000:848 centres 9 of 10: 10.0% off = RED (printed A); 000:858 staff trained 4 of 25: 84% off = RED.
    (1, 7): ("Good", 0, ["000:848", "000:858"], 0, "Limited", "Limited", "Good"),
    (1, 8): ("Satisfactory", 1, [], 0, "Satisfactory", "Satisfactory", "Satisfactory"),
    # Libraries: every KPI "Monitor" (000:914), so only the actions summary rates it.
    (1, 9): ("Satisfactory", 1, [], 0, "Satisfactory", "Satisfactory", "Satisfactory"),
    # Q2: status at 000:1097, 1145, 1184, 1230, 1270; summaries at 000:1099, 1147, 1186, 1232, 1273.
    (2, 5): ("Good", 0, [], 0, "Good", "Good", "Good"),
    # 000:1160 ASB calls 9252 against 7855: 17.8% off = RED; the paper printed Good all the same.
    (2, 6): ("Good", 0, ["000:1160"], 0, "Satisfactory", "Satisfactory", "Good"),
    # 000:1204 centres 9 of 10 = RED (printed "9 (A)"), so Satisfactory; printed Good.
    (2, 7): ("Good", 0, ["000:1204"], 0, "Satisfactory", "Satisfactory", "Good"),
    # 000:1232 actions "Satisfactory progress" (one red action) under a printed status of Good (000:1230).
    (2, 8): ("Satisfactory", 1, [], 0, "Satisfactory", "Satisfactory", "Good"),
    (2, 9): ("Satisfactory", 1, [], 0, "Satisfactory", "Satisfactory", "Satisfactory"),
}


def _rate_by_hand(reds, highs):
    """Footnote 4 applied to a list of red counts (one for the joint reading, two for the separate one)."""
    if any(count >= 2 for count in reds) or highs > 2:
        return "Limited"
    if all(count == 0 for count in reds) and highs <= 1:
        return "Good"
    return "Satisfactory"


def test_the_derivations_in_this_file_follow_footnote_4():
    for summary, action_reds, red_kpis, highs, joint, separate, _ in PAPERS.values():
        assert ratings.SUMMARY_REDS[ratings.published_progress_code(summary)] == action_reds
        assert _rate_by_hand([action_reds + len(red_kpis)], highs) == joint
        assert _rate_by_hand([action_reds, len(red_kpis)], highs) == separate


def test_all_ten_2019_20_priority_ratings_follow_the_footnotes(plan):  # noqa: F811
    seen = 0
    for quarter, period in plan.items():
        report = services.build_report(period)
        for p in report["priorities"]:
            summary, action_reds, red_kpis, highs, joint, separate, printed = PAPERS[(quarter, p["position"])]
            where = f"Q{quarter} section {p['position']}"
            assert p["actions_summary_from"] == "summary", where
            assert p["action_reds"] == action_reds, where
            assert p["kpi_reds"] == len(red_kpis), where
            assert p["high_risks"] == highs, where
            assert (p["overall_label"], p["overall_separate_label"]) == (joint, separate), where
            # Where the papers printed something else, both are pinned.
            assert p["published_overall"] == printed, where
            assert p["overall_differs"] == (printed != joint), where
            assert p["readings_differ"] == (joint != separate), where
            seen += 1
    assert seen == 10


def test_q1_section_6_shows_both_readings_and_which_the_paper_used(client, plan):  # noqa: F811
    report = services.build_report(plan[1])
    asb = report["priorities"][1]
    assert asb["published_reading"] == "separate"
    assert "1 red action, from the actions summary 'Satisfactory progress'" in asb["overall_basis"]
    assert "1 red KPI of 3 rated" in asb["overall_basis"]
    assert "counted separately, the rule gives Satisfactory progress" in asb["overall_basis"]
    shown = page_text(parse(client.get("/reporting/2019-20-Q1")))
    assert "Counted together; counted separately: Satisfactory" in shown
    assert "which is the reading with red actions and red KPIs counted separately" in shown
    # Q2 section 8 (000:1230, 000:1232): printed Good with actions Satisfactory: neither reading.
    q2 = page_text(parse(client.get("/reporting/2019-20-Q2")))
    assert "The published report printed Good, which neither reading of the footnotes gives." in q2


def test_every_export_says_how_each_rating_was_reached(client, plan):  # noqa: F811
    import io

    from openpyxl import load_workbook

    data = client.get("/reporting/2019-20-Q1/export.json").get_json()
    asb = data["priorities"][1]
    assert (asb["overall_rating"], asb["overall_rating_separate_reading"], asb["readings_differ"]) == (RED, AMBER, True)
    assert (asb["red_actions"], asb["red_actions_from"], asb["red_kpis"]) == (1, "summary", 1)
    assert asb["overall_rating_basis"].startswith("Limited progress by footnote 4")
    calls = next(k for k in asb["kpis"] if k["name"] == "Volume of ASB calls to police")
    assert calls["rag_basis"].startswith("8893 against 7855: 13.2% off target; 10% or more off target = RED")
    csv_text = client.get("/reporting/2019-20-Q1/export.csv").get_data(as_text=True)
    assert "priority_overall_basis" in csv_text.splitlines()[0]
    assert "Limited progress by footnote 4" in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/reporting/2019-20-Q1/export.xlsx").data))
    rows = list(workbook["Priorities"].values)
    assert any("Limited progress by footnote 4" in str(cell) for cell in rows[2])
    pdf = client.get("/reporting/2019-20-Q1/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_an_empty_draft_is_not_rated_anywhere(client, draft, signed_in_as):  # noqa: F811
    report = services.build_report(draft)
    assert [p["overall_label"] for p in report["priorities"]] == ["Not rated"] * 5
    # The draft carries Q2's risk scores over (000:754, the register is live): they alone do not rate it.
    assert all(p["overall_basis"].startswith("Not rated") for p in report["priorities"])
    signed_in_as("strategy_officer")
    page = parse(client.get("/reporting/2019-20-Q3"))
    tags = [text(tag) for tag in page.select(".govuk-tag")]
    assert tags.count("Not rated") >= 10  # the table and each section
    assert "Good" not in tags


@pytest.mark.parametrize(
    "action_rags, summary, kpi_rags, scores, joint, separate",
    [
        ([], "", [], [16, 16, 16], None, None),  # risks alone: not rated
        ([], "Good", [], [], GREEN, GREEN),
        ([], "Limited", [], [], RED, RED),  # two or more red actions
        ([], "Satisfactory", ["R"], [], RED, AMBER),  # the two readings differ
        ([], "Good", ["G", "A"], [15, 20], AMBER, AMBER),  # two high level risks
        ([], "Good", ["G"], [15], GREEN, GREEN),  # one high level risk is allowed
        ([], "Good", ["G"], [15, 16, 25], RED, RED),  # more than two
        (["G", "R"], "Good", [], [], AMBER, AMBER),  # per-action RAGs win over the stated summary
        (["complete", "G"], "Limited", ["A"], [], GREEN, GREEN),
        ([], "", ["R", "R"], [], RED, RED),  # KPIs only
    ],
)
def test_overall_assessment_rules(action_rags, summary, kpi_rags, scores, joint, separate):
    result = ratings.overall_assessment(action_rags, summary, kpi_rags, scores)
    assert (result.code, result.separate_code) == (joint, separate)
