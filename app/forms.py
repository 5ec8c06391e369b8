"""The shared forms kit: every form in the portal is a `Form`, built from the GOV.UK field classes here.

A field class carries its GOV.UK widget, so a form says only what is particular to it, the way GOV.UK
Notify's admin does (`GovukTextInputField("Name for this key", validators=[NotifyDataRequired(thing=...)])`):

    name = GovukTextInputField("Name", validators=[Required(thing="the name of the asset"), max_length(200)])
    email = GovukEmailField("Email address", validators=[Required(thing="your email address")])

- `Required(thing=...)` writes "Enter <thing>" for fields a person types into and "Select <thing>" for
  choices; `Required(message=...)` says something else. `max_length(n)` is the one length check.
- Choice groups and dates are fieldsets whose question (legend) is the field's label, whatever a template
  passes to style it (`app/widgets.py`); `GovukDateField` and `GovukTimeField` are the one date and time.
- `Form` (every form's base) makes single-line text fields (names, titles, e-mail addresses, postcodes,
  hidden values) refuse line breaks and other control characters, with a message beside the field. A name
  with "\\r\\n" in it once reached e-mail subjects and crashed approvals, problem reports and bookings (issue 12,
  finding 7); multi-line text (text areas) refuses control characters other than line breaks and tabs.

`tests/test_forms_kit.py` checks that every form class in the application is a `Form` built from these.
"""

import re
from datetime import date, datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, Length, Optional, StopValidation, ValidationError

from .places.services import normalise_postcode
from .text import control_characters, one_line, whole_number
from .timeutil import to_london, utcnow
from .widgets import GovCheckboxesInput, GovDateInput, GovRadioInput

__all__ = ["control_characters", "one_line", "whole_number"]  # kept importable from here for older callers


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


# --- Validators ------------------------------------------------------------------------------------------

CHOICE_FIELDS = (RadioField, SelectField, SelectMultipleField, BooleanField)


class Required:
    """The field must be answered: "Enter <thing>" for text, "Select <thing>" for a choice, or `message`.

    Like WTForms' InputRequired it looks at what was sent, not at the converted value (so "0" is an
    answer), and it counts a date with all three boxes empty as no answer.
    """

    field_flags = {"required": True}

    def __init__(self, thing=None, message=None):
        if not (thing or message):
            raise TypeError("Required needs a thing or a message")
        self.thing, self.message = thing, message

    def message_for(self, field):
        if self.message:
            return self.message
        verb = "Select" if isinstance(field, CHOICE_FIELDS) else "Enter"
        return f"{verb} {self.thing}"

    def __call__(self, form, field):
        if any(
            isinstance(value, str) and value.strip() or not isinstance(value, str) and value
            for value in (field.raw_data or [])
        ):
            return
        if isinstance(field, BooleanField) and field.data:
            return
        field.errors[:] = []
        raise StopValidation(self.message_for(field))


def max_length(limit, thing=None, message=None):
    """At most `limit` characters: "<thing> must be <limit> characters or fewer", or "Enter <limit>
    characters or fewer" where the field's own label says what it is."""
    if message is None:
        message = f"{thing} must be {limit} characters or fewer" if thing else f"Enter {limit} characters or fewer"
    return Length(max=limit, message=message)


EMAIL_FORMAT_MESSAGE = "Enter an email address in the correct format, like name@example.com"


def email_validators():
    """The checks on every e-mail address anyone types in (after `Required`, where it is required)."""
    return [max_length(254, thing="Email address"), Email(message=EMAIL_FORMAT_MESSAGE)]


def postcode_format(form, field):
    """A postcode, if one is given, must be a real one."""
    if field.data and field.data.strip() and not normalise_postcode(field.data):
        raise ValidationError("Enter a real postcode, like NW4 4BG")


def required_when(other, answer, message):
    """The field must be filled in when the form's `other` field is answered `answer` (say why a nomination
    is not valid when the outcome is "invalid"); `message` is the error beside it."""

    def check(form, field):
        if form[other].data == answer and not (field.data or "").strip():
            raise ValidationError(message)

    return check


def london_today():
    return to_london(utcnow()).date()


def not_in_future(message):
    def check(form, field):
        if field.data and field.data > london_today():
            raise ValidationError(message)

    return check


# --- Field classes ---------------------------------------------------------------------------------------


class GovukTextInputField(StringField):
    widget = GovTextInput()


class GovukEmailField(GovukTextInputField):
    """An e-mail address: `email_validators()` after the form's own (put `Required` there if it is needed)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [*(validators or []), *email_validators()], **kwargs)


class GovukTextareaField(TextAreaField):
    widget = GovTextArea()


class GovukPasswordField(PasswordField):
    widget = GovPasswordInput()


class GovukRadiosField(RadioField):
    """Radios in a fieldset whose legend is the label (the question)."""

    widget = GovRadioInput()


class GovukCheckboxesField(SelectMultipleField):
    """Checkboxes in a fieldset whose legend is the label (the question)."""

    widget = GovCheckboxesInput()


class GovukCheckboxField(BooleanField):
    """One checkbox whose label is the statement a person ticks."""

    widget = GovCheckboxInput()


class GovukSelectField(SelectField):
    widget = GovSelect()


class GovukFileField(FileField):
    widget = GovFileInput()


class GovukSubmitField(SubmitField):
    widget = GovSubmitInput()


class GovukIntegerField(Field):
    """A whole-number text input with a GOV.UK message for anything that is not one."""

    widget = GovTextInput()

    def __init__(self, label=None, validators=None, invalid_message="Enter a whole number", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return str(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(",", "")
        if not text:
            return
        self.data = whole_number(text, max_digits=9)
        if self.data is None:
            raise ValueError(self.invalid_message)


class GovukDateField(Field):
    """A GOV.UK date input (day, month, year) in a fieldset whose legend is the label, with GOV.UK error
    messages ("Date signed must include a month"), never a crash on odd input. Empty is no answer: add
    `Required` to the validators where a date must be given."""

    widget = GovDateInput()

    def _value(self):
        return self.data.strftime("%d %m %Y") if self.data else ""

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if not self.raw_data:  # the widget needs None, not [], when the field was not sent
            self.raw_data = None

    def process_formdata(self, valuelist):
        parts = [(v or "").strip() if isinstance(v, str) else "" for v in valuelist][:3]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = None
        name = self.label.text
        if not any(parts):
            return
        missing = [what for what, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            raise ValueError(f"{name} must include a {' and '.join(missing)}")
        if any(whole_number(p, max_digits=4) is None for p in parts) or len(parts[2]) != 4:
            raise ValueError(f"{name} must be a real date, like 27 3 2025")
        try:
            self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValueError(f"{name} must be a real date, like 27 3 2025") from None


def parse_clock(text):
    """The time of day in a 24-hour time like 18:30 (or 18.30), or None."""
    try:
        return datetime.strptime((text or "").strip().replace(".", ":"), "%H:%M").time()
    except ValueError:
        return None


class GovukTimeField(GovukTextInputField):
    """A 24-hour time like 18:30, kept as typed; `clock()` is the time of day. Anything else, once the
    form's own validators pass, gets "Enter <label> as a 24-hour time, like 18:30"."""

    def clock(self):
        return parse_clock(self.data)

    def post_validate(self, form, validation_stopped):
        if not validation_stopped and (self.data or "").strip() and self.clock() is None:
            self.errors.append(f"Enter {self.label.text.lower()} as a 24-hour time, like 18:30")


class HiddenIdField(HiddenField):
    """A record's id carried in the page: a whole number, or None for anything else (never an error: the
    view checks the id means something before it uses it)."""

    def process_formdata(self, valuelist):
        self.data = whole_number((valuelist[0] or "").strip(), max_digits=12) if valuelist else None

    def _value(self):
        return str(self.data) if self.data else ""


# --- The organisation chooser ------------------------------------------------------------------------------

# The radio that keeps the typed name as an organisation that is not in the directory.
NOT_LISTED = "not-listed"


def organisation_chooser_fields(label, hint="", question="Which organisation do you mean?"):
    """The three fields of the shared organisation chooser, for a form that inherits `OrganisationChooser`:

        organisation_name, organisation_id, organisation_choice = organisation_chooser_fields("Organisation")

    (in the class body, so they keep their place among the form's fields); templates render them with
    `components/organisation_chooser.html`. `question` heads the radios shown when a name matches several."""
    return (
        GovukTextInputField(label, description=hint, validators=[Optional(), max_length(255, thing="Organisation")]),
        HiddenIdField(label),
        GovukRadiosField(question, choices=[], validate_choice=False),
    )


class OrganisationChooser:
    """The shared organisation chooser (issue 16): a page never lists the whole directory. The person types
    the name (`organisation_name`); with JavaScript, a suggestion from the directory fills in
    `organisation_id`; without it, or when the name was typed without picking one, `choose_organisation`
    matches the name when the form is sent and, if several listings match, the page asks which with them as
    radios (`organisation_choice`) and "My organisation is not listed" (`organisation_not_listed`)."""

    organisation_not_listed = "My organisation is not listed"

    def choose_organisation(self, resolve):
        """The answer as (organisation_id, organisation_name) through `resolve` (the directory's
        services.choose_organisation), or None when the person must pick from the radios this fills in (with
        the message on the page). Call it after validating, on every POST, so that the page keeps the answer
        when other fields send it back."""
        choice = self.organisation_choice.data or ""
        result = resolve(
            self.organisation_name.data,
            chosen_id=self.organisation_id.data,
            chosen_listing=None if choice == NOT_LISTED else choice,
            not_listed=choice == NOT_LISTED,
        )
        self.organisation_choice.choices = []
        if result.needs_choice:
            self.organisation_id.data = None
            self.organisation_choice.choices = [(str(each.id), each.label) for each in result.candidates]
            self.organisation_choice.choices.append((NOT_LISTED, self.organisation_not_listed))
            self.organisation_choice.data = None
            self.organisation_choice.errors = [
                f"Select the organisation you mean, or select ‘{self.organisation_not_listed}’"
            ]
            return None
        self.organisation_id.data = result.organisation_id
        if result.organisation_id:
            self.organisation_name.data = result.listing_name
            self.organisation_choice.data = None
        return result.organisation_id, result.organisation_name

    def validate_choosing(self, resolve, listing=False, **listing_options):
        """validate_on_submit for a form with the chooser: on a valid POST whose organisation is settled, the
        answer of `choose_organisation` (or, with `listing`, of `choose_listing` with `listing_options`);
        otherwise None, with the messages on the form. The organisation is resolved on every POST, so a page
        sent back for another field keeps what was chosen."""
        if not self.is_submitted():
            return None
        valid = self.validate()
        answer = self.choose_listing(resolve, **listing_options) if listing else self.choose_organisation(resolve)
        return answer if valid else None

    def show_organisation(self, listing, name=""):
        """Fill the chooser of a form shown for the first time with a record's listing (a published one), or
        else with the organisation's name as the record has it."""
        self.organisation_id.data = listing.id if listing else None
        self.organisation_name.data = listing.name if listing else name or ""

    def choose_listing(self, resolve, required=None, unknown=", or leave it empty"):
        """For an answer that must be a listing in the directory (a covenant pledge, a Steering Group seat):
        its id, 0 for none, or None with the message on the page. `required` is the message for an empty
        answer (None: empty means none); `unknown` ends the message for a name no listing has."""
        organisation = self.choose_organisation(resolve)
        if organisation is None:
            return None
        organisation_id, typed = organisation
        if organisation_id:
            return organisation_id
        if not typed and not required:
            return 0
        if typed and self.organisation_choice.data == NOT_LISTED and not required:
            return 0
        message = f"No listing in the community directory is called ‘{typed}’: check the name{unknown}"
        self.organisation_name.errors = [message if typed else required]
        return None


# --- Forms -----------------------------------------------------------------------------------------------


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


def error_summary(form):
    """The GOV.UK error summary for `form` (base.html shows it): each message links to the box its field
    starts with, so that following the link puts the cursor there (a date's day, a group's first choice),
    rather than to the date's wrapper, which cannot take focus."""
    items = []
    for field in form:
        if field.errors:
            target = f"{field.name}-day" if isinstance(field.widget, GovDateInput) else field.id
            items.append({"text": field.errors[0], "href": f"#{target}"})
    items += [{"text": message} for message in getattr(form, "form_errors", [])]
    return {"titleText": "There is a problem", "errorList": items}


class ActionForm(Form):
    """One of several forms sharing a page, so each has a field prefix; the page-wide CSRFProtect checks the
    token (templates render it as a plain `csrf_token` field), so the prefixed form does not check it again."""

    class Meta:
        csrf = False


class ConfirmForm(Form):
    """An empty form: a button that carries the CSRF token (sign out, resend, confirm)."""

    submit = GovukSubmitField("Confirm")


# --- Web addresses and phone numbers (the directory's listings, its imports and other directories' feeds) ---

URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.IGNORECASE)
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{10,20}$")


def validate_url(form, field):
    if field.data and not URL_RE.match(field.data.strip()):
        raise ValidationError("Enter a web address starting with https://, like https://www.example.org")


def validate_phone(form, field):
    if field.data and (not PHONE_RE.match(field.data.strip()) or len(re.sub(r"\D", "", field.data)) < 10):
        raise ValidationError("Enter a phone number, like 020 8359 2000 or 07700 900 982")
