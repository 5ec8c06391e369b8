"""The portal's one home for CSV: reading uploaded files and writing exports, for every module.

(Named csvkit so that it never shadows the standard library's `csv` inside the package.)

Reading: `decode` accepts UTF-8, with or without a byte order mark, and nothing else: anything else gets a
message saying how to save the file (no guessing at cp1252, which silently turns a UTF-8 file's accents
into nonsense). `read_rows` splits the text into rows with their line numbers and turns every way the csv
module can fail (unbalanced quotes, a value longer than its field limit) into a `CsvFileError` naming the line.

Writing: every cell goes through `guard`, OWASP's CSV injection defence: a text cell whose first character
would make a spreadsheet run it as a formula is prefixed with an apostrophe. `guard_xlsx_row` does the same
job for workbooks, where openpyxl stores text starting with "=" as a formula.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

# OWASP "CSV Injection": = + - @ tab and carriage return; ASVS 5.0 (1.2.10) adds NUL. Line feed, the
# full-width forms some spreadsheets accept in place of = + - @, and | and % (DDE and old macro triggers)
# are guarded too. Leading spaces do not hide a trigger: " =1+1" is guarded as well.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\x00|%\uff1d\uff0b\uff0d\uff20")
GUARD = "'"
# The csv module's own limit on one value (131,072 characters); a longer one is refused with its line.
FIELD_LIMIT = csv.field_size_limit()
SAVE_AS = "In Excel choose File, Save As, 'CSV UTF-8 (Comma delimited)', then upload that file."
SAVE_UTF8 = "Save the file as 'CSV UTF-8' and upload it again."


class CsvFileError(ValueError):
    """A file that cannot be read as CSV; str() is a message for the person who uploaded it."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


# --- Reading --------------------------------------------------------------------------------------------


def decode(data):
    """The text of an uploaded CSV file (bytes), or CsvFileError saying why it is not UTF-8 CSV."""
    if isinstance(data, str):
        text = data[1:] if data.startswith("\ufeff") else data
    else:
        if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
            raise CsvFileError(f"This is a spreadsheet workbook, not a CSV file. {SAVE_AS}")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
            raise CsvFileError(f"The file is not UTF-8 text (it may be UTF-16 or a binary file). {SAVE_UTF8}")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise CsvFileError(
                f"The file is not UTF-8 text: line {line} has characters in another encoding. {SAVE_UTF8}",
                line,
            ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CsvFileError(f"The file is not a text file: line {line} holds a NUL character. {SAVE_UTF8}", line)
    return text


def iter_rows(text, strict=True, keep_blank=False):
    """(line number, [cells]) for each row of `text` (already decoded; or an iterable of its lines, as a text
    file opened with newline="" gives them), the header row included, blank rows
    left out (kept with `keep_blank`); the line is the file's line on which the row starts (a quoted value
    may span several). Every way the csv module can fail becomes a CsvFileError naming the line."""
    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = csv.reader(lines, strict=strict)
    next_line = 1
    try:
        for cells in reader:
            line, next_line = next_line, reader.line_num + 1
            if keep_blank or any(cell.strip() for cell in cells):
                yield line, cells
    except csv.Error as exc:
        line = reader.line_num or 1
        if "field larger than field limit" in str(exc):
            raise CsvFileError(
                f"Line {line} has a value longer than {FIELD_LIMIT:,} characters, more than any column can hold. "
                "Check that line's quotation marks, or shorten the value.",
                line,
            ) from None
        raise CsvFileError(
            f"The file cannot be read as CSV near line {line}: check the quotation marks on that line. "
            "A value with a comma or a line break in it must be in double quotation marks.",
            line,
        ) from None


def read_rows(text, strict=True, keep_blank=False):
    """All of `iter_rows` as a list."""
    return list(iter_rows(text, strict=strict, keep_blank=keep_blank))


def read(data, strict=True, keep_blank=False):
    """`decode` then `read_rows`: bytes in, [(line, cells)] out."""
    return read_rows(decode(data), strict=strict, keep_blank=keep_blank)


def iter_file(stream, strict=True, keep_blank=False, offsets=False):
    """`iter_rows` for a binary file object, read as it goes (for large uploads: the file is never held in
    memory whole). The same checks and messages as `decode` and `iter_rows`, raised when the reading
    reaches them: a workbook or UTF-16 file at once, a line in another encoding or with a NUL at that line.
    With `offsets`, each row is (line, cells, byte offset of the row's start), for `read_row_at`."""
    start = stream.read(4)
    stream.seek(0)
    if start.startswith(b"PK\x03\x04") or start.startswith(b"\xd0\xcf\x11\xe0"):
        raise CsvFileError(f"This is a spreadsheet workbook, not a CSV file. {SAVE_AS}")
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFileError(f"The file is not UTF-8 text (it may be UTF-16 or a binary file). {SAVE_UTF8}")
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    lines = _checked_lines(text)
    try:
        if offsets:
            tracked = _LineOffsets(lines, 3 if start.startswith(b"\xef\xbb\xbf") else 0)
            for line, cells in iter_rows(tracked, strict=strict, keep_blank=True):
                offset = tracked.row_start()
                if keep_blank or any(cell.strip() for cell in cells):
                    yield line, cells, offset
        else:
            yield from iter_rows(lines, strict=strict, keep_blank=keep_blank)
    except UnicodeDecodeError:
        stream.seek(0)
        line = _first_undecodable_line(stream)
        raise CsvFileError(
            f"The file is not UTF-8 text: line {line} has characters in another encoding. {SAVE_UTF8}", line
        ) from None
    finally:
        text.detach()  # the caller's file stays open (and theirs to close)


class _LineOffsets:
    """The lines of a file as the csv module reads them, noting the byte offset where each row starts (a
    row may span several lines). With newline="" the lines keep their own line endings, so a line's UTF-8
    length is its length in the file."""

    def __init__(self, lines, offset):
        self.lines, self.offset, self.start = lines, offset, None

    def __iter__(self):
        for line in self.lines:
            if self.start is None:
                self.start = self.offset
            self.offset += len(line.encode("utf-8"))
            yield line

    def row_start(self):
        start, self.start = self.start, None
        return start


def read_row_at(stream, offset, strict=True):
    """The cells of the row that starts at byte `offset` of a binary file checked by `iter_file` (offsets=True)."""
    stream.seek(offset)
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
    try:
        return next(csv.reader(text, strict=strict), [])
    finally:
        text.detach()


def _checked_lines(text):
    for number, line in enumerate(text, start=1):
        if "\x00" in line:
            # (what `decode` says of a NUL byte anywhere in an upload)
            raise CsvFileError(f"The file is not UTF-8 text (it may be UTF-16 or a binary file). {SAVE_UTF8}", number)
        yield line


def _first_undecodable_line(stream):
    """The line of a binary stream where UTF-8 decoding first fails (only when reading has already failed)."""
    for number, raw in enumerate(stream, start=1):
        try:
            raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            return number
    return 1


def unguard(value):
    """Undo `guard` on a value read back from one of our exports: "'=SUM" is "=SUM" again."""
    if isinstance(value, str) and len(value) > 1 and value[0] == GUARD and _triggers(value[1:]):
        return value[1:]
    return value


# --- Writing --------------------------------------------------------------------------------------------


def _triggers(text):
    stripped = text.lstrip(" ")
    return bool(stripped) and (stripped[0] in FORMULA_TRIGGERS or text[0] in FORMULA_TRIGGERS)


def guard(value):
    """One export cell: text that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers (int, float, Decimal) stay numbers: a negative number is not a formula. Dates are written ISO.
    None is an empty cell. Anything else is written as its text, guarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    text = value if isinstance(value, str) else str(value)
    return GUARD + text if _triggers(text) else text


def guard_row(row):
    return [guard(value) for value in row]


class Writer:
    """csv.writer whose every cell goes through `guard` (RFC 4180: CRLF line ends, minimal quoting)."""

    def __init__(self, stream):
        self._writer = csv.writer(stream, lineterminator="\r\n")

    def writerow(self, row):
        self._writer.writerow(guard_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def to_text(header, rows, bom=False):
    """A whole CSV file as text: the header, then the rows, every cell guarded. With `bom`, a byte order
    mark first, so that Excel opens it as UTF-8."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = Writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def guard_xlsx_row(cells):
    """After `worksheet.append(row)`: no text cell of the row is a formula.

    openpyxl stores a string starting with "=" as a formula; such a cell keeps its exact text, stored as
    text. Every text cell that `guard` would guard also gets Excel's own apostrophe (the "quote prefix"
    style), so it stays text even when someone edits it in the spreadsheet."""
    for cell in cells:
        if isinstance(cell.value, str):
            if cell.data_type == "f":
                cell.data_type = "s"
            if _triggers(cell.value):
                cell.quotePrefix = True
    return cells
