"""Writing declarations to the spreadsheet format: each column writes its
own cell and escapes formulas; the rows stream to the file as they are
made (1,000 declarations took 9 s through django-import-export's Resource
and openpyxl, 1.2 s so, through spreadsheet.xlsx). The layouts among the
declarations add their own columns (项目概况, 实施进度计划, 指标重要性 …)."""

from declarations.layouts.versions import definitions_at
from declarations.models import DeclarationKind, Period
from declarations.spreadsheet.columns import (
    COLUMNS,
    SHEET,
    ExportRow,
    OwnColumn,
    RowText,
    escape,
    own_columns,
)
from declarations.spreadsheet.files import write_file


def _projects(declarations):
    """Project and department-wide tables alike: all a department files."""
    return declarations.filter(
        kind__in=[DeclarationKind.PROJECT, DeclarationKind.DEPARTMENT_WIDE]
    )


def layout_definitions(declarations) -> dict[tuple[str, int], object]:
    """The definition of each (layout, version) the declarations are under,
    in two queries however many declarations."""
    return definitions_at(
        declarations.values_list("layout_id", "layout_version").distinct()
    )


def export_rows(declarations, definitions=None):
    declarations = _projects(declarations)
    if definitions is None:
        definitions = layout_definitions(declarations)
    declarations = (
        declarations.select_related("organization")
        .prefetch_related("goals", "indicators__level1", "indicators__level2")
        .order_by("organization__code", "year", "project_code", "pk")
    )
    for declaration in declarations:
        goals = list(declaration.goals.all())
        common = {
            "goals": [g.text for g in goals if g.period == Period.ANNUAL],
            "term_goals": [g.text for g in goals if g.period == Period.TERM],
            "definition": definitions[
                (declaration.layout_id, declaration.layout_version)
            ],
        }
        rows = list(declaration.indicators.all())
        if not rows:
            yield ExportRow(declaration, **common)
        for number, row in enumerate(rows, start=1):
            yield ExportRow(declaration, number=number, row=row, **common)


def per_row(column) -> bool:
    """Whether the column differs from one indicator row of a declaration to
    the next."""
    if isinstance(column, OwnColumn):
        return column.scope == "row"
    return isinstance(column, RowText) or column.key == "row_number"


def export_file(declarations, file_format: str) -> bytes:
    """The declarations of a queryset as an .xlsx or .csv file."""
    definitions = layout_definitions(_projects(declarations))
    columns = [*COLUMNS, *own_columns(definitions.values())]
    headers = [column.header for column in columns]
    rows = export_rows(declarations, definitions)
    return write_file(SHEET, headers, _cells(rows, columns), file_format)


def _cells(rows, columns):
    """Each row's cells; a declaration's own are written once for all its
    rows (they are two thirds of the sheet)."""
    flags = [per_row(c) for c in columns]
    own, of = [], None
    for row in rows:
        if row.declaration is not of:
            of = row.declaration
            own = [
                None if each else escape(column.write(row))
                for column, each in zip(columns, flags, strict=True)
            ]
        yield [
            escape(column.write(row)) if each else cell
            for column, each, cell in zip(columns, flags, own, strict=True)
        ]
