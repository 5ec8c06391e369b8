from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, Field, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import Form, whole_number
from ..places.services import normalise_postcode
from ..widgets import GovDateInput
from .models import BODY_TYPES, CATEGORIES, KINDS, OWNERS
from .services import MIN_UNINCORPORATED_MEMBERS, eligibility_problems, london_today


class GovDateField(Field):
    """A GOV.UK date input (day, month, year) with GOV.UK error messages, never a crash on odd input."""

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, required_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message

    def _value(self):
        return self.data.strftime("%d %m %Y") if self.data else ""

    def process_formdata(self, valuelist):
        parts = [(v or "").strip() for v in valuelist][:3]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = None
        name = self.label.text
        if not any(parts):
            if self.required_message:
                raise ValueError(self.required_message)
            return
        missing = [what for what, part in zip(("day", "month", "year"), parts) if not part]
        if missing:
            raise ValueError(f"{name} must include a {' and '.join(missing)}")
        if any(whole_number(p, max_digits=4) is None for p in parts) or len(parts[2]) != 4:
            raise ValueError(f"{name} must be a real date, like 27 3 2025")
        try:
            self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValueError(f"{name} must be a real date, like 27 3 2025") from None


class GovIntegerField(Field):
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


def not_in_future(message):
    def check(form, field):
        if field.data and field.data > london_today():
            raise ValidationError(message)

    return check


def postcode_format(form, field):
    if field.data and field.data.strip() and not normalise_postcode(field.data):
        raise ValidationError("Enter a real postcode, like NW4 4BG")


YES_NO = [("yes", "Yes"), ("no", "No")]


class AssetForm(Form):
    name = StringField(
        "Name", widget=GovTextInput(), validators=[InputRequired(message="Enter the name of the asset"), Length(max=200, message="Enter 200 characters or fewer")]
    )
    category = RadioField(
        "Category",
        widget=GovRadioInput(),
        choices=list(CATEGORIES.items()),
        validators=[InputRequired(message="Select a category")],
        description="From the Community Participation Strategy 2021, section 4.21.",
    )
    kind = SelectField(
        "Kind of asset", widget=GovSelect(), choices=list(KINDS.items()),
        validators=[InputRequired(message="Select the kind of asset")],
    )
    owner = SelectField(
        "Owner", widget=GovSelect(), choices=list(OWNERS.items()), validators=[InputRequired(message="Select the owner")]
    )
    description = TextAreaField("Description", widget=GovTextArea(), validators=[Length(max=5000, message="Enter 5000 characters or fewer")])
    address = StringField("Address", widget=GovTextInput(), validators=[Length(max=300, message="Enter 300 characters or fewer")])
    postcode = StringField(
        "Postcode",
        widget=GovTextInput(),
        validators=[postcode_format],
        description="Used to find the ward and to show the asset on the maps.",
    )
    capacity = GovIntegerField(
        "Capacity (people)",
        invalid_message="Capacity must be a whole number, like 80",
        validators=[Optional(), NumberRange(min=1, max=100000, message="Capacity must be between 1 and 100,000")],
    )
    facilities = TextAreaField(
        "Facilities", widget=GovTextArea(), validators=[Length(max=5000, message="Enter 5000 characters or fewer")],
        description="For example: kitchen, projector, hearing loop, car park.",
    )
    accessibility = TextAreaField(
        "Accessibility", widget=GovTextArea(), validators=[Length(max=5000, message="Enter 5000 characters or fewer")],
        description="Step-free access, accessible toilet, lifts, parking for disabled people.",
    )
    bookable = RadioField(
        "Can community groups book it?", widget=GovRadioInput(), choices=YES_NO,
        validators=[InputRequired(message="Select yes if community groups can book it")],
    )
    booking_details = TextAreaField(
        "How to book", widget=GovTextArea(), validators=[Length(max=2000, message="Enter 2000 characters or fewer")],
        description="Who to contact, costs, notice needed.",
    )
    booking_url = StringField(
        "Booking web page (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=500, message="Enter 500 characters or fewer"), URL(message="Enter a web address starting with https://")],
    )
    organisation = SelectField("Organisation that runs it (optional)", widget=GovSelect(), coerce=int)
    published = BooleanField("Show on the public register", widget=GovCheckboxInput(), default=True)
    submit = SubmitField("Save asset", widget=GovSubmitInput())

    def validate_booking_details(self, field):
        if self.bookable.data == "yes" and not (field.data or "").strip():
            raise ValidationError("Enter how to book it")

    def validate_address(self, field):
        if self.category.data == "Spaces" and not (field.data or "").strip():
            raise ValidationError("Enter the address of the space")


class NominationForm(Form):
    body_name = StringField(
        "Name of your group", widget=GovTextInput(),
        validators=[InputRequired(message="Enter the name of your group"), Length(max=200, message="Enter 200 characters or fewer")],
    )
    body_type = RadioField(
        "What kind of group is it?",
        widget=GovRadioInput(),
        choices=[*BODY_TYPES.items(), ("other", "A council, or another kind of body")],
        validators=[InputRequired(message="Select what kind of group it is")],
    )
    body_number = StringField(
        "Charity, company or society registration number", widget=GovTextInput(),
        validators=[Length(max=20, message="The registration number must be 20 characters or fewer")],
        description="Needed for charities, companies and societies.",
    )
    members_on_register = GovIntegerField(
        "How many of your members are on the electoral register in Barnet or a neighbouring borough?",
        invalid_message="Enter the number of members as a whole number, like 25",
        description=f"Needed for unincorporated groups, which must have at least {MIN_UNINCORPORATED_MEMBERS}.",
    )
    distributes_surplus = RadioField(
        "Does your company or society distribute any surplus to its members?",
        widget=GovRadioInput(), choices=YES_NO, validators=[Optional()],
        description="Needed for companies limited by guarantee and community benefit societies.",
    )
    local_connection = TextAreaField(
        "Your group's local connection", widget=GovTextArea(),
        description="How your group's activities are wholly or partly concerned with Barnet or a neighbouring borough.",
        validators=[InputRequired(message="Describe your group's local connection"), Length(max=5000, message="Enter 5000 characters or fewer")],
    )
    body_address = TextAreaField(
        "Your group's address", widget=GovTextArea(),
        validators=[InputRequired(message="Enter your group's address"), Length(max=1000, message="Enter 1000 characters or fewer")],
    )
    contact_name = StringField(
        "Contact name", widget=GovTextInput(),
        validators=[InputRequired(message="Enter the name of the person we should contact"), Length(max=120, message="Enter 120 characters or fewer")],
    )
    contact_email = StringField(
        "Contact email address", widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter an email address for the contact"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
        ],
    )
    contact_phone = StringField("Contact phone number (optional)", widget=GovTextInput(), validators=[Length(max=40, message="Enter 40 characters or fewer")])
    site_name = StringField(
        "Name of the building or land", widget=GovTextInput(),
        validators=[InputRequired(message="Enter the name of the building or land"), Length(max=200, message="Enter 200 characters or fewer")],
    )
    site_address = StringField(
        "Address of the building or land", widget=GovTextInput(),
        validators=[InputRequired(message="Enter the address of the building or land"), Length(max=300, message="Enter 300 characters or fewer")],
    )
    site_postcode = StringField(
        "Postcode (if it has one)", widget=GovTextInput(), validators=[postcode_format]
    )
    boundary_description = TextAreaField(
        "Proposed boundary", widget=GovTextArea(),
        description="Describe the boundary of the land you are nominating, for example the streets or fences around it.",
        validators=[InputRequired(message="Describe the proposed boundary"), Length(max=5000, message="Enter 5000 characters or fewer")],
    )
    occupants = TextAreaField(
        "Current occupants", widget=GovTextArea(),
        description="Names of everyone who occupies the land, as far as you know. Write 'None known' if there are none.",
        validators=[InputRequired(message="Enter the current occupants, or 'None known'"), Length(max=5000, message="Enter 5000 characters or fewer")],
    )
    freehold_owners = TextAreaField(
        "Freehold owner", widget=GovTextArea(),
        description="Names and current or last known addresses of everyone holding the freehold, as far as you know.",
        validators=[InputRequired(message="Enter the freehold owner, or 'Not known'"), Length(max=5000, message="Enter 5000 characters or fewer")],
    )
    leasehold_owners = TextAreaField(
        "Leaseholders", widget=GovTextArea(),
        description="Names and addresses of everyone holding a lease, as far as you know. Write 'None known' if there are none.",
        validators=[InputRequired(message="Enter the leaseholders, or 'None known'"), Length(max=5000, message="Enter 5000 characters or fewer")],
    )
    reasons = TextAreaField(
        "Why it is of community value", widget=GovTextArea(),
        description="How its current (or recent) main use furthers the social wellbeing or social interests of the "
        "local community, and why that use can realistically continue or return.",
        validators=[InputRequired(message="Explain why the land is of community value"), Length(max=10000, message="Enter 10000 characters or fewer")],
    )
    evidence = TextAreaField(
        "Evidence", widget=GovTextArea(),
        description="For example: who uses it and how often, events held, letters of support, web links.",
        validators=[InputRequired(message="Describe your evidence"), Length(max=10000, message="Enter 10000 characters or fewer")],
    )
    confirm = BooleanField(
        "The information in this nomination is correct to the best of my knowledge, and I understand the council "
        "will share it with the owner and occupiers and publish the site details on its registers",
        widget=GovCheckboxInput(),
        validators=[InputRequired(message="Confirm the information is correct")],
    )
    submit = SubmitField("Send nomination", widget=GovSubmitInput())

    def validate_body_type(self, field):
        if field.data == "other":
            raise ValidationError(
                "Only the kinds of group listed can nominate. A council cannot nominate land in its own area"
            )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.body_type.data in BODY_TYPES:
            surplus = {"yes": True, "no": False}.get(self.distributes_surplus.data)
            for problem in eligibility_problems(
                self.body_type.data, self.members_on_register.data, surplus, self.body_number.data
            ):
                if "members" in problem:
                    target = self.members_on_register
                elif "surplus" in problem:
                    target = self.distributes_surplus
                else:
                    target = self.body_number
                target.errors = [*target.errors, problem]
                ok = False
        return ok


# --- Officer actions -----------------------------------------------------------------------------


class ActionForm(Form):
    """Several of these share one page, so each has a field prefix; the page-wide CSRFProtect checks the
    token (templates render it as a plain `csrf_token` field), so the prefixed form does not check it again."""

    class Meta:
        csrf = False


def _date_field(label, required_message):
    return GovDateField(
        label, required_message=required_message,
        validators=[not_in_future(f"{label} must be today or in the past")],
        description="For example, 27 3 2025",
    )


class ValidateNominationForm(ActionForm):
    outcome = RadioField(
        "Is the nomination valid?", widget=GovRadioInput(),
        choices=[("valid", "Yes, it is valid and goes forward for decision"),
                 ("invalid", "No, it is not valid (it will go on the list of unsuccessful nominations)")],
        validators=[InputRequired(message="Select whether the nomination is valid")],
    )
    checked_on = _date_field("Date checked", "Enter the date the nomination was checked")
    note = TextAreaField("Notes or reasons", widget=GovTextArea(), validators=[Length(max=5000, message="Enter 5000 characters or fewer")])
    submit = SubmitField("Save check", widget=GovSubmitInput())

    def validate_note(self, field):
        if self.outcome.data == "invalid" and not (field.data or "").strip():
            raise ValidationError("Enter why the nomination is not valid")


class DecisionForm(ActionForm):
    outcome = RadioField(
        "Decision", widget=GovRadioInput(),
        choices=[("listed", "List it as an Asset of Community Value"), ("not_listed", "Do not list it")],
        validators=[InputRequired(message="Select the decision")],
    )
    decided_on = _date_field("Date of decision", "Enter the date of the decision")
    reasons = TextAreaField(
        "Reasons", widget=GovTextArea(), validators=[InputRequired(message="Enter the reasons for the decision"), Length(max=10000, message="Enter 10000 characters or fewer")]
    )
    asset = SelectField("Community asset on the register (optional)", widget=GovSelect(), coerce=int)
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class OwnerNotifiedForm(ActionForm):
    on = _date_field("Date the owner was notified of the listing", "Enter the date the owner was notified")
    submit = SubmitField("Save date notified", widget=GovSubmitInput())


class ReviewRequestForm(ActionForm):
    on = _date_field("Date the owner's request for a review was received", "Enter the date the request was received")
    submit = SubmitField("Save review request", widget=GovSubmitInput())


class DisposalNoticeForm(ActionForm):
    on = _date_field("Date the notice of intended disposal was received", "Enter the date the notice was received")
    submit = SubmitField("Save disposal notice", widget=GovSubmitInput())


class ReviewOutcomeForm(ActionForm):
    outcome = RadioField(
        "Review decision", widget=GovRadioInput(),
        choices=[("upheld", "Keep it on the list"), ("removed", "Remove it from the list")],
        validators=[InputRequired(message="Select the review decision")],
    )
    decided_on = _date_field("Date of review decision", "Enter the date of the review decision")
    reasons = TextAreaField(
        "Reasons", widget=GovTextArea(), validators=[InputRequired(message="Enter the reasons for the review decision")]
    )
    submit = SubmitField("Save review decision", widget=GovSubmitInput())


class BidRequestForm(ActionForm):
    group = StringField(
        "Community interest group asking to bid", widget=GovTextInput(),
        validators=[InputRequired(message="Enter the name of the group asking to bid"), Length(max=200, message="Enter 200 characters or fewer")],
    )
    on = _date_field("Date the request to bid was received", "Enter the date the request was received")
    submit = SubmitField("Save request to bid", widget=GovSubmitInput())
