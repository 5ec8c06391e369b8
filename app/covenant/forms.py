from datetime import date

from wtforms.validators import ValidationError

from ..forms import (
    ActionForm,
    Form,
    GovukCheckboxField,
    GovukDateField,
    GovukEmailField,
    GovukRadiosField,
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
from .models import FAITHS

# The council adopted the covenant on 28 July 2015 (002_6240a75a79bed02c.txt:93).
EARLIEST_SIGNING = date(2015, 7, 28)


def signed_after_adoption(form, field):
    if field.data and field.data < EARLIEST_SIGNING:
        raise ValidationError("Date signed must be on or after 28 July 2015, when the council adopted the covenant")


class PledgeForm(OrganisationChooser, Form):
    organisation_name, organisation_id, organisation_choice = organisation_chooser_fields(
        "Organisation", hint="Your faith organisation's name as it appears in the community directory."
    )
    faith = GovukRadiosField(
        "Faith or belief",
        choices=list(FAITHS.items()),
        validators=[Required(thing="your organisation's faith or belief")],
    )
    faith_other = GovukTextInputField(
        "Name of the faith or belief",
        validators=[required_when("faith", "other", "Enter the name of the faith or belief"), max_length(100)],
    )
    signatory_name = GovukTextInputField(
        "Name of the person signing",
        validators=[Required(thing="the name of the person signing"), max_length(120)],
    )
    signatory_role = GovukTextInputField(
        "Their role in the organisation",
        description="For example: Rabbi, Imam, Vicar, Chair of trustees.",
        validators=[Required(thing="the role of the person signing"), max_length(120)],
    )
    contact_email = GovukEmailField(
        "Email address",
        description="We use it to confirm the pledge and to remind you to renew it. It is not published.",
        validators=[Required(thing="an email address")],
    )
    date_signed = GovukDateField(
        "Date signed",
        description="For example, 15 11 2021",
        validators=[
            Required(message="Enter the date the pledge was signed"),
            not_in_future("Date signed must be today or in the past"),
            signed_after_adoption,
        ],
    )
    commitments = GovukTextareaField(
        "What your organisation commits to do",
        description="For example: open your building to community groups, take part in the Communities Together "
        "Network, share council health messages with your members.",
        validators=[Required(thing="what your organisation commits to do"), max_length(5000)],
    )
    postcode = GovukTextInputField(
        "Postcode of your place of worship or main building (optional)",
        description="Used to count signatories by ward. Not published.",
        validators=[postcode_format],
    )
    agree = GovukCheckboxField(
        "We sign up to the Barnet Faith Covenant and agree that our organisation's name, faith, and the name and "
        "role of the person signing are published on the list of signatories",
        validators=[Required(message="Confirm that you sign up to the covenant")],
    )
    submit = GovukSubmitField("Send pledge")


class PledgeDecisionForm(ActionForm):
    decision = GovukRadiosField(
        "Decision",
        choices=[("approve", "Approve and publish"), ("reject", "Do not approve")],
        validators=[Required(thing="whether to approve the pledge")],
    )
    note = GovukTextareaField(
        "Message to the signatory",
        validators=[required_when("decision", "reject", "Enter why the pledge is not approved"), max_length(2000)],
        description="Needed if you do not approve the pledge. It is sent by email.",
    )
    submit = GovukSubmitField("Save decision")


class RenewalForm(ActionForm):
    date_signed = GovukDateField(
        "Date signed again",
        description="For example, 15 11 2024",
        validators=[
            Required(message="Enter the date the pledge was signed again"),
            not_in_future("Date signed again must be today or in the past"),
            signed_after_adoption,
        ],
    )
    signatory_name = GovukTextInputField("Name of the person signing (if changed)", validators=[max_length(120)])
    signatory_role = GovukTextInputField("Their role (if changed)", validators=[max_length(120)])
    submit = GovukSubmitField("Record renewal")
