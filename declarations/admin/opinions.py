"""The review checklist (四性审核) in the admin: each question with the
ready opinions a reviewer picks from beside it."""

from django.contrib import admin
from django.db.models import Count

from declarations.forms.base import TextForm
from declarations.models import OpinionTemplate, ReviewQuestion


class OpinionTemplateInline(admin.TabularInline):
    model = OpinionTemplate
    form = TextForm
    extra = 1
    fields = ["position", "text", "active"]


@admin.register(ReviewQuestion)
class ReviewQuestionAdmin(admin.ModelAdmin):
    form = TextForm
    list_display = ["text", "aspect", "position", "active", "opinion_count"]
    list_display_links = ["text"]
    list_editable = ["position", "active"]
    list_filter = ["aspect", "active"]
    search_fields = ["text", "opinions__text"]
    fields = ["aspect", "text", "position", "active"]
    inlines = [OpinionTemplateInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(opinion_count=Count("opinions"))

    @admin.display(description="意见模板数", ordering="opinion_count")
    def opinion_count(self, question):
        return question.opinion_count
