"""The printed table's rows, with merged cells, for pages and PDFs alike."""

from dataclasses import dataclass, field

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
