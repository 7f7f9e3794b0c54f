from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from declarations.models import Declaration
from indicators.taxonomy import Taxonomy
from tests.factories import formset_data, make_declaration, use_layout


def step_url(declaration, step):
    return reverse("declaration_step", args=[declaration.pk, step])


def test_preparer_creates_a_declaration_and_goes_on_to_funds(client, preparer, unit):
    client.force_login(preparer)
    response = client.post(
        reverse("declaration_new"),
        {
            "organization": unit.pk,
            "year": 2025,
            "project_code": "450-0104-JBN-5ZL1",
            "project_name": "城乡居民医疗保险专项业务费",
            "department_name": "秦皇岛市北戴河区医疗保障局",
            "department_code": "450",
            "implementing_unit": "秦皇岛市北戴河区医疗保障局",
            "attribute": "new",
            "period": "1年期",
        },
    )
    declaration = Declaration.objects.get()
    assert response["Location"] == step_url(declaration, "funds")
    assert declaration.created_by == preparer
    assert declaration.version == 1
    # The department's layout decides the checkpoints: central prints 3/6/9/12.
    assert [m for m, _ in declaration.spending_plan] == [3, 6, 9, 12]


def test_a_hebei_department_gets_the_october_checkpoint(client, preparer, unit):
    department = unit.parent
    department.layout_id = "hebei"
    department.save()
    client.force_login(preparer)
    client.post(
        reverse("declaration_new"),
        {"organization": unit.pk, "year": 2025, "project_name": "人事代理经费"},
    )
    declaration = Declaration.objects.get()
    assert declaration.layout_id == "hebei"
    assert [m for m, _ in declaration.spending_plan] == [3, 6, 10, 12]


def test_funds_step_saves_amounts_and_the_spending_plan(client, preparer, unit):
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.post(
        step_url(declaration, "funds"),
        {
            "version": declaration.version,
            "total": "10.28",
            "fiscal": "10.28",
            "other": "",
            "fund_use": "保障落实机关人事代理工作人员的工资补贴待遇",
            "month_0": 3,
            "percent_0": "25",
            "month_1": 6,
            "percent_1": "50",
            "month_2": 10,
            "percent_2": "75",
            "month_3": 12,
            "percent_3": "100",
        },
    )
    assert response["Location"] == step_url(declaration, "goals")
    declaration.refresh_from_db()
    assert declaration.total == Decimal("10.28")
    assert declaration.other is None
    assert declaration.spending_plan == [
        [3, "25.00"],
        [6, "50.00"],
        [10, "75.00"],
        [12, "100.00"],
    ]
    assert declaration.version == 2


def test_invalid_amount_shows_a_chinese_error_and_keeps_what_was_typed(
    client, preparer, unit
):
    declaration = make_declaration(use_layout(unit, "hebei"), preparer)
    client.force_login(preparer)
    response = client.post(
        step_url(declaration, "funds"),
        {
            "version": declaration.version,
            "total": "三万五",
            "fiscal": "35.123",
            "fund_use": "用于打印宣传材料",
            "month_0": 3,
            "percent_0": "25",
            "month_1": 6,
            "month_2": 10,
            "month_3": 12,
            "percent_3": "100",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "请填写数字（单位：万元）" in body
    assert "金额最多保留两位小数" in body
    assert 'value="三万五"' in body
    assert "用于打印宣传材料" in body
    declaration.refresh_from_db()
    assert declaration.total == Decimal("35.00")
    assert declaration.version == 1


@pytest.mark.parametrize(
    "total, message",
    [
        ("-5.00", "金额不能为负数，请填写 0 或正数（万元）。"),
        ("123456789012345", "金额太大：整数部分最多 12 位。请核对单位是否为万元。"),
    ],
)
def test_a_negative_or_huge_amount_is_refused_in_chinese(
    client, preparer, unit, total, message
):
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.post(
        step_url(declaration, "funds"),
        {
            "version": declaration.version,
            "total": total,
            "fiscal": "35",
            "fund_use": "用于打印宣传材料",
            **{f"month_{i}": m for i, m in enumerate([3, 6, 10, 12])},
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "个数字" not in body
    assert f'value="{total}"' in body
    declaration.refresh_from_db()
    assert declaration.total == Decimal("35.00")


def test_a_draft_with_check_errors_can_still_be_saved(client, preparer, unit):
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    client.post(
        step_url(declaration, "funds"),
        {
            "version": 1,
            "total": "40",
            "fiscal": "35",
            "month_0": 3,
            "month_1": 6,
            "month_2": 10,
            "month_3": 12,
            "percent_3": "100",
        },
    )
    declaration.refresh_from_db()
    assert declaration.total == Decimal("40.00")
    review = client.get(reverse("declaration_detail", args=[declaration.pk]))
    assert "不等于财政资金" in review.content.decode()


def test_saving_over_a_newer_version_is_refused_and_keeps_the_typed_text(
    client, preparer, unit
):
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    basic = {
        "year": 2024,
        "project_code": "450-0101-TEST",
        "attribute": "continuing",
        "period": "1年期",
    }
    # Someone else saves first: the version moves from 1 to 2.
    client.post(
        step_url(declaration, "basic"),
        {**basic, "version": 1, "project_name": "同事改过的名称"},
    )
    response = client.post(
        step_url(declaration, "basic"),
        {**basic, "version": 1, "project_name": "我刚输入的名称"},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "保存未成功" in body and "第 2 版" in body
    assert 'value="我刚输入的名称"' in body
    declaration.refresh_from_db()
    assert declaration.project_name == "同事改过的名称"
    assert declaration.version == 2


def _goal_data(goals, *, version, initial=0):
    data = {
        "version": version,
        "goals-TOTAL_FORMS": len(goals),
        "goals-INITIAL_FORMS": initial,
        "goals-MIN_NUM_FORMS": 0,
        "goals-MAX_NUM_FORMS": 1000,
    }
    for i, (pk, text, order, delete) in enumerate(goals):
        data[f"goals-{i}-id"] = pk or ""
        data[f"goals-{i}-text"] = text
        data[f"goals-{i}-ORDER"] = order
        if delete:
            data[f"goals-{i}-DELETE"] = "on"
    return data


def test_goals_are_added_reordered_and_deleted(client, preparer, unit):
    declaration = make_declaration(unit, preparer, goals=["甲", "乙", "丙"])
    a, b, c = declaration.goals.all()
    client.force_login(preparer)
    response = client.post(
        step_url(declaration, "goals"),
        _goal_data(
            [
                (a.pk, "甲", 3, False),
                (b.pk, "乙", "", True),
                (c.pk, "丙（已修改）", 1, False),
                (None, "丁", 2, False),
                (None, "", "", False),  # a spare row left empty
            ],
            version=1,
            initial=3,
        ),
    )
    assert response.status_code == 302
    assert list(declaration.goals.values_list("text", flat=True)) == [
        "丙（已修改）",
        "丁",
        "甲",
    ]


def test_an_emptied_goal_asks_to_fill_or_delete(client, preparer, unit):
    declaration = make_declaration(unit, preparer, goals=["甲"])
    (a,) = declaration.goals.all()
    client.force_login(preparer)
    response = client.post(
        step_url(declaration, "goals"),
        _goal_data([(a.pk, "", 1, False)], version=1, initial=1),
    )
    assert "请填写目标内容，或勾选“删除”" in response.content.decode()


def _indicator_data(declaration, rows, *, version):
    return {"version": version, **formset_data("indicators", rows)}


def test_indicator_rows_are_saved_with_their_parsed_values(client, preparer, unit):
    declaration = make_declaration(unit, preparer, rows=[])
    taxonomy = Taxonomy.load()
    output = taxonomy.find_level1("产出指标")
    cost = taxonomy.find_level2(output, "成本指标")
    client.force_login(preparer)
    response = client.post(
        step_url(declaration, "indicators"),
        _indicator_data(
            declaration,
            [
                {
                    "level1": output.pk,
                    "level2": cost.pk,
                    "level3": "业务经费费用",
                    "value": "≦35万元",
                    "ORDER": 1,
                },
                {"ORDER": ""},  # an untouched spare row
            ],
            version=1,
        ),
    )
    # The step after the indicators is the review of the whole table.
    assert response["Location"] == reverse("declaration_detail", args=[declaration.pk])
    (row,) = declaration.indicators.all()
    # ≦ typed is stored as ≤, the rest as typed.
    assert (row.level3, row.value) == ("业务经费费用", "≤35万元")
    assert (row.value_operator, row.value_number, row.value_unit) == (
        "≤",
        Decimal(35),
        "万元",
    )


def test_a_row_without_levels_is_saved_in_the_draft_and_named_on_the_check_page(
    client, preparer, unit
):
    declaration = make_declaration(unit, preparer, rows=[])
    client.force_login(preparer)
    response = client.post(
        step_url(declaration, "indicators"),
        _indicator_data(
            declaration,
            [{"level3": "参保人数", "value": "≥200人", "ORDER": 1}],
            version=1,
        ),
    )
    # A draft always saves, the unfinished row included…
    assert response.status_code == 302
    (row,) = declaration.indicators.all()
    assert (row.level1, row.level2, row.level3) == (None, None, "参保人数")
    # …and the check page names it, which blocks the submission.
    check = client.get(reverse("declaration_detail", args=[declaration.pk]))
    body = check.content.decode()
    assert "请选择一级指标和二级指标" in body and "参保人数" in body
    submitted = client.post(reverse("declaration_submit", args=[declaration.pk]))
    declaration.refresh_from_db()
    assert submitted.status_code == 302 and declaration.status == "draft"
    # Its draft still prints (and reads in every reader), the levels blank.
    draft = client.get(reverse("declaration_pdf", args=[declaration.pk]))
    assert draft.status_code == 200 and draft["Content-Type"] == "application/pdf"


def test_review_step_shows_findings_beside_their_rows(client, preparer, unit):
    rows = [
        ("产出指标", "数量指标", "参保人数", "", "效果显著", ""),
        ("效益指标", "社会效益指标", "政策知晓率", "", "%", ""),
        ("满意度指标", "服务对象满意度指标", "满意度", "", "≥90%", ""),
    ]
    declaration = make_declaration(unit, preparer, rows=rows)
    client.force_login(preparer)
    response = client.get(reverse("declaration_detail", args=[declaration.pk]))
    table = {item.number: item for item in response.context["table"]}
    assert [f.code for f in table[1].findings] == ["qualitative_value"]
    assert [f.code for f in table[2].findings] == ["unit_without_number"]
    assert table[3].findings == []
    assert "应为可衡量的定量值" in response.content.decode()


def _queries_for_indicator_step(client, declaration):
    url = step_url(declaration, "indicators")
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["formset"].forms)


def test_indicator_step_runs_a_fixed_number_of_queries(client, preparer, unit):
    client.force_login(preparer)
    counts = {}
    for size in [5, 30]:
        rows = [
            ("产出指标", "数量指标", f"指标{i}", "描述", f"≥{i}人", "计划标准")
            for i in range(size)
        ]
        declaration = make_declaration(
            unit, preparer, rows=rows, project_code=f"CODE-{size}"
        )
        counts[size], forms = _queries_for_indicator_step(client, declaration)
        assert forms == size + 3  # the rows and three spare ones
    # The layout definition is one of them: which columns the rows have;
    # the bell's count of unread notifications another.
    assert counts[5] == counts[30] <= 12


def test_a_project_code_already_used_that_year_is_refused_with_a_message(
    client, preparer, unit
):
    use_layout(unit, "hebei")  # a layout that prints the project code
    make_declaration(unit, preparer, project_code="450-0101-A")
    declaration = make_declaration(unit, preparer, project_code="450-0101-B")
    client.force_login(preparer)
    response = client.post(
        step_url(declaration, "basic"),
        {
            "version": 1,
            "year": 2024,
            "project_code": "450-0101-A",
            "project_name": "改了编码的项目",
        },
    )
    assert "2024 年已有项目编码为 450-0101-A 的申报表" in response.content.decode()
    declaration.refresh_from_db()
    assert (declaration.project_code, declaration.version) == ("450-0101-B", 1)


@pytest.mark.parametrize(
    "pasted, goals",
    [
        (
            "1.确保医保业务正常办理\n2、提高参保缴费率\n（3）实现应保尽保\n④群众满意",
            ["确保医保业务正常办理", "提高参保缴费率", "实现应保尽保", "群众满意"],
        ),
        ("一、全年经办差错为零\n\n二、按时结算", ["全年经办差错为零", "按时结算"]),
        ("目标1：覆盖全体参保人", ["覆盖全体参保人"]),
        # A decimal at the start is part of the goal, not a number.
        ("1.5万人次享受待遇", ["1.5万人次享受待遇"]),
    ],
)
def test_lines_pasted_into_one_goal_box_are_goals_without_their_numbers(
    client, preparer, unit, pasted, goals
):
    declaration = make_declaration(unit, preparer, goals=[])
    client.force_login(preparer)
    data = {
        "version": 1,
        "goals-TOTAL_FORMS": 1,
        "goals-INITIAL_FORMS": 0,
        "goals-MIN_NUM_FORMS": 0,
        "goals-MAX_NUM_FORMS": 1000,
        "goals-0-text": pasted,
        "goals-0-ORDER": 1,
        "stay": "1",
    }
    response = client.post(step_url(declaration, "goals"), data)
    assert response.status_code == 302
    assert [g.text for g in declaration.goals.all()] == goals


def test_a_new_table_starts_with_the_units_department_and_name(client, preparer, unit):
    client.force_login(preparer)
    form = client.get(reverse("declaration_new")).context["form"]
    assert form["department_name"].value() == unit.parent.name
    assert form["department_code"].value() == unit.parent.code
    assert form["implementing_unit"].value() == unit.name
