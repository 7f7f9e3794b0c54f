from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from import_export.admin import ImportExportModelAdmin

from declarations import fields as rules
from declarations.admin import (
    desk,  # noqa: F401 (the deadlines' admin)
    layouts,  # noqa: F401 (the layouts' admin)
    logins,  # noqa: F401 (the login lockout's admin)
    opinions,  # noqa: F401 (the review checklist's admin)
)
from declarations.forms.base import (
    CleanText,
    JSONField,
    MoneyField,
    TextForm,
    YearField,
)
from declarations.forms.funds import MONEY_FIELDS
from declarations.layouts.versions import definition_of
from declarations.models import (
    Declaration,
    Goal,
    IndicatorRow,
    Membership,
    Organization,
)
from declarations.resources import OrganizationResource
from declarations.services import checking
from declarations.services.errors import StaleVersion
from declarations.services.versioning import save_versioned

# Every admin form cleans what is typed as the entry pages do (line breaks
# made plain, control characters dropped) and names a text past its limit.


class MembershipInline(admin.TabularInline):
    model = Membership
    form = TextForm
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(ImportExportModelAdmin):
    resource_classes = [OrganizationResource]
    form = TextForm
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization__kind"]
    search_fields = ["user__username", "organization__name", "organization__code"]
    autocomplete_fields = ["user", "organization"]


class GoalInline(admin.TabularInline):
    model = Goal
    form = TextForm
    extra = 0


class IndicatorRowInline(admin.TabularInline):
    model = IndicatorRow
    form = TextForm
    extra = 0
    fields = ["position", "level1", "level2", "level3", "description", "value", "basis"]


SPLIT = '[["公共财政拨款", "834.02"], ["其他资金", "0.00"]]'


class PairsField(JSONField):
    """A list of pairs typed as JSON (the spending plan, a budget split),
    read by its rule as the entry pages and the import read it."""

    def __init__(self, *, rule=None, example="", **kwargs):
        super().__init__(**kwargs)
        self.rule, self.example = rule, example

    def to_python(self, value):
        pairs = super().to_python(value)
        if pairs is None:
            return []
        if not isinstance(pairs, list) or not all(
            isinstance(p, list) and len(p) == 2 for p in pairs
        ):
            raise ValidationError(f"应写成 {self.example}。", code="invalid")
        return self.rule(pairs)


class DeclarationAdminForm(CleanText, forms.ModelForm):
    """Carries the version the page was opened at, like the entry pages, so
    that an admin's save never silently overwrites a preparer's. Its year,
    amounts, spending plan and splits are read by the rules the entry pages
    and the import read them by (declarations.fields)."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    year = YearField(label="年度")
    spending_plan = PairsField(
        label="资金支出计划（%）",
        required=False,
        rule=rules.parse_plan,
        example='[[3, "25.00"], [12, "100.00"]]',
    )
    income_split = PairsField(label="按收入性质分", required=False, example=SPLIT)
    spending_split = PairsField(label="按支出性质分", required=False, example=SPLIT)
    extra = JSONField(label="其他内容", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version
        # Amounts are kept in the layout's unit (万元 unless it says 元).
        unit = definition_of(self.instance).money_unit if self.instance.pk else "万元"
        money = rules.money(unit)
        for name in MONEY_FIELDS:
            if name in self.fields:
                label = self.fields[name].label
                self.fields[name] = MoneyField(rule=money, label=label, required=False)
        for name in ("income_split", "spending_split"):
            self.fields[name].rule = partial(rules.parse_split, rule=money)

    def clean_extra(self):
        extra = self.cleaned_data["extra"] or {}
        if not isinstance(extra, dict):
            raise ValidationError("应为一个 JSON 对象（以 { 开头）。")
        if not self.instance.pk:
            return extra
        # The layout's own fields and side tables, read as their pages read them.
        return rules.own_values(definition_of(self.instance), extra)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = Declaration.objects.select_related("updated_by").get(
                pk=self.instance.pk
            )
            if cleaned.get("opened_version") != current.version:
                raise forms.ValidationError(str(StaleVersion(current)))
        return cleaned


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    form = DeclarationAdminForm
    list_display = ["year", "project_code", "project_name", "organization", "status"]
    list_filter = ["year", "status", "layout"]
    search_fields = ["project_code", "project_name", "organization__name"]
    list_select_related = ["organization"]
    readonly_fields = [
        "version",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
    ]
    inlines = [GoalInline, IndicatorRowInline]

    def has_change_permission(self, request, obj=None):
        # Submitted and approved declarations change only through the workflow.
        if obj is not None and not obj.is_editable and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Admin edits count as a new version, so open entry pages see the change.
        names = {f.name for f in Declaration._meta.concrete_fields}
        changed = {n: getattr(obj, n) for n in form.changed_data if n in names}

        def apply(locked):
            for name, value in changed.items():
                setattr(locked, name, value)

        saved = save_versioned(
            Declaration,
            pk=obj.pk,
            expected_version=form.cleaned_data["opened_version"],
            by=request.user,
            apply=apply,
        )
        obj.version, obj.updated_at = saved.version, saved.updated_at

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the goal and indicator inlines are saved.
        checking.record_findings([form.instance.pk])


@admin.register(LogEntry)
class AdminLogAdmin(admin.ModelAdmin):
    """Who changed what in the admin, and when. Django writes an entry for
    every add, change and delete made here (organizations, memberships,
    users, the taxonomy, an unlocked login) and for each row an admin import
    brings; this lists them for a superuser and lets nobody alter them."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "change_message", "user__username"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]
    fields = [
        "action_time",
        "user",
        "content_type",
        "object_id",
        "object_repr",
        "action",
    ]
    readonly_fields = fields

    @admin.display(description="操作")
    def action(self, entry):
        verb = {1: "新增", 2: "修改", 3: "删除"}.get(entry.action_flag, "")
        return f"{verb}：{entry.get_change_message()}" if verb != "删除" else verb

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
