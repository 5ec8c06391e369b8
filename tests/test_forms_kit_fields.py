"""The GOV.UK field classes of the forms kit (app/forms.py): the messages they write, the question they ask."""

import re
from datetime import date, time
from pathlib import Path

from werkzeug.datastructures import MultiDict

from app.forms import (
    Form,
    GovukCheckboxesField,
    GovukDateField,
    GovukEmailField,
    GovukRadiosField,
    GovukTextInputField,
    GovukTimeField,
    Required,
    max_length,
)
from tests.html import parse, text

APP = Path(__file__).resolve().parent.parent / "app"


class ExampleForm(Form):
    class Meta:
        csrf = False

    name = GovukTextInputField(
        "Name of the group", validators=[Required(thing="the name of the group"), max_length(10)]
    )
    title = GovukTextInputField("Title", validators=[max_length(5, thing="Title")])
    email = GovukEmailField("Email address", validators=[Required(thing="your email address")])
    sector = GovukRadiosField(
        "Which sector are you part of?",
        choices=[("vcfs", "Voluntary"), ("faith", "Faith")],
        validators=[Required(thing="the sector you are part of")],
    )
    interests = GovukCheckboxesField("What are you interested in?", choices=[("health", "Health")])
    day = GovukDateField("Date of the meeting", validators=[Required(thing="the date of the meeting")])
    starts = GovukTimeField("Start time", validators=[Required(thing="the start time")])


def _form(app, **data):
    with app.test_request_context("/", method="POST"):
        form = ExampleForm(formdata=MultiDict(data))
        form.validate()
        return {field.name: field.errors for field in form if field.errors}, form


def test_required_says_enter_for_text_and_select_for_choices(app):
    errors, _ = _form(app)
    assert errors == {
        "name": ["Enter the name of the group"],
        "email": ["Enter your email address"],
        "sector": ["Select the sector you are part of"],
        "day": ["Enter the date of the meeting"],
        "starts": ["Enter the start time"],
    }


def test_lengths_email_dates_and_times_have_gov_uk_messages(app):
    errors, form = _form(
        app,
        name="A" * 11,
        title="Longer",
        email="not an address",
        sector="faith",
        day=["31", "2", "2031"],
        starts="7pm",
    )
    assert errors == {
        "name": ["Enter 10 characters or fewer"],
        "title": ["Title must be 5 characters or fewer"],
        "email": ["Enter an email address in the correct format, like name@example.com"],
        "day": ["Date of the meeting must be a real date, like 27 3 2025"],
        "starts": ["Enter start time as a 24-hour time, like 18:30"],
    }
    errors, form = _form(
        app, name="Forum", email="a@example.org", sector="faith", day=["", "3", "2026"], starts="18.30"
    )
    assert errors == {"day": ["Date of the meeting must include a day"]}
    errors, form = _form(
        app, name="Forum", email="a@example.org", sector="faith", day=["7", "3", "2026"], starts="18:30"
    )
    assert errors == {}
    assert (form.day.data, form.starts.clock()) == (date(2026, 3, 7), time(18, 30))


def test_a_styled_choice_group_or_date_still_asks_its_question(app):
    """Templates style the legend ({'fieldset': {'legend': {'classes': ...}}}); the label stays its text."""
    _, form = _form(app)
    styled = {"fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}
    with app.test_request_context("/"):
        for field, question in (
            (form.sector, "Which sector are you part of?"),
            (form.interests, "What are you interested in?"),
            (form.day, "Date of the meeting"),
        ):
            legend = parse(str(field(params=styled))).select_one("legend")
            assert text(legend) == question
            assert "govuk-fieldset__legend--m" in legend["class"]
            legend = parse(str(field(params={"fieldset": {"legend": {"text": "Another question"}}}))).select_one(
                "legend"
            )
            assert text(legend) == "Another question"


def test_no_module_imports_another_modules_forms():
    crossing = []
    for path in APP.glob("*/*.py"):
        module = path.parent.name
        for other in re.findall(r"^from (?:\.\.|app\.)(\w+)\.forms import", path.read_text(), re.M):
            if other != module:
                crossing.append(f"{path.relative_to(APP)} imports {other}.forms")
    assert crossing == []
