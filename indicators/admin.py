from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from indicators.models import IndicatorLevel1, IndicatorLevel2
from indicators.resources import Level1Resource, Level2Resource


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
