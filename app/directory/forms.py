import re
from datetime import date, timedelta

from wtforms.validators import NumberRange, Optional, ValidationError

from ..forms import (
    Form,
    GovukCheckboxesField,
    GovukCheckboxField,
    GovukDateField,
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
from ..widgets import OnceCheckbox, OnceCheckboxes, OnceSelect, OnceTextInput
from .models import KIND_LABELS, STATUS_LABELS, WEEKDAY_NAMES
from .services import normalise_charity_number, normalise_company_number
from .vocabulary import MAX_TERM_LENGTH, MAX_TERMS, parse_terms

TIME_RE = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$", re.ASCII)


def optional_email(label):
    return GovukEmailField(
        label,
        validators=[Optional()],
    )


def validate_postcode(form, field):
    if field.data and normalise_postcode(field.data) is None:
        raise ValidationError("Enter a real postcode, like NW4 4BG")


class AboutForm(Form):
    """Task "About the group": who the organisation is."""

    name = GovukTextInputField(
        "Name of the organisation", validators=[Required(thing="the name of the organisation"), max_length(255)]
    )
    description = GovukTextareaField(
        "What the organisation does",
        validators=[Required(message="Describe what the organisation does"), max_length(5000)],
    )
    kind = GovukRadiosField(
        "What type of organisation is it?",
        choices=list(KIND_LABELS.items()),
        validators=[Required(thing="the type of organisation")],
    )
    status = GovukRadiosField(
        "Is the organisation running now?",
        choices=list(STATUS_LABELS.items()),
        default="active",
        validators=[Required(thing="whether the organisation is running now")],
    )
    charity_number = GovukTextInputField(
        "Registered charity number (if you have one)", validators=[Optional(), max_length(20)]
    )
    company_number = GovukTextInputField("Company number (if you have one)", validators=[Optional(), max_length(20)])
    submit = GovukSubmitField("Save and continue")

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


class ContactDetailsForm(Form):
    """Task "Contact details": how residents get in touch with the organisation."""

    email = optional_email("Email address")
    website = GovukTextInputField("Website", validators=[Optional(), max_length(500), validate_url])
    phone = GovukTextInputField("Phone number", validators=[Optional(), max_length(40), validate_phone])
    submit = GovukSubmitField("Save and continue")


class ServiceForm(Form):
    """One service or activity: what it is, who it is for, where it helps people and where it runs."""

    name = GovukTextInputField(
        "Name of the service or activity",
        description="For example: Friday food bank, Youth club, Advice drop-in",
        validators=[Required(thing="the name of the service or activity"), max_length(255)],
    )
    description = GovukTextareaField(
        "Describe the service", validators=[Required(message="Describe the service"), max_length(5000)]
    )
    categories = GovukCheckboxesField("What kind of help does it give?", validators=[Optional()])
    beneficiaries = GovukCheckboxesField("Who is it for?", validators=[Optional()])
    faiths = GovukCheckboxesField("Is it linked to a faith?", validators=[Optional()])
    languages = GovukCheckboxesField("Which languages can people use there?", validators=[Optional()])
    fees_description = GovukTextInputField(
        "Costs", description="For example: Free, or £2 a session", validators=[Optional(), max_length(500)]
    )
    minimum_age = GovukIntegerField(
        "Youngest age", validators=[Optional(), NumberRange(min=0, max=120, message="Enter an age from 0 to 120")]
    )
    maximum_age = GovukIntegerField(
        "Oldest age", validators=[Optional(), NumberRange(min=0, max=120, message="Enter an age from 0 to 120")]
    )
    area_scope = GovukRadiosField(
        "Where does this service help people?",
        default="",
        validate_choice=False,
        choices=[
            ("", "Only at the places where it runs"),
            ("wards", "In particular wards (choose them below)"),
            ("borough", "Anywhere in the borough"),
            ("remote", "Online or by phone only, wherever people live"),
        ],
        description="Residents searching near their home find services that help people where they live, "
        "as well as services near them.",
    )
    areas = GovukCheckboxesField("Which wards does it help people in?", description="Only if you chose wards")
    locations = GovukCheckboxesField(
        "Where does it run?",
        description="Add places under Locations on the task list first.",
        validators=[Optional()],
    )
    submit = GovukSubmitField("Save and continue")

    # A new listing must say where each service helps people or where it runs; an existing one without
    # either can still be saved (search counts it and says so) so that no other change is blocked.
    require_place = False

    def validate_maximum_age(self, field):
        if field.data is not None and self.minimum_age.data is not None and field.data < self.minimum_age.data:
            raise ValidationError("Oldest age must be the same as or more than the youngest age")

    def validate_area_scope(self, field):
        field.data = field.data or ""
        if field.data not in ("", "wards", "borough", "remote"):
            raise ValidationError("Choose where the service helps people")
        if self.require_place and not field.data and not self.locations.data:
            raise ValidationError(
                "Say where the service helps people, or choose a place where it runs (add the place under "
                "Locations first), so residents searching near them can find it"
            )

    def validate_areas(self, field):
        if self.area_scope.data == "wards" and not field.data:
            raise ValidationError("Choose the wards the service helps people in")


class LocationForm(Form):
    """One place where the organisation's services run."""

    name = GovukTextInputField("Name of the building or place", validators=[Optional(), max_length(255)])
    address_1 = GovukTextInputField(
        "Address line 1", validators=[Required(thing="the first line of the address"), max_length(255)]
    )
    address_2 = GovukTextInputField("Address line 2 (optional)", validators=[Optional(), max_length(255)])
    city = GovukTextInputField("Town or city", default="London", validators=[Optional(), max_length(100)])
    postcode = GovukTextInputField(
        "Postcode",
        validators=[
            Required(thing="the postcode"),
            max_length(10, message="Enter a real postcode, like NW4 4BG"),
            validate_postcode,
        ],
    )
    confidential = GovukCheckboxField("Hide this address from the public (for example a refuge or a home address)")
    accessibility = GovukCheckboxesField("How accessible is the place?", validators=[Optional()])
    accessibility_notes = GovukTextareaField(
        "Anything else about access (optional)", validators=[Optional(), max_length(2000)]
    )
    submit = GovukSubmitField("Save and continue")


MAX_SLOTS_A_DAY = 6
MAX_CLOSURES = 20


class HoursFormBase(Form):
    """Opening hours and holiday closures of one service; `hours_form` adds the rows it shows."""

    submit = GovukSubmitField("Save and continue")
    more = GovukSubmitField("Save and add more times or closures")

    slots_shown = ()  # [(weekday, number of rows)]
    closures_shown = 0

    def day_rows(self, weekday):
        count = dict(self.slots_shown)[weekday]
        return [(getattr(self, f"d{weekday}_{n}_opens"), getattr(self, f"d{weekday}_{n}_closes")) for n in range(count)]

    def days(self):
        return [(WEEKDAY_NAMES[day], self.day_rows(day)) for day, _ in self.slots_shown]

    def closure_rows(self):
        return [
            (
                getattr(self, f"closure_{n}_starts"),
                getattr(self, f"closure_{n}_ends"),
                getattr(self, f"closure_{n}_note"),
            )
            for n in range(self.closures_shown)
        ]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for day, _ in self.slots_shown:
            day_name = WEEKDAY_NAMES[day]
            taken = []
            for opens, closes in self.day_rows(day):
                o, c = (opens.data or "").strip(), (closes.data or "").strip()
                if not o and not c:
                    continue
                good = True
                for field, value, word in ((opens, o, "opening"), (closes, c, "closing")):
                    if not TIME_RE.match(value):
                        field.errors.append(f"Enter the {word} time on {day_name} as a 24-hour time, like 09:30")
                        good = False
                if not good:
                    valid = False
                    continue
                if _minutes(c) <= _minutes(o):
                    closes.errors.append(f"The closing time on {day_name} must be after the opening time")
                    valid = False
                    continue
                if any(_minutes(o) < end and start < _minutes(c) for start, end in taken):
                    opens.errors.append(f"The times on {day_name} overlap: give each time once")
                    valid = False
                taken.append((_minutes(o), _minutes(c)))
        for n, (starts, ends, note) in enumerate(self.closure_rows(), start=1):
            if starts.errors or ends.errors:
                valid = False
                continue
            if starts.data is None and (ends.data is not None or (note.data or "").strip()):
                starts.errors.append(f"Enter the first day of closure {n}")
                valid = False
            elif starts.data and ends.data and ends.data < starts.data:
                ends.errors.append(f"The last day of closure {n} must be the same as or after its first day")
                valid = False
            elif starts.data and (ends.data or starts.data) - starts.data > timedelta(days=366):
                ends.errors.append(f"Closure {n} must be a year or shorter")
                valid = False
        return valid

    def hours(self):
        """The weekly slots entered, as a snapshot's hours list."""
        slots = []
        for day, _ in self.slots_shown:
            for opens, closes in self.day_rows(day):
                if (opens.data or "").strip() and (closes.data or "").strip():
                    slots.append(
                        {"weekday": day, "opens_at": normal_time(opens.data), "closes_at": normal_time(closes.data)}
                    )
        return sorted(slots, key=lambda s: (s["weekday"], s["opens_at"]))

    def closures(self):
        """The closures entered, as a snapshot's closures list."""
        return sorted(
            (
                {
                    "starts_on": starts.data.isoformat(),
                    "ends_on": (ends.data or starts.data).isoformat(),
                    "note": (note.data or "").strip() or None,
                }
                for starts, ends, note in self.closure_rows()
                if starts.data
            ),
            key=lambda c: c["starts_on"],
        )


def hours_form(hours, closures, formdata=None):
    """A HoursFormBase for a service with these hours and closures: each day shows its slots and one empty
    row, and the closures one empty row, so any number can be added a row at a time without scripts."""
    by_day = {day: [h for h in hours if h["weekday"] == day] for day in range(7)}
    attrs = {"slots_shown": [], "closures_shown": min(len(closures) + 1, MAX_CLOSURES)}
    data = {}
    for day in range(7):
        name = WEEKDAY_NAMES[day]
        count = min(len(by_day[day]) + 1, MAX_SLOTS_A_DAY)
        if formdata is not None:  # rows the page showed when it was sent
            while count < MAX_SLOTS_A_DAY and f"d{day}_{count}_opens" in formdata:
                count += 1
        attrs["slots_shown"].append((day, count))
        for n in range(count):
            attrs[f"d{day}_{n}_opens"] = GovukTextInputField(
                f"{name}, time {n + 1}: opens", validators=[Optional(), max_length(5)]
            )
            attrs[f"d{day}_{n}_closes"] = GovukTextInputField(
                f"{name}, time {n + 1}: closes", validators=[Optional(), max_length(5)]
            )
        for n, slot in enumerate(by_day[day][:count]):
            data[f"d{day}_{n}_opens"], data[f"d{day}_{n}_closes"] = slot["opens_at"], slot["closes_at"]
    if formdata is not None:
        while attrs["closures_shown"] < MAX_CLOSURES and f"closure_{attrs['closures_shown']}_note" in formdata:
            attrs["closures_shown"] += 1
    for n in range(attrs["closures_shown"]):
        attrs[f"closure_{n}_starts"] = GovukDateField(f"Closure {n + 1}: first day closed", validators=[Optional()])
        attrs[f"closure_{n}_ends"] = GovukDateField(
            f"Closure {n + 1}: last day closed (if more than one day)", validators=[Optional()]
        )
        attrs[f"closure_{n}_note"] = GovukTextInputField(
            f"Closure {n + 1}: reason (optional)",
            description="For example: Christmas and New Year",
            validators=[Optional(), max_length(255)],
        )
    for n, closure in enumerate(closures[: attrs["closures_shown"]]):
        data[f"closure_{n}_starts"] = date.fromisoformat(closure["starts_on"])
        data[f"closure_{n}_ends"] = (
            date.fromisoformat(closure["ends_on"]) if closure.get("ends_on") != closure["starts_on"] else None
        )
        data[f"closure_{n}_note"] = closure.get("note")
    form_class = type("HoursForm", (HoursFormBase,), attrs)
    return form_class(formdata=formdata, data=data) if formdata is not None else form_class(data=data)


def _minutes(value):
    hours, minutes = TIME_RE.match(value.strip()).groups()
    return int(hours) * 60 + int(minutes)


def normal_time(value):
    hours, minutes = TIME_RE.match(value.strip()).groups()
    return f"{int(hours):02d}:{minutes}"


class ContactMixin:
    contact_name = GovukTextInputField("Your full name", validators=[Required(thing="your full name"), max_length(120)])
    contact_email = GovukEmailField("Your email address", validators=[Required(thing="your email address")])
    contact_role = GovukTextInputField(
        "Your role in the organisation",
        description="For example: Chair, Volunteer coordinator",
        validators=[Required(thing="your role in the organisation"), max_length(120)],
    )


class YourDetailsForm(ContactMixin, Form):
    """Task "Your details" of a registration: who is asking, so the officer can check and invite them."""

    submit = GovukSubmitField("Save and continue")


class SendForm(Form):
    """The check-your-answers page's button, with a note for the officer from a group."""

    message = GovukTextareaField("Note for the council (optional)", validators=[Optional(), max_length(2000)])
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

    # Rendered once per set of values and kept (app/widgets.py RenderedOnce): every search renders this form.
    q = GovukTextInputField(
        "Search by words", validators=[Optional(), max_length(200, thing="Search words")], widget=OnceTextInput()
    )
    category = GovukSelectField("Category", validators=[Optional()], widget=OnceSelect())
    ward = GovukSelectField("Ward", validators=[Optional()], widget=OnceSelect())
    # A checkbox group's legend is its question (GOV.UK pattern), not a bare name.
    accessibility = GovukCheckboxesField(
        "What access needs should the place meet?", validators=[Optional()], widget=OnceCheckboxes()
    )
    open_now = GovukCheckboxField("Open now", widget=OnceCheckbox())
    postcode = GovukTextInputField(
        "Near postcode",
        validators=[Optional(), max_length(10, message="Enter a real postcode, like NW4 4BG"), validate_postcode],
        widget=OnceTextInput(),
    )
    distance = GovukSelectField(
        "Within",
        default="1",
        choices=[("0.5", "half a mile"), ("1", "1 mile"), ("2", "2 miles"), ("5", "5 miles")],
        validators=[Optional()],
        widget=OnceSelect(),
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
