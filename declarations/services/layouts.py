"""Writes of layouts: the shipped ones installed, an administrator's edit
kept as a new version, a copy made to start a new layout from."""

from django.db import transaction

from declarations.layouts.builtin import install
from declarations.layouts.definition import read
from declarations.models import TableLayout, TableLayoutVersion


def install_builtin() -> list[str]:
    """The shipped layouts that are missing, each as its first version (the
    migrations do the same for a database they bring up to date)."""
    return install(TableLayout, TableLayoutVersion)


@transaction.atomic
def save_definition(layout: TableLayout, document: dict, *, by) -> TableLayout:
    """The layout with `document` as its definition; a changed definition
    becomes the next version, and the versions before it stay as they were
    for the declarations made under them. The document must have been read
    (definition.read) already."""
    definition = read(document)
    creating = layout.pk is None
    if not creating:
        locked = TableLayout.objects.select_for_update().get(pk=layout.pk)
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
