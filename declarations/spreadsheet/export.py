"""Writing declarations to the spreadsheet format (django-import-export
lays the rows out; each column writes its own cell and escapes formulas)."""

from import_export import fields, resources

from declarations.models import DeclarationKind
from declarations.spreadsheet.columns import COLUMNS, SHEET, ExportRow, escape
from declarations.spreadsheet.files import write_file


class DeclarationRowResource(resources.Resource):
    class Meta:
        export_order = [column.key for column in COLUMNS]

    def __init__(self):
        super().__init__()
        for column in COLUMNS:
            field = fields.Field(attribute=column.key, column_name=column.header)
            field.get_value = lambda row, column=column: escape(column.write(row))
            self.fields[column.key] = field


def export_rows(declarations):
    declarations = (
        declarations.filter(kind=DeclarationKind.PROJECT)
        .select_related("organization")
        .prefetch_related("goals", "indicators__level1", "indicators__level2")
        .order_by("organization__code", "year", "project_code", "pk")
    )
    for declaration in declarations:
        goals = [g.text for g in declaration.goals.all()]
        rows = list(declaration.indicators.all())
        if not rows:
            yield ExportRow(declaration, goals)
        for number, row in enumerate(rows, start=1):
            yield ExportRow(declaration, goals, number, row)


def export_file(declarations, file_format: str) -> bytes:
    """The project declarations of a queryset as an .xlsx or .csv file."""
    dataset = DeclarationRowResource().export(list(export_rows(declarations)))
    dataset.title = SHEET
    return write_file(dataset, file_format)
