"""Small fixes to govuk-frontend-wtf widgets; the forms kit (`app/forms.py`) puts them on its field classes."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput as _GovCheckboxesInput
from govuk_frontend_wtf.wtforms_widgets import GovDateInput as _GovDateInput
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput as _GovRadioInput


class QuestionLegend:
    """The group's question (its fieldset legend) is the field's label unless the template gives legend text.

    govuk-frontend-wtf fills in the legend only when a template passes no `fieldset` at all, so a template that
    only styled it (`{'fieldset': {'legend': {'classes': 'govuk-fieldset__legend--m'}}}`) rendered an empty
    legend: a group of radios or checkboxes with no question for a screen reader to announce (issue 15).
    """

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        # New dicts: the ones given may be the template's own, shared with the next field it renders.
        fieldset = dict(params.get("fieldset") or {})
        legend = dict(fieldset.get("legend") or {})
        if not (legend.get("text") or legend.get("html")):
            legend["text"] = field.label.text
        params["fieldset"] = {**fieldset, "legend": legend}
        return params


class GovRadioInput(QuestionLegend, _GovRadioInput):
    pass


class GovCheckboxesInput(QuestionLegend, _GovCheckboxesInput):
    pass


class GovDateInput(QuestionLegend, _GovDateInput):
    """GOV.UK date input (day, month, year boxes sharing one name) that survives a hostile post.

    The library expects exactly three values back; a request with one or five values for the field made it
    raise while re-showing the form (a 500). Here any other number of values shows as empty boxes, and the
    field's own validation says what is wrong.
    """

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = (list(field.raw_data) + ["", "", ""])[:3] if len(field.raw_data) < 3 else ["", "", ""]
        return super().map_gov_params(field, **kwargs)
