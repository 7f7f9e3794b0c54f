"""Reading a Word (.docx) file as the blocks a person sees: paragraphs and
tables in document order, each table as rows of the cells printed in them.

Word keeps a merged cell once: a horizontal merge is one cell spanning grid
columns (w:gridSpan); a vertical merge is a first cell (w:vMerge restart)
and, in each row below, an empty cell saying "continued". Here every cell
knows its grid column and span, and a continued cell carries the text of
the cell it continues, marked `continued`, so that a reader of the rows
finds the 一级指标 of every indicator row however it was merged.

A .docx is a zip: sized before it is unpacked (the spreadsheet import's
limits), and parsed in a child process (declarations.bounded) so that no
file can bloat or stall the worker; recognising the declarations in it
runs in that child too (`read_then`), so only the result comes back. The
XML is read with ElementTree, whose expat refuses external entities and
caps entity expansion, and walked without recursion, however deeply its
content controls nest. A file past the caps below is refused with a
message that says where: no declaration table comes near them.
"""

import logging
import zipfile
from dataclasses import dataclass, field
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

# Caps on what one file may hold.
MAX_TABLES = 500
MAX_TABLE_ROWS = 500
MAX_TABLE_COLUMNS = 60  # grid columns
MAX_PARAGRAPH = 10_000  # characters of a paragraph, or of a table's cell

logger = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A Word 97-2003 file (and any OLE compound file) starts with these bytes.
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")

NOT_DOCX = (
    "这个文件不是有效的 Word 文档（.docx）。请在 Word 或 WPS 中打开它，"
    "“另存为”Word 文档（*.docx）后再上传。"
)
WORD_97 = (
    "这是 Word 97-2003 格式（.doc）的文件，系统只能读取 .docx。请在 Word 或 WPS 中"
    "打开它，选择“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再上传新文件。"
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
    if content.startswith(OLE_SIGNATURE):
        raise ImportFileError(WORD_97)
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
    """The body's paragraphs and tables, those inside content controls
    (w:sdt) in their place, however deeply nested."""
    tables, paragraphs = 0, 0
    pending = [iter(body)]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
        elif child.tag == f"{W}p":
            paragraphs += 1
            yield _paragraph(child, paragraphs)
        elif child.tag == f"{W}tbl":
            tables += 1
            if tables > MAX_TABLES:
                raise ImportFileError(
                    f"这个 Word 文件有 {MAX_TABLES} 个以上的表格，超过了一次导入的"
                    f"上限（{MAX_TABLES} 个）。请把各表分成几个文件分别导入。"
                )
            yield _table(child, tables)
        elif (
            child.tag == f"{W}sdt"  # a content control: its content counts
            and (content := child.find(f"{W}sdtContent")) is not None
        ):
            pending.append(iter(content))


def _paragraph(p, number: int) -> Paragraph:
    style = p.find(f"{W}pPr/{W}pStyle")
    breaks = (
        any(br.get(f"{W}type") == "page" for br in p.iter(f"{W}br"))
        or p.find(f"{W}pPr/{W}pageBreakBefore") is not None
    )
    text = _text(p)
    if len(text) > MAX_PARAGRAPH:
        raise ImportFileError(
            f"文件中第 {number} 段文字有 {len(text):,} 个字符，超过了 "
            f"{MAX_PARAGRAPH:,} 个的上限（申报表最长的栏目也只有 3,000 字）。"
            f"这段文字以“{_opening(text)}”开头，请删去或分段后再上传。"
        )
    return Paragraph(
        text=text,
        style=style.get(f"{W}val", "") if style is not None else "",
        page_break=breaks,
    )


def _text(element) -> str:
    """The text of a paragraph as printed: runs, tabs, line breaks."""
    parts = []
    # Within runs only: a paragraph's tab stops (w:pPr/w:tabs/w:tab) are
    # settings, not characters.
    for run in element.iter(f"{W}r"):
        for node in run:
            if node.tag == f"{W}t":
                parts.append(node.text or "")
            elif node.tag == f"{W}tab":
                parts.append("\t")
            elif node.tag == f"{W}br" and node.get(f"{W}type") in (
                None,
                "textWrapping",
            ):
                parts.append("\n")
    return "".join(parts)


def _opening(text: str) -> str:
    """The first characters of a text, for a person to find it by."""
    shown = "".join(c if c.isprintable() else " " for c in text[:12]).strip()
    return shown + "…" if shown else "（空白或制表符）"


def _cell_text(tc, number: int, row: int) -> str:
    """A cell's paragraphs (those of tables nested in it too), one a line,
    with the spaces Word users type around them dropped."""
    lines = [_text(p).strip() for p in tc.iter(f"{W}p")]
    while lines and not lines[-1]:
        lines.pop()
    text = "\n".join(lines).strip()
    if len(text) > MAX_PARAGRAPH:
        raise ImportFileError(
            f"第 {number} 个表格第 {row} 行有一格文字有 {len(text):,} 个字符，"
            f"超过了 {MAX_PARAGRAPH:,} 个的上限（申报表最长的栏目也只有 3,000 字）。"
            f"这格以“{_opening(text)}”开头，请删去多余的文字后再上传。"
        )
    return text


def _table(tbl, number: int) -> Table:
    table = Table()
    above: dict[int, Cell] = {}  # the cell last seen at each grid column
    for r, tr in enumerate(tbl.iterfind(f"{W}tr"), start=1):
        if r > MAX_TABLE_ROWS:
            raise ImportFileError(
                f"第 {number} 个表格有 {MAX_TABLE_ROWS} 行以上，超过了每个表格 "
                f"{MAX_TABLE_ROWS} 行的上限。申报表用不了这么多行：请删去多余的"
                "空行，或把这个表格拆开。"
            )
        row = []
        column = _number(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        for tc in tr.iterfind(f"{W}tc"):
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
                cell = Cell(_cell_text(tc, number, r), column, span)
            row.append(cell)
            above[column] = cell
            column += span
        table.rows.append(row)
    return table


def _number(node, default: int) -> int:
    """A w:val count (a span, columns skipped); a garbled one is the default."""
    value = node.get(f"{W}val", "") if node is not None else ""
    number = whole_number(value, 0, 10**9)
    return default if number is None else min(number, 64)
