"""Writes of layouts: the shipped ones installed, an administrator's edit
kept as a new version, a copy made to start a new layout from."""

import copy

from django.db import transaction

from declarations.layouts.builtin import install
from declarations.layouts.definition import MAX_NAME, read
from declarations.models import TableLayout, TableLayoutVersion
from declarations.services.errors import StaleVersion


def install_builtin() -> list[str]:
    """The shipped layouts that are missing, each as its first version (the
    migrations do the same for a database they bring up to date)."""
    return install(TableLayout, TableLayoutVersion)


@transaction.atomic
def save_definition(
    layout: TableLayout, document: dict, *, by, expected_version=None
) -> TableLayout:
    """The layout with `document` as its definition; a changed definition
    becomes the next version, and the versions before it stay as they were
    for the declarations made under them. With `expected_version`, a layout
    saved by someone else since is not overwritten (StaleVersion). A
    document that is not a definition raises DefinitionError."""
    definition = read(document)
    creating = layout.pk is None
    if not creating:
        locked = TableLayout.objects.select_for_update().get(pk=layout.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion(locked)
        if locked.definition == document:
            return locked
        layout.version = locked.version + 1
    else:
        layout.version = 1
    layout.name = definition.name
    layout.kind = definition.kind
    layout.definition = document
    layout.updated_by = by
    layout.save()
    TableLayoutVersion.objects.create(
        layout=layout, number=layout.version, definition=document, created_by=by
    )
    return layout


COPY_SUFFIX = "-copy"


def copy_layout(layout: TableLayout, *, by) -> TableLayout:
    """A new layout with `layout`'s definition, named as its copy, under the
    first free code ``<code>-copy``, ``<code>-copy2`` …; a department then
    chooses it and an administrator edits it."""
    limit = TableLayout._meta.get_field("code").max_length
    n = 1
    while True:
        suffix = COPY_SUFFIX + (str(n) if n > 1 else "")
        code = layout.code[: limit - len(suffix)] + suffix
        if not TableLayout.objects.filter(code=code).exists():
            break
        n += 1
    document = copy.deepcopy(layout.definition)
    document["name"] = f"{document.get('name', layout.name)[: MAX_NAME - 4]}（副本）"
    return save_definition(TableLayout(code=code), document, by=by)
