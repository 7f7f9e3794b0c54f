from decimal import Decimal

import pytest

from declarations.checks import DeclarationData, check
from declarations.demo.tables import CENTRAL_2023, HEBEI_2020, full_row
from indicators.checks import RowData, Severity
from indicators.taxonomy import Taxonomy


@pytest.fixture
def taxonomy(db):
    return Taxonomy.load()


def level(taxonomy, level1, level2):
    first = taxonomy.find_level1(level1)
    return first.pk, taxonomy.find_level2(first, level2).pk


def row(taxonomy, level1, level2, name, value, description=""):
    return RowData(*level(taxonomy, level1, level2), name, description, value)


def complete_rows(taxonomy):
    return [
        row(taxonomy, "产出指标", "数量指标", "救助人次", "≥200人"),
        row(taxonomy, "产出指标", "质量指标", "一站式结算率", "≥90%"),
        row(taxonomy, "产出指标", "时效指标", "按时拨付率", "100%"),
        row(taxonomy, "产出指标", "成本指标", "业务经费", "≤5万元"),
        row(taxonomy, "效益指标", "社会效益指标", "政策知晓率", "≥80%"),
        row(taxonomy, "效益指标", "可持续影响指标", "经办能力", "显著提升"),
        row(taxonomy, "满意度指标", "服务对象满意度指标", "满意度", "≥90%"),
    ]


def clean_data(taxonomy, **changes):
    data = DeclarationData(
        layout="central",
        total=Decimal("5.07"),
        fiscal=Decimal("5.07"),
        other=None,
        spending_plan=[
            (3, Decimal(25)),
            (6, Decimal(50)),
            (10, Decimal(75)),
            (12, Decimal(100)),
        ],
        goals=["加强医保基金监管"],
        rows=complete_rows(taxonomy),
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def codes(findings, severity=None):
    return [f.code for f in findings if severity is None or f.severity == severity]


def test_a_complete_declaration_has_no_findings(taxonomy):
    assert check(clean_data(taxonomy), taxonomy) == []


def test_total_must_equal_fiscal_plus_other(taxonomy):
    findings = check(
        clean_data(taxonomy, total=Decimal("3.50"), fiscal=Decimal("3.00")), taxonomy
    )
    assert codes(findings, Severity.ERROR) == ["funds_sum"]
    assert "3.50" in findings[0].message and "3.00" in findings[0].message


def test_a_difference_below_one_cent_is_accepted(taxonomy):
    data = clean_data(
        taxonomy,
        total=Decimal("834.02"),
        fiscal=Decimal("728.02"),
        other=Decimal("106.00"),
    )
    assert "funds_sum" not in codes(check(data, taxonomy))


@pytest.mark.parametrize(
    ("plan", "code"),
    [
        ([(3, 25), (6, 50), (10, 40), (12, 100)], "plan_decreasing"),
        ([(3, 25), (6, 50), (10, 120), (12, 100)], "plan_range"),
        ([(3, 25), (6, 50), (10, 75), (12, 90)], "plan_not_complete"),
        ([(3, None), (6, None), (10, None), (12, None)], "plan_missing"),
    ],
)
def test_spending_plan_errors(taxonomy, plan, code):
    plan = [(m, None if p is None else Decimal(p)) for m, p in plan]
    findings = check(clean_data(taxonomy, spending_plan=plan), taxonomy)
    assert code in codes(findings, Severity.ERROR)


def test_a_plan_with_only_december_filled_is_accepted(taxonomy):
    plan = [(3, None), (6, None), (9, None), (12, Decimal(100))]
    assert check(clean_data(taxonomy, spending_plan=plan), taxonomy) == []


def test_at_least_one_goal(taxonomy):
    findings = check(clean_data(taxonomy, goals=["  "]), taxonomy)
    assert codes(findings) == ["goals_missing"]


def test_each_required_first_level_needs_an_indicator(taxonomy):
    rows = [r for r in complete_rows(taxonomy) if r.level3 != "满意度"]
    findings = check(clean_data(taxonomy, rows=rows), taxonomy)
    assert "level1_missing" in codes(findings, Severity.ERROR)
    assert any("满意度指标" in f.message for f in findings)


def test_the_old_name_xiaoguo_counts_as_xiaoyi(taxonomy):
    assert taxonomy.find_level1("效果指标").name == "效益指标"


def test_second_level_must_belong_to_its_first_level(taxonomy):
    rows = complete_rows(taxonomy)
    rows[0].level1_id = taxonomy.find_level1("效益指标").pk
    findings = check(clean_data(taxonomy, rows=rows), taxonomy)
    mismatch = [f for f in findings if f.code == "level2_mismatch"]
    assert len(mismatch) == 1 and mismatch[0].row == 0
    assert mismatch[0].is_error


def test_name_and_value_must_be_filled(taxonomy):
    rows = complete_rows(taxonomy)
    rows[1].level3 = ""
    rows[2].value = " "
    findings = check(clean_data(taxonomy, rows=rows), taxonomy)
    assert [(f.code, f.row) for f in findings if f.is_error] == [
        ("name_missing", 1),
        ("value_missing", 2),
    ]


def test_cost_above_the_budget_is_warned_of(taxonomy):
    # A published Hebei table: 医保基金监管核查专项资金, budget 5.07万元.
    rows = complete_rows(taxonomy)
    rows[3].value = "≤15.87万元"
    findings = check(clean_data(taxonomy, rows=rows), taxonomy)
    assert [(f.code, f.severity, f.row) for f in findings] == [
        ("cost_over_budget", Severity.WARNING, 3)
    ]
    assert "15.87" in findings[0].message and "5.07" in findings[0].message


def test_cost_in_yuan_is_converted_before_comparing(taxonomy):
    rows = complete_rows(taxonomy)
    rows[3].value = "≤60000元"  # 6万元 > 5.07万元
    assert "cost_over_budget" in codes(check(clean_data(taxonomy, rows=rows), taxonomy))
    rows[3].value = "2400元"  # 0.24万元
    assert check(clean_data(taxonomy, rows=rows), taxonomy) == []


def test_a_lower_bound_on_cost_is_not_compared_with_the_budget(taxonomy):
    rows = complete_rows(taxonomy)
    rows[3].value = "≥100万元"
    assert "cost_over_budget" not in codes(
        check(clean_data(taxonomy, rows=rows), taxonomy)
    )


def test_unit_without_number_and_percent_over_100(taxonomy):
    rows = complete_rows(taxonomy)
    rows[1].value = "%"
    rows[4].value = "≥120%"
    findings = check(clean_data(taxonomy, rows=rows), taxonomy)
    assert [(f.code, f.row) for f in findings] == [
        ("unit_without_number", 1),
        ("percent_over_100", 4),
    ]


def test_qualitative_value_under_a_quantitative_level_is_warned_of(taxonomy):
    rows = complete_rows(taxonomy)
    rows[0].value = "效果显著"
    rows[5].value = "效果显著"  # 可持续影响 may be qualitative
    findings = check(clean_data(taxonomy, rows=rows), taxonomy)
    assert [(f.code, f.row) for f in findings] == [("qualitative_value", 0)]


def test_copied_phrase_rows_are_warned_of(taxonomy):
    # A real table repeats 财政配套及时到位 as name, description and value in all rows.
    phrase = "财政配套及时到位"
    rows = complete_rows(taxonomy)
    for r in rows[:2]:
        r.level3 = r.description = r.value = phrase
    findings = check(clean_data(taxonomy, rows=rows), taxonomy)
    assert sorted((f.code, f.row) for f in findings) == [
        ("copied_phrase", 0),
        ("copied_phrase", 1),
        ("duplicate_name", 0),
        ("duplicate_name", 1),
        ("qualitative_value", 0),
        ("qualitative_value", 1),
    ]
    assert all(f.severity == Severity.WARNING for f in findings)


def test_missing_mandatory_second_level_of_the_central_template(taxonomy):
    rows = [r for r in complete_rows(taxonomy) if r.level3 != "按时拨付率"]
    central = check(clean_data(taxonomy, rows=rows), taxonomy)
    assert codes(central) == ["mandatory_level2_missing"]
    assert "时效指标" in central[0].message
    hebei = check(clean_data(taxonomy, rows=rows, layout="hebei"), taxonomy)
    assert hebei == []


def _rows_of(table):
    return [full_row(r) for r in table["rows"]]


@pytest.mark.parametrize(
    "table",
    HEBEI_2020 + CENTRAL_2023,
    ids=lambda t: t["project_name"],
)
def test_published_reference_tables_have_no_errors(taxonomy, table):
    rows = []
    for level1, level2, name, description, value, _ in _rows_of(table):
        rows.append(row(taxonomy, level1, level2, name, value, description))
    data = clean_data(
        taxonomy,
        layout="hebei" if "project_code" in table else "central",
        total=Decimal(table["total"]),
        fiscal=Decimal(table["fiscal"]),
        goals=table["goals"],
        rows=rows,
    )
    assert codes(check(data, taxonomy), Severity.ERROR) == []


def _with_row(taxonomy, new_row):
    rows = complete_rows(taxonomy)
    return check(clean_data(taxonomy, rows=[*rows, new_row]), taxonomy)


@pytest.mark.parametrize(
    "deadline", ["不晚于12月底", "6月底前完成", "按时", "及时完成"]
)
def test_a_deadline_is_a_measurable_time_target(taxonomy, deadline):
    findings = _with_row(
        taxonomy, row(taxonomy, "产出指标", "时效指标", "资金拨付时间", deadline)
    )
    assert codes(findings) == []


def test_a_vague_time_target_is_still_warned_of_with_a_deadline_example(taxonomy):
    findings = _with_row(
        taxonomy, row(taxonomy, "产出指标", "时效指标", "资金拨付时间", "效果显著")
    )
    (finding,) = findings
    assert finding.code == "qualitative_value" and "不晚于12月底" in finding.message


def test_a_rate_under_the_count_level_is_warned_of(taxonomy):
    findings = _with_row(
        taxonomy, row(taxonomy, "产出指标", "数量指标", "设备故障率", "≤1%")
    )
    (finding,) = findings
    assert finding.code == "percent_under_count"
    assert "宜放在“质量指标”下" in finding.message


def test_a_cost_that_is_not_money_is_warned_of(taxonomy):
    findings = _with_row(
        taxonomy, row(taxonomy, "产出指标", "成本指标", "成本控制率", "≥90%")
    )
    assert codes(findings) == ["cost_not_money"]


def test_a_number_without_a_unit_is_warned_of_unless_the_name_counts(taxonomy):
    bare = _with_row(
        taxonomy, row(taxonomy, "产出指标", "质量指标", "验收合格", "≥100")
    )
    assert codes(bare) == ["number_without_unit"]
    assert "≥100人次" in bare[0].message
    counted = _with_row(
        taxonomy, row(taxonomy, "产出指标", "数量指标", "定点医药机构个数", "186")
    )
    assert codes(counted) == []


def test_a_table_copied_from_another_of_the_unit_is_warned_of(unit, preparer):
    from declarations.checks import findings_for
    from tests.factories import make_declaration

    first = make_declaration(unit, preparer, project_code="A-1", project_name="甲项目")
    copy = make_declaration(unit, preparer, project_code="A-2", project_name="乙项目")
    last_year = make_declaration(unit, preparer, project_code="A-3", year=2023)
    (finding,) = [f for f in findings_for(copy) if f.code == "copied_table"]
    assert "“甲项目”（A-1）相同" in finding.message
    assert "可以忽略这条提醒" in finding.message
    assert not finding.is_error
    # Another year's table is last year's plan, not a copy.
    assert "copied_table" not in codes(findings_for(last_year))
    # Rewritten, it is no longer a copy.
    for i, r in enumerate(first.indicators.all()):
        r.level3 = f"甲项目指标{i}"
        r.save()
    assert "copied_table" not in codes(findings_for(copy))
