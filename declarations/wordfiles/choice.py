"""The tables of a Word file that a person imports. At the preview each
recognised table has a box, ticked unless the table has a problem that
blocks it or names a unit the person may not import into; the confirm
imports the ticked tables, all or nothing, and a background import the
same ones. A problem blocks only its own table.

A choice is the set of ticked numbers: the tables' own (1-based, in the
file's order) and PART_ONE for a book's part one (the department's goals),
which comes before them.
"""

from dataclasses import dataclass, field

from declarations.access import writable_organizations
from declarations.models import Organization
from declarations.spreadsheet import columns
from declarations.spreadsheet.importing import (
    ActionCounts,
    ImportPlan,
    Incoming,
    Problem,
)
from declarations.wordfiles.found import Found, RowKind
from declarations.wordfiles.importing import Place, Upload

PART_ONE = 0
# The rows whose class the preview lists, of every table together: a page
# that a book of 500 tables of 500 rows still loads.
ROW_KINDS_LISTED = 3000
# A problem in one of these columns is about an indicator row; in another,
# about its table.
_ROW_HEADERS = {c.header for c in columns.ROW_ALL}
# The import's columns that a Word file has no cell of its own for.
_WORD_NAMES = {columns.UNIT_CODE.header: "单位", columns.YEAR.header: "年度"}

RECHECKED = "已按勾选的表格重新检查，还没有导入。确认无误后请点“确认导入勾选的表格”。"
STILL_BLOCKED = (
    "勾选的表格中还有必须先改正的问题（红色行），本次没有导入任何内容。"
    "请取消勾选这些表格后再确认，或在文件中改正后重新上传。"
)


@dataclass
class Table:
    """A recognised table as the preview offers it."""

    found: Found
    ticked: bool = True
    blocking: int = 0  # the problems in its rows that block it
    declarations: int = 0  # the declarations its rows make
    foreign: str = ""  # the unit it names beside those the user may import into
    row_kinds: list[RowKind] = field(default_factory=list)  # those listed

    @property
    def number(self) -> int:
        return self.found.number


@dataclass(frozen=True)
class Listed:
    """A problem as the preview lists it, in the file's terms."""

    place: str  # 第 3 个表格第 2 条指标, or 第 3 个表格 for the table as a whole
    name: str  # its table's project
    field: str
    problem: Problem
    left_out: bool  # its table is not ticked


@dataclass(frozen=True)
class Planned:
    """A declaration the file holds, and whether its table is ticked."""

    incoming: Incoming
    table: int | None
    left_out: bool


@dataclass
class Offered:
    """What a confirm needs to know of a preview's tables; the session keeps
    it between the two."""

    tables: list[list[int]]  # [number, declarations, blocking problems] each
    ticked: list[int]  # as the preview showed them
    part_one: bool = False  # the book's part one can be ticked
    unplaced: int = 0  # blocking problems of no table, which block every one

    @property
    def numbers(self) -> list[int]:
        return [PART_ONE] * self.part_one + [number for number, *_ in self.tables]

    def left_out(self, ticked: set[int]) -> frozenset[int]:
        return frozenset(self.numbers) - ticked

    def declarations(self, ticked: set[int]) -> int:
        return sum(count for number, count, _ in self.tables if number in ticked)

    def refusal(self, ticked: set[int]) -> str:
        """Why the ticked tables cannot be imported as the preview saw them,
        or ""."""
        if not ticked - {PART_ONE}:
            alone = "（第一部分需与至少一张表格一起导入）" if PART_ONE in ticked else ""
            return (
                "没有勾选任何表格，本次没有导入任何内容。"
                f"请勾选要导入的表格后再确认{alone}。"
            )
        if self.unplaced:
            return (
                f"文件中有 {self.unplaced} 个不属于某张表格的问题必须先改正（红色行），"
                "本次没有导入任何内容。"
            )
        blocked = [str(n) for n, _, blocking in self.tables if blocking and n in ticked]
        if blocked:
            return (
                f"勾选的第 {'、'.join(blocked)} 个表格还有必须先改正的问题（红色行），"
                "本次没有导入任何内容。请取消勾选这些表格后再确认，或在文件中改正后重新上传。"
            )
        return ""


@dataclass
class WordChoice(ActionCounts):
    """The preview's tables, problems and declarations, with what is ticked."""

    tables: list[Table]
    part_one: bool | None  # ticked; None when there is no part one to write
    unplaced: int  # blocking problems of no table
    problems: list[Listed] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)

    @property
    def ticked(self) -> set[int]:
        return {t.number for t in self.tables if t.ticked} | (
            {PART_ONE} if self.part_one else set()
        )

    @property
    def ticked_tables(self) -> int:
        return sum(1 for t in self.tables if t.ticked)

    @property
    def left_out(self) -> list[Table]:
        return [t for t in self.tables if not t.ticked]

    @property
    def blocked(self) -> list[Table]:
        return [t for t in self.tables if t.blocking]

    @property
    def can_confirm(self) -> bool:
        """Some table can be imported, whichever are ticked now."""
        return not self.unplaced and len(self.blocked) < len(self.tables)

    def count(self, action: str) -> int:
        return sum(
            1 for p in self.planned if not p.left_out and p.incoming.action == action
        )

    @property
    def declarations(self) -> int:
        return sum(1 for p in self.planned if not p.left_out)

    def offered(self) -> Offered:
        return Offered(
            [[t.number, t.declarations, t.blocking] for t in self.tables],
            sorted(self.ticked),
            part_one=self.part_one is not None,
            unplaced=self.unplaced,
        )


def choose(
    read: Upload, import_plan: ImportPlan, *, user, ticked: set[int] | None = None
) -> WordChoice:
    """The tables of an analysed Word file with the user's choice: the one
    posted (`ticked`) or, at the first preview, every table that has no
    blocking problem and names no unit the user may not import into."""
    tables = {f.number: Table(f) for f in read.word.found}

    def table_of(row) -> Table | None:
        place = read.places.get(row)
        return tables.get(place.table) if place else None

    unplaced = 0
    for problem in import_plan.blocking:
        if (table := table_of(problem.row)) is not None:
            table.blocking += 1
        else:
            unplaced += 1
    for incoming in import_plan.declarations:
        if (table := table_of(incoming.first_row)) is not None:
            table.declarations += 1
    writable = list(writable_organizations(user).select_related("parent"))
    listed = ROW_KINDS_LISTED
    for table in tables.values():
        table.foreign = _foreign(table.found, writable)
        table.row_kinds = table.found.row_kinds[:listed]
        listed -= len(table.row_kinds)
        if ticked is None:
            table.ticked = not table.blocking and not table.foreign
        else:
            table.ticked = table.number in ticked
    part_one = None
    if read.word.part_one and read.goals_of is not None:
        part_one = ticked is None or PART_ONE in ticked
    choice = WordChoice(list(tables.values()), part_one, unplaced)
    for problem in import_plan.problems:
        place, table = read.places.get(problem.row), table_of(problem.row)
        listed = Listed(
            _where(place, problem.column),
            table.found.project_name if table else "",
            _WORD_NAMES.get(problem.column, problem.column),
            problem,
            left_out=table is not None and not table.ticked,
        )
        # A table's unit refused on each of its rows is said once.
        if not choice.problems or _said(choice.problems[-1]) != _said(listed):
            choice.problems.append(listed)
    for incoming in import_plan.declarations:
        table = table_of(incoming.first_row)
        choice.planned.append(
            Planned(
                incoming,
                table.number if table else None,
                left_out=table is not None and not table.ticked,
            )
        )
    return choice


def _said(listed: Listed) -> tuple:
    return listed.place, listed.field, listed.problem.message


def _where(place: Place | None, column: str) -> str:
    if place is None:
        return "—"
    if column in _ROW_HEADERS and place.indicator:
        return f"第 {place.table} 个表格第 {place.indicator} 条指标"
    return f"第 {place.table} 个表格"


_OURS, _THEIRS = "可导入的单位", "可导入单位所属的主管部门"


def _foreign(found: Found, writable: list[Organization]) -> str:
    """The unit or department a table names, beside those the user may
    import into, when it is none of them; else ""."""
    departments = list(
        {o.department.pk: o.department for o in writable if o.department}.values()
    )
    fields = found.fields
    claims = []  # (what, code, name, the organizations it may be, what they are)
    if found.unit_code or found.unit_name:
        claims.append(("单位", found.unit_code, found.unit_name, writable, _OURS))
    elif found.kind == "department_wide" and found.project_name:  # 部门名称
        claims.append(("主管部门", "", found.project_name, departments, _THEIRS))
    if fields.get("implementing_unit"):
        claims.append(("实施单位", "", fields["implementing_unit"], writable, _OURS))
    if fields.get("department_code") or fields.get("department_name"):
        code, name = (
            fields.get("department_code", ""),
            fields.get("department_name", ""),
        )
        claims.append(("主管部门", code, name, departments, _THEIRS))
    for what, code, name, candidates, kind in claims:
        if not any(_is(o, code, name) for o in candidates):
            stated = " ".join(filter(None, [code, name]))
            return f"文件中的{what}：{stated}；{kind}：{_names(candidates)}"
    return ""


def _is(organization: Organization, code: str, name: str) -> bool:
    if code:
        return organization.code == code
    return "".join(organization.name.split()) == "".join(name.split())


def _names(organizations: list[Organization]) -> str:
    shown = "、".join(f"{o.code} {o.name}" for o in organizations[:5])
    more = len(organizations) - 5
    return f"{shown} 等 {len(organizations)} 个" if more > 0 else shown or "（无）"
