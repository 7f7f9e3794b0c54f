"""The deadlines of the departments' years, which the bell reminds of."""

from django.contrib import admin

from declarations.forms.base import DateField, TextForm, YearField
from declarations.models import Deadline


class DeadlineForm(TextForm):
    """The year and the day read as everywhere else (declarations.fields)."""

    class Meta:
        field_classes = {"year": YearField, "due": DateField}


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    form = DeadlineForm
    list_display = ["department", "year", "due"]
    list_filter = ["year"]
    search_fields = ["department__code", "department__name"]
    list_select_related = ["department"]
    autocomplete_fields = ["department"]
    ordering = ["department__code", "-year"]
