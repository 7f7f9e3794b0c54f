"""The checks follow the declaration's layout: 分值 that add up to the
layout's total, the year's funds and values within the term's, and amounts
compared in the layout's money unit."""

from decimal import Decimal

import pytest

from declarations.checks import findings_for
from tests.declarations.test_department import make_department_declaration
from tests.factories import make_declaration, make_user, use_layout


def found(declaration, *codes):
    """The findings of `declaration` with one of `codes`, as (code, message)."""
    return [(f.code, f.message) for f in findings_for(declaration) if f.code in codes]


@pytest.fixture
def scored(department):
    department.department_wide_layout_id = "zhejiang"
    department.save()
    user = make_user("dept-preparer", "preparer", department)
    return make_department_declaration(department, user)


def test_every_row_of_a_scored_layout_has_a_weight_and_they_make_100(scored):
    rows = list(scored.indicators.all())
    missing = found(scored, "weight_missing", "weight_sum")
    assert missing.count(("weight_missing", "请填写本行指标的分值。")) == len(rows)
    assert (
        "weight_sum",
        "各项指标的分值合计 0 分，应为 100 分，请调整各行分值。",
    ) in missing

    share = Decimal(100) / len(rows)
    weights = [share.quantize(Decimal("0.01"))] * len(rows)
    weights[-1] = Decimal(100) - sum(weights[:-1])
    for row, weight in zip(rows, weights, strict=True):
        row.weight = weight
        row.save(update_fields=["weight"])
    assert found(scored, "weight_missing", "weight_sum") == []

    rows[0].weight -= 5
    rows[0].save(update_fields=["weight"])
    ((code, message),) = found(scored, "weight_missing", "weight_sum")
    assert code == "weight_sum" and "合计 95 分，应为 100 分" in message


def test_a_layout_without_weights_asks_for_none(department):
    user = make_user("dept-preparer", "preparer", department)
    declaration = make_department_declaration(department, user)
    assert declaration.layout_id == "department_wide"
    assert found(declaration, "weight_missing", "weight_sum") == []


@pytest.fixture
def full_central(unit, preparer):
    return make_declaration(
        use_layout(unit, "central_full"),
        preparer,
        term_total=Decimal("100.00"),
        term_fiscal=Decimal("100.00"),
    )


TERM_CODES = ("term_total_missing", "term_funds_sum", "year_above_term")


def test_the_years_funds_lie_within_the_terms(full_central):
    assert found(full_central, *TERM_CODES) == []

    full_central.total = full_central.fiscal = Decimal("120.00")
    full_central.save()
    assert found(full_central, *TERM_CODES) == [
        (
            "year_above_term",
            "年度资金总额 120.00 万元超过了中期资金总额 100.00 万元："
            "年度资金是中期资金的一部分，请核对两栏金额。",
        ),
        (
            "year_above_term",
            "年度财政拨款 120.00 万元超过了中期财政拨款 100.00 万元："
            "年度资金是中期资金的一部分，请核对两栏金额。",
        ),
    ]

    full_central.term_fiscal = Decimal("90.00")
    full_central.total = full_central.fiscal = Decimal("35.00")
    full_central.save()
    ((code, message),) = found(full_central, *TERM_CODES)
    assert code == "term_funds_sum" and "中期资金总额 100.00 万元不等于" in message

    full_central.term_total = None
    full_central.save()
    assert [c for c, _ in found(full_central, *TERM_CODES)] == ["term_total_missing"]


def test_a_layout_without_a_term_asks_for_no_term_funds(unit, preparer):
    declaration = make_declaration(use_layout(unit, "hebei"), preparer)
    assert found(declaration, *TERM_CODES) == []


@pytest.mark.parametrize(
    "name, year, term, warned",
    [
        ("参保人数", "≥30万人", "≥20万人", True),  # a higher floor than the term's
        ("参保人数", "≥30万人", "≥100万人", False),
        ("业务经费", "≤35万元", "≤30万元", True),  # more money than the term's
        ("业务经费", "≤35万元", "≤1000000元", False),  # 100 万元, in 元
        ("一站式结算率", "≥90%", "≥95%", False),
        ("一站式结算率", "≥90%", "≥95人", False),  # other units: not compared
    ],
)
def test_the_years_value_is_not_beyond_the_terms(
    full_central, name, year, term, warned
):
    full_central.indicators.filter(level3=name).update(value=year, term_value=term)
    findings = found(full_central, "year_beyond_term")
    assert bool(findings) is warned
    if warned:
        assert findings[0][1].startswith(f"年度指标值“{year}”超出了中期指标值“{term}”")


def test_a_term_table_of_its_own_is_matched_by_indicator_name(full_central):
    year_row = full_central.indicators.get(level3="参保人数")
    year_row.pk, year_row.period, year_row.value = None, "term", "≥25万人"
    year_row.position = 99
    year_row.save()
    assert len(found(full_central, "year_beyond_term")) == 1


def test_amounts_in_yuan_are_compared_with_costs_in_wan(unit, preparer):
    declaration = make_declaration(
        use_layout(unit, "shanxi"),
        preparer,
        total=Decimal("350000"),
        fiscal=Decimal("350000"),
        term_total=Decimal("1050000"),
        term_fiscal=Decimal("1050000"),
    )
    # 业务经费 ≤35万元 is the whole 350,000 元 budget: not above it.
    assert found(declaration, "cost_over_budget") == []
    declaration.indicators.filter(level3="业务经费").update(value="≤36万元")
    ((_, message),) = found(declaration, "cost_over_budget")
    assert "超过项目预算 35.00 万元" in message

    declaration.fiscal = Decimal("300000")
    declaration.save()
    ((_, message),) = found(declaration, "funds_sum")
    assert message.startswith("预算数 350000.00 元不等于财政资金 300000.00 元")
    assert found(declaration, *TERM_CODES) == []
