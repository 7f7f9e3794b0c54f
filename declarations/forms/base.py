"""What the screens' forms share: text cleaned as it comes in, Bootstrap
classes on fields rendered bare in table cells, and formsets whose rows are
ordered."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput, JSONString

from declarations import fields as rules
from declarations.layouts.placement import fill_years
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


class NumberField(forms.DecimalField):
    """A number read by its rule in declarations.fields, as the import and
    the admin read it: the rule alone refuses, in its own words."""

    rule: rules.Number = rules.money()

    def __init__(self, *, rule: rules.Number | None = None, **kwargs):
        kwargs.setdefault("decimal_places", 2)  # the widget's step
        super().__init__(**kwargs)
        if rule is not None:
            self.rule = rule
        self.validators = []

    def to_python(self, value):
        return self.rule.parse(value)


class MoneyField(NumberField):
    """An amount in 万元 (`rule = rules.money(unit)` for another unit)."""


class YearField(forms.IntegerField):
    """A year of 2000–2100 (declarations.fields.parse_year)."""

    def __init__(self, **kwargs):
        kwargs.update(min_value=rules.FIRST_YEAR, max_value=rules.LAST_YEAR)
        super().__init__(**kwargs)
        self.validators = []

    def to_python(self, value):
        return rules.parse_year(value)


class DateField(forms.DateField):
    """A date as declarations.fields.parse_date reads it."""

    def to_python(self, value):
        return rules.parse_date(value)


def no_constant(name):
    """json.loads's parse_constant: NaN and Infinity are no values here."""
    raise ValueError(name)


class JSONField(forms.JSONField):
    """JSON typed in the admin. Refused with a message, where the database
    would answer with a 500: NaN or Infinity (not JSON to PostgreSQL),
    nesting deeper than Python parses, and a NUL or a lone surrogate in a
    string (written as \\u0000 or \\ud800, they pass the text's cleaning)."""

    def to_python(self, value):
        if self.disabled:
            return value
        if value in self.empty_values:
            return None
        converted = value
        if isinstance(value, str) and not isinstance(value, JSONString):
            try:
                converted = json.loads(value, parse_constant=no_constant)
            except json.JSONDecodeError:
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            except (ValueError, RecursionError):
                raise ValidationError(
                    "不能含有 NaN、Infinity 或嵌套过深的括号。", code="invalid"
                ) from None
        if found := rules.unstorable_in(converted):
            raise ValidationError(found, code="invalid")
        return JSONString(converted) if isinstance(converted, str) else converted

    def bound_data(self, data, initial):
        # What was typed is shown back as typed when it is refused: parsed,
        # a lone surrogate could not even be written into the page.
        if self.disabled:
            return initial
        if data is None:
            return None
        try:
            return self.to_python(data)
        except ValidationError:
            return InvalidJSONInput(data)


class CleanForm(CleanText, forms.Form):
    pass


class TextForm(CleanText, forms.ModelForm):
    pass


class StepForm(TextForm):
    """A form of one entry step: its changes are its fields as cleaned.

    Given the declaration's layout definition, the form keeps only the
    fields the layout prints (and those always needed, `KEEP`), labels them
    as the layout's cells say (``entry_label``), and adds the layout's own
    fields of this step, whose values go to ``Declaration.extra``."""

    step = ""
    KEEP: set[str] = set()
    # A form field printed under another name in a layout.
    PRINTED_AS: dict[str, str] = {}

    def __init__(self, *args, definition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_names: list[str] = []
        if definition is not None:
            self._follow(definition)

    def _follow(self, definition):
        used = set(definition.header_fields())
        labels = definition.entry_labels()
        if year := self.instance.year:  # 上年（{year-1}）实际执行数
            labels = {k: fill_years(label, year) for k, label in labels.items()}
        for name in list(self.fields):
            printed = self.PRINTED_AS.get(name, name)
            if name in self.Meta.fields and name not in self.KEEP:
                if printed not in used:
                    del self.fields[name]
                elif labels.get(printed):
                    self.fields[name].label = labels[printed]
        extra = self.instance.extra if isinstance(self.instance.extra, dict) else {}
        for own in definition.fields:
            if own.step != self.step or own.key not in used:
                continue
            name = OWN_PREFIX + own.key
            self.fields[name] = own_field(own, labels.get(own.key))
            self.initial.setdefault(name, extra.get(own.key, ""))
            self.own_names.append(name)

    def changes(self) -> DraftChanges:
        fields = {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name in self.fields
        }
        if self.own_names:
            extra = self.instance.extra if isinstance(self.instance.extra, dict) else {}
            extra = dict(extra)
            for name in self.own_names:
                value = self.cleaned_data[name]
                extra[name.removeprefix(OWN_PREFIX)] = (
                    "" if value is None else str(value)
                )
            fields["extra"] = extra
        return DraftChanges(fields=fields)


OWN_PREFIX = "x_"  # a layout's own field, kept in Declaration.extra
OWN_TEXT_LIMIT = 2000


def own_field(own, label=None) -> forms.Field:
    """The form field of a layout's own header field."""
    label = label or own.label
    if own.kind == "money":
        # The label names the unit (项目总投资（万元）): the messages do not.
        return NumberField(
            rule=rules.OWN_MONEY,
            label=label,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
    if own.kind == "date":
        return DateField(
            label=label,
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
    widget = (
        forms.Textarea(attrs={"rows": 4}) if own.kind == "text" else forms.TextInput
    )
    return forms.CharField(
        label=label,
        required=False,
        max_length=OWN_TEXT_LIMIT if own.kind == "text" else 200,
        widget=widget,
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


class OrderedRows:
    """Rows of a formset that may be added, removed and renumbered with ORDER
    fields, drawn bare in table cells."""

    default_error_messages = {
        "too_many_forms": "最多只能填 %(num)d 行，请删去多余的行后再保存。",
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        style_widgets(form, small=True)
        form.fields["ORDER"].label = "序号"
        form.fields["ORDER"].widget.attrs["class"] += " order-input"


class OrderedFormSet(OrderedRows, forms.BaseInlineFormSet):
    """Stored rows (goals, indicator rows) that may be added, removed and
    renumbered."""

    def kept(self) -> list[dict]:
        """The cleaned data of the rows to keep, in the order the ORDER fields
        give: deleted rows and untouched spare rows left out."""
        return [form.cleaned_data for form in self.ordered_forms]
