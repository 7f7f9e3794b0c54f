"""The one way a versioned record is saved.

Saves are optimistic: each page carries the version it was opened at, and a
save against a newer version is refused rather than silently overwriting
someone else's work. Entry steps, the department goals page, the import and
the admin all save through `save_versioned`.
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import models, transaction

from declarations.services.errors import StaleVersion

M = TypeVar("M", bound=models.Model)


def save_versioned(
    model: type[M],
    *,
    pk: int,
    expected_version: int,
    by,
    apply: Callable[[M], None],
    check: Callable[[M], None] | None = None,
) -> M:
    """Lock the row, compare its version with the one the page was opened
    at, apply the changes, save and bump the version, in one transaction.

    `check(record)` may refuse the save (raise) before anything is applied.
    """
    with transaction.atomic():
        # Lock only the row itself: PostgreSQL refuses FOR UPDATE on the
        # nullable side of the join to updated_by.
        record = (
            model.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=pk)
        )
        if record.version != expected_version:
            raise StaleVersion(record)
        if check is not None:
            check(record)
        apply(record)
        record.version += 1
        record.updated_by = by
        record.save()
    return record
