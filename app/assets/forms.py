from wtforms.validators import URL, NumberRange, Optional, ValidationError

from ..forms import (
    ActionForm,
    Form,
    GovukCheckboxField,
    GovukDateField,
    GovukEmailField,
    GovukIntegerField,
    GovukRadiosField,
    GovukSelectField,
    GovukSubmitField,
    GovukTextareaField,
    GovukTextInputField,
    OrganisationChooser,
    Required,
    max_length,
    not_in_future,
    organisation_chooser_fields,
    postcode_format,
    required_when,
)
from .models import BODY_TYPES, CATEGORIES, KINDS, OWNERS
from .services import MIN_UNINCORPORATED_MEMBERS, eligibility_problems

YES_NO = [("yes", "Yes"), ("no", "No")]


class AssetForm(OrganisationChooser, Form):
    name = GovukTextInputField("Name", validators=[Required(thing="the name of the asset"), max_length(200)])
    category = GovukRadiosField(
        "Category",
        choices=list(CATEGORIES.items()),
        validators=[Required(thing="a category")],
        description="From the Community Participation Strategy 2021, section 4.21.",
    )
    kind = GovukSelectField(
        "Kind of asset",
        choices=list(KINDS.items()),
        validators=[Required(thing="the kind of asset")],
    )
    owner = GovukSelectField("Owner", choices=list(OWNERS.items()), validators=[Required(thing="the owner")])
    description = GovukTextareaField("Description", validators=[max_length(5000)])
    address = GovukTextInputField(
        "Address",
        validators=[required_when("category", "Spaces", "Enter the address of the space"), max_length(300)],
    )
    postcode = GovukTextInputField(
        "Postcode",
        validators=[postcode_format],
        description="Used to find the ward and to show the asset on the maps.",
    )
    capacity = GovukIntegerField(
        "Capacity (people)",
        invalid_message="Capacity must be a whole number, like 80",
        validators=[Optional(), NumberRange(min=1, max=100000, message="Capacity must be between 1 and 100,000")],
    )
    facilities = GovukTextareaField(
        "Facilities",
        validators=[max_length(5000)],
        description="For example: kitchen, projector, hearing loop, car park.",
    )
    accessibility = GovukTextareaField(
        "Accessibility",
        validators=[max_length(5000)],
        description="Step-free access, accessible toilet, lifts, parking for disabled people.",
    )
    bookable = GovukRadiosField(
        "Can community groups book it?",
        choices=YES_NO,
        validators=[Required(thing="yes if community groups can book it")],
    )
    booking_details = GovukTextareaField(
        "How to book",
        validators=[required_when("bookable", "yes", "Enter how to book it"), max_length(2000)],
        description="Who to contact, costs, notice needed.",
    )
    booking_url = GovukTextInputField(
        "Booking web page (optional)",
        validators=[Optional(), max_length(500), URL(message="Enter a web address starting with https://")],
    )
    # The organisation chooser: a listing in the directory, or none (never a list of the whole directory).
    organisation_not_listed = "None of these"
    organisation_name, organisation_id, organisation_choice = organisation_chooser_fields(
        "Organisation that runs it (optional)", hint="Start typing the name of its listing in the community directory."
    )
    published = GovukCheckboxField("Show on the public register", default=True)
    submit = GovukSubmitField("Save asset")


class NominationForm(Form):
    body_name = GovukTextInputField(
        "Name of your group",
        validators=[Required(thing="the name of your group"), max_length(200)],
    )
    body_type = GovukRadiosField(
        "What kind of group is it?",
        choices=[*BODY_TYPES.items(), ("other", "A council, or another kind of body")],
        validators=[Required(thing="what kind of group it is")],
    )
    body_number = GovukTextInputField(
        "Charity, company or society registration number",
        validators=[max_length(20, thing="The registration number")],
        description="Needed for charities, companies and societies.",
    )
    members_on_register = GovukIntegerField(
        "How many of your members are on the electoral register in Barnet or a neighbouring borough?",
        invalid_message="Enter the number of members as a whole number, like 25",
        description=f"Needed for unincorporated groups, which must have at least {MIN_UNINCORPORATED_MEMBERS}.",
    )
    distributes_surplus = GovukRadiosField(
        "Does your company or society distribute any surplus to its members?",
        choices=YES_NO,
        validators=[Optional()],
        description="Needed for companies limited by guarantee and community benefit societies.",
    )
    local_connection = GovukTextareaField(
        "Your group's local connection",
        description="How your group's activities are wholly or partly concerned with Barnet or a neighbouring borough.",
        validators=[Required(message="Describe your group's local connection"), max_length(5000)],
    )
    body_address = GovukTextareaField(
        "Your group's address",
        validators=[Required(thing="your group's address"), max_length(1000)],
    )
    contact_name = GovukTextInputField(
        "Contact name",
        validators=[Required(thing="the name of the person we should contact"), max_length(120)],
    )
    contact_email = GovukEmailField(
        "Contact email address",
        validators=[Required(thing="an email address for the contact")],
    )
    contact_phone = GovukTextInputField("Contact phone number (optional)", validators=[max_length(40)])
    site_name = GovukTextInputField(
        "Name of the building or land",
        validators=[Required(thing="the name of the building or land"), max_length(200)],
    )
    site_address = GovukTextInputField(
        "Address of the building or land",
        validators=[Required(thing="the address of the building or land"), max_length(300)],
    )
    site_postcode = GovukTextInputField("Postcode (if it has one)", validators=[postcode_format])
    boundary_description = GovukTextareaField(
        "Proposed boundary",
        description="Describe the boundary of the land you are nominating, for example the streets or fences around it.",
        validators=[Required(message="Describe the proposed boundary"), max_length(5000)],
    )
    occupants = GovukTextareaField(
        "Current occupants",
        description="Names of everyone who occupies the land, as far as you know. Write 'None known' if there are none.",
        validators=[Required(thing="the current occupants, or 'None known'"), max_length(5000)],
    )
    freehold_owners = GovukTextareaField(
        "Freehold owner",
        description="Names and current or last known addresses of everyone holding the freehold, as far as you know.",
        validators=[Required(thing="the freehold owner, or 'Not known'"), max_length(5000)],
    )
    leasehold_owners = GovukTextareaField(
        "Leaseholders",
        description="Names and addresses of everyone holding a lease, as far as you know. Write 'None known' if there are none.",
        validators=[Required(thing="the leaseholders, or 'None known'"), max_length(5000)],
    )
    reasons = GovukTextareaField(
        "Why it is of community value",
        description="How its current (or recent) main use furthers the social wellbeing or social interests of the "
        "local community, and why that use can realistically continue or return.",
        validators=[Required(message="Explain why the land is of community value"), max_length(10000)],
    )
    evidence = GovukTextareaField(
        "Evidence",
        description="For example: who uses it and how often, events held, letters of support, web links.",
        validators=[Required(message="Describe your evidence"), max_length(10000)],
    )
    confirm = GovukCheckboxField(
        "The information in this nomination is correct to the best of my knowledge, and I understand the council "
        "will share it with the owner and occupiers and publish the site details on its registers",
        validators=[Required(message="Confirm the information is correct")],
    )
    submit = GovukSubmitField("Send nomination")

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


def _date_field(label, required_message):
    return GovukDateField(
        label,
        validators=[Required(message=required_message), not_in_future(f"{label} must be today or in the past")],
        description="For example, 27 3 2025",
    )


class ValidateNominationForm(ActionForm):
    outcome = GovukRadiosField(
        "Is the nomination valid?",
        choices=[
            ("valid", "Yes, it is valid and goes forward for decision"),
            ("invalid", "No, it is not valid (it will go on the list of unsuccessful nominations)"),
        ],
        validators=[Required(thing="whether the nomination is valid")],
    )
    checked_on = _date_field("Date checked", "Enter the date the nomination was checked")
    note = GovukTextareaField(
        "Notes or reasons",
        validators=[required_when("outcome", "invalid", "Enter why the nomination is not valid"), max_length(5000)],
    )
    submit = GovukSubmitField("Save check")


class DecisionForm(ActionForm):
    outcome = GovukRadiosField(
        "Decision",
        choices=[("listed", "List it as an Asset of Community Value"), ("not_listed", "Do not list it")],
        validators=[Required(thing="the decision")],
    )
    decided_on = _date_field("Date of decision", "Enter the date of the decision")
    reasons = GovukTextareaField(
        "Reasons", validators=[Required(thing="the reasons for the decision"), max_length(10000)]
    )
    asset = GovukSelectField("Community asset on the register (optional)", coerce=int)
    submit = GovukSubmitField("Save decision")


class OwnerNotifiedForm(ActionForm):
    on = _date_field("Date the owner was notified of the listing", "Enter the date the owner was notified")
    submit = GovukSubmitField("Save date notified")


class ReviewRequestForm(ActionForm):
    on = _date_field("Date the owner's request for a review was received", "Enter the date the request was received")
    submit = GovukSubmitField("Save review request")


class DisposalNoticeForm(ActionForm):
    on = _date_field("Date the notice of intended disposal was received", "Enter the date the notice was received")
    submit = GovukSubmitField("Save disposal notice")


class ReviewOutcomeForm(ActionForm):
    outcome = GovukRadiosField(
        "Review decision",
        choices=[("upheld", "Keep it on the list"), ("removed", "Remove it from the list")],
        validators=[Required(thing="the review decision")],
    )
    decided_on = _date_field("Date of review decision", "Enter the date of the review decision")
    reasons = GovukTextareaField("Reasons", validators=[Required(thing="the reasons for the review decision")])
    submit = GovukSubmitField("Save review decision")


class BidRequestForm(ActionForm):
    group = GovukTextInputField(
        "Community interest group asking to bid",
        validators=[Required(thing="the name of the group asking to bid"), max_length(200)],
    )
    on = _date_field("Date the request to bid was received", "Enter the date the request was received")
    submit = GovukSubmitField("Save request to bid")
