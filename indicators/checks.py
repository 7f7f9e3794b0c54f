"""The reviewer's checks (DOMAIN.md §6), in one place for every door.

``check`` takes plain data (``DeclarationData``), so a form that is not yet
saved, an import row and a stored declaration are checked alike. Errors block
submission; warnings are shown beside their row and never block.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from indicators.taxonomy import Taxonomy
from indicators.values import parse

CENT = Decimal("0.01")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    field: str = ""  # a declaration field: total, spending_plan, goals, indicators …
    row: int | None = None  # index into DeclarationData.rows

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass
class RowData:
    level1_id: int | None
    level2_id: int | None
    name: str = ""
    description: str = ""
    value: str = ""


@dataclass
class DeclarationData:
    layout: str
    total: Decimal | None
    fiscal: Decimal | None
    other: Decimal | None
    spending_plan: list[tuple[int, Decimal | None]] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    rows: list[RowData] = field(default_factory=list)
    kind: str = "project"
    # Department-wide declarations: (label, amount) by income and by spending.
    income_split: list[tuple[str, Decimal | None]] = field(default_factory=list)
    spending_split: list[tuple[str, Decimal | None]] = field(default_factory=list)

    @classmethod
    def from_declaration(cls, declaration) -> "DeclarationData":
        """Uses the goals and indicators already loaded (prefetch them)."""

        def split(pairs):
            return [
                (label, None if amount in (None, "") else Decimal(str(amount)))
                for label, amount in pairs
            ]

        return cls(
            kind=declaration.kind,
            income_split=split(declaration.income_split),
            spending_split=split(declaration.spending_split),
            layout=declaration.layout,
            total=declaration.total,
            fiscal=declaration.fiscal,
            other=declaration.other,
            spending_plan=[
                (int(m), None if p in (None, "") else Decimal(str(p)))
                for m, p in declaration.spending_plan
            ],
            goals=[g.text for g in declaration.goals.all()],
            rows=[
                RowData(r.level1_id, r.level2_id, r.name, r.description, r.value)
                for r in declaration.indicators.all()
            ],
        )


def _error(code, message, **where):
    return Finding(code, Severity.ERROR, message, **where)


def _warning(code, message, **where):
    return Finding(code, Severity.WARNING, message, **where)


def check(data: DeclarationData, taxonomy: Taxonomy) -> list[Finding]:
    department_wide = data.kind == "department"
    return [
        *(_check_splits(data) if department_wide else _check_funds(data)),
        *([] if department_wide else _check_spending_plan(data)),
        *_check_goals(data),
        *_check_indicator_levels(data, taxonomy),
        *_check_rows(data, taxonomy),
        *_check_duplicates(data),
        *_check_mandatory_level2(data, taxonomy),
    ]


def _check_funds(data):
    if data.total is None:
        yield _error("total_missing", "请填写预算数（年度资金总额）。", field="total")
        return
    parts = (data.fiscal or Decimal(0)) + (data.other or Decimal(0))
    if abs(data.total - parts) >= CENT:
        yield _error(
            "funds_sum",
            f"预算数 {data.total:.2f} 万元不等于财政资金 {data.fiscal or 0:.2f} 万元"
            f"与其他资金 {data.other or 0:.2f} 万元之和 {parts:.2f} 万元，"
            "请核对后修改。",
            field="total",
        )


def _check_splits(data):
    if data.total is None:
        yield _error("total_missing", "请填写年度预算申请的资金总额。", field="total")
        return
    for code, name, pairs in [
        ("income_sum", "按收入性质分", data.income_split),
        ("spending_sum", "按支出性质分", data.spending_split),
    ]:
        amount = sum((a for _, a in pairs if a is not None), Decimal(0))
        if abs(amount - data.total) >= CENT:
            parts = "、".join(f"{label} {a:.2f}" for label, a in pairs if a is not None)
            yield _error(
                code,
                f"{name}的合计 {amount:.2f} 万元（{parts or '未填写'}）不等于资金总额 "
                f"{data.total:.2f} 万元，请核对。",
                field=code.removesuffix("_sum") + "_split",
            )


def _check_spending_plan(data):
    filled = [(m, p) for m, p in data.spending_plan if p is not None]
    if not filled:
        yield _error(
            "plan_missing",
            "请填写资金支出计划，至少填写最后一个节点（通常为12月底 100%）。",
            field="spending_plan",
        )
        return
    for month, percent in filled:
        if not Decimal(0) <= percent <= Decimal(100):
            yield _error(
                "plan_range",
                f"{month}月底的支出进度 {percent}% 不在 0–100 之间，请修改。",
                field="spending_plan",
            )
    for (m1, p1), (m2, p2) in zip(filled, filled[1:], strict=False):
        if p2 < p1:
            yield _error(
                "plan_decreasing",
                f"支出进度是累计数，{m2}月底（{p2}%）不能小于{m1}月底（{p1}%）。",
                field="spending_plan",
            )
    last_month, last = data.spending_plan[-1]
    if last is None or last != Decimal(100):
        yield _error(
            "plan_not_complete",
            f"最后一个节点（{last_month}月底）的累计支出进度应为 100%。",
            field="spending_plan",
        )


def _check_goals(data):
    if not any(text.strip() for text in data.goals):
        yield _error("goals_missing", "请至少填写一条绩效目标。", field="goals")


def _check_indicator_levels(data, taxonomy):
    present = {row.level1_id for row in data.rows}
    for level1 in taxonomy.level1s:
        if level1.required and level1.pk not in present:
            aka = f"（或“{'、'.join(level1.alias_list())}”）" if level1.aliases else ""
            yield _error(
                "level1_missing",
                f"“{level1.name}”{aka}下至少需要一条绩效指标，请添加。",
                field="indicators",
            )


def _check_rows(data, taxonomy):
    for i, row in enumerate(data.rows):
        level1 = taxonomy.level1_by_id.get(row.level1_id)
        level2 = taxonomy.level2_by_id.get(row.level2_id)
        if level1 is None or level2 is None:
            yield _error(
                "level_missing", "请选择一级指标和二级指标。", field="level2", row=i
            )
        elif level2.level1_id != level1.pk:
            yield _error(
                "level2_mismatch",
                f"二级指标“{level2.name}”不属于一级指标“{level1.name}”，请重新选择。",
                field="level2",
                row=i,
            )
        if not row.name.strip():
            yield _error("name_missing", "请填写三级指标名称。", field="name", row=i)
        if not row.value.strip():
            yield _error("value_missing", "请填写指标值。", field="value", row=i)
            continue
        yield from _check_value(data, row, level2, i)


def _check_value(data, row, level2, i):
    value = parse(row.value)
    if value.names_unit_without_number:
        yield _warning(
            "unit_without_number",
            f"指标值“{row.value}”只有单位或符号，没有数值，请补上数值（如 ≥90%）。",
            field="value",
            row=i,
        )
    elif value.is_percent and value.number is not None and value.number > 100:
        yield _warning(
            "percent_over_100",
            f"指标值“{row.value}”的百分比超过 100%，请确认。",
            field="value",
            row=i,
        )
    if (
        level2 is not None
        and level2.quantitative
        and value.qualitative
        and not value.names_unit_without_number
    ):
        yield _warning(
            "qualitative_value",
            f"“{level2.name}”应为可衡量的定量值，“{row.value}”是定性描述，"
            "建议写成数值加单位（如 ≥95%、≤10万元）。",
            field="value",
            row=i,
        )
    if level2 is not None and level2.cost and value.is_upper_bound:
        amount = value.amount_in_wan()
        if amount is not None and data.total is not None and amount > data.total:
            yield _warning(
                "cost_over_budget",
                f"成本指标上限 {row.value}（{amount.normalize():f} 万元）超过项目预算 "
                f"{data.total:.2f} 万元，请核对指标值或预算。",
                field="value",
                row=i,
            )
    fields = {row.name.strip(), row.description.strip()} - {""}
    if row.value.strip() in fields:
        yield _warning(
            "copied_phrase",
            "指标值与指标名称或描述是同一句话，请写出可衡量的目标值。",
            field="value",
            row=i,
        )


def _check_duplicates(data):
    counts = Counter(row.name.strip() for row in data.rows if row.name.strip())
    for i, row in enumerate(data.rows):
        name = row.name.strip()
        if counts.get(name, 0) > 1:
            yield _warning(
                "duplicate_name",
                f"三级指标“{name}”在本表中出现了 {counts[name]} 次，"
                "请删除重复行或写明各自的区别。",
                field="name",
                row=i,
            )


def _check_mandatory_level2(data, taxonomy):
    if data.layout != "central":
        return
    present = {row.level2_id for row in data.rows}
    for level2 in taxonomy.level2s:
        if level2.mandatory and level2.pk not in present:
            level1 = taxonomy.level1_by_id[level2.level1_id]
            yield _warning(
                "mandatory_level2_missing",
                f"中央样式申报表要求填写“{level1.name} — {level2.name}”"
                f"{level2.mark}，请补充。",
                field="indicators",
            )


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]
