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

Every merge goes through python-docx's `merge`, so the XML is what Word
writes (w:gridSpan, w:vMerge) and python-docx reads a merged cell back as one
`_tc` in every grid position it covers.
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


@dataclass
class Grid:
    """A Word table before it is written: rows of cells that each cover
    `span` grid columns, and the vertical merges to make."""

    width: int
    rows: list[list[GridCell]] = field(default_factory=list)
    # (grid column, first row, last row): the first row's cell is merged
    # down over the others, whose own cells stay empty as Word keeps them.
    merges: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, *cells: tuple[str | list[str], int] | str) -> int:
        """Append a row of cells, each `text` or `(text or paragraphs, span)`;
        return its index."""
        row = []
        for cell in cells:
            text, span = (cell, 1) if isinstance(cell, str) else cell
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

    def table(self, grid: Grid):
        table = self.document.add_table(rows=len(grid.rows), cols=grid.width)
        table.style = "Table Grid"
        # python-docx finds a cell by counting grid positions along the rows,
        # so a row that does not fill the grid would shift every cell after it.
        for number, row in enumerate(grid.rows):
            if sum(cell.span for cell in row) != grid.width:
                raise ValueError(f"row {number} does not fill {grid.width} columns")
        # Merge while every cell is still empty: python-docx moves the text of
        # merged cells into the first one, and we want each text once.
        for r, row in enumerate(grid.rows):
            for column, cell in _positioned(row):
                if cell.span > 1:
                    table.cell(r, column).merge(table.cell(r, column + cell.span - 1))
        covered = set()
        for column, first, last in grid.merges:
            table.cell(first, column).merge(table.cell(last, column))
            covered.update((r, column) for r in range(first + 1, last + 1))
        for r, row in enumerate(grid.rows):
            for column, cell in _positioned(row):
                if (r, column) not in covered:
                    _fill(table.cell(r, column), cell.paragraphs)
        return table

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


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
# 绩效指标描述 takes two grid columns: the budget rows above need seven.
HEBEI_ROW_SPANS = [1, 1, 1, 2, 1, 1]
RATING = "优□ 良□ 中□ 差□"


def _level_columns(layout: str) -> tuple[int, int]:
    """The grid columns of 一级指标 and 二级指标."""
    return (0, 1) if layout == HEBEI else (1, 2)


def _indicator_rows(table: dict, layout: str, effect_alias: bool) -> list[tuple]:
    rows = []
    for row in table["rows"]:
        if layout == HEBEI:
            row = full_row(tuple(row))
        elif len(row) == 6:
            row = (row[0], row[1], row[2], row[4])
        if effect_alias and row[0] == "效益指标":
            row = ("效果指标", *row[1:])
        rows.append(tuple(row))
    return rows


def _goal_paragraphs(goals, prefix: str) -> list[str]:
    if isinstance(goals, str):
        goals = [g for g in goals.split("\n") if g.strip()]
    return [prefix.format(n=n) + goal for n, goal in enumerate(goals, 1)] or [""]


def _unit_name(unit_line: str | None) -> str:
    return re.sub(r"^\s*\d+", "", unit_line or "").strip()


def _hebei_top(grid: Grid, table: dict, goals: list[str], name_in_table: bool):
    if name_in_table:
        grid.add(
            "项目编码",
            (table.get("project_code", ""), 3),
            "项目名称",
            (table["project_name"], 2),
        )
    else:
        grid.add("项目编码", (table.get("project_code", ""), 6))
    budget = grid.add(
        "预算规模及资金用途",
        "预算数",
        table.get("total", ""),
        "其中：财政资金",
        table.get("fiscal", ""),
        "其他资金",
        table.get("other", ""),
    )
    use = grid.add("", (table.get("fund_use", ""), 6))
    grid.merge_down(0, budget, use)
    plan = table.get("plan") or HEBEI_PLAN
    spans = _share(HEBEI_WIDTH - 1, len(plan))
    months = grid.add(
        "资金支出计划（%）",
        *((f"{month}月底", span) for (month, _), span in zip(plan, spans, strict=True)),
    )
    shares = grid.add(
        "", *((value or "", span) for (_, value), span in zip(plan, spans, strict=True))
    )
    grid.merge_down(0, months, shares)
    grid.add("绩效目标", (goals, 6))
    grid.add(*zip(HEBEI_HEADER, HEBEI_ROW_SPANS, strict=True))


def _central_top(
    grid: Grid, table: dict, goals: list[str], name_in_table: bool, unit_line
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
    money = grid.add("项目资金（万元）", "年度资金总额：", (table.get("total", ""), 3))
    grid.add("", "其中：财政拨款", (table.get("fiscal", ""), 3))
    other = grid.add("", "其他资金", (table.get("other", ""), 3))
    grid.merge_down(0, money, other)
    grid.add("年度总体目标", (goals, 4))
    grid.add("绩效指标", "一级指标", "二级指标", "三级指标", "指标值")


def _add_indicators(
    grid: Grid,
    rows: list[tuple],
    *,
    layout: str,
    previous: tuple | None,
    merge1: bool,
    merge2: bool,
) -> None:
    """Indicator rows at the end of `grid`, 一级 and 二级 merged down over the
    rows that share them. `previous` is the row before the first, at the end
    of the table a page break split this one from: a merge that it continues
    has, in this part, an empty first cell, for Word leaves the text in the
    upper part."""
    first = len(grid.rows)
    texts = [list(row) for row in rows]
    columns = _level_columns(layout)
    keys = [
        (lambda row: row[0]) if merge1 else None,
        (lambda row: (row[0], row[1])) if merge2 else None,
    ]
    for level, key in enumerate(keys):
        if key is None:
            continue
        run = 0
        for end in range(1, len(rows) + 1):
            if end < len(rows) and key(rows[end]) == key(rows[run]):
                continue
            if rows[run][level]:
                grid.merge_down(columns[level], first + run, first + end - 1)
                if run == 0 and previous is not None and key(previous) == key(rows[0]):
                    texts[0][level] = ""
            run = end
    for row in texts:
        if layout == HEBEI:
            grid.add(*zip(row, HEBEI_ROW_SPANS, strict=True))
        else:
            grid.add("", *row)


def _add_spare(grid: Grid, layout: str, count: int) -> None:
    for _ in range(count):
        if layout == HEBEI:
            grid.add(*(("", span) for span in HEBEI_ROW_SPANS))
        else:
            grid.add(*[""] * CENTRAL_WIDTH)


def _add_declaration(
    writer: Writer,
    table: dict,
    *,
    number: int,
    layout: str = HEBEI,
    unit_line: str | None = DEFAULT_UNIT_LINE,
    heading: str | None = None,
    year_line: str | None = None,
    split_after_row: int | None = None,
    merged_level1: bool = True,
    merged_level2: bool | None = None,
    spare_rows: int = 0,
    effect_alias: bool = False,
    name_in_table: bool = True,
    unit_as: str = "paragraphs",
    goal_prefix: str | None = None,
    rating_row: bool = False,
) -> None:
    if layout not in (HEBEI, CENTRAL):
        raise ValueError(f"unknown layout {layout!r}")
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
    if unit_as == "row":
        first.add((unit_line or "", width - 2), (MONEY_UNIT, 2))
    elif unit_as == "line":
        writer.paragraph(f"{unit_line}\t{MONEY_UNIT}" if unit_line else MONEY_UNIT)
    elif unit_as == "paragraphs":
        if unit_line:
            writer.paragraph(unit_line)
        writer.paragraph(MONEY_UNIT)
    else:
        raise ValueError(f"unknown unit_as {unit_as!r}")

    if goal_prefix is None:
        # As each form prints them: 1、… in Hebei, 目标1：… on the central form.
        goal_prefix = "{n}、" if layout == HEBEI else "目标{n}："
    goals = _goal_paragraphs(table.get("goals", []), goal_prefix)
    if layout == HEBEI:
        _hebei_top(first, table, goals, name_in_table)
    else:
        _central_top(first, table, goals, name_in_table, unit_line)
    header = len(first.rows) - 1

    rows = _indicator_rows(table, layout, effect_alias)
    if split_after_row is not None and not 0 <= split_after_row < len(rows):
        raise ValueError(f"split_after_row must be from 0 to {len(rows) - 1}")
    cut = len(rows) if split_after_row is None else split_after_row
    merge2 = merged_level1 if merged_level2 is None else merged_level2
    grids = [(first, rows[:cut], None, header)]
    if split_after_row is not None:
        # The second part repeats no header: Word splits a table, it does not
        # make a new one.
        grids.append((Grid(width), rows[cut:], rows[cut - 1] if cut else None, -1))
    for part, (grid, part_rows, previous, frame) in enumerate(grids):
        _add_indicators(
            grid,
            part_rows,
            layout=layout,
            previous=previous,
            merge1=merged_level1,
            merge2=merge2,
        )
        if part == len(grids) - 1:
            _add_spare(grid, layout, spare_rows)
        if layout == CENTRAL:
            # 绩效指标 stands merged down the indicator rows (and spare rows:
            # they belong to the block); in a split-off part its cell starts
            # again, empty.
            grid.merge_down(0, max(frame, 0), len(grid.rows) - 1)
        if part == len(grids) - 1 and rating_row and layout == CENTRAL:
            grid.add("综合评定等级", (RATING, 4))
        if part:
            writer.paragraph(page_break=True)
        writer.table(grid)


def docx_from_table(
    table: dict,
    *,
    layout: str = HEBEI,
    unit_line: str | None = DEFAULT_UNIT_LINE,
    heading: str | None = None,
    year_line: str | None = None,
    split_after_row: int | None = None,
    merged_level1: bool = True,
    spare_rows: int = 0,
    effect_alias: bool = False,
    merged_level2: bool | None = None,
    name_in_table: bool = True,
    unit_as: str = "paragraphs",
    goal_prefix: str | None = None,
    rating_row: bool = False,
) -> bytes:
    """One declaration from a demo dict (HEBEI_2020, CENTRAL_2023 …) as a Word
    document: the heading (`1、{name}绩效目标表` unless given; "" for none, so
    that a test can leave the name to the table or, with
    `name_in_table=False`, to the heading alone), `year_line` below it, the
    unit line and 单位：万元 (`unit_as`: "paragraphs", "line" or "row", as in
    `docx_from_reference`; `unit_line=None` leaves the unit line out), then
    the table.

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

    Goals are numbered `goal_prefix` ("{n}、" Hebei, "目标{n}：" central).
    `merged_level1` merges each 一级指标 down the rows that share it and, unless
    `merged_level2` says otherwise, each 二级指标 within it; `spare_rows` empty
    rows end the table; `effect_alias` writes 效果指标 for 效益指标;
    `split_after_row=k` moves the indicator rows after the k-th into a second
    Word table after a page break, without a header, a merge it continues
    starting there with an empty cell.
    """
    writer = Writer()
    _add_declaration(
        writer,
        table,
        number=1,
        layout=layout,
        unit_line=unit_line,
        heading=heading,
        year_line=year_line,
        split_after_row=split_after_row,
        merged_level1=merged_level1,
        merged_level2=merged_level2,
        spare_rows=spare_rows,
        effect_alias=effect_alias,
        name_in_table=name_in_table,
        unit_as=unit_as,
        goal_prefix=goal_prefix,
        rating_row=rating_row,
    )
    return writer.bytes()


PART_ONE = "第一部分 部门整体绩效目标"
PART_TWO = "第二部分  预算项目绩效目标"  # two spaces, as the reference book has it


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
    title; 第一部分 部门整体绩效目标 with （一）总体绩效目标：, （二）分项绩效目标：
    and （三）工作保障措施： each followed by its paragraphs (`part_one` shaped
    like BEIDAIHE_GOALS_2020: overall, items, measures; None leaves part one
    out); a page break; 第二部分 预算项目绩效目标; then each table as
    `docx_from_table` lays it out, its heading numbered 1、2、… and an empty
    paragraph after it. `table_options` (those of `docx_from_table` but
    `heading`) go to every table."""
    if "heading" in table_options:
        raise TypeError("a book numbers its headings itself")
    writer = Writer()
    writer.paragraph(year_title, style="Title")
    writer.paragraph()
    if part_one:
        writer.paragraph(PART_ONE, style="Heading 1")
        for title, key in (
            ("（一）总体绩效目标：", "overall"),
            ("（二）分项绩效目标：", "items"),
            ("（三）工作保障措施：", "measures"),
        ):
            writer.paragraph(title)
            texts = part_one.get(key) or []
            for text in [texts] if isinstance(texts, str) else texts:
                writer.paragraph(text)
        writer.paragraph(page_break=True)
    writer.paragraph(PART_TWO, style="Heading 1")
    for number, table in enumerate(tables, 1):
        _add_declaration(
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
