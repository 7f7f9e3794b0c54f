"""Forms of the guided entry. They parse and normalise; views save."""

from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory

from declarations.models import (
    Declaration,
    DepartmentGoals,
    Goal,
    GoalItem,
    Grade,
    IndicatorRow,
    Organization,
    SafeguardMeasure,
)
from indicators.taxonomy import Taxonomy

MONTH_CHOICES = [(m, f"{m}月底") for m in range(1, 13)]


class TextForm(forms.ModelForm):
    """Browsers send textarea line breaks as CRLF; store plain LF."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        return cleaned


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


class BasicInfoForm(TextForm):
    class Meta:
        model = Declaration
        fields = [
            "year",
            "project_code",
            "project_name",
            "department_name",
            "department_code",
            "implementing_unit",
            "attribute",
            "period",
        ]
        labels = {"department_name": "主管部门", "period": "项目期"}
        help_texts = {
            "project_code": "如 450-0101-JBN-GZ2I；中央样式表格可不填。",
            "period": "如 1年期、3年期。",
        }
        widgets = {"year": forms.NumberInput(attrs={"min": 2000, "max": 2100})}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].min_value = 2000
        self.fields["year"].max_value = 2100
        if units is not None:
            self.fields["organization"] = forms.ModelChoiceField(
                label="填报单位",
                queryset=units,
                empty_label=None,
                error_messages={"invalid_choice": "请选择您所在的填报单位。"},
            )
            self.order_fields(["organization", *self.Meta.fields])

    def clean_project_code(self):
        return self.cleaned_data["project_code"].strip()

    def clean_project_name(self):
        name = self.cleaned_data["project_name"].strip()
        if not name:
            raise forms.ValidationError("请填写项目名称。")
        return name


class FundsForm(TextForm):
    """Funds plus one month/percent pair per spending-plan checkpoint."""

    class Meta:
        model = Declaration
        fields = ["total", "fiscal", "other", "fund_use"]
        labels = {
            "total": "预算数（年度资金总额）",
            "fiscal": "其中：财政资金（财政拨款）",
            "other": "其他资金",
        }
        widgets = {"fund_use": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["total", "fiscal", "other"]:
            field = self.fields[name]
            field.widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
            field.error_messages["invalid"] = "请填写数字（单位：万元），如 3.50。"
            field.error_messages["max_decimal_places"] = (
                "金额最多保留两位小数（万元）。"
            )
        plan = self.instance.spending_plan or []
        for i, (month, percent) in enumerate(plan):
            self.fields[f"month_{i}"] = forms.TypedChoiceField(
                label=f"第{i + 1}个节点", choices=MONTH_CHOICES, coerce=int
            )
            self.fields[f"percent_{i}"] = forms.DecimalField(
                label="累计支出（%）",
                required=False,
                max_digits=5,
                decimal_places=2,
                error_messages={"invalid": "请填写 0–100 之间的数字。"},
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
        if None not in months and months != sorted(set(months)):
            raise forms.ValidationError("支出计划的节点月份须由早到晚排列且不重复。")
        return cleaned

    def spending_plan(self) -> list[list]:
        plan = []
        for i in range(self.checkpoint_count):
            percent: Decimal | None = self.cleaned_data.get(f"percent_{i}")
            plan.append(
                [
                    self.cleaned_data[f"month_{i}"],
                    None if percent is None else f"{percent:.2f}",
                ]
            )
        return plan


class GoalForm(TextForm):
    class Meta:
        model = Goal
        fields = ["text"]
        labels = {"text": "绩效目标"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "text": {"required": "请填写目标内容，或勾选“删除”去掉这一行。"}
        }


class IndicatorRowForm(TextForm):
    """Level choices come from one Taxonomy shared by every row of the formset."""

    level1 = forms.TypedChoiceField(label="一级指标", coerce=int)
    level2 = forms.TypedChoiceField(label="二级指标", coerce=int)

    class Meta:
        model = IndicatorRow
        fields = ["name", "description", "value", "basis"]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, taxonomy: Taxonomy, **kwargs):
        super().__init__(*args, **kwargs)
        self.taxonomy = taxonomy
        self.fields["level1"].choices = [("", "请选择")] + [
            (x.pk, x.name) for x in taxonomy.level1s
        ]
        self.fields["level1"].error_messages["required"] = "请选择一级指标。"
        self.fields["level2"].choices = [("", "请选择")] + [
            (x.name, [(c.pk, c.name) for c in taxonomy.children(x.pk)])
            for x in taxonomy.level1s
        ]
        self.fields["level2"].error_messages["required"] = "请选择二级指标。"
        if self.instance.pk:
            self.initial.setdefault("level1", self.instance.level1_id)
            self.initial.setdefault("level2", self.instance.level2_id)
        self.fields["value"].widget.attrs["placeholder"] = "如 ≥90%"

    def level2_parents(self) -> dict[int, int]:
        return {x.pk: x.level1_id for x in self.taxonomy.level2s}

    def save(self, commit=True):
        self.instance.level1_id = self.cleaned_data["level1"]
        self.instance.level2_id = self.cleaned_data["level2"]
        return super().save(commit)


class OrderedFormSet(forms.BaseInlineFormSet):
    """Saves rows in the order the ORDER fields give, numbering them 1, 2, …"""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        style_widgets(form, small=True)
        form.fields["ORDER"].label = "序号"
        form.fields["ORDER"].widget.attrs["class"] += " order-input"

    def save_in_order(self):
        for obj in self.deleted_objects_to_delete():
            obj.delete()
        for position, form in enumerate(self.ordered_forms, start=1):
            if not form.has_changed() and not form.instance.pk:
                continue
            form.instance.position = position
            setattr(form.instance, self.fk.name, self.instance)
            form.save()

    def deleted_objects_to_delete(self):
        return [
            form.instance for form in self.deleted_forms if form.instance.pk is not None
        ]


class IndicatorFormSet(OrderedFormSet):
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


GoalFormSet = inlineformset_factory(
    Declaration,
    Goal,
    form=GoalForm,
    formset=OrderedFormSet,
    extra=2,
    can_delete=True,
    can_order=True,
)

IndicatorRowFormSet = inlineformset_factory(
    Declaration,
    IndicatorRow,
    form=IndicatorRowForm,
    formset=IndicatorFormSet,
    extra=3,
    can_delete=True,
    can_order=True,
)


class CopyForm(forms.Form):
    source = forms.ModelChoiceField(
        label="复制哪一份往年申报", queryset=Declaration.objects.none()
    )
    year = forms.IntegerField(label="新申报年度", min_value=2000, max_value=2100)

    def __init__(self, *args, sources=None, **kwargs):
        # Shares a page with the new-declaration form: keep the ids apart.
        kwargs.setdefault("auto_id", "copy_%s")
        super().__init__(*args, **kwargs)
        if sources is not None:
            self.fields["source"].queryset = sources
        self.fields["source"].error_messages["invalid_choice"] = (
            "请选择本单位的一份往年申报表。"
        )


class DeclarationFilterForm(forms.Form):
    year = forms.IntegerField(label="年度", required=False)
    unit = forms.ModelChoiceField(
        label="单位", queryset=Organization.objects.none(), required=False
    )
    q = forms.CharField(label="搜索", required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("return", "退回修改"), ("approve", "审核通过")],
        error_messages={"required": "请选择退回修改或审核通过。"},
    )
    grade = forms.ChoiceField(
        label="综合评定等级",
        choices=Grade.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label="总体意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "approve" and not cleaned.get("grade"):
            self.add_error("grade", "审核通过时请选择综合评定等级。")
        return cleaned


class DepartmentBasicForm(TextForm):
    class Meta:
        model = Declaration
        fields = ["year", "project_name"]
        labels = {"project_name": "部门名称"}
        widgets = {"year": forms.NumberInput(attrs={"min": 2000, "max": 2100})}

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].min_value = 2000
        self.fields["year"].max_value = 2100
        if departments is not None:
            self.fields["organization"] = forms.ModelChoiceField(
                label="主管部门",
                queryset=departments,
                empty_label=None,
                error_messages={"invalid_choice": "请选择您所在的主管部门。"},
            )
            self.order_fields(["organization", *self.Meta.fields])

    def clean_project_name(self):
        name = self.cleaned_data["project_name"].strip()
        if not name:
            raise forms.ValidationError("请填写部门名称。")
        return name


class DepartmentFundsForm(TextForm):
    """资金总额 and the two splits, one label/amount pair per row."""

    SPLITS = [("income", "按收入性质分"), ("spending", "按支出性质分")]

    class Meta:
        model = Declaration
        fields = ["total"]
        labels = {"total": "资金总额（万元）"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["total"].error_messages["invalid"] = "请填写数字（单位：万元）。"
        self.fields["total"].widget.attrs.update(
            {"step": "0.01", "class": "form-control"}
        )
        for split, _ in self.SPLITS:
            pairs = getattr(self.instance, f"{split}_split") or []
            for i, (label, amount) in enumerate(pairs):
                self.fields[f"{split}_label_{i}"] = forms.CharField(
                    label="项目", max_length=50, required=False
                )
                self.fields[f"{split}_amount_{i}"] = forms.DecimalField(
                    label="金额（万元）",
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    error_messages={
                        "invalid": "请填写数字（单位：万元）。",
                        "max_decimal_places": "金额最多保留两位小数（万元）。",
                    },
                )
                self.initial.setdefault(f"{split}_label_{i}", label)
                self.initial.setdefault(f"{split}_amount_{i}", amount)
        style_widgets(self)

    def split_rows(self, split):
        count = len(getattr(self.instance, f"{split}_split") or [])
        return [
            (self[f"{split}_label_{i}"], self[f"{split}_amount_{i}"])
            for i in range(count)
        ]

    def rows_by_split(self):
        return [(title, self.split_rows(split)) for split, title in self.SPLITS]

    def split_value(self, split) -> list[list]:
        rows = []
        for i in range(len(getattr(self.instance, f"{split}_split") or [])):
            amount = self.cleaned_data.get(f"{split}_amount_{i}")
            rows.append(
                [
                    self.cleaned_data.get(f"{split}_label_{i}", "").strip(),
                    None if amount is None else f"{amount:.2f}",
                ]
            )
        return rows


class DutiesForm(TextForm):
    class Meta:
        model = Declaration
        fields = ["duties"]
        labels = {"duties": "部门职能职责概述"}
        help_texts = {"duties": "每条职责一行，如“1、贯彻执行……”。"}
        widgets = {"duties": forms.Textarea(attrs={"rows": 14})}


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


GoalItemFormSet = inlineformset_factory(
    DepartmentGoals,
    GoalItem,
    form=GoalItemForm,
    formset=OrderedFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
)
MeasureFormSet = inlineformset_factory(
    DepartmentGoals,
    SafeguardMeasure,
    form=MeasureForm,
    formset=OrderedFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
)


class BookForm(forms.Form):
    department = forms.ModelChoiceField(
        label="主管部门", queryset=Organization.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        self.fields["department"].widget.attrs["class"] = "form-select"
        self.fields["year"].widget.attrs["class"] = "form-control"
