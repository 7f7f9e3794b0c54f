"""The guide to layout definitions shown in the admin beside the layouts:
every field key with the label it prints and what it holds, every part kind
with a small example that `read` accepts, the options of the schema, and a
gallery of the layouts to start from.

The keys, labels, kinds and allowed values are read from the catalogue and
the definition module, so the guide names what the code accepts; the words
beside them are kept here, and the tests check that every key has its words
and every example is read."""

import json
from dataclasses import dataclass

from django.urls import reverse

from declarations.layouts import pictures
from declarations.layouts.builtin import documents
from declarations.layouts.catalogue import (
    DUTIES,
    ENTRY_STEPS,
    HEADER_FIELDS,
    OWN_FIELD_KINDS,
    OWN_FIELD_STEPS,
    ROW_FIELDS,
    VALUE_PARTS,
)
from declarations.layouts.definition import (
    LINE_STYLES,
    MAX_COLUMNS,
    MAX_NAME,
    MONEY_UNITS,
    ORIENTATIONS,
    PERIODS,
    SCHEMA,
    SIDE_KINDS,
)
from declarations.layouts.placement import CONTEXT_NAMES, KIND_NAMES, PAST_YEARS
from declarations.models import Declaration, IndicatorRow, TableLayout

# What a field of each kind of the catalogue (HeaderField.kind) holds.
KIND_WORDS = {
    "short": "一行文字",
    "text": "多行文字，可分段",
    "money": "金额，两位小数，按样式的金额单位（money_unit）填写和打印",
    "date": "日期",
    "plan": "各检查月份月底累计支出的百分比；月份由 checkpoints 定，"
    "单元格的 show 为 months 时打印月份一行，为 percents 时打印百分比一行",
    "goals": "绩效目标，逐条填写；单元格的 number 定编号（如 目标{n}：），"
    "period 定印年度目标（annual）还是中期目标（term）",
    "split": "分项金额，逐项填写名称和金额，打印为“其中：”下的各行",
    "choice": "从固定选项中选择",
}
# Header fields whose value is more than their kind says.
NOTES = {
    "department": "打印为主管部门名称，后接括号中的代码",
    "unit": "填报单位的代码和名称，取自组织机构，不用填写",
    "year": "申报年度，新建申报表时选定",
}
# The department-wide declaration has a step of its own for its duties,
# which the catalogue files under 基本信息.
ENTERED_ON = {"duties": DUTIES}
# Placeholders a text may name beside the fields ({year} …).
CONTEXT_WORDS = {
    "money_unit": ("金额单位", "样式的 money_unit：万元或元"),
    "unit_code": ("填报单位代码", "填报单位在组织机构中的代码，如 450002"),
    "unit_name": ("填报单位名称", "填报单位在组织机构中的名称"),
    "year": ("年度", "申报年度，如 2026"),
    "year-1": ("上一年度", "申报年度的前一年，如成本测算表中上年实际执行数的表头"),
    "year-2": ("前两年度", "申报年度的前两年"),
}
# Kinds of the definition's own indicator columns (row_fields), as `read`
# takes them.
ROW_FIELD_KINDS = {"short", "text"}

_INDICATORS = {
    "kind": "indicators",
    "lead": "绩效指标",
    "widths": [12, 13, 19, 40, 16],
    "columns": [
        {"field": "level1", "label": "一级指标"},
        {"field": "level2", "label": "二级指标", "mark": True},
        {"field": "level3", "label": "三级指标", "number": "指标{n}："},
        {"field": "value", "label": "指标值"},
    ],
}

# Each part kind: its name, one sentence on it, and a small example.
PARTS = [
    (
        "heading",
        "表前标题",
        "表格上方的一行标题，如河北样式的“{project_name}绩效目标表”；"
        "汇编成部门预算绩效信息时由目录中的编号标题代替。",
        {"kind": "heading", "text": "{project_name}绩效目标表"},
    ),
    (
        "title",
        "大标题",
        "居中的表名。",
        {"kind": "title", "text": "项目支出绩效目标申报表"},
    ),
    (
        "subtitle",
        "副标题",
        "大标题下居中的一行，通常是年度。",
        {"kind": "subtitle", "text": "（{year}年度）"},
    ),
    (
        "line",
        "表外文字行",
        "表格外的一行，各项从左到右排开：style 为 above 时是表格上方的说明"
        "（填报单位、金额单位），为 signature 时是留出签名盖章位置的一行。",
        {
            "kind": "line",
            "style": "above",
            "items": ["{unit_code}{unit_name}", "单位：{money_unit}"],
        },
    ),
    (
        "info",
        "信息表",
        "项目名称、资金、目标等表头内容：rows 中每行是一组单元格，"
        "widths 是各列宽度的百分比，和为 100。",
        {
            "kind": "info",
            "widths": [20, 30, 20, 30],
            "rows": [
                [{"label": "项目名称"}, {"field": "project_name", "span": 3}],
                [
                    {"label": "年度资金总额"},
                    {"field": "total"},
                    {"label": "其中：财政拨款"},
                    {"field": "fiscal"},
                ],
                [
                    {"label": "年度目标"},
                    {"field": "goals", "number": "{n}、", "span": 3},
                ],
            ],
        },
    ),
    (
        "indicators",
        "绩效指标表",
        "每行一条指标；columns 依次是各栏，field 为指标栏目，label 为表头文字。"
        "每个样式至少要有一个。",
        _INDICATORS,
    ),
    (
        "side_table",
        "附表",
        "填报人逐行填写的另一张表，如项目实施进度计划；填报时单独一步，"
        "key 是它保存的位置，columns 的 kind 定每栏的类型；"
        "表名和各栏的 label 中可写 {year}、{year-1}、{year-2}。",
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
    ),
    (
        "review",
        "审核意见栏",
        "表尾的审核意见，每项一行；signers 是每栏下方的签名行，"
        "不写时为“审核人：　　　　日期：”。",
        {
            "kind": "review",
            "items": ["主管部门审核意见", "财政局审核意见"],
            "signers": "审核人：　　　　日期：",
        },
    ),
]

# A whole definition to start from: a project table of the county kind.
STARTER = {
    "schema": SCHEMA,
    "name": "项目支出绩效目标申报表（某省样式）",
    "kind": "project",
    "money_unit": "万元",
    "checkpoints": [3, 6, 9, 12],
    "page": {"orientation": "portrait"},
    "fields": [{"key": "overview", "label": "项目概况", "kind": "text"}],
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
                [{"label": "项目概况"}, {"field": "overview", "span": 3}],
                [{"label": "年度目标"}, {"field": "goals", "span": 3}],
            ],
        },
        {
            "kind": "indicators",
            "widths": [15, 20, 30, 20, 15],
            "columns": [
                {"field": "level1", "label": "一级指标"},
                {"field": "level2", "label": "二级指标"},
                {"field": "level3", "label": "三级指标"},
                {"field": "value", "label": "指标值"},
                {"field": "remark", "label": "备注"},
            ],
        },
    ],
}


@dataclass(frozen=True)
class FieldRow:
    key: str
    label: str
    holds: str
    step: str  # where it is entered
    kinds: str = ""  # the declarations whose pages ask for it


@dataclass(frozen=True)
class FieldGroup:
    title: str
    where: str  # where in a definition these keys are written
    rows: list[FieldRow]
    step_title: str = "在哪里填写"


@dataclass(frozen=True)
class PartKind:
    kind: str
    name: str
    about: str
    example: dict

    @property
    def json(self) -> str:
        return as_json(self.example)


@dataclass(frozen=True)
class Option:
    key: str
    where: str
    values: str
    about: str


@dataclass(frozen=True)
class GalleryItem:
    layout: TableLayout
    shipped: bool
    picture_url: str
    download_url: str
    not_drawn: str  # why its picture could not be drawn, or ""


def as_json(value, indent: int = 0, width: int = 88) -> str:
    """JSON as one would type it: a list or object that fits on a line stays
    on one (a cell, a column), longer ones are broken over lines."""
    flat = json.dumps(value, ensure_ascii=False)
    if indent + len(flat) <= width or not value or not isinstance(value, dict | list):
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, list):
        items = [pad + as_json(v, indent + 2, width) for v in value]
        ends = "[]"
    else:
        items = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: {as_json(v, indent + 2, width)}"
            for k, v in value.items()
        ]
        ends = "{}"
    return f"{ends[0]}\n" + ",\n".join(items) + f"\n{' ' * indent}{ends[1]}"


def minimal(part: dict) -> dict:
    """A definition holding `part`: with an indicator table where the part is
    not one, as `read` asks of every definition."""
    parts = [part] if part["kind"] == "indicators" else [part, _INDICATORS]
    return {"schema": SCHEMA, "name": "示例", "parts": parts}


def _step(name: str | None, kinds=tuple(ENTRY_STEPS)) -> str:
    """The tab a step has on the entry pages of `kinds`, "基本信息", or
    "资金与支出计划 / 年度预算申请" where the kinds name it apart."""
    if name is None:
        return "不填写，由系统打印"
    labels = [ENTRY_STEPS[k][name] for k in kinds if name in ENTRY_STEPS[k]]
    return " / ".join(dict.fromkeys(labels))


def _header_row(key: str) -> FieldRow:
    spec = HEADER_FIELDS[key]
    return FieldRow(
        key,
        spec.label,
        _header_holds(key),
        _step(ENTERED_ON.get(key, spec.step), spec.kinds),
        "、".join(KIND_NAMES[k] for k in spec.kinds),
    )


def _header_holds(key: str) -> str:
    spec = HEADER_FIELDS[key]
    if spec.step is None:
        return NOTES[key]
    words = KIND_WORDS[spec.kind]
    if spec.kind == "choice":
        choices = Declaration._meta.get_field(key).choices
        words += "：" + " / ".join(label for _, label in choices)
    note = NOTES.get(key)
    return f"{words}；{note}" if note else words


def _row_holds(key: str) -> str:
    spec = ROW_FIELDS[key]
    if key in {"level1", "level2"}:
        words = "从指标体系中选择（在“指标体系”中维护）"
        if key == "level2":
            words += "；栏目的 mark 为 true 时，名称后印（必填）或（必填硬性指标）"
        return words
    if not spec.entered:
        return "不用填写：按指标值自动判断定量或定性"
    if key in VALUE_PARTS:
        return "指标值拆开的一部分，如 ≥90% 的“≥”“90”“%”：分栏打印，填报时分栏填写"
    if key == "value":
        return "一行文字，如 ≥90%、100%、明显提高；符号、数值和单位由它自动拆出"
    model_field = IndicatorRow._meta.get_field(key)
    kind = model_field.get_internal_type()
    words = {"TextField": "多行文字", "DecimalField": "数字"}.get(kind, "一行文字")
    return f"{words}；{model_field.help_text}" if model_field.help_text else words


def field_groups() -> list[FieldGroup]:
    header = [k for k, f in HEADER_FIELDS.items() if f.kind != "money"]
    money = [k for k, f in HEADER_FIELDS.items() if f.kind == "money"]
    indicator_step = _step("indicators")
    own_kinds = sorted(OWN_FIELD_KINDS | SIDE_KINDS | ROW_FIELD_KINDS)
    return [
        FieldGroup(
            "表头字段",
            "信息表单元格的 field，或文字中的 {字段}",
            [_header_row(k) for k in header],
        ),
        FieldGroup(
            "金额字段",
            "信息表单元格的 field，或文字中的 {字段}",
            [_header_row(k) for k in money],
        ),
        FieldGroup(
            "文字中的占位符",
            "title、subtitle、heading、line 和单元格 label、text 中的 {名称}",
            [
                FieldRow(k, *CONTEXT_WORDS[k], "不填写，由系统打印")
                for k in sorted(CONTEXT_NAMES | PAST_YEARS)
            ],
        ),
        FieldGroup(
            "指标栏目",
            "indicators 的 columns 中的 field",
            [
                FieldRow(k, f.label, _row_holds(k), indicator_step)
                for k, f in ROW_FIELDS.items()
            ],
        ),
        FieldGroup(
            "自定义字段的类型",
            "fields、row_fields 和 side_table 栏目的 kind",
            [FieldRow(k, "", KIND_WORDS[k], _own_kind_where(k)) for k in own_kinds],
            step_title="可用于",
        ),
    ]


def _own_kind_where(kind: str) -> str:
    places = [
        ("表头自定义字段（fields）", OWN_FIELD_KINDS),
        ("自定义指标栏目（row_fields）", ROW_FIELD_KINDS),
        ("附表栏目（side_table）", SIDE_KINDS),
    ]
    return "、".join(name for name, kinds in places if kind in kinds)


def part_kinds() -> list[PartKind]:
    return [PartKind(*entry) for entry in PARTS]


def _values(values) -> str:
    return " / ".join(sorted(values))


def options() -> list[Option]:
    steps = "；".join(
        f"{KIND_NAMES[kind]}："
        + " / ".join(f"{s}（{_step(s, [kind])}）" for s in OWN_FIELD_STEPS[kind])
        for kind in ENTRY_STEPS
    )
    return [
        Option("schema", "定义", str(SCHEMA), "定义的版本，现为 1，可不写。"),
        Option(
            "name",
            "定义",
            f"不超过 {MAX_NAME} 个字",
            "样式名称，列在样式列表和主管部门的选项中。",
        ),
        Option(
            "kind",
            "定义",
            _values(KIND_NAMES),
            "申报类型：project 为项目支出，department_wide 为部门整体支出；"
            "保存后不能改。",
        ),
        Option(
            "money_unit",
            "定义",
            _values(MONEY_UNITS),
            "金额单位，金额按它填写和打印；文字中的 {money_unit} 印出它。",
        ),
        Option(
            "checkpoints",
            "定义",
            "1–12 的月份，由小到大",
            "资金支出计划的检查月份，如 [3, 6, 10, 12]；不写时为 [3, 6, 9, 12]。",
        ),
        Option(
            "page.orientation",
            "定义",
            _values(ORIENTATIONS),
            "纸张方向：portrait 为纵向，landscape 为横向，栏目多的表用横向。",
        ),
        Option(
            "rules.mandatory_level2",
            "定义",
            "true / false",
            "为 true 时，核对要求每个必填的二级指标至少有一条指标（中央样式）。",
        ),
        Option(
            "rules.weight_total",
            "定义",
            "正数，如 100",
            "各条指标的分值（weight）之和应等于它；不核对分值时不写。",
        ),
        Option(
            "fields",
            "定义",
            f"key、label、kind（{_values(OWN_FIELD_KINDS)}）、step",
            "样式自己的表头字段，如项目概况；key 用英文字母、数字和下划线，"
            "定义后即可在单元格的 field 或文字的 {key} 中使用。",
        ),
        Option(
            "step",
            "自定义字段 / 表外文字行",
            steps,
            "自定义字段在哪一步填写；文字行写了 step 时，"
            "它印出的自定义字段在那一步填写。"
            "不写时为基本信息（basic）。",
        ),
        Option(
            "row_fields",
            "定义",
            f"key、label、kind（{_values(ROW_FIELD_KINDS)}）",
            "样式自己的指标栏目，如备注；定义后即可在 columns 的 field 中使用。",
        ),
        Option(
            "label / field / text",
            "单元格",
            "三者选一",
            "label 是印好的文字，field 是字段的值，text 是带 {字段} 占位符的文字，"
            "如 资金总额：{total}{money_unit}。",
        ),
        Option(
            "span / rows",
            "单元格",
            f"1–{MAX_COLUMNS} 的整数",
            "单元格向右跨几列、向下跨几行，默认 1；一行各单元格的 span 之和，"
            "加上上面各行跨下来占去的列，应等于 widths 的列数。",
        ),
        Option(
            "class",
            "单元格",
            "text / num / code / level",
            "打印的样式：text 保留换行，num 和 level 居中，code 不折行；"
            "不写时按字段自己的。",
        ),
        Option(
            "show",
            "单元格",
            "months / percents",
            "只用于 spending_plan：months 印月份一行，percents 印百分比一行。",
        ),
        Option(
            "number",
            "单元格 / 栏目",
            "含 {n} 的文字",
            "goals 单元格每条目标前的编号，如 目标{n}：；"
            "level3 栏目每条指标前的编号，如 指标{n}：。",
        ),
        Option(
            "period",
            "单元格 / 指标表",
            _values(PERIODS),
            "annual 为年度，term 为中期（实施期）：goals 单元格印哪一期的目标，"
            "指标表只印哪一期的指标（指标表不写时印全部）。",
        ),
        Option(
            "entry_label",
            "单元格",
            "文字",
            "填报页面上这个字段的名称，表上印的名称不够清楚时写，如 年度资金总额。",
        ),
        Option(
            "widths",
            "信息表 / 指标表 / 附表",
            "正数的列表，和为 100",
            "各列宽度的百分比；指标表有 lead 时多一列。",
        ),
        Option("lead", "指标表", "文字", "最左一列合并成一格印的文字，如 绩效指标。"),
        Option("caption", "指标表", "文字", "表格上方的标题，如 年度绩效指标。"),
        Option(
            "grade",
            "指标表",
            "true / false",
            "为 true 时表尾印综合评定等级 优□ 良□ 中□ 差□。",
        ),
        Option(
            "mark",
            "栏目",
            "true / false",
            "只用于 level2：名称后印（必填）或（必填硬性指标）。",
        ),
        Option(
            "total",
            "附表栏目",
            "true / false",
            "只用于 money 栏目（不能是第一栏）：表末加一行“合计”，"
            "由各行算出，不用填写。",
        ),
        Option(
            "compare",
            "附表栏目",
            '{"field": 资金栏目, "level": "error" / "warning"}',
            "写在 total 栏目上：核对时合计与该资金栏目（如 total）相差 0.01 万元以上，"
            "error 为错误（不能提交），warning 为提醒。",
        ),
        Option(
            "style",
            "表外文字行",
            _values(LINE_STYLES),
            "above 为表格上方的说明行，signature 为签名盖章行。",
        ),
    ]


def gallery() -> list[GalleryItem]:
    """Every layout, the shipped ones first in their files' order, each with
    its picture and its current definition to download."""
    shipped = list(documents())
    layouts = sorted(
        TableLayout.objects.all(),
        key=lambda x: (
            shipped.index(x.code) if x.code in shipped else len(shipped),
            x.code,
        ),
    )
    return [
        GalleryItem(
            layout=layout,
            shipped=layout.code in shipped,
            picture_url=reverse(
                "admin:declarations_tablelayout_picture", args=[layout.pk]
            ),
            download_url=reverse(
                "admin:declarations_tablelayout_download", args=[layout.pk]
            ),
            not_drawn=pictures.failure(layout),
        )
        for layout in layouts
    ]


def guide() -> dict:
    """What the guide page shows."""
    return {
        "field_groups": field_groups(),
        "part_kinds": part_kinds(),
        "options": options(),
        "starter": as_json(STARTER),
        "gallery": gallery(),
    }
