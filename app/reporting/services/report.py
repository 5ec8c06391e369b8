"""Building a quarter's report: ``build_report`` turns the stored figures into one plain structure (dicts
and lists) that the web page, the PDF, the CSV / XLSX / JSON exports and the CLI all use, so they can never
disagree. The rules themselves are pure functions in ratings.py."""

import re
from decimal import ROUND_HALF_UP, Decimal

from ...extensions import db
from .. import ratings
from ..models import APPROVED, MEASURE_MARKS, POLARITY_LABELS, BudgetLine, ReportPeriod, RiskAssessment
from .periods import (
    action_update_for,
    format_number,
    priorities_for_year,
    priority_update_for,
    result_for,
    risk_assessment_for,
)


def kpi_row(kpi, result):
    """One KPI's line of the report, with our RAG and DOT and the published ones."""
    target_text = result.target if result else ""
    problems = []
    target = None
    if target_text:
        try:
            target = ratings.parse_target(target_text)
        except ratings.RatingError as exc:
            problems.append(str(exc))
    value = result.result if result else None
    previous_value = result.previous_result if result else None
    # Figures stored before the forms refused Infinity, NaN and 1e400 (issue 12 finding 10) are shown as a
    # problem, never rated or drawn.
    if value is not None and not ratings.is_usable_number(value):
        problems.append("The stored result is not a number the report can use: enter it again")
        value = None
    if previous_value is not None and not ratings.is_usable_number(previous_value):
        problems.append("The stored result for last year is not a number the report can use: enter it again")
        previous_value = None
    rag = None
    if target is not None and value is not None:
        rag = ratings.kpi_rag(value, target, kpi.polarity)
    dot = None
    if result is not None:
        dot = ratings.direction_of_travel(value, previous_value, kpi.polarity)
    rag_basis = ""
    if target is not None and not problems:
        rag_basis = ratings.kpi_rag_basis(value, target, kpi.polarity)
    elif not target_text:
        rag_basis = "Not rated: no target entered for this quarter"
    dot_basis = dot.basis(value, previous_value, kpi.polarity) if dot else ""
    published_rag = (result.published_rag if result else "") or ""
    published_dot = (result.published_dot if result else "") or ""
    row = {
        "id": kpi.id,
        "name": kpi.name,
        "mark": MEASURE_MARKS.get(kpi.measure, ""),
        "measure": kpi.measure,
        "polarity": kpi.polarity,
        "polarity_label": POLARITY_LABELS.get(kpi.polarity, kpi.polarity),
        "unit": kpi.unit,
        "previous_year_end": kpi.previous_year_end,
        "annual_target": kpi.annual_target,
        "new_for_year": kpi.new_for_year,
        "live_source": kpi.live_source or "",
        "target": target_text,
        "target_rated": bool(target and target.is_rated),
        "target_rule": ratings.target_rule(target, kpi.polarity, kpi.measure) if target is not None else "",
        "rephased": "",
        "result": value,
        "result_text": format_number(value, kpi.unit) if value is not None else (result.result_note if result else ""),
        "previous_result": previous_value,
        "previous_result_text": (
            format_number(previous_value, kpi.unit)
            if previous_value is not None
            else (result.previous_result_note if result else "")
        ),
        "benchmark": result.benchmark if result else "",
        "notes": result.notes if result else "",
        "commentary": result.commentary if result else "",
        "variance_explanation": result.variance_explanation if result else "",
        "rag": rag,
        "rag_label": ratings.RAG_LABELS.get(rag, "Not rated"),
        "rag_basis": rag_basis,
        "dot_basis": dot_basis,
        "published_rag": published_rag,
        "rag_differs": bool(published_rag) and published_rag != (rag or ""),
        "dot": dot.code if dot else None,
        "dot_label": dot.label if dot else "",
        "dot_percent": float(dot.percent) if dot else None,
        "dot_text": dot.text if dot else "",
        "published_dot": published_dot,
        "dot_differs": bool(dot) and bool(published_dot) and not dot_matches_published(dot, published_dot),
        "live_taken_at": result.live_taken_at if result else None,
        "problems": problems,
        "entered": result is not None,
    }
    if not row["result_text"] and not row["entered"]:
        row["result_text"] = "Not entered"
    return row


def dot_matches_published(direction, published):
    """Whether the printed DOT ("↓ W +10%") says the same as ours, to the precision it was printed with:
    "+10%" agrees with +10.1% but not with +15.7%. Text such as "New for 19/20" is not compared."""
    match = re.search(r"\b([IWS])\b\s*([+-]?\d+(?:\.(\d+))?)?\s*%?", published or "")
    if not match:
        return True
    if match.group(1) != direction.code:
        return False
    if match.group(2) is None:
        return True
    places = len(match.group(3) or "")
    printed = Decimal(match.group(2))
    ours = direction.percent.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return ours == printed


def risk_row(risk, assessment):
    score = assessment.score if assessment else None
    band = None
    problem = ""
    if score:
        try:
            band = ratings.risk_band(score)
        except ratings.RatingError as exc:
            problem = str(exc)
    basis = ""
    if band:
        basis = f"Score {score}: {band.name} = {band.low} to {band.high} ({band.colour}), footnote 3" + (
            "; a high level risk for footnote 4" if band.name == "High" else ""
        )
    return {
        "id": risk.id,
        "band_basis": basis,
        "code": risk.code,
        "title": risk.title,
        "description": risk.description,
        "likelihood": assessment.likelihood if assessment else None,
        "impact": assessment.impact if assessment else None,
        "score": score,
        "band": band.name if band else "",
        "colour": band.colour if band else "",
        "high": bool(band and band.name == "High"),
        "controls": assessment.controls if assessment else "",
        "assessed": bool(assessment and score),
        "problem": problem,
    }


def risk_history(risk):
    """The risk's score in every quarter it was assessed, oldest first."""
    rows = db.session.execute(
        db.select(ReportPeriod, RiskAssessment)
        .join(RiskAssessment, RiskAssessment.period_id == ReportPeriod.id)
        .where(RiskAssessment.risk_id == risk.id)
        .order_by(ReportPeriod.year_start, ReportPeriod.quarter)
    ).all()
    return [(period, assessment) for period, assessment in rows]


def _order(period):
    return period.year_start * 10 + period.quarter


def risk_history_entries(risk, period):
    """The risk's story up to `period`: each published quarter's score (and `period`'s own, published or
    not) with how it moved ("Increased from 6", 000:1180), then its closure or merger (000:1268 footnote 25:
    "G&C051 ... has been merged with G&C050") when that happened by `period`."""
    entries, last = [], None
    for other, assessment in risk_history(risk):
        if _order(other) > _order(period) or (other.id != period.id and other.status != APPROVED):
            continue
        if not assessment.score:
            continue
        if last is None:
            change = "First assessed"
        elif assessment.score > last:
            change = f"Increased from {last}"
        elif assessment.score < last:
            change = f"Decreased from {last}"
        else:
            change = "No change"
        entries.append(
            {
                "period": other.label,
                "score": assessment.score,
                "change": change,
                "text": f"{other.label}: {assessment.score} ({change.lower()})",
            }
        )
        last = assessment.score
    ended = risk_end(risk, period)
    if ended:
        entries.append(
            {"period": risk.ended_in.label, "score": None, "change": ended, "text": f"{risk.ended_in.label}: {ended}"}
        )
    return entries


def risk_end(risk, period):
    """'Merged into G&C050' / 'Closed' when the risk left the register in `period` or before, else ''."""
    if risk.ended_in is None or _order(risk.ended_in) > _order(period):
        return ""
    text = f"Merged into {risk.merged_into.code} – {risk.merged_into.title}" if risk.merged_into else "Closed"
    return text + (f": {risk.end_note}" if risk.end_note else "")


def build_report(period):
    """Everything the quarter's report shows, as plain data."""
    priorities = []
    # The quarter before in the same year: cumulative targets may be re-phased (000:1238 "a reduced
    # cumulative target in Q2 (from Q1)").
    before = db.session.scalar(
        db.select(ReportPeriod).where(
            ReportPeriod.year_start == period.year_start, ReportPeriod.quarter == period.quarter - 1
        )
    )
    for priority in priorities_for_year(period.year_start):
        update = priority_update_for(period, priority)
        actions = []
        for action in priority.actions:
            action_update = action_update_for(period, action)
            actions.append(
                {
                    "id": action.id,
                    "description": action.description,
                    "timescale": action.timescale,
                    "rag": action_update.rag if action_update else "",
                    "commentary": action_update.commentary if action_update else "",
                }
            )
        kpis = [kpi_row(kpi, result_for(period, kpi)) for kpi in priority.kpis]
        if before is not None:
            for kpi, row in zip(priority.kpis, kpis, strict=False):
                if kpi.measure == "c" and row["target_rated"]:
                    row["rephased"] = _rephased(row, result_for(before, kpi), before)
        risks = []
        for risk in priority.risks:
            ended_before = risk.ended_in is not None and _order(risk.ended_in) < _order(period)
            if ended_before:
                continue  # gone from the register in an earlier quarter
            row = risk_row(risk, risk_assessment_for(period, risk))
            row["history"] = risk_history_entries(risk, period)
            row["history_text"] = "; ".join(entry["text"] for entry in row["history"])
            row["ended"] = risk_end(risk, period)
            risks.append(row)
        risks_assessed = [row for row in risks if row["assessed"] and not row["ended"]]
        action_rags = [a["rag"] for a in actions if a["rag"]]
        valid_scores = [row["score"] for row in risks_assessed if not row["problem"]]
        published_overall = update.published_overall_rating if update else ""
        published_actions = update.published_actions_rating if update else ""
        # Red actions from per-action RAGs where recorded, else from the actions summary the report states
        # (footnote 1 read backwards); see ratings.overall_assessment.
        assessment = ratings.overall_assessment(
            action_rags, published_actions, [row["rag"] for row in kpis], valid_scores
        )
        summary = assessment.summary_code
        kpi_counts = {code: sum(1 for row in kpis if row["rag"] == code) for code in ("G", "A", "R")}
        kpi_counts["not_rated"] = sum(1 for row in kpis if row["rag"] is None)
        published_code = ratings.published_progress_code(published_overall)
        priorities.append(
            {
                "id": priority.id,
                "position": priority.position,
                "title": priority.title,
                "actions": actions,
                "actions_rated": assessment.actions_rated,
                "actions_summary": summary,
                "actions_summary_from": assessment.actions_from,
                "actions_summary_label": ratings.progress_label(summary) if summary else "Not rated",
                "published_actions_rating": published_actions,
                # Only per-action RAGs can disagree with a stated summary; a summary used as stated cannot.
                "actions_differs": assessment.actions_from == "actions"
                and bool(published_actions)
                and ratings.published_progress_code(published_actions) != summary,
                "action_reds": assessment.action_reds,
                "action_reds_at_least": assessment.action_reds_at_least,
                "actions_commentary": update.actions_commentary if update else "",
                "kpi_commentary": update.kpi_commentary if update else "",
                "risk_commentary": update.risk_commentary if update else "",
                "kpis": kpis,
                "kpi_counts": kpi_counts,
                "kpi_reds": assessment.kpi_reds,
                "risks": risks,
                "high_risks": assessment.high_risks,
                "overall": assessment.code,
                "overall_label": assessment.label,
                "overall_separate": assessment.separate_code,
                "overall_separate_label": assessment.separate_label,
                "readings_differ": assessment.readings_differ,
                "overall_basis": assessment.explanation(),
                "published_overall": published_overall,
                "overall_differs": bool(published_overall) and published_code != assessment.code,
                # Which reading of footnote 4 the printed rating agrees with: "both", "joint", "separate", "neither".
                "published_reading": _published_reading(published_code, assessment) if published_overall else "",
            }
        )
    budget = [budget_row(line) for line in period.budget_lines]
    savings = [
        {
            "ref": s.ref,
            "service_area": s.service_area,
            "description": s.description,
            "saving": s.saving,
            "forecast": s.forecast,
            "comment": s.comment,
        }
        for s in period.saving_lines
    ]
    return {
        "code": period.code,
        "version": period.version or 1,
        "label": period.label,
        "year_label": period.year_label,
        "previous_year_label": f"{(period.year_start - 1) % 100:02d}/{period.year_start % 100:02d}",
        "short_year_label": f"{period.year_start % 100:02d}/{(period.year_start + 1) % 100:02d}",
        "quarter": period.quarter,
        "status": period.status,
        "status_label": period.status_label,
        "submitted_by": period.submitted_by.name if period.submitted_by else "",
        "submitted_at": period.submitted_at,
        "approved_by": period.approved_by.name if period.approved_by else "",
        "approved_at": period.approved_at,
        "priorities": priorities,
        "budget": budget,
        "budget_totals": _totals(budget, BUDGET_FIGURES),
        "savings": savings,
        "savings_totals": _totals(savings, ("saving", "forecast")),
    }


def _rephased(row, earlier, before):
    """'Re-phased: the cumulative target was 25 in Q1 2019/20 and is 16 now' when a cumulative target went
    down from the quarter before ('' otherwise)."""
    if earlier is None or not earlier.target:
        return ""
    try:
        old, new = ratings.parse_target(earlier.target), ratings.parse_target(row["target"])
    except ratings.RatingError:
        return ""
    if old.is_rated and new.is_rated and new.value < old.value:
        return f"Re-phased: the cumulative target was {earlier.target} in {before.label} and is {row['target']} now"
    return ""


def _published_reading(published_code, assessment):
    joint = published_code == assessment.code
    separate = published_code == assessment.separate_code
    return {(True, True): "both", (True, False): "joint", (False, True): "separate"}.get((joint, separate), "neither")


# Where a figure came from in the council papers ("Source: 000_0692e8566ba44968.txt:768.", "(000:746,
# 000:748)") is for officers checking the demo data against the papers, never for the published report
# (issue 15): public pages, the PDF and every export show the text without them.
_REF = r"\d{3}(?:_[0-9a-f]{16}\.txt)?:\d+(?:-\d+)?(?:\s+(?:Q[1-4]|footnote\s+\d+))?"


_SOURCE_SENTENCE = re.compile(r"\s*\(?Source:\s*" + _REF + r"(?:[;,]\s*" + _REF + r")*\.?\)?\.?")


_REF_GROUP = re.compile(r"\s*\((?:" + _REF + r")(?:[;,]\s*" + _REF + r")*\)")


_REF_IN_TEXT = re.compile(r"(?::\s*|,\s*|;\s*)?\b" + _REF + r"\b")


def without_source_references(text):
    """'Rolling 12 months to June 2019 (000:817). Source: 000_0692e8566ba44968.txt:807.' ->
    'Rolling 12 months to June 2019.'"""
    if not isinstance(text, str) or ":" not in text:
        return text
    text = _SOURCE_SENTENCE.sub("", text)
    text = _REF_GROUP.sub("", text)
    text = _REF_IN_TEXT.sub("", text)
    return re.sub(r"\(\s*\)", "", text).strip()


def public_report(report):
    """A copy of build_report()'s data with source references taken out of every text."""
    if isinstance(report, dict):
        return {key: public_report(value) for key, value in report.items()}
    if isinstance(report, list):
        return [public_report(value) for value in report]
    return without_source_references(report)


# Table 2's figures (£000), in the order of its columns: what the budget rows and their totals carry.
BUDGET_FIGURES = (
    "revised_budget",
    "forecast",
    "variance",
    "reserve_movements",
    "forecast_after_reserves",
    "variance_after_reserves",
)


def budget_row(line: BudgetLine):
    """Table 2 (000:701): the variance columns are arithmetic, so they are computed; what the paper printed
    is kept beside them (000:1059 prints a Q2 forecast after reserve movements of 3,583 where 3,618 + 0 is
    3,618)."""
    variance = line.forecast - line.revised_budget
    after = line.forecast + line.reserve_movements
    variance_after = after - line.revised_budget
    row = {
        "service": line.service,
        "revised_budget": line.revised_budget,
        "forecast": line.forecast,
        "variance": variance,
        "reserve_movements": line.reserve_movements,
        "forecast_after_reserves": after,
        "variance_after_reserves": variance_after,
        "commentary": line.commentary,
        "published": {},
    }
    for key, published in (
        ("variance", line.published_variance),
        ("forecast_after_reserves", line.published_forecast_after_reserves),
        ("variance_after_reserves", line.published_variance_after_reserves),
    ):
        if published is not None and abs(published - row[key]) > 0.0005:
            row["published"][key] = published
    return row


def _totals(rows, keys):
    return {key: sum(row[key] for row in rows) for key in keys} if rows else {}


def kpi_trend(kpi, periods):
    """The KPI's result, target and last year's result in each of `periods` (oldest first)."""
    points = []
    for period in periods:
        result = result_for(period, kpi)
        if result is None:
            continue
        row = kpi_row(kpi, result)
        target_value = None
        if row["target_rated"]:
            target_value = float(ratings.parse_target(row["target"]).value)
        points.append(
            {
                "period": period,
                "label": period.label,
                "result": row["result"],
                "target": target_value,
                "target_text": row["target"],
                "previous_result": row["previous_result"],
                "row": row,
            }
        )
    return points
