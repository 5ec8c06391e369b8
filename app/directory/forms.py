import re

from wtforms import HiddenField
from wtforms.validators import NumberRange, Optional, ValidationError

from ..forms import (
    Form,
    GovukCheckboxesField,
    GovukCheckboxField,
    GovukEmailField,
    GovukIntegerField,
    GovukRadiosField,
    GovukSelectField,
    GovukSubmitField,
    GovukTextareaField,
    GovukTextInputField,
    Required,
    max_length,
    validate_phone,
    validate_url,
)
from ..places.services import normalise_postcode
from .models import KIND_LABELS, STATUS_LABELS, WEEKDAY_NAMES, WEEKDAYS
from .services import normalise_charity_number, normalise_company_number
from .vocabulary import MAX_TERM_LENGTH, MAX_TERMS, parse_terms

TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def optional_email(label):
    return GovukEmailField(
        label,
        validators=[Optional()],
    )


def validate_postcode(form, field):
    if field.data and normalise_postcode(field.data) is None:
        raise ValidationError("Enter a real postcode, like NW4 4BG")


class ListingForm(Form):
    """A group's listing: the organisation, its main service and its main place, and opening hours."""

    base_version = HiddenField()
    draft_revision = HiddenField()

    name = GovukTextInputField(
        "Name of the organisation", validators=[Required(thing="the name of the organisation"), max_length(255)]
    )
    description = GovukTextareaField(
        "What the organisation does",
        validators=[Required(message="Describe what the organisation does"), max_length(5000)],
    )
    kind = GovukRadiosField(
        "Type of organisation",
        choices=list(KIND_LABELS.items()),
        validators=[Required(thing="the type of organisation")],
    )
    status = GovukRadiosField(
        "Status", choices=list(STATUS_LABELS.items()), default="active", validators=[Required(thing="the status")]
    )
    email = optional_email("Email address")
    website = GovukTextInputField("Website", validators=[Optional(), max_length(500), validate_url])
    phone = GovukTextInputField("Phone number", validators=[Optional(), max_length(40), validate_phone])
    charity_number = GovukTextInputField(
        "Registered charity number (if you have one)", validators=[Optional(), max_length(20)]
    )
    company_number = GovukTextInputField("Company number (if you have one)", validators=[Optional(), max_length(20)])

    service_name = GovukTextInputField(
        "Name of the main service or activity",
        description="For example: Friday food bank, Youth club, Advice drop-in",
        validators=[Required(thing="the name of the main service or activity"), max_length(255)],
    )
    service_description = GovukTextareaField(
        "Describe the service", validators=[Required(message="Describe the service"), max_length(5000)]
    )
    categories = GovukCheckboxesField("Categories", validators=[Optional()])
    beneficiaries = GovukCheckboxesField("Who it is for", validators=[Optional()])
    faiths = GovukCheckboxesField("Faith (for faith organisations)", validators=[Optional()])
    languages = GovukCheckboxesField("Languages", validators=[Optional()])
    area_scope = GovukRadiosField(
        "Where does this service help people?",
        default="",
        validate_choice=False,
        choices=[
            ("", "Only at the address below"),
            ("wards", "In particular wards (choose them below)"),
            ("borough", "Anywhere in the borough"),
            ("remote", "Online or by phone only, wherever people live"),
        ],
        description="Residents searching near their home find services that help people where they live, "
        "as well as services near them.",
    )
    areas = GovukCheckboxesField("Wards served", description="Only if you help people in particular wards")
    fees_description = GovukTextInputField(
        "Costs", description="For example: Free, or £2 a session", validators=[Optional(), max_length(500)]
    )
    minimum_age = GovukIntegerField(
        "Youngest age", validators=[Optional(), NumberRange(min=0, max=120, message="Enter an age from 0 to 120")]
    )
    maximum_age = GovukIntegerField(
        "Oldest age", validators=[Optional(), NumberRange(min=0, max=120, message="Enter an age from 0 to 120")]
    )

    location_name = GovukTextInputField("Name of the building or place", validators=[Optional(), max_length(255)])
    address_1 = GovukTextInputField("Address line 1", validators=[Optional(), max_length(255)])
    address_2 = GovukTextInputField("Address line 2", validators=[Optional(), max_length(255)])
    city = GovukTextInputField("Town or city", default="London", validators=[Optional(), max_length(100)])
    postcode = GovukTextInputField(
        "Postcode",
        validators=[Optional(), max_length(10, message="Enter a real postcode, like NW4 4BG"), validate_postcode],
    )
    confidential = GovukCheckboxField("Hide this address from the public (for example a refuge or a home address)")
    # A checkbox group's legend is its question (GOV.UK pattern), not a bare name.
    accessibility = GovukCheckboxesField("What access needs should the place meet?", validators=[Optional()])
    accessibility_notes = GovukTextareaField("Anything else about access", validators=[Optional(), max_length(2000)])

    message = GovukTextareaField("Note for the council (optional)", validators=[Optional(), max_length(2000)])
    submit = GovukSubmitField("Save listing")

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
            raise ValidationError(
                "Say where the service helps people, or give its address below, so residents "
                "searching near them can find it"
            )

    def validate_areas(self, field):
        if self.area_scope.data == "wards" and not field.data:
            raise ValidationError("Choose the wards the service helps people in")

    def hours_errors(self):
        return [error for _, opens, closes in self.hours_fields() for error in opens.errors + closes.errors]

    def hours_fields(self):
        return [
            (WEEKDAY_NAMES[i], getattr(self, f"{day.lower()}_opens"), getattr(self, f"{day.lower()}_closes"))
            for i, day in enumerate(WEEKDAYS)
        ]

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


for _day, _name in zip(WEEKDAYS, WEEKDAY_NAMES, strict=False):
    setattr(
        ListingForm,
        f"{_day.lower()}_opens",
        GovukTextInputField(f"{_name} opens", validators=[Optional(), max_length(5)]),
    )
    setattr(
        ListingForm,
        f"{_day.lower()}_closes",
        GovukTextInputField(f"{_name} closes", validators=[Optional(), max_length(5)]),
    )


class ContactMixin:
    contact_name = GovukTextInputField("Your full name", validators=[Required(thing="your full name"), max_length(120)])
    contact_email = GovukEmailField("Your email address", validators=[Required(thing="your email address")])
    contact_role = GovukTextInputField(
        "Your role in the organisation",
        description="For example: Chair, Volunteer coordinator",
        validators=[Required(thing="your role in the organisation"), max_length(120)],
    )


class RegisterForm(ContactMixin, ListingForm):
    require_place = True
    submit = GovukSubmitField("Send for approval")


class ClaimForm(ContactMixin, Form):
    message = GovukTextareaField(
        "How can we check you run this organisation?",
        description="For example, a link to your website that names you, or your charity trustee role",
        validators=[Required(message="Tell us how we can check you run this organisation"), max_length(2000)],
    )
    submit = GovukSubmitField("Send claim")


PROBLEM_CHOICES = [
    ("closed", "The organisation or service has closed"),
    ("wrong-details", "Contact details or address are wrong"),
    ("wrong-hours", "Opening hours are wrong"),
    ("inappropriate", "Something on the listing is inappropriate"),
    ("other", "Something else"),
]


class ProblemForm(Form):
    problem = GovukRadiosField("What is wrong?", choices=PROBLEM_CHOICES, validators=[Required(thing="what is wrong")])
    details = GovukTextareaField(
        "Tell us more",
        validators=[
            Required(message="Tell us what is wrong"),
            max_length(2000, message="Details must be 2,000 characters or fewer"),
        ],
    )
    reporter_name = GovukTextInputField("Your name (optional)", validators=[Optional(), max_length(120)])
    reporter_email = GovukEmailField(
        "Your email address (optional)", description="Only if you would like a reply", validators=[Optional()]
    )
    submit = GovukSubmitField("Send report")


class DecisionForm(Form):
    decision = GovukRadiosField(
        "Decision",
        choices=[("approve", "Approve and publish"), ("reject", "Reject")],
        validators=[Required(thing="approve or reject")],
    )
    reason = GovukTextareaField(
        "Reason (the group will see this; needed to reject)", validators=[Optional(), max_length(2000)]
    )
    submit = GovukSubmitField("Save decision")

    def validate_reason(self, field):
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError("Enter the reason for rejecting this change")


class SearchForm(Form):
    class Meta:
        csrf = False  # a GET search form

    q = GovukTextInputField("Search by words", validators=[Optional(), max_length(200, thing="Search words")])
    category = GovukSelectField("Category", validators=[Optional()])
    ward = GovukSelectField("Ward", validators=[Optional()])
    # A checkbox group's legend is its question (GOV.UK pattern), not a bare name.
    accessibility = GovukCheckboxesField("What access needs should the place meet?", validators=[Optional()])
    open_now = GovukCheckboxField("Open now")
    postcode = GovukTextInputField(
        "Near postcode",
        validators=[Optional(), max_length(10, message="Enter a real postcode, like NW4 4BG"), validate_postcode],
    )
    distance = GovukSelectField(
        "Within",
        default="1",
        choices=[("0.5", "half a mile"), ("1", "1 mile"), ("2", "2 miles"), ("5", "5 miles")],
        validators=[Optional()],
    )
    submit = GovukSubmitField("Search")


class PinForm(Form):
    """An officer's manual position for an address whose postcode cannot be placed."""

    latitude = GovukTextInputField(
        "Latitude", description="For example 51.5883", validators=[Required(thing="the latitude"), max_length(20)]
    )
    longitude = GovukTextInputField(
        "Longitude", description="For example -0.2292", validators=[Required(thing="the longitude"), max_length(20)]
    )
    submit = GovukSubmitField("Save position")

    def _number(self, field, low, high, what):
        try:
            value = float(field.data)
        except (TypeError, ValueError):
            raise ValidationError(
                f"Enter the {what} as a number, like {'51.5883' if what == 'latitude' else '-0.2292'}"
            ) from None
        if not low <= value <= high:
            raise ValidationError(f"The {what} must be between {low} and {high} (Great Britain)")
        return value

    def validate_latitude(self, field):
        self.lat = self._number(field, 49.5, 61.0, "latitude")

    def validate_longitude(self, field):
        self.lon = self._number(field, -9.0, 2.5, "longitude")


class SynonymForm(Form):
    """One entry of the search vocabulary (kept by strategy officers)."""

    terms = GovukTextareaField(
        "Words that mean the same",
        description="One a line (or separated by commas), as residents would type them: a search for any of "
        "them finds listings that use any of the others. For example: food bank, foodbank, food parcels",
        validators=[Required(thing="the words that mean the same"), max_length(2000)],
    )
    related = GovukTextareaField(
        "Related words (optional)",
        description="Searches for the words above also find these, but not the other way round. "
        "For example, for youth club: children",
        validators=[Optional(), max_length(2000)],
    )
    note = GovukTextInputField("Note for other officers (optional)", validators=[Optional(), max_length(255)])
    submit = GovukSubmitField("Save")

    def validate_terms(self, field):
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
        related = parse_terms(field.data)
        if len(related) > MAX_TERMS:
            raise ValidationError(f"Enter {MAX_TERMS} related words or fewer")
        long = [t for t in related if len(t) > MAX_TERM_LENGTH]
        if long:
            raise ValidationError(f"“{long[0][:40]}…” is too long: keep each term to {MAX_TERM_LENGTH} characters")
