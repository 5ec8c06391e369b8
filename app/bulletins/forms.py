from wtforms.validators import Optional, ValidationError

from ..ctn.models import INTERESTS, SECTORS
from ..forms import (
    Form,
    GovukCheckboxesField,
    GovukDateField,
    GovukRadiosField,
    GovukSubmitField,
    GovukTextareaField,
    GovukTextInputField,
    GovukTimeField,
    Required,
    max_length,
)
from .content import safe_link
from .models import KINDS, SECTIONS

MARKDOWN_HINT = (
    "You can use Markdown: **bold**, *italic*, [link text](https://example.org), and lists starting with '- '. "
    "Other HTML is removed."
)


class BulletinForm(Form):
    kind = GovukRadiosField(
        "What are you sending?",
        choices=[
            ("routine", f"{KINDS['routine']}: the fortnightly CTN bulletin"),
            ("emergency", f"{KINDS['emergency']}: goes out at once, ahead of any bulletin being sent"),
        ],
        validators=[Required(thing="a bulletin or an emergency message")],
    )
    title = GovukTextInputField(
        "Title",
        description="This is also the email subject, for example 'CTN Bulletin, 14 November 2019'.",
        validators=[Required(thing="a title"), max_length(200, thing="Title")],
    )
    introduction = GovukTextareaField(
        "Introduction (optional)",
        description=MARKDOWN_HINT,
        validators=[Optional(), max_length(10000, thing="Introduction")],
    )
    submit = GovukSubmitField("Save and continue")


class ItemForm(Form):
    section = GovukRadiosField(
        "Section",
        choices=list(SECTIONS.items()),
        validators=[Required(thing="the section for this item")],
    )
    title = GovukTextInputField(
        "Heading",
        validators=[Required(thing="a heading"), max_length(200, thing="Heading")],
    )
    body = GovukTextareaField(
        "Text",
        description=MARKDOWN_HINT,
        validators=[Required(thing="the text of the item"), max_length(10000, thing="Text")],
    )
    link_url = GovukTextInputField(
        "Link for more information (optional)",
        description="A web address starting with https://",
        validators=[Optional(), max_length(500, thing="Link")],
    )
    submit = GovukSubmitField("Save item")

    def validate_link_url(self, field):
        if field.data and not safe_link(field.data):
            raise ValidationError("Enter a web address starting with https:// or http://")


class AudienceForm(Form):
    sectors = GovukCheckboxesField(
        "Sectors (optional)",
        choices=list(SECTORS.items()),
        description="Leave all unticked to send to every sector.",
    )
    interests = GovukCheckboxesField(
        "Interests (optional)",
        choices=list(INTERESTS.items()),
        description="Members who chose any of the ticked interests. Leave all unticked to ignore interests.",
    )
    ward_codes = GovukCheckboxesField(
        "Wards (optional)",
        description="Members who work in any of the selected wards. Select none to ignore wards.",
    )
    submit = GovukSubmitField("Save the audience")


class ScheduleForm(Form):
    day = GovukDateField(
        "Date", description="For example, 14 11 2019", validators=[Required(thing="the date to send the bulletin")]
    )
    clock = GovukTimeField(
        "Time",
        description="24-hour clock, London time, for example 09:30",
        validators=[Required(thing="the time to send the bulletin")],
    )
    submit = GovukSubmitField("Schedule the bulletin")


class ButtonForm(Form):
    submit = GovukSubmitField("Confirm")
