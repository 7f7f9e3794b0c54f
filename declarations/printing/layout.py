"""The printed table: its rows with merged cells, its goals and spending
plan spans, for the pages and the PDFs alike."""

from dataclasses import dataclass, field

from declarations.models import Declaration, Grade
from indicators.checks import Finding

# Rows of free text longer than this may continue on the next page; shorter
# ones move whole, so that a label is never left alone at the foot of a page.
LONG_TEXT = 400


@dataclass
class TableRow:
    row: object  # IndicatorRow
    number: int  # 1-based position in the declaration
    index_in_level2: int  # 1-based, for "指标1:" numbering in the central layout
    level1_span: int = 0  # 0: merged into the cell above
    level2_span: int = 0
    findings: list[Finding] = field(default_factory=list)
    comments: list = field(default_factory=list)  # the reviewer's RowComments


def indicator_table(rows, findings: list[Finding] = ()) -> list[TableRow]:
    """Consecutive rows of the same first (and second) level share one cell."""
    table: list[TableRow] = []
    level1_head = level2_head = None
    count_in_level2 = 0
    for i, row in enumerate(rows):
        same_level1 = (
            level1_head is not None and row.level1_id == level1_head.row.level1_id
        )
        same_level2 = (
            same_level1
            and level2_head is not None
            and row.level2_id == level2_head.row.level2_id
        )
        count_in_level2 = count_in_level2 + 1 if same_level2 else 1
        item = TableRow(row=row, number=i + 1, index_in_level2=count_in_level2)
        if same_level1:
            level1_head.level1_span += 1
        else:
            item.level1_span = 1
            level1_head = item
        if same_level2:
            level2_head.level2_span += 1
        else:
            item.level2_span = 1
            level2_head = item
        item.findings = [f for f in findings if f.row == i]
        table.append(item)
    return table


def level1_groups(table: list[TableRow]) -> list[list[TableRow]]:
    """The rows of each merged first-level cell, to print as one row group."""
    groups: list[list[TableRow]] = []
    for item in table:
        if item.level1_span:
            groups.append([])
        groups[-1].append(item)
    return groups


@dataclass
class PrintedTable:
    """One declaration's table as the templates print it."""

    declaration: Declaration
    rows: list
    goals: list
    plan_spans: list[tuple[int, object, int]]
    grade_boxes: list[tuple[str, bool]]
    in_book: bool = False  # the book prints the numbered heading itself

    @property
    def long_goals(self) -> bool:
        return sum(len(g) for g in self.goals) > LONG_TEXT

    @property
    def long_duties(self) -> bool:
        return len(self.declaration.duties) > LONG_TEXT

    @property
    def long_fund_use(self) -> bool:
        return len(self.declaration.fund_use) > LONG_TEXT

    @property
    def groups(self):
        return level1_groups(self.rows)

    @property
    def template(self) -> str:
        return f"pdf/table_{self.declaration.layout}.html"


# The Hebei table's value area is a grid of this many equal columns, so that
# 2, 3, 4, 6, 8 or 12 checkpoints get equal widths.
PLAN_GRID = 24


def plan_spans(plan) -> list[tuple[int, object, int]]:
    """(month, percent, columns) of each checkpoint over the value grid, for
    the page and the PDF alike; a remainder goes to the last checkpoints."""
    n = len(plan) or 1
    base, extra = divmod(PLAN_GRID, n)
    return [
        (int(month), percent, base + (1 if i >= n - extra else 0))
        for i, (month, percent) in enumerate(plan)
    ]


PRINTED = ("goals", "indicators__level1", "indicators__level2")


def printed_table(declaration: Declaration, *, in_book: bool = False) -> PrintedTable:
    """The table of a declaration, loaded afresh with what it prints."""
    declaration = (
        Declaration.objects.select_related("organization")
        .prefetch_related(*PRINTED)
        .get(pk=declaration.pk)
    )
    return table_of(declaration, in_book=in_book)


def table_of(declaration: Declaration, *, in_book: bool = False) -> PrintedTable:
    """The table of a declaration loaded with PRINTED prefetched."""
    return PrintedTable(
        declaration=declaration,
        rows=indicator_table(list(declaration.indicators.all())),
        goals=[g.text for g in declaration.goals.all()],
        plan_spans=plan_spans(declaration.spending_plan),
        grade_boxes=[(g, g == declaration.grade) for g in Grade.values],
        in_book=in_book,
    )
