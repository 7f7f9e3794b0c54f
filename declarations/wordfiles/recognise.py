"""Finding the declarations in the blocks of a Word file: each table is
recognised by its label cells (项目编码, 预算数, 一级指标 …), not by its place
in the file, and read into the rows of the spreadsheet import, which then
previews, checks and writes them as it does a spreadsheet's.

What the tables leave out is taken from the paragraphs around them, as a
person reads the printed page: the project name from a heading
`3、…绩效目标表`, the unit from the line `450002秦皇岛市…局` above the table,
the year from `2020年部门预算…` or `（2023年度）`. A table that a page break
split into two Word tables is read as one. Every cell that is not placed is
listed with its table, row and text, so that nothing is dropped silently.

How one table is read is in `tables` and `indicator_block`, the words it
is read by in `labels`, a book's part one in `partone`.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from declarations.spreadsheet import columns
from declarations.spreadsheet.files import ImportFileError
from declarations.wordfiles.found import Found, Seen, Skipped, Unplaced
from declarations.wordfiles.indicator_block import indicator_header
from declarations.wordfiles.labels import (
    DEPARTMENT_LINE,
    FIELD_LABELS,
    HEADING,
    LOOKED_AT,
    MONEY_UNIT,
    UNIT_LINE,
    YEAR,
    label,
    matched,
    unit_pieces,
)
from declarations.wordfiles.partone import CONTINUED, PartOne, part_one
from declarations.wordfiles.reading import (
    MAX_TABLE_ROWS,
    Paragraph,
    Table,
    read_then,
)
from declarations.wordfiles.tables import read_table


@dataclass
class WordBook:
    year: int | None = None
    found: list[Found] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    tables: int = 0
    part_one: PartOne | None = None


def read_book(content: bytes) -> WordBook:
    """The declarations of a .docx: read and recognised in the bounded child."""
    return read_then(content, recognise)


def recognise(blocks: list[Paragraph | Table]) -> WordBook:
    book = WordBook()
    context = _Context()
    last_table: Table | None = None
    since_table: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            context.read(block.text, book)
            if block.text.strip() and not matched(CONTINUED, block.text.strip()):
                since_table.append(block)
            continue
        book.tables += 1
        if (
            last_table is not None
            and not _starts_a_table(block)
            and (not since_table or _only_indicators(block, last_table))
        ):
            # Split by a page break: the rows go on in the table before.
            last_table.rows.extend(block.rows)
            if len(last_table.rows) > MAX_TABLE_ROWS:
                raise ImportFileError(
                    f"第 {book.tables - 1} 个表格（连同跨页接续的部分）有 "
                    f"{MAX_TABLE_ROWS} 行以上，超过了每个表格 {MAX_TABLE_ROWS} 行的"
                    "上限。请删去多余的空行，或把这个表格拆开。"
                )
            book.tables -= 1
            continue
        last_table, since_table = block, []
        context.tables.append((book.tables, block, context.snapshot()))
    for number, table, seen in context.tables:
        read_table(number, table, seen, book)
    book.part_one = part_one(blocks)
    return book


class _Context:
    """What the paragraphs said before a table."""

    def __init__(self):
        self.seen = Seen()
        self.tables: list[tuple[int, Table, Seen]] = []

    def read(self, text: str, book: WordBook):
        pieces = [piece.strip() for piece in text.split("\t") if piece.strip()]
        if len(pieces) < 2:  # 450002秦皇岛市…局 ⇥ 单位：万元 on one line, or
            pieces = unit_pieces(text)  # spaces between them, or no gap
            if not all(matched(UNIT_LINE, p) or matched(MONEY_UNIT, p) for p in pieces):
                pieces = []
        if len(pieces) > 1:
            for piece in pieces:
                self.read(piece, book)
            return
        text = text.strip()
        if not text or len(text) > LOOKED_AT:
            return
        heading = HEADING.match(text)
        year = YEAR.search(text) if len(text) < 60 else None
        if book.year is None and year and not heading:
            book.year = int(year["year"])
        if heading:
            self.seen = Seen(heading_name=heading["name"])
        elif money := MONEY_UNIT.match(text):
            self.seen.in_yuan = money["unit"] == "元"
        elif named := DEPARTMENT_LINE.match(text):
            self.seen.heading_name = self.seen.heading_name or named["name"]
        elif unit := UNIT_LINE.match(text):
            self.seen.unit_code, self.seen.unit_name = unit["code"], unit["name"]

    def snapshot(self) -> Seen:
        seen, self.seen = self.seen, Seen()
        return seen


def _only_indicators(table: Table, before: Table) -> bool:
    """A table of indicators alone, after a table that has none: the two
    parts of one form, a caption such as 年度绩效指标 between them."""
    return (
        bool(table.rows)
        and indicator_header(table.rows[0]) is not None
        and not any(indicator_header(row) for row in before.rows)
    )


def _starts_a_table(table: Table) -> bool:
    """The first rows hold a declaration's own labels."""
    for row in table.rows[:3]:
        for cell in row:
            if FIELD_LABELS.get(label(cell.text)) in {"project_code", "project_name"}:
                return True
            if "申报表" in cell.text or "目标表" in cell.text:
                return True
    return False


def import_rows(
    book: WordBook, *, year: int, unit_code: str = "", department_code: str = ""
) -> list[dict]:
    """The recognised declarations as rows of the spreadsheet import: one a
    row of indicators, each repeating its declaration's columns."""
    rows = []
    for found in book.found:
        fields = dict(found.fields)
        fields["project_name"] = found.project_name
        if found.in_yuan:  # the import's amounts are in 万元
            for key in AMOUNTS:
                fields[key] = _in_wan(fields.get(key, ""))
        declared = {
            columns.UNIT_CODE.header: found.unit_code
            or (department_code if found.kind == "department_wide" else unit_code),
            columns.YEAR.header: str(year),
            columns.GOALS.header: found.goals,
            columns.SPENDING_PLAN.header: columns.SpendingPlan.format(found.plan),
        }
        if found.term_goals is not None:
            declared[columns.TERM_GOALS.header] = found.term_goals
        for column in [
            columns.PROJECT_CODE,
            columns.PROJECT_NAME,
            *columns.FIELDS,
            *columns.TERM_FIELDS,
            *columns.DEPARTMENT_WIDE,
        ]:
            if column.key in fields:
                declared[column.header] = fields[column.key]
        if found.kind == "department_wide":
            declared[columns.KIND.header] = "部门整体支出"
        for header in columns.REQUIRED_HEADERS:
            declared.setdefault(header, "")
        more_columns = {c.key: c.header for c in columns.ROW_MORE}
        for indicator, more in zip(
            found.rows or [[""] * len(columns.ROW)], found.more or [{}], strict=False
        ):
            rows.append(
                declared
                | {c.header: v for c, v in zip(columns.ROW, indicator, strict=True)}
                | {more_columns[key]: value for key, value in more.items()}
            )
    return rows


AMOUNTS = ["total", "fiscal", "other", "term_total", "term_fiscal", "term_other"]


def _in_wan(text: str) -> str:
    """An amount in 元 as 万元, or the text as it was if it is no number."""
    try:
        amount = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return text
    return f"{amount / 10000:f}" if amount.is_finite() else text
