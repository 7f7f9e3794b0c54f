"""A declaration or a book exported as Word and imported again gives back
the same declarations, field for field."""

import pytest

from declarations.models import Declaration, DepartmentGoals, Membership, Status
from declarations.spreadsheet import importing
from declarations.wordfiles import export
from declarations.wordfiles import importing as word_import
from declarations.wordfiles.importing import read_upload
from tests.factories import make_declaration, use_layout

FIELDS = [
    "project_code",
    "project_name",
    "attribute",
    "period",
    "total",
    "fiscal",
    "other",
    "fund_use",
    "spending_plan",
    "income_split",
    "spending_split",
    "duties",
]


def _content(declaration):
    return (
        {name: getattr(declaration, name) for name in FIELDS},
        [g.text for g in declaration.goals.all()],
        [
            (r.level1_id, r.level2_id, r.level3, r.description, r.value, r.basis)
            for r in declaration.indicators.all()
        ],
    )


def _import_again(content, name, user, year):
    """Import into a fresh year, so the copy stands beside the original."""
    read = read_upload(content, name, user=user, year=year)
    plan = importing.analyse(read.rows, user)
    assert not plan.blocking, [str(p) for p in plan.problems]
    word_import.apply(plan, read, user)
    return read


# What each layout prints, and so what its Word file can give back: the
# fields, and the row's (level1, level2, level3, description, value, basis).
PRINTED = {
    "central_full": (
        ["project_name", "attribute", "period", "total", "fiscal", "other"],
        [0, 1, 2, 4],
    ),
    "shanxi": (
        ["project_name", "attribute", "period", "total", "fiscal", "other"],
        [0, 1, 2, 4],
    ),
    "hebei": (
        ["project_code", "project_name", "total", "fiscal", "other", "fund_use"]
        + ["spending_plan"],
        [0, 1, 2, 3, 4, 5],
    ),
    "central": (
        ["project_name", "attribute", "period", "total", "fiscal", "other"],
        [0, 1, 2, 4],
    ),
}


@pytest.mark.parametrize("layout", ["hebei", "central", "central_full", "shanxi"])
def test_a_declaration_comes_back_field_for_field(unit, preparer, layout):
    use_layout(unit, layout)
    original = make_declaration(unit, preparer, other=None)
    _import_again(export.declaration_docx(original), "表.docx", preparer, 2025)
    copy = Declaration.objects.get(year=2025)
    names, cells = PRINTED[layout]
    fields, goals, rows = _content(original)
    copied_fields, copied_goals, copied_rows = _content(copy)
    assert {k: copied_fields[k] for k in names} == {k: fields[k] for k in names}
    assert copied_goals == goals
    assert [[r[i] for i in cells] for r in copied_rows] == [
        [r[i] for i in cells] for r in rows
    ]


def test_a_book_comes_back_with_its_part_one(unit, department, preparer):
    from declarations.services import department as goals_service

    Membership.objects.create(user=preparer, organization=department, role="preparer")
    for code in ["B-1", "B-2", "B-3"]:
        table = make_declaration(
            unit, preparer, project_code=code, project_name=f"项目{code}"
        )
        Declaration.objects.filter(pk=table.pk).update(status=Status.APPROVED)
    goals = goals_service.start_goals(department, year=2024, by=preparer)
    goals_service.save_goals(
        goals.pk,
        expected_version=goals.version,
        by=preparer,
        overall="贯彻落实医疗保障工作的方针政策。",
        items=[("完善医保政策。", "政策文件出台数≥2件"), ("加强基金监管。", "")],
        measures=["规范经办业务。"],
    )
    content = export.book_docx(department, 2024)
    read = _import_again(content, "册.docx", preparer, 2025)
    assert [f.project_name for f in read.word.found] == [
        "项目B-1",
        "项目B-2",
        "项目B-3",
    ]
    for code in ["B-1", "B-2", "B-3"]:
        # The central layout prints no project code: the name tells them apart.
        original = Declaration.objects.get(year=2024, project_name=f"项目{code}")
        copy = Declaration.objects.get(year=2025, project_name=f"项目{code}")
        names, cells = PRINTED["central"]  # the department's layout
        fields, goals, rows = _content(original)
        copied_fields, copied_goals, copied_rows = _content(copy)
        assert {k: copied_fields[k] for k in names} == {k: fields[k] for k in names}
        assert copied_goals == goals
        assert [[r[i] for i in cells] for r in copied_rows] == [
            [r[i] for i in cells] for r in rows
        ]
    copied = DepartmentGoals.objects.get(organization=department, year=2025)
    assert copied.overall == "贯彻落实医疗保障工作的方针政策。"
    assert [(i.goal, i.indicators) for i in copied.items.all()] == [
        ("完善医保政策。", "政策文件出台数≥2件"),
        ("加强基金监管。", ""),
    ]
    assert [m.text for m in copied.measures.all()] == ["规范经办业务。"]


@pytest.mark.parametrize("layout", ["department_wide", "tianjin", "zhejiang"])
def test_a_department_wide_declaration_comes_back(department, preparer, layout):
    from declarations.demo.department import HENGDONG_2021
    from declarations.demo.loading import department_wide_content
    from declarations.services import drafts

    Membership.objects.create(user=preparer, organization=department, role="preparer")
    department.department_wide_layout_id = layout
    department.save()
    original = drafts.create_draft(
        department, by=preparer, **department_wide_content(HENGDONG_2021)
    )
    read = _import_again(export.declaration_docx(original), "整体.docx", preparer, 2025)
    assert [f.kind for f in read.word.found] == ["department_wide"]
    copy = Declaration.objects.get(year=2025)
    for name in ["total", "income_split", "spending_split", "duties"]:
        assert getattr(copy, name) == getattr(original, name), name
    assert _content(copy)[1] == _content(original)[1]  # the goals
    assert [r[2:5:2] for r in _content(copy)[2]] == [
        r[2:5:2] for r in _content(original)[2]
    ]
