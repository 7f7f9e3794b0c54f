"""The deadlines of the departments' years, which the bell reminds of."""

from django.contrib import admin

from declarations.models import Deadline


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["department", "year", "due"]
    list_filter = ["year"]
    search_fields = ["department__code", "department__name"]
    list_select_related = ["department"]
    autocomplete_fields = ["department"]
    ordering = ["department__code", "-year"]
