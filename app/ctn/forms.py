from wtforms.validators import NumberRange, Optional, ValidationError

from ..forms import (
    Form,
    GovukCheckboxesField,
    GovukCheckboxField,
    GovukDateField,
    GovukEmailField,
    GovukFileField,
    GovukIntegerField,
    GovukRadiosField,
    GovukSelectField,
    GovukSubmitField,
    GovukTextareaField,
    GovukTextInputField,
    GovukTimeField,
    OrganisationChooser,
    Required,
    max_length,
    organisation_chooser_fields,
    parse_clock,
)
from ..places.services import normalise_postcode  # (placed here to merge cleanly beside app/forms.py; ruff sorts it)
from .models import INTERESTS, MEETING_KINDS, MEETING_STATUSES, SECTORS, STEERING_ROLES


class MemberDetailsForm(OrganisationChooser, Form):
    name = GovukTextInputField(
        "Full name",
        validators=[Required(thing="your full name"), max_length(120, thing="Name")],
    )
    email = GovukEmailField("Email address", validators=[Required(thing="your email address")])
    organisation_name, organisation_id, organisation_choice = organisation_chooser_fields(
        "Organisation (optional)",
        hint="The group, charity, faith group, business or public body you are part of. If it is in the "
        "community directory, we link you to its listing.",
    )
    job_title = GovukTextInputField(
        "Job title or role (optional)",
        validators=[Optional(), max_length(120, thing="Job title")],
    )
    sector = GovukRadiosField(
        "Which sector are you part of?",
        choices=list(SECTORS.items()),
        validators=[Required(thing="the sector you are part of")],
    )
    ward_code = GovukSelectField(
        "Ward (optional)",
        description="The Barnet ward where you or your organisation mostly work.",
        validators=[Optional()],
    )
    interests = GovukCheckboxesField(
        "What are you interested in? (optional)",
        choices=list(INTERESTS.items()),
        description="We use this to send you what matters to you. Select all that apply.",
    )


class JoinForm(MemberDetailsForm):
    consent = GovukCheckboxField(
        "I agree to the statement above",
        validators=[Required(message="Confirm that you agree to join so that we can email you")],
    )
    submit = GovukSubmitField("Join the network")


class PreferencesForm(MemberDetailsForm):
    submit = GovukSubmitField("Save your preferences")


class ButtonForm(Form):
    """A button that carries the CSRF token (confirm, unsubscribe, cancel a booking)."""

    submit = GovukSubmitField("Confirm")


class EraseForm(Form):
    understood = GovukCheckboxField(
        "I understand that this deletes the data and cannot be undone",
        validators=[Required(message="Confirm that you understand the data will be deleted")],
    )
    submit = GovukSubmitField("Delete the data")


class RegisterForm(Form):
    name = GovukTextInputField(
        "Full name",
        validators=[Required(thing="your full name"), max_length(120, thing="Name")],
    )
    email = GovukEmailField(
        "Email address",
        description="We will send your booking and a link to cancel it.",
        validators=[Required(thing="your email address")],
    )
    organisation_name = GovukTextInputField(
        "Organisation (optional)",
        validators=[Optional(), max_length(255, thing="Organisation")],
    )
    access_needs = GovukTextareaField(
        "Access needs (optional)",
        description="For example step-free access, a hearing loop or dietary needs.",
        validators=[Optional(), max_length(1000, thing="Access needs")],
    )
    submit = GovukSubmitField("Book a place")


class ImportForm(Form):
    file = GovukFileField(
        "CSV file",
        description="Columns: name, email, organisation, sector, interests, ward, job_title, joined. "
        "Name, email and sector are needed on every row.",
        validators=[Required(message="Select a CSV file")],
    )
    status = GovukRadiosField(
        "Have these people already agreed to be on the CTN list?",
        choices=[
            ("confirmed", "Yes: add them as confirmed members"),
            ("pending", "No, or not sure: email each person a link to confirm"),
        ],
        validators=[Required(thing="whether these people have already agreed")],
    )
    consent_wording = GovukTextareaField(
        "How did they agree?",
        description="This is stored as each person's consent record, for example "
        "'Asked to join the CTN mailing list at an open meeting or by email to the Strategy Team (list kept to November 2019)'.",
        validators=[
            Required(thing="how these people agreed to join"),
            max_length(2000, message="Keep this to 2000 characters or fewer"),
        ],
    )
    skip_bad_rows = GovukCheckboxField("If some rows have problems, import the other rows anyway")
    submit = GovukSubmitField("Import the list")

    def validate_file(self, field):
        name = getattr(field.data, "filename", "") or ""
        if not name.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")


class MeetingForm(Form):
    kind = GovukRadiosField(
        "Type of meeting",
        choices=list(MEETING_KINDS.items()),
        validators=[Required(thing="the type of meeting")],
    )
    title = GovukTextInputField(
        "Title",
        validators=[Required(thing="a title"), max_length(200, thing="Title")],
    )
    theme = GovukTextInputField(
        "Theme (optional)",
        validators=[Optional(), max_length(200, thing="Theme")],
    )
    description = GovukTextareaField("Description (optional)", validators=[Optional(), max_length(5000)])
    day = GovukDateField(
        "Date",
        description="For example, 19 9 2019",
        validators=[Required(thing="the date of the meeting")],
    )
    start_time = GovukTimeField(
        "Start time",
        description="24-hour clock, for example 18:30",
        validators=[Required(thing="the start time")],
    )
    end_time = GovukTimeField(
        "End time",
        description="24-hour clock, for example 20:30",
        validators=[Required(thing="the end time")],
    )
    asset_id = GovukSelectField(
        "Venue from the community assets register",
        coerce=int,
        validators=[Optional()],
        description="Choose a listed space, or leave it and type the venue below",
    )
    venue_name = GovukTextInputField("Venue", validators=[Optional(), max_length(200)])
    venue_address = GovukTextInputField("Venue address (optional)", validators=[Optional(), max_length(300)])
    venue_postcode = GovukTextInputField(
        "Venue postcode (optional)",
        description="Used to find the ward.",
        validators=[Optional(), max_length(10)],
    )
    online_details = GovukTextInputField(
        "Online joining details (optional)",
        description="Shown on the public page, so give only what attendees may see.",
        validators=[Optional(), max_length(300)],
    )
    capacity = GovukIntegerField(
        "Capacity (optional)",
        description="Leave empty for no limit. When it is full, people join a waiting list.",
        validators=[Optional(), NumberRange(min=1, max=5000, message="Capacity must be between 1 and 5000")],
    )
    registration_open = GovukCheckboxField("Take bookings")
    published = GovukCheckboxField("Show on the public meetings page and calendar")
    status = GovukSelectField("Status", choices=list(MEETING_STATUSES.items()))
    submit = GovukSubmitField("Save meeting")

    def validate_venue_postcode(self, field):
        if field.data and normalise_postcode(field.data) is None:
            raise ValidationError("Enter a real postcode, like NW4 4BG")

    def validate_end_time(self, field):
        start, end = parse_clock(self.start_time.data), parse_clock(field.data)
        if start and end and end <= start:
            raise ValidationError("End time must be after the start time")

    def validate_venue_name(self, field):
        if not field.data and not self.online_details.data:
            raise ValidationError("Enter the venue, or online joining details")


class AgendaItemForm(OrganisationChooser, Form):
    organisation_not_listed = "The organisation is not listed"

    title = GovukTextInputField(
        "Agenda item",
        validators=[Required(thing="the agenda item"), max_length(300, thing="Agenda item")],
    )
    speaker = GovukTextInputField("Speaker (optional)", validators=[Optional(), max_length(200)])
    organisation_name, organisation_id, organisation_choice = organisation_chooser_fields(
        "Speaker's organisation (optional)",
        hint="If it is in the community directory, the agenda links to its listing.",
    )
    submit = GovukSubmitField("Add to the agenda")


class AttendanceForm(Form):
    attended = GovukCheckboxesField("Who came", coerce=int)
    extra_attendees = GovukIntegerField(
        "People who came without booking",
        description="Count walk-ins here, or the whole headcount if you did not tick names.",
        validators=[
            Required(thing="how many people came without booking (0 if none)"),
            NumberRange(min=0, max=5000, message="Enter a number between 0 and 5000"),
        ],
    )
    submit = GovukSubmitField("Save attendance")


class MinutesForm(Form):
    minutes = GovukTextareaField("Minutes", validators=[Optional(), max_length(50000)])
    minutes_published = GovukCheckboxField("Publish the minutes on the public meeting page")
    submit = GovukSubmitField("Save minutes")


class ActionForm(Form):
    description = GovukTextareaField(
        "Action",
        validators=[Required(thing="the action"), max_length(2000)],
    )
    owner = GovukTextInputField(
        "Owner",
        description="The person or organisation who will do it.",
        validators=[Required(thing="who owns the action"), max_length(200)],
    )
    due_on = GovukDateField("Due date (optional)")
    submit = GovukSubmitField("Add action")


class ThemePlanForm(Form):
    year = GovukIntegerField(
        "Year",
        validators=[Required(thing="the year"), NumberRange(min=2011, max=2100, message="Enter a year from 2011")],
    )
    spring = GovukTextInputField("Spring theme", validators=[Optional(), max_length(200)])
    summer = GovukTextInputField("Summer theme", validators=[Optional(), max_length(200)])
    autumn = GovukTextInputField("Autumn theme", validators=[Optional(), max_length(200)])
    winter = GovukTextInputField("Winter theme", validators=[Optional(), max_length(200)])
    agreed_on = GovukDateField("Date the Steering Group agreed it (optional)")
    submit = GovukSubmitField("Save the theme plan")

    def validate_year(self, field):
        if not any((f.data or "").strip() for f in (self.spring, self.summer, self.autumn, self.winter)):
            raise ValidationError("Enter at least one theme")


class OfficerMemberForm(OrganisationChooser, Form):
    """An officer corrects one member's details (never their address, status or consent record)."""

    organisation_not_listed = "The organisation is not listed"

    name = GovukTextInputField(
        "Full name", validators=[Required(thing="the member's full name"), max_length(120, thing="Name")]
    )
    organisation_name, organisation_id, organisation_choice = organisation_chooser_fields(
        "Organisation (optional)", hint="If it is in the community directory, the member is linked to its listing."
    )
    job_title = GovukTextInputField(
        "Job title or role (optional)", validators=[Optional(), max_length(120, thing="Job title")]
    )
    sector = GovukRadiosField(
        "Which sector is the member part of?",
        choices=list(SECTORS.items()),
        validators=[Required(message="Select the member's sector")],
    )
    ward_code = GovukSelectField("Ward (optional)", validators=[Optional()])
    interests = GovukCheckboxesField(
        "What is the member interested in? (optional)",
        choices=list(INTERESTS.items()),
        description="Bulletins can be sent to members by interest. Select all that apply.",
    )
    submit = GovukSubmitField("Save changes")


class SteeringSeatForm(OrganisationChooser, Form):
    """One seat on the CTN Steering Group (002_6240a75a79bed02c.txt section 2.4.1)."""

    title = GovukTextInputField(
        "Seat",
        description="The body or office that holds the seat, for example Barnet Multi Faith Forum.",
        validators=[Required(thing="the body or office that holds the seat"), max_length(255, thing="Seat")],
    )
    role = GovukRadiosField(
        "What is the seat's role?",
        choices=list(STEERING_ROLES.items()),
        validators=[Required(message="Select the seat's role")],
    )
    # A seat links to a listing or to nothing: a name that matches no listing is refused (see the view).
    organisation_not_listed = "None of these"
    organisation_name, organisation_id, organisation_choice = organisation_chooser_fields(
        "Organisation in the directory (optional)", hint="Start typing the name of its listing."
    )
    member_id = GovukSelectField(
        "Who represents it (optional)",
        coerce=int,
        description="A confirmed CTN member. Only officers see who holds a seat.",
        validate_choice=True,
    )
    submit = GovukSubmitField("Save seat")

    def validate_member_id(self, field):
        if field.data is None:
            field.data = 0
