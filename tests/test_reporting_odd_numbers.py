"""KPI results of Infinity, NaN or 1e400 (issue 12 finding 10): a clear message, never stored; and the public
pages never crash on odd values already in the database."""

import pytest

from app.extensions import db
from app.reporting import importer, services

from .conftest import post_form
from .html import field_error, page_text, parse
from .test_reporting_views import draft, kpi_named, plan  # noqa: F401 (fixtures)


@pytest.mark.parametrize("text", ["Infinity", "inf", "-Infinity", "NaN", "nan", "1e400", "-1e400", "sNaN", "1e16"])
def test_the_result_form_refuses_numbers_that_are_not_finite_or_absurd(client, draft, signed_in_as, text):  # noqa: F811
    signed_in_as("performance_officer")
    kpi = kpi_named("PSPOs implemented")
    response = post_form(
        client, f"/reporting/2019-20-Q3/kpis/{kpi.id}/edit", {"target": "3", "result": text, "previous_result": text}
    )
    page = parse(response)
    assert response.status_code == 200
    assert field_error(page, "result") == "Enter the result as a number, like 19 or 9.54"
    assert services.result_for(draft, kpi) is None


def test_the_import_refuses_them_row_by_row(draft):  # noqa: F811
    data = (
        b"period,kpi,target,result\r\n2019-20-Q3,PSPOs implemented,3,Infinity\r\n"
        b"2019-20-Q3,Volume of ASB calls to police,7855,1e400\r\n"
    )
    outcome = importer.import_results("q3.csv", data, allowed_period=draft)
    assert [number for number, _ in outcome.errors] == [2, 3]
    assert "result 'Infinity' is not a number" in outcome.errors[0][1]
    assert services.result_for(draft, kpi_named("PSPOs implemented")) is None


@pytest.mark.parametrize("odd", [float("inf"), float("-inf"), float("nan"), 1e300])
def test_public_pages_and_exports_survive_odd_stored_values(client, plan, odd):  # noqa: F811
    kpi = kpi_named("PSPOs implemented")
    result = services.result_for(plan[1], kpi)
    result.result = odd
    result.previous_result = odd
    db.session.commit()
    for url in (
        f"/reporting/2019-20-Q1/kpis/{kpi.id}",
        f"/reporting/2019-20-Q2/kpis/{kpi.id}",
        "/reporting/2019-20-Q1",
        "/reporting/2019-20-Q1/export.csv",
        "/reporting/2019-20-Q1/export.json",
        "/reporting/2019-20-Q1/export.xlsx",
        "/reporting/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = page_text(parse(client.get(f"/reporting/2019-20-Q2/kpis/{kpi.id}")))
    db.session.expire_all()
    if services.result_for(plan[1], kpi).result is None:
        return  # SQLite stores NaN as NULL: nothing odd is left to show
    assert "The stored result is not a number the report can use: enter it again" in page
