"""The fields a layout definition may name: the header fields of a
declaration and the columns of its indicator tables.

A definition adds its own fields beside these (its ``fields`` and
``row_fields``); they are kept in ``Declaration.extra`` and
``IndicatorRow.extra`` by their key, so a new text block or column needs no
code.
"""

from dataclasses import dataclass

# Steps of the entry pages a header field is entered on.
BASIC, FUNDS, GOALS = "basic", "funds", "goals"


@dataclass(frozen=True)
class HeaderField:
    label: str
    step: str | None  # None: printed only, never entered
    kind: str = "short"  # short, text, money, plan, goals, split, choice
    css: str = ""  # the printed cell's class


HEADER_FIELDS = {
    "project_code": HeaderField("项目编码", BASIC, css="code"),
    "project_name": HeaderField("项目名称", BASIC),
    "department": HeaderField("主管部门及代码", BASIC),
    "implementing_unit": HeaderField("实施单位", BASIC),
    "attribute": HeaderField("项目属性", BASIC, kind="choice"),
    "period": HeaderField("项目期", BASIC),
    "duties": HeaderField("部门职能职责概述", BASIC, kind="text", css="text"),
    "total": HeaderField("年度资金总额", FUNDS, kind="money", css="num"),
    "fiscal": HeaderField("其中：财政拨款", FUNDS, kind="money", css="num"),
    "other": HeaderField("其他资金", FUNDS, kind="money", css="num"),
    "term_total": HeaderField("中期资金总额", FUNDS, kind="money", css="num"),
    "term_fiscal": HeaderField("中期其中：财政拨款", FUNDS, kind="money", css="num"),
    "term_other": HeaderField("中期其他资金", FUNDS, kind="money", css="num"),
    "fund_use": HeaderField("资金用途", FUNDS, kind="text", css="text"),
    "spending_plan": HeaderField("资金支出计划（%）", FUNDS, kind="plan"),
    "income_split": HeaderField("按收入性质分", FUNDS, kind="split", css="text"),
    "spending_split": HeaderField("按支出性质分", FUNDS, kind="split", css="text"),
    "goals": HeaderField("绩效目标", GOALS, kind="goals", css="text"),
    "unit": HeaderField("填报单位", None),
    "year": HeaderField("年度", None),
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
