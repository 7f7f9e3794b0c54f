"""The words a performance table is read by: the labels of its cells
(项目名称, 预算数, 一级指标 …) and the fields they name, and the patterns of
the lines around it (a heading 3、…绩效目标表, a unit line
450002秦皇岛市…局, 单位：万元, a year).

No pattern reads more than LOOKED_AT characters of a line: the lines they
look for are short, and a pattern that may backtrack costs the square of
what it reads. What is stored is never shortened by that.
"""

import re

LOOKED_AT = 200

# A label as written, spaces and colons dropped, to the field it names.
FIELD_LABELS = {
    "项目编码": "project_code",
    "项目代码": "project_code",
    "项目名称": "project_name",
    "主管部门": "department_name",
    "主管部门及代码": "department",
    "实施单位": "implementing_unit",
    "项目属性": "attribute",
    "项目期": "period",
    "项目日期": "period",
    "项目周期": "period",
    "预算数": "total",
    "年度资金总额": "total",
    "资金总额": "total",
    "其中财政资金": "fiscal",
    "其中财政拨款": "fiscal",
    "财政资金": "fiscal",
    "财政拨款": "fiscal",
    "其他资金": "other",
    "资金用途": "fund_use",
    "部门名称": "project_name",  # a department-wide table is named by it
    "部门职能职责概述": "duties",
    "部门职能职责": "duties",
    "职能职责": "duties",
    "绩效目标": "goals",
    "年度绩效目标": "goals",
    "年度总体目标": "goals",
    "年度目标": "goals",
    "总体目标": "goals",
}
# Cells that only name a block of the table (their content is elsewhere).
FRAME_LABELS = {
    "预算规模及资金用途",
    "项目资金",
    "项目资金万元",
    "项目资金元",
    "年度预算",
    "年度预算万元",
    "绩效指标",
    "年度绩效指标",
    "资金支出计划",
    "年度预算申请",
    "年度预算申请万元",
    "部门整体支出年度绩效指标",
}
SPLIT_HEADERS = {"按收入性质分": "income_split", "按支出性质分": "spending_split"}
# Layouts that print the medium term beside the year head their columns so:
# the rows below give, under each, the term's and the year's amounts or goals.
COLUMN_HEADS = {
    "中期资金总额": "term",
    "实施期资金总额": "term",
    "年度资金总额": "year",
    "中期目标": "term",
    "实施期目标": "term",
    "长期目标": "term",
    "年度目标": "year",
}
# A row label under such heads, to the fields of the year and of the term.
HEADED_ROWS = {
    "资金总额": ("total", "term_total"),
    "其中财政拨款": ("fiscal", "term_fiscal"),
    "其中财政资金": ("fiscal", "term_fiscal"),
    "财政拨款": ("fiscal", "term_fiscal"),
    "其他资金": ("other", "term_other"),
    "总体目标": ("goals", "term_goals"),
    "": ("goals", "term_goals"),  # the goals row under its merged label
}
# 资金总额：834.02万元 — a label and its amount in one cell.
INLINE_TOTAL = re.compile(r"^\s*(年度)?资金总额\s*[:：]\s*(?P<amount>\d[\d,.]*)")
SPLIT_LINE = re.compile(
    r"^\s*(其中\s*[:：])?\s*(?P<label>[^:：\d]+?)\s*[:：]\s*(?P<amount>\d[\d,.]*)"
)
# 填报单位（盖章）：… 单位负责人（签名）：… above a department-wide table.
SIGNATURE = re.compile(r"^\s*(填报单位|单位负责人|联系人|联系电话)")
# Template text the printed form carries, not a declaration's content.
FORM_ROWS = {"综合评定等级", "审核意见", "备注"}
ROW_LABELS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "level3",
    "绩效指标描述": "description",
    "指标描述": "description",
    "指标内容": "description",
    "指标值": "value",
    "年度指标值": "value",
    "中期指标值": "term_value",
    "实施期指标值": "term_value",
    "长期指标值": "term_value",
    # Layouts that split the value: 符号 | 指标值 | 计量单位.
    "符号": "operator",
    "计算符号": "operator",
    "计量单位": "unit",
    "分值": "weight",
    "赋分原则": "scoring",
    "评分标准": "scoring",
    "历史指标值": "history",
    "指标解释": "explanation",
    "指标值确定依据": "basis",
    "指标值设定依据": "basis",
}
_NOT_LABEL = re.compile(r"[\s:：（）()%％]")
HEADING = re.compile(r"^\s*\d{1,3}\s*[、.．]\s*(?P<name>.+?)\s*绩效目标(申报)?表\s*$")
# 450002秦皇岛市北戴河区医疗保障局: a code and a name. Not 2024年…, 300万元…,
# 100%…, 834.02 or 450-002: what follows the digits must start a name.
UNIT_LINE = re.compile(
    r"^\s*(?P<code>\d{3,20})(?![\d.．,，%％\-－/])\s*"
    r"(?P<name>(?![年月日号万元个人次条项])[^\d\s].*?)\s*$"
)
MONEY_UNIT = re.compile(
    r"^\s*[（(]?\s*(金额|资金)?单位\s*[:：]\s*(?P<unit>万?元)\s*[）)]?\s*$"
)
# A document's year as it states it: 2020年部门预算…, （2023年度）, 2024年度….
# Not any 20xx年 (a project named 2024年…, a date under the table).
YEAR = re.compile(r"(?P<year>20\d{2})\s*年\s*(度|部门预算|部门整体|预算)")
# 部门名称：衡东县医疗保障局 written above a department-wide table.
DEPARTMENT_LINE = re.compile(r"^\s*部门名称\s*[:：]\s*(?P<name>\S.*?)\s*$")
# 主管部门及代码 written 衡东县医疗保障局（430424）, or with the code alone.
CODE_IN_BRACKETS = re.compile(r"[（(]\s*\d{3,}\s*[）)]\s*$")
CODE_AT_END = re.compile(r"[（(]?\s*(\d{3,})\s*[）)]?\s*$")
MONTH = re.compile(r"^\s*(\d{1,2})\s*月")
# 数量指标 (必填硬性指标), 社会效益 指标: the level's name is what is left.
LEVEL_NOTE = re.compile(r"[（(][^）)]*[）)]|\s+")
# 指标1: …, 目标2：… numbering that the tables put before a name or goal.
NUMBERED = re.compile(r"^\s*(指标|目标)\s*\d{1,3}\s*[:：.、]\s*")


def label(text: str) -> str:
    return _NOT_LABEL.sub("", text)


def matched(pattern: re.Pattern, text: str) -> re.Match | None:
    """pattern.match(text), for a line short enough to be what it seeks."""
    return pattern.match(text) if len(text) <= LOOKED_AT else None


# Pieces of a line that people separate with tabs, runs of spaces or
# full-width spaces: 450002秦皇岛市…局      单位：万元.
_GAP = re.compile(r"\t|\s{2,}|\u3000+")
_BEFORE_MONEY_UNIT = re.compile(
    r"(?<![（(\s])(?=[（(]?\s*(?:金额|资金)?单位\s*[:：]\s*万?元)"
)


def unit_pieces(text: str) -> list[str]:
    """The pieces of a unit line, 单位：万元 apart from the name before it."""
    if len(text) > LOOKED_AT:
        return []
    pieces = []
    for piece in _GAP.split(text):
        pieces += _BEFORE_MONEY_UNIT.split(piece)
    return [p.strip() for p in pieces if p and p.strip()]
