from wtforms.validators import ValidationError

from ..forms import Form, GovukRadiosField, GovukSubmitField, GovukTextInputField, Required, max_length
from .feeds import check_feed_url
from .models import REFRESH_CHOICES


class FeedForm(Form):
    name = GovukTextInputField(
        "Name of the directory",
        description="For example: Enfield Connected",
        validators=[Required(thing="the name of the directory"), max_length(120, thing="The name")],
    )
    url = GovukTextInputField(
        "Address of its Open Referral UK API",
        description="The address that /services is added to, like https://example.org/api/v3",
        validators=[Required(thing="the address of the feed"), max_length(500, thing="The address")],
    )
    refresh = GovukRadiosField(
        "Refresh",
        choices=list(REFRESH_CHOICES.items()),
        default="off",
        validators=[Required(thing="how often to refresh")],
    )
    submit = GovukSubmitField("Save feed")

    def validate_name(self, field):
        if any(ch in (field.data or "") for ch in "\r\n\x00"):
            raise ValidationError("Enter the name on one line")

    def validate_url(self, field):
        try:
            field.data = check_feed_url(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class RunForm(Form):
    check = GovukSubmitField("Check the feed (dry run)")
    start = GovukSubmitField("Import now")
