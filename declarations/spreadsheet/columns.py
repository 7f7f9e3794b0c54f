"""The columns of the spreadsheet format, one object per column: its header,
how the export writes it and how the import reads it, side by side.

One flat sheet (申报数据): one row per indicator row, each repeating its
declaration's columns, so that a sheet can be filtered and sorted in Excel
and the same columns serve xlsx and csv. A declaration without indicator
rows has one row with the indicator columns empty. The goals share one cell,
one goal a line; the spending plan reads 3月底:25.00；6月底:50.00；…
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial

from django.core.exceptions import FieldDoesNotExist, ValidationError

from declarations import fields as rules
from declarations.models import (
    Declaration,
    DeclarationKind,
    Goal,
    IndicatorRow,
    Period,
    ProjectAttribute,
)
from declarations.text import clean_text, item_lines

SHEET = "申报数据"

# A cell starting with one of these is run as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape(value):
    """Text that a spreadsheet would run as a formula gets a leading ';
    control characters, which Excel files cannot hold, are dropped."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


@dataclass
class ExportRow:
    """One spreadsheet row: a declaration with one of its indicator rows."""

    declaration: object
    goals: list[str]
    number: int | None = None
    row: object = None  # an IndicatorRow, or None for a declaration without rows
    term_goals: list[str] = field(default_factory=list)
    definition: object = None  # the layout's, for its own fields and unit

    @property
    def wan_per_unit(self) -> Decimal:
        return self.definition.wan_per_unit if self.definition else Decimal(1)


class Cells:
    """One spreadsheet row being read: its cells by header, with a callback
    that records a problem against the row and a column."""

    def __init__(self, number: int, values: dict, report: Callable[[str, str], None]):
        self.number, self.values, self.report = number, values, report
        # What the row's layout keeps money in, as 万元 (the file's unit):
        # known once its unit code is read.
        self.wan_per_unit = Decimal(1)

    def has(self, column: "Column") -> bool:
        """Whether the file has the column at all (files made before a column
        was added leave what it holds as stored)."""
        return column.header in self.values

    def text(self, column: "Column") -> str:
        raw = self.values.get(column.header)
        # A formula typed into a CSV (an .xlsx gives the value it shows).
        if isinstance(raw, str) and raw.startswith("="):
            self.report(
                column.header,
                f"单元格是公式（{raw[:30]}），请改为直接填写的数值或文字。",
            )
            return ""
        if raw is None:
            return ""
        if isinstance(raw, float):
            # As Excel shows it (15 significant digits): 0.1 + 0.2 is 0.3.
            raw = int(raw) if raw.is_integer() else format(raw, ".15g")
        return unescape(clean_text(str(raw)).strip())

    def parse(self, header: str, rule, value, where: str = ""):
        """`value` as the field's rule in declarations.fields reads it (the
        entry pages and the admin read it by the same rule); a refusal is
        reported in the rule's words, after `where` if given, and gives
        None."""
        try:
            return rule(value)
        except ValidationError as error:
            self.report(header, where + error.messages[0])
            return None


def too_long(what: str, limit: int, length: int) -> str:
    return f"{what}最多 {limit} 个字，这里有 {length} 个，请删减。"


@dataclass(frozen=True)
class Column:
    """A column of the declaration's own text: written as stored, read as typed,
    no longer than the database keeps (so that a preview that says OK
    confirms)."""

    header: str
    key: str
    model = Declaration

    def write(self, row: ExportRow):
        return getattr(row.declaration, self.key)

    def read(self, cells: Cells):
        text = cells.text(self)
        limit = self.max_length
        if limit and len(text) > limit:
            cells.report(self.header, too_long(self.header, limit, len(text)))
            return text[:limit]
        return text

    @cached_property
    def max_length(self) -> int | None:
        try:
            return self.model._meta.get_field(self.key).max_length
        except FieldDoesNotExist:
            return None


class UnitCode(Column):
    def write(self, row):
        return row.declaration.organization.code


class Year(Column):
    def read(self, cells):
        text = cells.text(self)
        if not text:
            cells.report(self.header, rules.YEAR_MESSAGE)
            return None
        return cells.parse(self.header, rules.parse_year, text)


_ATTRIBUTES = {label: value for value, label in ProjectAttribute.choices}


class Attribute(Column):
    def write(self, row):
        declaration = row.declaration
        return declaration.get_attribute_display() if declaration.attribute else ""

    def read(self, cells):
        label = cells.text(self)
        value = _ATTRIBUTES.get(label, "")
        if label and not value:
            cells.report(
                self.header,
                f"项目属性“{label}”无效，请填写“新增项目”或“延续性项目”。",
            )
        return value


class Amount(Column):
    """万元 in the file, as its header says, however the layout keeps it: a
    layout in 元 is written in 万元 to the 分 (six decimals) and read back
    into 元. Read by the funds page's rule (declarations.fields.money)."""

    def write(self, row):
        amount = getattr(row.declaration, self.key)
        return None if amount is None else float(amount * row.wan_per_unit)

    def read(self, cells) -> Decimal | None:
        rule = rules.money("万元", typed_per_kept=cells.wan_per_unit)
        return cells.parse(self.header, rule.parse, cells.text(self))


# Matched on an item with its spaces stripped, and so without a trailing
# \s* after a lazy part: on a cell of 20,000 spaces that took seconds.
_PLAN_ITEM = re.compile(r"([0-9]{1,2})\s*月底?\s*[:：]\s*(.*)", re.S)


def _shown(text: str) -> str:
    """An item as a message quotes it: a long one by its start."""
    text = text.strip()
    return text if len(text) <= 40 else text[:40] + "…"


class SpendingPlan(Column):
    """3月底:25.00；6月底:50.00；10月底:75.00；12月底:100.00"""

    def write(self, row):
        return self.format(row.declaration.spending_plan)

    @staticmethod
    def format(plan: list[list]) -> str:
        return "；".join(
            f"{int(month)}月底:{'' if percent is None else percent}"
            for month, percent in plan
        )

    def read(self, cells) -> list[list]:
        pairs = []
        for item in re.split(r"[；;]", cells.text(self)):
            if not item.strip():
                continue
            match = _PLAN_ITEM.match(item.strip())
            if not match:
                cells.report(
                    self.header,
                    f"“{_shown(item)}”读不懂，请写成“3月底:25；6月底:50；10月底:75；12月底:100”。",
                )
                return []
            pairs.append(match.groups())
        return cells.parse(self.header, rules.parse_plan, pairs) or []


class Goals(Column):
    """One goal a line, numbered 1、2、… (numbers are optional when read)."""

    def write(self, row):
        return self.format(row.goals)

    @staticmethod
    def format(goals: list[str]) -> str:
        return "\n".join(f"{i}、{text}" for i, text in enumerate(goals, start=1))

    def read(self, cells) -> list[str]:
        goals = item_lines(cells.text(self))
        limit = Goal._meta.get_field("text").max_length
        for number, goal in enumerate(goals, start=1):
            if len(goal) > limit:
                cells.report(
                    self.header, too_long(f"第 {number} 条目标", limit, len(goal))
                )
        return [goal[:limit] for goal in goals]


class TermGoals(Goals):
    """The 中期 (长期, 实施期) goals of a layout that prints them."""

    def write(self, row):
        return self.format(row.term_goals)


_KINDS = {label: value for value, label in DeclarationKind.choices}


class Kind(Column):
    """项目支出 or 部门整体支出 (a department's own table); blank: 项目支出."""

    def write(self, row):
        return row.declaration.get_kind_display()

    def read(self, cells) -> str:
        label = cells.text(self)
        value = _KINDS.get(label or DeclarationKind.PROJECT.label)
        if value is None:
            cells.report(
                self.header,
                f"申报类型“{label}”无效，请填写“项目支出”或“部门整体支出”。",
            )
            return DeclarationKind.PROJECT
        return value


_SPLIT_ITEM = re.compile(r"([^:：]+)[:：](.*)", re.S)


class Split(Column):
    """A department's budget split, 公共财政拨款:834.02；其他:0.00, in 万元."""

    def write(self, row):
        return "；".join(
            f"{label}:{'' if a in (None, '') else Decimal(str(a)) * row.wan_per_unit}"
            for label, a in getattr(row.declaration, self.key) or []
        )

    def read(self, cells) -> list[list]:
        rule = rules.money("万元", typed_per_kept=cells.wan_per_unit)
        pairs = []
        for item in re.split(r"[；;\n]", cells.text(self)):
            if not item.strip():
                continue
            match = _SPLIT_ITEM.fullmatch(item.strip())
            if not match or not match[1].strip():
                cells.report(
                    self.header,
                    f"“{_shown(item)}”读不懂，请写成“公共财政拨款:834.02；其他:0”（万元）。",
                )
                return []
            pairs.append([match[1].strip(), match[2].strip()])
        return (
            cells.parse(self.header, partial(rules.parse_split, rule=rule), pairs) or []
        )


class Written(Column):
    """Written for information; the import does not read it."""

    def write(self, row):
        match self.key:
            case "status":
                return row.declaration.get_status_display()
            case "row_number":
                return row.number
        return super().write(row)

    def read(self, cells):
        return None


class RowText(Column):
    """A text of the indicator row."""

    model = IndicatorRow

    def write(self, row):
        return getattr(row.row, self.key) if row.row else ""


class Weight(RowText):
    """分值: a number of at most two decimals."""

    def write(self, row):
        weight = row.row.weight if row.row else None
        return None if weight is None else float(weight)

    def read(self, cells) -> Decimal | None:
        return cells.parse(self.header, rules.WEIGHT.parse, cells.text(self))


class RowPeriod(RowText):
    """年度 or 中期: which goals' indicator the row is."""

    def write(self, row):
        return row.row.get_period_display() if row.row else ""

    def read(self, cells) -> str:
        label = cells.text(self)
        value = _PERIODS.get(label or "年度")
        if value is None:
            cells.report(self.header, f"目标期“{label}”无效，请填写“年度”或“中期”。")
            return Period.ANNUAL
        return value


_PERIODS = {label: value for value, label in Period.choices} | {
    "长期": Period.TERM,
    "实施期": Period.TERM,
}


class Level(RowText):
    """A level's name; the import looks it up in the taxonomy."""

    def write(self, row):
        level = getattr(row.row, self.key) if row.row else None
        return level.name if level else ""


UNIT_CODE = UnitCode("单位代码", "unit_code")
YEAR = Year("年度", "year")
PROJECT_CODE = Column("项目编码", "project_code")
PROJECT_NAME = Column("项目名称", "project_name")
ATTRIBUTE = Attribute("项目属性", "attribute")
SPENDING_PLAN = SpendingPlan("资金支出计划（%）", "spending_plan")
# The declaration's own fields, in the order they are read.
FIELDS = [
    Column("主管部门", "department_name"),
    Column("主管部门代码", "department_code"),
    Column("实施单位", "implementing_unit"),
    ATTRIBUTE,
    Column("项目期", "period"),
    Amount("预算数（万元）", "total"),
    Amount("财政资金（万元）", "fiscal"),
    Amount("其他资金（万元）", "other"),
    Column("资金用途", "fund_use"),
    SPENDING_PLAN,
]
GOALS = Goals("绩效目标", "goals")
WRITTEN = [
    Written("状态", "status"),
    Written("综合评定等级", "grade"),
    Written("指标序号", "row_number"),
]
LEVEL1 = Level("一级指标", "level1")
LEVEL2 = Level("二级指标", "level2")
VALUE = RowText("指标值", "value")
# The indicator row's columns, in the order of the table.
ROW = [
    LEVEL1,
    LEVEL2,
    RowText("三级指标", "level3"),
    RowText("绩效指标描述", "description"),
    VALUE,
    RowText("指标值确定依据", "basis"),
]

# Columns added with the layouts as data, after the first ones so that files
# made before them still read: the term's funds and goals, and the fields an
# indicator row has where a layout prints them.
TERM_FIELDS = [
    Amount("中期资金总额（万元）", "term_total"),
    Amount("中期财政拨款（万元）", "term_fiscal"),
    Amount("中期其他资金（万元）", "term_other"),
]
TERM_GOALS = TermGoals("中期目标", "term_goals")
KIND = Kind("申报类型", "kind")
# A department-wide table's own columns (its 资金总额 is 预算数).
DEPARTMENT_WIDE = [
    Column("部门职能职责", "duties"),
    Split("按收入性质分（万元）", "income_split"),
    Split("按支出性质分（万元）", "spending_split"),
]
ROW_MORE = [
    RowPeriod("目标期", "period"),
    RowText("中期指标值", "term_value"),
    RowText("指标解释", "explanation"),
    RowText("评分标准", "scoring"),
    Weight("分值", "weight"),
    RowText("历史指标值", "history"),
]
ROW_ALL = [*ROW, *ROW_MORE]

COLUMNS = [
    UNIT_CODE,
    YEAR,
    PROJECT_CODE,
    PROJECT_NAME,
    *FIELDS,
    GOALS,
    *WRITTEN,
    *ROW,
    *TERM_FIELDS,
    TERM_GOALS,
    KIND,
    *DEPARTMENT_WIDE,
    *ROW_MORE,
]
HEADERS = [column.header for column in COLUMNS]
# A file must have the first columns; the later ones it may lack.
REQUIRED_HEADERS = [
    c.header
    for c in [
        UNIT_CODE,
        YEAR,
        PROJECT_CODE,
        PROJECT_NAME,
        *FIELDS,
        GOALS,
        *WRITTEN,
        *ROW,
    ]
]


OWN_LIMIT = 2000  # OWN_TEXT_LIMIT of the entry forms
SIDE_LIMIT = 20_000  # a side table's cell of JSON


@dataclass(frozen=True)
class OwnColumn(Column):
    """A layout's own field, side table or indicator column, by its label
    (`key`): kept in ``extra`` under the key that the row's layout gives the
    label, so that layouts naming the same thing alike share a column."""

    scope: str = "header"  # header, side or row

    def _own(self, definition):
        if definition is None:
            return None
        if self.scope == "side":
            return next(
                (p for p in definition.side_tables() if p.text == self.key), None
            )
        fields = definition.fields if self.scope == "header" else definition.row_fields
        return next((f for f in fields if f.label == self.key), None)

    def applies(self, definition) -> bool:
        return self._own(definition) is not None

    def write(self, row):
        own = self._own(row.definition)
        holder = row.declaration if self.scope != "row" else row.row
        extra = getattr(holder, "extra", None) if holder is not None else None
        if own is None or not isinstance(extra, dict):
            return ""
        value = extra.get(own.key)
        if self.scope == "side":
            rows = [r for r in value or [] if isinstance(r, dict)]
            labels = [(c.key, c.label) for c in own.columns]
            return (
                json.dumps(
                    [{label: r.get(key, "") for key, label in labels} for r in rows],
                    ensure_ascii=False,
                )
                if rows
                else ""
            )
        return "" if value is None else str(value)

    def read_own(self, cells, definition):
        """(key, value) for the row's layout, or None if it has no such field."""
        own = self._own(definition)
        if own is None:
            return None
        text = cells.text(self)
        if self.scope == "side":
            return own.key, self._side_rows(cells, own, text)
        if len(text) > OWN_LIMIT:
            cells.report(self.header, too_long(self.header, OWN_LIMIT, len(text)))
            text = text[:OWN_LIMIT]
        return own.key, own_value(cells, self.header, own.kind, text)

    def _side_rows(self, cells, part, text) -> list[dict]:
        if not text:
            return []
        example = "、".join(c.label for c in part.columns)
        problem = (
            f'应为表格各行的 JSON，如 [{{"{part.columns[0].label}": "…"}}]，'
            f"栏目为：{example}。"
        )
        if len(text) > SIDE_LIMIT:
            cells.report(self.header, too_long(self.header, SIDE_LIMIT, len(text)))
            return []
        try:
            rows = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: [[[[…]]]]
            rows = None
        labels = {c.label: c.key for c in part.columns}
        if not isinstance(rows, list) or not all(
            isinstance(r, dict)
            and set(r) <= set(labels)
            and all(isinstance(v, str | int | float) for v in r.values())
            for r in rows
        ):
            cells.report(self.header, problem)
            return []
        if len(rows) > SIDE_MAX_ROWS:
            cells.report(
                self.header, f"最多 {SIDE_MAX_ROWS} 行，这里有 {len(rows)} 行。"
            )
            return []
        kinds = {c.key: c.kind for c in part.columns}
        return [
            {
                key: own_value(
                    cells,
                    self.header,
                    kinds[key],
                    clean_text(str(r.get(label, ""))).strip(),
                    where=f"第 {n} 行“{label}”",
                )
                for label, key in labels.items()
            }
            for n, r in enumerate(rows, start=1)
        ]


SIDE_MAX_ROWS = 50  # MAX_LIST_ROWS of the entry forms


def own_value(cells, header: str, kind: str, text: str, where: str = "") -> str:
    """An own field's text as the entry form keeps it (by the form's rule):
    an amount with two decimals, a date as 2026-03-31; what is neither is
    reported."""
    if not text or kind not in {"money", "date"}:
        return text
    rule = rules.parse_date if kind == "date" else rules.OWN_MONEY.parse
    value = cells.parse(header, rule, text, f"{where}：" if where else "")
    if value is None:
        return ""
    return value.isoformat() if kind == "date" else f"{value:.2f}"


def own_columns(definitions) -> list[OwnColumn]:
    """The own columns of these layouts, once each by label: header fields,
    side tables, then indicator columns. A label that a fixed column already
    has is not repeated (the fixed column is meant)."""
    found: dict[tuple[str, str], OwnColumn] = {}
    for definition in definitions:
        owned = [
            *(("header", f.label) for f in definition.fields),
            *(("side", p.text) for p in definition.side_tables()),
            *(("row", f.label) for f in definition.row_fields),
        ]
        for scope, label in owned:
            found.setdefault((scope, label), None)
    order = {"header": 0, "side": 1, "row": 2}
    columns, headers = [], set(HEADERS)
    for scope, label in sorted(found, key=lambda k: order[k[0]]):
        if label in HEADERS:
            continue
        # The same label in two scopes (备注 of the table and of a row): the
        # row's column says so, so that no two columns share a header.
        header = label if label not in headers else f"{label}（指标栏目）"
        headers.add(header)
        columns.append(OwnColumn(header, label, scope=scope))
    return columns
