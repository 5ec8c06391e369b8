"""Reading results spreadsheets bounded (issue 12 finding 5): a 5 KB XLSX claiming the dimension A1:XFD6000
once grew a worker by 700 MB. Peak memory figures: `.venv/bin/python -m bench.xlsx_import`."""

import io
import tracemalloc

import pytest

from app.reporting import importer
from bench.xlsx_import import entity_xlsx, far_row_xlsx, hostile_dimension_xlsx, normal_xlsx

from .conftest import post_form
from .html import page_text, parse
from .test_reporting_views import draft, plan  # noqa: F401 (fixtures)


def test_a_claimed_dimension_of_xfd_is_not_read_as_16384_cells_a_row():
    tracemalloc.start()
    rows = importer.read_rows("results.xlsx", hostile_dimension_xlsx(6000))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(rows) == 2  # the header's row 2 and the far cell in row 6000; blank rows skipped
    assert rows[-1][0] == 6000
    # Before the fix each row was padded to 16,384 cells: about 750 MB for this file.
    assert peak < 20 * 1024 * 1024


def test_a_normal_workbook_still_reads():
    rows = importer.read_rows("results.xlsx", normal_xlsx(30))
    assert len(rows) == 30 and rows[0] == (2, {"period": "2019-20-Q3", "kpi": "KPI 0", "target": "10", "result": 0})


def test_a_sheet_with_a_million_blank_rows_is_refused_with_a_message():
    with pytest.raises(importer.ImportFileError, match="more than 20,000 rows"):
        importer.read_rows("results.xlsx", far_row_xlsx())


def test_xml_entities_are_refused():
    with pytest.raises(importer.ImportFileError, match="entity or DTD declarations, which are not allowed"):
        importer.read_rows("results.xlsx", entity_xlsx())


def test_too_many_filled_rows_or_columns_are_refused():
    many = "period,kpi,result\r\n" + "2019-20-Q3,KPI,1\r\n" * (importer.MAX_ROWS + 1)
    with pytest.raises(importer.ImportFileError, match="more than 5,000 rows under its header"):
        importer.read_rows("results.csv", many.encode())
    wide = ",".join(["period", "kpi"] + ["x"] * importer.MAX_COLUMNS) + "\r\n"
    with pytest.raises(importer.ImportFileError, match="more than 40 columns"):
        importer.read_rows("results.csv", wide.encode())


def test_a_file_over_the_size_cap_is_refused_on_the_page(client, draft, signed_in_as):  # noqa: F811
    signed_in_as("performance_officer")
    big = b"period,kpi,result\r\n" + b" " * importer.MAX_UPLOAD_BYTES
    response = post_form(
        client,
        "/reporting/2019-20-Q3/import",
        {"file": (io.BytesIO(big), "results.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "larger than 2 MB, the most a results file can be" in page_text(parse(response))


def test_the_hostile_file_on_the_import_page_gets_row_messages_not_a_crash(client, draft, signed_in_as):  # noqa: F811
    signed_in_as("performance_officer")
    response = post_form(
        client,
        "/reporting/2019-20-Q3/import",
        {"file": (io.BytesIO(entity_xlsx()), "results.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "entity or DTD declarations" in page_text(parse(response))
