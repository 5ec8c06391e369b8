import re

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import Form
from ..places.services import normalise_postcode
from .models import KIND_LABELS, STATUS_LABELS, WEEKDAY_NAMES, WEEKDAYS
from .services import normalise_charity_number, normalise_company_number

URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.IGNORECASE)
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{10,20}$")
TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def optional_email(label):
    return StringField(
        label,
        widget=GovTextInput(),
        validators=[Optional(), Length(max=254), Email(message="Enter an email address in the correct format, like name@example.com")],
    )


def validate_url(form, field):
    if field.data and not URL_RE.match(field.data.strip()):
        raise ValidationError("Enter a web address starting with https://, like https://www.example.org")


def validate_phone(form, field):
    if field.data and (not PHONE_RE.match(field.data.strip()) or len(re.sub(r"\D", "", field.data)) < 10):
        raise ValidationError("Enter a phone number, like 020 8359 2000 or 07700 900 982")


def validate_postcode(form, field):
    if field.data and normalise_postcode(field.data) is None:
        raise ValidationError("Enter a real postcode, like NW4 4BG")


class ListingForm(Form):
    """A group's listing: the organisation, its main service and its main place, and opening hours."""

    base_version = HiddenField()
    draft_revision = HiddenField()

    name = StringField("Name of the organisation", widget=GovTextInput(),
                       validators=[InputRequired(message="Enter the name of the organisation"), Length(max=255)])
    description = TextAreaField("What the organisation does", widget=GovTextArea(),
                                validators=[InputRequired(message="Describe what the organisation does"), Length(max=5000)])
    kind = RadioField("Type of organisation", widget=GovRadioInput(), choices=list(KIND_LABELS.items()),
                      validators=[InputRequired(message="Select the type of organisation")])
    status = RadioField("Status", widget=GovRadioInput(), choices=list(STATUS_LABELS.items()), default="active",
                        validators=[InputRequired(message="Select the status")])
    email = optional_email("Email address")
    website = StringField("Website", widget=GovTextInput(), validators=[Optional(), Length(max=500), validate_url])
    phone = StringField("Phone number", widget=GovTextInput(), validators=[Optional(), Length(max=40), validate_phone])
    charity_number = StringField("Registered charity number (if you have one)", widget=GovTextInput(), validators=[Optional(), Length(max=20)])
    company_number = StringField("Company number (if you have one)", widget=GovTextInput(), validators=[Optional(), Length(max=20)])

    service_name = StringField("Name of the main service or activity", widget=GovTextInput(),
                               description="For example: Friday food bank, Youth club, Advice drop-in",
                               validators=[InputRequired(message="Enter the name of the main service or activity"), Length(max=255)])
    service_description = TextAreaField("Describe the service", widget=GovTextArea(),
                                        validators=[InputRequired(message="Describe the service"), Length(max=5000)])
    categories = SelectMultipleField("Categories", widget=GovCheckboxesInput(), validators=[Optional()])
    beneficiaries = SelectMultipleField("Who it is for", widget=GovCheckboxesInput(), validators=[Optional()])
    faiths = SelectMultipleField("Faith (for faith organisations)", widget=GovCheckboxesInput(), validators=[Optional()])
    languages = SelectMultipleField("Languages", widget=GovCheckboxesInput(), validators=[Optional()])
    area_scope = RadioField(
        "Where does this service help people?", widget=GovRadioInput(), validators=[], default="", validate_choice=False,
        choices=[("", "Only at the address below"), ("wards", "In particular wards (choose them below)"),
                 ("borough", "Anywhere in the borough"), ("remote", "Online or by phone only, wherever people live")],
        description="Residents searching near their home find services that help people where they live, "
                    "as well as services near them.",
    )
    areas = SelectMultipleField("Wards served", widget=GovCheckboxesInput(), validators=[],
                                description="Only if you help people in particular wards")
    fees_description = StringField("Costs", widget=GovTextInput(), description="For example: Free, or £2 a session",
                                   validators=[Optional(), Length(max=500)])
    minimum_age = IntegerField("Youngest age", widget=GovTextInput(), validators=[Optional(), NumberRange(min=0, max=120, message="Enter an age from 0 to 120")])
    maximum_age = IntegerField("Oldest age", widget=GovTextInput(), validators=[Optional(), NumberRange(min=0, max=120, message="Enter an age from 0 to 120")])

    location_name = StringField("Name of the building or place", widget=GovTextInput(), validators=[Optional(), Length(max=255)])
    address_1 = StringField("Address line 1", widget=GovTextInput(), validators=[Optional(), Length(max=255)])
    address_2 = StringField("Address line 2", widget=GovTextInput(), validators=[Optional(), Length(max=255)])
    city = StringField("Town or city", widget=GovTextInput(), default="London", validators=[Optional(), Length(max=100)])
    postcode = StringField("Postcode", widget=GovTextInput(), validators=[Optional(), Length(max=10, message="Enter a real postcode, like NW4 4BG"), validate_postcode])
    confidential = BooleanField("Hide this address from the public (for example a refuge or a home address)", widget=GovCheckboxInput())
    accessibility = SelectMultipleField("Accessibility", widget=GovCheckboxesInput(), validators=[Optional()])
    accessibility_notes = TextAreaField("Anything else about access", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])

    message = TextAreaField("Note for the council (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Save listing", widget=GovSubmitInput())

    def validate_charity_number(self, field):
        try:
            field.data = normalise_charity_number(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_company_number(self, field):
        try:
            field.data = normalise_company_number(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_maximum_age(self, field):
        if field.data is not None and self.minimum_age.data is not None and field.data < self.minimum_age.data:
            raise ValidationError("Oldest age must be the same as or more than the youngest age")

    def validate_address_1(self, field):
        if self.postcode.data and not (field.data or "").strip():
            raise ValidationError("Enter the first line of the address, or remove the postcode")

    def validate_postcode(self, field):
        if (self.address_1.data or "").strip() and not (field.data or "").strip():
            raise ValidationError("Enter the postcode of the address")

    # A new listing must say where it helps people or give an address; an existing one without either can
    # still be saved (search counts it and says so) so that no other change is blocked.
    require_place = False

    def validate_area_scope(self, field):
        field.data = field.data or ""
        if field.data not in ("", "wards", "borough", "remote"):
            raise ValidationError("Choose where the service helps people")
        has_address = (self.postcode.data or "").strip() or (self.address_1.data or "").strip()
        if self.require_place and not field.data and not has_address and not self.areas.data:
            raise ValidationError("Say where the service helps people, or give its address below, so residents "
                                  "searching near them can find it")

    def validate_areas(self, field):
        if self.area_scope.data == "wards" and not field.data:
            raise ValidationError("Choose the wards the service helps people in")

    def hours_errors(self):
        return [error for _, opens, closes in self.hours_fields() for error in opens.errors + closes.errors]

    def hours_fields(self):
        return [(WEEKDAY_NAMES[i], getattr(self, f"{day.lower()}_opens"), getattr(self, f"{day.lower()}_closes")) for i, day in enumerate(WEEKDAYS)]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for day_name, opens, closes in self.hours_fields():
            o, c = (opens.data or "").strip(), (closes.data or "").strip()
            if not o and not c:
                continue
            for field, value, word in ((opens, o, "opening"), (closes, c, "closing")):
                if not TIME_RE.match(value):
                    field.errors.append(f"Enter the {word} time on {day_name} as a 24-hour time, like 09:30")
                    valid = False
            if TIME_RE.match(o) and TIME_RE.match(c) and _minutes(c) <= _minutes(o):
                closes.errors.append(f"The closing time on {day_name} must be after the opening time")
                valid = False
        return valid


def _minutes(value):
    hours, minutes = TIME_RE.match(value).groups()
    return int(hours) * 60 + int(minutes)


def normal_time(value):
    hours, minutes = TIME_RE.match(value.strip()).groups()
    return f"{int(hours):02d}:{minutes}"


for _day, _name in zip(WEEKDAYS, WEEKDAY_NAMES):
    setattr(ListingForm, f"{_day.lower()}_opens", StringField(f"{_name} opens", widget=GovTextInput(), validators=[Optional(), Length(max=5)]))
    setattr(ListingForm, f"{_day.lower()}_closes", StringField(f"{_name} closes", widget=GovTextInput(), validators=[Optional(), Length(max=5)]))


class ContactMixin:
    contact_name = StringField("Your full name", widget=GovTextInput(), validators=[InputRequired(message="Enter your full name"), Length(max=120)])
    contact_email = StringField("Your email address", widget=GovTextInput(), validators=[
        InputRequired(message="Enter your email address"), Length(max=254),
        Email(message="Enter an email address in the correct format, like name@example.com")])
    contact_role = StringField("Your role in the organisation", widget=GovTextInput(), description="For example: Chair, Volunteer coordinator",
                               validators=[InputRequired(message="Enter your role in the organisation"), Length(max=120)])


class RegisterForm(ContactMixin, ListingForm):
    require_place = True
    submit = SubmitField("Send for approval", widget=GovSubmitInput())


class ClaimForm(ContactMixin, Form):
    message = TextAreaField("How can we check you run this organisation?", widget=GovTextArea(),
                            description="For example, a link to your website that names you, or your charity trustee role",
                            validators=[InputRequired(message="Tell us how we can check you run this organisation"), Length(max=2000)])
    submit = SubmitField("Send claim", widget=GovSubmitInput())


PROBLEM_CHOICES = [
    ("closed", "The organisation or service has closed"),
    ("wrong-details", "Contact details or address are wrong"),
    ("wrong-hours", "Opening hours are wrong"),
    ("inappropriate", "Something on the listing is inappropriate"),
    ("other", "Something else"),
]


class ProblemForm(Form):
    problem = RadioField("What is wrong?", widget=GovRadioInput(), choices=PROBLEM_CHOICES,
                         validators=[InputRequired(message="Select what is wrong")])
    details = TextAreaField("Tell us more", widget=GovTextArea(), validators=[InputRequired(message="Tell us what is wrong"), Length(max=2000, message="Details must be 2,000 characters or fewer")])
    reporter_name = StringField("Your name (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=120)])
    reporter_email = StringField("Your email address (optional)", widget=GovTextInput(), description="Only if you would like a reply",
                                 validators=[Optional(), Length(max=254), Email(message="Enter an email address in the correct format, like name@example.com")])
    submit = SubmitField("Send report", widget=GovSubmitInput())


class DecisionForm(Form):
    decision = RadioField("Decision", widget=GovRadioInput(), choices=[("approve", "Approve and publish"), ("reject", "Reject")],
                          validators=[InputRequired(message="Select approve or reject")])
    reason = TextAreaField("Reason (the group will see this; needed to reject)", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Save decision", widget=GovSubmitInput())

    def validate_reason(self, field):
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError("Enter the reason for rejecting this change")


class SearchForm(Form):
    class Meta:
        csrf = False  # a GET search form

    q = StringField("Search by words", widget=GovTextInput(), validators=[Optional(), Length(max=200, message="Search words must be 200 characters or fewer")])
    category = SelectField("Category", widget=GovSelect(), validators=[Optional()])
    ward = SelectField("Ward", widget=GovSelect(), validators=[Optional()])
    accessibility = SelectMultipleField("Accessibility", widget=GovCheckboxesInput(), validators=[Optional()])
    open_now = BooleanField("Open now", widget=GovCheckboxInput())
    postcode = StringField("Near postcode", widget=GovTextInput(), validators=[Optional(), Length(max=10, message="Enter a real postcode, like NW4 4BG"), validate_postcode])
    distance = SelectField("Within", widget=GovSelect(), default="1",
                           choices=[("0.5", "half a mile"), ("1", "1 mile"), ("2", "2 miles"), ("5", "5 miles")], validators=[Optional()])
    submit = SubmitField("Search", widget=GovSubmitInput())


class PinForm(Form):
    """An officer's manual position for an address whose postcode cannot be placed."""

    latitude = StringField("Latitude", widget=GovTextInput(), description="For example 51.5883",
                           validators=[InputRequired(message="Enter the latitude"), Length(max=20)])
    longitude = StringField("Longitude", widget=GovTextInput(), description="For example -0.2292",
                            validators=[InputRequired(message="Enter the longitude"), Length(max=20)])
    submit = SubmitField("Save position", widget=GovSubmitInput())

    def _number(self, field, low, high, what):
        try:
            value = float(field.data)
        except (TypeError, ValueError):
            raise ValidationError(f"Enter the {what} as a number, like {'51.5883' if what == 'latitude' else '-0.2292'}") from None
        if not low <= value <= high:
            raise ValidationError(f"The {what} must be between {low} and {high} (Great Britain)")
        return value

    def validate_latitude(self, field):
        self.lat = self._number(field, 49.5, 61.0, "latitude")

    def validate_longitude(self, field):
        self.lon = self._number(field, -9.0, 2.5, "longitude")


class SynonymForm(Form):
    """One entry of the search vocabulary (kept by strategy officers)."""

    terms = TextAreaField(
        "Words that mean the same", widget=GovTextArea(),
        description="One a line (or separated by commas), as residents would type them: a search for any of "
                    "them finds listings that use any of the others. For example: food bank, foodbank, food parcels",
        validators=[InputRequired(message="Enter the words that mean the same"), Length(max=2000)],
    )
    related = TextAreaField(
        "Related words (optional)", widget=GovTextArea(),
        description="Searches for the words above also find these, but not the other way round. "
                    "For example, for youth club: children",
        validators=[Optional(), Length(max=2000)],
    )
    note = StringField("Note for other officers (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=255)])
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_terms(self, field):
        from .vocabulary import MAX_TERM_LENGTH, MAX_TERMS, parse_terms

        terms = parse_terms(field.data)
        if not terms:
            raise ValidationError("Enter words with letters or numbers in them")
        if len(terms) > MAX_TERMS:
            raise ValidationError(f"Enter {MAX_TERMS} words or phrases or fewer; make another entry for the rest")
        long = [t for t in terms if len(t) > MAX_TERM_LENGTH]
        if long:
            raise ValidationError(f"“{long[0][:40]}…” is too long: keep each term to {MAX_TERM_LENGTH} characters")
        if len(terms) < 2 and not parse_terms(self.related.data):
            raise ValidationError("Enter at least two words that mean the same, or a related word below")

    def validate_related(self, field):
        from .vocabulary import MAX_TERM_LENGTH, MAX_TERMS, parse_terms

        related = parse_terms(field.data)
        if len(related) > MAX_TERMS:
            raise ValidationError(f"Enter {MAX_TERMS} related words or fewer")
        long = [t for t in related if len(t) > MAX_TERM_LENGTH]
        if long:
            raise ValidationError(f"“{long[0][:40]}…” is too long: keep each term to {MAX_TERM_LENGTH} characters")
