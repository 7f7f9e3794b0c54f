"""Tables copied within a unit's year, found through row signatures.

A table whose rows are mostly another table's of the same unit and year was
most likely copied from it and not yet rewritten (the copied-table warning of
``declarations.checks``). Each row keeps ``row_signature(level3, value)``, so
a table is compared with its siblings once, whatever their number: one table
asks the database which siblings share at least COPIED_MIN_ROWS of its
signatures, with counts, in one aggregated query; a batch (an import) reads
the signatures of its units' years once and counts in memory.

Whether a table repeats another depends on both, so when tables change, the
siblings whose warning they may turn on or off are found here to be counted
again (``Declaration.repeats`` keeps whom each table was found to repeat).
"""

import operator
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, Q

from declarations.models import Declaration, DeclarationKind, IndicatorRow
from declarations.models.declarations import row_signature

# A table repeats another when at least COPIED_SHARE of its at least
# COPIED_MIN_ROWS different (indicator name, value) rows are the other's.
COPIED_SHARE, COPIED_MIN_ROWS = 0.8, 4
# Tables a query names at most: SQLite takes 32,766 parameters a query.
BATCH = 5000


def signatures(rows: Iterable) -> frozenset[int]:
    """The signatures of a table's named rows (IndicatorRows or RowData)."""
    found = {row_signature(r.level3, r.value) for r in rows}
    found.discard(None)
    return frozenset(found)


def repeats(shared: int, own: int) -> bool:
    """Whether a table of `own` different rows, `shared` of them another's,
    repeats that other table."""
    return own >= COPIED_MIN_ROWS and shared >= COPIED_SHARE * own


@dataclass(frozen=True)
class Sibling:
    pk: int
    kind: str
    name: str  # “项目名称”（项目编码）, as the warning names it
    repeats_id: int | None  # whom it was found to repeat when last checked


class Siblings:
    """For some tables being checked: the tables of their units' years that
    share at least COPIED_MIN_ROWS rows with each, and how many.

    Fewer never matter: a table repeating another shares with it at least
    80 % of at least 4 rows, so 4 rows or more."""

    def __init__(self):
        self.shared: dict[int, dict[int, int]] = {}  # table → sibling → rows
        self.siblings: dict[int, Sibling] = {}
        self._ranked: dict[int, list[tuple[int, int]]] = {}

    @classmethod
    def of(
        cls, tables: list[Declaration], own: dict[int, frozenset[int]]
    ) -> "Siblings":
        """`own`: each table's signatures, by its pk."""
        index = cls()
        if len(tables) == 1:
            index._ask(tables[0], own[tables[0].pk])
        elif tables:
            index._count(tables, own)
        return index

    def _ask(self, table: Declaration, own: frozenset[int]) -> None:
        """One table: the database counts, for each sibling, the table's
        signatures that it holds too."""
        if len(own) < COPIED_MIN_ROWS:
            return
        shared = (
            IndicatorRow.objects.filter(
                declaration__organization_id=table.organization_id,
                declaration__year=table.year,
                signature__in=own,
            )
            .exclude(declaration_id=table.pk)
            .values(
                "declaration_id",
                "declaration__kind",
                "declaration__project_name",
                "declaration__project_code",
                "declaration__repeats_id",
            )
            .annotate(shared=Count("signature", distinct=True))
            .filter(shared__gte=COPIED_MIN_ROWS)
            .order_by()
        )
        counts = self.shared[table.pk] = {}
        for found in shared:
            pk = found["declaration_id"]
            counts[pk] = found["shared"]
            self.siblings[pk] = Sibling(
                pk,
                found["declaration__kind"],
                _name(
                    found["declaration__project_name"],
                    found["declaration__project_code"],
                ),
                found["declaration__repeats_id"],
            )

    def _count(self, tables: list[Declaration], own: dict[int, frozenset[int]]):
        """Several tables: the signatures of their units' years are read once
        and counted here. Tables with the same rows are counted once (an
        import of many alike tables)."""
        years = {(t.organization_id, t.year) for t in tables}
        organizations = {o for o, _ in years}
        in_years = Declaration.objects.filter(
            organization_id__in=organizations, year__in={y for _, y in years}
        )
        year_of = {}
        for pk, organization, year, kind, name, code, repeated in in_years.values_list(
            "pk",
            "organization_id",
            "year",
            "kind",
            "project_name",
            "project_code",
            "repeats_id",
        ):
            if (organization, year) in years:
                year_of[pk] = (organization, year)
                self.siblings[pk] = Sibling(pk, kind, _name(name, code), repeated)
        holders: dict[tuple, list[int]] = {}
        for pk, signature in (
            IndicatorRow.objects.filter(
                declaration__in=in_years, signature__isnull=False
            )
            .values_list("declaration_id", "signature")
            .distinct()
            .order_by()
        ):
            if pk in year_of:
                holders.setdefault((year_of[pk], signature), []).append(pk)
        counted: dict[tuple, dict[int, int]] = {}
        for table in tables:
            key = ((table.organization_id, table.year), own[table.pk])
            if key not in counted:
                counts = Counter(
                    pk for s in key[1] for pk in holders.get((key[0], s), ())
                )
                counted[key] = {
                    pk: n for pk, n in counts.items() if n >= COPIED_MIN_ROWS
                }
            # Shared among alike tables; each table is in its own counts.
            self.shared[table.pk] = counted[key]

    def copied_from(self, pk: int, own: frozenset[int]) -> tuple[Sibling, int] | None:
        """The project table of the same unit and year that the table `pk`
        repeats, with the rows they share: of several, the one sharing the
        most, then the first made."""
        counts = self.shared.get(pk)
        if counts is None:
            return None
        # Alike tables share one counts dict (kept in self.shared), and so
        # one ranking of the tables they repeat.
        ranked = self._ranked.get(id(counts))
        if ranked is None:
            ranked = self._ranked[id(counts)] = sorted(
                (
                    (-shared, other)
                    for other, shared in counts.items()
                    if self.siblings[other].kind == DeclarationKind.PROJECT
                    and repeats(shared, len(own))
                ),
            )
        for shared, other in ranked:
            if other != pk:
                return self.siblings[other], -shared
        return None

    def to_count_again(self, checked: list[Declaration]) -> set[int]:
        """The other tables whose copied-table warning the checked tables, as
        they are now, may have turned on or off: those found repeating one of
        them that no longer do, and those found repeating none that now
        repeat one. (Those found repeating a third table keep their warning.)"""
        pks = {t.pk for t in checked}
        outside = {}  # by id of a counts dict, as alike tables share one
        shared_with: dict[int, dict[int, int]] = {}
        for table in checked:
            if table.kind != DeclarationKind.PROJECT:
                continue  # no table is warned of repeating it
            counts = self.shared.get(table.pk)
            if counts is None:
                continue
            if id(counts) not in outside:
                outside[id(counts)] = [
                    (other, shared)
                    for other, shared in counts.items()
                    if other not in pks
                    and (
                        (repeated := self.siblings[other].repeats_id) is None
                        or repeated in pks
                    )
                ]
            for other, shared in outside[id(counts)]:
                shared_with.setdefault(other, {})[table.pk] = shared
        again = set()
        for pk, repeated, own in _rows_of(list(shared_with), repeating=list(pks)):
            if pk in pks:
                continue
            shared = shared_with.get(pk, {})
            if repeated is None:
                if any(repeats(n, own) for n in shared.values()):
                    again.add(pk)
            elif repeated in pks and not repeats(shared.get(repeated, 0), own):
                again.add(pk)
        return again


def _rows_of(pks: list[int], *, repeating: list[int]):
    """(pk, repeats_id, its different named rows) of the tables `pks` and of
    those found repeating one of `repeating`: in one query for a table's
    save, in a few for an import of thousands (SQLite takes at most 32,766
    parameters a query)."""
    conditions = [
        *(
            Q(repeats__in=repeating[i : i + BATCH])
            for i in range(0, len(repeating), BATCH)
        ),
        *(Q(pk__in=pks[i : i + BATCH]) for i in range(0, len(pks), BATCH)),
    ]
    for i in range(0, len(conditions), 2):
        yield from (
            Declaration.objects.filter(reduce(operator.or_, conditions[i : i + 2]))
            .values("pk", "repeats_id")
            .annotate(own=Count("indicators__signature", distinct=True))
            .values_list("pk", "repeats_id", "own")
            .order_by()
        )


def _name(name: str, code: str) -> str:
    return f"“{name}”" + (f"（{code}）" if code else "")
