"""绩效指标: one row per third-level indicator, its levels chosen from the
taxonomy that every row of the formset shares."""

import json

from django import forms
from django.forms import inlineformset_factory

from declarations.forms.base import (
    OrderedFormSet,
    TextForm,
    row_limits,
)
from declarations.models import MAX_INDICATOR_ROWS, Declaration, IndicatorRow
from declarations.services.drafts import DraftChanges
from indicators.taxonomy import Taxonomy

ROW_FIELDS = ["level3", "description", "value", "basis"]


def _aliases(levels) -> str:
    aliases = {}
    for level in levels:
        for alias in level.alias_list():
            aliases.setdefault(alias.strip(), []).append(level.pk)
    return json.dumps(aliases, ensure_ascii=False)


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
        fields = ROW_FIELDS
        widgets = {
            "level3": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "basis": forms.Textarea(attrs={"rows": 2}),
        }

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
        if self.instance.pk:
            self.initial.setdefault("level1", self.instance.level1_id)
            self.initial.setdefault("level2", self.instance.level2_id)
        self.fields["value"].widget.attrs["placeholder"] = "如 ≥90%"


class BaseIndicatorFormSet(OrderedFormSet):
    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        self.taxonomy = taxonomy
        super().__init__(*args, **kwargs)

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
        rows = [
            IndicatorRow(
                level1_id=row["level1"],
                level2_id=row["level2"],
                **{name: row[name] for name in ROW_FIELDS},
            )
            for row in self.kept()
        ]
        return DraftChanges(fields={}, rows=rows)


IndicatorRowFormSet = inlineformset_factory(
    Declaration,
    IndicatorRow,
    form=IndicatorRowForm,
    formset=BaseIndicatorFormSet,
    extra=3,
    can_delete=True,
    can_order=True,
    **row_limits(MAX_INDICATOR_ROWS),
)
