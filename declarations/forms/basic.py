"""基本信息: the project's identity, or the department-wide declaration's."""

from django import forms

from declarations.forms.base import StepForm, YearField
from declarations.models import Declaration


def _add_organization(form, queryset, *, label, invalid):
    """New declarations also choose where they are filed."""
    form.fields["organization"] = forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        empty_label=None,
        error_messages={"invalid_choice": invalid},
    )
    form.order_fields(["organization", *form.Meta.fields])


class BasicInfoForm(StepForm):
    step = "basic"
    KEEP = {"year", "project_name"}
    PRINTED_AS = {"department_name": "department", "department_code": "department"}

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
        field_classes = {"year": YearField}
        help_texts = {
            "project_code": "如 450-0101-JBN-GZ2I；中央样式表格可不填。",
            "period": "如 1年期、3年期。",
            "department_name": "按填报单位预先填好；留空则按所选单位填写。",
            "implementing_unit": "按填报单位预先填好；留空则按所选单位填写。",
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            _add_organization(
                self, units, label="填报单位", invalid="请选择您所在的填报单位。"
            )

    def clean_project_code(self):
        return self.cleaned_data["project_code"].strip()

    def clean_project_name(self):
        name = self.cleaned_data["project_name"].strip()
        if not name:
            raise forms.ValidationError("请填写项目名称。")
        return name


class DepartmentWideBasicForm(StepForm):
    step = "basic"
    KEEP = {"year", "project_name"}

    class Meta:
        model = Declaration
        fields = ["year", "project_name"]
        labels = {"project_name": "部门名称"}
        field_classes = {"year": YearField}

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            _add_organization(
                self,
                departments,
                label="主管部门",
                invalid="请选择您所在的主管部门。",
            )

    def clean_project_name(self):
        name = self.cleaned_data["project_name"].strip()
        if not name:
            raise forms.ValidationError("请填写部门名称。")
        return name
