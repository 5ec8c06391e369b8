"""The quarter's report as JSON, CSV, XLSX and PDF, all built from services.build_report()."""
import csv
import io
import json
from datetime import date, datetime

from . import ratings

CSV_COLUMNS = (
    "period", "priority", "kpi", "polarity", "measure", "annual_target", "target", "result", "result_note",
    "previous_result", "previous_result_note", "rag", "published_rag", "dot", "dot_percent", "published_dot",
    "benchmark", "notes", "rag_basis", "dot_basis", "priority_overall_rating", "priority_overall_separate_reading",
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
                    {"description": a["description"], "timescale": a["timescale"], "rag": a["rag"] or None,
                     "commentary": a["commentary"]}
                    for a in p["actions"]
                ],
                "kpis": [
                    {
                        "name": k["name"],
                        "polarity": k["polarity"],
                        "measure": k["measure"] or None,
                        "annual_target": k["annual_target"],
                        "target": k["target"],
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
                        "live_source": k["live_source"] or None,
                    }
                    for k in p["kpis"]
                ],
                "risks": [
                    {"code": r["code"], "title": r["title"], "likelihood": r["likelihood"], "impact": r["impact"],
                     "score": r["score"], "band": r["band"] or None, "band_basis": r["band_basis"] or None}
                    for r in p["risks"] if r["assessed"]
                ],
            }
            for p in report["priorities"]
        ],
        "budget": [
            {key: row[key] for key in ("service", "revised_budget", "forecast", "variance", "reserve_movements",
                                        "forecast_after_reserves", "variance_after_reserves")}
            | {"published": row["published"]}
            for row in report["budget"]
        ],
        "savings": [
            {key: row[key] for key in ("ref", "service_area", "description", "saving", "forecast", "comment")}
            for row in report["savings"]
        ],
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
                "rag_basis": k["rag_basis"],
                "dot_basis": k["dot_basis"],
                "priority_overall_rating": priority["overall_label"],
                "priority_overall_separate_reading": priority["overall_separate_label"],
                "priority_overall_basis": priority["overall_basis"],
            }


def _plain(number):
    return int(number) if float(number).is_integer() else number


def _safe_cell(value):
    """Cells starting with = + - @ would run as formulas in a spreadsheet: prefix them with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv_text(report):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in kpi_csv_rows(report):
        writer.writerow({key: _safe_cell(value) for key, value in row.items()})
    return buffer.getvalue()


def to_xlsx_bytes(report):
    """A workbook: KPIs (same columns as the CSV), Priorities, Risks, Budget, Savings."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheets = []

    def sheet(title, header, rows):
        ws = workbook.active if not sheets else workbook.create_sheet()
        ws.title = title
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_safe_cell(value) for value in row])
        ws.freeze_panes = "A2"
        sheets.append(ws)

    sheet("KPIs", CSV_COLUMNS, ([row[c] for c in CSV_COLUMNS] for row in kpi_csv_rows(report)))
    sheet(
        "Priorities",
        ("period", "section", "priority", "overall_rating", "overall_rating_counted_separately",
         "published_overall_rating", "how_it_was_worked_out", "actions_summary", "published_actions_rating",
         "actions_red", "kpis_red", "kpis_amber", "kpis_green", "high_risks"),
        (
            (report["code"], p["position"], p["title"], p["overall_label"], p["overall_separate_label"],
             p["published_overall"], p["overall_basis"], p["actions_summary_label"], p["published_actions_rating"],
             p["action_reds"], p["kpi_counts"]["R"], p["kpi_counts"]["A"], p["kpi_counts"]["G"], p["high_risks"])
            for p in report["priorities"]
        ),
    )
    sheet(
        "Risks",
        ("period", "priority", "risk", "title", "likelihood", "impact", "score", "band", "controls"),
        (
            (report["code"], p["title"], r["code"], r["title"], r["likelihood"], r["impact"], r["score"],
             r["band"], r["controls"])
            for p in report["priorities"] for r in p["risks"] if r["assessed"]
        ),
    )
    sheet(
        "Budget",
        ("period", "service", "revised_budget_000", "forecast_000", "variance_000", "reserve_movements_000",
         "forecast_after_reserves_000", "variance_after_reserves_000"),
        (
            (report["code"], b["service"], b["revised_budget"], b["forecast"], b["variance"],
             b["reserve_movements"], b["forecast_after_reserves"], b["variance_after_reserves"])
            for b in report["budget"]
        ),
    )
    sheet(
        "Savings",
        ("period", "ref", "service_area", "description", "saving_000", "forecast_000", "comment"),
        (
            (report["code"], s["ref"], s["service_area"], s["description"], s["saving"], s["forecast"],
             s["comment"])
            for s in report["savings"]
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf_bytes(html, base_url=None):
    """The print layout rendered by WeasyPrint (needs Debian's Pango: scripts/install-system-deps)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


RAG_WORDS = ratings.RAG_LABELS
