"""审核: the reviewer's decision, grade, opinion, the review checklist
(四性审核) and comments on rows."""

from dataclasses import dataclass

from django import forms

from declarations.checklist import ANSWERS, AspectGroup
from declarations.fields import whole_number
from declarations.forms.base import CleanForm
from declarations.models import Grade
from declarations.text import TEXT_LIMITS, clean_text

ROW_COMMENT_PREFIX = "row_comment_"
MAX_ROW = 32767  # RowComment.row_number; rows past the table's are refused later
ANSWER_PREFIX, OPINION_PREFIX = "check-", "opinion-"


@dataclass(frozen=True)
class ChecklistItem:
    """One question of the checklist as the page shows it."""

    question: object  # ReviewQuestion, with .ready_opinions
    answer: forms.BoundField
    opinion: forms.BoundField


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

    def __init__(self, *args, checklist: list[AspectGroup] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = checklist
        for group in checklist:
            for question in group.questions:
                self._add_question(question)

    def _add_question(self, question):
        answers = "、".join(ANSWERS)
        self.fields[f"{ANSWER_PREFIX}{question.pk}"] = forms.ChoiceField(
            label=question.text,
            choices=[(a, a) for a in ANSWERS],
            required=False,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            error_messages={
                "invalid_choice": f"“{question.text}”只能选择{answers}，请重新选择。"
            },
        )
        self.fields[f"{OPINION_PREFIX}{question.pk}"] = forms.CharField(
            label=f"“{question.text}”的意见",
            required=False,
            max_length=TEXT_LIMITS["row_comment"],
            widget=forms.Textarea(
                attrs={
                    "rows": 1,
                    "class": "form-control form-control-sm",
                    "placeholder": "意见：点选上方常用意见，或直接填写",
                }
            ),
            error_messages={
                "max_length": f"“{question.text}”的意见最多 %(limit_value)d 字，"
                "现在有 %(show_value)d 字，请删减。"
            },
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "approve" and not cleaned.get("grade"):
            self.add_error("grade", "审核通过时请选择综合评定等级。")
        for question in self._questions():
            opinion = f"{OPINION_PREFIX}{question.pk}"
            answered = cleaned.get(f"{ANSWER_PREFIX}{question.pk}")
            if cleaned.get(opinion, "").strip() and not answered:
                self.add_error(
                    opinion,
                    f"写了意见的要点请先选择结论（{'、'.join(ANSWERS)}）："
                    f"“{question.text}”还没有选择。",
                )
        return cleaned

    def _questions(self):
        return [q for group in self.groups for q in group.questions]

    def checklist_items(self) -> list[tuple[AspectGroup, list[ChecklistItem]]]:
        """The checklist by aspect, each question with its two fields."""
        return [
            (
                group,
                [
                    ChecklistItem(
                        question=q,
                        answer=self[f"{ANSWER_PREFIX}{q.pk}"],
                        opinion=self[f"{OPINION_PREFIX}{q.pk}"],
                    )
                    for q in group.questions
                ],
            )
            for group in self.groups
        ]

    def checklist(self) -> list[dict]:
        """The questions answered, as the event keeps them."""
        answered = []
        for question in self._questions():
            answer = self.cleaned_data.get(f"{ANSWER_PREFIX}{question.pk}")
            if answer:
                opinion = self.cleaned_data.get(f"{OPINION_PREFIX}{question.pk}", "")
                answered.append(
                    {
                        "aspect": question.aspect,
                        "question": question.text,
                        "answer": answer,
                        "opinion": opinion.strip(),
                    }
                )
        return answered

    def row_comments(self) -> dict[int, str]:
        """The comments typed beside indicator rows, by 1-based row number."""
        return row_comments(self.data)


def row_comments(data) -> dict[int, str]:
    comments = {}
    for key, value in data.items():
        # ASCII digits within a row's range: "²".isdigit() is true and
        # int("²") fails, as int() does on 5,000 digits.
        number = whole_number(key.removeprefix(ROW_COMMENT_PREFIX), 1, MAX_ROW)
        if key.startswith(ROW_COMMENT_PREFIX) and number is not None:
            comments[number] = clean_text(value)
    return comments
