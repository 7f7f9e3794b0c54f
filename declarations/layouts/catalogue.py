"""The fields a layout definition may name: the header fields of a
declaration and the columns of its indicator tables.

A definition adds its own fields beside these (its ``fields`` and
``row_fields``); they are kept in ``Declaration.extra`` and
``IndicatorRow.extra`` by their key, so a new text block or column needs no
code.
"""

from dataclasses import dataclass

PROJECT, DEPARTMENT_WIDE = "project", "department_wide"
BOTH = (PROJECT, DEPARTMENT_WIDE)

# Steps of the entry pages a header field is entered on.
BASIC, FUNDS, DUTIES, GOALS = "basic", "funds", "duties", "goals"

# The entry pages of each kind of declaration, in order, by their tabs
# (forms.steps builds them; 核对 and a layout's side tables come on top).
ENTRY_STEPS = {
    PROJECT: {
        BASIC: "基本信息",
        FUNDS: "资金与支出计划",
        GOALS: "绩效目标",
        "indicators": "绩效指标",
    },
    DEPARTMENT_WIDE: {
        BASIC: "基本信息",
        FUNDS: "年度预算申请",
        DUTIES: "职能职责",
        GOALS: "年度总体目标",
        "indicators": "绩效指标",
    },
}
# The entry pages that show a layout's own header fields (``fields``), each
# under the step's own fields: a definition may put one on no other step.
OWN_FIELD_STEPS = {PROJECT: (BASIC, FUNDS, GOALS), DEPARTMENT_WIDE: (BASIC, GOALS)}


@dataclass(frozen=True)
class HeaderField:
    label: str
    step: str | None  # None: printed only, never entered
    kind: str = "short"  # short, text, money, plan, goals, split, choice
    css: str = ""  # the printed cell's class
    kinds: tuple[str, ...] = (PROJECT,)  # the declarations whose pages ask for it


HEADER_FIELDS = {
    "project_code": HeaderField("项目编码", BASIC, css="code"),
    "project_name": HeaderField("项目名称", BASIC, kinds=BOTH),
    "department": HeaderField("主管部门及代码", BASIC),
    "implementing_unit": HeaderField("实施单位", BASIC),
    "attribute": HeaderField("项目属性", BASIC, kind="choice"),
    "period": HeaderField("项目期", BASIC),
    "duties": HeaderField(
        "部门职能职责概述", DUTIES, kind="text", css="text", kinds=(DEPARTMENT_WIDE,)
    ),
    "total": HeaderField("年度资金总额", FUNDS, kind="money", css="num", kinds=BOTH),
    "fiscal": HeaderField("其中：财政拨款", FUNDS, kind="money", css="num"),
    "other": HeaderField("其他资金", FUNDS, kind="money", css="num"),
    "term_total": HeaderField("中期资金总额", FUNDS, kind="money", css="num"),
    "term_fiscal": HeaderField("中期其中：财政拨款", FUNDS, kind="money", css="num"),
    "term_other": HeaderField("中期其他资金", FUNDS, kind="money", css="num"),
    "fund_use": HeaderField("资金用途", FUNDS, kind="text", css="text"),
    "spending_plan": HeaderField("资金支出计划（%）", FUNDS, kind="plan"),
    "income_split": HeaderField(
        "按收入性质分", FUNDS, kind="split", css="text", kinds=(DEPARTMENT_WIDE,)
    ),
    "spending_split": HeaderField(
        "按支出性质分", FUNDS, kind="split", css="text", kinds=(DEPARTMENT_WIDE,)
    ),
    "goals": HeaderField("绩效目标", GOALS, kind="goals", css="text", kinds=BOTH),
    "unit": HeaderField("填报单位", None, kinds=BOTH),
    "year": HeaderField("年度", None, kinds=BOTH),
}

# Kinds a definition's own header fields may have.
OWN_FIELD_KINDS = {"short", "text", "money", "date"}
OWN_FIELD_CSS = {"text": "text", "money": "num", "date": "num", "short": ""}


@dataclass(frozen=True)
class RowField:
    label: str
    css: str = "text"
    entered: bool = True  # False: printed from other fields


ROW_FIELDS = {
    "level1": RowField("一级指标", css="level"),
    "level2": RowField("二级指标", css="level"),
    "level3": RowField("三级指标"),
    "description": RowField("绩效指标描述"),
    "value": RowField("指标值", css="num"),
    "operator": RowField("计算符号", css="num"),
    "number": RowField("指标值", css="num"),
    "unit": RowField("计量单位", css="num"),
    "value_kind": RowField("指标值类型", css="num", entered=False),
    "term_value": RowField("中期指标值", css="num"),
    "basis": RowField("指标值确定依据"),
    "explanation": RowField("指标解释"),
    "scoring": RowField("评分标准"),
    "weight": RowField("分值", css="num"),
    "history": RowField("历史指标值", css="num"),
}
# 符号 / 指标值 / 计量单位 are the parts of one value: entered together.
VALUE_PARTS = {"operator", "number", "unit"}
