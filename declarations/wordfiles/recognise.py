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

No pattern reads more than LOOKED_AT characters of a line: the lines they
look for (a heading, a unit line, 部门名称：…) are short, and a pattern that
may backtrack costs the square of what it reads. What is stored is never
shortened by that.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from declarations.spreadsheet import columns
from declarations.spreadsheet.files import ImportFileError
from declarations.text import item_lines, without_number
from declarations.wordfiles.reading import (
    MAX_TABLE_ROWS,
    Cell,
    Paragraph,
    Table,
    read_then,
)

LOOKED_AT = 200

# A label as written, spaces and colons dropped, to the field it names.
FIELD_LABELS = {
    "项目编码": "project_code",
    "项目代码": "project_code",
    "项目名称": "project_name",
    "主管部门": "department_name",
    "主管部门及代码": "department",
    "实施单位": "implementing_unit",
    "项目属性": "attribute",
    "项目期": "period",
    "项目日期": "period",
    "项目周期": "period",
    "预算数": "total",
    "年度资金总额": "total",
    "资金总额": "total",
    "其中财政资金": "fiscal",
    "其中财政拨款": "fiscal",
    "财政资金": "fiscal",
    "财政拨款": "fiscal",
    "其他资金": "other",
    "资金用途": "fund_use",
    "部门名称": "project_name",  # a department-wide table is named by it
    "部门职能职责概述": "duties",
    "部门职能职责": "duties",
    "职能职责": "duties",
    "绩效目标": "goals",
    "年度绩效目标": "goals",
    "年度总体目标": "goals",
    "年度目标": "goals",
    "总体目标": "goals",
}
# Cells that only name a block of the table (their content is elsewhere).
FRAME_LABELS = {
    "预算规模及资金用途",
    "项目资金",
    "项目资金万元",
    "项目资金元",
    "年度预算",
    "年度预算万元",
    "绩效指标",
    "年度绩效指标",
    "资金支出计划",
    "年度预算申请",
    "年度预算申请万元",
    "部门整体支出年度绩效指标",
}
SPLIT_HEADERS = {"按收入性质分": "income_split", "按支出性质分": "spending_split"}
# Layouts that print the medium term beside the year head their columns so:
# the rows below give, under each, the term's and the year's amounts or goals.
COLUMN_HEADS = {
    "中期资金总额": "term",
    "实施期资金总额": "term",
    "年度资金总额": "year",
    "中期目标": "term",
    "实施期目标": "term",
    "长期目标": "term",
    "年度目标": "year",
}
# A row label under such heads, to the fields of the year and of the term.
HEADED_ROWS = {
    "资金总额": ("total", "term_total"),
    "其中财政拨款": ("fiscal", "term_fiscal"),
    "其中财政资金": ("fiscal", "term_fiscal"),
    "财政拨款": ("fiscal", "term_fiscal"),
    "其他资金": ("other", "term_other"),
    "总体目标": ("goals", "term_goals"),
    "": ("goals", "term_goals"),  # the goals row under its merged label
}
# 资金总额：834.02万元 — a label and its amount in one cell.
INLINE_TOTAL = re.compile(r"^\s*(年度)?资金总额\s*[:：]\s*(?P<amount>\d[\d,.]*)")
_SPLIT_LINE = re.compile(
    r"^\s*(其中\s*[:：])?\s*(?P<label>[^:：\d]+?)\s*[:：]\s*(?P<amount>\d[\d,.]*)"
)
# 填报单位（盖章）：… 单位负责人（签名）：… above a department-wide table.
SIGNATURE = re.compile(r"^\s*(填报单位|单位负责人|联系人|联系电话)")
# Template text the printed form carries, not a declaration's content.
FORM_ROWS = {"综合评定等级", "审核意见", "备注"}
ROW_LABELS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "level3",
    "绩效指标描述": "description",
    "指标描述": "description",
    "指标内容": "description",
    "指标值": "value",
    "年度指标值": "value",
    "中期指标值": "term_value",
    "实施期指标值": "term_value",
    "长期指标值": "term_value",
    # Layouts that split the value: 符号 | 指标值 | 计量单位.
    "符号": "operator",
    "计算符号": "operator",
    "计量单位": "unit",
    "分值": "weight",
    "赋分原则": "scoring",
    "评分标准": "scoring",
    "历史指标值": "history",
    "指标解释": "explanation",
    "指标值确定依据": "basis",
    "指标值设定依据": "basis",
}
_NOT_LABEL = re.compile(r"[\s:：（）()%％]")
HEADING = re.compile(r"^\s*\d{1,3}\s*[、.．]\s*(?P<name>.+?)\s*绩效目标(申报)?表\s*$")
# 450002秦皇岛市北戴河区医疗保障局: a code and a name. Not 2024年…, 300万元…,
# 100%…, 834.02 or 450-002: what follows the digits must start a name.
UNIT_LINE = re.compile(
    r"^\s*(?P<code>\d{3,20})(?![\d.．,，%％\-－/])\s*"
    r"(?P<name>(?![年月日号万元个人次条项])[^\d\s].*?)\s*$"
)
MONEY_UNIT = re.compile(
    r"^\s*[（(]?\s*(金额|资金)?单位\s*[:：]\s*(?P<unit>万?元)\s*[）)]?\s*$"
)
# A document's year as it states it: 2020年部门预算…, （2023年度）, 2024年度….
# Not any 20xx年 (a project named 2024年…, a date under the table).
YEAR = re.compile(r"(?P<year>20\d{2})\s*年\s*(度|部门预算|部门整体|预算)")
# 部门名称：衡东县医疗保障局 written above a department-wide table.
DEPARTMENT_LINE = re.compile(r"^\s*部门名称\s*[:：]\s*(?P<name>\S.*?)\s*$")
# 主管部门及代码 written 衡东县医疗保障局（430424）, or with the code alone.
_CODE_IN_BRACKETS = re.compile(r"[（(]\s*\d{3,}\s*[）)]\s*$")
_CODE_AT_END = re.compile(r"[（(]?\s*(\d{3,})\s*[）)]?\s*$")
MONTH = re.compile(r"^\s*(\d{1,2})\s*月")
# 数量指标 (必填硬性指标), 社会效益 指标: the level's name is what is left.
_LEVEL_NOTE = re.compile(r"[（(][^）)]*[）)]|\s+")
# 指标1: …, 目标2：… numbering that the tables put before a name or goal.
_NUMBERED = re.compile(r"^\s*(指标|目标)\s*\d{1,3}\s*[:：.、]\s*")


def label(text: str) -> str:
    return _NOT_LABEL.sub("", text)


def _match(pattern: re.Pattern, text: str) -> re.Match | None:
    """pattern.match(text), for a line short enough to be what it seeks."""
    return pattern.match(text) if len(text) <= LOOKED_AT else None


@dataclass(frozen=True)
class Unplaced:
    """A cell (or line) the import could not place."""

    table: int  # 1-based, in the file's order; 0 for text outside tables
    row: int  # 1-based within its table
    text: str


@dataclass(frozen=True)
class Skipped:
    """A table that is not a performance table (机构设置, 三公经费, 政府采购 …):
    listed at preview as 不是绩效目标表，未导入, never imported."""

    number: int  # 1-based, in the file's order
    opening: str  # its first cells, for a person to know it by


# The classes of the rows of an indicator block, as the preview names them.
ROW_KINDS = {
    "head": "表头",
    "indicator": "指标",
    "continuation": "接上行",
    "note": "说明（并入指标值确定依据）",
    "spare": "空行",
    "form": "表格固定内容",
}


@dataclass(frozen=True)
class RowKind:
    """What one row of an indicator block was read as."""

    row: int  # 1-based within its table (after a page-break split is joined)
    kind: str  # a key of ROW_KINDS
    text: str = ""  # its cells' text, shortened, for a person to find it

    @property
    def label(self) -> str:
        return ROW_KINDS[self.kind]


@dataclass
class Found:
    """One table recognised as a declaration."""

    number: int  # 1-based, in the file's order
    kind: str  # project (Hebei), central, department_wide
    fields: dict[str, str] = field(default_factory=dict)
    goals: str = ""
    plan: list[list] = field(default_factory=list)  # [[month, percent], …]
    rows: list[list[str]] = field(default_factory=list)  # in columns.ROW order
    # Per row, the values of the columns some layouts add (中期指标值 …).
    more: list[dict[str, str]] = field(default_factory=list)
    term_goals: str | None = None
    unit_code: str = ""
    unit_name: str = ""
    heading_name: str = ""
    in_yuan: bool = False  # its amounts are in 元 (单位：元, 项目资金（元）)
    # Each row of its indicator block, classified (see ROW_KINDS).
    row_kinds: list[RowKind] = field(default_factory=list)
    # Why it cannot be read, when it speaks of targets but has none.
    trouble: str = ""

    @property
    def project_name(self) -> str:
        return self.fields.get("project_name") or self.heading_name

    @property
    def kind_label(self) -> str:
        return {
            "project": "项目绩效目标表",
            "central": "项目支出绩效目标申报表",
            "department_wide": "部门整体支出绩效目标申报表",
        }[self.kind]


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


@dataclass
class WordBook:
    year: int | None = None
    found: list[Found] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    tables: int = 0
    part_one: PartOne | None = None


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
        if not inside and _match(PART_ONE, text):
            inside = True
            continue
        if inside and _match(PART_TWO, text):
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
            if block.text.strip() and not _match(CONTINUED, block.text.strip()):
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
        _read_table(number, table, seen, book)
    book.part_one = part_one(blocks)
    return book


@dataclass
class _Seen:
    heading_name: str = ""
    unit_code: str = ""
    unit_name: str = ""
    in_yuan: bool = False


class _Context:
    """What the paragraphs said before a table."""

    def __init__(self):
        self.seen = _Seen()
        self.tables: list[tuple[int, Table, _Seen]] = []

    def read(self, text: str, book: WordBook):
        pieces = [piece.strip() for piece in text.split("\t") if piece.strip()]
        if len(pieces) < 2:  # 450002秦皇岛市…局 ⇥ 单位：万元 on one line, or
            pieces = unit_pieces(text)  # spaces between them, or no gap
            if not all(_match(UNIT_LINE, p) or _match(MONEY_UNIT, p) for p in pieces):
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
            self.seen = _Seen(heading_name=heading["name"])
        elif money := MONEY_UNIT.match(text):
            self.seen.in_yuan = money["unit"] == "元"
        elif named := DEPARTMENT_LINE.match(text):
            self.seen.heading_name = self.seen.heading_name or named["name"]
        elif unit := UNIT_LINE.match(text):
            self.seen.unit_code, self.seen.unit_name = unit["code"], unit["name"]

    def snapshot(self) -> _Seen:
        seen, self.seen = self.seen, _Seen()
        return seen


def _only_indicators(table: Table, before: Table) -> bool:
    """A table of indicators alone, after a table that has none: the two
    parts of one form, a caption such as 年度绩效指标 between them."""
    return (
        bool(table.rows)
        and _indicator_header(table.rows[0]) is not None
        and not any(_indicator_header(row) for row in before.rows)
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


@dataclass
class _Top:
    """Where the rows above the indicator block have got to."""

    plan_months: list[int] = field(default_factory=list)
    plan_label: str = ""  # 资金支出计划（%）, which a row may repeat
    # The field whose text goes on in the rows below its label (资金用途,
    # 绩效目标) while their first cell is empty, merged or the label again.
    carry: str = ""
    carry_label: str = ""


@dataclass
class _Block:
    """An indicator block being read."""

    header: dict[int, str]  # grid column -> row field
    start: int = 0  # the first row of found.rows since the head or a note
    last_note: str = ""
    waiting_notes: list[str] = field(default_factory=list)  # before any row


def _read_table(number: int, table: Table, seen: _Seen, book: WordBook):
    found = Found(number=number, kind="project", heading_name=seen.heading_name)
    found.unit_code, found.unit_name = seen.unit_code, seen.unit_name
    found.in_yuan = seen.in_yuan
    placed: set[tuple[int, int]] = set()  # (row, index of the cell)
    block: _Block | None = None
    top = _Top()
    splits: dict[int, str] = {}  # grid column -> income_split / spending_split
    heads: dict[int, str] = {}  # grid column -> term / year
    for r, row in enumerate(table.rows):
        if block is not None:
            _read_indicator(found, row, block, r, placed)
            continue
        header = _indicator_header(row)
        if header is not None:
            block = _Block(header)
            placed.update((r, i) for i in range(len(row)))
            found.row_kinds.append(RowKind(r + 1, "head", _row_text(row)))
            continue
        if new_heads := _column_heads(row):
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
        if splits:
            _read_splits(found, row, splits, r, placed)
            splits = {}
        for i, cell in enumerate(row):
            if name := SPLIT_HEADERS.get(label(cell.text)):
                splits[cell.column] = name
                placed.add((r, i))
                found.kind = "department_wide"
            elif total := INLINE_TOTAL.match(cell.text):
                found.fields.setdefault("total", total["amount"].replace(",", ""))
                placed.add((r, i))
            elif _match(SIGNATURE, cell.text):
                placed.add((r, i))
        _read_labels(found, r, row, placed, top)
    if block is not None:
        _end_block(found, block)
    if block is None and not found.goals and not found.term_goals:
        if not _speaks_of_targets(table):
            # 机构设置, 收支预算, 三公经费, 政府采购 …: a 项目名称 and a 预算数
            # alone do not make a performance table.
            book.skipped.append(Skipped(number, _opening_cells(table)))
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
    if "department" not in found.fields and _CODE_IN_BRACKETS.search(
        found.fields.get("department_name", "")[-LOOKED_AT:]
    ):
        found.fields["department"] = found.fields.pop("department_name")
    if "department" in found.fields:
        department = found.fields.pop("department")
        code = _CODE_AT_END.search(department, max(0, len(department) - LOOKED_AT))
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


def _column_heads(row: list[Cell]) -> dict[int, str]:
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


def _read_splits(found: Found, row: list[Cell], splits, r, placed):
    """The amounts under 按收入性质分 and 按支出性质分, as the spreadsheet
    writes them: 公共财政拨款:834.02；…"""
    for i, cell in enumerate(row):
        name = _under(cell, splits)
        if name is None:
            continue
        items = [
            f"{m['label'].strip()}:{m['amount'].replace(',', '')}"
            for line in re.split(r"[\n；;]", cell.text)
            if (m := _match(_SPLIT_LINE, line))
        ]
        if items:
            found.fields[name] = "；".join(items)
            placed.add((r, i))


def _indicator_header(row: list[Cell]) -> dict[int, str] | None:
    header = {}
    for cell in row:
        name = ROW_LABELS.get(label(cell.text))
        if name is None and label(cell.text).startswith("指标值"):
            name = "basis" if "依据" in cell.text else "value"
        if name:
            header[cell.column] = name
    wanted = {"level1", "level2", "level3"}
    return header if wanted <= set(header.values()) else None


def _row_text(row: list[Cell]) -> str:
    """A row's cells, each once, for a person to find the row by."""
    text = " | ".join(c.text for c in row if c.text and not c.continued)
    return _shortened(text, 60)


def _shortened(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length] + "…"


def _opening_cells(table: Table) -> str:
    """The first cells of a table with text, as the preview names it by."""
    texts = []
    for row in table.rows[:4]:
        texts += [c.text for c in row if c.text and not c.continued]
        if len(texts) >= 4:
            break
    return _shortened("、".join(texts[:4]), 80) or "（空表格）"


TARGET_WORDS = ("绩效目标", "指标值", "绩效指标")


def _speaks_of_targets(table: Table) -> bool:
    return any(
        word in cell.text[:LOOKED_AT]
        for row in table.rows
        for cell in row
        for word in TARGET_WORDS
    )


def _read_indicator(found: Found, row: list[Cell], block: _Block, r, placed):
    """One row of an indicator block, classified (see ROW_KINDS)."""
    header = block.header

    def kind(name: str) -> None:
        found.row_kinds.append(RowKind(r + 1, name, _row_text(row)))

    if _indicator_header(row) is not None:  # the head again, after a split
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
        values[name] = _LEVEL_NOTE.sub("", values.get(name, ""))
    values["level3"] = _NUMBERED.sub("", values.get("level3", ""))
    if found.rows and not values["level1"]:
        # Left blank under the row above: a merge that a page break cut
        # (Word keeps the text above it), or one drawn without merging.
        above = dict(zip([c.key for c in columns.ROW], found.rows[-1], strict=True))
        values["level1"] = above["level1"]
        values["level2"] = values["level2"] or above["level2"]
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


def _add_note(found: Found, block: _Block, note: str) -> None:
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


def _end_block(found: Found, block: _Block) -> None:
    rows = found.rows[block.start :] or found.rows
    for note in block.waiting_notes:
        if rows:
            _note_into(rows, note)
        else:  # a block of notes alone: kept where the preview shows them
            found.trouble = found.trouble or (
                f"指标表中只有说明“{_shortened(note, 30)}”，没有指标。"
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
        if (heading := _match(HEADING, cell.text)) and not found.heading_name:
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
    units = [_match(UNIT_LINE, p) for p in pieces]
    money = [_match(MONEY_UNIT, p) for p in pieces]
    if not pieces or not all(u or m for u, m in zip(units, money, strict=True)):
        return False
    for unit, amount in zip(units, money, strict=True):
        if amount:
            found.in_yuan = amount["unit"] == "元"
        elif unit and not found.unit_code:
            found.unit_code, found.unit_name = unit["code"], unit["name"]
    placed.add((r, i))
    return True


# Pieces of a line that people separate with tabs, runs of spaces or
# full-width spaces: 450002秦皇岛市…局      单位：万元.
_GAP = re.compile(r"\t|\s{2,}|\u3000+")
_BEFORE_MONEY_UNIT = re.compile(
    r"(?<![（(\s])(?=[（(]?\s*(?:金额|资金)?单位\s*[:：]\s*万?元)"
)


def unit_pieces(text: str) -> list[str]:
    """The pieces of a unit line, 单位：万元 apart from the name before it."""
    if len(text) > LOOKED_AT:
        return []
    pieces = []
    for piece in _GAP.split(text):
        pieces += _BEFORE_MONEY_UNIT.split(piece)
    return [p.strip() for p in pieces if p and p.strip()]


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
