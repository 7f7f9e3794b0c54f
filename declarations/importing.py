"""Importing declarations from the spreadsheet format of `exchange`.

`analyse` reads a file and returns a plan: what would be created, updated or
left unchanged, and every problem with its sheet, row and column. Nothing is
written. `apply` writes a plan without problems in one transaction, so that
either every declaration lands or none does.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.conf import settings
from django.db import transaction

from declarations import exchange, services
from declarations.access import writable_organizations
from declarations.models import (
    Declaration,
    Goal,
    IndicatorRow,
    Kind,
    Organization,
    ProjectAttribute,
)
from declarations.snapshots import field_texts, snapshot
from indicators.checks import DeclarationData, RowData, check
from indicators.taxonomy import Taxonomy


def human_size(size: int) -> str:
    """10 MB, 1.5 MB, 800 KB: sizes as people say them."""
    if size >= 2**20:
        return f"{size / 2**20:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says what to do."""


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's row number, header = 1
    column: str
    message: str
    blocking: bool = True
    sheet: str = exchange.SHEET


@dataclass
class Incoming:
    """One declaration as the file describes it."""

    key: tuple
    first_row: int
    unit: Organization | None = None
    fields: dict = field(default_factory=dict)
    goals: list[str] = field(default_factory=list)
    rows: list[IndicatorRow] = field(default_factory=list)
    existing: Declaration | None = None
    action: str = "create"  # create, update, unchanged


@dataclass
class Plan:
    declarations: list[Incoming] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    def count(self, action) -> int:
        return sum(1 for d in self.declarations if d.action == action)

    @property
    def count_create(self) -> int:
        return self.count("create")

    @property
    def count_update(self) -> int:
        return self.count("update")

    @property
    def count_unchanged(self) -> int:
        return self.count("unchanged")


# ---------------------------------------------------------------- reading


def read_rows(content: bytes, filename: str) -> list[dict]:
    """The rows of the first sheet as {column: text}; refuses what it cannot read."""
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        raise ImportFileError(
            f"文件有 {human_size(len(content))}，超过了 {human_size(limit)} 的上限。"
            "请按年度或单位分成几个文件分别导入。"
        )
    if not content.strip():
        raise ImportFileError(
            "文件是空的。请上传从本系统导出、再填写好的 .xlsx 或 .csv 文件。"
        )
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "xlsx":
        dataset = _read_xlsx(content)
    elif suffix == "csv":
        dataset = _read_csv(content)
    else:
        raise ImportFileError(
            "只能导入 .xlsx 或 .csv 文件。请在 Excel 中“另存为”这两种格式之一。"
        )
    missing = [h for h in exchange.HEADERS if h not in (dataset.headers or [])]
    if missing:
        raise ImportFileError(
            f"表头缺少这些列：{'、'.join(missing)}。请先导出一份申报表作为模板，"
            "在模板上填写后再导入（第一行是表头，不要改动）。"
        )
    if len(dataset) > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(
            f"文件有 {len(dataset)} 行，"
            f"超过了一次最多 {settings.IMPORT_MAX_ROWS} 行的上限。"
            "请分成几个文件导入。"
        )
    return [dict(zip(dataset.headers, values, strict=False)) for values in dataset]


def _read_xlsx(content: bytes) -> tablib.Dataset:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=False, data_only=False)
    except Exception:
        raise ImportFileError(
            "无法读取这个文件：它不是有效的 Excel（.xlsx）表格。"
            "请在 Excel 中打开后“另存为 .xlsx”再上传。"
        ) from None
    sheet = workbook.worksheets[0]
    if sheet.merged_cells.ranges:
        cells = "、".join(str(r) for r in list(sheet.merged_cells.ranges)[:5])
        raise ImportFileError(
            f"表格中有合并单元格（{cells}）。请取消合并，并在每一行都填写完整后再导入。"
        )
    rows = sheet.iter_rows(values_only=True)
    headers = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    dataset = tablib.Dataset(headers=headers)
    for values in rows:
        if any(v not in (None, "") for v in values):
            dataset.append(list(values) + [None] * (len(headers) - len(values)))
    return dataset


def _read_csv(content: bytes) -> tablib.Dataset:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(
            "无法识别文件的文字编码。请在 Excel 中另存为“CSV UTF-8”后再上传。"
        )
    if "\x00" in text:
        raise ImportFileError("这不是 CSV 文本文件。请上传 .xlsx 或 .csv 文件。")
    try:
        return tablib.Dataset().load(text, format="csv")
    except Exception:
        raise ImportFileError(
            "无法读取这个 CSV 文件，请检查是否为逗号分隔的表格。"
        ) from None


# -------------------------------------------------------------- analysing

_GOAL_NUMBER = re.compile(r"^\s*\d+\s*[、.．]\s*")
_PLAN_ITEM = re.compile(r"^\s*(\d{1,2})\s*月底?\s*[:：]\s*(.*?)\s*$")
_ATTRIBUTES = {label: value for value, label in ProjectAttribute.choices}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return exchange.unescape(str(value).strip())


class _Reader:
    """Reads one row's cells, recording problems against their column."""

    def __init__(self, plan: Plan, number: int, row: dict):
        self.plan, self.number, self.row = plan, number, row

    def problem(self, column, message, blocking=True):
        self.plan.problems.append(Problem(self.number, column, message, blocking))

    def text(self, key) -> str:
        column = self.column(key)
        raw = self.row.get(column)
        if isinstance(raw, str) and raw.startswith("=") and not raw.startswith("'"):
            self.problem(
                column, f"单元格是公式（{raw[:30]}），请改为直接填写的数值或文字。"
            )
            return ""
        return _text(raw)

    def column(self, key) -> str:
        return exchange.COLUMN_OF[key]

    def amount(self, key) -> Decimal | None:
        text = self.text(key).replace(",", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.problem(
                self.column(key),
                f"“{text}”不是金额，请填写数字（单位：万元），如 3.50。",
            )
            return None
        cents = value.quantize(Decimal("0.01"))
        # Excel stores 3.5 as 3.5000000001 now and then: ignore such dust.
        if abs(value - cents) > Decimal("0.0000001"):
            self.problem(
                self.column(key), f"金额 {text} 超过两位小数，请保留到 0.01 万元。"
            )
            return None
        return cents

    def year(self) -> int | None:
        text = self.text("year")
        if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
            self.problem("年度", f"年度“{text}”无效，请填写四位年份，如 2024。")
            return None
        return int(text)

    def spending_plan(self) -> list[list]:
        text = self.text("spending_plan")
        if not text:
            return []
        plan = []
        for item in re.split(r"[；;]", text):
            if not item.strip():
                continue
            match = _PLAN_ITEM.match(item)
            percent = match and match[2]
            try:
                value = None if not percent else Decimal(percent.rstrip("%"))
            except InvalidOperation:
                match = None
            if not match:
                self.problem(
                    "资金支出计划（%）",
                    f"“{item.strip()}”读不懂，请写成“3月底:25；6月底:50；10月底:75；12月底:100”。",
                )
                return []
            plan.append([int(match[1]), None if value is None else f"{value:.2f}"])
        return plan


def analyse(rows: list[dict], user, *, allowed_units=None) -> Plan:
    plan = Plan(row_count=len(rows))
    taxonomy = Taxonomy.load()
    units = {
        u.code: u
        for u in (
            allowed_units if allowed_units is not None else writable_organizations(user)
        )
    }
    by_key: dict[tuple, Incoming] = {}
    for index, row in enumerate(rows, start=2):
        reader = _Reader(plan, index, row)
        incoming = _declaration_of(reader, units, by_key, plan)
        if incoming is not None:
            _add_indicator(reader, incoming, taxonomy)
    _compare_with_stored(plan, taxonomy)
    return plan


def _declaration_of(reader, units, by_key, plan):
    code = reader.text("unit_code")
    year = reader.year()
    project_code = reader.text("project_code")
    name = reader.text("project_name")
    if not code:
        reader.problem("单位代码", "请填写单位代码，如 450002。")
        return None
    if not name:
        reader.problem("项目名称", "请填写项目名称。")
        return None
    if year is None:
        return None
    unit = units.get(code)
    if unit is None:
        exists = Organization.objects.filter(code=code).exists()
        reader.problem(
            "单位代码",
            f"单位代码 {code} 不是您可以填报的单位。"
            if exists
            else f"没有代码为 {code} 的单位，请核对单位代码。",
        )
        return None
    key = (code, year, project_code or f"名称:{name}")
    fields = _declaration_fields(reader, year, project_code, name)
    incoming = by_key.get(key)
    if incoming is None:
        incoming = Incoming(key=key, first_row=reader.number, unit=unit, fields=fields)
        incoming.goals = [
            _GOAL_NUMBER.sub("", line).strip()
            for line in reader.text("goals").splitlines()
            if line.strip()
        ]
        by_key[key] = incoming
        plan.declarations.append(incoming)
    elif fields != incoming.fields:
        reader.problem(
            "项目名称",
            f"与第 {incoming.first_row} 行是同一申报表，但项目信息"
            "（名称、金额、目标等）不一致。同一申报表的每一行都应相同。",
        )
    return incoming


def _declaration_fields(reader, year, project_code, name) -> dict:
    attribute_label = reader.text("attribute")
    attribute = _ATTRIBUTES.get(attribute_label, "")
    if attribute_label and not attribute:
        reader.problem(
            "项目属性",
            f"项目属性“{attribute_label}”无效，请填写“新增项目”或“延续性项目”。",
        )
    return {
        "year": year,
        "project_code": project_code,
        "project_name": name,
        "department_name": reader.text("department_name"),
        "department_code": reader.text("department_code"),
        "implementing_unit": reader.text("implementing_unit"),
        "attribute": attribute,
        "period": reader.text("period"),
        "total": reader.amount("total"),
        "fiscal": reader.amount("fiscal"),
        "other": reader.amount("other"),
        "fund_use": reader.text("fund_use"),
        "spending_plan": reader.spending_plan(),
        "goals": reader.text("goals"),
    }


def _add_indicator(reader, incoming, taxonomy):
    texts = {key: reader.text(key) for key in exchange.INDICATOR_KEYS}
    if not any(texts.values()):
        return
    level1 = taxonomy.find_level1(texts["level1"])
    if level1 is None:
        reader.problem(
            "一级指标", f"一级指标“{texts['level1']}”不在指标体系中，如“产出指标”。"
        )
        return
    level2 = taxonomy.find_level2(level1, texts["level2"])
    if level2 is None:
        names = "、".join(x.name for x in taxonomy.children(level1.pk))
        reader.problem(
            "二级指标",
            f"二级指标“{texts['level2']}”不属于“{level1.name}”，可选：{names}。",
        )
        return
    row = IndicatorRow(
        position=len(incoming.rows) + 1,
        level1=level1,
        level2=level2,
        name=texts["name"],
        description=texts["description"],
        value=texts["value"],
        basis=texts["basis"],
    )
    row.fill_parsed_value()
    row.source_row = reader.number
    incoming.rows.append(row)


def _compare_with_stored(plan: Plan, taxonomy):
    for incoming in plan.declarations:
        lookup = {"organization": incoming.unit, "year": incoming.fields["year"]}
        if incoming.fields["project_code"]:
            lookup["project_code"] = incoming.fields["project_code"]
        else:
            lookup.update(project_code="", project_name=incoming.fields["project_name"])
        existing = (
            Declaration.objects.filter(kind=Kind.PROJECT, **lookup)
            .prefetch_related("goals", "indicators__level1", "indicators__level2")
            .first()
        )
        incoming.existing = existing
        if existing is not None:
            same = _content(existing) == _incoming_content(incoming)
            incoming.action = "unchanged" if same else "update"
            if not same and not existing.is_editable:
                plan.problems.append(
                    Problem(
                        incoming.first_row,
                        "项目编码",
                        f"{existing}已{existing.get_status_display()}，不能通过导入修改。"
                        "如需修改，请先撤回或请审核人撤销审核。",
                    )
                )
        if incoming.action != "unchanged":
            _report_checks(plan, incoming, taxonomy)


def _content(declaration) -> dict:
    data = snapshot(declaration)
    return {"fields": data["fields"], "goals": data["goals"], "rows": data["rows"]}


def _incoming_content(incoming) -> dict:
    probe = Declaration(organization=incoming.unit, **_model_fields(incoming))
    return {
        "fields": field_texts(probe),
        "goals": incoming.goals,
        "rows": [
            [r.level1.name, r.level2.name, r.name, r.description, r.value, r.basis]
            for r in incoming.rows
        ],
    }


def _model_fields(incoming) -> dict:
    return {k: v for k, v in incoming.fields.items() if k != "goals"}


def _report_checks(plan, incoming, taxonomy):
    fields = incoming.fields
    data = DeclarationData(
        layout=incoming.unit.effective_layout,
        total=fields["total"],
        fiscal=fields["fiscal"],
        other=fields["other"],
        spending_plan=[
            (m, None if p is None else Decimal(p)) for m, p in fields["spending_plan"]
        ],
        goals=incoming.goals,
        rows=[
            RowData(r.level1_id, r.level2_id, r.name, r.description, r.value)
            for r in incoming.rows
        ],
    )
    for finding in check(data, taxonomy):
        row = incoming.rows[finding.row].source_row if finding.row is not None else None
        severity = "错误" if finding.is_error else "提醒"
        plan.problems.append(
            Problem(
                row or incoming.first_row,
                exchange.HEADERS[exchange.HEADERS.index("指标值")]
                if finding.row is not None
                else "项目名称",
                f"【{severity}，可导入为草稿】{finding.message}",
                blocking=False,
            )
        )


# --------------------------------------------------------------- applying


class ImportRefused(Exception):
    pass


@transaction.atomic
def apply(plan: Plan, user) -> Plan:
    """Write every declaration of a plan that has no blocking problem."""
    if plan.blocking:
        raise ImportRefused("文件中还有问题，改正后才能导入。")
    goals, rows = [], []
    for incoming in plan.declarations:
        if incoming.action == "unchanged":
            continue
        fields = _model_fields(incoming)
        if incoming.action == "create":
            declaration = services.create_declaration(
                incoming.unit,
                by=user,
                fields=fields,
                plan=fields["spending_plan"] or None,
            )
        else:
            declaration = Declaration.objects.select_for_update(of=("self",)).get(
                pk=incoming.existing.pk
            )
            if not declaration.is_editable:
                raise ImportRefused(services.not_editable_message(declaration))
            for name, value in fields.items():
                setattr(declaration, name, value)
            declaration.version += 1
            declaration.updated_by = user
            declaration.save()
            declaration.goals.all().delete()
            declaration.indicators.all().delete()
        goals += [
            Goal(declaration=declaration, position=i, text=text)
            for i, text in enumerate(incoming.goals, start=1)
        ]
        for row in incoming.rows:
            row.declaration = declaration
            rows.append(row)
    Goal.objects.bulk_create(goals, batch_size=1000)
    IndicatorRow.objects.bulk_create(rows, batch_size=1000)
    return plan
