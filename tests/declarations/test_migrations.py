"""The renaming migrations keep every stored value: migrated back and forth
over the demo data, the database holds what it held."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from declarations.demo import loading as demo
from declarations.models import Declaration, IndicatorRow

BEFORE_RENAMES = [("declarations", "0005_one_department_wide")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _stored():
    return (
        sorted(IndicatorRow.objects.values_list("pk", "level3")),
        sorted(Declaration.objects.values_list("pk", "kind", "layout")),
    )


def test_renames_keep_the_demo_data(transactional_db):
    demo.load_declarations(demo.load_people())
    demo.load_department_content()
    rows, declarations = _stored()
    assert ("department_wide" in {kind for _, kind, _ in declarations}) and rows

    old = _migrate(BEFORE_RENAMES)
    OldRow = old.get_model("declarations", "IndicatorRow")
    OldDeclaration = old.get_model("declarations", "Declaration")
    assert sorted(OldRow.objects.values_list("pk", "name")) == rows
    assert sorted(OldDeclaration.objects.values_list("pk", "kind", "layout")) == [
        (
            pk,
            kind.replace("department_wide", "department"),
            layout.replace("department_wide", "department"),
        )
        for pk, kind, layout in declarations
    ]

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert _stored() == (rows, declarations)
