"""A layout definition: one province's printed table, as data.

A definition is a JSON document kept in the database (``TableLayout``) and
edited in the admin. Its ``parts`` are printed in order: headings, the
information grid (rows of label and field cells with their spans), the
indicator tables, side tables and the signature and review blocks at the
foot. ``read`` checks a document and gives the frozen ``Definition`` the
renderers and the entry forms work from; every error names where it is.
"""

import contextlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from declarations.fields import unstorable_in
from declarations.layouts.catalogue import (
    BASIC,
    HEADER_FIELDS,
    OWN_FIELD_KINDS,
    ROW_FIELDS,
)
from declarations.layouts.placement import (
    CONTEXT_NAMES,
    GUIDE,
    PAST_YEARS,
    check_placed,
    check_spans,
    entry_steps,
    placeholders,
)

SCHEMA = 1
MONEY_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001")}
PERIODS = {"annual", "term"}
ORIENTATIONS = {"portrait", "landscape"}
LINE_STYLES = {"above", "signature"}
SIDE_KINDS = {"short", "text", "money", "date"}
LEVELS = {"error", "warning"}  # a side table's 合计 unlike its fund field
MAX_COLUMNS = 48
MAX_NAME = 80  # within TableLayout.name
_FORM_NAMES = {"ORDER", "DELETE", "id"}  # a formset's own fields


class DefinitionError(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class OwnField:
    key: str
    label: str
    kind: str = "text"
    step: str = "basic"


@dataclass(frozen=True)
class Cell:
    label: str = ""  # a heading cell
    field: str = ""  # a field's value
    text: str = ""  # text with {field} placeholders
    span: int = 1
    rows: int = 1
    css: str | None = None  # None: the field's own class
    show: str = ""  # spending_plan: months or percents
    number: str = ""  # goals: the numbering, 目标{n}： or {n}、
    period: str = "annual"  # goals: the year's or the term's
    entry_label: str = ""  # the label in the entry form, if not the field's


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    number: str = ""  # level3: the numbering within its second level, 指标{n}：
    mark: bool = False  # level2: print (必填) and (必填硬性指标)


@dataclass(frozen=True)
class SideColumn:
    key: str
    label: str
    kind: str = "short"
    total: bool = False  # money: summed into a 合计 row
    compare: str = ""  # the fund field the 合计 should equal ("": none)
    level: str = ""  # what a 合计 unlike it is: error or warning


def column_total(rows, key: str) -> Decimal:
    """The 合计 of a side table's money column over its stored rows (amounts
    kept as "12.50"); a blank or unreadable cell adds nothing."""
    total = Decimal(0)
    for row in rows if isinstance(rows, list) else []:
        with contextlib.suppress(InvalidOperation):
            amount = Decimal(str(row.get(key) or 0) if isinstance(row, dict) else 0)
            total += amount if amount.is_finite() else 0
    return total


@dataclass(frozen=True)
class Part:
    kind: str
    text: str = ""
    items: tuple = ()
    style: str = ""
    widths: tuple = ()
    rows: tuple = ()  # info: tuples of Cells
    columns: tuple = ()  # indicators: Columns; side_table: SideColumns
    period: str = ""  # indicators: annual, term or "" for every row
    lead: str = ""  # indicators: a first column merged over each group
    caption: str = ""
    grade: bool = False
    key: str = ""  # side_table: where its rows are kept
    signers: str = ""  # review: the line under each opinion
    step: str = ""  # line: where its own fields are entered ("": basic)


@dataclass(frozen=True)
class Definition:
    name: str
    kind: str
    money_unit: str
    checkpoints: tuple[int, ...]
    orientation: str
    mandatory_level2: bool
    weight_total: Decimal | None
    fields: tuple[OwnField, ...]
    row_fields: tuple[OwnField, ...]
    parts: tuple[Part, ...]
    document: dict = field(compare=False, repr=False)

    @property
    def wan_per_unit(self) -> Decimal:
        """What one of the layout's money units is worth in 万元."""
        return MONEY_UNITS[self.money_unit]

    def cells(self):
        """Every cell of the information grids, in printed order."""
        for part in self.parts:
            for row in part.rows:
                yield from row

    def header_fields(self) -> list[str]:
        """The header fields the layout prints anywhere (its grids, lines
        and headings), in order, once each: those the entry pages ask for."""
        names = []
        for part in self.parts:
            names += [n for text in _texts(part) for n in placeholders(text)]
            for cell in (cell for row in part.rows for cell in row):
                names += [cell.field] if cell.field else []
                names += placeholders(cell.label) + placeholders(cell.text)
        return [n for n in dict.fromkeys(names) if n not in CONTEXT_NAMES | PAST_YEARS]

    def entry_labels(self) -> dict[str, str]:
        """The label each header field has in the entry form, where the
        layout gives one: the cell's ``entry_label``, else its own field's."""
        labels = {f.key: f.label for f in self.fields}
        for cell in self.cells():
            if cell.field and cell.entry_label:
                labels.setdefault(cell.field, cell.entry_label)
        return labels

    def goal_labels(self) -> dict[str, str]:
        """The goal periods the information grid prints, each with its
        entry label ("" where the cell gives none)."""
        labels = {}
        for cell in self.cells():
            if cell.field == "goals":
                labels.setdefault(cell.period, cell.entry_label)
        return labels

    def row_columns(self) -> list[str]:
        """The indicator fields any indicator table prints, in order."""
        seen = []
        for part in self.parts:
            seen += [c.field for c in part.columns if part.kind == "indicators"]
        return list(dict.fromkeys(seen))

    def own_field(self, key: str) -> OwnField | None:
        return next((f for f in self.fields if f.key == key), None)

    def side_tables(self) -> list[Part]:
        return [p for p in self.parts if p.kind == "side_table"]

    def field_label(self, name: str) -> str:
        """What the layout calls a header field: its entry label, else the
        label printed just before it, else its own or the system's label."""
        if label := self.entry_labels().get(name):
            return label
        for part in self.parts:
            for row in part.rows:
                for before, cell in zip(row, row[1:], strict=False):
                    if cell.field == name and before.label.strip():
                        return before.label.strip().rstrip("：:")
        spec = HEADER_FIELDS.get(name)
        return spec.label if spec else name

    @property
    def term_name(self) -> str:
        """What the layout calls the period beyond the year (中期, 实施期),
        or "" where it prints nothing of one."""
        labels = [self.goal_labels().get("term", "").removesuffix("目标")]
        labels += [
            c.label.removesuffix("指标值")
            for p in self.parts
            for c in p.columns
            if p.kind == "indicators" and c.field == "term_value"
        ]
        prints_term = (
            "term" in self.periods()
            or len(labels) > 1
            or "term_total" in self.header_fields()
        )
        return next((x for x in labels if x), "中期") if prints_term else ""

    def periods(self) -> set[str]:
        """The goal periods the layout prints: annual, and term if it has one."""
        found = set(self.goal_labels())
        found |= {p.period for p in self.parts if p.kind == "indicators" and p.period}
        return found or {"annual"}


def _texts(part: Part) -> list[str]:
    """The texts of a heading or a line, whose {placeholders} are filled."""
    if part.kind in {"heading", "title", "subtitle"}:
        return [part.text]
    return list(part.items) if part.kind == "line" else []


class _Reader:
    def __init__(self, *, stored: bool = False):
        self.errors: list[str] = []
        self.stored = stored

    def refuse(self, message: str):
        """A mistake a definition is refused for when it is saved, but that
        one stored before the check existed keeps (it prints as it did)."""
        if not self.stored:
            self.errors.append(message)

    def fail(self, where: str, message: str):
        self.errors.append(f"{where}：{message}")

    def text(self, data: dict, key: str, where: str, *, required=False) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            self.fail(f"{where}.{key}", "应为文字")
            return ""
        if required and not value.strip():
            self.fail(f"{where}.{key}", "不能为空")
        return value

    def integer(self, data: dict, key: str, where: str, default: int) -> int:
        value = data.get(key, default)
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not 1 <= value <= MAX_COLUMNS
        ):
            self.fail(f"{where}.{key}", f"应为 1–{MAX_COLUMNS} 之间的整数")
            return default
        return value

    def choice(self, data: dict, key: str, where: str, allowed, default: str) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or value not in allowed:
            self.fail(f"{where}.{key}", f"应为 {' / '.join(sorted(allowed))} 之一")
            return default
        return value

    def widths(self, data: dict, where: str) -> tuple:
        value = data.get("widths", [])
        if not isinstance(value, list) or not all(
            isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0
            for w in value
        ):
            self.fail(f"{where}.widths", "应为正数（百分比）的列表")
            return ()
        if value and abs(sum(value) - 100) > 0.5:
            self.fail(f"{where}.widths", f"各列宽度之和应为 100，现在是 {sum(value):g}")
        return tuple(Decimal(str(w)) for w in value)

    def items(self, data: dict, key: str, where: str):
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{where}.{key}", "应为列表")
            return []
        return value


def read(document, *, stored: bool = False) -> Definition:
    """The definition a JSON document describes; DefinitionError lists every
    mistake in it, each with where it is. A `stored` definition (a version
    declarations were made under) is not refused for what only the checks
    added since refuse: a field no entry page asks for, an unknown
    placeholder, a row that does not fill its table."""
    r = _Reader(stored=stored)
    if not isinstance(document, dict):
        raise DefinitionError(["定义应为一个 JSON 对象（以 { 开头）"])
    # A NUL or a lone surrogate (\u0000, \ud800 in the JSON) no database
    # text can hold: said here rather than by PostgreSQL as a 500.
    if found := unstorable_in(document):
        raise DefinitionError([found])
    if document.get("schema", SCHEMA) != SCHEMA:
        r.fail("schema", f"本系统只认第 {SCHEMA} 版定义")
    name = r.text(document, "name", "样式", required=True)
    if len(name) > MAX_NAME:
        r.fail("样式.name", f"名称不超过 {MAX_NAME} 个字，现在是 {len(name)} 个")
    kind = r.choice(document, "kind", "样式", {"project", "department_wide"}, "project")
    money_unit = r.choice(document, "money_unit", "样式", set(MONEY_UNITS), "万元")
    checkpoints = document.get("checkpoints", [3, 6, 9, 12])
    if (
        not isinstance(checkpoints, list)
        or not checkpoints
        or not all(isinstance(m, int) and 1 <= m <= 12 for m in checkpoints)
        or checkpoints != sorted(set(checkpoints))
    ):
        r.fail("checkpoints", "应为 1–12 之间、由小到大的月份，如 [3, 6, 10, 12]")
        checkpoints = [12]
    page = document.get("page", {})
    orientation = r.choice(
        page if isinstance(page, dict) else {},
        "orientation",
        "page",
        ORIENTATIONS,
        "portrait",
    )
    rules = document.get("rules", {}) if isinstance(document.get("rules"), dict) else {}
    weight_total = rules.get("weight_total")
    if weight_total is not None and (
        not isinstance(weight_total, (int, float))
        or isinstance(weight_total, bool)
        or not 0 < weight_total < 10_000
    ):
        r.fail("rules.weight_total", "应为正数，如 100；不核对分值时删去")
        weight_total = None
    own = _own_fields(r, document, "fields", OWN_FIELD_KINDS, HEADER_FIELDS)
    own_rows = _own_fields(r, document, "row_fields", {"short", "text"}, ROW_FIELDS)
    known_header = set(HEADER_FIELDS) | {f.key for f in own}
    known_rows = set(ROW_FIELDS) | {f.key for f in own_rows}
    parts, numbers = [], []
    for i, data in enumerate(r.items(document, "parts", "样式")):
        where = f"parts[{i}]"
        if not isinstance(data, dict):
            r.fail(where, "应为一个对象")
            continue
        parts.append(_part(r, data, i + 1, known_header, known_rows))
        numbers.append(i + 1)
    own = entry_steps(r, kind, own, zip(numbers, parts, strict=True))
    check_placed(r, kind, own, zip(numbers, parts, strict=True))
    if not any(p.kind == "indicators" for p in parts):
        r.fail("parts", "至少要有一个 indicators（绩效指标表）部分")
    _check_compared(r, kind, own, zip(numbers, parts, strict=True))
    side_keys = [p.key for p in parts if p.kind == "side_table"]
    if len(side_keys) != len(set(side_keys)) or set(side_keys) & known_header:
        r.fail("parts", "各 side_table 的 key 不能重复，也不能与字段同名")
    if r.errors:
        raise DefinitionError(r.errors)
    return Definition(
        name=name,
        kind=kind,
        money_unit=money_unit,
        checkpoints=tuple(checkpoints),
        orientation=orientation,
        mandatory_level2=bool(rules.get("mandatory_level2", False)),
        weight_total=None if weight_total is None else Decimal(str(weight_total)),
        fields=tuple(own),
        row_fields=tuple(own_rows),
        parts=tuple(parts),
        document=document,
    )


def _own_fields(r: _Reader, document, key, kinds, taken: dict) -> list[OwnField]:
    """The definition's own fields (``fields``) or columns (``row_fields``).
    An own field's ``step`` is read as given ("" where none is): it is
    checked against the entry pages once the parts are read."""
    found = []
    for i, data in enumerate(r.items(document, key, "样式")):
        where = f"{key}[{i}]"
        if not isinstance(data, dict):
            r.fail(where, "应为一个对象")
            continue
        name = r.text(data, "key", where, required=True)
        before = next((f for f in found if f.key == name), None)
        if not name.isidentifier() or not name.isascii():
            r.fail(f"{where}.key", "只能用英文字母、数字和下划线，如 feasibility")
        elif name in taken:
            printed = f"“{taken[name].label}”（{name}）"
            r.fail(f"{where}.key", f"{printed}已是本系统的栏目，请换一个键名")
        elif before is not None:
            printed = f"“{before.label}”（{name}）"
            r.fail(f"{where}.key", f"与前面的自定义栏目{printed}重名，请换一个键名")
        found.append(
            OwnField(
                key=name,
                label=r.text(data, "label", where, required=True),
                kind=r.choice(data, "kind", where, kinds, "text"),
                step=r.text(data, "step", where) if key == "fields" else BASIC,
            )
        )
    return found


PART_KINDS = {
    "heading",
    "title",
    "subtitle",
    "line",
    "info",
    "indicators",
    "side_table",
    "review",
}


def _part(r: _Reader, data: dict, number: int, known_header, known_rows) -> Part:
    where = f"parts[{number - 1}]"
    kind = r.choice(data, "kind", where, PART_KINDS, "title")
    if kind in {"heading", "title", "subtitle"}:
        return Part(kind=kind, text=r.text(data, "text", where, required=True))
    if kind == "line":
        items = [str(x) for x in r.items(data, "items", where)]
        style = r.choice(data, "style", where, LINE_STYLES, "above")
        step = r.text(data, "step", where)  # checked with the own fields
        return Part(kind=kind, items=tuple(items), style=style, step=step)
    if kind == "info":
        errors, rows = len(r.errors), []
        for j, row in enumerate(r.items(data, "rows", where)):
            if not isinstance(row, list):
                r.fail(f"{where}.rows[{j}]", "应为单元格的列表")
                continue
            rows.append(
                tuple(
                    _cell(r, cell, f"{where}.rows[{j}][{k}]", known_header)
                    for k, cell in enumerate(row)
                )
            )
        widths = r.widths(data, where)
        if len(r.errors) == errors:  # spans read as written
            check_spans(r, f"第 {number} 部分", rows, len(widths))
        return Part(kind=kind, widths=widths, rows=tuple(rows))
    if kind == "indicators":
        columns = []
        for j, column in enumerate(r.items(data, "columns", where)):
            at = f"{where}.columns[{j}]"
            if not isinstance(column, dict):
                r.fail(at, "应为一个对象")
                continue
            name = r.text(column, "field", at, required=True)
            if name and name not in known_rows:
                r.fail(
                    f"{at}.field",
                    f"没有“{name}”这个指标栏目；可用的有 {_listed(ROW_FIELDS)}，"
                    "或在 row_fields 中先定义",
                )
            columns.append(
                Column(
                    field=name,
                    label=r.text(column, "label", at, required=True),
                    number=r.text(column, "number", at),
                    mark=bool(column.get("mark", False)),
                )
            )
        widths = r.widths(data, where)
        lead = r.text(data, "lead", where)
        if widths and len(widths) != len(columns) + (1 if lead else 0):
            r.fail(f"{where}.widths", "列宽的个数应与栏目个数（含 lead 列）相同")
        if not columns:
            r.fail(f"{where}.columns", "至少要有一个栏目")
        return Part(
            kind=kind,
            widths=widths,
            columns=tuple(columns),
            period=r.choice(data, "period", where, PERIODS | {""}, ""),
            lead=lead,
            caption=r.text(data, "caption", where),
            grade=bool(data.get("grade", False)),
        )
    if kind == "side_table":
        key = r.text(data, "key", where, required=True)
        if not key.isidentifier() or not key.isascii():
            r.fail(f"{where}.key", "只能用英文字母、数字和下划线，如 schedule")
        columns = []
        for j, column in enumerate(r.items(data, "columns", where)):
            at = f"{where}.columns[{j}]"
            if not isinstance(column, dict):
                r.fail(at, "应为一个对象")
                continue
            name = r.text(column, "key", at, required=True)
            if not name.isidentifier() or not name.isascii() or name in _FORM_NAMES:
                r.fail(f"{at}.key", "只能用英文字母、数字和下划线，如 start")
            elif name in {c.key for c in columns}:
                r.fail(f"{at}.key", f"“{name}”与前面的栏目重复，请换一个")
            columns.append(_side_column(r, column, name, at))
        if not columns:
            r.fail(f"{where}.columns", "至少要有一个栏目")
        elif columns[0].total:
            r.fail(f"{where}.columns[0].total", "第一栏印“合计”二字，不能求和")
        widths = r.widths(data, where)
        if widths and len(widths) != len(columns):
            r.fail(f"{where}.widths", "列宽的个数应与栏目个数相同")
        return Part(
            kind=kind,
            key=key,
            text=r.text(data, "title", where, required=True),
            widths=widths,
            columns=tuple(columns),
        )
    # review: the opinions printed at the foot, each with its signers' line.
    items = [str(x) for x in r.items(data, "items", where)]
    if not items:
        r.fail(f"{where}.items", "至少要有一项审核意见，如“主管部门审核意见”")
    return Part(
        kind=kind,
        items=tuple(items),
        text=r.text(data, "title", where),
        signers=r.text(data, "signers", where) or "审核人：　　　　日期：",
    )


def _side_column(r: _Reader, data: dict, name: str, at: str) -> SideColumn:
    label = r.text(data, "label", at, required=True)
    kind = r.choice(data, "kind", at, SIDE_KINDS, "short")
    named = f"栏目“{label}”（{name}）"
    total = data.get("total", False)
    if not isinstance(total, bool) or (total and kind != "money"):
        r.fail(f"{at}.total", f'{named}：只有 money 栏目可以写 "total": true')
        total = False
    compare = data.get("compare")
    if compare is None:
        return SideColumn(key=name, label=label, kind=kind, total=total)
    if not isinstance(compare, dict) or not total:
        r.fail(
            f"{at}.compare",
            f'{named}：应写在 "total": true 的栏目上，'
            '如 {"field": "total", "level": "error"}',
        )
        return SideColumn(key=name, label=label, kind=kind, total=total)
    level = compare.get("level", "error")
    if not isinstance(level, str) or level not in LEVELS:
        r.fail(
            f"{at}.compare.level",
            f"{named}：level 应为 error（错误）或 warning（提醒），不是“{level}”",
        )
        level = "error"  # its field is still checked
    field_name = str(compare.get("field", ""))
    return SideColumn(
        key=name, label=label, kind=kind, total=total, compare=field_name, level=level
    )


def _check_compared(r: _Reader, kind: str, own: list[OwnField], parts):
    """A side table's 合计 is compared with a money field the entry pages
    of this kind of declaration ask for."""
    money = {
        key: spec.label
        for key, spec in HEADER_FIELDS.items()
        if spec.kind == "money" and kind in spec.kinds
    } | {f.key: f.label for f in own if f.kind == "money"}
    for number, part in parts:
        for j, column in enumerate(part.columns if part.kind == "side_table" else ()):
            if column.level and column.compare not in money:
                r.fail(
                    f"parts[{number - 1}].columns[{j}].compare.field",
                    f"栏目“{column.label}”（{column.key}）的合计要比较的"
                    f"“{column.compare}”不是资金栏目；可用的有 "
                    + "、".join(f"{label}（{key}）" for key, label in money.items()),
                )


def _cell(r: _Reader, data, where: str, known) -> Cell:
    if not isinstance(data, dict):
        r.fail(where, '应为一个对象，如 {"label": "项目名称"}')
        return Cell()
    given = [k for k in ("label", "field", "text") if k in data]
    if len(given) != 1:
        r.fail(where, "每个单元格要有 label、field、text 三者之一")
        return Cell()
    name = r.text(data, "field", where)
    if name and name not in known:
        r.fail(
            f"{where}.field",
            f"没有“{name}”这个栏目，也没有在 fields 中定义{GUIDE}",
        )
    text = r.text(data, "text", where)  # its {placeholders}: _check_placed
    show = ""
    if name == "spending_plan":
        show = r.choice(data, "show", where, {"months", "percents"}, "months")
    css = data.get("class")
    return Cell(
        label=r.text(data, "label", where),
        field=name,
        text=text,
        span=r.integer(data, "span", where, 1),
        rows=r.integer(data, "rows", where, 1),
        css=css if isinstance(css, str) else None,
        show=show,
        number=r.text(data, "number", where),
        period=r.choice(data, "period", where, PERIODS, "annual"),
        entry_label=r.text(data, "entry_label", where),
    )


def _listed(catalogue: dict) -> str:
    return "、".join(f"{spec.label}（{key}）" for key, spec in catalogue.items())
