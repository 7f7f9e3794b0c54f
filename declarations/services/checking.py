"""What the checks find in a table, counted and kept on it whenever it is
written, so that lists and the desk can filter and count tables with errors
or warnings without checking thousands of them on every page."""

from collections.abc import Iterable

from declarations.checks import findings_for
from declarations.models import Declaration
from indicators.taxonomy import Taxonomy


def record_findings(declarations: Iterable[Declaration | int]) -> None:
    """Check each declaration as stored and keep its counts of errors and
    warnings (neither its version nor its modification time changes)."""
    pks = [d if isinstance(d, int) else d.pk for d in declarations]
    if not pks:
        return
    taxonomy = Taxonomy.load()
    stored = Declaration.objects.filter(pk__in=pks).prefetch_related(
        "goals", "indicators"
    )
    checked = []
    for declaration in stored.select_related("organization", "layout"):
        findings = findings_for(declaration, taxonomy)
        declaration.error_count = min(sum(f.is_error for f in findings), 32767)
        declaration.warning_count = min(sum(not f.is_error for f in findings), 32767)
        checked.append(declaration)
    Declaration.objects.bulk_update(
        checked, ["error_count", "warning_count"], batch_size=500
    )
