"""Reading one Word table as a declaration: the labels of its upper part
and the values beside them, as people write them (merged down, left empty
below, repeated on each row), the amounts under 中期/年度 heads, the split of
the department-wide budget, and then its indicator block.

A table is a performance table when it has an indicator block or a goals
cell (绩效目标, 年度目标 …) with its value; a 项目名称 and a 预算数 alone do not
make one (政府采购 and 项目支出 tables have those too). Others are skipped
and listed; one that speaks of targets but cannot be read is kept, with
the trouble, for the preview to show as a problem.
"""

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from declarations.text import item_lines
from declarations.wordfiles.found import Found, RowKind, Seen, Skipped, Unplaced
from declarations.wordfiles.indicator_block import (
    Block,
    end_block,
    indicator_header,
    read_indicator,
    row_text,
    shortened,
)
from declarations.wordfiles.labels import (
    CODE_AT_END,
    CODE_IN_BRACKETS,
    COLUMN_HEADS,
    FIELD_LABELS,
    FORM_ROWS,
    FRAME_LABELS,
    HEADED_ROWS,
    HEADING,
    INLINE_TOTAL,
    LOOKED_AT,
    MONEY_UNIT,
    MONTH,
    SIGNATURE,
    SPLIT_HEADERS,
    SPLIT_LINE,
    UNIT_LINE,
    label,
    matched,
    unit_pieces,
)
from declarations.wordfiles.reading import Cell, Table

if TYPE_CHECKING:
    from declarations.wordfiles.recognise import WordBook


@dataclass
class _Top:
    """Where the rows above the indicator block have got to."""

    plan_months: list[int] = field(default_factory=list)
    plan_label: str = ""  # 资金支出计划（%）, which a row may repeat
    # The field whose text goes on in the rows below its label (资金用途,
    # 绩效目标) while their first cell is empty, merged or the label again.
    carry: str = ""
    carry_label: str = ""


def read_table(number: int, table: Table, seen: Seen, book: "WordBook"):
    found = Found(number=number, kind="project", heading_name=seen.heading_name)
    found.unit_code, found.unit_name = seen.unit_code, seen.unit_name
    found.in_yuan = seen.in_yuan
    placed: set[tuple[int, int]] = set()  # (row, index of the cell)
    block: Block | None = None
    top = _Top()
    splits: dict[int, str] = {}  # grid column -> income_split / spending_split
    heads: dict[int, str] = {}  # grid column -> term / year
    for r, row in enumerate(table.rows):
        if block is not None:
            read_indicator(found, row, block, r, placed)
            continue
        header = indicator_header(row)
        if header is not None:
            block = Block(header)
            placed.update((r, i) for i in range(len(row)))
            found.row_kinds.append(RowKind(r + 1, "head", row_text(row)))
            continue
        if new_heads := column_heads(row):
            heads = new_heads
            if any(label(c.text) == "项目资金元" for c in row):
                found.in_yuan = True
            placed.update(
                (r, i)
                for i, cell in enumerate(row)
                if cell.continued
                or label(cell.text) in COLUMN_HEADS
                or label(cell.text) in FRAME_LABELS | {"总体目标"}
                or not cell.text
            )
            continue
        if heads and _read_under_heads(found, row, heads, r, placed):
            continue
        heads = {}
        if splits and _read_splits(found, row, splits, r, placed):
            continue  # the split may go on in the row below
        splits = {}
        for i, cell in enumerate(row):
            if name := SPLIT_HEADERS.get(label(cell.text)):
                splits[cell.column] = name
                placed.add((r, i))
                found.kind = "department_wide"
            elif total := INLINE_TOTAL.match(cell.text):
                found.fields.setdefault("total", total["amount"].replace(",", ""))
                placed.add((r, i))
            elif matched(SIGNATURE, cell.text):
                placed.add((r, i))
        _read_labels(found, r, row, placed, top)
    if block is not None:
        end_block(found, block)
    if block is None and not found.goals and not found.term_goals:
        if not speaks_of_targets(table):
            # 机构设置, 收支预算, 三公经费, 政府采购 …: a 项目名称 and a 预算数
            # alone do not make a performance table.
            book.skipped.append(Skipped(number, opening_cells(table)))
            return
        # It speaks of 绩效目标 or 指标值 but could not be read: a problem
        # the preview shows, never a table passed over in silence.
        found.trouble = (
            "这个表格写有“绩效目标”或“指标值”，但没有找到绩效目标栏（绩效目标、"
            "年度目标等）或一级、二级、三级指标的表头，无法读取。请核对表格，"
            "或在预览中不导入这个表格。"
        )
    if "duties" in found.fields:
        found.kind = "department_wide"
    if "department" not in found.fields and CODE_IN_BRACKETS.search(
        found.fields.get("department_name", "")[-LOOKED_AT:]
    ):
        found.fields["department"] = found.fields.pop("department_name")
    if "department" in found.fields:
        department = found.fields.pop("department")
        code = CODE_AT_END.search(department, max(0, len(department) - LOOKED_AT))
        found.fields["department_name"] = (
            department[: code.start()].strip(" 　-（(") if code else department
        )
        if code:
            found.fields["department_code"] = code[1]
        found.kind = "central"
    book.found.append(found)
    for r, row in enumerate(table.rows):
        for i, cell in enumerate(row):
            if (r, i) not in placed and cell.text and not cell.continued:
                book.unplaced.append(Unplaced(number, r + 1, cell.text))


def column_heads(row: list[Cell]) -> dict[int, str]:
    """中期资金总额 | 年度资金总额 (or 中期目标 | 年度目标) heading columns."""
    heads = {
        cell.column: COLUMN_HEADS[label(cell.text)]
        for cell in row
        if not cell.continued and label(cell.text) in COLUMN_HEADS
    }
    return heads if len(heads) >= 2 else {}


def _under(cell: Cell, heads: dict[int, str]) -> str | None:
    """What the head of a column the cell covers names, if any."""
    return next((name for column, name in heads.items() if cell.covers(column)), None)


def _read_under_heads(found: Found, row: list[Cell], heads, r, placed) -> bool:
    """A row of amounts or goals under the heads: whether it was one."""
    labels = [label(c.text) for c in row if not c.continued and c.text]
    names = next((HEADED_ROWS[t] for t in labels if t in HEADED_ROWS), None)
    if names is None and not any(c.continued for c in row):
        return False
    names = names or HEADED_ROWS[""]
    year_field, term_field = names
    for i, cell in enumerate(row):
        role = _under(cell, heads)
        if role is None or cell.continued:
            if cell.continued or label(cell.text) in HEADED_ROWS:
                placed.add((r, i))
            continue
        placed.add((r, i))
        target = year_field if role == "year" else term_field
        if target == "goals":
            found.goals = "\n".join(item_lines(cell.text))
        elif target == "term_goals":
            found.term_goals = "\n".join(item_lines(cell.text))
        else:
            found.fields[target] = cell.text
    return True


# What a line of the split by spending names (the others split by income).
SPENDING = ("基本支出", "项目支出")


def _read_splits(found: Found, row: list[Cell], splits, r, placed) -> bool:
    """The amounts under 按收入性质分 and 按支出性质分, as the spreadsheet
    writes them: 公共财政拨款:834.02；… A cell under both heads (or a row
    of its own below them) is the split its lines name: 基本支出 and 项目支出
    are by spending. Whether the row held any."""
    read = False
    for i, cell in enumerate(row):
        if cell.continued or _under(cell, splits) is None and cell.span == 1:
            continue
        items = [
            (m["label"].strip(), m["amount"].replace(",", ""))
            for line in re.split(r"[\n；;]", cell.text)
            if (m := matched(SPLIT_LINE, line))
        ]
        if not items:
            continue
        heads = {name for column, name in splits.items() if cell.covers(column)}
        if len(heads) != 1:
            spending = any(word in label for label, _ in items for word in SPENDING)
            heads = {"spending_split" if spending else "income_split"}
        (name,) = heads
        text = "；".join(f"{label}:{amount}" for label, amount in items)
        before = found.fields.get(name)
        found.fields[name] = f"{before}；{text}" if before else text
        placed.add((r, i))
        read = True
    return read


def opening_cells(table: Table) -> str:
    """The first cells of a table with text, as the preview names it by."""
    texts = []
    for row in table.rows[:4]:
        texts += [c.text for c in row if c.text and not c.continued]
        if len(texts) >= 4:
            break
    return shortened("、".join(texts[:4]), 80) or "（空表格）"


TARGET_WORDS = ("绩效目标", "指标值", "绩效指标")


def speaks_of_targets(table: Table) -> bool:
    return any(
        word in cell.text[:LOOKED_AT]
        for row in table.rows
        for cell in row
        for word in TARGET_WORDS
    )


def _takes_on(row: list[Cell], label_text: str) -> bool:
    """The row goes on under the label of the rows above: its first cell is
    empty, merged from above or the same label written again."""
    first = row[0]
    return first.continued or not first.text or label(first.text) == label_text


def _read_labels(found, r, row, placed, top: _Top) -> None:
    """The label cells of a row and the values beside them."""
    texts = [label(c.text) for c in row]
    if top.plan_months and row and _takes_on(row, top.plan_label):
        # The percentages under the months of the row above.
        values = [c for c in row[1:] if not c.continued]
        for month, cell in zip(top.plan_months, values, strict=False):
            found.plan.append([month, cell.text.rstrip("%％").strip() or None])
        placed.update((r, i) for i in range(len(row)))
        top.plan_months = []
        return
    top.plan_months = []
    if top.carry and row and _takes_on(row, top.carry_label):
        rest = [(i, c) for i, c in enumerate(row) if i and c.text and not c.continued]
        if rest and not any(
            texts[i] in FIELD_LABELS or texts[i] in FRAME_LABELS for i, _ in rest
        ):
            # 资金用途 or a goal on a row of its own below its label.
            placed.update((r, i) for i in range(len(row)))
            for _, cell in rest:
                _carry_on(found, top.carry, cell.text)
            return
    if row and row[0].text and not row[0].continued:
        top.carry = ""
    for i, cell in enumerate(row):
        text = texts[i]
        if cell.continued:
            placed.add((r, i))
            continue
        if text in FRAME_LABELS and text.endswith("元") and not text.endswith("万元"):
            found.in_yuan = True  # 项目资金（元）
        if text == "预算规模及资金用途":
            top.carry, top.carry_label = "fund_use", text
        if text in FRAME_LABELS or text.startswith("资金支出计划"):
            placed.add((r, i))
            if text.startswith("资金支出计划"):
                rest = [c for c in row[i + 1 :] if c.text]
                months = [MONTH.match(c.text) for c in rest]
                if months and all(months):
                    placed.update((r, j) for j in range(i + 1, len(row)))
                    top.plan_months = [int(m[1]) for m in months]
                    top.plan_label = text
                    return
            continue
        if _unit_row(found, r, row, i, placed):
            continue
        if (heading := matched(HEADING, cell.text)) and not found.heading_name:
            found.heading_name = heading["name"]
            placed.add((r, i))
            continue
        if text in FORM_ROWS:
            placed.update((r, j) for j in range(len(row)))
            return
        name = FIELD_LABELS.get(text)
        if name is None or (r, i) in placed:
            continue
        placed.add((r, i))
        if name in ("goals", "fund_use"):
            top.carry, top.carry_label = name, text
        value = ""
        for j in range(i + 1, len(row)):
            # The value is the first filled cell before the next label
            # (merged layouts leave empty cells between them).
            following = texts[j]
            if following in FIELD_LABELS or following in FRAME_LABELS:
                break
            placed.add((r, j))
            if row[j].text and not row[j].continued:
                value = row[j].text
                break
        if name == "goals":
            found.goals = "\n".join(item_lines(value))  # 1、 目标1： taken off
        else:
            found.fields.setdefault(name, value)


def _carry_on(found: Found, name: str, text: str) -> None:
    if name == "goals":
        lines = item_lines(text)
        found.goals = "\n".join([*filter(None, [found.goals]), *lines])
    else:
        before = found.fields.get(name, "")
        found.fields[name] = f"{before}\n{text}" if before else text


def _unit_row(found: Found, r: int, row: list[Cell], i: int, placed) -> bool:
    """A cell of the unit line written in the table, before its labels:
    `450002秦皇岛市…局`, `单位：万元`, or both in one cell."""
    if found.fields or any(label(c.text) in FIELD_LABELS for c in row):
        return False
    pieces = unit_pieces(row[i].text)
    units = [matched(UNIT_LINE, p) for p in pieces]
    money = [matched(MONEY_UNIT, p) for p in pieces]
    if not pieces or not all(u or m for u, m in zip(units, money, strict=True)):
        return False
    for unit, amount in zip(units, money, strict=True):
        if amount:
            found.in_yuan = amount["unit"] == "元"
        elif unit and not found.unit_code:
            found.unit_code, found.unit_name = unit["code"], unit["name"]
    placed.add((r, i))
    return True
