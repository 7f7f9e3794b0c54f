"""The printed table: its rows with merged cells and its goals, drawn by
the declaration's layout definition (printing.cells), for the pages and the
PDFs alike."""

from dataclasses import dataclass, field
from functools import cached_property

from declarations.layouts.definition import Definition
from declarations.layouts.versions import definition_of
from declarations.models import Declaration, Grade
from declarations.printing import cells
from declarations.printing.cells import PrintedPart, printed_parts
from indicators.checks import Finding


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
    return cells.merged(
        [
            TableRow(
                row=row,
                number=i + 1,
                index_in_level2=1,
                findings=[f for f in findings if f.row == i],
            )
            for i, row in enumerate(rows)
        ]
    )


@dataclass
class PrintedTable:
    """One declaration's table as the templates print it."""

    declaration: Declaration
    rows: list
    goals: list
    grade_boxes: list[tuple[str, bool]]
    definition: Definition
    in_book: bool = False  # the book prints the numbered heading itself
    template = "pdf/table.html"

    @cached_property
    def parts(self) -> list[PrintedPart]:
        return printed_parts(
            self.declaration,
            self.definition,
            list(self.declaration.goals.all()),
            self.rows,
        )


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
        definition=definition_of(declaration),
        declaration=declaration,
        rows=indicator_table(list(declaration.indicators.all())),
        goals=[g.text for g in declaration.goals.all()],
        grade_boxes=[(g, g == declaration.grade) for g in Grade.values],
        in_book=in_book,
    )
