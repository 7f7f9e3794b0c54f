"""Year over year: a continuing project's indicators beside those approved
for it last year, so that the reviewer sees what was added, dropped or
raised (参保人数 ≥30万人 → ≥32万人)."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from declarations.layouts.versions import definition_of
from declarations.models import Declaration, ProjectAttribute, Status


class Change:
    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class ComparedRow:
    change: str  # a Change
    level1: str
    level2: str
    name: str  # 三级指标
    before: str  # last year's 指标值; blank for an added row
    after: str  # this year's; blank for a removed row


@dataclass(frozen=True)
class YearOverYear:
    previous: Declaration  # last year's approved declaration
    total_before: Decimal | None
    total_after: Decimal | None
    money_unit: str  # of the budget, as the layout prints it
    rows: list[ComparedRow]

    def count(self, change: str) -> int:
        return sum(row.change == change for row in self.rows)

    @property
    def changed(self) -> int:
        return self.count(Change.CHANGED)

    @property
    def added(self) -> int:
        return self.count(Change.ADDED)

    @property
    def removed(self) -> int:
        return self.count(Change.REMOVED)


def last_years_approved(declaration: Declaration) -> Declaration | None:
    """The same unit's approved declaration of the same project code, the
    year before; None for a project that is not continuing."""
    if declaration.attribute != ProjectAttribute.CONTINUING:
        return None
    if not declaration.project_code.strip():
        return None
    return (
        Declaration.objects.filter(
            organization_id=declaration.organization_id,
            project_code=declaration.project_code,
            kind=declaration.kind,
            year=declaration.year - 1,
            status=Status.APPROVED,
        )
        .order_by("-pk")
        .first()
    )


def compared_with_last_year(declaration: Declaration) -> YearOverYear | None:
    """This year's indicators beside last year's approved ones: this year's
    in their order, then those dropped. Rows are the same indicator when
    their 三级指标 names (and target periods) are; None without last year's."""
    previous = last_years_approved(declaration)
    if previous is None:
        return None
    before = dict(_keyed(previous))
    rows = []
    for key, row in _keyed(declaration):
        old = before.pop(key, None)
        after = row.value.strip()
        if old is None:
            change = Change.ADDED
        else:
            change = Change.SAME if old.value.strip() == after else Change.CHANGED
        rows.append(_compared(change, row, old.value.strip() if old else "", after))
    rows += [
        _compared(Change.REMOVED, old, old.value.strip(), "") for old in before.values()
    ]
    return YearOverYear(
        previous=previous,
        total_before=previous.total,
        total_after=declaration.total,
        money_unit=definition_of(declaration).money_unit,
        rows=rows,
    )


def _keyed(declaration: Declaration):
    """Each indicator row with its key: its period, name and, for a name
    written twice, which time it is."""
    seen: Counter = Counter()
    rows = declaration.indicators.select_related("level1", "level2").order_by(
        "position", "pk"
    )
    for row in rows:
        name = (row.period, row.level3.strip())
        seen[name] += 1
        yield (*name, seen[name]), row


def _compared(change: str, row, before: str, after: str) -> ComparedRow:
    return ComparedRow(
        change=change,
        level1=row.level1.name if row.level1 else "",
        level2=row.level2.name if row.level2 else "",
        name=row.level3.strip(),
        before=before,
        after=after,
    )
