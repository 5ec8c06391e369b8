"""Small fixes to govuk-frontend-wtf widgets."""
from govuk_frontend_wtf.wtforms_widgets import GovDateInput as _GovDateInput


class GovDateInput(_GovDateInput):
    """GOV.UK date input (day, month, year boxes sharing one name) that survives a hostile post.

    The library expects exactly three values back; a request with one or five values for the field made it
    raise while re-showing the form (a 500). Here any other number of values shows as empty boxes, and the
    field's own validation says what is wrong.
    """

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = (list(field.raw_data) + ["", "", ""])[:3] if len(field.raw_data) < 3 else ["", "", ""]
        return super().map_gov_params(field, **kwargs)
