"""绩效目标 (年度总体目标) and a department's 职能职责."""

from django import forms
from django.forms import inlineformset_factory

from declarations.forms.base import (
    MAX_LIST_ROWS,
    OrderedFormSet,
    StepForm,
    TextForm,
    row_limits,
)
from declarations.models import Declaration, Goal, Period
from declarations.services.drafts import DraftChanges
from declarations.text import item_lines


class GoalForm(TextForm):
    class Meta:
        model = Goal
        fields = ["text"]
        labels = {"text": "绩效目标"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "text": {"required": "请填写目标内容，或勾选“删除”去掉这一行。"}
        }


class BaseGoalFormSet(OrderedFormSet):
    def changes(self) -> DraftChanges:
        # Several lines in one box are several goals, typed numbers dropped.
        goals = [goal for row in self.kept() for goal in item_lines(row["text"])]
        return DraftChanges(fields={}, goals=goals)


GoalFormSet = inlineformset_factory(
    Declaration,
    Goal,
    form=GoalForm,
    formset=BaseGoalFormSet,
    extra=2,
    can_delete=True,
    can_order=True,
    **row_limits(MAX_LIST_ROWS),
)


class DutiesForm(StepForm):
    KEEP = {"duties"}

    class Meta:
        model = Declaration
        fields = ["duties"]
        labels = {"duties": "部门职能职责概述"}
        help_texts = {"duties": "每条职责一行，如“1、贯彻执行……”。"}
        widgets = {"duties": forms.Textarea(attrs={"rows": 14})}


class GoalsOwnFields(StepForm):
    """The layout's own fields entered beside the goals (its ``step`` is
    goals, or a signature line on the goals step prints them)."""

    step = "goals"

    class Meta:
        model = Declaration
        fields = []


class GoalLists:
    """The goals step: the year's goals and, where the layout prints them,
    the term's (中期, 长期 or 实施期) in a list of their own, and the layout's
    own fields of the step; valid and saved together."""

    prefix = "goals"

    def __init__(
        self, data, declaration, periods: list[tuple[str, str]], definition=None
    ):
        self.own = GoalsOwnFields(data, instance=declaration, definition=definition)
        self.lists = [
            (
                period,
                label,
                GoalFormSet(
                    data,
                    instance=declaration,
                    prefix="goals" if period == Period.ANNUAL else f"{period}_goals",
                    queryset=declaration.goals.filter(period=period),
                ),
            )
            for period, label in periods
        ]

    def is_valid(self) -> bool:
        # Every list is checked, so each shows its errors at once.
        checked = [formset.is_valid() for _, _, formset in self.lists]
        return all([*checked, self.own.is_valid()])

    def own_fields(self):
        return [self.own[name] for name in self.own.own_names]

    def changes(self) -> DraftChanges:
        texts = {p: formset.changes().goals for p, _, formset in self.lists}
        return DraftChanges(
            fields=self.own.changes().fields,
            goals=texts.get(Period.ANNUAL, []),
            term_goals=texts.get(Period.TERM),
        )
