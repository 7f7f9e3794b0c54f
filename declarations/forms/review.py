"""审核: the reviewer's decision, grade, opinion and comments on rows."""

from django import forms

from declarations.forms.base import CleanForm
from declarations.models import Grade
from declarations.text import clean_text

ROW_COMMENT_PREFIX = "row_comment_"


class ReviewForm(CleanForm):
    decision = forms.ChoiceField(
        choices=[("return", "退回修改"), ("approve", "审核通过")],
        error_messages={"required": "请选择退回修改或审核通过。"},
    )
    grade = forms.ChoiceField(
        label="综合评定等级",
        choices=Grade.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label="总体意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "approve" and not cleaned.get("grade"):
            self.add_error("grade", "审核通过时请选择综合评定等级。")
        return cleaned

    def row_comments(self) -> dict[int, str]:
        """The comments typed beside indicator rows, by 1-based row number."""
        return row_comments(self.data)


def row_comments(data) -> dict[int, str]:
    comments = {}
    for key, value in data.items():
        number = key.removeprefix(ROW_COMMENT_PREFIX)
        # ASCII digits only: "²".isdigit() is true and int("²") fails.
        if key.startswith(ROW_COMMENT_PREFIX) and number.isascii() and number.isdigit():
            comments[int(number)] = clean_text(value)
    return comments
