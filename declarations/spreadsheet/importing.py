"""Importing declarations from the spreadsheet format.

`analyse` reads the rows of a file and returns an ImportPlan: what would be
created, updated or left unchanged, and every problem with its sheet, row
and column. Nothing is written. `apply` writes an import plan without problems in
one transaction, so that either every declaration lands or none does.
"""

import copy
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet

from declarations.access import writable_organizations
from declarations.checks import DeclarationData, check
from declarations.layouts.definition import read
from declarations.layouts.versions import definition_of, definitions_of
from declarations.models import (
    MAX_INDICATOR_ROWS,
    Declaration,
    DeclarationKind,
    IndicatorRow,
    Organization,
    Period,
    TableLayout,
)
from declarations.models.layouts import current_version
from declarations.services import drafts
from declarations.services.errors import ImportRefused
from declarations.spreadsheet import columns
from declarations.spreadsheet.columns import Cells, ExportRow
from declarations.spreadsheet.export import per_row
from indicators.taxonomy import Taxonomy


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's row number, header = 1
    column: str
    message: str
    blocking: bool = True
    sheet: str = columns.SHEET


@dataclass
class Incoming:
    """One declaration as the file describes it."""

    key: tuple
    first_row: int
    unit: Organization | None = None
    fields: dict = field(default_factory=dict)
    goals: list[str] = field(default_factory=list)
    rows: list[IndicatorRow] = field(default_factory=list)
    existing: Declaration | None = None
    action: str = "create"  # create, update, unchanged
    raw: tuple = ()  # the cells of its first row, as the file holds them
    declaration: Declaration | None = None  # as_declaration's, once compared
    term_goals: list[str] | None = None  # None: the file has no such column
    own: dict = field(default_factory=dict)  # the layout's own fields, by key
    definition: object = None  # the unit's layout's, as the file is read by it
    row_columns: list = field(default_factory=list)  # its own indicator columns

    def as_declaration(self, versions: dict[str, int] | None = None) -> Declaration:
        """An unsaved declaration holding the file's fields, under the newest
        version of its unit's layout (`versions`: each layout's, if known)."""
        if self.declaration is None and self.existing is not None:
            self.declaration = copy.copy(self.existing)
            for name, value in self.fields.items():
                setattr(self.declaration, name, value)
        if self.declaration is None:
            layout = self.unit.layout_for(self.fields.get("kind", "project"))
            self.declaration = Declaration(
                organization=self.unit,
                layout_id=layout,
                layout_version=(versions or {}).get(layout) or current_version(layout),
                **self.fields,
            )
        return self.declaration


class ActionCounts:
    """The declarations an import would create, update and leave unchanged,
    from what `count(action)` counts."""

    def count(self, action: str) -> int:
        raise NotImplementedError

    @property
    def count_create(self) -> int:
        return self.count("create")

    @property
    def count_update(self) -> int:
        return self.count("update")

    @property
    def count_unchanged(self) -> int:
        return self.count("unchanged")


@dataclass
class ImportPlan(ActionCounts):
    declarations: list[Incoming] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    def count(self, action) -> int:
        return sum(1 for d in self.declarations if d.action == action)

    def summary(self) -> str:
        return (
            f"新建 {self.count_create} 份，更新 {self.count_update} 份，"
            f"{self.count_unchanged} 份与系统中相同，未改动"
        )


def analyse(rows: list[dict], user, *, allowed_units=None) -> ImportPlan:
    """What importing `rows` (from `files.read_rows`) would do, into the
    user's own units or, from the command line, into `allowed_units`."""
    import_plan = ImportPlan(row_count=len(rows))
    taxonomy = Taxonomy.load()
    allowed = (
        allowed_units if allowed_units is not None else writable_organizations(user)
    )
    if isinstance(allowed, QuerySet):  # each unit's layout is its department's
        allowed = allowed.select_related("parent")
    units = {u.code: u for u in allowed}
    by_key: dict[tuple, Incoming] = {}
    unknown = _UnknownCodes()
    layouts = _Layouts()
    for number, values in enumerate(rows, start=2):
        cells = Cells(
            number,
            values,
            lambda column, message, number=number: import_plan.problems.append(
                Problem(number, column, message)
            ),
        )
        incoming = _declaration_of(cells, units, unknown, by_key, import_plan, layouts)
        if incoming is not None:
            _add_indicator(cells, incoming, taxonomy)
    headers = set().union(*rows) if rows else set()
    _compare_with_stored(import_plan, taxonomy, headers)
    return import_plan


class _UnknownCodes:
    """Which codes outside the user's units exist at all, asked once each."""

    def __init__(self):
        self.known: dict[str, bool] = {}

    def exists(self, code: str) -> bool:
        if code not in self.known:
            self.known[code] = Organization.objects.filter(code=code).exists()
        return self.known[code]


class _Layouts:
    """The newest definition of each layout a file's units file under, and
    the own columns (项目概况 …) each has, read once each."""

    def __init__(self):
        self.found: dict[str, tuple] = {}

    def of(self, unit, kind) -> tuple:
        code = unit.layout_for(kind)
        if code not in self.found:
            definition = read(
                TableLayout.objects.get(code=code).definition, stored=True
            )
            owned = columns.own_columns([definition])
            self.found[code] = (
                definition,
                [c for c in owned if c.scope != "row"],
                [c for c in owned if c.scope == "row"],
            )
        return self.found[code]


_REPEATED = [
    *columns.FIELDS,
    columns.GOALS,
    *columns.TERM_FIELDS,
    columns.TERM_GOALS,
    columns.KIND,
    *columns.DEPARTMENT_WIDE,
]
DEPARTMENT_WIDE_KEY = "部门整体"


def _declaration_of(cells, units, unknown, by_key, import_plan, layouts):
    code = columns.UNIT_CODE.read(cells)
    year = columns.YEAR.read(cells)
    project_code = columns.PROJECT_CODE.read(cells)
    name = columns.PROJECT_NAME.read(cells)
    kind = columns.KIND.read(cells)
    department_wide = kind == DeclarationKind.DEPARTMENT_WIDE
    if not code:
        cells.report(columns.UNIT_CODE.header, "请填写单位代码，如 450002。")
        return None
    if not name and not department_wide:
        cells.report(columns.PROJECT_NAME.header, "请填写项目名称。")
        return None
    if year is None:
        return None
    unit = units.get(code)
    if unit is None:
        cells.report(
            columns.UNIT_CODE.header,
            f"单位代码 {code} 不是您可以填报的单位。"
            if unknown.exists(code)
            else f"没有代码为 {code} 的单位，请核对单位代码。",
        )
        return None
    if department_wide != (unit.kind == Organization.Kind.DEPARTMENT):
        cells.report(
            columns.UNIT_CODE.header,
            f"{code} 不是主管部门：部门整体支出申报表由主管部门填报，"
            "请填写主管部门的代码。"
            if department_wide
            else f"{code} 是主管部门：项目申报表由所属单位填报，请填写单位的代码"
            "（主管部门自己的表请在“申报类型”填写“部门整体支出”）。",
        )
        return None
    if department_wide:
        project_code, name = "", name or unit.name
    key = (
        code,
        year,
        DEPARTMENT_WIDE_KEY if department_wide else project_code or f"名称:{name}",
    )
    incoming = by_key.get(key)
    definition, own_columns, row_columns = layouts.of(unit, kind)
    # The next rows of a declaration repeat its cells: read them only when
    # they differ (most of a file's cells are such repeats).
    raw = tuple(
        cells.values.get(column.header) for column in [*_REPEATED, *own_columns]
    )
    if incoming is not None and raw == incoming.raw:
        return incoming
    cells.wan_per_unit = definition.wan_per_unit
    fields = {
        "year": year,
        "project_code": project_code,
        "project_name": name,
        **{column.key: column.read(cells) for column in columns.FIELDS},
        **{
            column.key: column.read(cells)
            for column in columns.TERM_FIELDS
            if cells.has(column)
        },
    }
    if department_wide:
        fields["kind"] = kind
        fields |= {
            column.key: column.read(cells)
            for column in columns.DEPARTMENT_WIDE
            if cells.has(column)
        }
    goals = columns.GOALS.read(cells)
    term_goals = (
        columns.TERM_GOALS.read(cells) if cells.has(columns.TERM_GOALS) else None
    )
    own = dict(
        column.read_own(cells, definition)
        for column in own_columns
        if cells.has(column)
    )
    if incoming is None:
        incoming = Incoming(
            key=key,
            first_row=cells.number,
            unit=unit,
            fields=fields,
            goals=goals,
            raw=raw,
            term_goals=term_goals,
            own=own,
            definition=definition,
            row_columns=row_columns,
        )
        by_key[key] = incoming
        import_plan.declarations.append(incoming)
    elif (fields, goals, term_goals, own) != (
        incoming.fields,
        incoming.goals,
        incoming.term_goals,
        incoming.own,
    ):
        cells.report(
            columns.PROJECT_NAME.header,
            f"与第 {incoming.first_row} 行是同一申报表，但项目信息"
            "（名称、金额、目标等）不一致。同一申报表的每一行都应相同。",
        )
    return incoming


def _add_indicator(cells, incoming, taxonomy):
    texts = {column.key: column.read(cells) for column in columns.ROW}
    more = {c.key: c.read(cells) for c in columns.ROW_MORE if cells.has(c)}
    own = dict(
        column.read_own(cells, incoming.definition)
        for column in incoming.row_columns
        if cells.has(column)
    )
    if (
        not any(texts.values())
        and not any(own.values())
        and not any(v for k, v in more.items() if k != "period")
    ):
        return
    # Blank levels are an unfinished row of a draft, as the entry pages save
    # it (核对 names it); a name that is not in the taxonomy is a mistake.
    level1 = level2 = None
    if texts["level1"].strip():
        level1 = taxonomy.find_level1(texts["level1"])
        if level1 is None:
            cells.report(
                columns.LEVEL1.header,
                f"一级指标“{texts['level1']}”不在指标体系中，如“产出指标”。",
            )
            return
    elif texts["level2"].strip():
        # Left blank in print (a published table), where the second level
        # belongs to one first level alone: 数量指标 is 产出指标's.
        level1 = taxonomy.only_parent(texts["level2"])
        if level1 is None:
            cells.report(columns.LEVEL1.header, "请填写这一行的一级指标。")
            return
    if texts["level2"].strip():  # so level1 is given: blank was refused above
        level2 = taxonomy.find_level2(level1, texts["level2"])
        if level2 is None:
            names = "、".join(x.name for x in taxonomy.children(level1.pk))
            cells.report(
                columns.LEVEL2.header,
                f"二级指标“{texts['level2']}”不属于“{level1.name}”，可选：{names}。",
            )
            return
    if len(incoming.rows) >= MAX_INDICATOR_ROWS:
        cells.report(
            columns.LEVEL1.header,
            f"一份申报表最多 {MAX_INDICATOR_ROWS} 行绩效指标，这是第 "
            f"{len(incoming.rows) + 1} 行，请删减或合并。",
        )
        return
    row = IndicatorRow(
        position=len(incoming.rows) + 1,
        level1=level1,
        level2=level2,
        **{k: v for k, v in texts.items() if k not in ("level1", "level2")},
        **more,
        extra=own,
    )
    row.source_row = cells.number
    incoming.rows.append(row)


def _compare_with_stored(import_plan: ImportPlan, taxonomy, headers=frozenset()):
    stored = _stored(import_plan.declarations)
    for incoming in import_plan.declarations:
        incoming.existing = existing = stored.get(_stored_key(incoming))
        if incoming.own:
            base = (
                existing.extra if existing and isinstance(existing.extra, dict) else {}
            )
            incoming.fields["extra"] = {**base, **incoming.own}
    versions = dict(TableLayout.objects.values_list("code", "version"))
    definitions_of(
        [
            *(i.as_declaration(versions) for i in import_plan.declarations),
            *(i.existing for i in import_plan.declarations if i.existing),
        ]
    )
    for incoming in import_plan.declarations:
        existing = incoming.existing
        if existing is not None and (refused := _cannot_update(incoming, headers)):
            import_plan.problems.append(
                Problem(incoming.first_row, columns.PROJECT_NAME.header, refused)
            )
            continue
        if existing is not None:
            same = _content(existing) == _incoming_content(incoming)
            incoming.action = "unchanged" if same else "update"
            if not same and not existing.is_editable:
                import_plan.problems.append(
                    Problem(
                        incoming.first_row,
                        columns.PROJECT_CODE.header,
                        f"{existing}已{existing.get_status_display()}，不能通过导入修改。"
                        "如需修改，请先撤回或请审核人撤销审核。",
                    )
                )
        if incoming.action != "unchanged":
            _report_checks(import_plan, incoming, taxonomy)


def _cannot_update(incoming: Incoming, headers: set) -> str:
    """Why the file cannot update a stored declaration, or "": it was made
    under a layout whose money unit or columns the file is not read by, or
    the file lacks a column the declaration's rows have filled (a file
    exported before the column was added), which would empty it."""
    existing = incoming.existing
    stored, now = definition_of(existing), incoming.definition
    own = columns.own_columns([stored])
    if stored.wan_per_unit != now.wan_per_unit or [c.header for c in own] != [
        c.header for c in columns.own_columns([now])
    ]:
        return (
            f"“{existing}”是按“{stored.name}”填报的，本单位现在使用“{now.name}”，"
            "两者的金额单位或栏目不同，文件无法对应。请在系统中直接修改这份申报表。"
        )
    rows = list(existing.indicators.all())
    row_columns = [
        *columns.ROW_MORE,
        *(c for c in own if c.scope == "row"),
    ]
    for column in row_columns:
        if column.header in headers:
            continue
        probe = ExportRow(existing, [], definition=stored)
        filled = any(
            column.write(replace(probe, row=r)) not in ("", None, "年度") for r in rows
        )
        if filled:
            return (
                f"文件缺少“{column.header}”列，而系统中的“{existing}”已填有"
                f"{column.header}，导入会把它清空。请先导出最新的文件，在其上修改后再导入。"
            )
    return ""


# Stored declarations are looked up this many keys to a query: a file of
# IMPORT_MAX_ROWS (20,000) rows in one, within SQLite's 32,766 parameters.
_BATCH = 20_000


def _stored(declarations: list[Incoming]) -> dict[tuple, Declaration]:
    """The stored declarations that the file's declarations match, by key,
    with their goals and rows: a few queries however long the file."""
    found = {}
    for start in range(0, len(declarations), _BATCH):
        batch = declarations[start : start + _BATCH]
        codes = {d.fields["project_code"] for d in batch} - {""}
        names = {
            d.fields["project_name"] for d in batch if not d.fields["project_code"]
        }
        matching = (
            Declaration.objects.filter(
                (Q(project_code__in=codes) | Q(project_code="", project_name__in=names))
                & Q(kind=DeclarationKind.PROJECT)
                | Q(kind=DeclarationKind.DEPARTMENT_WIDE),
                organization__in={d.unit.pk for d in batch},
                year__in={d.fields["year"] for d in batch},
            )
            .select_related("organization")
            .prefetch_related(
                "goals",
                Prefetch(
                    "indicators",
                    queryset=IndicatorRow.objects.select_related("level1", "level2"),
                ),
            )
        )
        for declaration in matching:
            found.setdefault(_key(declaration), declaration)
    return found


def _key(declaration: Declaration) -> tuple:
    if declaration.kind == DeclarationKind.DEPARTMENT_WIDE:
        return (declaration.organization_id, declaration.year, DEPARTMENT_WIDE_KEY, "")
    code = declaration.project_code
    return (
        declaration.organization_id,
        declaration.year,
        code,
        "" if code else declaration.project_name,
    )


def _stored_key(incoming: Incoming) -> tuple:
    if incoming.fields.get("kind") == DeclarationKind.DEPARTMENT_WIDE:
        return (incoming.unit.pk, incoming.fields["year"], DEPARTMENT_WIDE_KEY, "")
    code = incoming.fields["project_code"]
    name = "" if code else incoming.fields["project_name"]
    return (incoming.unit.pk, incoming.fields["year"], code, name)


def _written(declaration, goals, term_goals, rows) -> list:
    """A declaration's content as the export writes it: what a file can say,
    so that a file exported and imported again is seen as unchanged."""
    definition = definition_of(declaration)
    whole = ExportRow(
        declaration, goals=goals, term_goals=term_goals, definition=definition
    )
    own = columns.own_columns([definition])
    heads = [c for c in [*columns.COLUMNS, *own] if not per_row(c)]
    cells = [c for c in [*columns.ROW_ALL, *own] if per_row(c)]
    return [
        [column.write(whole) for column in heads],
        *(
            [
                c.write(ExportRow(declaration, [], row=r, definition=definition))
                for c in cells
            ]
            for r in rows
        ),
    ]


def _content(declaration) -> list:
    goals = list(declaration.goals.all())
    return _written(
        declaration,
        [g.text for g in goals if g.period == Period.ANNUAL],
        [g.text for g in goals if g.period == Period.TERM],
        list(declaration.indicators.all()),
    )


def _incoming_content(incoming) -> list:
    term_goals = incoming.term_goals
    if term_goals is None:  # the file has no column: the stored ones stay
        term_goals = [
            g.text for g in incoming.existing.goals.all() if g.period == Period.TERM
        ]
    return _written(
        incoming.as_declaration(), incoming.goals, term_goals, incoming.rows
    )


def _report_checks(import_plan, incoming, taxonomy):
    data = DeclarationData.of(
        incoming.as_declaration(), goals=incoming.goals, rows=incoming.rows
    )
    for finding in check(data, taxonomy):
        in_row = finding.row is not None
        severity = "错误" if finding.is_error else "提醒"
        import_plan.problems.append(
            Problem(
                incoming.rows[finding.row].source_row if in_row else incoming.first_row,
                _column_of(finding, in_row),
                f"【{severity}，可导入为草稿】{finding.message}",
                blocking=False,
            )
        )


_HEADERS_BY_KEY = {c.key: c.header for c in columns.COLUMNS}


def _column_of(finding, in_row: bool) -> str:
    """The column a check's finding is about: its field's, 绩效指标 for the
    indicators as a whole."""
    if finding.field == "indicators":
        return "绩效指标"
    default = columns.VALUE.header if in_row else columns.PROJECT_NAME.header
    return _HEADERS_BY_KEY.get(finding.field, default)


@transaction.atomic
def apply(import_plan: ImportPlan, user) -> ImportPlan:
    """Write every declaration of an import plan that has no blocking problem."""
    if import_plan.blocking:
        raise ImportRefused("文件中还有问题，改正后才能导入。")
    drafts.create_drafts(
        [
            drafts.NewDraft(
                incoming.unit,
                fields=incoming.fields,
                goals=incoming.goals,
                rows=incoming.rows,
                spending_plan=incoming.fields["spending_plan"] or None,
                term_goals=incoming.term_goals,
            )
            for incoming in import_plan.declarations
            if incoming.action == "create"
        ],
        by=user,
    )
    for incoming in import_plan.declarations:
        if incoming.action == "update":
            drafts.save_changes(
                incoming.existing.pk,
                expected_version=incoming.existing.version,
                by=user,
                changes=drafts.DraftChanges(
                    fields=incoming.fields,
                    goals=incoming.goals,
                    rows=incoming.rows,
                    term_goals=incoming.term_goals,
                ),
            )
    return import_plan
