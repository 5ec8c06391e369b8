"""Text checks that need no form or request: control characters, one-line text, whole numbers.

They live here rather than in `app/forms.py` so that services (`places`, `mailer`, importers) can use them
without importing the forms kit, which itself imports `places.services` for postcodes.
"""

import unicodedata

# Unicode's line and paragraph separators are not control characters (Cc) but break lines all the same
# (str.splitlines and mail clients honour them). The bidirectional embeddings, overrides and isolates
# reorder the text around them: in a name or a subject they make "cod.exe" look like "exe.doc".
# (Marks such as U+200E and joiners such as U+200D stay allowed: some scripts and emoji need them.)
_LINE_SEPARATORS = frozenset("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MULTILINE_ALLOWED = frozenset("\r\n\t")


def control_characters(text, multiline=False):
    """The characters in `text` that have no place in a single-line (or, with multiline, a multi-line) field."""
    allowed = _MULTILINE_ALLOWED if multiline else frozenset()
    return [
        ch
        for ch in text
        if ch not in allowed and (unicodedata.category(ch) == "Cc" or (not multiline and ch in _LINE_SEPARATORS))
    ]


def one_line(text):
    """`text` on one line: every run of line breaks, control characters and spaces becomes one space.

    For building things that must be one line (e-mail headers, file names) from data that might not be.
    """
    cleaned = "".join(" " if control_characters(ch) else ch for ch in (text or ""))
    return " ".join(cleaned.split())


def whole_number(text, max_digits=12):
    """The whole number written in `text` with ASCII digits (surrounding spaces allowed), or None.

    Use this, not `text.isdigit()` before `int(text)`: "²" is a digit to isdigit() that int() refuses, "١٢"
    (Arabic-Indic) is one int() accepts, and int() refuses more than 4,300 digits; all three once made 500s.
    """
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text or len(text) > max_digits or not (text.isascii() and text.isdecimal()):
        return None
    return int(text)
