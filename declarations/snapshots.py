"""A declaration's content as plain data, and what changed between two."""

import difflib

from declarations.models import Declaration

FIELDS = [
    ("year", "年度"),
    ("project_code", "项目编码"),
    ("project_name", "项目名称"),
    ("department_name", "主管部门"),
    ("department_code", "主管部门代码"),
    ("implementing_unit", "实施单位"),
    ("attribute", "项目属性"),
    ("period", "项目期"),
    ("total", "预算数"),
    ("fiscal", "财政资金"),
    ("other", "其他资金"),
    ("fund_use", "资金用途"),
    ("spending_plan", "资金支出计划"),
]
ROW_COLUMNS = [
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标描述",
    "指标值",
    "指标值确定依据",
]


def _text(declaration: Declaration, name: str) -> str:
    if name == "attribute":
        return declaration.get_attribute_display()
    if name == "spending_plan":
        return "，".join(
            f"{m}月底 {p if p is not None else '—'}%"
            for m, p in declaration.checkpoints
        )
    value = getattr(declaration, name)
    return "" if value is None else str(value)


def field_texts(declaration: Declaration) -> dict[str, str]:
    """The declaration's fields as the reader sees them, by their labels."""
    return {label: _text(declaration, name) for name, label in FIELDS}


def snapshot(declaration: Declaration) -> dict:
    """Fields, goals and indicator rows as text (prefetch the rows first)."""
    return {
        "fields": field_texts(declaration),
        "goals": [g.text for g in declaration.goals.all()],
        "rows": [
            [
                r.level1.name,
                r.level2.name,
                r.level3,
                r.description,
                r.value,
                r.basis,
            ]
            for r in declaration.indicators.select_related("level1", "level2")
        ],
    }


def diff(old: dict, new: dict) -> dict:
    """What a reviewer reads: changed fields, and goals and rows added,
    removed or changed, the rows' changes spelled out column by column."""
    fields = [
        (label, old["fields"].get(label, ""), value)
        for label, value in new["fields"].items()
        if old["fields"].get(label, "") != value
    ]
    return {
        "fields": fields,
        "goals": _sequence(old["goals"], new["goals"], lambda g: g),
        "rows": _sequence(
            [tuple(r) for r in old["rows"]],
            [tuple(r) for r in new["rows"]],
            lambda r: r[2],
        ),
        "empty": False,
    } | {
        "empty": not fields
        and old["goals"] == new["goals"]
        and old["rows"] == new["rows"]
    }


def _sequence(old, new, title):
    changes = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(a2 - a1, b2 - b1) if op == "replace" else 0
        for k in range(pairs):
            before, after = old[a1 + k], new[b1 + k]
            changes.append(
                {
                    "kind": "changed",
                    "number": b1 + k + 1,
                    "title": title(after),
                    "before": before,
                    "after": after,
                    "columns": _columns(before, after),
                }
            )
        for item in old[a1 + pairs : a2]:
            changes.append({"kind": "removed", "title": title(item), "before": item})
        for k, item in enumerate(new[b1 + pairs : b2]):
            changes.append(
                {
                    "kind": "added",
                    "number": b1 + pairs + k + 1,
                    "title": title(item),
                    "after": item,
                }
            )
    return changes


def _columns(before, after):
    if isinstance(before, str):
        return []
    return [
        (label, b, a)
        for label, b, a in zip(ROW_COLUMNS, before, after, strict=False)
        if b != a
    ]
