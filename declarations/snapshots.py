"""A declaration's content as plain data, and what changed between two."""

import difflib

from declarations.layouts.versions import definition_of
from declarations.models import Declaration, IndicatorRow

# Each submission stores its fields under these labels: the model's verbose
# names, shortened where the paper table prints a shorter one.
_SHORT_LABELS = {
    "total": "预算数",
    "fiscal": "财政资金",
    "spending_plan": "资金支出计划",
}
FIELDS = [
    (name, _SHORT_LABELS.get(name) or Declaration._meta.get_field(name).verbose_name)
    for name in [
        "year",
        "project_code",
        "project_name",
        "department_name",
        "department_code",
        "implementing_unit",
        "attribute",
        "period",
        "total",
        "fiscal",
        "other",
        "fund_use",
        "spending_plan",
        "term_total",
        "term_fiscal",
        "term_other",
    ]
]
ROW_FIELDS = ["level1", "level2", "level3", "description", "value", "basis"]
# Fields a layout may add to a row; a row that has any gets one more column
# listing them, so snapshots kept before them still compare equal.
MORE_ROW_FIELDS = ["term_value", "explanation", "scoring", "weight", "history"]
ROW_COLUMNS = [
    *(IndicatorRow._meta.get_field(name).verbose_name for name in ROW_FIELDS),
    "其他栏目",
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


def _more_text(row: IndicatorRow, labels: dict[str, str]) -> str:
    parts = [
        (IndicatorRow._meta.get_field(name).verbose_name, getattr(row, name))
        for name in MORE_ROW_FIELDS
    ]
    if row.weight is not None:
        parts[MORE_ROW_FIELDS.index("weight")] = (
            "分值",
            format(row.weight.normalize(), "f"),
        )
    if row.period != "annual":
        parts.append(("目标期", row.get_period_display()))
    if isinstance(row.extra, dict):
        parts += sorted((labels.get(k, k), v) for k, v in row.extra.items())
    return "；".join(
        f"{label}：{value}" for label, value in parts if value not in ("", None)
    )


def field_texts(declaration: Declaration) -> dict[str, str]:
    """The declaration's fields as the reader sees them, by their labels."""
    return {label: _text(declaration, name) for name, label in FIELDS}


def snapshot(declaration: Declaration) -> dict:
    """Fields, goals and indicator rows as text (rows prefetched with their
    levels are used as they are)."""
    if "indicators" in getattr(declaration, "_prefetched_objects_cache", {}):
        rows = declaration.indicators.all()
    else:
        rows = declaration.indicators.select_related("level1", "level2")
    definition = definition_of(declaration)
    labels = {f.key: f.label for f in definition.row_fields}
    term = definition.term_name or "中期"
    return {
        "fields": {**field_texts(declaration), **_own_texts(declaration, definition)},
        "goals": [
            g.text if g.period == "annual" else f"（{term}目标）{g.text}"
            for g in declaration.goals.all()
        ],
        "rows": [row_texts(r, labels) for r in rows],
    }


def _own_texts(declaration: Declaration, definition) -> dict[str, str]:
    """The layout's own fields and side tables, by their labels: a side
    table one line a row, its cells joined by " / "."""
    extra = declaration.extra if isinstance(declaration.extra, dict) else {}
    texts = {f.label: str(extra.get(f.key, "") or "") for f in definition.fields}
    for part in definition.side_tables():
        rows = [r for r in extra.get(part.key) or [] if isinstance(r, dict)]
        texts[part.text] = "\n".join(
            " / ".join(str(r.get(c.key, "")) for c in part.columns) for r in rows
        )
    return {label: text for label, text in texts.items() if text}


def row_texts(row: IndicatorRow, labels: dict[str, str] | None = None) -> list[str]:
    """An indicator row as the columns of ROW_COLUMNS read it (`labels`: of
    the layout's own columns, by key)."""
    texts = [
        row.level1.name if row.level1 else "",
        row.level2.name if row.level2 else "",
        *(getattr(row, f) for f in ROW_FIELDS[2:]),
    ]
    more = _more_text(row, labels or {})
    return [*texts, more] if more else texts


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
    width = max(len(before), len(after))
    before, after = (list(x) + [""] * (width - len(x)) for x in (before, after))
    return [
        (label, b, a)
        for label, b, a in zip(ROW_COLUMNS, before, after, strict=False)
        if b != a
    ]
