from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from declarations.models import (
    Declaration,
    Goal,
    IndicatorRow,
    Membership,
    Organization,
)
from declarations.resources import OrganizationResource


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(ImportExportModelAdmin):
    resource_classes = [OrganizationResource]
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
    extra = 0


class IndicatorRowInline(admin.TabularInline):
    model = IndicatorRow
    extra = 0
    fields = ["position", "level1", "level2", "name", "description", "value", "basis"]


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
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
        # Admin edits count as a new version, so open entry pages see the change.
        if change:
            obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
