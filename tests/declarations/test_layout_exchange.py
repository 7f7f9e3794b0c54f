"""The spreadsheet carries what each layout adds: the term's funds and goals,
the row fields (中期指标值, 分值 …), a layout's own fields, columns and side
tables. Exported and imported into an empty database, a declaration of each
project layout comes back field for field; imported again, it is unchanged."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from declarations.models import Declaration, Period
from declarations.services import drafts
from declarations.spreadsheet import files, importing
from declarations.spreadsheet.export import export_file
from indicators.taxonomy import Taxonomy
from tests.declarations.test_side_tables import COUNTY
from tests.factories import make_user, use_layout

ROWS = [
    ("产出指标", "数量指标", "参保人数", "", "≥30万人", "计划标准"),
    ("产出指标", "成本指标", "业务经费", "", "≤35万元", "预算支出标准"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "", "≥90%", "行业标准"),
]
MORE = [
    {"term_value": "≥90万人", "explanation": "年末参保登记人数", "weight": "40"},
    {"term_value": "≤105万元", "scoring": "不超支得满分", "weight": "30"},
    {"history": "88%", "weight": "30", "period": Period.TERM},
]


def _filled(unit, layout, **fields):
    use_layout(unit, layout)
    rows = drafts.rows_from_names(ROWS, Taxonomy.load())
    for row, more in zip(rows, MORE, strict=True):
        for name, value in more.items():
            setattr(row, name, Decimal(value) if name == "weight" else value)
        row.extra = {"remark": f"备注{row.level3}"} if layout == "county" else {}
    return drafts.create_draft(
        unit,
        by=None,
        fields={
            "year": 2025,
            "project_code": f"450-{layout}",
            "project_name": "医保经办工作经费",
            "attribute": "continuing",
            "total": Decimal("35.00"),
            "fiscal": Decimal("30.00"),
            "other": Decimal("5.00"),
            "term_total": Decimal("105.00"),
            "term_fiscal": Decimal("100.00"),
            "term_other": Decimal("5.00"),
            "fund_use": "保障医保业务正常办理",
            **fields,
        },
        goals=["确保医保业务正常办理", "提高结算效率"],
        term_goals=["三年内全面实现应保尽保"],
        rows=rows,
    )


def content(declaration) -> dict:
    """Everything a declaration holds that a file could carry."""
    names = [
        "year",
        "project_code",
        "project_name",
        "attribute",
        "total",
        "fiscal",
        "other",
        "term_total",
        "term_fiscal",
        "term_other",
        "fund_use",
        "spending_plan",
        "extra",
        "kind",
        "duties",
        "income_split",
        "spending_split",
    ]
    row_names = [
        "level1_id",
        "level2_id",
        "level3",
        "value",
        "basis",
        "term_value",
        "explanation",
        "scoring",
        "weight",
        "history",
        "period",
        "extra",
        "value_operator",
        "value_number",
        "value_unit",
    ]
    return {
        "fields": {n: getattr(declaration, n) for n in names},
        "goals": [(g.period, g.text) for g in declaration.goals.all()],
        "rows": [
            {n: getattr(r, n) for n in row_names} for r in declaration.indicators.all()
        ],
    }


@pytest.fixture
def county(db):
    from declarations.models import TableLayout
    from declarations.services.layouts import save_definition

    return save_definition(TableLayout(code="county"), COUNTY, by=None)


def _import(data, name):
    from declarations.models import Organization

    plan = importing.analyse(
        files.read_rows(data, name), None, allowed_units=Organization.objects.all()
    )
    return plan


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize(
    "layout", ["hebei", "central", "central_full", "shanxi", "county"]
)
def test_a_round_trip_of_each_layout_keeps_every_field(
    unit, county, layout, file_format
):
    yuan = {
        "shanxi": {
            "total": Decimal("350000.00"),
            "fiscal": Decimal("300000.00"),
            "other": Decimal("50000.00"),
            "term_total": Decimal("1050000.00"),
            "term_fiscal": Decimal("1000000.12"),
            "term_other": Decimal("49999.88"),
        }
    }
    declaration = _filled(unit, layout, **yuan.get(layout, {}))
    if layout == "county":
        declaration.extra = {
            "overview": "为全县参保群众提供医保经办服务。",
            "grounds": "=《社会保险法》",  # escaped as a formula, read back as typed
            "leader": "张三 0335-1234567",
            "schedule": [
                {"content": "完成参保登记", "start": "2026-01-01", "end": "2026-03-31"},
                {"content": "待遇支付", "start": "2026-04-01", "end": "2026-12-31"},
            ],
        }
        declaration.save()
    before = content(declaration)
    data = export_file(Declaration.objects.all(), file_format)

    again = _import(data, f"again.{file_format}")
    assert [p for p in again.problems if p.blocking] == []
    assert [d.action for d in again.declarations] == ["unchanged"]

    Declaration.objects.all().delete()
    plan = _import(data, f"fresh.{file_format}")
    assert [p for p in plan.problems if p.blocking] == []
    importing.apply(plan, None)
    (restored,) = Declaration.objects.all()
    assert restored.layout_id == layout
    assert content(restored) == before


def test_the_export_names_the_layouts_own_columns(unit, county):
    _filled(unit, "county")
    rows = files.read_rows(export_file(Declaration.objects.all(), "csv"), "x.csv")
    for header in [
        "中期资金总额（万元）",
        "中期目标",
        "分值",
        "项目概况",
        "项目实施进度计划",
        "备注",
    ]:
        assert header in rows[0], header


def test_a_file_without_the_new_columns_leaves_what_they_hold(unit):
    declaration = _filled(unit, "central_full")
    data = files.read_rows(export_file(Declaration.objects.all(), "csv"), "x.csv")
    for row in data:
        for header in [
            "中期资金总额（万元）",
            "中期财政拨款（万元）",
            "中期其他资金（万元）",
            "中期目标",
        ]:
            del row[header]
        row["项目名称"] = "改过的名称"
    plan = importing.analyse(data, None, allowed_units=[unit])
    importing.apply(plan, None)
    declaration.refresh_from_db()
    assert declaration.project_name == "改过的名称"
    assert declaration.term_total == Decimal("105.00")
    assert [g.text for g in declaration.goals.filter(period=Period.TERM)] == [
        "三年内全面实现应保尽保"
    ]


@pytest.mark.parametrize(
    "header, text, message",
    [
        ("分值", "十分", "分值请填写数字，如 10 或 2.5。"),
        ("目标期", "下年", "目标期“下年”无效"),
        ("项目实施进度计划", "完成登记", "应为表格各行的 JSON"),
        ("项目实施进度计划", "[" * 9000 + "]" * 9000, "应为表格各行的 JSON"),
        (
            "项目实施进度计划",
            json.dumps([{"实施内容": "登记", "开始时间": "明年"}], ensure_ascii=False),
            "第 1 行“开始时间”：请填写日期，如 2026-03-31。",
        ),
        (
            "项目实施进度计划",
            json.dumps([{"内容": "x"}]),
            "栏目为：实施内容、开始时间、完成时间",
        ),
    ],
)
def test_bad_cells_of_the_new_columns_are_named(unit, county, header, text, message):
    _filled(unit, "county")
    data = files.read_rows(export_file(Declaration.objects.all(), "csv"), "x.csv")
    data[0][header] = text
    plan = importing.analyse(data, None, allowed_units=[unit])
    assert any(message in p.message and p.blocking for p in plan.problems), (
        plan.problems
    )


def test_amounts_of_a_layout_in_yuan_are_written_in_wan(unit):
    _filled(
        unit,
        "shanxi",
        total=Decimal("350000.00"),
        fiscal=Decimal("350000.00"),
        other=None,
        term_total=Decimal("1234567.89"),
    )
    (row, *_) = files.read_rows(export_file(Declaration.objects.all(), "csv"), "x.csv")
    assert row["预算数（万元）"] == "35.0"
    assert row["中期资金总额（万元）"] == "123.456789"


def test_the_export_download_still_works(client, unit, preparer):
    _filled(unit, "central_full")
    client.force_login(make_user("viewer", "preparer", unit))
    response = client.get(reverse("declaration_export") + "?format=csv")
    assert response.status_code == 200
    assert "中期资金总额（万元）" in response.content.decode("utf-8-sig")


def test_a_changed_own_field_or_side_table_is_an_update(unit, county):
    declaration = _filled(unit, "county")
    data = files.read_rows(export_file(Declaration.objects.all(), "csv"), "x.csv")
    for row in data:
        row["项目概况"] = "新的项目概况"
        row["项目实施进度计划"] = json.dumps(
            [{"实施内容": "全年经办", "完成时间": "2026-12-31"}], ensure_ascii=False
        )
    plan = importing.analyse(data, None, allowed_units=[unit])
    assert [d.action for d in plan.declarations] == ["update"]
    importing.apply(plan, None)
    declaration.refresh_from_db()
    assert declaration.extra["overview"] == "新的项目概况"
    assert declaration.extra["schedule"] == [
        {"content": "全年经办", "start": "", "end": "2026-12-31"}
    ]


def _department_wide(department, layout):
    department.department_wide_layout_id = layout
    department.save()
    rows = drafts.rows_from_names(ROWS, Taxonomy.load())
    for row, more in zip(rows, MORE, strict=True):
        row.weight = Decimal(more["weight"])
        row.history = more.get("history", "")
        row.extra = (
            {"importance": "核心", "budget_linked": "是"}
            if layout == "zhejiang"
            else {}
        )
    return drafts.create_draft(
        department,
        by=None,
        fields={
            "kind": "department_wide",
            "year": 2025,
            "total": Decimal("834.02"),
            "income_split": [["公共财政拨款", "834.02"], ["其他", None]],
            "spending_split": [["基本支出", "728.02"], ["项目支出", "106.00"]],
            "duties": "1、贯彻执行医疗保障法规。\n2、管理医疗保障基金。",
        },
        goals=["保证正常工作运转。"],
        rows=rows,
    )


@pytest.mark.parametrize("layout", ["department_wide", "tianjin", "zhejiang"])
def test_a_round_trip_of_each_department_wide_layout_keeps_every_field(
    department, layout
):
    declaration = _department_wide(department, layout)
    before = content(declaration)
    data = export_file(Declaration.objects.all(), "xlsx")
    again = _import(data, "again.xlsx")
    assert [p for p in again.problems if p.blocking] == []
    assert [d.action for d in again.declarations] == ["unchanged"]

    Declaration.objects.all().delete()
    plan = _import(data, "fresh.xlsx")
    assert [p for p in plan.problems if p.blocking] == []
    importing.apply(plan, None)
    (restored,) = Declaration.objects.all()
    assert (restored.layout_id, restored.organization) == (layout, department)
    assert content(restored) == before


def test_a_department_wide_row_names_a_department(unit, department):
    _department_wide(department, "department_wide")
    data = files.read_rows(export_file(Declaration.objects.all(), "csv"), "x.csv")
    for row in data:
        row["单位代码"] = unit.code
    plan = importing.analyse(data, None, allowed_units=[unit, department])
    assert any(
        "部门整体支出申报表由主管部门填报" in p.message for p in plan.blocking
    ), plan.problems


def test_a_file_read_by_another_layout_does_not_update(unit):
    declaration = _filled(unit, "central")
    data = files.read_rows(export_file(Declaration.objects.all(), "csv"), "x.csv")
    use_layout(unit, "shanxi")  # in 元: 35 万元 would be read as 350,000 元
    plan = importing.analyse(data, None, allowed_units=[unit])
    (problem,) = plan.blocking
    assert "是按“项目支出绩效目标申报表（中央样式）”填报的" in problem.message
    assert "请在系统中直接修改这份申报表" in problem.message
    declaration.refresh_from_db()
    assert declaration.total == Decimal("35.00")


def test_a_file_without_a_filled_row_column_is_refused_not_emptied(unit):
    _filled(unit, "central_full")
    data = files.read_rows(export_file(Declaration.objects.all(), "csv"), "x.csv")
    for row in data:
        del row["分值"]
        row["项目名称"] = "改过的名称"
    plan = importing.analyse(data, None, allowed_units=[unit])
    assert any(
        "文件缺少“分值”列" in p.message and "导入会把它清空" in p.message
        for p in plan.blocking
    ), plan.problems


@pytest.mark.parametrize(
    "text, message",
    [
        ("公共财政拨款:-5", "“公共财政拨款”：金额不能为负数"),
        ("公共财政拨款:834.025", "“公共财政拨款”：金额最多保留两位小数"),
        ("公共财政拨款", "读不懂"),
        ("公共财政拨款:1e99", "“公共财政拨款”：金额太大"),
    ],
)
def test_a_split_that_is_no_amount_is_refused(department, text, message):
    _department_wide(department, "department_wide")
    data = files.read_rows(export_file(Declaration.objects.all(), "csv"), "x.csv")
    data[0]["按收入性质分（万元）"] = text
    plan = importing.analyse(data, None, allowed_units=[department])
    assert any(message in p.message for p in plan.blocking), plan.problems
