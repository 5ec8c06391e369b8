"""The rating rules of the quarterly report (000_0692e8566ba44968.txt:750-756, footnotes 1-4), as pure functions."""

from decimal import Decimal

import pytest

from app.reporting import ratings
from app.reporting.ratings import AMBER, BIGGER, GREEN, RED, SMALLER

# --- KPI RAG, footnote 2 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "result, target, polarity, expected",
    [
        (19, "7", BIGGER, GREEN),  # 000:768 "19 (G)"
        (7, "7", BIGGER, GREEN),  # exactly on target
        (218, "187", BIGGER, GREEN),  # 000:886
        (4, "25", BIGGER, RED),  # 000:858 "4 (R)": 84% off
        (8893, "7855", SMALLER, RED),  # 000:807 "8893 (R)": 13.2% off
        (7000, "7855", SMALLER, GREEN),  # below a smaller-is-better target
        (95, "100", BIGGER, AMBER),  # 5% off
        (90.1, "100", BIGGER, AMBER),  # 9.9% off: "Up to 9.9% off target = AMBER"
        (90.06, "100", BIGGER, AMBER),  # 9.94% rounds to 9.9%
        (90.05, "100", BIGGER, RED),  # 9.95% rounds to 10.0%: "10% or more off target = RED"
        (90, "100", BIGGER, RED),  # exactly 10%
        (108, "100", SMALLER, AMBER),
        (110, "100", SMALLER, RED),
        (54, "54%", BIGGER, GREEN),  # percentage targets (004:38)
        (50, "54%", BIGGER, AMBER),  # 7.4% off
    ],
)
def test_kpi_rag_follows_footnote_2(result, target, polarity, expected):
    assert ratings.kpi_rag(result, target, polarity) == expected


def test_nine_centres_against_a_target_of_ten_is_red_although_the_report_printed_amber():
    # 000:848 prints "9 (A)"; (10 - 9) / 10 x 100 = 10% off target, and footnote 2 says 10% or more is RED.
    assert ratings.kpi_rag(9, "10", BIGGER) == RED


@pytest.mark.parametrize("target", ["Monitor", "TBC", "Not due", "Annual", "monitor"])
def test_monitor_tbc_and_not_due_targets_are_not_rated(target):
    assert ratings.kpi_rag(22789, target, BIGGER) is None


def test_no_result_is_not_rated():
    assert ratings.kpi_rag(None, "2", BIGGER) is None


def test_strict_targets_must_be_beaten():
    # 004:30 "Fewer than 7855"; 000:1122 ">20000"
    assert ratings.kpi_rag(7854, "Fewer than 7855", SMALLER) == GREEN
    assert ratings.kpi_rag(7855, "Fewer than 7855", SMALLER) == AMBER
    assert ratings.kpi_rag(24103, ">20000", BIGGER) == GREEN
    assert ratings.kpi_rag(20000, "More than 20000", BIGGER) == AMBER
    assert ratings.kpi_rag(17000, ">20000", BIGGER) == RED


def test_a_zero_target_is_red_when_missed():
    assert ratings.kpi_rag(0, "0", SMALLER) == GREEN
    assert ratings.kpi_rag(1, "0", SMALLER) == RED


@pytest.mark.parametrize(
    "text, kind, value, strict",
    [
        ("30", "number", Decimal("30"), False),
        ("1,936", "number", Decimal("1936"), False),
        ("54%", "number", Decimal("54"), False),
        ("36hrs", "number", Decimal("36"), False),
        ("Fewer than 7855", "number", Decimal("7855"), True),
        (">20000", "number", Decimal("20000"), True),
        ("TBC", "tbc", None, False),
        ("Monitor", "monitor", None, False),
        ("Annual", "not_due", None, False),
    ],
)
def test_parse_target_reads_targets_as_printed(text, kind, value, strict):
    target = ratings.parse_target(text)
    assert (target.kind, target.value, target.strict) == (kind, value, strict)


@pytest.mark.parametrize("text", ["", "lots", "2 by Q3 19/20", "ten"])
def test_parse_target_rejects_anything_else_with_a_helpful_message(text):
    with pytest.raises(ratings.RatingError, match="Enter|not a target"):
        ratings.parse_target(text)


# --- Direction of travel, footnote 2 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "this, last, polarity, code, percent",
    [
        (77.0, 70.4, SMALLER, "W", Decimal("9.4")),  # 000:770 "↓ W +9.4 %"
        (77.9, 71.1, SMALLER, "W", Decimal("9.6")),  # 000:1123 "↓ W +9.6 %"
        (774, 719, SMALLER, "W", Decimal("7.6")),  # 000:847 "↓ W +7.6%"
        (796, 711, SMALLER, "W", Decimal("12.0")),  # 000:1203 "↓ W +12%"
        (8893, 8078, SMALLER, "W", Decimal("10.1")),  # 000:807 "↓ W +10%"
        (60, 50, BIGGER, "I", Decimal("20.0")),
        (40, 50, BIGGER, "W", Decimal("-20.0")),
        (40, 50, SMALLER, "I", Decimal("-20.0")),
        (50, 50, BIGGER, "S", Decimal("0.0")),
        (50.01, 50, BIGGER, "S", Decimal("0.0")),  # 0.02% prints as 0.0%: Same
    ],
)
def test_direction_of_travel_follows_footnote_2(this, last, polarity, code, percent):
    direction = ratings.direction_of_travel(this, last, polarity)
    assert (direction.code, direction.percent) == (code, percent)


def test_asb_calls_q2_direction_is_computed_although_the_report_printed_ten_percent():
    # 000:1160 prints "↓ W +10%" for 9252 against 8000: (9252 - 8000) / 8000 x 100 = 15.65%.
    direction = ratings.direction_of_travel(9252, 8000, SMALLER)
    assert direction.text == "↓ W +15.7%"


def test_direction_needs_both_results_and_a_non_zero_base():
    assert ratings.direction_of_travel(5, None, BIGGER) is None
    assert ratings.direction_of_travel(None, 5, BIGGER) is None
    assert ratings.direction_of_travel(5, 0, BIGGER) is None
    assert ratings.direction_of_travel(0, 0, BIGGER).code == "S"


# --- Risks, footnote 3 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "score, band, colour",
    [
        (1, "Low", "GREEN"),
        (3, "Low", "GREEN"),
        (4, "Medium/Low", "YELLOW"),
        (6, "Medium/Low", "YELLOW"),
        (8, "Medium/High", "AMBER"),
        (12, "Medium/High", "AMBER"),
        (15, "High", "RED"),
        (25, "High", "RED"),
    ],
)
def test_risk_bands_follow_footnote_3(score, band, colour):
    assert (ratings.risk_band(score).name, ratings.risk_band(score).colour) == (band, colour)


@pytest.mark.parametrize("score", [0, 7, 13, 14, 26])
def test_scores_the_five_by_five_matrix_cannot_make_have_no_band(score):
    with pytest.raises(ratings.RatingError):
        ratings.risk_band(score)


def test_every_possible_likelihood_times_impact_has_a_band():
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            assert ratings.risk_band(ratings.risk_score(likelihood, impact))


def test_likelihood_and_impact_are_one_to_five():
    with pytest.raises(ratings.RatingError, match="Likelihood"):
        ratings.risk_score(6, 1)
    with pytest.raises(ratings.RatingError, match="Impact"):
        ratings.risk_score(1, 0)


# --- Actions summary, footnote 1; overall rating, footnote 4 ----------------------------------------------


@pytest.mark.parametrize(
    "rags, expected",
    [(["G", "complete", "A"], GREEN), (["G", "R"], AMBER), (["R", "R", "G"], RED), ([], None), (["", ""], None)],
)
def test_actions_summary_follows_footnote_1(rags, expected):
    assert ratings.actions_summary(rags) == expected


@pytest.mark.parametrize(
    "actions, kpis, risks, expected",
    [
        (["G"], ["G", None, "A"], [9, 3], GREEN),  # no RED, no high risk
        ([], ["G"], [15], GREEN),  # one high level risk is still GREEN
        ([], ["G"], [15, 20], AMBER),  # two high level risks
        ([], ["G"], [15, 20, 25], RED),  # more than two
        (["R"], ["G"], [], AMBER),  # one RED action
        ([], ["R", "A"], [], AMBER),  # one RED KPI
        (["R"], ["R"], [], RED),  # two REDs across actions and KPIs
        ([], ["R", "R"], [], RED),
        ([], [None], [], None),  # nothing to rate
    ],
)
def test_overall_rating_follows_footnote_4(actions, kpis, risks, expected):
    assert ratings.overall_rating(actions, kpis, risks) == expected


def test_hate_crime_priority_q1_is_satisfactory_by_the_rules_although_published_good():
    # 000:848-860: KPIs G, R (9 of 10 centres), G, G, R (4 of 25 staff), G, G; risks 12 and 8 (000:866-867).
    kpis = [None, ratings.kpi_rag(9, "10", BIGGER), GREEN, GREEN, ratings.kpi_rag(4, "25", BIGGER), GREEN, GREEN]
    assert ratings.overall_rating([], kpis, [12, 8]) == RED  # two REDs
    # As published, with the centres AMBER, there is still one RED KPI: Satisfactory, not "Good" (000:737).
    assert ratings.overall_rating([], [AMBER, RED, GREEN], [12, 8]) == AMBER


def test_published_progress_words_are_read():
    assert ratings.published_progress_code("Good") == GREEN
    assert ratings.published_progress_code("Satisfactory progress") == AMBER
    assert ratings.published_progress_code("Limited") == RED
    assert ratings.published_progress_code("") is None
