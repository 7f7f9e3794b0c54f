from django.contrib import admin, messages
from import_export.admin import ImportExportModelAdmin

from indicators.library import curation as library
from indicators.models import IndicatorLevel1, IndicatorLevel2, LibraryEntry
from indicators.resources import Level1Resource, Level2Resource, LibraryEntryResource


class Level2Inline(admin.TabularInline):
    model = IndicatorLevel2
    extra = 0
    fields = [
        "name",
        "aliases",
        "position",
        "mandatory",
        "hard",
        "quantitative",
        "cost",
        "value_kind",
    ]


@admin.register(IndicatorLevel1)
class IndicatorLevel1Admin(ImportExportModelAdmin):
    resource_classes = [Level1Resource]
    list_display = ["name", "aliases", "position", "required"]
    list_editable = ["position"]
    inlines = [Level2Inline]


@admin.register(IndicatorLevel2)
class IndicatorLevel2Admin(ImportExportModelAdmin):
    resource_classes = [Level2Resource]
    list_display = [
        "name",
        "level1",
        "mandatory",
        "hard",
        "quantitative",
        "cost",
        "value_kind",
    ]
    list_filter = ["level1"]
    search_fields = ["name", "aliases"]


@admin.register(LibraryEntry)
class LibraryEntryAdmin(ImportExportModelAdmin):
    """Curating the library: search, approve, retire and merge duplicates.
    What an administrator saves is theirs: a later seed leaves it alone."""

    resource_classes = [LibraryEntryResource]
    list_display = [
        "name",
        "level2",
        "operator",
        "unit",
        "values",
        "categories",
        "state",
        "uses",
        "duplicate_of",
    ]
    list_filter = ["state", "level2__level1", "level2"]
    search_fields = ["name", "explanation", "keywords", "categories", "sectors"]
    list_select_related = ["level2__level1"]
    readonly_fields = ["uses", "merged_into", "updated_by", "updated_at"]
    actions = ["approve", "retire", "merge"]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {
            **super().get_import_resource_kwargs(request, **kwargs),
            "user": request.user,
        }

    @admin.display(description="可能重复")
    def duplicate_of(self, entry):
        """For a proposed entry only (a query each): the library's entry it
        likely repeats, to merge rather than approve."""
        if entry.state != LibraryEntry.State.PROPOSED:
            return ""
        return library.likely_duplicate(entry)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="采用所选条目（在填报时推荐）", permissions=["change"])
    def approve(self, request, queryset):
        count = library.set_state(
            queryset, LibraryEntry.State.APPROVED, by=request.user
        )
        self.message_user(request, f"已采用 {count} 条。", messages.SUCCESS)

    @admin.action(description="停用所选条目（不再推荐）", permissions=["change"])
    def retire(self, request, queryset):
        count = library.set_state(queryset, LibraryEntry.State.RETIRED, by=request.user)
        self.message_user(request, f"已停用 {count} 条。", messages.SUCCESS)

    @admin.action(description="合并所选的重复条目", permissions=["change"])
    def merge(self, request, queryset):
        try:
            kept = library.merge(list(queryset), by=request.user)
        except library.CannotMerge as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(
            request,
            f"已合并为“{kept.name}”（{kept.level2.name}），其余条目已停用，采用次数已累加。",
            messages.SUCCESS,
        )
