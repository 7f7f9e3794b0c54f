"""Reading a Word (.docx) file as the blocks a person sees: paragraphs and
tables in document order, each table as rows of the cells printed in them.

Word keeps a merged cell once: a horizontal merge is one cell spanning grid
columns (w:gridSpan); a vertical merge is a first cell (w:vMerge restart)
and, in each row below, an empty cell saying "continued". Here every cell
knows its grid column and span, and a continued cell carries the text of
the cell it continues, marked `continued`, so that a reader of the rows
finds the 一级指标 of every indicator row however it was merged. Some WPS
versions merge across the old way (w:hMerge): a cell that continues one
widens it.

What is read is what Word shows. Tracked changes count as accepted:
deleted rows and deleted paragraph marks go (the paragraph runs on into
the next one, as Word joins them); a paragraph's own text is read as
`runs` says (fields, symbols, deleted text, content controls). A text
box's paragraphs follow the paragraph they are anchored in, read once:
Word writes each text box twice, the second time for readers that know no
text boxes.

A table nested in a cell is read as rows of the table it sits in, right
after the row of its cell, its grid columns counted from that cell's: an
indicator block laid out as a table beside 年度绩效指标 reads as if it were
drawn in the form. A table of one cell that holds tables (WPS frames a
whole form so) is no table: its paragraphs and tables are read in its
place. A cell's text is its own paragraphs, never a nested table's, so no
text is read twice; the caps below hold for the table that results.

A .docx is a zip: sized before it is unpacked (the spreadsheet import's
limits), and parsed in a child process (declarations.bounded) so that no
file can bloat or stall the worker; recognising the declarations in it
runs in that child too (`read_then`), so only the result comes back. The
XML is read with ElementTree, whose expat refuses external entities and
caps entity expansion, and walked without recursion, however deeply its
content controls nest. A file past the caps below is refused with a
message that says where: no declaration table comes near them.
"""

import itertools
import logging
import zipfile
from dataclasses import dataclass, field, replace
from xml.etree import ElementTree

from django.conf import settings

from declarations.bounded import OverLimit, run_bounded
from declarations.fields import whole_number
from declarations.spreadsheet.files import (
    ImportFileError,
    human_size,
    sized_archive,
    too_large_message,
)
from declarations.wordfiles import runs

# Caps on what one file may hold.
MAX_TABLES = 500
MAX_TABLE_ROWS = 500
MAX_TABLE_COLUMNS = 60  # grid columns
MAX_PARAGRAPH = 10_000  # characters of a paragraph, or of a table's cell

logger = logging.getLogger(__name__)

W, MC = runs.W, runs.MC
NOT_DOCX = (
    "这个文件不是有效的 Word 文档（.docx）。请在 Word 或 WPS 中打开它，"
    "“另存为”Word 文档（*.docx）后再上传。"
)


@dataclass(frozen=True)
class Cell:
    text: str  # its paragraphs joined by line breaks
    column: int  # the first grid column it covers
    span: int = 1  # how many grid columns
    continued: bool = False  # the lower part of a vertical merge

    def covers(self, column: int) -> bool:
        return self.column <= column < self.column + self.span


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)

    def texts(self, row: int) -> list[str]:
        """The texts of a row's cells, each merged cell once."""
        return [cell.text for cell in self.rows[row]]


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = ""  # the style's id: Heading2, 1, Title …
    page_break: bool = False


def read_blocks(content: bytes) -> list[Paragraph | Table]:
    """The paragraphs and tables of a .docx, in order; refuses what it
    cannot read with a message that says what to do."""
    return read_then(content, list)


def read_then(content: bytes, work):
    """work(blocks) on the blocks of a .docx, both in the bounded child;
    work is a module-level function that returns plain data."""
    if message := too_large_message(len(content)):
        raise ImportFileError(message)
    try:
        return run_bounded(
            _parse_then,
            content,
            work,
            memory=settings.IMPORT_PARSE_MEMORY,
            seconds=settings.IMPORT_PARSE_SECONDS,
        )
    except OverLimit as over:
        raise ImportFileError(
            "这个 Word 文件太复杂，读取它需要的"
            f"{'内存' if over.memory else '时间'}超过了上限"
            f"（{human_size(settings.IMPORT_PARSE_MEMORY)}、"
            f"{settings.IMPORT_PARSE_SECONDS} 秒）。"
            "请删去文件中的图片和无关内容，或把各表分成几个文件导入。"
        ) from None
    except ImportFileError:
        raise
    except Exception:
        # A file built in a way no reader foresaw: the user gets a message,
        # the log the details.
        logger.exception("A Word file could not be read")
        raise ImportFileError(
            "这个 Word 文件的结构无法读取。请在 Word 或 WPS 中打开它，"
            "“另存为”一个新的 .docx 文件后再上传；如果仍然不行，请联系系统管理员。"
        ) from None


def _parse_then(content: bytes, work):
    return work(_parse(content))


def _parse(content: bytes) -> list[Paragraph | Table]:
    archive = sized_archive(
        content,
        unreadable=NOT_DOCX,
        kind="Word",
        advice="（可能含有大量图片）。"
        "请删去图片后另存为 .docx，或把各表分成几个文件导入。",
    )
    try:
        body = ElementTree.fromstring(archive.read("word/document.xml")).find(
            f"{W}body"
        )
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        raise ImportFileError(NOT_DOCX) from None
    if body is None:
        raise ImportFileError(NOT_DOCX)
    return list(_blocks(body))


def _blocks(body):
    """The body's paragraphs and tables as _contents reads them, each
    within the caps."""
    tables, paragraphs = 0, 0
    for item in _contents(body):
        if isinstance(item, Paragraph):
            paragraphs += 1
            _check_paragraph(item.text, paragraphs)
            yield item
            continue
        if tables == MAX_TABLES:
            raise ImportFileError(
                f"这个 Word 文件有 {MAX_TABLES} 个以上的表格，超过了一次导入的"
                f"上限（{MAX_TABLES} 个）。请把各表分成几个文件分别导入。"
            )
        table = _table(item, tables + 1)
        if table.rows:  # not a table whose every row was deleted
            tables += 1
            yield table


def _contents(element):
    """The paragraphs (as Paragraph) and tables (as w:tbl) of a body, a cell
    or a text box in reading order: those in content controls in their
    place, a text box's after the paragraph it is anchored in, a one-cell
    frame's instead of the frame. Walked without recursion."""
    # The paragraphs whose mark was deleted, to run on into the next.
    texts, page_break, style = [], False, ""
    pending = [iter(element)]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
        elif child.tag == f"{W}p":
            text, breaks, boxes = runs.inline(child)
            texts.append(text)
            page_break = page_break or breaks
            style = _style(child)
            if boxes or not runs.mark_deleted(child):
                yield Paragraph("".join(texts), style, page_break)
                texts, page_break = [], False
            if boxes:
                pending.append(itertools.chain.from_iterable(boxes))
        elif child.tag == f"{W}tbl":
            if (frame := _frame(child)) is not None:
                pending.append(iter(frame))
                continue
            if any(texts) or page_break:
                yield Paragraph("".join(texts), style, page_break)
            texts, page_break = [], False
            yield child
        elif child.tag == f"{W}sdt" and not runs.placeholder(child):
            if (content := child.find(f"{W}sdtContent")) is not None:
                pending.append(iter(content))
        elif child.tag == f"{W}customXml":
            pending.append(iter(child))
    if any(texts) or page_break:
        yield Paragraph("".join(texts), style, page_break)


def _check_paragraph(text: str, number: int):
    if len(text) > MAX_PARAGRAPH:
        raise ImportFileError(
            f"文件中第 {number} 段文字有 {len(text):,} 个字符，超过了 "
            f"{MAX_PARAGRAPH:,} 个的上限（申报表最长的栏目也只有 3,000 字）。"
            f"这段文字以“{_opening(text)}”开头，请删去或分段后再上传。"
        )


def _style(p) -> str:
    """The id of a paragraph's style: Heading2, 1, Title …"""
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val", "") if style is not None else ""


def _opening(text: str) -> str:
    """The first characters of a text, for a person to find it by."""
    shown = "".join(c if c.isprintable() else " " for c in text[:12]).strip()
    return shown + "…" if shown else "（空白或制表符）"


def _cell(tc, number: int, row: int) -> tuple[str, list]:
    """A cell's paragraphs, one a line, with the spaces Word users type
    around them dropped; and the tables nested in it."""
    lines, tables = [], []
    for item in _contents(tc):
        if isinstance(item, Paragraph):
            lines.append(item.text.strip())
        else:
            tables.append(item)
    while lines and not lines[-1]:
        lines.pop()
    text = "\n".join(lines).strip()
    if len(text) > MAX_PARAGRAPH:
        raise ImportFileError(
            f"第 {number} 个表格第 {row} 行有一格文字有 {len(text):,} 个字符，"
            f"超过了 {MAX_PARAGRAPH:,} 个的上限（申报表最长的栏目也只有 3,000 字）。"
            f"这格以“{_opening(text)}”开头，请删去多余的文字后再上传。"
        )
    return text, tables


def _table(tbl, number: int) -> Table:
    table = Table()
    # The tables being read: this one, and those nested in the row just
    # read, whose rows come next. Each with its rows still to read, the grid
    # column it starts at, and the cell last seen at each of its columns.
    pending = [(_rows(tbl), 0, {})]
    while pending:
        rows, start, above = pending[-1]
        tr = next(rows, None)
        if tr is None:
            pending.pop()
            continue
        r = len(table.rows) + 1
        if r > MAX_TABLE_ROWS:
            raise ImportFileError(
                f"第 {number} 个表格有 {MAX_TABLE_ROWS} 行以上，超过了每个表格 "
                f"{MAX_TABLE_ROWS} 行的上限。申报表用不了这么多行：请删去多余的"
                "空行，或把这个表格拆开。"
            )
        row, nested = [], []
        column = start + _number(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        for tc in _wrapped(tr, f"{W}tc"):
            span = max(1, _number(tc.find(f"{W}tcPr/{W}gridSpan"), 1))
            if column + span > MAX_TABLE_COLUMNS:
                raise ImportFileError(
                    f"第 {number} 个表格第 {r} 行有 {MAX_TABLE_COLUMNS} 列以上，"
                    f"超过了每个表格 {MAX_TABLE_COLUMNS} 列的上限。申报表用不了"
                    "这么多列：请删去多余的列，或确认上传的是申报表所在的文件。"
                )
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            continues = merge is not None and merge.get(f"{W}val") != "restart"
            if continues and column in above:
                cell = Cell(above[column].text, column, span, continued=True)
            else:
                text, tables = _cell(tc, number, r)
                nested += [(inner, column) for inner in tables]
                widens = tc.find(f"{W}tcPr/{W}hMerge")
                if row and widens is not None and widens.get(f"{W}val") != "restart":
                    before = row.pop()
                    text = "\n".join(t for t in (before.text, text) if t)
                    cell = replace(before, text=text, span=before.span + span)
                else:
                    cell = Cell(text, column, span)
            row.append(cell)
            above[cell.column] = cell
            column += span
        table.rows.append(row)
        pending += [(_rows(inner), at, {}) for inner, at in reversed(nested)]
    return table


def _rows(tbl):
    """A table's rows, but those deleted with changes tracked."""
    return (tr for tr in _wrapped(tbl, f"{W}tr") if tr.find(f"{W}trPr/{W}del") is None)


def _wrapped(element, tag: str):
    """The children of `element` named `tag`, and those content controls
    (w:sdt) or custom XML hold in their place: a table's rows, a row's
    cells."""
    pending = [iter(element)]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
        elif child.tag == tag:
            yield child
        elif child.tag == f"{W}sdt":
            if (content := child.find(f"{W}sdtContent")) is not None:
                pending.append(iter(content))
        elif child.tag == f"{W}customXml":
            pending.append(iter(child))


def _frame(tbl):
    """The cell of a one-cell table that holds tables, or None."""
    rows = list(itertools.islice(_rows(tbl), 2))
    cells = list(itertools.islice(_wrapped(rows[0], f"{W}tc"), 2)) if rows else []
    if len(rows) != 1 or len(cells) != 1:
        return None
    return cells[0] if next(_wrapped(cells[0], f"{W}tbl"), None) is not None else None


def _number(node, default: int) -> int:
    """A w:val count (a span, columns skipped); a garbled one is the default."""
    value = node.get(f"{W}val", "") if node is not None else ""
    number = whole_number(value, 0, 10**9)
    return default if number is None else min(number, 64)
