"""Peak memory of reading a results spreadsheet: a normal XLSX next to hostile ones (issue 12 finding 5).

    .venv/bin/python -m bench.xlsx_import [--rows 6000] [--old-rows 600]

The hostile file is a normal two-row workbook whose sheet claims the dimension ``A1:XFD<rows>`` (1.5 KB on
disk). openpyxl pads every row up to the claimed last column (16,384 cells), so reading it as the importer
used to (read-only mode, every row listed) costs about 130 KB a row; that old way is measured on
``--old-rows`` rows only, to keep the machine usable, and scaled up. The importer's way
(``app.reporting.importer.read_rows``) ignores the claimed dimension, reads at most MAX_COLUMNS + 1 cells a
row and stops at its row caps. Also measured: a sheet with a real cell at row 1,048,576 (blank rows between)
and one with an entity in its XML (refused by defusedxml).

Peak memory is tracemalloc's peak of Python allocations during the read, in MB.
"""

import argparse
import io
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def normal_xlsx(rows=30):
    """A well-formed results workbook: a header and `rows` KPI rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["period", "kpi", "target", "result"])
    for n in range(rows):
        sheet.append(["2019-20-Q3", f"KPI {n}", "10", n])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data, change):
    """The workbook with its first sheet's XML passed through `change` (bytes -> bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            target.writestr(info.filename, body)
    return out.getvalue()


def hostile_dimension_xlsx(rows=6000):
    """The probe's file: the sheet claims A1:XFD<rows> and has a cell in its last row, so openpyxl makes
    every row in between 16,384 cells wide."""
    import re

    def change(xml):
        xml = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:XFD{rows}"'.encode(), xml)
        last = f'<row r="{rows}"><c r="A{rows}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
        return xml.replace(b"</sheetData>", last + b"</sheetData>")

    return _rewrite_sheet(normal_xlsx(1), change)


def far_row_xlsx():
    """A header, one row, and a cell at the last row Excel allows: a million blank rows in between."""

    def change(xml):
        far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", far + b"</sheetData>")

    return _rewrite_sheet(normal_xlsx(1), change)


def entity_xlsx():
    """A sheet whose XML declares entities (the 'billion laughs' shape, kept small)."""

    def change(xml):
        doctype = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        if xml.startswith(b"<?xml"):
            head, _, rest = xml.partition(b"?>")
            return head + b"?>" + doctype + rest
        return doctype + xml

    return _rewrite_sheet(normal_xlsx(1), change)


def measure(label, read):
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    try:
        outcome = read()
    except Exception as exc:  # the importer refuses with ImportFileError: that is the expected outcome
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label:<58} peak {peak / 1024 / 1024:8.1f} MB  {seconds:6.2f} s  {outcome}", flush=True)
    return peak


def old_read(data):
    """What the importer did before: read-only mode, every row of the first sheet listed."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    table = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return f"{len(table)} rows x {len(table[0])} cells"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=6000, help="rows the hostile file claims")
    parser.add_argument("--old-rows", type=int, default=600, help="rows claimed when measuring the old way")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from app.reporting import importer

    def new_read(data, name="results.xlsx"):
        rows = importer.read_rows(name, data)
        return f"{len(rows)} rows read"

    normal, hostile = normal_xlsx(), hostile_dimension_xlsx(args.rows)
    print(f"normal file {len(normal):,} bytes; hostile file {len(hostile):,} bytes (claims A1:XFD{args.rows})")
    print("the importer (app.reporting.importer.read_rows):")
    measure("normal workbook, 30 rows", lambda: new_read(normal))
    measure(f"hostile dimension A1:XFD{args.rows}", lambda: new_read(hostile))
    measure("a cell at row 1,048,576", lambda: new_read(far_row_xlsx()))
    measure("entities in the sheet XML", lambda: new_read(entity_xlsx()))
    print("the old way (read-only mode, every row listed):")
    measure("normal workbook, 30 rows", lambda: old_read(normal))
    peak = measure(f"hostile dimension A1:XFD{args.old_rows}", lambda: old_read(hostile_dimension_xlsx(args.old_rows)))
    print(f"  scaled to {args.rows} rows: about {peak / args.old_rows * args.rows / 1024 / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
