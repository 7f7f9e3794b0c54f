"""The indicator block of a performance table, row by row: each row is the
head (again, after a page break), an indicator, the rest of the row above,
a note, a spare row or the form's own text (综合评定等级 …).

A note is a row whose one cell spans the block from the 三级指标 on (a
policy document's name, a basis written once): it belongs to the rows above
it up to the head or the previous note, fills their 指标值确定依据 where it
is empty and follows it after a "；" where not, and is never an indicator
whose text the rows below would inherit as their 一级指标.
"""

from dataclasses import dataclass, field

from declarations.spreadsheet import columns
from declarations.wordfiles.found import Found, RowKind
from declarations.wordfiles.labels import (
    FORM_ROWS,
    LEVEL_NOTE,
    NUMBERED,
    ROW_LABELS,
    label,
)
from declarations.wordfiles.reading import Cell


@dataclass
class Block:
    """An indicator block being read."""

    header: dict[int, str]  # grid column -> row field
    start: int = 0  # the first row of found.rows since the head or a note
    last_note: str = ""
    waiting_notes: list[str] = field(default_factory=list)  # before any row


def indicator_header(row: list[Cell]) -> dict[int, str] | None:
    header = {}
    for cell in row:
        name = ROW_LABELS.get(label(cell.text))
        if name is None and label(cell.text).startswith("指标值"):
            name = "basis" if "依据" in cell.text else "value"
        if name:
            header[cell.column] = name
    wanted = {"level1", "level2", "level3"}
    return header if wanted <= set(header.values()) else None


def row_text(row: list[Cell]) -> str:
    """A row's cells, each once, for a person to find the row by."""
    text = " | ".join(c.text for c in row if c.text and not c.continued)
    return shortened(text, 60)


def shortened(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "…"


def read_indicator(found: Found, row: list[Cell], block: Block, r, placed):
    """One row of an indicator block, classified (see ROW_KINDS)."""
    header = block.header

    def kind(name: str) -> None:
        found.row_kinds.append(RowKind(r + 1, name, row_text(row)))

    if indicator_header(row) is not None:  # the head again, after a split
        placed.update((r, i) for i in range(len(row)))
        kind("head")
        return
    if any(label(cell.text) in FORM_ROWS for cell in row):
        placed.update((r, i) for i in range(len(row)))  # 综合评定等级 □ …
        kind("form")
        return
    texts = [c for c in row if c.text and not c.continued]
    if not texts:
        placed.update((r, i) for i in range(len(row)))  # a spare row
        kind("spare")
        return
    if (note := _note_of(texts, header)) is not None:
        placed.update((r, i) for i in range(len(row)))
        kind("note")
        _add_note(found, block, note)
        return
    values, cells = {}, {}
    for column, name in header.items():
        for i, cell in enumerate(row):
            if cell.covers(column):
                # A merge that began on a note row is not the row's own.
                from_note = cell.continued and cell.text == block.last_note
                values[name] = "" if from_note else cell.text
                cells[name] = cell
                placed.add((r, i))
                break
    own = {
        name: text
        for name, text in values.items()
        if text and not (cells[name].continued)
    }
    if found.rows[block.start :] and not (
        values.get("value") or own.get("level3") or own.get("operator")
    ):
        # The rest of the row above (a cell's text cut by a page break, or
        # written on a row of its own): it goes on in the row above.
        above = found.rows[-1]
        keys = [c.key for c in columns.ROW]
        for name, text in own.items():
            if name in keys and name not in ("level1", "level2"):
                at = keys.index(name)
                above[at] = f"{above[at]}\n{text}" if above[at] else text
            elif name in found.more[-1]:
                found.more[-1][name] = f"{found.more[-1][name]}\n{text}"
            elif name not in ("level1", "level2"):
                found.more[-1][name] = text
        kind("continuation")
        return
    operator, unit = values.pop("operator", "").strip(), values.pop("unit", "").strip()
    if operator or unit:  # ≥ | 90 | % is stored as ≥90%; 定性 is no operator
        operator = "" if operator == "定性" else operator
        values["value"] = f"{operator}{values.get('value', '').strip()}{unit}"
    for name in ("level1", "level2"):
        values[name] = LEVEL_NOTE.sub("", values.get(name, ""))
    values["level3"] = NUMBERED.sub("", values.get("level3", ""))
    if found.rows:
        # Left blank under the row above: a merge that a page break cut
        # (Word keeps the text above it), or one drawn without merging. A
        # 二级 left blank goes on under the same 一级 only.
        above = dict(zip([c.key for c in columns.ROW], found.rows[-1], strict=True))
        values["level1"] = values["level1"] or above["level1"]
        if not values["level2"] and values["level1"] == above["level1"]:
            values["level2"] = above["level2"]
    found.rows.append([values.get(c.key, "") for c in columns.ROW])
    found.more.append(
        {c.key: values[c.key] for c in columns.ROW_MORE if c.key in values}
    )
    kind("indicator")


def _note_of(texts: list[Cell], header: dict[int, str]) -> str | None:
    """The text of a note row: one cell of its own spanning the block's
    columns from the 三级指标 (or 指标值) on, as a policy document's name or
    a basis written once for the rows above."""
    if len(texts) != 1:
        return None
    cell = texts[0]
    wanted = [c for c, name in header.items() if name in ("level3", "value")]
    covered = [c for c in header if cell.covers(c)]
    if len(covered) >= 2 and all(cell.covers(c) for c in wanted):
        return cell.text
    return None


def _add_note(found: Found, block: Block, note: str) -> None:
    """A note belongs to the rows above it, up to the head or the previous
    note: it fills their 指标值确定依据 where empty and follows it after a
    "；" where not. A note before any row goes to the rows below it."""
    block.last_note = note
    rows = found.rows[block.start :]
    if not rows:
        block.waiting_notes.append(note)
        return
    for text in [*block.waiting_notes, note]:
        _note_into(rows, text)
    block.waiting_notes = []
    block.start = len(found.rows)


def _note_into(rows: list[list[str]], note: str) -> None:
    at = [c.key for c in columns.ROW].index("basis")
    for row in rows:
        row[at] = f"{row[at]}；{note}" if row[at] else note


def end_block(found: Found, block: Block) -> None:
    rows = found.rows[block.start :] or found.rows
    for note in block.waiting_notes:
        if rows:
            _note_into(rows, note)
        else:  # a block of notes alone: kept where the preview shows them
            found.trouble = found.trouble or (
                f"指标表中只有说明“{shortened(note, 30)}”，没有指标。"
            )
