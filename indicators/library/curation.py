"""Writes of the library an administrator makes: approving, retiring and
merging duplicates."""

from django.db import transaction
from django.db.models import Sum

from indicators.models import LibraryEntry


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
    for field in ["explanation", "unit", "operator", "values", "basis", "scoring"]:
        if not getattr(kept, field):
            for other in others:
                if getattr(other, field):
                    setattr(kept, field, getattr(other, field))
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
