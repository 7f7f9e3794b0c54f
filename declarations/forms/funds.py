"""资金与支出计划 of a project, 年度预算申请 of a department-wide declaration."""

from decimal import Decimal

from django import forms

from declarations import fields as rules
from declarations.forms.base import (
    MoneyField,
    NumberField,
    StepForm,
    TextForm,
    style_widgets,
)
from declarations.models import Declaration
from declarations.services.drafts import DraftChanges

MONTH_CHOICES = [(m, f"{m}月底") for m in range(1, 13)]


def _amount(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def money(field: forms.Field, unit: str = "万元") -> MoneyField:
    """The amount field of `field` (its label, help and widget) in the
    layout's unit (万元 or 元), as every door reads an amount: never negative,
    every refusal said in Chinese (Django's own read “确认总共不超过 14 个数字”)."""
    made = MoneyField(
        rule=rules.money(unit),
        label=field.label,
        required=field.required,
        help_text=field.help_text,
        widget=field.widget,
    )
    made.widget.attrs.setdefault("min", "0")
    return made


MONEY_FIELDS = ["total", "fiscal", "other", "term_total", "term_fiscal", "term_other"]


class FundsForm(StepForm):
    """Funds plus one month/percent pair per spending-plan checkpoint, as
    far as the layout prints them."""

    step = "funds"
    KEEP = {"total"}

    class Meta:
        model = Declaration
        fields = [*MONEY_FIELDS, "fund_use"]
        labels = {
            "total": "预算数（年度资金总额）",
            "fiscal": "其中：财政资金（财政拨款）",
            "other": "其他资金",
            "term_fiscal": "中期其中：财政拨款",
        }
        widgets = {"fund_use": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, definition=None, **kwargs):
        super().__init__(*args, definition=definition, **kwargs)
        self.money_unit = definition.money_unit if definition else "万元"
        for name in MONEY_FIELDS:
            if name in self.fields:
                self.fields[name] = field = money(self.fields[name], self.money_unit)
                field.widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
        self.has_plan = definition is None or "spending_plan" in (
            definition.header_fields()
        )
        plan = (self.instance.spending_plan or []) if self.has_plan else []
        for i, (month, percent) in enumerate(plan):
            self.fields[f"month_{i}"] = forms.TypedChoiceField(
                label=f"第{i + 1}个节点", choices=MONTH_CHOICES, coerce=int
            )
            self.fields[f"percent_{i}"] = NumberField(
                rule=rules.PERCENT, label="累计支出（%）", required=False
            )
            self.initial.setdefault(f"month_{i}", month)
            self.initial.setdefault(f"percent_{i}", percent)
        self.checkpoint_count = len(plan)
        for i in range(self.checkpoint_count):
            self.fields[f"month_{i}"].widget.attrs["class"] = (
                "form-select form-select-sm"
            )
            self.fields[f"percent_{i}"].widget.attrs.update(
                {"class": "form-control", "step": "0.01", "inputmode": "decimal"}
            )

    def checkpoint_fields(self):
        return [
            (self[f"month_{i}"], self[f"percent_{i}"])
            for i in range(self.checkpoint_count)
        ]

    def clean(self):
        cleaned = super().clean()
        months = [cleaned.get(f"month_{i}") for i in range(self.checkpoint_count)]
        if None not in months:
            rules.parse_plan((m, None) for m in months)  # the months' order
        return cleaned

    def spending_plan(self) -> list[list]:
        return [
            [
                self.cleaned_data[f"month_{i}"],
                _amount(self.cleaned_data.get(f"percent_{i}")),
            ]
            for i in range(self.checkpoint_count)
        ]

    def changes(self) -> DraftChanges:
        changes = super().changes()
        if self.has_plan:
            changes.fields["spending_plan"] = self.spending_plan()
        return changes

    def term_fields(self):
        return [
            self[n]
            for n in ("term_total", "term_fiscal", "term_other")
            if n in self.fields
        ]

    def own_fields(self):
        return [self[n] for n in self.own_names]


class DepartmentWideFundsForm(TextForm):
    """资金总额 and the two splits, one label/amount pair per row."""

    SPLITS = [("income", "按收入性质分"), ("spending", "按支出性质分")]

    class Meta:
        model = Declaration
        fields = ["total"]
        labels = {"total": "资金总额"}

    def __init__(self, *args, definition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.money_unit = unit = definition.money_unit if definition else "万元"
        self.fields["total"].label = f"资金总额（{unit}）"
        self.fields["total"] = money(self.fields["total"], unit)
        self.fields["total"].widget.attrs.update(
            {"step": "0.01", "class": "form-control"}
        )
        for split, _ in self.SPLITS:
            for i, (label, amount) in enumerate(self._pairs(split)):
                self.fields[f"{split}_label_{i}"] = forms.CharField(
                    label="项目", max_length=rules.SPLIT_LABEL_LIMIT, required=False
                )
                self.fields[f"{split}_amount_{i}"] = MoneyField(
                    rule=rules.money(unit), label=f"金额（{unit}）", required=False
                )
                self.initial.setdefault(f"{split}_label_{i}", label)
                self.initial.setdefault(f"{split}_amount_{i}", amount)
        style_widgets(self)

    def _pairs(self, split) -> list:
        return getattr(self.instance, f"{split}_split") or []

    def split_rows(self, split):
        return [
            (self[f"{split}_label_{i}"], self[f"{split}_amount_{i}"])
            for i in range(len(self._pairs(split)))
        ]

    def rows_by_split(self):
        return [(title, self.split_rows(split)) for split, title in self.SPLITS]

    def split_value(self, split) -> list[list]:
        return [
            [
                self.cleaned_data.get(f"{split}_label_{i}", "").strip(),
                _amount(self.cleaned_data.get(f"{split}_amount_{i}")),
            ]
            for i in range(len(self._pairs(split)))
        ]

    def changes(self) -> DraftChanges:
        return DraftChanges(
            fields={
                "total": self.cleaned_data["total"],
                "income_split": self.split_value("income"),
                "spending_split": self.split_value("spending"),
            }
        )
