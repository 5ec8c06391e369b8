"""Reading the import file: UTF-8 CSV with a header row naming the columns.

The file is read once here, a row at a time, keeping only a small index: each data row's line number, the
byte offset where it starts, and which listing it belongs to (rows with the same organisation_id are one
listing, wherever they are in the file). The checks then read each listing's rows back by their offsets,
so only one listing's cells are ever in memory, however large the file.
"""

import io
import re
from array import array
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
    a 100,000-row file is never held in memory; `len()` is the count from the first reading. `groups()`
    gives the rows of each listing, in the order each listing first appears."""

    def __init__(self, opener, lines, offsets, group_of_row, group_count):
        self.opener = opener
        self.lines = lines  # array: the line number of each data row, in file order
        self.offsets = offsets  # array: the byte offset where each data row starts
        self.group_of_row = group_of_row  # array: the listing (numbered from 0 as first seen) of each row
        self.group_count = group_count

    def __len__(self):
        return len(self.lines)

    def __iter__(self):
        with self.opener() as stream:
            rows = csvkit.iter_file(stream)
            next(rows, None)  # the header row
            yield from rows

    def groups(self):
        """[(line, cells)] for each listing, in the order each first appears, read back from the file by offset."""
        # A counting sort of the row numbers by listing (file order kept within each), in arrays: a few bytes a row.
        starts = array("l", [0]) * (self.group_count + 1)
        for group in self.group_of_row:
            starts[group + 1] += 1
        for group in range(self.group_count):
            starts[group + 1] += starts[group]
        order, fill = array("l", [0]) * len(self.lines), array("l", starts)
        for row, group in enumerate(self.group_of_row):
            order[fill[group]] = row
            fill[group] += 1
        del fill
        with self.opener() as stream:
            for group in range(self.group_count):
                rows = order[starts[group] : starts[group + 1]]
                yield [(self.lines[row], csvkit.read_row_at(stream, self.offsets[row])) for row in rows]


def normalise_column(name):
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def _group_key(cells, position):
    """The organisation_id of a row as grouping compares it (see grouping.group_rows), or "" for none."""
    if position is None or position >= len(cells):
        return ""
    return csvkit.unguard(cells[position].strip()).strip().lower()


def read_csv(data):
    """Check a CSV file (bytes, or the path of a file, which is then read as it goes rather than loaded) and
    its header row; raises FileRefused with a message an officer can act on. The whole file is read once
    here (building the index of its rows), so a file that cannot be read is refused before any row is checked."""
    if isinstance(data, (str, Path)):
        path = Path(data)

        def opener():
            return path.open("rb")
    else:

        def opener():
            return io.BytesIO(data or b"")

    header, position = None, None
    lines, offsets, group_of_row = array("l"), array("q"), array("l")
    keys = {}  # organisation_id -> listing number; only while reading
    groups = 0
    try:
        with opener() as stream:
            for line, cells, offset in csvkit.iter_file(stream, offsets=True):
                if header is None:
                    header = cells
                    names = [normalise_column(cell) for cell in cells]
                    position = names.index("organisation_id") if "organisation_id" in names else None
                    continue
                key = _group_key(cells, position)
                if key:
                    group = keys.get(key)
                    if group is None:
                        group = keys[key] = groups
                        groups += 1
                else:
                    group, groups = groups, groups + 1
                lines.append(line)
                offsets.append(offset)
                group_of_row.append(group)
    except csvkit.CsvFileError as exc:
        raise FileRefused(str(exc)) from None
    del keys
    if header is None:
        raise FileRefused("The file is empty.")
    rows = CsvRows(opener, lines, offsets, group_of_row, groups)
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
