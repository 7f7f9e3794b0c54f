"""The reviewer's checks of a whole declaration (DOMAIN.md §6): one entry
for the entry pages, the submission, the import and the PDFs alike.

The rules on money, the spending plan and the goals live here; the rules on
indicator rows and their values live in ``indicators.checks``. Both take
plain data, built by ``DeclarationData.of`` from a stored declaration or from
one that an import describes but has not written.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from declarations.copies import COPIED_MIN_ROWS, Siblings, signatures
from declarations.layouts.catalogue import HEADER_FIELDS
from declarations.layouts.definition import column_total
from declarations.layouts.versions import definition_of
from declarations.models import (
    Declaration,
    DeclarationKind,
    Layout,
    Period,
)
from indicators.checks import (
    Finding,
    LayoutRules,
    RowData,
    check_indicators,
    errors,
)
from indicators.taxonomy import Taxonomy

CENT = Decimal("0.01")


def _decimal(amount) -> Decimal | None:
    return None if amount in (None, "") else Decimal(str(amount))


@dataclass
class SideTotal:
    """A side table's 合计 and the fund field its layout compares it with."""

    table: str  # the table's title
    total: Decimal
    field: str
    label: str  # the field's, as the layout prints it (预算数)
    amount: Decimal | None
    level: str  # error or warning


def _side_totals(declaration: Declaration, definition) -> list[SideTotal]:
    extra = declaration.extra if isinstance(declaration.extra, dict) else {}
    found = []
    for part in definition.side_tables():
        for column in part.columns:
            if not column.level:
                continue
            if column.compare in HEADER_FIELDS:
                amount = getattr(declaration, column.compare, None)
            else:
                amount = extra.get(column.compare)
            found.append(
                SideTotal(
                    table=part.text,
                    total=column_total(extra.get(part.key), column.key),
                    field=part.key,
                    label=definition.field_label(column.compare),
                    amount=_amount_or_none(amount),
                    level=column.level,
                )
            )
    return found


def _amount_or_none(amount) -> Decimal | None:
    try:
        return _decimal(amount)
    except ArithmeticError:  # an own field's text that is no amount
        return None


@dataclass
class DeclarationData:
    layout: str
    total: Decimal | None
    fiscal: Decimal | None
    other: Decimal | None
    spending_plan: list[tuple[int, Decimal | None]] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    rows: list[RowData] = field(default_factory=list)
    kind: str = DeclarationKind.PROJECT
    # Department-wide declarations: (label, amount) by income and by spending.
    income_split: list[tuple[str, Decimal | None]] = field(default_factory=list)
    spending_split: list[tuple[str, Decimal | None]] = field(default_factory=list)
    # For the estimate of its printed pages: the characters of its own wide
    # cells (use of funds, goals …) and each row's longest cell.
    characters: int = 0
    longest_cells: list[int] = field(default_factory=list)
    # From the layout: whether it prints a spending plan and the term's funds,
    # its money unit, and its rules on rows (None: by the layout's code).
    prints_plan: bool = True
    prints_term_funds: bool = False
    money_unit: str = "万元"
    wan_per_unit: Decimal = Decimal(1)
    rules: LayoutRules | None = None
    term_total: Decimal | None = None
    term_fiscal: Decimal | None = None
    term_other: Decimal | None = None
    # The 合计 of side tables the layout compares with a fund field.
    side_totals: list[SideTotal] = field(default_factory=list)

    @classmethod
    def of(
        cls, declaration: Declaration, *, goals: list[str] | None = None, rows=None
    ) -> "DeclarationData":
        """A declaration's data. Without `goals` and `rows` (IndicatorRows,
        saved or not), those loaded with the declaration are used: prefetch them."""
        term_goals = []
        if goals is None:
            stored = list(declaration.goals.all())
            goals = [g.text for g in stored if g.period == Period.ANNUAL]
            term_goals = [g.text for g in stored if g.period != Period.ANNUAL]
        if rows is None:
            rows = declaration.indicators.all()
        definition = definition_of(declaration)
        header = definition.header_fields()
        return cls(
            prints_plan="spending_plan" in header,
            prints_term_funds="term_total" in header,
            money_unit=definition.money_unit,
            wan_per_unit=definition.wan_per_unit,
            rules=LayoutRules(
                mandatory_level2=definition.mandatory_level2,
                weight_total=definition.weight_total
                if "weight" in definition.row_columns()
                else None,
                term_name=definition.term_name,
            ),
            term_total=declaration.term_total,
            term_fiscal=declaration.term_fiscal,
            term_other=declaration.term_other,
            side_totals=_side_totals(declaration, definition),
            kind=declaration.kind,
            layout=declaration.layout_id,
            total=declaration.total,
            fiscal=declaration.fiscal,
            other=declaration.other,
            spending_plan=[(int(m), _decimal(p)) for m, p in declaration.spending_plan],
            income_split=[(lb, _decimal(a)) for lb, a in declaration.income_split],
            spending_split=[(lb, _decimal(a)) for lb, a in declaration.spending_split],
            goals=goals,
            rows=[
                RowData(
                    r.level1_id,
                    r.level2_id,
                    r.level3,
                    r.description,
                    r.value,
                    term_value=r.term_value,
                    weight=r.weight,
                    period=r.period,
                )
                for r in rows
            ],
            characters=sum(
                len(text or "")
                for text in [
                    declaration.fund_use,
                    declaration.duties,
                    *goals,
                    *term_goals,
                    *_own_texts(declaration.extra),
                ]
            ),
            longest_cells=[
                max(
                    len(t or "")
                    for t in (
                        r.level3,
                        r.description,
                        r.value,
                        r.basis,
                        r.explanation,
                        r.scoring,
                        r.term_value,
                        *_own_texts(r.extra),
                    )
                )
                for r in rows
            ],
        )


def _own_texts(extra) -> list[str]:
    """The texts of a layout's own fields, side-table cells included."""
    if not isinstance(extra, dict):
        return []
    texts = []
    for value in extra.values():
        if isinstance(value, list):
            texts += [str(v) for r in value if isinstance(r, dict) for v in r.values()]
        else:
            texts.append(str(value))
    return texts


# A row is as tall as its longest cell, and a narrow column of the printed
# table holds about 250 characters a page; the wide cells about 700, and a
# page at most 25 rows. Measured: 8 rows with a 500-character description
# print on 16 pages (estimated 17), 200 rows of 1,300 characters and 50
# long goals on 416 (439), 200 short rows on 8 (9).
NARROW_CHARACTERS_PER_PAGE = 250
WIDE_CHARACTERS_PER_PAGE = 700
ROWS_PER_PAGE = 25


def pages_past_limit(data: DeclarationData) -> int | None:
    """The estimated pages of a table that would print past PRINT_MAX_PAGES,
    or None: such a table can be neither submitted nor printed."""
    pages = estimated_pages(data)
    return pages if pages > settings.PRINT_MAX_PAGES else None


def estimated_pages(data: DeclarationData) -> int:
    rows = sum(
        max(1 / ROWS_PER_PAGE, longest / NARROW_CHARACTERS_PER_PAGE)
        for longest in data.longest_cells
    )
    return 1 + int(rows + data.characters / WIDE_CHARACTERS_PER_PAGE)


def check(data: DeclarationData, taxonomy: Taxonomy) -> list[Finding]:
    """Every error and warning of a declaration, in the order of the table."""
    department_wide = data.kind == DeclarationKind.DEPARTMENT_WIDE
    return [
        *(_check_splits(data) if department_wide else _check_funds(data)),
        *(_check_term_funds(data) if data.prints_term_funds else []),
        *_check_side_totals(data),
        *(
            _check_spending_plan(data)
            if data.prints_plan and not department_wide
            else []
        ),
        *_check_goals(data),
        *_check_length(data),
        *check_indicators(
            data.rows,
            taxonomy,
            budget=None if data.total is None else data.total * data.wan_per_unit,
            rules=data.rules
            or LayoutRules(mandatory_level2=data.layout == Layout.CENTRAL),
        ),
    ]


def findings_for(
    declaration: Declaration,
    taxonomy: Taxonomy | None = None,
    *,
    siblings: Siblings | None = None,
) -> list[Finding]:
    """Errors and warnings of a stored declaration (goals/indicators
    prefetched). `siblings`: those of a batch being checked together; without
    them, the database is asked for this declaration's."""
    data = DeclarationData.of(declaration)
    return [
        *check(data, taxonomy or Taxonomy.load()),
        *_check_copied(declaration, data, siblings),
    ]


def _check_copied(declaration: Declaration, data: DeclarationData, siblings):
    """A table whose rows are mostly another table's of the same unit and
    year was most likely copied from it and not yet rewritten."""
    own = signatures(data.rows)
    if declaration.pk is None or len(own) < COPIED_MIN_ROWS:
        return
    if siblings is None:
        siblings = Siblings.of([declaration], {declaration.pk: own})
    if found := siblings.copied_from(declaration.pk, own):
        sibling, shared = found
        yield Finding.warning(
            "copied_table",
            f"本表 {len(own)} 行绩效指标中有 {shared} 行与本单位同年度的{sibling.name}"
            "相同（指标名称和指标值都一样）。如果是复制后还没改，请按本项目的实际"
            "内容修改；如果确实相同，可以忽略这条提醒。",
            field="indicators",
        )


def _check_length(data):
    """A table that would print past PRINT_MAX_PAGES pages is not a table
    a reader can use, and would take minutes to print."""
    if pages := pages_past_limit(data):
        yield Finding.error(
            "too_long",
            f"申报表的文字太多，打印出来约有 {pages} 页，超过了 "
            f"{settings.PRINT_MAX_PAGES} 页的上限。请精简较长的绩效指标描述、"
            "指标值确定依据等文字，或合并重复的指标行。",
            field="indicators",
        )


def _check_funds(data):
    """预算数 equals 财政资金 + 其他资金, to the cent."""
    if data.total is None:
        yield Finding.error(
            "total_missing", "请填写预算数（年度资金总额）。", field="total"
        )
        return
    parts = (data.fiscal or Decimal(0)) + (data.other or Decimal(0))
    unit = data.money_unit
    if abs(data.total - parts) >= CENT:
        yield Finding.error(
            "funds_sum",
            f"预算数 {data.total:.2f} {unit}不等于财政资金 "
            f"{data.fiscal or 0:.2f} {unit}与其他资金 {data.other or 0:.2f} {unit}"
            f"之和 {parts:.2f} {unit}，"
            "请核对后修改。",
            field="total",
        )


def _check_term_funds(data):
    """The term's funds add up like the year's, and hold the year's: no part
    of the year's funds above the same part of the term's."""
    term, unit = data.rules.term_name if data.rules else "中期", data.money_unit
    if data.term_total is None:
        yield Finding.error(
            "term_total_missing",
            f"请填写{term}资金总额（整个{term}的资金，含本年度）。",
            field="term_total",
        )
        return
    parts = (data.term_fiscal or Decimal(0)) + (data.term_other or Decimal(0))
    if abs(data.term_total - parts) >= CENT:
        yield Finding.error(
            "term_funds_sum",
            f"{term}资金总额 {data.term_total:.2f} {unit}不等于其中财政拨款 "
            f"{data.term_fiscal or 0:.2f} {unit}与其他资金 {data.term_other or 0:.2f} "
            f"{unit}之和 {parts:.2f} {unit}，请核对后修改。",
            field="term_total",
        )
    for name, year, whole in [
        ("资金总额", data.total, data.term_total),
        ("财政拨款", data.fiscal, data.term_fiscal),
        ("其他资金", data.other, data.term_other),
    ]:
        if year is not None and whole is not None and year - whole >= CENT:
            yield Finding.error(
                "year_above_term",
                f"年度{name} {year:.2f} {unit}超过了{term}{name} {whole:.2f} {unit}："
                f"年度资金是{term}资金的一部分，请核对两栏金额。",
                field="term_total",
            )


def _check_side_totals(data):
    """A side table's 合计 (项目预算成本构成) equals the fund field its layout
    names, to 0.01 万元; an error or a warning as the layout says. An empty
    fund field is the funds checks' to name."""
    unit = data.money_unit
    for side in data.side_totals:
        if side.amount is None:
            continue
        if abs(side.total - side.amount) * data.wan_per_unit >= CENT:
            found = Finding.error if side.level == "error" else Finding.warning
            yield found(
                "side_total",
                f"{side.table}的合计 {side.total:.2f} {unit}与{side.label} "
                f"{side.amount:.2f} {unit}不一致，请核对。",
                field=side.field,
            )


def _check_splits(data):
    """Each split of a department-wide budget adds up to its 资金总额."""
    if data.total is None:
        yield Finding.error(
            "total_missing", "请填写年度预算申请的资金总额。", field="total"
        )
        return
    for code, name, pairs in [
        ("income_sum", "按收入性质分", data.income_split),
        ("spending_sum", "按支出性质分", data.spending_split),
    ]:
        amount = sum((a for _, a in pairs if a is not None), Decimal(0))
        if abs(amount - data.total) >= CENT:
            parts = "、".join(f"{label} {a:.2f}" for label, a in pairs if a is not None)
            yield Finding.error(
                code,
                f"{name}的合计 {amount:.2f} {data.money_unit}（{parts or '未填写'}）"
                f"不等于资金总额 {data.total:.2f} {data.money_unit}，请核对。",
                field=code.removesuffix("_sum") + "_split",
            )


def _check_spending_plan(data):
    """Cumulative shares: 0–100, never decreasing, the last one 100."""
    filled = [(m, p) for m, p in data.spending_plan if p is not None]
    if not filled:
        yield Finding.error(
            "plan_missing",
            "请填写资金支出计划，至少填写最后一个节点（通常为12月底 100%）。",
            field="spending_plan",
        )
        return
    for month, percent in filled:
        if not Decimal(0) <= percent <= Decimal(100):
            yield Finding.error(
                "plan_range",
                f"{month}月底的支出进度 {percent}% 不在 0–100 之间，请修改。",
                field="spending_plan",
            )
    for (m1, p1), (m2, p2) in zip(filled, filled[1:], strict=False):
        if p2 < p1:
            yield Finding.error(
                "plan_decreasing",
                f"支出进度是累计数，{m2}月底（{p2}%）不能小于{m1}月底（{p1}%）。",
                field="spending_plan",
            )
    last_month, last = data.spending_plan[-1]
    if last is None or last != Decimal(100):
        yield Finding.error(
            "plan_not_complete",
            f"最后一个节点（{last_month}月底）的累计支出进度应为 100%。",
            field="spending_plan",
        )


def _check_goals(data):
    if not any(text.strip() for text in data.goals):
        yield Finding.error("goals_missing", "请至少填写一条绩效目标。", field="goals")


__all__ = ["DeclarationData", "Finding", "check", "errors", "findings_for"]
