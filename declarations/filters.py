"""What the declaration list (and its export) can be narrowed and sorted by:
year, unit, state, 项目属性, grade, what the checks found, a name or code.

django-filter turns the query string into a filtered queryset and a form to
show back; a value that is not one of the choices is an error on the form,
and that filter is then left out rather than the page failing."""

import django_filters
from django.db.models import Q, QuerySet

from declarations.forms.base import CleanForm, YearField
from declarations.models import (
    Declaration,
    Grade,
    Organization,
    ProjectAttribute,
    Status,
)


class FilterForm(CleanForm):
    """Values cleaned as on every other form; an unknown choice says so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if "invalid_choice" in field.error_messages:
                field.error_messages["invalid_choice"] = "请从列表中选择。"


class Findings:
    ERRORS, WARNINGS, CLEAN = "errors", "warnings", "clean"
    CHOICES = [
        (ERRORS, "有错误"),
        (WARNINGS, "有提醒"),
        (CLEAN, "无错误和提醒"),
    ]


# The sortable columns: (query-string value, field, label).
SORTS = [
    ("year", "year", "年度"),
    ("code", "project_code", "项目编码"),
    ("name", "project_name", "项目名称"),
    ("unit", "organization__code", "单位"),
    ("total", "total", "预算数"),
    ("fiscal", "fiscal", "财政资金"),
    ("status", "status", "状态"),
    ("grade", "grade", "评定等级"),
    ("submitted", "submitted_at", "提交时间"),
    ("updated", "updated_at", "修改时间"),
]


class YearFilter(django_filters.NumberFilter):
    """A year read as every other door reads one (declarations.fields)."""

    field_class = YearField


class DeclarationFilter(django_filters.FilterSet):
    year = YearFilter(label="年度")
    unit = django_filters.ModelChoiceFilter(
        label="单位", field_name="organization", queryset=Organization.objects.none()
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=Status.choices, empty_label="全部"
    )
    attribute = django_filters.ChoiceFilter(
        label="项目属性", choices=ProjectAttribute.choices, empty_label="全部"
    )
    grade = django_filters.ChoiceFilter(
        label="评定等级", choices=Grade.choices, empty_label="全部"
    )
    findings = django_filters.ChoiceFilter(
        label="核对结果",
        choices=Findings.CHOICES,
        empty_label="全部",
        method="filter_findings",
    )
    q = django_filters.CharFilter(label="项目编码或名称", method="search")
    sort = django_filters.OrderingFilter(
        label="排序",
        fields=[(field, key) for key, field, _ in SORTS],
        field_labels={field: label for _, field, label in SORTS},
    )

    class Meta:
        model = Declaration
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data=None, queryset=None, *, units=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        if units is not None:
            self.filters["unit"].queryset = units
            self.form.fields["unit"].queryset = units

    def filter_findings(self, queryset: QuerySet, name, value) -> QuerySet:
        if value == Findings.ERRORS:
            return queryset.filter(error_count__gt=0)
        if value == Findings.WARNINGS:
            return queryset.filter(warning_count__gt=0)
        if value == Findings.CLEAN:
            return queryset.filter(error_count=0, warning_count=0)
        return queryset

    def search(self, queryset: QuerySet, name, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(project_code__icontains=value) | Q(project_name__icontains=value)
        )

    @property
    def qs(self) -> QuerySet[Declaration]:
        """Filtered (a field with a bad value is left out) and sorted as
        asked, then in the list's own order, so that a page boundary never
        falls between rows that sort alike."""
        declarations = super().qs
        asked = list(declarations.query.order_by)
        return declarations.order_by(*asked, *DEFAULT_ORDER)


DEFAULT_ORDER = ["-year", "organization__code", "project_code", "pk"]
