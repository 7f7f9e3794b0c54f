"""Where a layout's fields are entered and printed: each own field's entry
step, every {placeholder} a known field, every field printed one that the
entry pages of its kind ask for, every row of a grid as wide as its table.

These checks came after layouts were stored: `read(…, stored=True)` does
not refuse a stored version for them (its declarations keep printing).
"""

from dataclasses import replace
from typing import TYPE_CHECKING

from declarations.layouts.catalogue import (
    BASIC,
    ENTRY_STEPS,
    HEADER_FIELDS,
    OWN_FIELD_STEPS,
)

if TYPE_CHECKING:
    from declarations.layouts.definition import OwnField, _Reader


def placeholders(text: str) -> list[str]:
    out, rest = [], text
    while "{" in rest and "}" in rest.split("{", 1)[1]:
        name, rest = rest.split("{", 1)[1].split("}", 1)
        out.append(name)
    return out


# Placeholders text may name beside the header fields.
CONTEXT_NAMES = {"money_unit", "unit_code", "unit_name", "year"}
# The two years before the declaration's (a costing table's 实际执行数 of
# past years): accepted in a definition, printed by the renderers.
PAST_YEARS = {"year-1", "year-2"}


def year_of(name: str, year: int) -> str | None:
    """{year}, {year-1} or {year-2} of a declaration of `year`, or None for
    any other name."""
    if name == "year" or name in PAST_YEARS:
        return str(year + int(name.removeprefix("year") or 0))
    return None


def fill_years(text: str, year: int) -> str:
    """A label with its {year}, {year-1} and {year-2} filled; any other
    {placeholder} is left as written."""
    for name in ("year", *sorted(PAST_YEARS)):
        text = text.replace("{" + name + "}", year_of(name, year))
    return text


KIND_NAMES = {"project": "项目支出", "department_wide": "部门整体支出"}
GUIDE = "（可用的栏目见“样式定义说明”页）"


def _step_name(kind: str, step: str) -> str:
    label = ENTRY_STEPS[kind].get(step)
    return f"“{label}”（{step}）" if label else f"“{step}”"


def _own_steps(kind: str) -> str:
    return "、".join(f"{ENTRY_STEPS[kind][s]}（{s}）" for s in OWN_FIELD_STEPS[kind])


def entry_steps(r: "_Reader", kind: str, own: list["OwnField"], parts) -> list:
    """Each own field with the step whose page asks for it: its own
    ``step``, else the one a line printing it names (a signature line's
    填报人 may be entered beside the goals), else 基本信息. A step whose page
    shows no own fields is refused, as are two steps for one field."""
    lines: dict[str, str] = {}  # own key: the step a line printing it names
    by_key = {f.key: f for f in own}
    for number, part in parts:
        if part.kind != "line":
            continue
        step = part.step or BASIC
        if step not in OWN_FIELD_STEPS[kind]:
            r.refuse(
                f"第 {number} 部分（文字行）的 step 是{_step_name(kind, step)}，"
                f"这个步骤不显示自定义栏目；可用的步骤：{_own_steps(kind)}"
            )
            continue
        for name in dict.fromkeys(n for t in part.items for n in placeholders(t)):
            if name not in by_key or not part.step:
                continue  # a line naming no step leaves its fields where they are
            given = by_key[name].step or lines.setdefault(name, step)
            if given != step:
                r.refuse(
                    f"自定义栏目“{by_key[name].label}”（{name}）要在"
                    f"{_step_name(kind, given)}步骤填写，第 {number} 部分的文字行"
                    f"却写在{_step_name(kind, step)}步骤；请把两处的 step 写成一样"
                )
    placed = []
    for own_field in own:
        step = own_field.step or lines.get(own_field.key, BASIC)
        if step not in OWN_FIELD_STEPS[kind]:
            r.refuse(
                f"自定义栏目“{own_field.label}”（{own_field.key}）放在了"
                f"{_step_name(kind, step)}步骤，这个步骤不显示自定义栏目；"
                f"可用的步骤：{_own_steps(kind)}"
            )
        placed.append(replace(own_field, step=step))
    return placed


def check_placed(r: "_Reader", kind: str, own: list["OwnField"], parts):
    """Every field the layout prints is one the entry pages ask for: a
    {placeholder} names a field, and a field of the system is one this kind
    of declaration enters."""
    own_keys = {f.key for f in own}
    refused = set()
    for where, text, names in _placements(parts):
        for name in dict.fromkeys(names):
            spec = HEADER_FIELDS.get(name)
            if name in CONTEXT_NAMES | PAST_YEARS or name in own_keys:
                continue
            if spec is None and text is not None:
                r.refuse(
                    f"{where}的文字“{text}”中的 {{{name}}} 不是任何栏目，"
                    f"也不是 fields 中定义的自定义栏目{GUIDE}"
                )
            elif spec is not None and spec.step and kind not in spec.kinds:
                if name in refused:
                    continue
                refused.add(name)
                r.refuse(
                    f"{where}的“{spec.label}”（{name}）在{KIND_NAMES[kind]}的"
                    "录入页上没有地方填写，打印出来会是空的；请删去，"
                    "或在 fields 中定义一个自定义栏目代替"
                )


def _placements(parts):
    """Where each printed text or field is, in words: (where, the text or
    None for a field cell, the field names it prints)."""
    for number, part in parts:
        at = f"第 {number} 部分"
        if part.kind in {"heading", "title", "subtitle"}:
            yield at, part.text, placeholders(part.text)
        for m, item in enumerate(part.items if part.kind == "line" else (), 1):
            yield f"{at}第 {m} 项", item, placeholders(item)
        for m, row in enumerate(part.rows, 1):
            for k, cell in enumerate(row, 1):
                spot = f"{at}第 {m} 行第 {k} 格"
                if cell.field:
                    yield spot, None, [cell.field]
                for text in (cell.label, cell.text):
                    yield spot, text, placeholders(text)


def check_spans(r: "_Reader", part: str, rows, width: int):
    """Each row of a grid fills the table's width: its cells' spans and the
    columns that cells above, spanning several rows, hold in it."""
    held: list[int] = []  # a column held from above: the rows it still holds
    for m, row in enumerate(rows, 1):
        filled = len(held) + sum(cell.span for cell in row)
        if not width:  # no widths given: the first row sets the width
            width = filled
        if filled != width:
            above = f"（其中 {len(held)} 列由上面的格子跨行占用）" if held else ""
            r.refuse(
                f"{part}第 {m} 行共占 {filled} 列{above}，表格有 {width} 列；"
                "请调整这一行的 span（或上面格子的 rows）"
            )
        held = [n - 1 for n in held if n > 1]
        for cell in row:
            held += [cell.rows - 1] * cell.span if cell.rows > 1 else []
    for m, row in enumerate(rows, 1):
        for k, cell in enumerate(row, 1):
            if cell.rows > len(rows) - m + 1:
                r.refuse(
                    f"{part}第 {m} 行第 {k} 格向下跨 {cell.rows} 行（rows），"
                    f"但连同本行只剩 {len(rows) - m + 1} 行"
                )
