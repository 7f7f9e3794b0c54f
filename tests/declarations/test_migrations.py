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


BEFORE_LAYOUTS = [("declarations", "0010_row_comment_answers")]


def _printed():
    """Each demo table's PDF as a reader sees it: the text of every cell in
    order, and every page's pixels (rendered by PDFium)."""
    import hashlib
    import io

    import pypdfium2

    from declarations.printing.declaration import render_declaration
    from tests.declarations.pdf_reading import table_rows

    printed = {}
    for declaration in Declaration.objects.order_by("pk"):
        data = render_declaration(declaration)
        document = pypdfium2.PdfDocument(io.BytesIO(data))
        pixels = [
            hashlib.sha256(bytes(page.render(scale=0.5).buffer)).hexdigest()
            for page in document
        ]
        document.close()
        printed[declaration.pk] = (table_rows(data), pixels)
    return printed


def test_demo_data_migrates_into_typed_values_and_layouts_and_prints_the_same(
    transactional_db,
):
    from indicators.values import parse

    demo.load_declarations(demo.load_people())
    demo.load_department_content()
    before = _printed()
    assert len(before) == 8  # the demo: Hebei, central and department-wide tables

    old = _migrate(BEFORE_LAYOUTS)
    OldRow = old.get_model("declarations", "IndicatorRow")
    assert "value_kind" not in {f.name for f in OldRow._meta.fields}
    # Parts left blank, as rows written before they were kept in step hold.
    OldRow.objects.update(value_operator="", value_number=None, value_unit="")
    assert not {
        f.name for f in old.get_model("declarations", "Declaration")._meta.fields
    } & {"layout_version", "term_total"}

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    rows = list(IndicatorRow.objects.all())
    for row in rows:
        parsed = parse(row.value)
        assert (row.value_operator, row.value_number, row.value_unit) == (
            parsed.operator,
            parsed.number,
            parsed.unit,
        ), row.value
    quantitative = [r for r in rows if r.value_kind == "quantitative"]
    assert len(quantitative) > len(rows) / 2
    assert {d.layout_version for d in Declaration.objects.all()} == {1}
    assert _printed() == before
