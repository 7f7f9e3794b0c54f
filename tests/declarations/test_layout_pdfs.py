"""Each shipped layout, filled and printed, prints every cell of its
definition in row and column order (read back with pdfplumber)."""

from decimal import Decimal

import pytest

from declarations.models import Declaration, DeclarationKind, Status
from declarations.printing import declaration as pdf
from declarations.services import drafts
from indicators.taxonomy import Taxonomy
from tests.declarations.pdf_reading import (
    prints_as_on_weasyprints_own_styles,
    row_holds,
    table_rows,
)
from tests.factories import use_layout

# (一级, 二级, 三级, 指标值, and the row's other fields)
ROWS = [
    ("产出指标", "数量指标", "参保人数", "≥30万人", {"term_value": "≥90万人"}),
    ("产出指标", "成本指标", "业务经费", "≤35万元", {"term_value": "≤105万元"}),
    ("效益指标", "社会效益指标", "政策知晓率", "≥80%", {"term_value": "≥90%"}),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", {}),
]


# The scored layout's own columns of each row.
SCORED = [
    {
        "weight": Decimal(w),
        "history": h,
        "extra": {"importance": i, "budget_linked": "是"},
    }
    for w, h, i in [
        ("30", "28万人", "核心"),
        ("30", "33万元", "核心"),
        ("20", "78%", "重要"),
        ("20", "88%", "一般"),
    ]
]


def _rows(rows):
    built = drafts.rows_from_names(
        [(l1, l2, name, "", value, "") for l1, l2, name, value, _ in rows],
        Taxonomy.load(),
    )
    for row, (*_, more) in zip(built, rows, strict=True):
        for name, value in more.items():
            setattr(row, name, value)
    return built


def _project(unit, layout, **fields):
    use_layout(unit, layout)
    return drafts.create_draft(
        unit,
        by=None,
        fields={
            "year": 2025,
            "project_name": "医保经办工作经费",
            "implementing_unit": "沙坡头区医疗保障事务中心",
            "attribute": "continuing",
            "period": "3年",
            **fields,
        },
        goals=["确保医保业务正常办理"],
        term_goals=["三年内全面实现应保尽保"],
        rows=_rows(ROWS),
        spending_plan=[[3, "25.00"], [6, "50.00"], [9, "75.00"], [12, "100.00"]],
    )


def _approved(declaration):
    Declaration.objects.filter(pk=declaration.pk).update(status=Status.APPROVED)
    declaration.refresh_from_db()
    return declaration


def _printed(declaration):
    return table_rows(pdf.render_declaration(declaration))


def _department_wide(department, layout, year=2025):
    department.department_wide_layout_id = layout
    department.save()
    rows = _rows(
        [
            (l1, l2, name, value, {**more, "scoring": "完成得满分"})
            for (l1, l2, name, value, _), more in zip(ROWS, SCORED, strict=True)
        ]
    )
    return drafts.create_draft(
        department,
        by=None,
        fields={
            "kind": DeclarationKind.DEPARTMENT_WIDE,
            "year": year,
            "total": Decimal("834.02"),
            "income_split": [["公共财政拨款", "834.02"]],
            "spending_split": [["基本支出", "728.02"], ["项目支出", "106.00"]],
            "duties": "负责全县医疗保障工作。",
        },
        goals=["保证正常工作运转。", "实现基金收支平衡。"],
        rows=rows,
    )


INFO_DEPARTMENT_WIDE = [
    ["年度预算（万元）", "资金总额：834.02万元"],
    ["按收入性质分", "按支出性质分"],
    [
        "其中：公共财政拨款：834.02万元",
        "其中：基本支出：728.02万元项目支出：106.00万元",
    ],
    ["部门职能职责", "负责全县医疗保障工作。"],
    ["年度绩效目标", "1.保证正常工作运转。2.实现基金收支平衡。"],
]

EXPECTED = {
    "tianjin": [
        *INFO_DEPARTMENT_WIDE,
        ["一级指标", "二级指标", "三级指标", "符号", "指标值", "计量单位"],
        ["产出指标", "数量指标", "参保人数", "≥", "30", "万人"],
        ["成本指标", "业务经费", "≤", "35", "万元"],
        ["效益指标", "社会效益指标", "政策知晓率", "≥", "80", "%"],
        ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥", "90", "%"],
    ],
    "zhejiang": [
        *INFO_DEPARTMENT_WIDE,
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "指标重要性",
            "分值",
            "赋分原则",
            "计算符号",
            "指标值",
            "计量单位",
            "历史指标值",
            "是否与预算挂钩",
        ],
        ["产出指标", "数量指标", "参保人数", "核心", "30", "完成得满分"]
        + ["≥", "30", "万人", "28万人", "是"],
        ["成本指标", "业务经费", "核心", "30", "完成得满分"]
        + ["≤", "35", "万元", "33万元", "是"],
        ["效益指标", "社会效益指标", "政策知晓率", "重要", "20", "完成得满分"]
        + ["≥", "80", "%", "78%", "是"],
        ["满意度指标", "服务对象满意度指标", "服务对象满意度", "一般", "20"]
        + ["完成得满分", "≥", "90", "%", "88%", "是"],
    ],
    "central_full": [
        ["项目名称", "医保经办工作经费"],
        ["主管部门及代码", "秦皇岛市北戴河区医疗保障局（450）"]
        + ["实施单位", "沙坡头区医疗保障事务中心"],
        ["项目属性", "延续性项目", "项目期", "3年"],
        ["项目资金（万元）", "中期资金总额", "年度资金总额"],
        ["资金总额", "105.00", "35.00"],
        ["其中：财政拨款", "105.00", "35.00"],
        ["其他资金"],
        ["总体目标", "中期目标", "年度目标"],
        ["目标1：三年内全面实现应保尽保", "目标1：确保医保业务正常办理"],
        ["一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值"],
        ["产出指标", "数量指标(必填硬性指标)", "指标1：参保人数", "≥90万人", "≥30万人"],
        ["成本指标(必填硬性指标)", "指标1：业务经费", "≤105万元", "≤35万元"],
        ["效益指标", "社会效益指标(必填)", "指标1：政策知晓率", "≥90%", "≥80%"],
        ["满意度指标", "服务对象满意度指标(必填)", "指标1：服务对象满意度", "≥90%"],
        ["综合评定等级", "优□良□中□差□"],
    ],
    "shanxi": [
        ["项目名称", "医保经办工作经费"],
        ["主管部门", "秦皇岛市北戴河区医疗保障局（450）"]
        + ["实施单位", "沙坡头区医疗保障事务中心"],
        ["项目属性", "延续性项目", "项目期", "3年"],
        ["项目资金（元）", "实施期资金总额", "年度资金总额"],
        ["资金总额", "1050000.00", "350000.00"],
        ["其中：财政拨款", "1000000.00", "350000.00"],
        ["其他资金", "50000.00"],
        ["总体目标", "实施期目标", "年度目标"],
        ["目标1：三年内全面实现应保尽保", "目标1：确保医保业务正常办理"],
        ["一级指标", "二级指标", "三级指标", "实施期指标值", "年度指标值"],
        ["产出指标", "数量指标", "参保人数", "≥90万人", "≥30万人"],
        ["成本指标", "业务经费", "≤105万元", "≤35万元"],
        ["效益指标", "社会效益指标", "政策知晓率", "≥90%", "≥80%"],
        ["满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"],
    ],
}

PROJECT_FUNDS = {
    "central_full": {"term_total": "105.00", "term_fiscal": "105.00"}
    | {"total": "35.00", "fiscal": "35.00"},
    "shanxi": {"term_total": "1050000", "term_fiscal": "1000000"}
    | {"term_other": "50000", "total": "350000", "fiscal": "350000"},
}


@pytest.mark.parametrize("layout", list(EXPECTED))
def test_each_shipped_layout_prints_every_cell_in_row_and_column_order(
    unit, department, layout
):
    if layout in PROJECT_FUNDS:
        funds = {k: Decimal(v) for k, v in PROJECT_FUNDS[layout].items()}
        declaration = _project(unit, layout, **funds)
    else:
        declaration = _department_wide(department, layout)
    assert declaration.layout_id == layout
    rows = _printed(_approved(declaration))
    wanted = EXPECTED[layout]
    assert len(rows) == len(wanted), rows
    for actual, cells in zip(rows, wanted, strict=True):
        assert row_holds(actual, cells), (actual, cells)


@pytest.mark.parametrize("layout", list(EXPECTED))
def test_each_shipped_layout_draws_on_our_base_styles_what_weasyprints_draw(
    unit, department, layout
):
    """The elements a layout prints all have their defaults in base.css."""
    if layout in PROJECT_FUNDS:
        declaration = _project(unit, layout)
    else:
        declaration = _department_wide(department, layout)
    html = pdf.declaration_html(_approved(declaration))
    assert prints_as_on_weasyprints_own_styles(html)
