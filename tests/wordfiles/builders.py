"""Word files for the tests of the Word import, built with python-docx the way
Word lays out the tables that bureaus file.

Three sources:

- `docx_from_reference(path)`: a text extraction in tests/fixtures/reference/
  turned back into the Word document it was extracted from;
- `docx_from_table(table)`: one declaration from a dict of
  `declarations.demo.tables` (HEBEI_2020, CENTRAL_2023) laid out as the Hebei
  or the central form prints it;
- `docx_book(tables, part_one=…)`: a department's whole 部门预算绩效信息,
  part one and then every project table.

And `doc_bytes()`, the start of a Word 97 file, which the import must refuse
with a message in Chinese.

Every merge is written as python-docx's `merge` writes it, the XML Word
writes (w:gridSpan, w:vMerge), and python-docx reads a merged cell back as
one `_tc` in every grid position it covers.
"""

import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell

from declarations.demo.tables import HEBEI_PLAN, full_row

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "reference"

HEBEI = "hebei"
CENTRAL = "central"
DEFAULT_UNIT_LINE = "450002秦皇岛市北戴河区医疗保障局"
MONEY_UNIT = "单位：万元"
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")

# The reference book's table headings carry these anchors (_Toc41056480 for
# its first table); the built books number theirs the same way.
FIRST_TOC_BOOKMARK = 41056480

ATTRIBUTE_LABELS = {"continuing": "延续性项目", "new": "新增项目"}


def reference(prefix: str) -> Path:
    """The reference file whose name starts with `prefix` ("000", "002" …)."""
    (path,) = REFERENCE_DIR.glob(f"{prefix}_*.txt")
    return path


# --------------------------------------------------------------------------
# Writing: paragraphs and rectangular grids of (possibly merged) cells.


@dataclass
class GridCell:
    paragraphs: list[str]
    span: int = 1  # grid columns covered (w:gridSpan)
    table: "Grid | None" = None  # a table nested in the cell, instead of text


@dataclass
class Grid:
    """A Word table before it is written: rows of cells that each cover
    `span` grid columns, and the vertical merges to make."""

    width: int
    rows: list[list[GridCell]] = field(default_factory=list)
    # (grid column, first row, last row): the first row's cell is merged
    # down over the others, whose own cells stay empty as Word keeps them.
    merges: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, *cells) -> int:
        """Append a row of cells, each `text` or `(content, span)`, the
        content a text, a list of paragraphs or a Grid to nest in the cell;
        return the row's index."""
        row = []
        for cell in cells:
            text, span = (cell, 1) if isinstance(cell, str) else cell
            if isinstance(text, Grid):
                row.append(GridCell([], span, table=text))
            else:
                row.append(GridCell(text if isinstance(text, list) else [text], span))
        self.rows.append(row)
        return len(self.rows) - 1

    def merge_down(self, column: int, first: int, last: int) -> None:
        if last > first:
            self.merges.append((column, first, last))


class Writer:
    """A document being built; numbers its bookmarks as Word does, from 0."""

    def __init__(self):
        self.document = Document()
        self._bookmark_ids = itertools.count()

    def paragraph(
        self,
        text: str = "",
        *,
        style: str | None = None,
        bookmark: str | None = None,
        page_break: bool = False,
    ):
        paragraph = self.document.add_paragraph(style=style)
        if bookmark:
            # Word anchors a heading that the table of contents links to with
            # a bookmark around the heading's text (_Toc…).
            bookmark_id = str(next(self._bookmark_ids))
            start = OxmlElement(
                "w:bookmarkStart", {qn("w:id"): bookmark_id, qn("w:name"): bookmark}
            )
            paragraph._p.append(start)
        if text:
            paragraph.add_run(text)  # a "\t" becomes <w:tab/>, as Word has it
        if bookmark:
            paragraph._p.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): bookmark_id}))
        if page_break:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
        return paragraph

    def table(self, grid: Grid, *, into=None):
        """Write `grid` at the end of the document, or of the cell `into`."""
        container = self.document if into is None else into
        table = container.add_table(rows=len(grid.rows), cols=grid.width)
        table.style = "Table Grid"
        # python-docx finds a cell by counting grid positions along the rows,
        # so a row that does not fill the grid would shift every cell after it.
        for number, row in enumerate(grid.rows):
            if sum(cell.span for cell in row) != grid.width:
                raise ValueError(f"row {number} does not fill {grid.width} columns")
        # Merge as python-docx's `merge` does, without its walks over the
        # whole table for every merge: a horizontal merge is one w:tc with a
        # w:gridSpan, a vertical one a w:vMerge "restart" and a "continue"
        # in each row below (cells left empty, their text written after).
        rows = table._tbl.tr_lst
        for r, row in enumerate(grid.rows):
            for column, cell in _positioned(row):
                if cell.span > 1:
                    tc = rows[r].tc_at_grid_offset(column)
                    for _ in range(cell.span - 1):
                        swallowed = tc.getnext()
                        tc._add_width_of(swallowed)
                        rows[r].remove(swallowed)
                    tc.grid_span = cell.span
        covered = set()
        for column, first, last in grid.merges:
            for r in range(first, last + 1):
                merge = "restart" if r == first else "continue"
                rows[r].tc_at_grid_offset(column).vMerge = merge
            covered.update((r, column) for r in range(first + 1, last + 1))
        for r, row in enumerate(grid.rows):
            for column, cell in _positioned(row):
                if (r, column) in covered:
                    continue
                target = _cell(table, r, column)
                if cell.table is None:
                    _fill(target, cell.paragraphs)
                    continue
                # Word starts a cell that holds a table with the table, and
                # ends it with the paragraph every cell must end with.
                empty = target.paragraphs[0]._p
                self.table(cell.table, into=target)
                target._tc.remove(empty)
        return table

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _cell(table, r: int, column: int) -> _Cell:
    """The cell of row `r` at grid column `column`, found in that row alone
    (python-docx's `table.cell` walks the whole table each time)."""
    return _Cell(table._tbl.tr_lst[r].tc_at_grid_offset(column), table)


def _positioned(row: list[GridCell]):
    """Each cell of a row with the grid column it starts at."""
    column = 0
    for cell in row:
        yield column, cell
        column += cell.span


def _fill(cell, paragraphs: list[str]) -> None:
    # A new cell holds one empty paragraph, as Word's do; an empty cell keeps
    # it without a run.
    first, *rest = paragraphs or [""]
    if first:
        cell.paragraphs[0].add_run(first)
    for text in rest:
        cell.add_paragraph(text)


def _share(columns: int, cells: int) -> list[int]:
    """`columns` grid columns shared by `cells` cells as evenly as they go,
    the first ones taking what does not divide."""
    base, extra = divmod(columns, cells)
    return [base + (1 if i < extra else 0) for i in range(cells)]


# --------------------------------------------------------------------------
# The reference files.


@dataclass
class RefParagraph:
    text: str
    bookmark: str | None = None


@dataclass
class RefTable:
    rows: list[list[list[str]]]  # rows of cells of paragraphs
    # The unit line and 单位：万元 when the table opened with them.
    unit: list[str] | None = None


_BOOKMARK = re.compile(r"^\[bookmark: (?P<name>[^\]]+)\]")
_PARAGRAPH_MARK = re.compile(r"<p>(.*?)</p>", re.S)
_CHECKBOX = '<input type="checkbox"/>'
_MONEY_UNIT = re.compile(r"^\s*单位\s*[:：]")
HEADING_2 = re.compile(r"^\s*\d{1,3}\s*[、.．]\s*\S.*绩效目标(申报)?表\s*$")
HEADING_1 = re.compile(r"^\s*第[一二三四五六七八九十]+部分")
TITLE = re.compile(r"^\s*20\d{2}年.*绩效信息\s*$")


def _is_cell_line(line: str) -> bool:
    return line.startswith("\t") and line.count("\t") == 1


def _is_row_line(line: str) -> bool:
    return "\t" in line and not _is_cell_line(line)


def parse_reference(path) -> list[RefParagraph | RefTable]:
    """The paragraphs and tables of a reference file, read by these rules.

    The files come from two extractors.

    Cell per line (000_, 003_): each cell starts a line with a tab; a line
    right after it without a tab is another paragraph of that cell; a blank
    line ends a row, a second one the table, and further blank lines are empty
    paragraphs after it. Only the cell count can tell a row's end from an
    empty paragraph at the end of a cell (000_ writes `服务人群对工作人员满意度`
    then two blank lines, mid-row), so: before the header row (the row with a
    cell 一级指标) every blank line ends a row; after it a row ends only
    once it has as many cells as the header row, and the blank lines before
    that are empty paragraphs of the cell they follow. Of a run of blank
    lines that ends a row, the last ends it and the others are empty
    paragraphs of the row's last cell (003_ `项目支出：106万元` then three). A
    line without a tab after blank lines is outside the table: 000_'s lone
    " " between the goals and the 一级指标 header is the paragraph between the
    two Word tables of a split table. The last line of the file, if only
    spaces, is the paragraph Word always keeps after a final table.

    Row per line (002_): each line is a row, its cells separated by tabs
    (empty ones included); two or more such lines in a row make a table; a
    lone line with a tab (003_ `填报单位（盖章）：⇥单位负责人（签名）：`) is a
    paragraph with a tab in it. This extractor writes a cell's paragraphs as
    `<p>…</p>` and Word's check boxes as `<input type="checkbox"/>`: they
    become paragraphs and □ again.

    Outside tables each line is a paragraph, a blank one empty;
    `[bookmark: _Toc…]` before a line is Word's bookmark around it. A table
    that opens with a row of the unit line and 单位：万元 keeps them apart as
    `unit`: printed, they stand above the table.
    """
    text = Path(path).read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the file's last newline ends its last line
    blocks: list[RefParagraph | RefTable] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_cell_line(line):
            table, i = _cell_table(lines, i)
            blocks.append(table)
        elif _is_row_line(line) and i + 1 < len(lines) and (_is_row_line(lines[i + 1])):
            rows = []
            while i < len(lines) and _is_row_line(lines[i]):
                rows.append([_row_line_cell(c) for c in lines[i].split("\t")])
                i += 1
            blocks.append(RefTable(rows))
        else:
            bookmark = _BOOKMARK.match(line)
            if bookmark:
                blocks.append(RefParagraph(line[bookmark.end() :], bookmark["name"]))
            else:
                blocks.append(RefParagraph(line))
            i += 1
    return blocks


def _row_line_cell(text: str) -> list[str]:
    text = text.replace(_CHECKBOX, "□")
    return _PARAGRAPH_MARK.findall(text) or [text]


def _cell_table(lines: list[str], i: int) -> tuple[RefTable, int]:
    """The cell-per-line table starting at line `i`, and the line after it."""
    cells: list[list[str]] = []
    gaps: list[int] = []  # blank lines after each cell
    last = len(lines) - 1
    while i <= last:
        line = lines[i]
        if _is_cell_line(line):
            cells.append([line[1:]])
            gaps.append(0)
            i += 1
            while i <= last and lines[i] and "\t" not in lines[i]:
                if i == last and not lines[i].strip():
                    break  # Word's paragraph after the final table
                cells[-1].append(lines[i])
                i += 1
            continue
        if line == "":
            end = i
            while end <= last and lines[end] == "":
                end += 1
            if end <= last and _is_cell_line(lines[end]):
                gaps[-1] = end - i
                i = end
                continue
            # The table ends: one blank line ends its last row, one the table.
            i += min(end - i, 2)
        break  # a paragraph after the table, or a row-per-line table

    rows: list[list[list[str]]] = []
    row: list[list[str]] = []
    header_width = None
    for number, (cell, gap) in enumerate(zip(cells, gaps, strict=True)):
        row.append(cell)
        if gap == 0 or number == len(cells) - 1:
            continue
        if header_width is not None and len(row) < header_width:
            cell.extend([""] * gap)
            continue
        cell.extend([""] * (gap - 1))
        rows.append(row)
        if header_width is None and any(_joined(c) == "一级指标" for c in row):
            header_width = len(row)
        row = []
    if row:
        rows.append(row)

    unit = None
    first = rows[0]
    if all(len(c) == 1 for c in first) and any(_MONEY_UNIT.match(c[0]) for c in first):
        unit = [c[0] for c in first]
        rows = rows[1:]
    return RefTable(rows, unit), i


def _joined(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs).strip()


def _reference_spans(cells: int, width: int) -> list[int]:
    if cells == 1:
        return [width]
    return [1, *_share(width - 1, cells - 1)]


def _reference_grid(rows: list[list[list[str]]], width: int, unit_row=None) -> Grid:
    """A reference table's rows on a rectangular grid, by two rules.

    Horizontal: a row with fewer cells than the grid is wide keeps its first
    cell to one column (it is the label column in every reference table) and
    shares the other columns among its other cells; a row of one cell spans
    the grid.

    Vertical: an empty cell in the first grid column, under a cell with text
    there (or under an empty cell already merged into one), is the lower part
    of that cell merged down, as Word holds 预算规模及资金用途, 资金支出计划,
    绩效指标 and a 一级指标 over several rows. Nowhere else: where a reference
    repeats a 二级指标 (000_ 数量指标 twice) Word had two cells, and an empty
    cell in another column is empty as written.
    """
    grid = Grid(width)
    if unit_row:
        unit_cells = [(text, 1) for text in unit_row]
        if len(unit_row) < width:
            unit_cells[0] = (unit_row[0], width - len(unit_row) + 1)
        grid.add(*unit_cells)
    for row in rows:
        grid.add(*zip(row, _reference_spans(len(row), width), strict=True))

    def empty(cell: GridCell) -> bool:
        return not any(text.strip() for text in cell.paragraphs)

    top = None  # the row whose first-column cell is being merged down
    for r, row in enumerate(grid.rows):
        first = row[0]
        if first.span == 1 and empty(first) and top is not None:
            continue
        if top is not None:
            grid.merge_down(0, top, r - 1)
        top = r if first.span == 1 and not empty(first) else None
    if top is not None:
        grid.merge_down(0, top, len(grid.rows) - 1)
    return grid


def docx_from_reference(path, *, unit_as: str = "paragraphs") -> bytes:
    """The reference file at `path` as the Word document it was extracted
    from (see `parse_reference` and `_reference_grid` for the rules).

    Headings `N、…绩效目标表` get Heading 2, `第N部分 …` Heading 1 and the
    book's title `…年…绩效信息` Title. A table that a page break split keeps
    one grid over its two parts, as Word keeps it. The unit line and
    单位：万元 become paragraphs above the table (`unit_as="paragraphs"`), one
    paragraph with a tab between them (`"line"`), or the table's first row
    (`"row"`, which is how the extraction shows them: no blank line between
    them and 项目编码).
    """
    blocks = parse_reference(path)
    widths = _shared_widths(blocks)
    writer = Writer()
    for number, block in enumerate(blocks):
        if isinstance(block, RefParagraph):
            writer.paragraph(
                block.text, style=_style(block.text), bookmark=block.bookmark
            )
            continue
        unit_row = None
        if block.unit and unit_as == "row":
            unit_row = block.unit
        elif block.unit and unit_as == "line":
            writer.paragraph("\t".join(block.unit))
        elif block.unit:
            for text in block.unit:
                writer.paragraph(text)
        writer.table(_reference_grid(block.rows, widths[number], unit_row))
    return writer.bytes()


def _style(text: str) -> str | None:
    if HEADING_2.match(text):
        return "Heading 2"
    if HEADING_1.match(text):
        return "Heading 1"
    if TITLE.match(text):
        return "Title"
    return None


def _shared_widths(blocks) -> dict[int, int]:
    """Each table's grid width: the most cells of its rows, or of the rows of
    the tables it was split from (tables with only blank paragraphs between
    them)."""
    widths: dict[int, int] = {}
    group: list[int] = []

    def close():
        width = max(len(r) for n in group for r in blocks[n].rows)
        widths.update(dict.fromkeys(group, width))
        group.clear()

    for number, block in enumerate(blocks):
        if isinstance(block, RefTable):
            group.append(number)
        elif block.text.strip() and group:
            close()
    if group:
        close()
    return widths


# --------------------------------------------------------------------------
# Declarations from the demo dicts.

HEBEI_WIDTH = 7
CENTRAL_WIDTH = 5
HEBEI_HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标描述",
    "指标值",
    "指标值确定依据",
]
CENTRAL_HEADER = ["一级指标", "二级指标", "三级指标", "指标值"]
# 绩效指标描述 takes two grid columns: the budget rows above need seven.
HEBEI_ROW_SPANS = [1, 1, 1, 2, 1, 1]
RATING = "优□ 良□ 中□ 差□"

# Where Word and WPS users lay the same form out differently.
# 一级 and 二级 over the rows that share them: one cell merged down, the
# text once with empty cells below (a merge never drawn), or on every row.
LEVEL_STYLES = ("merged", "blank", "repeated")
# The labels of the blocks above the indicators that stand over two rows or
# more: 预算规模及资金用途 (项目资金 on the central form), 资金支出计划, 绩效目标.
LABELLED_BLOCKS = ("budget", "plan", "goals")
# The goals: a paragraph each, a row each, or one paragraph of lines (soft
# line breaks, Shift+Enter).
GOAL_LAYOUTS = ("paragraphs", "rows", "breaks")
# The unit line and 单位：万元: paragraphs above the table, one line with a
# tab between them, one caption with spaces between them, or the table's
# first row.
UNIT_PLACES = ("paragraphs", "line", "caption", "row")
CAPTION_GAP = "\u3000" * 6  # full-width spaces push 单位 to the right
# A table in a table: the whole form in the one cell of an outer table (as
# WPS wraps what is pasted into it), or the indicator block in a cell of the
# form.
NESTINGS = ("form", "indicators")


@dataclass(frozen=True)
class _Block:
    """How the rows of an indicator block sit on their grid."""

    head: list[str]
    spans: list[int]
    frame: bool  # a first column (绩效指标) merged down the block

    @property
    def width(self) -> int:
        return sum(self.spans) + self.frame

    def row(self, texts) -> list:
        return [""] * self.frame + list(zip(texts, self.spans, strict=True))

    def head_row(self, frame_label: str = "") -> list:
        return [frame_label] * self.frame + list(
            zip(self.head, self.spans, strict=True)
        )

    def note(self, text: str) -> list:
        """A row of one cell across the block (the frame beside it)."""
        return [""] * self.frame + [(text, sum(self.spans))]


def _block(layout: str, *, nested: bool) -> _Block:
    if layout == HEBEI:
        return _Block(HEBEI_HEADER, [1] * 6 if nested else HEBEI_ROW_SPANS, False)
    return _Block(CENTRAL_HEADER, [1] * 4, not nested)


# The marks the central form prints under its second levels.
LEVEL_MARKS = {
    "数量指标": "(必填硬性指标)",
    "成本指标": "(必填硬性指标)",
    "质量指标": "(必填)",
    "时效指标": "(必填)",
    "社会效益指标": "(必填)",
    "可持续影响指标": "(必填)",
    "服务对象满意度指标": "(必填)",
}


def _indicator_rows(
    table: dict, layout: str, effect_alias: bool, level_marks: bool = False
) -> list[tuple]:
    rows = []
    for row in table["rows"]:
        if layout == HEBEI:
            row = full_row(tuple(row))
        elif len(row) == 6:
            row = (row[0], row[1], row[2], row[4])
        if effect_alias and row[0] == "效益指标":
            row = ("效果指标", *row[1:])
        if level_marks and row[1] in LEVEL_MARKS:
            # On a line of its own below the name, as the form prints it.
            row = (row[0], f"{row[1]}\n{LEVEL_MARKS[row[1]]}", *row[2:])
        rows.append(tuple(row))
    return rows


def _goal_paragraphs(goals, prefix: str) -> list[str]:
    if isinstance(goals, str):
        goals = [g for g in goals.split("\n") if g.strip()]
    return [prefix.format(n=n) + goal for n, goal in enumerate(goals, 1)] or [""]


def _unit_name(unit_line: str | None) -> str:
    return re.sub(r"^\s*\d+", "", unit_line or "").strip()


def _money_word(money_unit: str) -> str:
    """万元 or 元, as `单位：…` says."""
    return money_unit.split("：")[-1].strip()


def _labelled(grid: Grid, label: str, rows: list[list], *, style: str) -> None:
    """The rows of a block with its label in the first column, as `style`
    (LEVEL_STYLES) says: merged down over them, as Word draws it; written
    once with the cells below it left empty; or repeated on every row."""
    if style not in LEVEL_STYLES:
        raise ValueError(f"unknown label style {style!r}")
    first = len(grid.rows)
    for number, cells in enumerate(rows):
        grid.add(label if number == 0 or style == "repeated" else "", *cells)
    if style == "merged":
        grid.merge_down(0, first, len(grid.rows) - 1)


def _goal_rows(
    grid: Grid, label: str, goals: list[str], *, layout: str, style: str
) -> None:
    span = grid.width - 1
    if layout == "rows":
        _labelled(grid, label, [[(goal, span)] for goal in goals], style=style)
    elif layout == "breaks":
        grid.add(label, ("\n".join(goals), span))  # a "\n" becomes <w:br/>
    elif layout == "paragraphs":
        grid.add(label, (goals, span))
    else:
        raise ValueError(f"unknown goals_as {layout!r}")


def _hebei_top(
    grid: Grid, table: dict, goals: list[str], *, name_in_table, labels, goals_as
):
    if name_in_table:
        grid.add(
            "项目编码",
            (table.get("project_code", ""), 3),
            "项目名称",
            (table["project_name"], 2),
        )
    else:
        grid.add("项目编码", (table.get("project_code", ""), 6))
    _labelled(
        grid,
        "预算规模及资金用途",
        [
            [
                "预算数",
                table.get("total", ""),
                "其中：财政资金",
                table.get("fiscal", ""),
                "其他资金",
                table.get("other", ""),
            ],
            [(table.get("fund_use", ""), 6)],
        ],
        style=labels.get("budget", "merged"),
    )
    plan = table.get("plan") or HEBEI_PLAN
    spans = _share(HEBEI_WIDTH - 1, len(plan))
    _labelled(
        grid,
        "资金支出计划（%）",
        [
            [
                (f"{month}月底", span)
                for (month, _), span in zip(plan, spans, strict=True)
            ],
            [(value or "", span) for (_, value), span in zip(plan, spans, strict=True)],
        ],
        style=labels.get("plan", "merged"),
    )
    _goal_rows(
        grid, "绩效目标", goals, layout=goals_as, style=labels.get("goals", "merged")
    )


def _central_top(
    grid: Grid,
    table: dict,
    goals: list[str],
    *,
    name_in_table,
    unit_line,
    money_unit,
    labels,
    goals_as,
):
    if name_in_table:
        grid.add("项目名称", (table["project_name"], 4))
    department = table.get("department") or _unit_name(unit_line)
    grid.add(
        "主管部门及代码",
        department,
        "实施单位",
        (table.get("implementing_unit") or department, 2),
    )
    attribute = table.get("attribute", "")
    grid.add(
        "项目属性",
        ATTRIBUTE_LABELS.get(attribute, attribute),
        "项目期",
        (table.get("period", ""), 2),
    )
    _labelled(
        grid,
        f"项目资金（{_money_word(money_unit)}）",
        [
            ["年度资金总额：", (table.get("total", ""), 3)],
            ["其中：财政拨款", (table.get("fiscal", ""), 3)],
            ["其他资金", (table.get("other", ""), 3)],
        ],
        style=labels.get("budget", "merged"),
    )
    _goal_rows(
        grid,
        "年度总体目标",
        goals,
        layout=goals_as,
        style=labels.get("goals", "merged"),
    )


def _add_indicators(
    grid: Grid,
    rows: list[tuple],
    *,
    block: _Block,
    previous: tuple | None,
    levels: tuple[str, str],
    notes: dict[int, str],
) -> None:
    """Indicator rows at the end of `grid`, 一级 and 二级 over the rows that
    share them as `levels` says (see LEVEL_STYLES), and after row k the note
    `notes[k]`, a row of one cell. `previous` is the row before the first,
    at the end of the table a page break split this one from: a level it
    continues has, in this part, an empty first cell, for Word leaves the
    text in the upper part. No level runs on past a note: a cell across the
    row stops a merge."""
    first = len(grid.rows)
    texts = [list(row) for row in rows]
    segment = [sum(1 for n in notes if n < k) for k in range(len(rows))]
    place = [first + k + segment[k] for k in range(len(rows))]
    for level, style in enumerate(levels):
        if style not in LEVEL_STYLES:
            raise ValueError(f"unknown level style {style!r}")

        def key(k, level=level):
            return (segment[k], *rows[k][: level + 1])

        run = 0
        for end in range(1, len(rows) + 1):
            if end < len(rows) and key(end) == key(run):
                continue
            if rows[run][level] and style != "repeated":
                if style == "merged":
                    grid.merge_down(level + block.frame, place[run], place[end - 1])
                for k in range(run + 1, end):
                    texts[k][level] = ""
                continued = previous is not None and tuple(
                    previous[: level + 1]
                ) == tuple(rows[0][: level + 1])
                if run == 0 and continued:
                    texts[0][level] = ""
            run = end
    for k, row in enumerate(texts):
        grid.add(*block.row(row))
        if k in notes:
            grid.add(*block.note(notes[k]))


def _add_spare(grid: Grid, block: _Block, count: int) -> None:
    for _ in range(count):
        grid.add(*block.row([""] * len(block.spans)))


def _unit_above(writer: Writer, grid: Grid, *, unit_line, money_unit, unit_as, cells):
    """The unit line and 单位：万元 where `unit_as` puts them (UNIT_PLACES);
    in the first row, over `cells` cells: the unit line, empty cells, 单位."""
    if unit_as == "row":
        width = grid.width
        if not 2 <= cells <= width:
            raise ValueError(f"unit_row_cells must be from 2 to {width}")
        if cells == 2:
            grid.add((unit_line or "", width - 2), (money_unit, 2))
        else:
            grid.add(
                (unit_line or "", width - cells + 1), *[""] * (cells - 2), money_unit
            )
    elif unit_as == "line":
        writer.paragraph(f"{unit_line}\t{money_unit}" if unit_line else money_unit)
    elif unit_as == "caption":
        writer.paragraph(
            f"{unit_line}{CAPTION_GAP}{money_unit}" if unit_line else money_unit,
            style="Caption",
        )
    elif unit_as == "paragraphs":
        if unit_line:
            writer.paragraph(unit_line)
        writer.paragraph(money_unit)
    else:
        raise ValueError(f"unknown unit_as {unit_as!r}")


def add_declaration(
    writer: Writer,
    table: dict,
    *,
    number: int,
    layout: str = HEBEI,
    unit_line: str | None = DEFAULT_UNIT_LINE,
    heading: str | None = None,
    year_line: str | None = None,
    split_after_row: int | None = None,
    split_head: bool = False,
    split_caption: str | None = None,
    merged_level1: bool = True,
    merged_level2: bool | None = None,
    levels: str | tuple[str, str] | None = None,
    spare_rows: int = 0,
    effect_alias: bool = False,
    level_marks: bool = False,
    name_in_table: bool = True,
    unit_as: str = "paragraphs",
    unit_row_cells: int = 2,
    money_unit: str = MONEY_UNIT,
    goal_prefix: str | None = None,
    goals_as: str = "paragraphs",
    labels: dict[str, str] | None = None,
    notes: dict[int, str] | None = None,
    nest: str | None = None,
    rating_row: bool = False,
) -> None:
    """One declaration at the end of `writer`'s document; see
    `docx_from_table` for what the options do."""
    if layout not in (HEBEI, CENTRAL):
        raise ValueError(f"unknown layout {layout!r}")
    labels = labels or {}
    if set(labels) - set(LABELLED_BLOCKS):
        raise ValueError(f"labels are for {LABELLED_BLOCKS}")
    if nest not in (None, *NESTINGS):
        raise ValueError(f"unknown nest {nest!r}")
    if nest and split_after_row is not None:
        raise ValueError("a nested form is not split")
    width = HEBEI_WIDTH if layout == HEBEI else CENTRAL_WIDTH
    if heading is None:
        heading = f"{number}、{table['project_name']}绩效目标表"
    if heading:
        writer.paragraph(
            heading,
            style="Heading 2",
            bookmark=f"_Toc{FIRST_TOC_BOOKMARK + number - 1}",
        )
    if year_line:
        writer.paragraph(year_line)

    first = Grid(width)
    _unit_above(
        writer,
        first,
        unit_line=unit_line,
        money_unit=money_unit,
        unit_as=unit_as,
        cells=unit_row_cells,
    )
    if goal_prefix is None:
        # As each form prints them: 1、… in Hebei, 目标1：… on the central form.
        goal_prefix = "{n}、" if layout == HEBEI else "目标{n}："
    goals = _goal_paragraphs(table.get("goals", []), goal_prefix)
    top = {"name_in_table": name_in_table, "labels": labels, "goals_as": goals_as}
    if layout == HEBEI:
        _hebei_top(first, table, goals, **top)
    else:
        _central_top(
            first, table, goals, unit_line=unit_line, money_unit=money_unit, **top
        )

    rows = _indicator_rows(table, layout, effect_alias, level_marks)
    if isinstance(levels, str):
        levels = (levels, levels)
    if levels is None:
        merge2 = merged_level1 if merged_level2 is None else merged_level2
        levels = tuple("merged" if m else "repeated" for m in (merged_level1, merge2))
    notes = notes or {}
    if any(not 0 <= k < len(rows) for k in notes):
        raise ValueError(f"notes follow rows 0 to {len(rows) - 1}")
    if split_after_row is not None and not 0 <= split_after_row < len(rows):
        raise ValueError(f"split_after_row must be from 0 to {len(rows) - 1}")
    cut = len(rows) if split_after_row is None else split_after_row
    indicators = {"levels": levels}

    if nest == "indicators":
        block = _block(layout, nested=True)
        inner = Grid(block.width)
        inner.add(*block.head_row())
        _add_indicators(
            inner, rows, block=block, previous=None, notes=notes, **indicators
        )
        _add_spare(inner, block, spare_rows)
        if layout == HEBEI:
            first.add((inner, width))
        else:
            first.add("绩效指标", (inner, width - 1))
        if rating_row and layout == CENTRAL:
            first.add("综合评定等级", (RATING, 4))
        writer.table(first)
        return

    block = _block(layout, nested=False)
    header = first.add(*block.head_row("绩效指标"))
    parts = [
        (first, rows[:cut], None, header, {k: t for k, t in notes.items() if k < cut})
    ]
    if split_after_row is not None:
        second = Grid(width)
        if split_head:
            second.add(*block.head_row())
        later = {k - cut: t for k, t in notes.items() if k >= cut}
        parts.append((second, rows[cut:], rows[cut - 1] if cut else None, 0, later))
    for part, (grid, part_rows, previous, frame, part_notes) in enumerate(parts):
        _add_indicators(
            grid,
            part_rows,
            block=block,
            previous=previous,
            notes=part_notes,
            **indicators,
        )
        if part == len(parts) - 1:
            _add_spare(grid, block, spare_rows)
        if block.frame:
            # 绩效指标 stands merged down the indicator rows (and spare rows:
            # they belong to the block); in a split-off part its cell starts
            # again, empty.
            grid.merge_down(0, frame, len(grid.rows) - 1)
        if part == len(parts) - 1 and rating_row and layout == CENTRAL:
            grid.add("综合评定等级", (RATING, 4))
        if part:
            writer.paragraph(page_break=True)
            if split_caption:
                writer.paragraph(split_caption)
        if nest == "form":
            wrapper = Grid(1)
            wrapper.add((grid, 1))
            grid = wrapper
        writer.table(grid)


def docx_from_table(table: dict, **options) -> bytes:
    """One declaration from a demo dict (HEBEI_2020, CENTRAL_2023 …) as a Word
    document: the heading (`1、{name}绩效目标表` unless given; "" for none, so
    that a test can leave the name to the table or, with
    `name_in_table=False`, to the heading alone), `year_line` below it, the
    unit line and 单位：万元, then the table.

    Hebei, on seven grid columns: 项目编码 | code (3) | 项目名称 | name (2);
    预算规模及资金用途 merged over its row and the 资金用途 row below; the
    资金支出计划（%） label over the month row and the percentages (the dict's
    `plan`, else HEBEI_PLAN); 绩效目标 with a paragraph per goal; the header
    and the indicator rows (一级 | 二级 | 三级 | 描述 (2) | 指标值 | 依据).

    Central, on five: 项目名称; 主管部门及代码 and 实施单位 (the dict's
    `department`, else the unit line's name); 项目属性 and 项目期;
    项目资金（万元） merged over 年度资金总额：/其中：财政拨款/其他资金;
    年度总体目标; 绩效指标 merged down the header and the rows
    (一级 | 二级 | 三级 | 指标值); `rating_row` adds 综合评定等级 as the form's
    last row.

    Options, for the ways Word and WPS users lay the same form out:
    - `unit_as`: the unit line and `money_unit` (单位：万元, or 单位：元 for a
      table whose amounts are in 元, which also makes the central label
      项目资金（元）) as "paragraphs" above the table, one tabbed "line", a
      "caption" with spaces between them, or the table's first "row" of
      `unit_row_cells` cells (the unit line, empty cells, 单位：…);
      `unit_line=None` leaves the unit line out.
    - Goals are numbered `goal_prefix` ("{n}、" Hebei, "目标{n}：" central),
      and written (`goals_as`) a paragraph each, a row each, or as lines of
      one paragraph.
    - `labels`: {block: style} for LABELLED_BLOCKS, a style of
      LEVEL_STYLES: "blank" writes the label once, the rows below starting
      with an empty cell instead of a merge; "repeated" writes it on each.
    - `levels`: "merged", "blank" or "repeated" (LEVEL_STYLES), or a pair
      for 一级 and 二级; without it `merged_level1` merges each 一级指标 down
      the rows that share it and, unless `merged_level2` says otherwise,
      each 二级指标 within it, and repeats them on every row otherwise.
    - `notes`: {k: text} puts after the k-th indicator row (from 0) a row
      whose one cell spans the block: a document's name, or the 依据 of the
      rows above written once.
    - `spare_rows` empty rows end the table; `effect_alias` writes 效果指标
      for 效益指标; `level_marks` prints (必填) or (必填硬性指标) on a line
      below a second level, as the central form does (LEVEL_MARKS).
    - `split_after_row=k` moves the indicator rows after the k-th into a
      second Word table after a page break (and `split_caption`, such as
      续表), a merge it continues starting there with an empty cell; the
      second part repeats the header row only with `split_head`.
    - `nest`: "form" puts the form in the one cell of an outer table,
      "indicators" the indicator block in a cell of the form (under the
      frame 绩效指标 on the central form).
    """
    writer = Writer()
    add_declaration(writer, table, number=1, **options)
    return writer.bytes()


PART_ONE = "第一部分 部门整体绩效目标"
PART_TWO = "第二部分  预算项目绩效目标"  # two spaces, as the reference book has it
PART_ONE_SECTIONS = (
    ("（一）总体绩效目标：", "overall"),
    ("（二）分项绩效目标：", "items"),
    ("（三）工作保障措施：", "measures"),
)


def add_part_one(
    writer: Writer, part_one: dict, *, heading: str | None = PART_ONE
) -> None:
    """A department's goals as a book writes them: `heading` (Heading 1),
    then （一）总体绩效目标：, （二）分项绩效目标： and （三）工作保障措施：
    each followed by its paragraphs (`part_one` shaped like
    BEIDAIHE_GOALS_2020: overall, items, measures)."""
    if heading:
        writer.paragraph(heading, style="Heading 1")
    for title, key in PART_ONE_SECTIONS:
        writer.paragraph(title)
        texts = part_one.get(key) or []
        for text in [texts] if isinstance(texts, str) else texts:
            writer.paragraph(text)


def docx_book(
    tables: list[dict],
    *,
    part_one: dict | None,
    year_title: str = "2020年部门预算绩效信息",
    layout: str = HEBEI,
    unit_line: str | None = DEFAULT_UNIT_LINE,
    **table_options,
) -> bytes:
    """A department's whole book as the reference book (000_) has it: the
    title; 第一部分 部门整体绩效目标 as `add_part_one` writes it (None leaves
    part one out); a page break; 第二部分 预算项目绩效目标; then each table
    as `docx_from_table` lays it out, its heading numbered 1、2、… and an
    empty paragraph after it. `table_options` (those of `docx_from_table`
    but `heading`) go to every table."""
    if "heading" in table_options:
        raise TypeError("a book numbers its headings itself")
    writer = Writer()
    writer.paragraph(year_title, style="Title")
    writer.paragraph()
    if part_one:
        add_part_one(writer, part_one)
        writer.paragraph(page_break=True)
    writer.paragraph(PART_TWO, style="Heading 1")
    for number, table in enumerate(tables, 1):
        add_declaration(
            writer,
            table,
            number=number,
            layout=layout,
            unit_line=unit_line,
            **table_options,
        )
        writer.paragraph()
    return writer.bytes()


def doc_bytes() -> bytes:
    """The first two sectors of a Word 97-2003 .doc: an OLE compound file
    header (its signature D0 CF 11 E0 A1 B1 1A E1, version 3, 512-byte
    sectors) and padding. Enough for anything that looks at the start of a
    file; nothing past that is a readable document."""
    header = bytearray(512)
    header[0:8] = OLE_SIGNATURE
    header[0x18:0x1A] = (0x003E).to_bytes(2, "little")  # minor version
    header[0x1A:0x1C] = (3).to_bytes(2, "little")  # major version
    header[0x1C:0x1E] = b"\xfe\xff"  # byte order: little-endian
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # sectors of 2**9 bytes
    header[0x20:0x22] = (6).to_bytes(2, "little")  # mini sectors of 2**6
    return bytes(header) + bytes(512)
