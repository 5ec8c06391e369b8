"""The reports as everyone reads them: the list, a quarter's report, its PDF and exports, a KPI's trend."""

from flask import abort, current_app, render_template, request

from ...extensions import db
from ...security import public
from ...timeutil import utcnow
from .. import charts, exports, services
from ..models import APPROVED, Kpi
from .common import bp, download, is_officer, may_edit, of_year, report_data, visible_period, visible_periods


@bp.route("/")
@public
def index():
    periods = visible_periods()
    reports = [(period, report_data(period)) for period in reversed(periods)]
    return render_template(
        "reporting/index.html",
        reports=reports,
        is_officer=is_officer(),
        plan_years=services.plan_years() if is_officer() else [],
        may_edit=may_edit(),
    )


@bp.route("/<period>")
@public
def report(period):
    period = visible_period(period)
    data = report_data(period)
    return render_template(
        "reporting/report.html",
        period=period,
        report=data,
        is_officer=is_officer(),
        versions=services.published_versions(period),
        charts=charts.quarter_charts(data),
    )


@bp.route("/<period>/report.pdf")
@public
def report_pdf(period):
    period = visible_period(period)
    data = report_data(period)
    html = render_template("reporting/report_pdf.html", period=period, report=data, generated_at=utcnow())
    pdf = exports.to_pdf_bytes(html, base_url=request.url_root)
    return current_app.response_class(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="performance-report-{period.code}.pdf"'},
    )


@bp.route("/<period>/export.csv")
@public
def export_csv(period):
    """?table=kpis (the default), priorities, risks, budget or savings."""
    period = visible_period(period)
    table = request.args.get("table", "kpis")
    if table not in exports.CSV_TABLES:
        abort(404)
    suffix = "" if table == "kpis" else f"-{table}"
    return download(
        exports.to_csv_text(report_data(period), table),
        "text/csv; charset=utf-8",
        f"performance-report-{period.code}{suffix}.csv",
    )


@bp.route("/<period>/export.xlsx")
@public
def export_xlsx(period):
    period = visible_period(period)
    return download(
        exports.to_xlsx_bytes(report_data(period)),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"performance-report-{period.code}.xlsx",
    )


@bp.route("/<period>/export.json")
@public
def export_json(period):
    period = visible_period(period)
    return download(
        exports.to_json_text(report_data(period)), "application/json", f"performance-report-{period.code}.json"
    )


@bp.route("/<period>/kpis/<int:kpi_id>")
@public
def kpi_trend(period, kpi_id):
    period = visible_period(period)
    kpi = of_year(db.session.get(Kpi, kpi_id), period)
    # Results exist only in the quarters of the KPI's own delivery plan year.
    # Only published figures for the public (a reopened report's draft corrections are not).
    shown = [p for p in visible_periods() if p.status == APPROVED or is_officer()]
    points = services.kpi_trend(kpi, shown)
    chart = charts.trend_svg(f"{kpi.name}: results by quarter", points, chart_id=f"kpi-{kpi.id}")
    return render_template(
        "reporting/kpi.html",
        period=period,
        kpi=kpi,
        points=points,
        chart=chart,
        row=services.kpi_row(kpi, services.result_for(period, kpi)),
    )
