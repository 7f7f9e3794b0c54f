"""The definition a declaration prints by: the version of its layout it was
made under, read once for a table or a whole book."""

from django.db.models import Q

from declarations.layouts.definition import Definition, read
from declarations.models import TableLayoutVersion


def definitions_at(wanted) -> dict[tuple[str, int], Definition]:
    """The definition of each (layout code, version number) in `wanted`, in
    one query."""
    wanted = set(wanted)
    if not wanted:
        return {}
    match = Q()
    for code, number in wanted:
        match |= Q(layout__code=code, number=number)
    versions = TableLayoutVersion.objects.filter(match).values_list(
        "layout__code", "number", "definition"
    )
    return {
        (code, number): read(document, stored=True)
        for code, number, document in versions
    }


def definitions_of(declarations) -> dict[tuple[str, int], Definition]:
    """The definitions of every (layout, version) among `declarations`, in
    one query; each declaration also keeps its own."""
    found = definitions_at((d.layout_id, d.layout_version) for d in declarations)
    for d in declarations:
        d._definition = found[(d.layout_id, d.layout_version)]
    return found


def definition_of(declaration) -> Definition:
    cached = getattr(declaration, "_definition", None)
    if cached is None:
        version = TableLayoutVersion.objects.get(
            layout__code=declaration.layout_id, number=declaration.layout_version
        )
        cached = declaration._definition = read(version.definition, stored=True)
    return cached
