from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..forms import Form, whole_number
from . import live, ratings
from .models import ACTION_RAGS, MEASURES, POLARITY_LABELS


def parse_number(text):
    """'1,936' -> 1936.0; '' -> None. Raises ValueError."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return float(ratings.to_decimal(text))
    except ratings.RatingError as exc:
        raise ValueError(text) from exc


class NumberText:
    """A number typed as text (commas and a trailing % allowed)."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        try:
            parse_number(field.data)
        except ValueError as exc:
            raise ValidationError(self.message) from exc


class TargetText:
    def __call__(self, form, field):
        if not (field.data or "").strip():
            return
        try:
            ratings.parse_target(field.data)
        except ratings.RatingError as exc:
            raise ValidationError(str(exc)) from exc


class ConfirmForm(Form):
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class NewPeriodForm(Form):
    year_start = SelectField("Financial year", coerce=int, widget=GovSelect(),
                             validators=[InputRequired(message="Select the financial year")])
    quarter = RadioField(
        "Quarter",
        choices=[("1", "Q1 (April to June)"), ("2", "Q2 (July to September)"), ("3", "Q3 (October to December)"),
                 ("4", "Q4 (January to March)")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select the quarter")],
    )
    submit = SubmitField("Start the report", widget=GovSubmitInput())


class KpiResultForm(Form):
    target = StringField(
        "Target for this quarter",
        widget=GovTextInput(),
        description="A number (like 30 or 54%), 'Fewer than 7855', 'More than 20000', 'Monitor', 'TBC', or "
                    "'Not due' when nothing is due this quarter.",
        validators=[InputRequired(message="Enter the target for this quarter"), Length(max=60), TargetText()],
    )
    result = StringField(
        "Result", widget=GovTextInput(), description="Leave empty if there is no result yet.",
        validators=[Optional(), Length(max=30), NumberText("Enter the result as a number, like 19 or 9.54")],
    )
    result_note = StringField(
        "When there is no result, say why", widget=GovTextInput(),
        description="For example: Due Q4 19/20", validators=[Length(max=120)],
    )
    previous_result = StringField(
        "Result for the same quarter last year", widget=GovTextInput(),
        validators=[Optional(), Length(max=30), NumberText("Enter last year's result as a number, like 70.4")],
    )
    previous_result_note = StringField(
        "When there is no result for last year, say why", widget=GovTextInput(),
        description="For example: New for 19/20", validators=[Length(max=120)],
    )
    benchmark = StringField("Benchmarking", widget=GovTextInput(), validators=[Length(max=300)])
    commentary = TextAreaField("Commentary on this quarter's result", widget=GovTextArea(),
                               validators=[Length(max=5000)])
    variance_explanation = TextAreaField(
        "Explanation of variance", widget=GovTextArea(),
        description="Why the result is off target, and what is being done. Needed when the KPI is rated red.",
        validators=[Length(max=5000)],
    )
    notes = TextAreaField("Notes (footnotes in the report)", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Save result", widget=GovSubmitInput())


class KpiSourceForm(Form):
    live_source = StringField(
        "Live source",
        widget=GovTextInput(),
        description="Take the result from the portal's own data. Leave empty to enter results by hand.",
        validators=[Length(max=200)],
    )
    save_source = SubmitField("Save live source", widget=GovSubmitInput())

    def validate_live_source(self, field):
        if field.data and field.data.strip():
            problem = live.validate_name(field.data.strip())
            if problem:
                raise ValidationError(problem)


class ActionUpdateForm(Form):
    rag = RadioField(
        "Progress this quarter",
        choices=[("", "Not rated"), *ACTION_RAGS.items()],
        widget=GovRadioInput(),
        validators=[Optional()],
        default="",
    )
    commentary = TextAreaField("Progress note", widget=GovTextArea(), validators=[Length(max=5000)])
    submit = SubmitField("Save action", widget=GovSubmitInput())


SCALE = [("", "Not known")] + [(str(n), str(n)) for n in range(1, 6)]


class RiskAssessmentForm(Form):
    likelihood = SelectField("Likelihood (1 to 5)", choices=SCALE, widget=GovSelect(), validators=[Optional()])
    impact = SelectField("Impact (1 to 5)", choices=SCALE, widget=GovSelect(), validators=[Optional()])
    score = StringField(
        "Risk score",
        widget=GovTextInput(),
        description="Likelihood x impact. Leave empty to work it out from the likelihood and impact.",
        validators=[Length(max=3)],
    )
    controls = TextAreaField("Controls and mitigations", widget=GovTextArea(), validators=[Length(max=5000)])
    submit = SubmitField("Save risk", widget=GovSubmitInput())

    def validate_score(self, field):
        likelihood = whole_number(self.likelihood.data, max_digits=1)
        impact = whole_number(self.impact.data, max_digits=1)
        if (likelihood is None) != (impact is None):
            raise ValidationError("Select both the likelihood and the impact, or neither")
        text = (field.data or "").strip()
        if text:
            score = whole_number(text, max_digits=4)
            if score is None:
                raise ValidationError("Enter the risk score as a whole number, like 9")
        elif likelihood is not None:
            score = likelihood * impact
        else:
            raise ValidationError("Enter the risk score, or select the likelihood and impact")
        if likelihood is not None and score != likelihood * impact:
            raise ValidationError(f"The score must be likelihood x impact: {likelihood} x {impact} = {likelihood * impact}")
        try:
            ratings.risk_band(score)
        except ratings.RatingError as exc:
            raise ValidationError(str(exc)) from exc
        self.computed_score = score


class PriorityUpdateForm(Form):
    published_actions_rating = RadioField(
        "Summary of actions rating",
        description="Only needed when the actions are not rated one by one: the rating then counts red actions "
                    "from this summary (Good: none; Satisfactory: one; Limited: two or more).",
        choices=[("", "Not given (the actions are rated one by one, or not at all)"), ("Good", "Good progress"),
                 ("Satisfactory", "Satisfactory progress"), ("Limited", "Limited progress")],
        widget=GovRadioInput(), validators=[Optional()], default="",
    )
    actions_commentary = TextAreaField("Summary of actions", widget=GovTextArea(), validators=[Length(max=10000)])
    kpi_commentary = TextAreaField("KPIs: commentary", widget=GovTextArea(), validators=[Length(max=10000)])
    risk_commentary = TextAreaField("Risks: commentary", widget=GovTextArea(), validators=[Length(max=10000)])
    submit = SubmitField("Save commentary", widget=GovSubmitInput())


MONEY = "Enter an amount in £000 as a number, like 1,936 or -25"


class BudgetLineForm(Form):
    service = StringField("Service", widget=GovTextInput(),
                          validators=[InputRequired(message="Enter the service"), Length(max=200)])
    revised_budget = StringField("Revised budget (£000)", widget=GovTextInput(),
                                 validators=[InputRequired(message="Enter the revised budget"), NumberText(MONEY)])
    forecast = StringField("Forecast (£000)", widget=GovTextInput(),
                           validators=[InputRequired(message="Enter the forecast"), NumberText(MONEY)])
    reserve_movements = StringField("Reserve movements (£000)", widget=GovTextInput(), default="0",
                                    validators=[Optional(), NumberText(MONEY)])
    commentary = TextAreaField("Commentary", widget=GovTextArea(), validators=[Length(max=5000)])
    submit = SubmitField("Save budget line", widget=GovSubmitInput())


class SavingLineForm(Form):
    ref = StringField("Reference", widget=GovTextInput(),
                      validators=[InputRequired(message="Enter the savings reference, like S1"), Length(max=20)])
    service_area = StringField("Service area", widget=GovTextInput(),
                               validators=[InputRequired(message="Enter the service area"), Length(max=200)])
    description = TextAreaField("Description of savings", widget=GovTextArea(), validators=[Length(max=5000)])
    saving = StringField("Savings for the year (£000)", widget=GovTextInput(),
                         validators=[InputRequired(message="Enter the savings for the year"), NumberText(MONEY)])
    forecast = StringField("Forecast (£000)", widget=GovTextInput(),
                           validators=[InputRequired(message="Enter the forecast"), NumberText(MONEY)])
    comment = TextAreaField("Comment", widget=GovTextArea(), validators=[Length(max=5000)])
    submit = SubmitField("Save savings line", widget=GovSubmitInput())


class ImportForm(Form):
    file = FileField(
        "Upload a file",
        widget=GovFileInput(),
        validators=[
            FileRequired(message="Select a CSV or XLSX file"),
            FileAllowed(["csv", "xlsx"], message="The file must be a CSV or XLSX file"),
        ],
    )
    submit = SubmitField("Import results", widget=GovSubmitInput())


class ReturnForm(Form):
    reason = TextAreaField(
        "What needs to change?", widget=GovTextArea(),
        validators=[InputRequired(message="Enter what needs to change"), Length(max=2000)],
    )
    submit = SubmitField("Return to draft", widget=GovSubmitInput())


class RiskEndForm(Form):
    """A risk leaving the register this quarter: closed, or merged into another risk of the same plan."""

    ending = RadioField(
        "Has this risk left the register this quarter?",
        choices=[("", "No, it is still on the register"), ("closed", "Yes, it has been closed"),
                 ("merged", "Yes, it has been merged into another risk")],
        widget=GovRadioInput(), validators=[Optional()], default="",
    )
    merged_into = SelectField("Merged into", coerce=str, widget=GovSelect(), validate_choice=False)
    end_note = TextAreaField("Why", widget=GovTextArea(), validators=[Length(max=2000)])
    save_end = SubmitField("Save", widget=GovSubmitInput())

    def validate_merged_into(self, field):
        if self.ending.data != "merged":
            return
        if not field.data or field.data not in {value for value, _ in field.choices if value}:
            raise ValidationError("Select the risk it has been merged into")


class ReopenForm(Form):
    reason = TextAreaField(
        "Why does the approved report need to be reopened?", widget=GovTextArea(),
        description="This is published with the list of versions, so say what is being corrected.",
        validators=[InputRequired(message="Enter why the approved report needs to be reopened"), Length(max=2000)],
    )
    submit = SubmitField("Reopen for correction", widget=GovSubmitInput())


class PlanPriorityForm(Form):
    position = StringField("Section number", widget=GovTextInput(), description="As in the report, like 5",
                           validators=[InputRequired(message="Enter the section number"), Length(max=3)])
    title = StringField("Priority", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter the priority"), Length(max=300)])
    submit = SubmitField("Save priority", widget=GovSubmitInput())

    def validate_position(self, field):
        if not (field.data or "").strip().isdigit() or not 1 <= int(field.data.strip()) <= 999:
            raise ValidationError("Enter the section number as a whole number, like 5")


class PlanActionForm(Form):
    description = TextAreaField("How will we achieve this?", widget=GovTextArea(),
                                validators=[InputRequired(message="Enter the action"), Length(max=5000)])
    timescale = StringField("Timescale", widget=GovTextInput(), description="For example: Mar 2021",
                            validators=[Length(max=60)])
    submit = SubmitField("Save action", widget=GovSubmitInput())


class PlanKpiForm(Form):
    name = StringField("Indicator", widget=GovTextInput(),
                       validators=[InputRequired(message="Enter the indicator's name"), Length(max=300)])
    polarity = RadioField("Polarity", choices=list(POLARITY_LABELS.items()), widget=GovRadioInput(),
                          validators=[InputRequired(message="Select whether bigger or smaller is better")])
    unit = RadioField("Shown as", choices=[("", "A number"), ("%", "A percentage")], widget=GovRadioInput(),
                      validators=[Optional()], default="")
    measure = SelectField("Counted as", choices=list(MEASURES.items()), widget=GovSelect(), validators=[Optional()])
    annual_target = StringField(
        "Annual target", widget=GovTextInput(),
        description="A number (like 30 or 54%), 'Fewer than N', 'More than N', 'Monitor' or 'TBC'.",
        validators=[InputRequired(message="Enter the annual target"), Length(max=60), TargetText()],
    )
    previous_year_end = StringField("Last year's end-of-year result", widget=GovTextInput(),
                                    description="As printed, like 74.12 or New for 20/21",
                                    validators=[Length(max=60)])
    submit = SubmitField("Save KPI", widget=GovSubmitInput())


class PlanRiskForm(Form):
    code = StringField("Risk reference", widget=GovTextInput(), description="Like CLL01",
                       validators=[InputRequired(message="Enter the risk reference"), Length(max=20)])
    title = StringField("Risk", widget=GovTextInput(),
                        validators=[InputRequired(message="Enter the risk"), Length(max=300)])
    description = TextAreaField("Description", widget=GovTextArea(), validators=[Length(max=5000)])
    submit = SubmitField("Save risk", widget=GovSubmitInput())
