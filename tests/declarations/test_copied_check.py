"""The copied-table warning: a table whose rows are mostly another's of the
same unit and year. It compares each table once, through row signatures, so
that its cost does not grow with the unit's tables, and it keeps the counts of
the tables it names right when either changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from declarations.checks import findings_for
from declarations.models import Declaration, IndicatorRow
from declarations.models.declarations import row_signature
from declarations.services import drafts
from declarations.services.checking import record_findings
from indicators.taxonomy import Taxonomy
from tests.factories import STANDARD_ROWS, make_declaration, make_unit

LEVELS = [(level1, level2) for level1, level2, *_ in STANDARD_ROWS]


def table(*names, value="≥90%"):
    """Rows named `names`, all of one value, under the standard levels."""
    return [
        (*LEVELS[i % len(LEVELS)], name, "", value, "计划标准")
        for i, name in enumerate(names)
    ]


def warning(declaration):
    found = [f for f in findings_for(declaration) if f.code == "copied_table"]
    return found[0].message if found else None


def counted(declaration):
    declaration.refresh_from_db()
    return declaration.warning_count, declaration.repeats_id


def test_a_copy_is_warned_of_naming_the_table_it_repeats(unit, preparer):
    first = make_declaration(unit, preparer, project_code="A-1", project_name="甲")
    copy = make_declaration(unit, preparer, project_code="A-2", project_name="乙")
    assert "本表 7 行绩效指标中有 7 行与本单位同年度的“甲”（A-1）相同" in warning(copy)
    assert "“乙”（A-2）" in warning(first)
    assert counted(copy) == (1, first.pk)


def test_four_of_five_rows_make_a_copy_and_three_do_not(unit, preparer):
    make_declaration(unit, preparer, project_code="A", rows=table(*"abcde"))
    four = make_declaration(unit, preparer, project_code="B", rows=table(*"abcdx"))
    three = make_declaration(unit, preparer, project_code="C", rows=table(*"abcyz"))
    assert "5 行绩效指标中有 4 行" in warning(four)
    assert warning(three) is None


def test_of_several_tables_repeated_the_one_sharing_most_is_named(unit, preparer):
    make_declaration(unit, preparer, project_code="A", rows=table(*"abcdefghix"))
    make_declaration(unit, preparer, project_code="B", rows=table(*"abcdefghij"))
    copy = make_declaration(unit, preparer, project_code="C", rows=table(*"abcdefghij"))
    assert "10 行绩效指标中有 10 行与本单位同年度的“医保经办工作经费”（B）" in (
        warning(copy)
    )


def test_names_and_values_are_compared_as_typed_but_for_spaces(unit, preparer):
    make_declaration(unit, preparer, project_code="A", rows=table(*"abcd"))
    spaced = make_declaration(
        unit, preparer, project_code="B", rows=table(" a", "b ", "c", "d")
    )
    other_value = make_declaration(
        unit, preparer, project_code="C", rows=table(*"abcd", value="≥80%")
    )
    assert warning(spaced)
    assert warning(other_value) is None


def test_small_tables_and_other_years_units_and_kinds_are_no_copies(
    unit, department, preparer
):
    rows = table(*"abcd")
    make_declaration(unit, preparer, project_code="A", rows=rows[:3])
    small = make_declaration(unit, preparer, project_code="B", rows=rows[:3])
    assert warning(small) is None  # fewer than 4 rows
    make_declaration(unit, preparer, project_code="C", rows=rows, year=2023)
    other = make_unit(department, "450003", "另一单位")
    make_declaration(other, preparer, project_code="D", rows=rows)
    alone = make_declaration(unit, preparer, project_code="E", rows=rows)
    assert warning(alone) is None
    # A department-wide table is never the one named.
    make_declaration(
        department, preparer, kind="department_wide", project_code="", rows=rows
    )
    project = make_declaration(department, preparer, project_code="F", rows=rows)
    assert warning(project) is None


def test_the_table_copied_from_is_counted_again_with_its_copy(unit, preparer):
    first = make_declaration(unit, preparer, project_code="A-1")
    assert counted(first) == (0, None)
    copy = make_declaration(unit, preparer, project_code="A-2")
    assert counted(first) == (1, copy.pk)
    # Rewritten, the copy is no copy, and the first is counted again.
    drafts.save_changes(
        copy.pk,
        expected_version=copy.version,
        by=preparer,
        changes=drafts.DraftChanges(fields={}, rows=_rows(table(*"wxyz"))),
    )
    assert counted(copy)[1] is None
    assert counted(first) == (0, None)


def test_a_table_moved_to_another_year_leaves_its_copy(unit, preparer):
    first = make_declaration(unit, preparer, project_code="A-1")
    copy = make_declaration(unit, preparer, project_code="A-2")
    drafts.save_changes(
        copy.pk,
        expected_version=copy.version,
        by=preparer,
        changes=drafts.DraftChanges(fields={"year": 2025}),
    )
    assert counted(first) == (0, None)


def test_every_write_keeps_each_rows_signature(unit, preparer):
    declaration = make_declaration(unit, preparer, rows=table("a", " b", ""))
    copy = drafts.copy_to_year(declaration, year=2025, by=preparer)
    for made in (declaration, copy):
        stored = list(made.indicators.all())
        assert [r.signature for r in stored] == [
            row_signature("a", "≥90%"),
            row_signature("b", "≥90%"),
            None,
        ]
    row = stored[0]
    row.level3 = "改名"
    row.save()
    row.refresh_from_db()
    assert row.signature == row_signature("改名", row.value)


def _rows(rows):
    return drafts.rows_from_names(rows, Taxonomy.load())


def _unit_of(department, code, tables):
    """A unit of `tables` tables of rows of their own, made in bulk."""
    unit = make_unit(department, code, f"单位{code}")
    Declaration.objects.bulk_create(
        [
            Declaration(
                organization=unit,
                year=2024,
                project_code=f"{code}-{t}",
                project_name=f"项目{t}",
            )
            for t in range(tables)
        ]
    )
    rows = []
    for declaration in Declaration.objects.filter(organization=unit):
        for row in _rows(
            table(*(f"{declaration.project_code}指标{i}" for i in range(8)))
        ):
            row.declaration = declaration
            row.fill_parsed_value()
            rows.append(row)
    IndicatorRow.objects.bulk_create(rows, batch_size=2000)
    return unit


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


@pytest.mark.parametrize("copied", [False, True])
def test_saving_a_table_takes_as_many_queries_among_1000_as_among_10(
    department, preparer, copied
):
    taken = []
    for code, tables in [("T10", 10), ("T1000", 1000)]:
        unit = _unit_of(department, code, tables)
        first = Declaration.objects.filter(organization=unit).order_by("pk")[0]
        saved = make_declaration(unit, preparer, project_code=f"{code}-X")
        names = [r.level3 for r in first.indicators.all()] if copied else "abcd"

        def save(saved=saved, names=names):
            drafts.save_changes(
                saved.pk,
                expected_version=Declaration.objects.get(pk=saved.pk).version,
                by=preparer,
                changes=drafts.DraftChanges(fields={}, rows=_rows(table(*names))),
            )

        save()
        taken.append((_queries(save), _queries(lambda saved=saved: warning(saved))))
        assert counted(saved)[1] == (first.pk if copied else None)
    assert taken[0] == taken[1]


def test_checking_an_import_takes_as_many_queries_for_200_tables_as_for_20(
    department,
):
    taken = []
    for code, tables in [("I20", 20), ("I200", 200)]:
        made = list(
            Declaration.objects.filter(
                organization=_unit_of(department, code, tables)
            ).order_by("pk")
        )
        taken.append(_queries(lambda made=made: record_findings(made)))
        assert not any(counted(d)[1] for d in made)
    assert taken[0] == taken[1]


def test_an_import_of_alike_tables_warns_of_each(department, preparer):
    unit = _unit_of(department, "ALIKE", 0)
    made = drafts.create_drafts(
        [
            drafts.NewDraft(
                unit,
                fields={"year": 2024, "project_code": f"P-{t}", "project_name": "项"},
                goals=["目标"],
                rows=_rows(table(*"abcdefgh")),
            )
            for t in range(30)
        ],
        by=preparer,
    )
    first = made[0].pk
    assert [counted(d)[1] for d in made] == [made[1].pk] + [first] * 29


def test_the_migration_fills_signatures_and_whom_each_table_repeats(
    transactional_db,
):
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import make_department, make_user

    unit = make_unit(make_department("450", "某局"), "450002", "某单位")
    preparer = make_user("preparer", "preparer", unit)
    first = make_declaration(unit, preparer, project_code="A")
    copy = make_declaration(unit, preparer, project_code="B")
    make_declaration(unit, preparer, project_code="C", rows=table(*"abcd", ""))
    signatures = sorted(IndicatorRow.objects.values_list("pk", "signature"))
    assert (counted(first)[1], counted(copy)[1]) == (copy.pk, first.pk)

    executor = MigrationExecutor(connection)
    executor.migrate([("declarations", "0019_task_leases")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert sorted(IndicatorRow.objects.values_list("pk", "signature")) == signatures
    assert dict(Declaration.objects.values_list("project_code", "repeats")) == {
        "A": copy.pk,
        "B": first.pk,
        "C": None,
    }
