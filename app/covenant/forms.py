from datetime import date

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from ..assets.forms import ActionForm, GovDateField, not_in_future, postcode_format
from ..forms import Form
from .models import FAITHS

# The council adopted the covenant on 28 July 2015 (002_6240a75a79bed02c.txt:93).
EARLIEST_SIGNING = date(2015, 7, 28)


def signed_after_adoption(form, field):
    if field.data and field.data < EARLIEST_SIGNING:
        raise ValidationError("Date signed must be on or after 28 July 2015, when the council adopted the covenant")


class PledgeForm(Form):
    organisation = SelectField(
        "Organisation",
        widget=GovSelect(),
        coerce=int,
        description="Your faith organisation as it appears in the community directory.",
    )
    faith = RadioField(
        "Faith or belief", widget=GovRadioInput(), choices=list(FAITHS.items()),
        validators=[InputRequired(message="Select your organisation's faith or belief")],
    )
    faith_other = StringField(
        "Name of the faith or belief", widget=GovTextInput(), validators=[Length(max=100, message="Enter 100 characters or fewer")]
    )
    signatory_name = StringField(
        "Name of the person signing", widget=GovTextInput(),
        validators=[InputRequired(message="Enter the name of the person signing"), Length(max=120, message="Enter 120 characters or fewer")],
    )
    signatory_role = StringField(
        "Their role in the organisation", widget=GovTextInput(),
        description="For example: Rabbi, Imam, Vicar, Chair of trustees.",
        validators=[InputRequired(message="Enter the role of the person signing"), Length(max=120, message="Enter 120 characters or fewer")],
    )
    contact_email = StringField(
        "Email address", widget=GovTextInput(),
        description="We use it to confirm the pledge and to remind you to renew it. It is not published.",
        validators=[
            InputRequired(message="Enter an email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
        ],
    )
    date_signed = GovDateField(
        "Date signed", required_message="Enter the date the pledge was signed",
        description="For example, 15 11 2021",
        validators=[not_in_future("Date signed must be today or in the past"), signed_after_adoption],
    )
    commitments = TextAreaField(
        "What your organisation commits to do", widget=GovTextArea(),
        description="For example: open your building to community groups, take part in the Communities Together "
        "Network, share council health messages with your members.",
        validators=[InputRequired(message="Enter what your organisation commits to do"), Length(max=5000, message="Enter 5000 characters or fewer")],
    )
    postcode = StringField(
        "Postcode of your place of worship or main building (optional)", widget=GovTextInput(),
        description="Used to count signatories by ward. Not published.",
        validators=[postcode_format],
    )
    agree = BooleanField(
        "We sign up to the Barnet Faith Covenant and agree that our organisation's name, faith, and the name and "
        "role of the person signing are published on the list of signatories",
        widget=GovCheckboxInput(),
        validators=[InputRequired(message="Confirm that you sign up to the covenant")],
    )
    submit = SubmitField("Send pledge", widget=GovSubmitInput())

    def validate_organisation(self, field):
        if not field.data:
            raise ValidationError("Select your organisation")

    def validate_faith_other(self, field):
        if self.faith.data == "other" and not (field.data or "").strip():
            raise ValidationError("Enter the name of the faith or belief")


class PledgeDecisionForm(ActionForm):
    decision = RadioField(
        "Decision", widget=GovRadioInput(),
        choices=[("approve", "Approve and publish"), ("reject", "Do not approve")],
        validators=[InputRequired(message="Select whether to approve the pledge")],
    )
    note = TextAreaField(
        "Message to the signatory", widget=GovTextArea(), validators=[Length(max=2000, message="Enter 2000 characters or fewer")],
        description="Needed if you do not approve the pledge. It is sent by email.",
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())

    def validate_note(self, field):
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError("Enter why the pledge is not approved")


class RenewalForm(ActionForm):
    date_signed = GovDateField(
        "Date signed again", required_message="Enter the date the pledge was signed again",
        description="For example, 15 11 2024",
        validators=[not_in_future("Date signed again must be today or in the past"), signed_after_adoption],
    )
    signatory_name = StringField("Name of the person signing (if changed)", widget=GovTextInput(), validators=[Length(max=120, message="Enter 120 characters or fewer")])
    signatory_role = StringField("Their role (if changed)", widget=GovTextInput(), validators=[Length(max=120, message="Enter 120 characters or fewer")])
    submit = SubmitField("Record renewal", widget=GovSubmitInput())
