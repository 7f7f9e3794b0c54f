"""The reviewer's rules on indicator rows and their values (DOMAIN.md §6).

They take plain data (``RowData``), so an entry form, an import row and a
stored row are checked alike; ``declarations.checks`` adds the rules on a
declaration's money, spending plan and goals and is the one entry point.
Errors block submission; warnings are shown beside their row and never block.
"""

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from indicators.models import IndicatorLevel2
from indicators.taxonomy import Taxonomy
from indicators.values import PERCENT_UNITS, parse

# How a time target is normally written when it is a deadline, not a rate:
# 不晚于12月底, 6月底前完成, 按时, 及时, 当年内, 30个工作日内.
_DEADLINE = re.compile(
    r"不晚于|不迟于|之前|以前|前完成|前|按时|及时|如期|按期|限期|当年|年内|年底|年末"
    r"|月底|月末|季度|日内|天内|工作日|小时内|截至|截止"
)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    field: str = ""  # a declaration field: total, spending_plan, goals, indicators …
    row: int | None = None  # index into the declaration's indicator rows

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @classmethod
    def error(cls, code: str, message: str, **where) -> "Finding":
        return cls(code, Severity.ERROR, message, **where)

    @classmethod
    def warning(cls, code: str, message: str, **where) -> "Finding":
        return cls(code, Severity.WARNING, message, **where)


@dataclass
class RowData:
    level1_id: int | None
    level2_id: int | None
    level3: str = ""
    description: str = ""
    value: str = ""
    term_value: str = ""  # the same indicator's value for the 中期, if printed
    weight: Decimal | None = None
    period: str = "annual"


@dataclass(frozen=True)
class LayoutRules:
    """What a declaration's layout asks of its rows beyond the common rules."""

    mandatory_level2: bool = False
    weight_total: Decimal | None = None  # the 分值 must add up to this
    term_name: str = ""  # 中期 or 实施期, where the layout prints that period


def check_indicators(
    rows: list[RowData],
    taxonomy: Taxonomy,
    *,
    budget: Decimal | None,
    rules: LayoutRules,
) -> list[Finding]:
    """The rules on a declaration's indicator rows. A cost above `budget`
    (万元) is warned of; the layout's `rules` add the central template's
    必填 second levels, the sum of the 分值 and the year against the term."""
    return [
        *_check_indicator_levels(rows, taxonomy),
        *_check_rows(rows, taxonomy, budget),
        *_check_duplicates(rows),
        *(_check_mandatory_level2(rows, taxonomy) if rules.mandatory_level2 else []),
        *(_check_weights(rows, rules.weight_total) if rules.weight_total else []),
        *(_check_term_values(rows, rules.term_name) if rules.term_name else []),
    ]


def _check_weights(rows, total: Decimal):
    """Where a layout scores its indicators, each row of the year has a 分值
    and together they make the layout's total (100 as a rule)."""
    annual = [(i, r) for i, r in enumerate(rows) if r.period == "annual"]
    if not annual:
        return
    for i, row in annual:
        if row.weight is None:
            yield Finding.error(
                "weight_missing", "请填写本行指标的分值。", field="weight", row=i
            )
    given = sum((r.weight for _, r in annual if r.weight is not None), Decimal(0))
    if given != total:
        yield Finding.error(
            "weight_sum",
            f"各项指标的分值合计 {given.normalize():f} 分，"
            f"应为 {total.normalize():f} 分，请调整各行分值。",
            field="indicators",
        )


# Operators by the way they point: a floor, a cap.
_FLOORS, _CAPS = {"≥", "＞"}, {"≤", "＜"}


def _check_term_values(rows, term_name: str):
    """The year's value is not beyond the term's in the same direction: not
    more money than the term's, no higher floor, no lower cap. The term's
    value is the row's own (one table with both columns) or that of the
    term's row with the same second level and name (a table each)."""
    term_rows = {
        (r.level2_id, r.level3.strip()): r.value
        for r in rows
        if r.period == "term" and r.level3.strip()
    }
    for i, row in enumerate(rows):
        if row.period != "annual":
            continue
        term_text = row.term_value or term_rows.get((row.level2_id, row.level3.strip()))
        if not term_text or not row.value:
            continue
        year, term = parse(row.value), parse(term_text)
        if year.number is None or term.number is None:
            continue
        year_wan, term_wan = year.amount_in_wan(), term.amount_in_wan()
        if year_wan is not None and term_wan is not None:
            beyond = year_wan > term_wan
        elif year.unit != term.unit:
            continue
        elif year.operator in _FLOORS and term.operator in _FLOORS:
            beyond = year.number > term.number
        elif year.operator in _CAPS and term.operator in _CAPS:
            beyond = year.number < term.number
        else:
            continue
        if beyond:
            yield Finding.warning(
                "year_beyond_term",
                f"年度指标值“{row.value}”超出了{term_name}指标值“{term_text}”："
                f"年度目标是{term_name}目标的一部分，一般不应比它更高，请核对；"
                "确实如此的，可以忽略这条提醒。",
                field="value",
                row=i,
            )


def _check_indicator_levels(rows, taxonomy):
    present = {row.level1_id for row in rows}
    for level1 in taxonomy.level1s:
        if level1.required and level1.pk not in present:
            aka = f"（或“{'、'.join(level1.alias_list())}”）" if level1.aliases else ""
            yield Finding.error(
                "level1_missing",
                f"“{level1.name}”{aka}下至少需要一条绩效指标，请添加。",
                field="indicators",
            )


def _check_rows(rows, taxonomy, budget):
    for i, row in enumerate(rows):
        level1 = taxonomy.level1_by_id.get(row.level1_id)
        level2 = taxonomy.level2_by_id.get(row.level2_id)
        if level1 is None or level2 is None:
            yield Finding.error(
                "level_missing", "请选择一级指标和二级指标。", field="level2", row=i
            )
        elif level2.level1_id != level1.pk:
            yield Finding.error(
                "level2_mismatch",
                f"二级指标“{level2.name}”不属于一级指标“{level1.name}”，请重新选择。",
                field="level2",
                row=i,
            )
        if not row.level3.strip():
            yield Finding.error(
                "name_missing", "请填写三级指标名称。", field="level3", row=i
            )
        if not row.value.strip():
            yield Finding.error("value_missing", "请填写指标值。", field="value", row=i)
            continue
        yield from _check_value(row, level2, i, budget)
        if level2 is not None and (
            entry := taxonomy.library.get((level2.pk, row.level3.strip()))
        ):
            yield from _check_against_library(row, parse(row.value), entry, i)


def _same_kind_of_unit(a: str, b: str) -> bool:
    """万元 and 元 are both money, % and 百分比 both shares."""
    if a == b:
        return True
    money = {"元", "千元", "万元", "万", "亿元"}
    return {a, b} <= money or {a, b} <= PERCENT_UNITS


def _check_against_library(row, value, entry, i):
    """A value written in another unit, or pointing the other way, than the
    library's entry of the same name is most likely a slip."""
    where = f"指标库中的“{entry.name}”"
    example = f"（如 {entry.values.split('、')[0]}）" if entry.values else ""
    if value.unit and entry.unit and not _same_kind_of_unit(value.unit, entry.unit):
        yield Finding.warning(
            "library_unit",
            f"{where}以“{entry.unit}”计{example}，这里写的是“{row.value}”，请核对计量单位。",
            field="value",
            row=i,
        )
    up, down = {"≥", "＞"}, {"≤", "＜"}
    if (entry.operator in up and value.operator in down) or (
        entry.operator in down and value.operator in up
    ):
        yield Finding.warning(
            "library_direction",
            f"{where}应写成“{entry.operator}”{example}，这里是“{row.value}”，"
            "方向相反，请核对计算符号。",
            field="value",
            row=i,
        )


def _check_value(row, level2, i, budget):
    value = parse(row.value)
    if value.names_unit_without_number:
        yield Finding.warning(
            "unit_without_number",
            f"指标值“{row.value}”只有单位或符号，没有数值，请补上数值（如 ≥90%）。",
            field="value",
            row=i,
        )
    elif value.is_percent and value.number is not None and value.number > 100:
        yield Finding.warning(
            "percent_over_100",
            f"指标值“{row.value}”的百分比超过 100%，请确认。",
            field="value",
            row=i,
        )
    deadline = (
        level2 is not None and level2.value_kind == IndicatorLevel2.ValueKind.DEADLINE
    )
    if (
        level2 is not None
        and level2.quantitative
        and value.qualitative
        and not value.names_unit_without_number
        and not (deadline and _DEADLINE.search(value.qualitative))
    ):
        example = "≥95%、不晚于12月底" if deadline else "≥95%、≤10万元"
        yield Finding.warning(
            "qualitative_value",
            f"“{level2.name}”应为可衡量的定量值，“{row.value}”是定性描述，"
            f"建议写成数值加单位（如 {example}）。",
            field="value",
            row=i,
        )
    yield from _check_value_kind(row, value, level2, i)
    if level2 is not None and level2.cost and value.is_upper_bound:
        amount = value.amount_in_wan()
        if amount is not None and budget is not None and amount > budget:
            yield Finding.warning(
                "cost_over_budget",
                f"成本指标上限 {row.value}（{amount.normalize():f} 万元）超过项目预算 "
                f"{budget:.2f} 万元，请核对指标值或预算。",
                field="value",
                row=i,
            )
    fields = {row.level3.strip(), row.description.strip()} - {""}
    if row.value.strip() in fields:
        yield Finding.warning(
            "copied_phrase",
            "指标值与指标名称或描述是同一句话，请写出可衡量的目标值。",
            field="value",
            row=i,
        )


# A name that says what it counts (…个数, …次数) gives a bare number its unit.
_NAMES_ITS_UNIT = re.compile(
    r"(个数|次数|人数|户数|家数|天数|场次|人次|件数|份数|台数|数量)$"
)


def _check_value_kind(row, value, level2, i):
    """What the second level says its values are: a count is not a rate, a
    cost is money, and a number of a quantitative level names its unit."""
    if level2 is None or not value.is_quantitative:
        return
    if level2.value_kind == IndicatorLevel2.ValueKind.COUNT and value.is_percent:
        yield Finding.warning(
            "percent_under_count",
            f"“{level2.name}”的指标值通常是个数（如 ≥200人次），“{row.value}”是比率。"
            "完成率、故障率一类的比率宜放在“质量指标”下，请核对二级指标。",
            field="value",
            row=i,
        )
    if level2.cost and value.amount_in_wan() is None:
        yield Finding.warning(
            "cost_not_money",
            f"“{level2.name}”的指标值应为金额（如 ≤30万元），“{row.value}”不是金额，"
            "请写成金额，或把这一行换到合适的二级指标下。",
            field="value",
            row=i,
        )
    elif (
        level2.quantitative
        and not value.unit
        and not _NAMES_ITS_UNIT.search(row.level3.strip())
    ):
        yield Finding.warning(
            "number_without_unit",
            f"指标值“{row.value}”没有单位，读者不知道是多少什么。"
            f"请写明单位（如 {row.value}人次、{row.value}%）。",
            field="value",
            row=i,
        )


def _check_duplicates(rows):
    counts = Counter(row.level3.strip() for row in rows if row.level3.strip())
    for i, row in enumerate(rows):
        name = row.level3.strip()
        if counts.get(name, 0) > 1:
            yield Finding.warning(
                "duplicate_name",
                f"三级指标“{name}”在本表中出现了 {counts[name]} 次，"
                "请删除重复行或写明各自的区别。",
                field="level3",
                row=i,
            )


def _check_mandatory_level2(rows, taxonomy):
    present = {row.level2_id for row in rows}
    for level2 in taxonomy.level2s:
        if level2.mandatory and level2.pk not in present:
            level1 = taxonomy.level1_by_id[level2.level1_id]
            yield Finding.warning(
                "mandatory_level2_missing",
                f"中央样式申报表要求填写“{level1.name} — {level2.name}”"
                f"{level2.mark}，请补充。",
                field="indicators",
            )


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]
