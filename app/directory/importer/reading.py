"""Reading the import file: UTF-8 CSV with a header row naming the columns."""

import re
from dataclasses import dataclass

from ... import csvkit
from .common import COLUMNS, EXAMPLE_HEADER, REQUIRED_COLUMNS, FileRefused


@dataclass
class CsvFile:
    columns: list  # the header, normalised; None for a column without a name
    rows: list  # (line number, [cells])
    column_notes: list


def normalise_column(name):
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def read_csv(data):
    """Decode and split a CSV file; raises FileRefused with a message an officer can act on."""
    if not data or not data.strip():
        raise FileRefused("The file is empty.")
    try:
        lines = csvkit.read(data)
    except csvkit.CsvFileError as exc:
        raise FileRefused(str(exc)) from None
    header = lines[0][1] if lines else None
    rows = lines[1:]
    if not header or not any(cell.strip() for cell in header):
        raise FileRefused(f"The first row must be a header row naming the columns, for example: {EXAMPLE_HEADER}")
    columns = [normalise_column(cell) or None for cell in header]
    if len(columns) == 1 and (";" in header[0] or "\t" in header[0]):
        raise FileRefused(
            "Separate the columns with commas, not semicolons or tabs: save the file as 'CSV UTF-8 (Comma delimited)'."
        )
    seen = set()
    for name in columns:
        if name and name in seen:
            raise FileRefused(f"The column {name} appears twice in the header row: each column may appear once.")
        seen.add(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise FileRefused(
            f"The file has no {' or '.join(missing)} column. The first row must be a header row naming the columns, "
            f"for example: {EXAMPLE_HEADER}"
        )
    if not rows:
        raise FileRefused("The file has a header row but no rows of data.")
    notes = []
    for index, name in enumerate(columns, start=1):
        if name is None:
            notes.append(f"Column {index} has no name in the header row, so its values were not imported.")
        elif name not in COLUMNS:
            notes.append(
                f"The column {header[index - 1].strip()} is not one the directory uses, so its values were not imported."
            )
    return CsvFile(columns=columns, rows=rows, column_notes=notes)
