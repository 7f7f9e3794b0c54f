"""Every reference table, built as Word lays it out, imports field for
field; the reference book imports as one department: part one and five
tables."""

from decimal import Decimal

import pytest

from declarations.demo.department import BEIDAIHE_GOALS_2020
from declarations.demo.tables import CENTRAL_2023, HEBEI_2020, full_row
from declarations.models import Declaration, DepartmentGoals, Membership
from declarations.spreadsheet import importing
from declarations.wordfiles import importing as word_import
from declarations.wordfiles.importing import read_upload
from declarations.wordfiles.reading import read_blocks
from declarations.wordfiles.recognise import recognise
from tests.wordfiles.builders import (
    docx_book,
    docx_from_reference,
    docx_from_table,
    reference,
)


def _expected_rows(table):
    return [list(full_row(row)) for row in table["rows"]]


def _found(content):
    book = recognise(read_blocks(content))
    return book, book.found


@pytest.mark.parametrize("table", HEBEI_2020, ids=lambda t: t["project_name"])
@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"split_after_row": 2},
        {"merged_level1": False},
        {"name_in_table": False},
        {"unit_as": "line"},
        {"unit_as": "row"},
        {"spare_rows": 2, "effect_alias": True},
    ],
    ids=[
        "as printed",
        "split",
        "unmerged",
        "name from heading",
        "unit line",
        "unit row",
        "spare and 效果",
    ],
)
def test_each_hebei_reference_table_reads_field_for_field(
    table, variant, unit, preparer
):
    content = docx_from_table(table, layout="hebei", **variant)
    book, (found,) = _found(content)
    assert found.unit_code == "450002"
    assert found.project_name == table["project_name"]
    assert found.fields["project_code"] == table["project_code"]
    for key in ("total", "fiscal", "fund_use"):
        assert found.fields[key] == table[key], key
    assert found.fields.get("other", "") == table.get("other", "")
    assert found.plan == [
        [m, p] for m, p in [[3, "25.00"], [6, "50.00"], [10, "75.00"], [12, "100.00"]]
    ]
    assert found.goals.split("\n") == list(table["goals"])
    expected = _expected_rows(table)
    if variant.get("effect_alias"):
        expected = [
            ["效果指标" if r[0] == "效益指标" else r[0], *r[1:]] for r in expected
        ]
    assert found.rows == expected
    assert book.unplaced == []
    _assert_imported(content, table, preparer, year=2020)  # a table states none


def _assert_imported(content, table, user, year=None):
    """Through the import, into a draft holding every field of the table."""
    read = read_upload(content, "表.docx", user=user, year=year)
    plan = importing.analyse(read.rows, user)
    assert not plan.blocking, [str(p) for p in plan.problems]
    importing.apply(plan, user)
    stored = Declaration.objects.get(project_name=table["project_name"])
    assert stored.project_code == table.get("project_code", "")
    for key in ("total", "fiscal"):
        assert getattr(stored, key) == Decimal(table[key]), key
    if "fund_use" in table:
        assert stored.fund_use == table["fund_use"]
    assert [g.text for g in stored.goals.all()] == table["goals"]
    rows = [
        [r.level1.name, r.level2.name, r.level3, r.description, r.value, r.basis]
        for r in stored.indicators.select_related("level1", "level2")
    ]
    # 效果指标, as the 2020 tables write it, is stored as the level it names.
    assert rows == [
        ["效益指标" if r[0] == "效果指标" else r[0], *r[1:]]
        for r in _expected_rows(table)
    ]


@pytest.mark.parametrize("table", CENTRAL_2023, ids=lambda t: t["project_name"])
@pytest.mark.parametrize(
    "variant",
    [{}, {"split_after_row": 4, "rating_row": True}],
    ids=["as printed", "split"],
)
def test_each_central_reference_table_reads_field_for_field(
    table, variant, unit, preparer
):
    content = docx_from_table(
        table, layout="central", year_line="（2023年度）", **variant
    )
    book, (found,) = _found(content)
    assert book.year == 2023
    assert found.kind == "central"
    assert found.project_name == table["project_name"]
    for key in ("attribute", "period"):
        assert found.fields[key] in {
            table[key],
            {"continuing": "延续性项目"}.get(table[key]),
        }
    assert Decimal(found.fields["total"]) == Decimal(table["total"])
    assert Decimal(found.fields["fiscal"]) == Decimal(table["fiscal"])
    assert found.goals.split("\n") == table["goals"]
    assert [r[:3] + r[4:5] for r in found.rows] == [list(r) for r in table["rows"]]
    assert book.unplaced == []
    _assert_imported(content, table, preparer)


def test_the_reference_book_imports_as_one_department_part_one_and_five_tables(
    unit, department, preparer
):
    Membership.objects.create(user=preparer, organization=department, role="preparer")
    content = docx_from_reference(reference("000"))
    read = read_upload(content, "2020年部门预算绩效信息.docx", user=preparer)
    plan = importing.analyse(read.rows, preparer)
    assert not plan.blocking, [str(p) for p in plan.problems]
    word_import.apply(plan, read, preparer)
    assert list(
        Declaration.objects.order_by("pk").values_list("project_name", flat=True)
    ) == [t["project_name"] for t in HEBEI_2020]
    goals = DepartmentGoals.objects.get(organization=department, year=2020)
    assert [i.goal for i in goals.items.all()] == BEIDAIHE_GOALS_2020["items"]
    assert [m.text for m in goals.measures.all()] == BEIDAIHE_GOALS_2020["measures"]


def test_the_reference_book_reads_as_part_one_and_five_tables():
    book, found = _found(docx_from_reference(reference("000")))
    assert book.year == 2020
    assert [f.project_name for f in found] == [t["project_name"] for t in HEBEI_2020]
    for table, read in zip(HEBEI_2020, found, strict=True):
        assert read.fields["project_code"] == table["project_code"]
        assert read.unit_code == "450002"
        assert [r[2] for r in read.rows] == [r[2] for r in table["rows"]]
    part = book.part_one
    assert part.overall == [BEIDAIHE_GOALS_2020["overall"]]
    assert part.items == BEIDAIHE_GOALS_2020["items"]
    assert part.measures == BEIDAIHE_GOALS_2020["measures"]


def test_a_built_book_of_every_table_reads_in_order():
    content = docx_book(HEBEI_2020, part_one=BEIDAIHE_GOALS_2020)
    book, found = _found(content)
    assert [f.project_name for f in found] == [t["project_name"] for t in HEBEI_2020]
    assert book.part_one.items == BEIDAIHE_GOALS_2020["items"]
    assert book.unplaced == []
