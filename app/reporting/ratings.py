"""The rating rules of the quarterly report, as pure functions (no database, no request).

Each function quotes the footnote it implements. Source: the Q1 2019/20 report,
../shared/seeds/000_0692e8566ba44968.txt:750-756 (footnotes 1-4); the Q2 report repeats them word for word
at 000:1103-1109 (footnotes 2-5).

Where the published reports disagree with their own rules (for instance 000:848 rates 9 Hate Crime
Reporting Centres against a target of 10, which is exactly 10% off target, "(A)" where footnote 2 says RED),
these functions follow the rules; the report shows the published value beside ours.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
    # "3 at any point in time" (000:1163): the quarter-end snapshot is compared with the target.
    at_any_time: bool = False
    percentage: bool = False

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
_AT_ANY_TIME = re.compile(r"\s+at any (?:one |single )?(?:point in |point of |)time$", re.I)
NOT_DUE_WORDS = {"not due", "annual", "bi-annual", "n/a", "not applicable"}
TARGET_HELP = (
    "a number (like 30, 7.5 or 54%), 'Fewer than N', 'More than N', 'N at any point in time', 'Monitor', "
    "'TBC', or 'Not due' (or 'Annual') when nothing is due this quarter"
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
    at_any_time = False
    stripped = _AT_ANY_TIME.sub("", raw).strip()
    if stripped != raw:
        at_any_time, raw_number = True, stripped
    else:
        raw_number = raw
    for pattern, strict in _TARGET_PATTERNS:
        match = pattern.match(raw_number)
        if match:
            return Target(
                "number",
                to_decimal(match.group(1)),
                strict,
                raw,
                at_any_time=at_any_time,
                percentage=(match.group(2) or "") == "%",
            )
    raise RatingError(f"'{raw}' is not a target the report can use. Enter " + TARGET_HELP)


def target_rule(target, polarity, measure=""):
    """How a target rates, in words (shown beside every target in the plan and the report).

    Types: a number or a percentage (004:38 "54%"), "Fewer than N" / "More than N" (004:30, 000:1122),
    "N at any point in time" (000:1163, 000:1169), "Monitor" (004:29), "TBC" (004:25), "Not due" / "Annual"
    (000:1173), and cumulative targets (c), which may be re-phased from one quarter to the next (000:1238)."""
    if isinstance(target, str):
        try:
            target = parse_target(target)
        except RatingError:
            return "Not a target the report can rate"
    if target.kind == "monitor":
        return "Monitor: the result is reported, not rated"
    if target.kind == "tbc":
        return "To be confirmed: not rated until a target is set"
    if target.kind == "not_due":
        return "Not due this quarter: not rated"
    figure = _figure(target.value) + ("%" if target.percentage else "")
    kind = "Percentage" if target.percentage else "Number"
    better = "or more" if polarity == BIGGER else "or fewer"
    if target.strict:
        words = "more than" if polarity == BIGGER else "fewer than"
        rule = (
            f"{kind}: must be {words} {figure} (exactly {figure} is Amber); otherwise Amber up to 9.9% off "
            f"and Red from 10% off"
        )
    else:
        rule = f"{kind}: Green at {figure} {better}, Amber up to 9.9% off, Red from 10% off"
    if target.at_any_time:
        rule += "; compared with the count at the end of the quarter (at any point in time)"
    elif measure == "c":
        rule += "; cumulative: the result so far this year against the target so far"
    return rule


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


RAG_RULE_WORDS = {
    GREEN: "On target = GREEN (G)",
    AMBER: "Up to 9.9% off target = AMBER (A)",
    RED: "10% or more off target = RED (R)",
}
TARGET_KIND_WORDS = {
    "monitor": "a 'Monitor' target is watched, not rated",
    "tbc": "a target 'To be confirmed' cannot be rated yet",
    "not_due": "no target is due this quarter",
}


def _figure(value):
    value = to_decimal(value)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value}"


def kpi_rag_basis(result, target, polarity):
    """How footnote 2 rated (or did not rate) a KPI, in words for the page and the exports."""
    if isinstance(target, str):
        target = parse_target(target)
    if not target.is_rated:
        return f"Not rated: {TARGET_KIND_WORDS[target.kind]}"
    if result is None:
        return "Not rated: no result for this quarter"
    rag = kpi_rag(result, target, polarity)
    if to_decimal(result) == target.value and target.strict:
        return (
            f"{_figure(result)} equals '{target.text}' but does not beat it: counted as up to 9.9% off "
            f"target = AMBER (A) ({FOOTNOTE_2})"
        )
    off = percent_off_target(result, target.value, polarity)
    if off == 0:
        how = "on or better than target"
    elif off.is_infinite():
        how = "off a target of zero"
    else:
        how = f"{round_1dp(off)}% off target"
    return f"{_figure(result)} against {_figure(target.value)}: {how}; {RAG_RULE_WORDS[rag]} ({FOOTNOTE_2})"


# --- Direction of travel (footnote 2) -------------------------------------------------------------------


@dataclass(frozen=True)
class Direction:
    code: str  # I, W or S
    percent: Decimal  # rounded to one decimal place

    @property
    def label(self):
        return DOT_LABELS[self.code]

    def basis(self, this, last, polarity):
        """How footnote 2 reached it: "(77 - 70.4) / 70.4 x 100 = +9.4%; smaller is better: Worsening"."""
        sign = "+" if self.percent > 0 else ""
        better = "bigger is better" if polarity == BIGGER else "smaller is better"
        divisor = _figure(abs(to_decimal(last)))
        return (
            f"({_figure(this)} - {_figure(last)}) / {divisor} x 100 = {sign}{self.percent}%; "
            f"{better}: {self.label} ({FOOTNOTE_2})"
        )

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
    """A priority's overall performance on the joint reading of footnote 4, from per-action and per-KPI RAGs
    (kept for callers that have per-action RAGs; ``overall_assessment`` is the full rule). None when no
    action or KPI is rated."""
    assessment = overall_assessment(action_rags, "", kpi_rags, risk_scores)
    return assessment.code


# Footnote 1 read backwards: a published summary says how many actions were RED. "Good" (or "Complete"):
# none; "Satisfactory": exactly one (with none it would be Good); "Limited": two or more (two is enough to
# decide every rule that uses the count).
SUMMARY_REDS = {GREEN: 0, AMBER: 1, RED: 2}
SUMMARY_RED_WORDS = {GREEN: "no red action", AMBER: "exactly one red action", RED: "two or more red actions"}

# How the explanations name the rules. These words go on public pages and exports, so they name the
# report's footnotes, not our source files (000_0692e8566ba44968.txt:750-756).
FOOTNOTE_1, FOOTNOTE_2, FOOTNOTE_3, FOOTNOTE_4 = "footnote 1", "footnote 2", "footnote 3", "footnote 4"

JOINT, SEPARATE = "joint", "separate"
READING_LABELS = {
    JOINT: "red actions and red KPIs counted together",
    SEPARATE: "red actions and red KPIs counted separately",
}


def _plural(count, word, at_least=False):
    text = f"{'at least ' if at_least else ''}{count} {word}{'' if count == 1 else 's'}"
    return text


@dataclass(frozen=True)
class OverallAssessment:
    """How footnote 4 rates a priority, with everything it counted.

    000:756 (footnote 4): "Complete or Good progress = GREEN (where no Actions or KPIs RAG rated RED and no
    more than one high level risk); Satisfactory progress = AMBER (where no more than one Action or KPIs RAG
    rated RED and/or no more than two high level risks) or Limited progress = RED (where two or more Actions
    or KPIs RAG rated RED and/or more than two high level risks)."

    "no more than one Action or KPIs RAG rated RED" can be read as one count over actions and KPIs together
    (``joint``) or as a count for each (``separate``): one red action and one red KPI are Limited on the
    first reading and Satisfactory on the second. Both are computed; ``code`` is the joint reading (the
    words "two or more Actions or KPIs" count them as one set), and the page shows the separate one too
    where the two differ (Q1 2019/20 section 6, 000:736, printed Satisfactory: the separate reading)."""

    code: str | None  # G / A / R on the joint reading; None when nothing is rated
    separate_code: str | None
    action_reds: int | None  # None when no action is rated and no summary given
    action_reds_at_least: bool  # True when the count comes from a "Limited" summary (two or more)
    actions_from: str  # "actions" (per-action RAGs), "summary" (footnote 1 read backwards) or ""
    actions_rated: int
    summary_code: str | None  # the actions summary used (computed or stated)
    kpi_reds: int
    kpis_rated: int
    high_risks: int
    risks_assessed: int

    @property
    def rated(self):
        return self.code is not None

    @property
    def readings_differ(self):
        return self.code != self.separate_code

    @property
    def label(self):
        return progress_label(self.code)

    @property
    def separate_label(self):
        return progress_label(self.separate_code)

    def counts_text(self):
        if self.actions_from == "actions":
            actions = f"{_plural(self.action_reds, 'red action')} of {self.actions_rated} rated ({FOOTNOTE_1})"
        elif self.actions_from == "summary":
            actions = (
                f"{_plural(self.action_reds, 'red action', self.action_reds_at_least)}, from the actions "
                f"summary '{PROGRESS_LABELS[self.summary_code]} progress', which by {FOOTNOTE_1} means "
                f"{SUMMARY_RED_WORDS[self.summary_code]}"
            )
        else:
            actions = "actions not rated"
        kpis = (
            f"{_plural(self.kpi_reds, 'red KPI')} of {self.kpis_rated} rated ({FOOTNOTE_2})"
            if self.kpis_rated
            else "no KPI rated"
        )
        risks = (
            f"{_plural(self.high_risks, 'high level risk')} (scoring 15 to 25, {FOOTNOTE_3}) of "
            f"{self.risks_assessed} assessed"
        )
        return f"{actions}; {kpis}; {risks}"

    def explanation(self):
        """One sentence for the page and every export: the counts, the rule, the result."""
        if not self.rated:
            return (
                f"Not rated: no action and no KPI has a rating for this quarter ({self.counts_text()}). "
                f"Footnote 4 rates a priority on its actions and KPIs, so risks alone do not give a rating."
            )
        text = (
            f"{self.label} progress by {FOOTNOTE_4}: {self.counts_text()}. "
            f"Counted together: {self._together()} red; {self._why(self.code, JOINT)}."
        )
        if self.readings_differ:
            text += (
                f" Read with red actions and red KPIs counted separately, the rule gives "
                f"{self.separate_label} progress ({self._why(self.separate_code, SEPARATE)})."
            )
        return text

    def _together(self):
        total = (self.action_reds or 0) + self.kpi_reds
        return f"{'at least ' if self.action_reds_at_least else ''}{total}"

    def _why(self, code, reading):
        if code == RED:
            if self.high_risks > 2:
                return "more than two high level risks = Limited progress (RED)"
            if reading == JOINT:
                return "two or more Actions or KPIs RAG rated RED = Limited progress (RED)"
            return "two or more Actions, or two or more KPIs, RAG rated RED = Limited progress (RED)"
        if code == AMBER:
            if self.high_risks == 2 and (self.action_reds or 0) + self.kpi_reds == 0:
                return "two high level risks = Satisfactory progress (AMBER)"
            return "no more than one Action or KPI RAG rated RED = Satisfactory progress (AMBER)"
        return "no Actions or KPIs RAG rated RED and no more than one high level risk = Good progress (GREEN)"


def _rate(reds_counts, highs):
    """Footnote 4 on a list of red counts (one count for the joint reading, two for the separate one)."""
    if any(count >= 2 for count in reds_counts) or highs > 2:
        return RED
    if all(count == 0 for count in reds_counts) and highs <= 1:
        return GREEN
    return AMBER


def overall_assessment(action_rags, stated_actions_summary, kpi_rags, risk_scores):
    """Footnote 4 on a priority's figures. Red actions come from per-action RAGs where any is recorded,
    otherwise from the stated actions summary ("Good", "Satisfactory", "Limited" progress) as footnote 1
    defines it; red KPIs from the KPI RAGs (footnote 2); high level risks score 15 to 25 (footnote 3).
    Nothing rated (no action RAG, no summary, no KPI RAG) is "Not rated", whatever the risks."""
    action_rags = [rag for rag in action_rags if rag]
    kpi_rags = [rag for rag in kpi_rags if rag]
    risk_scores = [score for score in risk_scores if score is not None]
    highs = sum(1 for score in risk_scores if is_high_risk(score))
    kpi_reds = sum(1 for rag in kpi_rags if rag == RED)
    at_least = False
    if action_rags:
        actions_from = "actions"
        action_reds = sum(1 for rag in action_rags if rag == RED)
        summary = actions_summary(action_rags)
    else:
        summary = published_progress_code(stated_actions_summary)
        if summary is not None:
            actions_from = "summary"
            action_reds = SUMMARY_REDS[summary]
            at_least = summary == RED
        else:
            actions_from, action_reds = "", None
    if action_reds is None and not kpi_rags:
        code = separate = None
    else:
        code = _rate([(action_reds or 0) + kpi_reds], highs)
        separate = _rate([action_reds or 0, kpi_reds], highs)
    return OverallAssessment(
        code=code,
        separate_code=separate,
        action_reds=action_reds,
        action_reds_at_least=at_least,
        actions_from=actions_from,
        actions_rated=len(action_rags),
        summary_code=summary,
        kpi_reds=kpi_reds,
        kpis_rated=len(kpi_rags),
        high_risks=highs,
        risks_assessed=len(risk_scores),
    )


def progress_label(rag):
    return PROGRESS_LABELS.get(rag, "Not rated")


def published_progress_code(text):
    """'Good' / 'Satisfactory progress' / 'Limited' as printed -> G / A / R (None when blank)."""
    word = (text or "").strip().lower().split(" ")[0]
    return PROGRESS_FROM_LABEL.get(word)
