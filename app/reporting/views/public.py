"""Open data (000:940: the council publishes KPI results on its Open Barnet portal): every published
quarter's KPI results in one CSV, and a JSON catalogue of the published quarters for the portal to harvest."""

import json

from flask import current_app, url_for

from ...security import public
from .. import exports, services
from .common import bp, download

OPEN_LICENCE = (
    "Open Government Licence v3.0 (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)"
)


@bp.route("/open-data/kpi-results.csv")
@public
def open_data_csv():
    """Every published quarter's KPI results in one CSV (the columns of each quarter's KPI CSV)."""
    parts = [exports.to_csv_text(data) for _, data in services.published_reports()]
    body = parts[0] if parts else ",".join(exports.CSV_COLUMNS) + "\r\n"
    for extra in parts[1:]:
        body += extra.split("\r\n", 1)[1]
    return download(body, "text/csv; charset=utf-8", "kpi-results.csv")


@bp.route("/open-data/reports.json")
@public
def open_data_index():
    """A catalogue of the published quarters and their files, for the open data portal to harvest."""
    root = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    reports = [
        {
            "period": period.code,
            "label": period.label,
            "version": data.get("version", 1),
            "approved_at": data["approved_at"].isoformat() if data.get("approved_at") else None,
            "page": root + url_for("reporting.report", period=period.code),
            "csv": root + url_for("reporting.export_csv", period=period.code),
            "json": root + url_for("reporting.export_json", period=period.code),
            "xlsx": root + url_for("reporting.export_xlsx", period=period.code),
        }
        for period, data in services.published_reports()
    ]
    body = {
        "title": "Community Leadership and Libraries Committee: quarterly delivery plan performance",
        "licence": OPEN_LICENCE,
        "all_kpi_results_csv": root + url_for("reporting.open_data_csv"),
        "reports": reports,
    }
    return current_app.response_class(json.dumps(body, indent=2, ensure_ascii=False), mimetype="application/json")
