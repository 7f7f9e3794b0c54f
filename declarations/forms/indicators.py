"""绩效指标: one row per third-level indicator, its levels chosen from the
taxonomy that every row of the formset shares, and the other columns those
the declaration's layout prints (`entry_columns`)."""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.forms import inlineformset_factory

from declarations import fields as rules
from declarations.forms.base import (
    OWN_PREFIX,
    NumberField,
    OrderedFormSet,
    TextForm,
    row_limits,
)
from declarations.layouts.catalogue import ROW_FIELDS, VALUE_PARTS
from declarations.layouts.definition import Definition
from declarations.models import MAX_INDICATOR_ROWS, Declaration, IndicatorRow
from declarations.models.declarations import OPERATOR_CHOICES
from declarations.services.drafts import DraftChanges
from indicators.taxonomy import Taxonomy

# The row's text fields a layout may print, as the model names them.
TEXT_COLUMNS = ["level3", "description", "value", "basis", "term_value"]
TEXT_COLUMNS += ["explanation", "scoring", "history"]
_AREAS = {"level3", "description", "basis", "explanation", "scoring"}


@dataclass(frozen=True)
class EntryColumn:
    """One column of the entry table: the form field and its heading."""

    name: str
    label: str
    own: bool = False


def entry_columns(definition: Definition) -> list[EntryColumn]:
    """The columns typed on the indicator step, in the layout's order and
    with its headings: 一级 and 二级 always; the value as one text or, where
    the layout prints 符号 / 指标值 / 计量单位, as those three; 目标期 where
    the layout prints the term's and the year's indicators apart."""
    labels = {}
    for part in definition.parts:
        for column in part.columns if part.kind == "indicators" else ():
            labels.setdefault(column.field, column.label)
    split = bool(VALUE_PARTS & set(labels)) and "value" not in labels
    own = {f.key for f in definition.row_fields}
    columns = [
        EntryColumn("level1", labels.get("level1", "一级指标")),
        EntryColumn("level2", labels.get("level2", "二级指标")),
    ]
    if len(_indicator_periods(definition)) > 1:
        columns.append(EntryColumn("period", "目标期"))
    for name, label in labels.items():
        if name in VALUE_PARTS:
            if split and not any(c.name == "number" for c in columns):
                columns += [
                    EntryColumn(part, labels.get(part, ROW_FIELDS[part].label))
                    for part in ("operator", "number", "unit")
                ]
        elif name in own:
            columns.append(EntryColumn(OWN_PREFIX + name, label, own=True))
        elif name in ROW_FIELDS and name not in {"level1", "level2", "value_kind"}:
            columns.append(EntryColumn(name, label))
    if not split and "value" not in labels:
        columns.append(EntryColumn("value", "指标值"))
    return columns


def _indicator_periods(definition: Definition) -> set[str]:
    return {p.period for p in definition.parts if p.kind == "indicators" and p.period}


def _aliases(levels) -> str:
    aliases = {}
    for level in levels:
        for alias in level.alias_list():
            aliases.setdefault(alias.strip(), []).append(level.pk)
    return json.dumps(aliases, ensure_ascii=False)


def _number(text: str) -> Decimal | None:
    """The number a split 指标值 holds, or None for qualitative text."""
    cleaned = (text or "").strip().replace(",", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class IndicatorRowForm(TextForm):
    # Not required: a draft saves an unfinished row, and 核对 names it.
    level1 = forms.TypedChoiceField(
        label="一级指标", coerce=int, required=False, empty_value=None
    )
    level2 = forms.TypedChoiceField(
        label="二级指标", coerce=int, required=False, empty_value=None
    )

    class Meta:
        model = IndicatorRow
        fields = ["level3", "description", "value", "basis"]

    # The layout's columns; set on the class `indicator_formset` makes.
    columns: list[EntryColumn] = []

    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level1"].choices = [("", "请选择")] + [
            (x.pk, x.name) for x in taxonomy.level1s
        ]
        self.fields["level2"].choices = [("", "请选择")] + [
            (x.name, [(c.pk, c.name) for c in taxonomy.children(x.pk)])
            for x in taxonomy.level1s
        ]
        # Other names of the levels (效果指标 for 效益指标), for a pasted row.
        self.fields["level1"].widget.attrs["data-aliases"] = _aliases(taxonomy.level1s)
        self.fields["level2"].widget.attrs["data-aliases"] = _aliases(
            c for x in taxonomy.level1s for c in taxonomy.children(x.pk)
        )
        row = self.instance
        if row.pk:
            self.initial.setdefault("level1", row.level1_id)
            self.initial.setdefault("level2", row.level2_id)
            self.initial.setdefault("operator", row.value_operator)
            self.initial.setdefault("number", row.number_text)
            self.initial.setdefault("unit", row.value_unit)
            extra = row.extra if isinstance(row.extra, dict) else {}
            for column in self.columns:
                if column.own:
                    key = column.name.removeprefix(OWN_PREFIX)
                    self.initial.setdefault(column.name, str(extra.get(key, "")))
        for column in self.columns:
            field = self.fields.get(column.name)
            if field is not None:
                field.label = column.label
        if "value" in self.fields:
            self.fields["value"].widget.attrs["placeholder"] = "如 ≥90%"
        if "weight" in self.fields:
            self.fields["weight"] = NumberField(
                rule=rules.WEIGHT,
                label=self.fields["weight"].label,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def clean(self):
        data = super().clean()
        if "number" in self.fields:
            number = _number(data.get("number", ""))
            if data.get("operator") and number is None and data.get("number"):
                self.add_error(
                    "number",
                    "选了计算符号时，指标值应为数字（如 90）；"
                    "定性指标请把计算符号留空。",
                )
        return data

    def row(self) -> IndicatorRow:
        """The unsaved row the form's data describes."""
        data = self.cleaned_data
        row = IndicatorRow(
            level1_id=data["level1"],
            level2_id=data["level2"],
            **{name: data[name] for name in self._meta.fields},
        )
        extra = (
            dict(self.instance.extra) if isinstance(self.instance.extra, dict) else {}
        )
        for column in self.columns:
            if column.own:
                extra[column.name.removeprefix(OWN_PREFIX)] = data[column.name]
        row.extra = extra
        if "number" in self.fields:
            text = data["number"].strip()
            number = _number(text)
            row.with_parts(data["operator"], number, data["unit"], text=text)
        return row


class BaseIndicatorFormSet(OrderedFormSet):
    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        self.taxonomy = taxonomy
        super().__init__(*args, **kwargs)

    @property
    def columns(self) -> list[EntryColumn]:
        return self.form.columns

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "taxonomy": self.taxonomy}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            taxonomy=self.taxonomy,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def changes(self) -> DraftChanges:
        rows = [form.row() for form in self.ordered_forms]
        return DraftChanges(fields={}, rows=rows)


def _form_class(definition: Definition) -> type[IndicatorRowForm]:
    columns = entry_columns(definition)
    model_fields = [
        c.name
        for c in columns
        if c.name in TEXT_COLUMNS or c.name in {"weight", "period"}
    ]
    declared = {}
    for column in columns:
        if column.own:
            own = next(
                f
                for f in definition.row_fields
                if f.key == column.name.removeprefix(OWN_PREFIX)
            )
            declared[column.name] = forms.CharField(
                label=column.label,
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2})
                if own.kind == "text"
                else forms.TextInput,
            )
    if any(c.name == "number" for c in columns):
        declared["operator"] = forms.ChoiceField(
            label="计算符号",
            required=False,
            choices=[("", "（定性）")] + OPERATOR_CHOICES,
        )
        declared["number"] = forms.CharField(
            label="指标值",
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"placeholder": "如 90 或 效果显著"}),
        )
        declared["unit"] = forms.CharField(
            label="计量单位",
            required=False,
            max_length=20,
            widget=forms.TextInput(attrs={"placeholder": "如 %"}),
        )
    meta = type(
        "Meta",
        (),
        {
            "model": IndicatorRow,
            "fields": model_fields,
            "widgets": {
                name: forms.Textarea(attrs={"rows": 2})
                for name in model_fields
                if name in _AREAS
            },
        },
    )
    return type(
        "IndicatorRowForm",
        (IndicatorRowForm,),
        {"Meta": meta, "columns": columns, **declared},
    )


def indicator_formset(definition: Definition):
    """The formset class of the indicator step for a layout."""
    return inlineformset_factory(
        Declaration,
        IndicatorRow,
        form=_form_class(definition),
        formset=BaseIndicatorFormSet,
        extra=3,
        can_delete=True,
        can_order=True,
        **row_limits(MAX_INDICATOR_ROWS),
    )
