"""The rating rules of the quarterly report, as pure functions (no database, no request).

Each function quotes the footnote it implements. Source: the Q1 2019/20 report,
../shared/seeds/000_0692e8566ba44968.txt:750-756 (footnotes 1-4); the Q2 report repeats them word for word
at 000:1103-1109 (footnotes 2-5).

Where the published reports disagree with their own rules (for instance 000:848 rates 9 Hate Crime
Reporting Centres against a target of 10, which is exactly 10% off target, "(A)" where footnote 2 says RED),
these functions follow the rules; the report shows the published value beside ours.
"""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
import re

GREEN, AMBER, RED = "G", "A", "R"
RAG_LABELS = {GREEN: "Green", AMBER: "Amber", RED: "Red"}

IMPROVING, WORSENING, SAME = "I", "W", "S"
# 000:752: "Improving (↑ I), Worsening (↓ W) or Same (→ S)".
DOT_LABELS = {IMPROVING: "Improving", WORSENING: "Worsening", SAME: "Same"}
DOT_ARROWS = {IMPROVING: "↑", WORSENING: "↓", SAME: "→"}

# Footnotes 1 and 4: "Complete or Good progress = GREEN ... Satisfactory progress = AMBER ... Limited
# progress = RED".
PROGRESS_LABELS = {GREEN: "Good", AMBER: "Satisfactory", RED: "Limited"}
PROGRESS_FROM_LABEL = {"good": GREEN, "complete": GREEN, "satisfactory": AMBER, "limited": RED}

BIGGER, SMALLER = "bigger", "smaller"

ONE_DP = Decimal("0.1")


class RatingError(ValueError):
    """A figure the rules cannot rate (the message says why, for the officer)."""


# No figure in a council report comes near this; anything bigger (1e400, Infinity) is a typing slip or a probe,
# and would overflow a float column or the arithmetic of the rules.
MAX_FIGURE = Decimal("1e15")


def to_decimal(value):
    """A number (int, float, Decimal or numeric text) as a Decimal; floats go through their shortest repr.
    Infinity, NaN and figures beyond +/- MAX_FIGURE are refused (RatingError)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip().replace(",", "").rstrip("%"))
        except InvalidOperation as exc:
            raise RatingError(f"{value!r} is not a number") from exc
    if not number.is_finite() or abs(number) > MAX_FIGURE:
        raise RatingError(f"{value!r} is not a number the report can use")
    return number


def is_usable_number(value):
    """Whether a stored figure is one the rules can rate (finite, within MAX_FIGURE)."""
    try:
        return value is not None and to_decimal(value) is not None
    except RatingError:
        return False


def round_1dp(value):
    return value.quantize(ONE_DP, rounding=ROUND_HALF_UP)


# --- Targets --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """A parsed target. kind: "number" (rated), "monitor", "tbc" or "not_due" (not rated).

    ``strict`` is True for "Fewer than N" / "More than N" (004:30 "Fewer than 7855"; 000:1122 ">20000"):
    the result must beat N, not merely equal it."""

    kind: str
    value: Decimal | None = None
    strict: bool = False
    text: str = ""

    @property
    def is_rated(self):
        return self.kind == "number"


NUMBER = r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*(%|hrs?|hours?)?"
_TARGET_PATTERNS = (
    (re.compile(rf"^{NUMBER}$", re.I), False),
    (re.compile(rf"^(?:fewer|less) than\s+{NUMBER}$", re.I), True),
    (re.compile(rf"^(?:more|greater) than\s+{NUMBER}$", re.I), True),
    (re.compile(rf"^<\s*{NUMBER}$", re.I), True),
    (re.compile(rf"^>\s*{NUMBER}$", re.I), True),
)
NOT_DUE_WORDS = {"not due", "annual", "bi-annual", "n/a", "not applicable"}
TARGET_HELP = (
    "a number (like 30, 7.5 or 54%), 'Fewer than N', 'More than N', 'Monitor', 'TBC', or 'Not due' "
    "(or 'Annual') when nothing is due this quarter"
)


def parse_target(text):
    """Read a target as the reports print it. Raises RatingError for anything else.

    004:25 "TBC", 004:29 "Monitor", 004:30 "Fewer than 7855", 004:38 "54%" / "36hrs", 000:1122 ">20000",
    000:1173 (Q2) period target "Annual"."""
    raw = (text or "").strip()
    lowered = raw.lower()
    if not raw:
        raise RatingError("Enter a target: " + TARGET_HELP)
    if lowered == "monitor":
        return Target("monitor", text=raw)
    if lowered == "tbc":
        return Target("tbc", text=raw)
    if lowered in NOT_DUE_WORDS:
        return Target("not_due", text=raw)
    for pattern, strict in _TARGET_PATTERNS:
        match = pattern.match(raw)
        if match:
            return Target("number", to_decimal(match.group(1)), strict, raw)
    raise RatingError(f"'{raw}' is not a target the report can use. Enter " + TARGET_HELP)


# --- KPI RAG (footnote 2) -------------------------------------------------------------------------------

def percent_off_target(result, target_value, polarity):
    """How far the result falls short of the target, as a percentage of the target (0 when on or beyond it).

    000:752 (footnote 2): "KPI RAG rating reflects the percentage variance of the result against the
    target"."""
    result, target_value = to_decimal(result), to_decimal(target_value)
    shortfall = target_value - result if polarity == BIGGER else result - target_value
    if shortfall <= 0:
        return Decimal(0)
    if target_value == 0:
        # Any shortfall against a target of zero is infinitely far off: RED.
        return Decimal("Infinity")
    return shortfall / abs(target_value) * 100


def kpi_rag(result, target, polarity):
    """The KPI's RAG, or None when the rules do not rate it (no result, or a Monitor / TBC / not-due target).

    000:752 (footnote 2): "On target = GREEN (G); Up to 9.9% off target = AMBER (A); 10% or more off
    target = RED (R)."

    The footnote leaves no room between 9.9% and 10%: the percentage is rounded to one decimal place (as
    the reports print percentages) before it is compared, so 9.94% is AMBER and 9.95% is RED.
    A strict target ("Fewer than 7855") that the result only equals is 0.0% off target but not on target:
    AMBER."""
    if isinstance(target, str):
        target = parse_target(target)
    if result is None or not target.is_rated:
        return None
    if polarity not in (BIGGER, SMALLER):
        raise RatingError(f"Unknown polarity {polarity!r}")
    result = to_decimal(result)
    if result == target.value:
        return AMBER if target.strict else GREEN
    off = percent_off_target(result, target.value, polarity)
    if off == 0:
        return GREEN
    if off.is_infinite() or round_1dp(off) >= 10:
        return RED
    return AMBER


# --- Direction of travel (footnote 2) -------------------------------------------------------------------

@dataclass(frozen=True)
class Direction:
    code: str  # I, W or S
    percent: Decimal  # rounded to one decimal place

    @property
    def label(self):
        return DOT_LABELS[self.code]

    @property
    def text(self):
        """Printed as in the reports: "↓ W +9.4%"."""
        sign = "+" if self.percent > 0 else ""
        return f"{DOT_ARROWS[self.code]} {self.code} {sign}{self.percent}%"


def direction_of_travel(this, last, polarity):
    """Direction of travel against the same quarter last year, or None when it cannot be computed.

    000:752 (footnote 2): "The percentage variation is calculated as follows: Q1 19/20 result minus
    Q1 18/19 result equals difference; then difference divided by Q1 18/19 result multiplied by 100 =
    percentage variation." Improving / Worsening follow the KPI's polarity; Same when the percentage,
    rounded to one decimal place as printed, is 0.0. A zero last-year result cannot be divided by: None
    (unless both are zero: Same)."""
    if this is None or last is None:
        return None
    this, last = to_decimal(this), to_decimal(last)
    if last == 0:
        return Direction(SAME, Decimal("0.0")) if this == 0 else None
    percent = round_1dp((this - last) / abs(last) * 100)
    if percent == 0:
        return Direction(SAME, Decimal("0.0"))
    better = percent > 0 if polarity == BIGGER else percent < 0
    return Direction(IMPROVING if better else WORSENING, percent)


# --- Risks (footnote 3) ---------------------------------------------------------------------------------

# 000:754 (footnote 3): "The risk ratings are: Low = 1 to 3 (GREEN); Medium/Low = 4 to 6 (YELLOW);
# Medium/High = 8 to 12 (AMBER); and High = 15 to 25 (RED)."
RISK_BANDS = (
    (1, 3, "Low", "GREEN"),
    (4, 6, "Medium/Low", "YELLOW"),
    (8, 12, "Medium/High", "AMBER"),
    (15, 25, "High", "RED"),
)


@dataclass(frozen=True)
class RiskBand:
    name: str
    colour: str
    low: int
    high: int


def risk_score(likelihood, impact):
    """Likelihood x impact on the council's 5 x 5 matrix."""
    for name, value in (("Likelihood", likelihood), ("Impact", impact)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise RatingError(f"{name} must be a whole number from 1 to 5")
    return likelihood * impact


def risk_band(score):
    """The band of a risk score. Scores the 5 x 5 matrix cannot produce (7, 13, 14, above 25) have no band."""
    if not isinstance(score, int) or isinstance(score, bool):
        raise RatingError("A risk score must be a whole number")
    for low, high, name, colour in RISK_BANDS:
        if low <= score <= high:
            return RiskBand(name, colour, low, high)
    raise RatingError(f"{score} is not a possible risk score (likelihood x impact, each 1 to 5)")


def is_high_risk(score):
    """000:728 "High (15 to 25) level risks from the Corporate Risk Register"."""
    return risk_band(score).name == "High"


# --- Actions summary (footnote 1) and overall rating (footnote 4) ----------------------------------------

def actions_summary(action_rags):
    """The summary RAG of a priority's actions, or None when no action is rated.

    000:750 (footnote 1): "Complete or Good progress = GREEN (where no Actions RAG rated RED); Satisfactory
    progress = AMBER (where no more than one Action RAG rated RED) or Limited progress = RED (where two or
    more Actions RAG rated RED)." Only the count of RED actions matters; "complete" counts as not RED."""
    rated = [rag for rag in action_rags if rag]
    if not rated:
        return None
    reds = sum(1 for rag in rated if rag == RED)
    if reds == 0:
        return GREEN
    if reds == 1:
        return AMBER
    return RED


def overall_rating(action_rags, kpi_rags, risk_scores):
    """A priority's overall performance.

    000:756 (footnote 4): "Complete or Good progress = GREEN (where no Actions or KPIs RAG rated RED and no
    more than one high level risk); Satisfactory progress = AMBER (where no more than one Action or KPIs RAG
    rated RED and/or no more than two high level risks) or Limited progress = RED (where two or more Actions
    or KPIs RAG rated RED and/or more than two high level risks)."

    REDs are counted across actions and KPIs together; high level risks are those scoring 15 to 25. RED wins
    over AMBER, AMBER over GREEN. Returns None when there is nothing at all to rate."""
    action_rags = [rag for rag in action_rags if rag]
    kpi_rags = [rag for rag in kpi_rags if rag]
    risk_scores = [score for score in risk_scores if score is not None]
    if not (action_rags or kpi_rags or risk_scores):
        return None
    reds = sum(1 for rag in action_rags + kpi_rags if rag == RED)
    highs = sum(1 for score in risk_scores if is_high_risk(score))
    if reds >= 2 or highs > 2:
        return RED
    if reds == 0 and highs <= 1:
        return GREEN
    return AMBER


def progress_label(rag):
    return PROGRESS_LABELS.get(rag, "Not rated")


def published_progress_code(text):
    """'Good' / 'Satisfactory progress' / 'Limited' as printed -> G / A / R (None when blank)."""
    word = (text or "").strip().lower().split(" ")[0]
    return PROGRESS_FROM_LABEL.get(word)
