"""The quarter's report as JSON, CSV, XLSX and PDF, all built from services.build_report()."""

import io
import json
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .. import csvkit
from . import ratings
from .services import BUDGET_FIGURES

CSV_COLUMNS = (
    "period",
    "priority",
    "kpi",
    "polarity",
    "measure",
    "annual_target",
    "target",
    "result",
    "result_note",
    "previous_result",
    "previous_result_note",
    "rag",
    "published_rag",
    "dot",
    "dot_percent",
    "published_dot",
    "benchmark",
    "notes",
    "commentary",
    "variance_explanation",
    "target_rule",
    "rephased",
    "rag_basis",
    "dot_basis",
    "priority_overall_rating",
    "priority_overall_separate_reading",
    "priority_overall_basis",
)


def _iso(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def report_json(report):
    """A dict for JSON: each KPI's computed rag and dot, each priority's overall rating, risks with bands,
    budget and savings."""
    return {
        "period": report["code"],
        "label": report["label"],
        "status": report["status"],
        "submitted_by": report["submitted_by"] or None,
        "submitted_at": _iso(report["submitted_at"]),
        "approved_by": report["approved_by"] or None,
        "approved_at": _iso(report["approved_at"]),
        "rules": "KPI RAG, direction of travel, risk bands and ratings as the Q1 2019/20 report's footnotes 1-4",
        "priorities": [
            {
                "position": p["position"],
                "title": p["title"],
                "overall_rating": p["overall"],
                "overall_rating_label": p["overall_label"],
                # Footnote 4 read with red actions and red KPIs counted separately (see the rules).
                "overall_rating_separate_reading": p["overall_separate"],
                "readings_differ": p["readings_differ"],
                "overall_rating_basis": p["overall_basis"],
                "red_actions": p["action_reds"],
                "red_actions_at_least": p["action_reds_at_least"],
                "red_actions_from": p["actions_summary_from"] or None,
                "red_kpis": p["kpi_reds"],
                "published_overall_rating": p["published_overall"] or None,
                "published_rating_agrees_with": p["published_reading"] or None,
                "actions_summary": p["actions_summary"],
                "published_actions_rating": p["published_actions_rating"] or None,
                "high_risks": p["high_risks"],
                "actions": [
                    {
                        "description": a["description"],
                        "timescale": a["timescale"],
                        "rag": a["rag"] or None,
                        "commentary": a["commentary"],
                    }
                    for a in p["actions"]
                ],
                "kpis": [
                    {
                        "name": k["name"],
                        "polarity": k["polarity"],
                        "measure": k["measure"] or None,
                        "annual_target": k["annual_target"],
                        "target": k["target"],
                        "target_rule": k["target_rule"] or None,
                        "target_rephased": k["rephased"] or None,
                        "result": k["result"],
                        "result_note": k["result_text"] if k["result"] is None else "",
                        "previous_result": k["previous_result"],
                        "rag": k["rag"],
                        "rag_basis": k["rag_basis"],
                        "published_rag": k["published_rag"] or None,
                        "dot": k["dot"],
                        "dot_percent": k["dot_percent"],
                        "dot_basis": k["dot_basis"] or None,
                        "published_dot": k["published_dot"] or None,
                        "benchmark": k["benchmark"],
                        "commentary": k["commentary"],
                        "variance_explanation": k["variance_explanation"],
                        "live_source": k["live_source"] or None,
                    }
                    for k in p["kpis"]
                ],
                "actions_commentary": p["actions_commentary"],
                "kpi_commentary": p["kpi_commentary"],
                "risk_commentary": p["risk_commentary"],
                "risks": [
                    {
                        "code": r["code"],
                        "title": r["title"],
                        "likelihood": r["likelihood"],
                        "impact": r["impact"],
                        "score": r["score"],
                        "band": r["band"] or None,
                        "band_basis": r["band_basis"] or None,
                        "controls": r["controls"],
                        "left_the_register": r["ended"] or None,
                        "history": [
                            {"period": h["period"], "score": h["score"], "change": h["change"]} for h in r["history"]
                        ],
                    }
                    for r in p["risks"]
                    if r["assessed"] or r["ended"]
                ],
            }
            for p in report["priorities"]
        ],
        "budget": [
            {key: row[key] for key in ("service", *BUDGET_FIGURES)} | {"published": row["published"]}
            for row in report["budget"]
        ],
        "budget_totals": report["budget_totals"] or None,
        "savings": [
            {key: row[key] for key in ("ref", "service_area", "description", "saving", "forecast", "comment")}
            for row in report["savings"]
        ],
        "savings_totals": report["savings_totals"] or None,
    }


def to_json_text(report):
    return json.dumps(report_json(report), indent=2, ensure_ascii=False)


def kpi_csv_rows(report):
    for priority in report["priorities"]:
        for k in priority["kpis"]:
            yield {
                "period": report["code"],
                "priority": priority["title"],
                "kpi": k["name"],
                "polarity": k["polarity"],
                "measure": k["measure"],
                "annual_target": k["annual_target"],
                "target": k["target"],
                "result": "" if k["result"] is None else _plain(k["result"]),
                "result_note": k["result_text"] if k["result"] is None and k["entered"] else "",
                "previous_result": "" if k["previous_result"] is None else _plain(k["previous_result"]),
                "previous_result_note": k["previous_result_text"] if k["previous_result"] is None else "",
                "rag": k["rag"] or "",
                "published_rag": k["published_rag"],
                "dot": k["dot"] or "",
                "dot_percent": "" if k["dot_percent"] is None else k["dot_percent"],
                "published_dot": k["published_dot"],
                "benchmark": k["benchmark"],
                "notes": k["notes"],
                "commentary": k["commentary"],
                "variance_explanation": k["variance_explanation"],
                "target_rule": k["target_rule"],
                "rephased": k["rephased"],
                "rag_basis": k["rag_basis"],
                "dot_basis": k["dot_basis"],
                "priority_overall_rating": priority["overall_label"],
                "priority_overall_separate_reading": priority["overall_separate_label"],
                "priority_overall_basis": priority["overall_basis"],
            }


def _plain(number):
    return int(number) if float(number).is_integer() else number


def _header(key):
    """'previous_result_note' -> 'Previous result note': readable, and read back by the importer (which
    lower-cases headers and joins words with underscores)."""
    words = key.replace("_", " ")
    for short in ("kpi", "rag", "dot", "id"):
        words = " ".join(word.upper() if word == short else word for word in words.split(" "))
    return words[:1].upper() + words[1:]


def _tables(report):
    """Every table of the report as (name, [(key, header)], rows as dicts, totals dict or None)."""
    code = report["code"]
    kpis = [(key, _header(key)) for key in CSV_COLUMNS]
    priorities = [
        ("period", "Period"),
        ("section", "Section"),
        ("priority", "Priority"),
        ("overall_rating", "Overall rating"),
        ("overall_rating_counted_separately", "Overall rating (red actions and KPIs counted separately)"),
        ("published_overall_rating", "Published overall rating"),
        ("how_it_was_worked_out", "How it was worked out"),
        ("actions_summary", "Actions summary"),
        ("published_actions_rating", "Published actions summary"),
        ("actions_red", "Red actions"),
        ("kpis_red", "Red KPIs"),
        ("kpis_amber", "Amber KPIs"),
        ("kpis_green", "Green KPIs"),
        ("high_risks", "High level risks"),
        ("actions_commentary", "Summary of actions"),
        ("kpi_commentary", "KPI commentary"),
        ("risk_commentary", "Risk commentary"),
    ]
    priority_rows = [
        {
            "period": code,
            "section": p["position"],
            "priority": p["title"],
            "overall_rating": p["overall_label"],
            "overall_rating_counted_separately": p["overall_separate_label"],
            "published_overall_rating": p["published_overall"],
            "how_it_was_worked_out": p["overall_basis"],
            "actions_summary": p["actions_summary_label"],
            "published_actions_rating": p["published_actions_rating"],
            "actions_red": p["action_reds"],
            "kpis_red": p["kpi_counts"]["R"],
            "kpis_amber": p["kpi_counts"]["A"],
            "kpis_green": p["kpi_counts"]["G"],
            "high_risks": p["high_risks"],
            "actions_commentary": p["actions_commentary"],
            "kpi_commentary": p["kpi_commentary"],
            "risk_commentary": p["risk_commentary"],
        }
        for p in report["priorities"]
    ]
    risks = [
        ("period", "Period"),
        ("priority", "Priority"),
        ("risk", "Risk"),
        ("title", "Title"),
        ("likelihood", "Likelihood"),
        ("impact", "Impact"),
        ("score", "Score"),
        ("band", "Rating"),
        ("band_basis", "How it was worked out"),
        ("left_the_register", "Left the register"),
        ("history", "History"),
        ("controls", "Controls and mitigations"),
    ]
    risk_rows = [
        {
            "period": code,
            "priority": p["title"],
            "risk": r["code"],
            "title": r["title"],
            "likelihood": r["likelihood"],
            "impact": r["impact"],
            "score": r["score"],
            "band": r["band"],
            "band_basis": r["band_basis"],
            "left_the_register": r["ended"],
            "history": r["history_text"],
            "controls": r["controls"],
        }
        for p in report["priorities"]
        for r in p["risks"]
        if r["assessed"] or r["ended"]
    ]
    budget = [
        ("period", "Period"),
        ("service", "Service"),
        ("revised_budget", "Revised budget (£000)"),
        ("forecast", "Forecast (£000)"),
        ("variance", "Variance adv/(fav) (£000)"),
        ("reserve_movements", "Reserve movements (£000)"),
        ("forecast_after_reserves", "Forecast after reserve movements (£000)"),
        ("variance_after_reserves", "Variance after reserve movements adv/(fav) (£000)"),
    ]
    budget_rows = [
        {"period": code, "service": b["service"], **{key: b[key] for key in BUDGET_FIGURES}} for b in report["budget"]
    ]
    budget_totals = {"period": code, "service": "Total", **report["budget_totals"]} if report["budget_totals"] else None
    savings = [
        ("period", "Period"),
        ("ref", "Ref"),
        ("service_area", "Service area"),
        ("description", "Description of savings"),
        ("saving", "Savings for the year (£000)"),
        ("forecast", "Forecast (£000)"),
        ("comment", "Comment"),
    ]
    saving_rows = [
        {
            "period": code,
            **{key: s[key] for key in ("ref", "service_area", "description", "saving", "forecast", "comment")},
        }
        for s in report["savings"]
    ]
    saving_totals = (
        {
            "period": code,
            "ref": "Total",
            "saving": report["savings_totals"]["saving"],
            "forecast": report["savings_totals"]["forecast"],
        }
        if report["savings_totals"]
        else None
    )
    return [
        ("KPIs", kpis, list(kpi_csv_rows(report)), None),
        ("Priorities", priorities, priority_rows, None),
        ("Risks", risks, risk_rows, None),
        ("Budget", budget, budget_rows, budget_totals),
        ("Savings", savings, saving_rows, saving_totals),
    ]


CSV_TABLES = ("kpis", "priorities", "risks", "budget", "savings")


def to_csv_text(report, table="kpis"):
    """One table of the report as CSV: the KPIs by default (the columns the importer reads back), or the
    priorities (with their overall ratings and how they were reached), risks, budget or savings (each of the
    last two ending with its total row)."""
    name, columns, rows, totals = next(t for t in _tables(report) if t[0].lower() == table)
    return csvkit.to_text(
        [key for key, _ in columns],
        ([_csv_value(row.get(key)) for key, _ in columns] for row in rows + ([totals] if totals else [])),
    )


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return _plain(value)
    return value


def to_xlsx_bytes(report):
    """A workbook of the same tables: readable headers, numbers as number cells, sensible column widths,
    total rows for the budget and savings."""
    workbook = Workbook()
    bold = Font(bold=True)
    for index, (name, columns, rows, totals) in enumerate(_tables(report)):
        ws = workbook.active if index == 0 else workbook.create_sheet()
        ws.title = name
        ws.append([header for _, header in columns])
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            ws.append([_xlsx_value(key, row.get(key)) for key, _ in columns])
            csvkit.guard_xlsx_row(ws[ws.max_row])
        if totals:
            ws.append([_xlsx_value(key, totals.get(key)) for key, _ in columns])
            csvkit.guard_xlsx_row(ws[ws.max_row])
            for cell in ws[ws.max_row]:
                cell.font = bold
        for position, (key, header) in enumerate(columns, start=1):
            longest = max([len(str(header))] + [len(str(row.get(key) or "")) for row in rows])
            ws.column_dimensions[get_column_letter(position)].width = min(max(longest, 8) + 2, 60)
            if longest > 60:
                for (cell,) in ws.iter_rows(min_row=2, min_col=position, max_col=position):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            if key in MONEY_KEYS:
                for (cell,) in ws.iter_rows(min_row=2, min_col=position, max_col=position):
                    cell.number_format = "#,##0;(#,##0)"
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MONEY_KEYS = {
    "revised_budget",
    "forecast",
    "variance",
    "reserve_movements",
    "forecast_after_reserves",
    "variance_after_reserves",
    "saving",
}
NUMBER_KEYS = {"result", "previous_result", "dot_percent"}


def _xlsx_value(key, value):
    """Numbers as number cells (the CSV rows carry some as text); text is guarded after the row is added."""
    if key in NUMBER_KEYS and isinstance(value, str) and value:
        try:
            return float(value)
        except ValueError:
            return value
    return value


def to_pdf_bytes(html, base_url=None):
    """The print layout rendered by WeasyPrint (needs Debian's Pango: scripts/install-system-deps)."""
    # Imported here: WeasyPrint loads Pango and its fonts, which only the PDF needs (every worker would pay
    # for it at start-up otherwise).
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


RAG_WORDS = ratings.RAG_LABELS
