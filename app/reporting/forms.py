from flask_wtf.file import FileAllowed, FileRequired
from wtforms.validators import Optional, ValidationError

from ..forms import (
    ConfirmForm,  # noqa: F401 (the views take it from here)
    Form,
    GovukFileField,
    GovukRadiosField,
    GovukSelectField,
    GovukSubmitField,
    GovukTextareaField,
    GovukTextInputField,
    Required,
    max_length,
    whole_number,
)
from . import live, ratings
from .models import ACTION_RAGS


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


class NewPeriodForm(Form):
    year_start = GovukSelectField("Financial year", coerce=int,
                             validators=[Required(thing="the financial year")])
    quarter = GovukRadiosField(
        "Quarter",
        choices=[("1", "Q1 (April to June)"), ("2", "Q2 (July to September)"), ("3", "Q3 (October to December)"),
                 ("4", "Q4 (January to March)")],
        validators=[Required(thing="the quarter")],
    )
    submit = GovukSubmitField("Start the report")


class KpiResultForm(Form):
    target = GovukTextInputField(
        "Target for this quarter",
        description="A number (like 30 or 54%), 'Fewer than 7855', 'More than 20000', 'Monitor', 'TBC', or "
                    "'Not due' when nothing is due this quarter.",
        validators=[Required(thing="the target for this quarter"), max_length(60), TargetText()],
    )
    result = GovukTextInputField(
        "Result", description="Leave empty if there is no result yet.",
        validators=[Optional(), max_length(30), NumberText("Enter the result as a number, like 19 or 9.54")],
    )
    result_note = GovukTextInputField(
        "When there is no result, say why",
        description="For example: Due Q4 19/20", validators=[max_length(120)],
    )
    previous_result = GovukTextInputField(
        "Result for the same quarter last year",
        validators=[Optional(), max_length(30), NumberText("Enter last year's result as a number, like 70.4")],
    )
    previous_result_note = GovukTextInputField(
        "When there is no result for last year, say why",
        description="For example: New for 19/20", validators=[max_length(120)],
    )
    benchmark = GovukTextInputField("Benchmarking", validators=[max_length(300)])
    notes = GovukTextareaField("Notes (footnotes in the report)", validators=[max_length(2000)])
    submit = GovukSubmitField("Save result")


class KpiSourceForm(Form):
    live_source = GovukTextInputField(
        "Live source",
        description="Take the result from the portal's own data. Leave empty to enter results by hand.",
        validators=[max_length(200)],
    )
    save_source = GovukSubmitField("Save live source")

    def validate_live_source(self, field):
        if field.data and field.data.strip():
            problem = live.validate_name(field.data.strip())
            if problem:
                raise ValidationError(problem)


class ActionUpdateForm(Form):
    rag = GovukRadiosField(
        "Progress this quarter",
        choices=[("", "Not rated"), *ACTION_RAGS.items()],
        validators=[Optional()],
        default="",
    )
    commentary = GovukTextareaField("Progress note", validators=[max_length(5000)])
    submit = GovukSubmitField("Save action")


SCALE = [("", "Not known")] + [(str(n), str(n)) for n in range(1, 6)]


class RiskAssessmentForm(Form):
    likelihood = GovukSelectField("Likelihood (1 to 5)", choices=SCALE, validators=[Optional()])
    impact = GovukSelectField("Impact (1 to 5)", choices=SCALE, validators=[Optional()])
    score = GovukTextInputField(
        "Risk score",
        description="Likelihood x impact. Leave empty to work it out from the likelihood and impact.",
        validators=[max_length(3)],
    )
    controls = GovukTextareaField("Controls and mitigations", validators=[max_length(5000)])
    submit = GovukSubmitField("Save risk")

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
    actions_commentary = GovukTextareaField("Summary of actions", validators=[max_length(10000)])
    kpi_commentary = GovukTextareaField("KPIs: commentary", validators=[max_length(10000)])
    risk_commentary = GovukTextareaField("Risks: commentary", validators=[max_length(10000)])
    submit = GovukSubmitField("Save commentary")


MONEY = "Enter an amount in £000 as a number, like 1,936 or -25"


class BudgetLineForm(Form):
    service = GovukTextInputField("Service",
                          validators=[Required(thing="the service"), max_length(200)])
    revised_budget = GovukTextInputField("Revised budget (£000)",
                                 validators=[Required(thing="the revised budget"), NumberText(MONEY)])
    forecast = GovukTextInputField("Forecast (£000)",
                           validators=[Required(thing="the forecast"), NumberText(MONEY)])
    reserve_movements = GovukTextInputField("Reserve movements (£000)", default="0",
                                    validators=[Optional(), NumberText(MONEY)])
    commentary = GovukTextareaField("Commentary", validators=[max_length(5000)])
    submit = GovukSubmitField("Save budget line")


class SavingLineForm(Form):
    ref = GovukTextInputField("Reference",
                      validators=[Required(thing="the savings reference, like S1"), max_length(20)])
    service_area = GovukTextInputField("Service area",
                               validators=[Required(thing="the service area"), max_length(200)])
    description = GovukTextareaField("Description of savings", validators=[max_length(5000)])
    saving = GovukTextInputField("Savings for the year (£000)",
                         validators=[Required(thing="the savings for the year"), NumberText(MONEY)])
    forecast = GovukTextInputField("Forecast (£000)",
                           validators=[Required(thing="the forecast"), NumberText(MONEY)])
    comment = GovukTextareaField("Comment", validators=[max_length(5000)])
    submit = GovukSubmitField("Save savings line")


class ImportForm(Form):
    file = GovukFileField(
        "Upload a file",
        validators=[
            FileRequired(message="Select a CSV or XLSX file"),
            FileAllowed(["csv", "xlsx"], message="The file must be a CSV or XLSX file"),
        ],
    )
    submit = GovukSubmitField("Import results")


class ReturnForm(Form):
    reason = GovukTextareaField(
        "What needs to change?",
        validators=[Required(thing="what needs to change"), max_length(2000)],
    )
    submit = GovukSubmitField("Return to draft")
