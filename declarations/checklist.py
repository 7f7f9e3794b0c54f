"""The review checklist (四性审核) a reviewer ticks on the review page: the
questions and ready opinions an administrator keeps in the admin, grouped
by aspect; the answers a question takes; and the ready comments that the
checks' findings offer beside their rows."""

import re
from dataclasses import dataclass

from django.db.models import Prefetch

from declarations.models import Aspect, OpinionTemplate, ReviewQuestion
from indicators.checks import Finding

# What a reviewer answers to each question.
ANSWERS = ("是", "否", "部分", "不适用")


@dataclass(frozen=True)
class AspectGroup:
    aspect: str  # an Aspect value
    label: str  # 完整性 …
    questions: list[ReviewQuestion]  # each with .ready_opinions


def active_checklist() -> list[AspectGroup]:
    """The active questions, each with its active opinions, by aspect in the
    order of the four questions (完整性, 相关性, 适当性, 可行性)."""
    questions = ReviewQuestion.objects.filter(active=True).prefetch_related(
        Prefetch(
            "opinions",
            queryset=OpinionTemplate.objects.filter(active=True),
            to_attr="ready_opinions",
        )
    )
    by_aspect: dict[str, list[ReviewQuestion]] = {}
    for question in questions:
        by_aspect.setdefault(question.aspect, []).append(question)
    return [
        AspectGroup(aspect, label, by_aspect[aspect])
        for aspect, label in Aspect.choices
        if aspect in by_aspect
    ]


# A check speaks to the preparer ("…可以忽略这条提醒"); a reviewer's comment
# asks for the point to be looked at again.
_SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")


def ready_comment(finding: Finding) -> str:
    """A finding as a reviewer would write it beside its row."""
    sentences = [
        s for s in _SENTENCE.findall(finding.message) if s.strip() and "忽略" not in s
    ]
    text = "".join(sentences).strip().rstrip("。；，！？")
    return f"{text}。" if "请" in text else f"{text}，请核实。"


def ready_row_comments(table) -> dict[int, list[str]]:
    """The ready comments of each indicator row with findings, by its 1-based
    number (TableRow.number)."""
    return {
        item.number: [ready_comment(f) for f in item.findings]
        for item in table
        if item.findings
    }
