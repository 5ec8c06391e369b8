from ..forms import Form
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from .feeds import check_feed_url
from .models import REFRESH_CHOICES


class FeedForm(Form):
    name = StringField("Name of the directory", widget=GovTextInput(), description="For example: Enfield Connected",
                       validators=[InputRequired(message="Enter the name of the directory"), Length(max=120, message="The name must be 120 characters or fewer")])
    url = StringField("Address of its Open Referral UK API", widget=GovTextInput(),
                      description="The address that /services is added to, like https://example.org/api/v3",
                      validators=[InputRequired(message="Enter the address of the feed"), Length(max=500, message="The address must be 500 characters or fewer")])
    refresh = RadioField("Refresh", widget=GovRadioInput(), choices=list(REFRESH_CHOICES.items()), default="off",
                         validators=[InputRequired(message="Select how often to refresh")])
    submit = SubmitField("Save feed", widget=GovSubmitInput())

    def validate_name(self, field):
        if any(ch in (field.data or "") for ch in "\r\n\x00"):
            raise ValidationError("Enter the name on one line")

    def validate_url(self, field):
        try:
            field.data = check_feed_url(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class RunForm(Form):
    check = SubmitField("Check the feed (dry run)", widget=GovSubmitInput())
    start = SubmitField("Import now", widget=GovSubmitInput())
