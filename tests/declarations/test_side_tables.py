"""A county project table of the kind no shipped layout covers, defined in
the admin without code: text blocks of its own (项目概况, 立项依据), a
项目实施进度计划 side table entered in a step of its own, a 备注 column, the
review block and the signature line at the foot."""

import json

import pytest
from django.urls import reverse

from declarations.models import TableLayout
from declarations.printing import declaration as pdf
from tests.declarations.pdf_reading import body_text, row_holds, table_rows
from tests.factories import formset_data, make_declaration, make_user, use_layout

COUNTY = {
    "schema": 1,
    "name": "项目支出绩效目标申报表（县级样式·实施计划）",
    "kind": "project",
    "money_unit": "万元",
    "fields": [
        {"key": "overview", "label": "项目概况", "kind": "text"},
        {"key": "grounds", "label": "立项依据", "kind": "text"},
        {"key": "leader", "label": "项目负责人及电话", "kind": "short"},
    ],
    "row_fields": [{"key": "remark", "label": "备注", "kind": "short"}],
    "parts": [
        {"kind": "title", "text": "项目支出绩效目标申报表"},
        {"kind": "subtitle", "text": "（{year}年度）"},
        {
            "kind": "info",
            "widths": [20, 30, 20, 30],
            "rows": [
                [{"label": "项目名称"}, {"field": "project_name", "span": 3}],
                [
                    {"label": "主管部门"},
                    {"field": "department"},
                    {"label": "实施单位"},
                    {"field": "implementing_unit"},
                ],
                [{"label": "项目负责人及电话"}, {"field": "leader", "span": 3}],
                [
                    {"label": "年度资金总额"},
                    {"field": "total"},
                    {"label": "其中：财政拨款"},
                    {"field": "fiscal"},
                ],
                [{"label": "项目概况"}, {"field": "overview", "span": 3}],
                [{"label": "立项依据"}, {"field": "grounds", "span": 3}],
                [
                    {"label": "年度目标"},
                    {"field": "goals", "number": "{n}、", "span": 3},
                ],
            ],
        },
        {
            "kind": "side_table",
            "key": "schedule",
            "title": "项目实施进度计划",
            "widths": [50, 25, 25],
            "columns": [
                {"key": "content", "label": "实施内容", "kind": "text"},
                {"key": "start", "label": "开始时间", "kind": "date"},
                {"key": "end", "label": "完成时间", "kind": "date"},
            ],
        },
        {
            "kind": "indicators",
            "caption": "年度绩效指标",
            "widths": [15, 20, 30, 20, 15],
            "columns": [
                {"field": "level1", "label": "一级指标"},
                {"field": "level2", "label": "二级指标"},
                {"field": "level3", "label": "指标内容"},
                {"field": "value", "label": "指标值"},
                {"field": "remark", "label": "备注"},
            ],
        },
        {
            "kind": "review",
            "items": [
                "主管部门审核意见",
                "财政局审核意见（业务科室）",
                "财政局审核意见（绩效科）",
            ],
        },
        {
            "kind": "line",
            "style": "signature",
            "items": ["填报人：", "单位负责人：", "填报日期："],
        },
    ],
}


@pytest.fixture
def county(client, db):
    """The layout as an administrator adds it in the admin."""
    client.force_login(make_user("root-admin", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:declarations_tablelayout_add"),
        {"code": "county", "document": json.dumps(COUNTY, ensure_ascii=False)},
    )
    assert response.status_code == 302, response.content.decode()
    client.logout()
    return TableLayout.objects.get(code="county")


def step_url(declaration, step):
    return reverse("declaration_step", args=[declaration.pk, step])


def _schedule(rows):
    return formset_data(
        "schedule", [{**row, "ORDER": i + 1} for i, row in enumerate(rows)]
    )


def test_the_schedule_is_a_step_of_its_own_kept_in_order(
    client, county, unit, preparer
):
    declaration = make_declaration(use_layout(unit, "county"), preparer)
    client.force_login(preparer)
    page = client.get(step_url(declaration, "goals")).content.decode()
    assert "项目实施进度计划" in page  # its tab, after the goals
    page = client.get(step_url(declaration, "tables")).content.decode()
    assert "<th>实施内容</th><th>开始时间</th><th>完成时间</th>" in page

    response = client.post(
        step_url(declaration, "tables"),
        {
            "version": 1,
            **_schedule(
                [
                    {"content": "完成参保登记", "start": "2026-01-01", "end": "三月底"},
                    {"content": "", "start": "", "end": ""},
                ]
            ),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写日期，如 2026-03-31。" in page and 'value="三月底"' in page
    assert "完成参保登记" in page

    response = client.post(
        step_url(declaration, "tables"),
        {
            "version": 1,
            **_schedule(
                [
                    {
                        "content": "完成参保登记",
                        "start": "2026-01-01",
                        "end": "2026-03-31",
                    },
                    {"content": "", "start": "", "end": ""},
                    {"content": "待遇支付", "start": "2026-04-01", "end": "2026-12-31"},
                ]
            ),
        },
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.extra["schedule"] == [
        {"content": "完成参保登记", "start": "2026-01-01", "end": "2026-03-31"},
        {"content": "待遇支付", "start": "2026-04-01", "end": "2026-12-31"},
    ]
    page = client.get(step_url(declaration, "tables")).content.decode()
    assert 'value="2026-12-31"' in page  # shown again to be edited


def test_the_county_table_prints_its_blocks_side_table_and_review(
    client, county, unit, preparer
):
    declaration = make_declaration(use_layout(unit, "county"), preparer)
    declaration.extra = {
        "overview": "为全县参保群众提供医保经办服务。",
        "grounds": "《社会保险法》。",
        "leader": "张三 0335-1234567",
        "schedule": [
            {"content": "完成参保登记", "start": "2026-01-01", "end": "2026-03-31"},
            {"content": "待遇支付", "start": "2026-04-01", "end": "2026-12-31"},
        ],
    }
    declaration.status = "approved"
    declaration.save()
    row = declaration.indicators.first()
    row.extra = {"remark": "按季度统计"}
    row.save()
    output = pdf.render_declaration(declaration)
    rows = table_rows(output)
    expected = [
        ["项目名称", "医保经办工作经费"],
        ["主管部门", "秦皇岛市北戴河区医疗保障局", "实施单位"],
        ["项目负责人及电话", "张三0335-1234567"],
        ["年度资金总额", "35.00", "其中：财政拨款", "35.00"],
        ["项目概况", "为全县参保群众提供医保经办服务。"],
        ["立项依据", "《社会保险法》。"],
        ["年度目标", "1、确保医保业务正常办理"],
        ["实施内容", "开始时间", "完成时间"],
        ["完成参保登记", "2026-01-01", "2026-03-31"],
        ["待遇支付", "2026-04-01", "2026-12-31"],
        ["一级指标", "二级指标", "指标内容", "指标值", "备注"],
        ["产出指标", "数量指标", "参保人数", "≥30万人", "按季度统计"],
    ]
    for actual, cells in zip(rows, expected, strict=False):
        assert row_holds(actual, cells), (actual, cells)
    for opinion in [
        "主管部门审核意见",
        "财政局审核意见（业务科室）",
        "财政局审核意见（绩效科）",
    ]:
        assert any(r[0] == opinion for r in rows), opinion
    text = body_text(output)
    assert "项目实施进度计划" in text
    assert "填报人：" in text and "单位负责人：" in text and "填报日期：" in text


def test_a_costing_table_takes_amounts_and_the_step_holds_both_tables(
    client, unit, preparer
):
    from declarations.models import TableLayout
    from declarations.services.layouts import save_definition

    document = json.loads(json.dumps(COUNTY))
    document["parts"].insert(
        4,
        {
            "kind": "side_table",
            "key": "costs",
            "title": "项目预算成本构成",
            "widths": [30, 20, 50],
            "columns": [
                {"key": "item", "label": "成本项目"},
                {"key": "amount", "label": "金额（万元）", "kind": "money"},
                {"key": "basis", "label": "测算（公式）依据", "kind": "text"},
            ],
        },
    )
    save_definition(TableLayout(code="costing"), document, by=None)
    declaration = make_declaration(use_layout(unit, "costing"), preparer)
    client.force_login(preparer)
    page = client.get(step_url(declaration, "tables")).content.decode()
    assert "附表" in page  # two tables: the tab's name
    assert "项目实施进度计划" in page and "项目预算成本构成" in page
    costs = formset_data(
        "costs",
        [
            {"item": "劳务费", "amount": "十二万", "basis": "2人×6万元", "ORDER": 1},
        ],
    )
    data = {"version": 1, **_schedule([]), **costs}
    response = client.post(step_url(declaration, "tables"), data)
    assert "请填写数字，如 3.50。" in response.content.decode()
    data["costs-0-amount"] = "12.5"
    assert client.post(step_url(declaration, "tables"), data).status_code == 302
    declaration.refresh_from_db()
    assert declaration.extra["costs"] == [
        {"item": "劳务费", "amount": "12.50", "basis": "2人×6万元"}
    ]
    assert declaration.extra["schedule"] == []
    rows = table_rows(pdf.render_declaration(declaration))
    assert ["成本项目", "金额（万元）", "测算（公式）依据"] in rows
    assert any(row_holds(r, ["劳务费", "12.50", "2人×6万元"]) for r in rows)


def test_a_long_term_and_a_years_indicator_table_each_print_their_rows(
    client, unit, preparer
):
    from declarations.models import Period, TableLayout
    from declarations.services.layouts import save_definition
    from indicators.taxonomy import Taxonomy

    document = json.loads(json.dumps(COUNTY))
    info = document["parts"][2]
    info["rows"][-1] = [
        {"label": "长期目标"},
        {"field": "goals", "period": "term", "span": 3},
    ]
    info["rows"].append([{"label": "年度目标"}, {"field": "goals", "span": 3}])
    annual = document["parts"][4]
    term = {
        **json.loads(json.dumps(annual)),
        "caption": "长期绩效指标",
        "period": "term",
    }
    annual.update(caption="年度绩效指标", period="annual")
    document["parts"].insert(4, term)
    save_definition(TableLayout(code="county-terms"), document, by=None)
    declaration = make_declaration(use_layout(unit, "county-terms"), preparer, rows=[])
    client.force_login(preparer)
    page = client.get(step_url(declaration, "indicators")).content.decode()
    assert "<th>目标期</th>" in page
    taxonomy = Taxonomy.load()
    output = taxonomy.find_level1("产出指标")
    count = taxonomy.find_level2(output, "数量指标")
    row = {"level1": output.pk, "level2": count.pk}
    response = client.post(
        step_url(declaration, "indicators"),
        {
            "version": 1,
            **formset_data(
                "indicators",
                [
                    {
                        **row,
                        "level3": "三年参保人数",
                        "value": "≥90万人",
                        "period": "term",
                        "ORDER": 1,
                    },
                    {
                        **row,
                        "level3": "当年参保人数",
                        "value": "≥30万人",
                        "period": "annual",
                        "ORDER": 2,
                    },
                ],
            ),
        },
    )
    assert response.status_code == 302
    assert list(declaration.indicators.values_list("period", flat=True)) == [
        Period.TERM,
        Period.ANNUAL,
    ]
    text = body_text(pdf.render_declaration(declaration))
    long_term, year = text.index("长期绩效指标"), text.index("年度绩效指标")
    assert long_term < text.index("三年参保人数") < year < text.index("当年参保人数")


def test_a_change_of_the_schedule_or_an_own_field_shows_in_the_changes(
    county, unit, preparer
):
    from declarations.snapshots import diff, snapshot

    declaration = make_declaration(use_layout(unit, "county"), preparer)
    before = snapshot(declaration)
    declaration.extra = {
        "overview": "新的概况",
        "schedule": [{"content": "待遇支付", "start": "", "end": "2026-12-31"}],
    }
    declaration.save()
    changes = diff(before, snapshot(declaration))
    assert ("项目概况", "", "新的概况") in changes["fields"]
    assert ("项目实施进度计划", "", "待遇支付 /  / 2026-12-31") in changes["fields"]
    assert not changes["empty"]


def test_a_schedule_too_long_to_print_is_named_like_long_indicators(
    county, unit, preparer
):
    from declarations.checks import findings_for

    declaration = make_declaration(use_layout(unit, "county"), preparer)
    declaration.extra = {
        "schedule": [{"content": "长" * 2000, "start": "", "end": ""}] * 50
    }
    declaration.save()
    assert "too_long" in {f.code for f in findings_for(declaration)}
