from django.contrib import admin

from indicators.models import IndicatorLevel1, IndicatorLevel2


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
    ]


@admin.register(IndicatorLevel1)
class IndicatorLevel1Admin(admin.ModelAdmin):
    list_display = ["name", "aliases", "position", "required"]
    list_editable = ["position"]
    inlines = [Level2Inline]


@admin.register(IndicatorLevel2)
class IndicatorLevel2Admin(admin.ModelAdmin):
    list_display = ["name", "level1", "mandatory", "hard", "quantitative", "cost"]
    list_filter = ["level1"]
    search_fields = ["name", "aliases"]
