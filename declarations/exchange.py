"""The spreadsheet format of declarations, shared by export and import.

One flat sheet (申报数据): one row per indicator row, each repeating its
declaration's columns, so that a sheet can be filtered and sorted in Excel
and the same columns serve xlsx and csv. A declaration without indicator
rows has one row with the indicator columns empty. The goals share one cell,
one goal a line; the spending plan reads 3月底:25.00；6月底:50.00；…
"""

from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX

from declarations.models import Kind

SHEET = "申报数据"
# (column, what it holds); the first ones identify the declaration.
COLUMNS = [
    ("单位代码", "unit_code"),
    ("年度", "year"),
    ("项目编码", "project_code"),
    ("项目名称", "project_name"),
    ("主管部门", "department_name"),
    ("主管部门代码", "department_code"),
    ("实施单位", "implementing_unit"),
    ("项目属性", "attribute"),
    ("项目期", "period"),
    ("预算数（万元）", "total"),
    ("财政资金（万元）", "fiscal"),
    ("其他资金（万元）", "other"),
    ("资金用途", "fund_use"),
    ("资金支出计划（%）", "spending_plan"),
    ("绩效目标", "goals"),
    ("状态", "status"),
    ("综合评定等级", "grade"),
    ("指标序号", "row_number"),
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标", "name"),
    ("绩效指标描述", "description"),
    ("指标值", "value"),
    ("指标值确定依据", "basis"),
]
HEADERS = [column for column, _ in COLUMNS]
COLUMN_OF = {key: column for column, key in COLUMNS}
# Written by the export for information; the import does not change them.
INFORMATIONAL = {"status", "grade", "row_number"}
DECLARATION_KEYS = [key for _, key in COLUMNS[: HEADERS.index("绩效目标") + 1]]
INDICATOR_KEYS = ["level1", "level2", "name", "description", "value", "basis"]

# A cell starting with one of these is run as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape(value):
    """Text that a spreadsheet would run as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def format_plan(plan) -> str:
    return "；".join(
        f"{int(month)}月底:{'' if percent is None else percent}"
        for month, percent in plan
    )


def format_goals(goals) -> str:
    return "\n".join(f"{i}、{text}" for i, text in enumerate(goals, start=1))


class ExportRow:
    """One spreadsheet row: a declaration with one of its indicator rows."""

    def __init__(self, declaration, goals, number=None, row=None):
        self.declaration, self.goals, self.number, self.row = (
            declaration,
            goals,
            number,
            row,
        )

    def value(self, key):
        d, row = self.declaration, self.row
        match key:
            case "unit_code":
                return d.organization.code
            case "attribute":
                return d.get_attribute_display() if d.attribute else ""
            case "total" | "fiscal" | "other":
                amount = getattr(d, key)
                return None if amount is None else float(amount)
            case "spending_plan":
                return format_plan(d.spending_plan)
            case "goals":
                return format_goals(self.goals)
            case "status":
                return d.get_status_display()
            case "row_number":
                return self.number
            case "level1" | "level2":
                return getattr(row, key).name if row else ""
            case "name" | "description" | "value" | "basis":
                return getattr(row, key) if row else ""
        return getattr(d, key)


class DeclarationRowResource(resources.Resource):
    """django-import-export writes the rows; each column escapes formulas."""

    class Meta:
        export_order = [key for _, key in COLUMNS]

    def __init__(self):
        super().__init__()
        for column, key in COLUMNS:
            field = fields.Field(attribute=key, column_name=column)
            field.get_value = lambda row, key=key: escape(row.value(key))
            self.fields[key] = field


def export_rows(declarations):
    declarations = (
        declarations.filter(kind=Kind.PROJECT)
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


FORMATS = {"xlsx": XLSX(), "csv": CSV()}


def export_file(declarations, file_format: str) -> bytes:
    dataset = DeclarationRowResource().export(list(export_rows(declarations)))
    dataset.title = SHEET
    data = FORMATS[file_format].export_data(dataset)
    if isinstance(data, str):
        # A byte-order mark lets Excel open the UTF-8 CSV in Chinese.
        return "\ufeff".encode() + data.encode("utf-8")
    return data


def filter_for_export(queryset, *, year=None, unit=None, status=None):
    if year:
        queryset = queryset.filter(year=year)
    if unit:
        queryset = queryset.filter(organization=unit)
    if status:
        queryset = queryset.filter(status=status)
    return queryset
