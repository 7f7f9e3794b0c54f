"""Text as it enters the app, from a form, an import or the admin: line
breaks made plain and control characters dropped.

Word pastes a line break as \\v, Excel keeps \\x0b and \\x1f in cells, and a
browser sends CRLF: stored as they came, they broke the Excel export for
everyone (openpyxl refuses 28 of the 33 control characters) and a NUL made
PostgreSQL refuse the whole statement. Tabs stay. A lone surrogate (a JSON
cell's \\ud800, a broken paste) goes too: no UTF-8 can write it.
"""

import re

# The longest text each free-text field takes, so that printing stays
# bounded (600,000 characters in 资金用途 took 80 s to print) and a table
# stays a table: a printed page holds about 1,800 characters.
TEXT_LIMITS = {
    "fund_use": 2000,  # 资金用途
    "duties": 3000,  # 部门职能职责概述
    "goal": 500,  # one 年度总体目标
    "description": 500,  # 绩效指标描述
    "explanation": 500,  # 指标解释
    "scoring": 500,  # 评分标准
    "overall": 3000,  # the department's 总体绩效目标
    "goal_item": 1000,  # a 分项绩效目标 and its 绩效指标
    "measure": 1000,  # a 工作保障措施
    "comment": 2000,  # a reviewer's opinion or reason
    "row_comment": 1000,  # a reviewer's comment on one row
}

_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Line breaks as \\n, no other control character, no lone surrogate."""
    return _CONTROLS.sub("", _BREAKS.sub("\n", value))


def clean_value(value):
    """A submitted value: a string, a list of strings, or anything else as is."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_text(v) if isinstance(v, str) else v for v in value]
    return value


# Numbering people type or paste before a goal; the printed table numbers
# goals itself (1、 or 目标1：), so a kept number would print twice. A number
# followed by a decimal point and a digit (1.5万人次) is part of the goal.
_ITEM_NUMBER = re.compile(
    r"^\s*(?:"
    r"[（(]\s*[0-9一二三四五六七八九十]{1,3}\s*[)）]"  # （1） (一)
    r"|[0-9]{1,3}\s*(?:[、)）]|[.．](?![0-9]))"  # 1、 1. 1)
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"  # 一、
    r"|[①-⑳]"  # ①
    r"|目标\s*[0-9一二三四五六七八九十]{1,3}\s*[:：、.．]?"  # 目标1：
    r")\s*"
)


def without_number(line: str) -> str:
    """A goal or measure without the number typed before it."""
    return _ITEM_NUMBER.sub("", line, count=1).strip()


def item_lines(text: str) -> list[str]:
    """The goals (or measures) in a text: one a line, numbers taken off,
    blank lines dropped. Four numbered lines pasted into one box are four."""
    return [without_number(line) for line in text.splitlines() if line.strip()]
