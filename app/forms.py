"""The shared forms kit: every form in the portal is a `Form`.

What every form needs, whatever its module, lives here so a new form gets it without remembering to:

- single-line text fields (names, titles, e-mail addresses, postcodes, hidden values) refuse line breaks and
  other control characters, with a message beside the field. A name with "\\r\\n" in it once reached e-mail
  subjects and crashed approvals, problem reports and bookings (issue 12, finding 7);
- multi-line text (text areas) refuses control characters other than line breaks and tabs.

`tests/test_forms_kit.py` checks that every form class in the application is a `Form`.
"""
import unicodedata

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

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
        ch for ch in text
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


def is_single_line(field):
    return isinstance(field, StringField) and not isinstance(field, (TextAreaField, PasswordField))


def text_problem(field):
    """The message for a text field holding characters it must not, or None."""
    if not isinstance(field, StringField) or isinstance(field, PasswordField):
        return None
    values = [value for value in (field.raw_data or []) if isinstance(value, str)]
    label = field.label.text if field.label else field.name
    if is_single_line(field):
        if any(control_characters(value) for value in values):
            return f"{label} must be on one line: remove any line breaks, tabs or other control characters"
    elif any(control_characters(value, multiline=True) for value in values):
        return f"{label} must not contain control characters: remove them and try again"
    return None


class Form(FlaskForm):
    """The base of every form in the portal (see the module's docstring for what it adds)."""

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            problem = text_problem(field)
            if problem:
                field.errors = [*field.errors, problem]
                valid = False
        return valid
