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


class NewPeriodForm(Form):
    year_start = GovukSelectField("Financial year", coerce=int, validators=[Required(thing="the financial year")])
    quarter = GovukRadiosField(
        "Quarter",
        choices=[
            ("1", "Q1 (April to June)"),
            ("2", "Q2 (July to September)"),
            ("3", "Q3 (October to December)"),
            ("4", "Q4 (January to March)"),
        ],
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
        "Result",
        description="Leave empty if there is no result yet.",
        validators=[Optional(), max_length(30), NumberText("Enter the result as a number, like 19 or 9.54")],
    )
    result_note = GovukTextInputField(
        "When there is no result, say why",
        description="For example: Due Q4 19/20",
        validators=[max_length(120)],
    )
    previous_result = GovukTextInputField(
        "Result for the same quarter last year",
        validators=[Optional(), max_length(30), NumberText("Enter last year's result as a number, like 70.4")],
    )
    previous_result_note = GovukTextInputField(
        "When there is no result for last year, say why",
        description="For example: New for 19/20",
        validators=[max_length(120)],
    )
    benchmark = GovukTextInputField("Benchmarking", validators=[max_length(300)])
    commentary = GovukTextareaField("Commentary on this quarter's result", validators=[max_length(5000)])
    variance_explanation = GovukTextareaField(
        "Explanation of variance",
        description="Why the result is off target, and what is being done. Needed when the KPI is rated red.",
        validators=[max_length(5000)],
    )
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
            raise ValidationError(
                f"The score must be likelihood x impact: {likelihood} x {impact} = {likelihood * impact}"
            )
        try:
            ratings.risk_band(score)
        except ratings.RatingError as exc:
            raise ValidationError(str(exc)) from exc
        self.computed_score = score


class PriorityUpdateForm(Form):
    published_actions_rating = GovukRadiosField(
        "Summary of actions rating",
        description="Only needed when the actions are not rated one by one: the rating then counts red actions "
        "from this summary (Good: none; Satisfactory: one; Limited: two or more).",
        choices=[
            ("", "Not given (the actions are rated one by one, or not at all)"),
            ("Good", "Good progress"),
            ("Satisfactory", "Satisfactory progress"),
            ("Limited", "Limited progress"),
        ],
        validators=[Optional()],
        default="",
    )
    actions_commentary = GovukTextareaField("Summary of actions", validators=[max_length(10000)])
    kpi_commentary = GovukTextareaField("KPIs: commentary", validators=[max_length(10000)])
    risk_commentary = GovukTextareaField("Risks: commentary", validators=[max_length(10000)])
    submit = GovukSubmitField("Save commentary")


MONEY = "Enter an amount in £000 as a number, like 1,936 or -25"


class BudgetLineForm(Form):
    service = GovukTextInputField("Service", validators=[Required(thing="the service"), max_length(200)])
    revised_budget = GovukTextInputField(
        "Revised budget (£000)", validators=[Required(thing="the revised budget"), NumberText(MONEY)]
    )
    forecast = GovukTextInputField("Forecast (£000)", validators=[Required(thing="the forecast"), NumberText(MONEY)])
    reserve_movements = GovukTextInputField(
        "Reserve movements (£000)", default="0", validators=[Optional(), NumberText(MONEY)]
    )
    commentary = GovukTextareaField("Commentary", validators=[max_length(5000)])
    submit = GovukSubmitField("Save budget line")


class SavingLineForm(Form):
    ref = GovukTextInputField(
        "Reference", validators=[Required(thing="the savings reference, like S1"), max_length(20)]
    )
    service_area = GovukTextInputField("Service area", validators=[Required(thing="the service area"), max_length(200)])
    description = GovukTextareaField("Description of savings", validators=[max_length(5000)])
    saving = GovukTextInputField(
        "Savings for the year (£000)", validators=[Required(thing="the savings for the year"), NumberText(MONEY)]
    )
    forecast = GovukTextInputField("Forecast (£000)", validators=[Required(thing="the forecast"), NumberText(MONEY)])
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


class RiskEndForm(Form):
    """A risk leaving the register this quarter: closed, or merged into another risk of the same plan."""

    ending = GovukRadiosField(
        "Has this risk left the register this quarter?",
        choices=[
            ("", "No, it is still on the register"),
            ("closed", "Yes, it has been closed"),
            ("merged", "Yes, it has been merged into another risk"),
        ],
        validators=[Optional()],
        default="",
    )
    merged_into = GovukSelectField("Merged into", coerce=str, validate_choice=False)
    end_note = GovukTextareaField("Why", validators=[max_length(2000)])
    save_end = GovukSubmitField("Save")

    def validate_merged_into(self, field):
        if self.ending.data != "merged":
            return
        if not field.data or field.data not in {value for value, _ in field.choices if value}:
            raise ValidationError("Select the risk it has been merged into")


class ReopenForm(Form):
    reason = GovukTextareaField(
        "Why does the approved report need to be reopened?",
        description="This is published with the list of versions, so say what is being corrected.",
        validators=[Required(thing="why the approved report needs to be reopened"), max_length(2000)],
    )
    submit = GovukSubmitField("Reopen for correction")


class PlanPriorityForm(Form):
    position = GovukTextInputField(
        "Section number",
        description="As in the report, like 5",
        validators=[Required(thing="the section number"), max_length(3)],
    )
    title = GovukTextInputField("Priority", validators=[Required(thing="the priority"), max_length(300)])
    submit = GovukSubmitField("Save priority")

    def validate_position(self, field):
        if not (field.data or "").strip().isdigit() or not 1 <= int(field.data.strip()) <= 999:
            raise ValidationError("Enter the section number as a whole number, like 5")


class PlanActionForm(Form):
    description = GovukTextareaField(
        "How will we achieve this?", validators=[Required(thing="the action"), max_length(5000)]
    )
    timescale = GovukTextInputField("Timescale", description="For example: Mar 2021", validators=[max_length(60)])
    submit = GovukSubmitField("Save action")


class PlanKpiForm(Form):
    name = GovukTextInputField("Indicator", validators=[Required(thing="the indicator's name"), max_length(300)])
    polarity = GovukRadiosField(
        "Polarity",
        choices=list(POLARITY_LABELS.items()),
        validators=[Required(thing="whether bigger or smaller is better")],
    )
    unit = GovukRadiosField(
        "Shown as", choices=[("", "A number"), ("%", "A percentage")], validators=[Optional()], default=""
    )
    measure = GovukSelectField("Counted as", choices=list(MEASURES.items()), validators=[Optional()])
    annual_target = GovukTextInputField(
        "Annual target",
        description="A number (like 30 or 54%), 'Fewer than N', 'More than N', 'Monitor' or 'TBC'.",
        validators=[Required(thing="the annual target"), max_length(60), TargetText()],
    )
    previous_year_end = GovukTextInputField(
        "Last year's end-of-year result",
        description="As printed, like 74.12 or New for 20/21",
        validators=[max_length(60)],
    )
    submit = GovukSubmitField("Save KPI")


class PlanRiskForm(Form):
    code = GovukTextInputField(
        "Risk reference", description="Like CLL01", validators=[Required(thing="the risk reference"), max_length(20)]
    )
    title = GovukTextInputField("Risk", validators=[Required(thing="the risk"), max_length(300)])
    description = GovukTextareaField("Description", validators=[max_length(5000)])
    submit = GovukSubmitField("Save risk")
