"""Reading the import file: UTF-8 CSV with a header row naming the columns."""

import io
import re
from dataclasses import dataclass
from pathlib import Path

from ... import csvkit
from .common import COLUMNS, EXAMPLE_HEADER, REQUIRED_COLUMNS, FileRefused


@dataclass
class CsvFile:
    columns: list  # the header, normalised; None for a column without a name
    rows: "CsvRows"  # (line number, [cells]) for each data row, read from the file as they are iterated
    column_notes: list


class CsvRows:
    """The data rows of an import file. Iterating reads the file again from the start, a row at a time, so
    a 100,000-row file is never held in memory; `len()` is the count from the first reading."""

    def __init__(self, opener, count):
        self.opener = opener
        self.count = count

    def __len__(self):
        return self.count

    def __iter__(self):
        with self.opener() as stream:
            rows = csvkit.iter_file(stream)
            next(rows, None)  # the header row
            yield from rows


def normalise_column(name):
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def read_csv(data):
    """Check a CSV file (bytes, or the path of a file, which is then read as it goes rather than loaded) and
    its header row; raises FileRefused with a message an officer can act on. The whole file is read once
    here, so a file that cannot be read is refused before any row is checked."""
    if isinstance(data, (str, Path)):
        path = Path(data)

        def opener():
            return path.open("rb")
    else:

        def opener():
            return io.BytesIO(data or b"")

    header, count = None, 0
    try:
        with opener() as stream:
            for _, cells in csvkit.iter_file(stream):
                if header is None:
                    header = cells
                else:
                    count += 1
    except csvkit.CsvFileError as exc:
        raise FileRefused(str(exc)) from None
    if header is None:
        raise FileRefused("The file is empty.")
    rows = CsvRows(opener, count)
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
