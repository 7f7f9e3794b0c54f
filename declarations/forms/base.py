"""What the screens' forms share: text cleaned as it comes in, Bootstrap
classes on fields rendered bare in table cells, and formsets whose rows are
ordered."""

from django import forms

from declarations.services.drafts import DraftChanges
from declarations.text import clean_value


class CleanText:
    """Every submitted value of the form has plain line breaks and no control
    character, before any field sees it: a NUL or a \v pasted from Word never
    reaches a validator, the database or the export, and the page shows the
    text back as it will be stored. (Django reads each field's value from the
    submitted data through `_widget_data_value`; a test guards the hook.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = TOO_LONG

    def _widget_data_value(self, widget, html_name):
        return clean_value(super()._widget_data_value(widget, html_name))


TOO_LONG = "最多 %(limit_value)d 字，现在有 %(show_value)d 字，请删减后再保存。"


class CleanForm(CleanText, forms.Form):
    pass


class TextForm(CleanText, forms.ModelForm):
    pass


class StepForm(TextForm):
    """A form of one entry step: its changes are its fields as cleaned."""

    def changes(self) -> DraftChanges:
        return DraftChanges(
            fields={name: self.cleaned_data[name] for name in self.Meta.fields}
        )


def style_widgets(form, *, small=False):
    """Bootstrap classes for fields rendered bare in table cells."""
    size = " form-control-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + size
        widget.attrs["class"] = css


# Rows a formset takes at most (indicator rows: MAX_INDICATOR_ROWS). Django
# builds no more forms than `absolute_max` whatever TOTAL_FORMS says (a
# posted count of 100,000 cost 8 s and 6.7 MB of HTML a request) and says
# so with too_many_forms.
MAX_LIST_ROWS = 50


def row_limits(most: int) -> dict:
    """The formset factory arguments that hold a formset to `most` rows."""
    return {"max_num": most, "absolute_max": most, "validate_max": True}


class OrderedFormSet(forms.BaseInlineFormSet):
    """Rows that may be added, removed and renumbered with ORDER fields."""

    default_error_messages = {
        "too_many_forms": "最多只能填 %(num)d 行，请删去多余的行后再保存。",
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        style_widgets(form, small=True)
        form.fields["ORDER"].label = "序号"
        form.fields["ORDER"].widget.attrs["class"] += " order-input"

    def kept(self) -> list[dict]:
        """The cleaned data of the rows to keep, in the order the ORDER fields
        give: deleted rows and untouched spare rows left out."""
        return [form.cleaned_data for form in self.ordered_forms]
