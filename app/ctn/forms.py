from datetime import datetime

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
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
from ..widgets import GovDateInput
from .models import INTERESTS, MEETING_KINDS, MEETING_STATUSES, SECTORS, STEERING_ROLES
from ..places.services import normalise_postcode  # (placed here to merge cleanly beside app/forms.py; ruff sorts it)

EMAIL_VALIDATORS = [
    InputRequired(message="Enter your email address"),
    Length(max=254, message="Email address must be 254 characters or fewer"),
    Email(message="Enter an email address in the correct format, like name@example.com"),
]


class MemberDetailsForm(Form):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your full name"), Length(max=120, message="Name must be 120 characters or fewer")],
    )
    email = StringField("Email address", widget=GovTextInput(), validators=EMAIL_VALIDATORS)
    organisation_id = SelectField(
        "Organisation",
        widget=GovSelect(),
        coerce=int,
        description="Choose your organisation if it is in the community directory.",
        validate_choice=True,
    )
    organisation_name = StringField(
        "Organisation, if it is not in the list (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=255, message="Organisation must be 255 characters or fewer")],
    )
    job_title = StringField(
        "Job title or role (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=120, message="Job title must be 120 characters or fewer")],
    )
    sector = RadioField(
        "Which sector are you part of?",
        widget=GovRadioInput(),
        choices=list(SECTORS.items()),
        validators=[InputRequired(message="Select the sector you are part of")],
    )
    ward_code = SelectField(
        "Ward (optional)",
        widget=GovSelect(),
        description="The Barnet ward where you or your organisation mostly work.",
        validators=[Optional()],
    )
    interests = SelectMultipleField(
        "What are you interested in? (optional)",
        widget=GovCheckboxesInput(),
        choices=list(INTERESTS.items()),
        description="We use this to send you what matters to you. Select all that apply.",
    )

    def validate_organisation_id(self, field):
        if field.data is None:
            field.data = 0


class JoinForm(MemberDetailsForm):
    consent = BooleanField(
        "I agree to the statement above",
        widget=GovCheckboxInput(),
        validators=[InputRequired(message="Confirm that you agree to join so that we can email you")],
    )
    submit = SubmitField("Join the network", widget=GovSubmitInput())


class PreferencesForm(MemberDetailsForm):
    submit = SubmitField("Save your preferences", widget=GovSubmitInput())


class ButtonForm(Form):
    """A button that carries the CSRF token (confirm, unsubscribe, cancel a booking)."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class EraseForm(Form):
    understood = BooleanField(
        "I understand that this deletes the data and cannot be undone",
        widget=GovCheckboxInput(),
        validators=[InputRequired(message="Confirm that you understand the data will be deleted")],
    )
    submit = SubmitField("Delete the data", widget=GovSubmitInput())


class RegisterForm(Form):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your full name"), Length(max=120, message="Name must be 120 characters or fewer")],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        description="We will send your booking and a link to cancel it.",
        validators=EMAIL_VALIDATORS,
    )
    organisation_name = StringField(
        "Organisation (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=255, message="Organisation must be 255 characters or fewer")],
    )
    access_needs = TextAreaField(
        "Access needs (optional)",
        widget=GovTextArea(),
        description="For example step-free access, a hearing loop or dietary needs.",
        validators=[Optional(), Length(max=1000, message="Access needs must be 1000 characters or fewer")],
    )
    submit = SubmitField("Book a place", widget=GovSubmitInput())


class ImportForm(Form):
    file = FileField(
        "CSV file",
        widget=GovFileInput(),
        description="Columns: name, email, organisation, sector, interests, ward, job_title, joined. "
        "Name, email and sector are needed on every row.",
        validators=[InputRequired(message="Select a CSV file")],
    )
    status = RadioField(
        "Have these people already agreed to be on the CTN list?",
        widget=GovRadioInput(),
        choices=[
            ("confirmed", "Yes: add them as confirmed members"),
            ("pending", "No, or not sure: email each person a link to confirm"),
        ],
        validators=[InputRequired(message="Select whether these people have already agreed")],
    )
    consent_wording = TextAreaField(
        "How did they agree?",
        widget=GovTextArea(),
        description="This is stored as each person's consent record, for example "
        "'Asked to join the CTN mailing list at an open meeting or by email to the Strategy Team (list kept to November 2019)'.",
        validators=[
            InputRequired(message="Enter how these people agreed to join"),
            Length(max=2000, message="Keep this to 2000 characters or fewer"),
        ],
    )
    skip_bad_rows = BooleanField(
        "If some rows have problems, import the other rows anyway", widget=GovCheckboxInput()
    )
    submit = SubmitField("Import the list", widget=GovSubmitInput())

    def validate_file(self, field):
        name = getattr(field.data, "filename", "") or ""
        if not name.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")


class DayField(DateField):
    """A date in three boxes (GOV.UK date input). The widget needs raw_data None, not [], when the
    field was not in the submitted form."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        kwargs.setdefault("widget", GovDateInput())
        super().__init__(label, validators, **kwargs)

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if not self.raw_data:
            self.raw_data = None

    def process_formdata(self, valuelist):
        if valuelist and not any((v or "").strip() for v in valuelist):
            self.data = None
            return
        if valuelist and len(valuelist) != 3:
            self.data = None
            raise ValueError("Enter a date with a day, month and year")
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Enter a real date, like 19 9 2019") from exc


def _parse_clock(text):
    try:
        return datetime.strptime((text or "").strip().replace(".", ":"), "%H:%M").time()
    except ValueError:
        return None


class ClockField(StringField):
    """A 24-hour time like 18:30."""

    def clock(self):
        return _parse_clock(self.data)


def valid_clock(form, field):
    if _parse_clock(field.data) is None:
        raise ValidationError(f"Enter {field.label.text.lower()} as a 24-hour time, like 18:30")


class MeetingForm(Form):
    kind = RadioField(
        "Type of meeting",
        widget=GovRadioInput(),
        choices=list(MEETING_KINDS.items()),
        validators=[InputRequired(message="Select the type of meeting")],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a title"), Length(max=200, message="Title must be 200 characters or fewer")],
    )
    theme = StringField(
        "Theme (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message="Theme must be 200 characters or fewer")],
    )
    description = TextAreaField("Description (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=5000)])
    day = DayField(
        "Date",
        description="For example, 19 9 2019",
        validators=[InputRequired(message="Enter the date of the meeting")],
    )
    start_time = ClockField(
        "Start time", widget=GovTextInput(), description="24-hour clock, for example 18:30",
        validators=[InputRequired(message="Enter the start time"), valid_clock],
    )
    end_time = ClockField(
        "End time", widget=GovTextInput(), description="24-hour clock, for example 20:30",
        validators=[InputRequired(message="Enter the end time"), valid_clock],
    )
    asset_id = SelectField(
        "Venue from the community assets register",
        widget=GovSelect(),
        coerce=int,
        validators=[Optional()],
        description="Choose a listed space, or leave it and type the venue below",
    )
    venue_name = StringField("Venue", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    venue_address = StringField("Venue address (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=300)])
    venue_postcode = StringField(
        "Venue postcode (optional)",
        widget=GovTextInput(),
        description="Used to find the ward.",
        validators=[Optional(), Length(max=10)],
    )
    online_details = StringField(
        "Online joining details (optional)",
        widget=GovTextInput(),
        description="Shown on the public page, so give only what attendees may see.",
        validators=[Optional(), Length(max=300)],
    )
    capacity = IntegerField(
        "Capacity (optional)",
        widget=GovTextInput(),
        description="Leave empty for no limit. When it is full, people join a waiting list.",
        validators=[Optional(), NumberRange(min=1, max=5000, message="Capacity must be between 1 and 5000")],
    )
    registration_open = BooleanField("Take bookings", widget=GovCheckboxInput())
    published = BooleanField("Show on the public meetings page and calendar", widget=GovCheckboxInput())
    status = SelectField("Status", widget=GovSelect(), choices=list(MEETING_STATUSES.items()))
    submit = SubmitField("Save meeting", widget=GovSubmitInput())

    def validate_venue_postcode(self, field):
        if field.data and normalise_postcode(field.data) is None:
            raise ValidationError("Enter a real postcode, like NW4 4BG")

    def validate_end_time(self, field):
        start, end = _parse_clock(self.start_time.data), _parse_clock(field.data)
        if start and end and end <= start:
            raise ValidationError("End time must be after the start time")

    def validate_venue_name(self, field):
        if not field.data and not self.online_details.data:
            raise ValidationError("Enter the venue, or online joining details")


class AgendaItemForm(Form):
    title = StringField(
        "Agenda item",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the agenda item"), Length(max=300, message="Agenda item must be 300 characters or fewer")],
    )
    speaker = StringField("Speaker (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    organisation_id = SelectField("Speaker's organisation in the directory (optional)", widget=GovSelect(), coerce=int)
    organisation_name = StringField(
        "Speaker's organisation, if not in the directory (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=255)],
    )
    submit = SubmitField("Add to the agenda", widget=GovSubmitInput())


class AttendanceForm(Form):
    attended = SelectMultipleField("Who came", widget=GovCheckboxesInput(), coerce=int)
    extra_attendees = IntegerField(
        "People who came without booking",
        widget=GovTextInput(),
        description="Count walk-ins here, or the whole headcount if you did not tick names.",
        validators=[
            InputRequired(message="Enter how many people came without booking (0 if none)"),
            NumberRange(min=0, max=5000, message="Enter a number between 0 and 5000"),
        ],
    )
    submit = SubmitField("Save attendance", widget=GovSubmitInput())


class MinutesForm(Form):
    minutes = TextAreaField("Minutes", widget=GovTextArea(), validators=[Optional(), Length(max=50000)])
    minutes_published = BooleanField("Publish the minutes on the public meeting page", widget=GovCheckboxInput())
    submit = SubmitField("Save minutes", widget=GovSubmitInput())


class ActionForm(Form):
    description = TextAreaField(
        "Action",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the action"), Length(max=2000)],
    )
    owner = StringField(
        "Owner",
        widget=GovTextInput(),
        description="The person or organisation who will do it.",
        validators=[InputRequired(message="Enter who owns the action"), Length(max=200)],
    )
    due_on = DayField("Due date (optional)", validators=[Optional()])
    submit = SubmitField("Add action", widget=GovSubmitInput())


class ThemePlanForm(Form):
    year = IntegerField(
        "Year",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the year"), NumberRange(min=2011, max=2100, message="Enter a year from 2011")],
    )
    spring = StringField("Spring theme", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    summer = StringField("Summer theme", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    autumn = StringField("Autumn theme", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    winter = StringField("Winter theme", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    agreed_on = DayField("Date the Steering Group agreed it (optional)", validators=[Optional()])
    submit = SubmitField("Save the theme plan", widget=GovSubmitInput())

    def validate_year(self, field):
        if not any((f.data or "").strip() for f in (self.spring, self.summer, self.autumn, self.winter)):
            raise ValidationError("Enter at least one theme")


class OfficerMemberForm(Form):
    """An officer corrects one member's details (never their address, status or consent record)."""

    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the member's full name"), Length(max=120, message="Name must be 120 characters or fewer")],
    )
    organisation_id = SelectField("Organisation in the directory", widget=GovSelect(), coerce=int, validate_choice=True)
    organisation_name = StringField(
        "Organisation, if it is not in the directory (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=255, message="Organisation must be 255 characters or fewer")],
    )
    job_title = StringField(
        "Job title or role (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=120, message="Job title must be 120 characters or fewer")],
    )
    sector = RadioField(
        "Which sector is the member part of?",
        widget=GovRadioInput(),
        choices=list(SECTORS.items()),
        validators=[InputRequired(message="Select the member's sector")],
    )
    ward_code = SelectField("Ward (optional)", widget=GovSelect(), validators=[Optional()])
    interests = SelectMultipleField(
        "What is the member interested in? (optional)",
        widget=GovCheckboxesInput(),
        choices=list(INTERESTS.items()),
        description="Bulletins can be sent to members by interest. Select all that apply.",
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())

    def validate_organisation_id(self, field):
        if field.data is None:
            field.data = 0


class SteeringSeatForm(Form):
    """One seat on the CTN Steering Group (002_6240a75a79bed02c.txt section 2.4.1)."""

    title = StringField(
        "Seat",
        widget=GovTextInput(),
        description="The body or office that holds the seat, for example Barnet Multi Faith Forum.",
        validators=[
            InputRequired(message="Enter the body or office that holds the seat"),
            Length(max=255, message="Seat must be 255 characters or fewer"),
        ],
    )
    role = RadioField(
        "What is the seat's role?",
        widget=GovRadioInput(),
        choices=list(STEERING_ROLES.items()),
        validators=[InputRequired(message="Select the seat's role")],
    )
    organisation_id = SelectField("Organisation in the directory (optional)", widget=GovSelect(), coerce=int, validate_choice=True)
    member_id = SelectField(
        "Who represents it (optional)",
        widget=GovSelect(),
        coerce=int,
        description="A confirmed CTN member. Only officers see who holds a seat.",
        validate_choice=True,
    )
    submit = SubmitField("Save seat", widget=GovSubmitInput())

    def validate_organisation_id(self, field):
        if field.data is None:
            field.data = 0

    def validate_member_id(self, field):
        if field.data is None:
            field.data = 0
