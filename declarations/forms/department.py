"""Part one of the department book, and the choice of a department and year."""

from django import forms
from django.forms import inlineformset_factory

from declarations.forms.base import (
    MAX_LIST_ROWS,
    CleanForm,
    OrderedFormSet,
    TextForm,
    YearField,
    row_limits,
)
from declarations.models import (
    DepartmentGoals,
    GoalItem,
    Organization,
    SafeguardMeasure,
)
from declarations.text import item_lines


class DepartmentGoalsForm(TextForm):
    """Part one's overall goal; the items and measures are formsets."""

    class Meta:
        model = DepartmentGoals
        fields = ["overall"]
        labels = {"overall": "（一）总体绩效目标"}
        widgets = {"overall": forms.Textarea(attrs={"rows": 3})}


class GoalItemForm(TextForm):
    class Meta:
        model = GoalItem
        fields = ["goal", "indicators"]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 3}),
            "indicators": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "goal": {"required": "请填写绩效目标，或勾选“删除”去掉这一项。"}
        }


class MeasureForm(TextForm):
    class Meta:
        model = SafeguardMeasure
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "text": {"required": "请填写保障措施，或勾选“删除”去掉这一项。"}
        }


class BaseGoalItemFormSet(OrderedFormSet):
    def items(self) -> list[tuple[str, str]]:
        return [(row["goal"], row["indicators"]) for row in self.kept()]


class BaseMeasureFormSet(OrderedFormSet):
    def measures(self) -> list[str]:
        return [measure for row in self.kept() for measure in item_lines(row["text"])]


GoalItemFormSet = inlineformset_factory(
    DepartmentGoals,
    GoalItem,
    form=GoalItemForm,
    formset=BaseGoalItemFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    **row_limits(MAX_LIST_ROWS),
)
MeasureFormSet = inlineformset_factory(
    DepartmentGoals,
    SafeguardMeasure,
    form=MeasureForm,
    formset=BaseMeasureFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    **row_limits(MAX_LIST_ROWS),
)


class BookForm(CleanForm):
    department = forms.ModelChoiceField(
        label="主管部门", queryset=Organization.objects.none(), empty_label=None
    )
    year = YearField(label="年度")

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        self.fields["department"].widget.attrs["class"] = "form-select"
        self.fields["year"].widget.attrs["class"] = "form-control"
