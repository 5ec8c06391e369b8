from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..ctn.forms import ClockField, DayField, valid_clock
from ..ctn.models import INTERESTS, SECTORS
from ..forms import Form
from .content import safe_link
from .models import KINDS, SECTIONS

MARKDOWN_HINT = (
    "You can use Markdown: **bold**, *italic*, [link text](https://example.org), and lists starting with '- '. "
    "Other HTML is removed."
)


class BulletinForm(Form):
    kind = RadioField(
        "What are you sending?",
        widget=GovRadioInput(),
        choices=[
            ("routine", f"{KINDS['routine']}: the fortnightly CTN bulletin"),
            ("emergency", f"{KINDS['emergency']}: goes out at once, ahead of any bulletin being sent"),
        ],
        validators=[InputRequired(message="Select a bulletin or an emergency message")],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        description="This is also the email subject, for example 'CTN Bulletin, 14 November 2019'.",
        validators=[InputRequired(message="Enter a title"), Length(max=200, message="Title must be 200 characters or fewer")],
    )
    introduction = TextAreaField(
        "Introduction (optional)",
        widget=GovTextArea(),
        description=MARKDOWN_HINT,
        validators=[Optional(), Length(max=10000, message="Introduction must be 10000 characters or fewer")],
    )
    submit = SubmitField("Save and continue", widget=GovSubmitInput())


class ItemForm(Form):
    section = RadioField(
        "Section",
        widget=GovRadioInput(),
        choices=list(SECTIONS.items()),
        validators=[InputRequired(message="Select the section for this item")],
    )
    title = StringField(
        "Heading",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a heading"), Length(max=200, message="Heading must be 200 characters or fewer")],
    )
    body = TextAreaField(
        "Text",
        widget=GovTextArea(),
        description=MARKDOWN_HINT,
        validators=[InputRequired(message="Enter the text of the item"), Length(max=10000, message="Text must be 10000 characters or fewer")],
    )
    link_url = StringField(
        "Link for more information (optional)",
        widget=GovTextInput(),
        description="A web address starting with https://",
        validators=[Optional(), Length(max=500, message="Link must be 500 characters or fewer")],
    )
    submit = SubmitField("Save item", widget=GovSubmitInput())

    def validate_link_url(self, field):
        if field.data and not safe_link(field.data):
            raise ValidationError("Enter a web address starting with https:// or http://")


class AudienceForm(Form):
    sectors = SelectMultipleField(
        "Sectors (optional)", widget=GovCheckboxesInput(), choices=list(SECTORS.items()),
        description="Leave all unticked to send to every sector.",
    )
    interests = SelectMultipleField(
        "Interests (optional)", widget=GovCheckboxesInput(), choices=list(INTERESTS.items()),
        description="Members who chose any of the ticked interests. Leave all unticked to ignore interests.",
    )
    ward_codes = SelectMultipleField(
        "Wards (optional)", widget=GovCheckboxesInput(),
        description="Members who work in any of the selected wards. Select none to ignore wards.",
    )
    submit = SubmitField("Save the audience", widget=GovSubmitInput())


class ScheduleForm(Form):
    day = DayField("Date", description="For example, 14 11 2019", validators=[InputRequired(message="Enter the date to send the bulletin")])
    clock = ClockField(
        "Time", widget=GovTextInput(), description="24-hour clock, London time, for example 09:30",
        validators=[InputRequired(message="Enter the time to send the bulletin"), valid_clock],
    )
    submit = SubmitField("Schedule the bulletin", widget=GovSubmitInput())


class ButtonForm(Form):
    submit = SubmitField("Confirm", widget=GovSubmitInput())
