"""Writes of the library: an administrator approving, retiring and merging
duplicates; a reviewer proposing the indicators of an approved table; an
approval counting the entries it used."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Sum

from indicators.library.similarity import grams, similarity
from indicators.models import LibraryEntry
from indicators.values import parse


class CannotMerge(Exception):
    """The message is for the administrator."""


def set_state(queryset, state: str, *, by) -> int:
    return queryset.exclude(state=state).update(state=state, updated_by=by)


@transaction.atomic
def merge(entries: list[LibraryEntry], *, by) -> LibraryEntry:
    """Entries that are one indicator become the most used of them (the
    first if equal): their uses add up, the others are retired and point to
    it, and their empty fields take what the others have."""
    if len(entries) < 2:
        raise CannotMerge("请至少选择两条重复的条目再合并。")
    levels = {e.level2_id for e in entries}
    if len(levels) > 1:
        raise CannotMerge("只能合并同一个二级指标下的条目，请按二级指标筛选后再选。")
    kept, *others = sorted(entries, key=lambda e: (-e.uses, e.pk))
    for name in ["explanation", "unit", "operator", "values", "basis", "scoring"]:
        if not getattr(kept, name):
            for other in others:
                if getattr(other, name):
                    setattr(kept, name, getattr(other, name))
                    break
    others_ids = [o.pk for o in others]
    kept.uses += (
        LibraryEntry.objects.filter(pk__in=others_ids).aggregate(n=Sum("uses"))["n"]
        or 0
    )
    kept.state = LibraryEntry.State.APPROVED
    kept.updated_by = by
    kept.save()
    LibraryEntry.objects.filter(pk__in=others_ids).update(
        state=LibraryEntry.State.RETIRED,
        merged_into=kept,
        uses=0,
        updated_by=by,
    )
    return kept


# Names this alike (cosine of bigrams) under one second level are likely one
# indicator written two ways: 参训人数 and 参加培训人数.
SIMILAR_NAMES = 0.6


@dataclass
class Proposal:
    added: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)  # the library has the name
    similar: list[tuple[str, str]] = field(default_factory=list)  # (new, existing)


@transaction.atomic
def propose(rows, *, source: str, by) -> Proposal:
    """The rows of an approved declaration as proposed entries (待审核) for an
    administrator to approve: a name the library has under its level is
    left out, one like a library name is added and named as a likely
    duplicate to merge."""
    proposal = Proposal()
    rows = [r for r in rows if r.level2_id and r.level3.strip()]
    library = {}
    levels = {r.level2_id for r in rows}
    for entry in LibraryEntry.objects.filter(level2_id__in=levels):
        library.setdefault(entry.level2_id, []).append(entry.name)
    for row in rows:
        name = row.level3.strip()[:100]
        names = library.setdefault(row.level2_id, [])
        if name in names:
            proposal.known.append(name)
            continue
        if alike := most_alike(name, names):
            proposal.similar.append((name, alike))
        value = parse(row.value)
        LibraryEntry.objects.create(
            level2_id=row.level2_id,
            name=name,
            explanation=(row.explanation or row.description)[:500],
            unit=value.unit[:20],
            operator=value.operator or ("定性" if value.qualitative else ""),
            values=row.value[:200],
            basis=row.basis[:200],
            source=source[:200],
            state=LibraryEntry.State.PROPOSED,
            updated_by=by,
        )
        names.append(name)
        proposal.added.append(name)
    return proposal


def count_uses(rows, *, step: int = 1) -> None:
    """One more use of each approved entry a newly approved table has (one
    less, step=-1, when its approval is withdrawn)."""
    by_level: dict[int, set[str]] = {}
    for row in rows:
        if row.level2_id and row.level3.strip():
            by_level.setdefault(row.level2_id, set()).add(row.level3.strip())
    for level2_id, names in by_level.items():
        entries = LibraryEntry.objects.filter(
            level2_id=level2_id, name__in=names, state=LibraryEntry.State.APPROVED
        )
        if step < 0:
            entries = entries.filter(uses__gte=-step)
        entries.update(uses=F("uses") + step)


def likely_duplicate(entry: LibraryEntry) -> str:
    """The name of the entry of the same second level most like this one,
    if alike enough to be the same indicator written another way."""
    others = (
        LibraryEntry.objects.filter(level2_id=entry.level2_id)
        .exclude(pk=entry.pk)
        .exclude(state=LibraryEntry.State.RETIRED)
        .order_by()
        .values_list("name", flat=True)
    )
    return most_alike(entry.name, others)


def most_alike(name: str, names) -> str:
    """Of `names`, the one most like `name` if at least SIMILAR_NAMES alike
    (the same indicator written another way), else blank."""
    mine = grams(name)
    score, alike = max(
        ((similarity(mine, grams(n)), n) for n in names),
        key=lambda scored: scored[0],
        default=(0.0, ""),
    )
    return alike if score >= SIMILAR_NAMES else ""
