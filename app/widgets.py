"""Small fixes to govuk-frontend-wtf widgets; the forms kit (`app/forms.py`) puts them on its field classes."""

import threading
from collections import OrderedDict

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput as _GovCheckboxesInput
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovTextInput
from govuk_frontend_wtf.wtforms_widgets import GovDateInput as _GovDateInput
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput as _GovRadioInput
from markupsafe import Markup


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


class RenderedOnce:
    """A widget that keeps the HTML it rendered for each set of macro parameters (a small per-process LRU).

    A GOV.UK macro's output depends on its parameters alone, and rendering one (a select of 24 wards, a group
    of checkboxes) through render_template costs more than a page's database work: the directory search form
    renders seven on every search, nearly always with the same parameters (issue 16)."""

    size = 256
    _lock = threading.Lock()
    _rendered = OrderedDict()

    def render(self, params):
        key = (self.template, _frozen(params))
        try:
            hash(key)
        except TypeError:  # a parameter that cannot be a key: render it every time
            return super().render(params)
        with self._lock:
            html = self._rendered.get(key)
            if html is not None:
                self._rendered.move_to_end(key)
                return html
        html = super().render(params)
        with self._lock:
            self._rendered[key] = html
            while len(self._rendered) > self.size:
                self._rendered.popitem(last=False)
        return html


def _frozen(value):
    """A hashable copy of macro parameters; Markup kept apart from text, which the macros would escape."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, Markup):
        return ("markup", str(value))
    return value


class OnceSelect(RenderedOnce, GovSelect):
    pass


class OnceTextInput(RenderedOnce, GovTextInput):
    pass


class OnceCheckbox(RenderedOnce, GovCheckboxInput):
    pass


class OnceCheckboxes(RenderedOnce, GovCheckboxesInput):
    pass
