"""Part one of a department's book, 部门整体绩效目标: its 总体绩效目标,
分项绩效目标 (each with its 绩效指标) and 工作保障措施, read from the
paragraphs under its heading, whichever heading the book uses (第一部分 …,
第五部分 → 一、部门整体绩效目标)."""

import re
from dataclasses import dataclass, field

from declarations.text import without_number
from declarations.wordfiles.labels import LOOKED_AT, matched
from declarations.wordfiles.reading import Table


@dataclass
class PartOne:
    """第一部分 部门整体绩效目标 of a book."""

    overall: list[str] = field(default_factory=list)  # 总体绩效目标, a paragraph each
    items: list[str] = field(default_factory=list)  # 分项绩效目标
    measures: list[str] = field(default_factory=list)  # 工作保障措施
    # The indicators written under an item, by the item's index.
    indicators: dict[int, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.overall or self.items or self.measures)


# The three sections of part one, as books number them: （一）总体绩效目标：…
PART_ONE_SECTIONS = [
    (
        "overall",
        re.compile(
            r"^[（(]?[一1][）)、.]?\s*总体(绩效)?目标\s*[:：]?\s*(?P<rest>.*)", re.S
        ),
    ),
    (
        "items",
        re.compile(
            r"^[（(]?[二2][）)、.]?\s*分项(绩效)?目标\s*[:：]?\s*(?P<rest>.*)", re.S
        ),
    ),
    (
        "measures",
        re.compile(
            r"^[（(]?[三3][）)、.]?\s*(工作)?保障措施\s*[:：]?\s*(?P<rest>.*)", re.S
        ),
    ),
]
# Part one's heading, as the books write it: 第一部分 部门整体绩效目标,
# 一、部门整体绩效目标 under 第五部分：预算绩效信息, 第一部分 alone.
PART_ONE = re.compile(
    r"^(第一部分\s*[:：]?\s*$|"
    r"(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,2}\s*[、.．]|"
    r"[（(][一二三四五六七八九十]{1,2}[）)])?\s*[:：]?\s*"
    r"(部门)?整体(支出)?绩效目标\s*$)"
)
# 续表, （续上表）: the caption of a table's second half.
CONTINUED = re.compile(r"^\s*[（(]?\s*续(上)?表\s*[）)]?\s*$")
# A line of a contents field Word has filled in: 第一部分 部门整体绩效目标 ⇥ 3.
TOC_LINE = re.compile(r"\t\s*\d+\s*$")
# Under a 分项绩效目标, the line of its indicators (as the export writes it).
ITEM_INDICATORS = re.compile(r"^\s*绩效指标\s*[:：]\s*(?P<text>.*)", re.S)
# What a printed book shows where a section was left empty.
NOT_FILLED = {"（未填写）", "(未填写)", "无", "（无）"}
# What ends part one: the next part, or the heading of the project tables.
PART_TWO = re.compile(
    r"^(第[一二三四五六七八九十]+部分|"
    r"([一二三四五六七八九十]{1,2}\s*[、.．]|[（(][一二三四五六七八九十]{1,2}[）)])"
    r"\s*\S{0,6}项目(支出)?绩效目标)"
)


def part_one(blocks) -> PartOne | None:
    """The book's part one, from its paragraphs before the first table."""
    found, section, inside = PartOne(), None, False
    for block in blocks:
        if isinstance(block, Table):
            if found:
                break  # the first project table
            continue  # a cover or contents laid out as a table
        if TOC_LINE.search(block.text[-LOOKED_AT:]):
            continue
        text = block.text.strip()
        if not inside and matched(PART_ONE, text):
            inside = True
            continue
        if inside and matched(PART_TWO, text):
            break
        if not inside or not text:
            continue
        for name, pattern in PART_ONE_SECTIONS:
            if match := pattern.match(text):
                section, text = name, match["rest"].strip()
                break
        if text in NOT_FILLED:
            continue
        if section == "items" and (indicators := ITEM_INDICATORS.match(text)):
            if found.items:
                found.indicators[len(found.items) - 1] = indicators["text"].strip()
            continue
        if section and (text := without_number(text)):
            getattr(found, section).append(text)
    return found or None
