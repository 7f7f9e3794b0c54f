"""What the checks find in a table, counted and kept on it whenever it is
written, so that lists and the desk can filter and count tables with errors
or warnings without checking thousands of them on every page."""

from collections.abc import Iterable

from declarations.checks import findings_for
from declarations.copies import BATCH, Siblings, signatures
from declarations.layouts.versions import definitions_of
from declarations.models import Declaration
from indicators.taxonomy import Taxonomy


def record_findings(declarations: Iterable[Declaration | int]) -> None:
    """Check each declaration as stored and keep its counts of errors and
    warnings (neither its version nor its modification time changes); then
    count again the other tables of their units' years whose copied-table
    warning they turned on or off."""
    pks = [d if isinstance(d, int) else d.pk for d in declarations]
    # Their rows did not change: counting them again changes no other table.
    _record(_record(pks, siblings_too=True))


def _record(pks: Iterable[int], *, siblings_too: bool = False) -> set[int]:
    """Count the declarations `pks`; with `siblings_too`, the other tables
    to count again."""
    pks = list(pks)
    if not pks:
        return set()
    taxonomy = Taxonomy.load()
    stored = list(
        Declaration.objects.filter(pk__in=pks)
        .prefetch_related("goals", "indicators")
        .select_related("organization", "layout")
    )
    definitions_of(stored)  # in one query, not one a table
    own = {d.pk: signatures(d.indicators.all()) for d in stored}
    siblings = Siblings.of(stored, own)
    for declaration in stored:
        findings = findings_for(declaration, taxonomy, siblings=siblings)
        declaration.error_count = min(sum(f.is_error for f in findings), 32767)
        declaration.warning_count = min(sum(not f.is_error for f in findings), 32767)
        found = siblings.copied_from(declaration.pk, own[declaration.pk])
        declaration.repeats_id = found[0].pk if found else None
    again = siblings.to_count_again(stored) if siblings_too else set()
    # One update for the tables counted alike (an import's are mostly
    # alike): bulk_update's CASE of a thousand tables takes a second to build.
    alike: dict[tuple, list[int]] = {}
    for d in stored:
        counts = (d.error_count, d.warning_count, d.repeats_id)
        alike.setdefault(counts, []).append(d.pk)
    for (error_count, warning_count, repeats), group in alike.items():
        for start in range(0, len(group), BATCH):
            Declaration.objects.filter(pk__in=group[start : start + BATCH]).update(
                error_count=error_count,
                warning_count=warning_count,
                repeats_id=repeats,
            )
    return again
