"""A declaration drawn by its layout definition: the parts of the printed
table as rows of cells, for the PDF (pdf/table.html) and the pages
(declarations/table.html) alike.

The definition says which cell holds what; this module says what each field
prints, so a new layout needs a definition and no code.
"""

from dataclasses import dataclass, field, replace

from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from declarations.layouts.catalogue import HEADER_FIELDS, OWN_FIELD_CSS, ROW_FIELDS
from declarations.layouts.definition import (
    Cell,
    Column,
    Definition,
    Part,
    column_total,
)
from declarations.layouts.placement import fill_years, year_of

# Rows of free text longer than this may continue on the next page; shorter
# ones move whole, so that a label is never left alone at the foot of a page.
LONG_TEXT = 400

# The Hebei table's value area is a grid of this many equal columns, so that
# 2, 3, 4, 6, 8 or 12 checkpoints get equal widths.
PLAN_GRID = 24

SUFFIX = "指标"


@dataclass
class PrintedCell:
    text: str = ""  # plain text; a td prints its line breaks
    header: bool = False  # th
    colspan: int = 1
    rowspan: int = 1
    css: str = ""
    name: str = ""  # the field, for the pages' data-cell
    markup: SafeString | None = None  # level names and marks, already HTML


@dataclass
class PrintedRow:
    cells: list[PrintedCell]
    long: bool = False
    item: object = None  # the TableRow of an indicator row
    lead_rows: int = 0  # the lead column's cell spans this many rows here


@dataclass
class PrintedPart:
    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    style: str = ""
    widths: list[str] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    rows: list[PrintedRow] = field(default_factory=list)
    groups: list[list[PrintedRow]] = field(default_factory=list)
    caption: str = ""
    lead: str = ""
    grade_colspan: int = 0
    column_count: int = 0  # the columns without the lead


def plan_spans(plan, grid: int = PLAN_GRID) -> list[tuple[int, object, int]]:
    """(month, percent, columns) of each checkpoint over `grid` columns, for
    the page and the PDF alike; a remainder goes to the last checkpoints."""
    n = len(plan) or 1
    base, extra = divmod(grid, n)
    return [
        (int(month), percent, base + (1 if i >= n - extra else 0))
        for i, (month, percent) in enumerate(plan)
    ]


def level_markup(name: str) -> SafeString:
    """A first- or second-level name that wraps only before its closing 指标
    (服务对象满意度 / 指标), never inside a word."""
    if name.endswith(SUFFIX) and len(name) > len(SUFFIX):
        return format_html(
            '<span class="nobr">{}</span><span class="nobr">{}</span>',
            name.removesuffix(SUFFIX),
            SUFFIX,
        )
    return format_html('<span class="nobr">{}</span>', name)


def _amount(value) -> str:
    return "" if value is None else localize(value)


class _Header:
    """What each header field of one declaration prints."""

    def __init__(self, declaration, definition: Definition, goals):
        self.d = declaration
        self.definition = definition
        self.goals = goals  # Goal objects in order

    def context(self, name: str) -> str:
        d = self.d
        if name == "money_unit":
            return self.definition.money_unit
        if name == "unit_code":
            return d.organization.code
        if name == "unit_name":
            return d.organization.name
        if (year := year_of(name, d.year)) is not None:
            return year
        return self.value(name)

    def years(self, text: str) -> str:
        """A column label or caption with its {year}, {year-1}, {year-2}."""
        return fill_years(text, self.d.year)

    def fill(self, text: str) -> str:
        """Text with its {placeholders} filled."""
        out, rest = [], text
        while "{" in rest:
            before, after = rest.split("{", 1)
            if "}" not in after:
                break
            name, rest = after.split("}", 1)
            out += [before, self.context(name)]
        return "".join(out) + rest

    def goal_texts(self, period: str) -> list[str]:
        return [g.text for g in self.goals if getattr(g, "period", "annual") == period]

    def value(self, name: str, cell: Cell | None = None) -> str:
        d = self.d
        if name == "department":
            code = f"（{d.department_code}）" if d.department_code else ""
            return f"{d.department_name}{code}"
        if name == "attribute":
            return d.get_attribute_display()
        if name == "unit":
            return f"{d.organization.code}{d.organization.name}"
        if name == "year":
            return str(d.year)
        if name == "goals":
            number = cell.number if cell else ""
            period = cell.period if cell else "annual"
            return "\n".join(
                number.replace("{n}", str(i)) + text
                for i, text in enumerate(self.goal_texts(period), start=1)
            )
        if name in {"income_split", "spending_split"}:
            unit = self.definition.money_unit
            return "其中：" + "".join(
                f"\n{label}：{_amount(amount)}{unit}"
                for label, amount in getattr(d, name)
                if amount is not None
            )
        spec = HEADER_FIELDS.get(name)
        if spec is None:  # the definition's own field
            own = self.definition.own_field(name)
            value = d.extra.get(name, "") if isinstance(d.extra, dict) else ""
            return (
                _amount(value)
                if own and own.kind == "money" and value
                else str(value or "")
            )
        if spec.kind == "money":
            return _amount(getattr(d, name))
        return str(getattr(d, name) or "")

    def measure(self, name: str, cell: Cell) -> int:
        """How long a field's text is, to tell a long row."""
        if name == "goals":
            return sum(len(t) for t in self.goal_texts(cell.period))
        return len(self.value(name, cell))

    def css(self, name: str) -> str:
        spec = HEADER_FIELDS.get(name)
        if spec is not None:
            return spec.css
        own = self.definition.own_field(name)
        return OWN_FIELD_CSS.get(own.kind, "") if own else ""


def _info_rows(part: Part, header: _Header) -> list[PrintedRow]:
    rows = []
    for row in part.rows:
        cells, long = [], False
        for cell in row:
            if cell.label:
                cells.append(
                    PrintedCell(
                        text=header.fill(cell.label),
                        header=True,
                        colspan=cell.span,
                        rowspan=cell.rows,
                        css=cell.css or "",
                    )
                )
            elif cell.field == "spending_plan":
                for month, percent, span in plan_spans(
                    header.d.spending_plan, cell.span
                ):
                    months = cell.show == "months"
                    cells.append(
                        PrintedCell(
                            text=f"{month}月底" if months else _amount(percent),
                            header=months,
                            colspan=span,
                            css="" if months else "num",
                            name="" if months else "plan",
                        )
                    )
            elif cell.field:
                css = header.css(cell.field) if cell.css is None else cell.css
                long = long or (
                    css == "text" and header.measure(cell.field, cell) > LONG_TEXT
                )
                cells.append(
                    PrintedCell(
                        text=header.value(cell.field, cell),
                        colspan=cell.span,
                        rowspan=cell.rows,
                        css=css,
                        name=cell.field,
                    )
                )
            else:
                cells.append(
                    PrintedCell(
                        text=header.fill(cell.text),
                        colspan=cell.span,
                        rowspan=cell.rows,
                        css=cell.css or "",
                        name=(cell.text and _first_placeholder(cell.text)) or "",
                    )
                )
        rows.append(PrintedRow(cells=cells, long=long))
    return rows


def _first_placeholder(text: str) -> str:
    if "{" in text and "}" in text.split("{", 1)[1]:
        return text.split("{", 1)[1].split("}", 1)[0]
    return ""


def row_text(column: Column, row) -> str:
    """What an indicator column prints for one row, as text."""
    name = column.field
    if name == "operator":
        return row.operator_label
    if name == "number":
        return row.number_text
    if name == "unit":
        return row.value_unit
    if name == "value_kind":
        return row.get_value_kind_display() if row.value_kind else ""
    if name == "weight":
        return "" if row.weight is None else format(row.weight.normalize(), "f")
    if name in ROW_FIELDS:
        return str(getattr(row, name) or "")
    return str((row.extra or {}).get(name, "") if isinstance(row.extra, dict) else "")


def _level_cell(column: Column, item) -> PrintedCell | None:
    level = column.field
    span = item.level1_span if level == "level1" else item.level2_span
    if not span:
        return None  # merged into the cell above
    chosen = getattr(item.row, level)
    name = chosen.name if chosen else ""
    markup = level_markup(name) if name else mark_safe("")
    if level == "level2" and column.mark and chosen and chosen.mark:
        markup = format_html('{}<span class="mark">{}</span>', markup, chosen.mark)
    return PrintedCell(text=name, rowspan=span, css="level", name=level, markup=markup)


def merged(items: list) -> list:
    """Copies of table rows with the spans of consecutive equal levels
    counted among these rows only (a layout prints each period apart)."""
    out, level1_head, level2_head, count = [], None, None, 0
    for item in items:
        item = replace(item, level1_span=0, level2_span=0)
        row = item.row
        same1 = level1_head is not None and row.level1_id == level1_head.row.level1_id
        same2 = (
            same1
            and level2_head is not None
            and row.level2_id == level2_head.row.level2_id
        )
        count = count + 1 if same2 else 1
        item.index_in_level2 = count
        if same1:
            level1_head.level1_span += 1
        else:
            item.level1_span, level1_head = 1, item
        if same2:
            level2_head.level2_span += 1
        else:
            item.level2_span, level2_head = 1, item
        out.append(item)
    return out


def _indicator_part(
    part: Part, table: list, grade: bool, header: _Header
) -> PrintedPart:
    items = merged([i for i in table if not part.period or i.row.period == part.period])
    groups: list[list[PrintedRow]] = []
    for item in items:
        cells = []
        for column in part.columns:
            if column.field in {"level1", "level2"}:
                cell = _level_cell(column, item)
                if cell:
                    cells.append(cell)
                continue
            text = row_text(column, item.row)
            if column.field == "level3" and column.number:
                text = column.number.replace("{n}", str(item.index_in_level2)) + text
            cells.append(
                PrintedCell(
                    text=text,
                    css=ROW_FIELDS[column.field].css
                    if column.field in ROW_FIELDS
                    else "text",
                    name=column.field,
                )
            )
        if item.level1_span:
            groups.append([])
        groups[-1].append(PrintedRow(cells=cells, item=item))
    for group in groups:
        group[0].lead_rows = len(group)
    head = ([part.lead] if part.lead else []) + [c.label for c in part.columns]
    head = [header.years(label) for label in head]
    return PrintedPart(
        kind="indicators",
        widths=[format(w, "f") for w in part.widths],
        head=head,
        groups=groups,
        caption=header.years(part.caption),
        lead=header.years(part.lead),
        grade_colspan=len(head) - 1 if part.grade and grade else 0,
        column_count=len(part.columns),
    )


def _side_table(part: Part, header: _Header) -> PrintedPart:
    extra = header.d.extra if isinstance(header.d.extra, dict) else {}
    stored = extra.get(part.key) or []
    rows = [
        PrintedRow(
            cells=[
                PrintedCell(
                    text=str(entry.get(c.key, "") if isinstance(entry, dict) else ""),
                    css=OWN_FIELD_CSS.get(c.kind, ""),
                    name=c.key,
                )
                for c in part.columns
            ]
        )
        for entry in stored
        if isinstance(entry, dict)
    ]
    if totals := side_totals(part, stored):
        rows.append(PrintedRow(cells=totals))
    return PrintedPart(
        kind="side_table",
        text=header.years(part.text),
        widths=[format(w, "f") for w in part.widths],
        head=[header.years(c.label) for c in part.columns],
        rows=rows,
    )


def side_totals(part: Part, rows) -> list[PrintedCell]:
    """A side table's 合计 row, summed from its rows (none where no column
    is summed): 合计 in the first column, two decimals under each sum."""
    if not any(c.total for c in part.columns):
        return []
    return [
        PrintedCell(text="合计", header=True, name="total_label")
        if i == 0
        else PrintedCell(
            text=f"{column_total(rows, c.key):.2f}" if c.total else "",
            css=OWN_FIELD_CSS.get(c.kind, ""),
            name=f"{c.key}_total" if c.total else "",
        )
        for i, c in enumerate(part.columns)
    ]


def printed_parts(
    declaration, definition: Definition, goals, table: list, *, grade: bool = True
) -> list[PrintedPart]:
    """Every part of the declaration's table, in the definition's order."""
    header = _Header(declaration, definition, goals)
    parts = []
    for part in definition.parts:
        if part.kind in {"heading", "title", "subtitle"}:
            parts.append(PrintedPart(kind=part.kind, text=header.fill(part.text)))
        elif part.kind == "line":
            items = [header.fill(x) for x in part.items]
            parts.append(PrintedPart(kind="line", items=items, style=part.style))
        elif part.kind == "info":
            parts.append(
                PrintedPart(
                    kind="info",
                    widths=[format(w, "f") for w in part.widths],
                    rows=_info_rows(part, header),
                )
            )
        elif part.kind == "indicators":
            parts.append(_indicator_part(part, table, grade, header))
        elif part.kind == "side_table":
            parts.append(_side_table(part, header))
        else:
            parts.append(
                PrintedPart(
                    kind="review",
                    text=header.years(part.text),
                    items=[header.years(x) for x in part.items],
                    style=part.signers,
                )
            )
    return parts


def as_screen_html(cell: PrintedCell) -> SafeString:
    """A cell's content for the pages: line breaks as <br>."""
    if cell.markup is not None:
        return cell.markup
    return mark_safe(escape(cell.text).replace("\n", "<br>"))


def as_html(cell: PrintedCell) -> SafeString:
    """A cell's content for the PDF: markup, or escaped text whose line
    breaks the cell's white-space prints."""
    if cell.markup is not None:
        return cell.markup
    if cell.header:
        return mark_safe(escape(cell.text).replace("\n", "<br>"))
    return escape(cell.text)
