"""At a Word file's preview the user ticks the tables to import: a table with
a problem that blocks it, or of a unit the user may not import into, starts
unticked; the confirm imports the ticked tables all or nothing, in the
request or in the background."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from declarations.demo.department import BEIDAIHE_GOALS_2020
from declarations.demo.tables import CENTRAL_2023, HEBEI_2020
from declarations.models import Declaration, DepartmentGoals, ImportJob, Membership
from declarations.services import imports
from declarations.wordfiles import choice as word_choice
from declarations.wordfiles import importing as word_import
from declarations.wordfiles.choice import RECHECKED, STILL_BLOCKED
from declarations.wordfiles.found import RowKind, Skipped
from tests.factories import make_declaration
from tests.wordfiles.builders import DEFAULT_UNIT_LINE, docx_book, docx_from_table

TABLES = HEBEI_2020[:3]
NAMES = [t["project_name"] for t in TABLES]


def _broken(table: dict) -> dict:
    """The table with a 二级指标 that its 一级指标 does not have, in its
    second indicator row: a problem that blocks it."""
    rows = list(table["rows"])
    rows[1] = (rows[1][0], "时间指标", *rows[1][2:])
    return {**table, "rows": rows}


def _book(tables=TABLES, *, part_one=None, unit_lines=None) -> bytes:
    """A book of the tables; `unit_lines` gives some tables (by their
    number) another unit line."""
    content = docx_book(list(tables), part_one=part_one)
    if not unit_lines:
        return content
    document = Document(io.BytesIO(content))
    lines = [p for p in document.paragraphs if p.text == DEFAULT_UNIT_LINE]
    for number, line in unit_lines.items():
        lines[number - 1].text = line
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _preview(client, content, name="2020年部门预算绩效信息.docx"):
    return client.post(
        reverse("declaration_import"), {"file": SimpleUploadedFile(name, content)}
    )


def _confirm(client, preview, tables, **data):
    """The confirm of the preview's page with `tables` ticked."""
    return client.post(
        reverse("declaration_import_confirm"),
        {"token": preview.context["token"], "choice": "1", "table": tables, **data},
    )


def _stored_names():
    return set(Declaration.objects.values_list("project_name", flat=True))


def test_every_clean_table_starts_ticked_and_one_left_out_is_not_imported(
    client, unit, preparer
):
    client.force_login(preparer)
    preview = _preview(client, _book())
    assert preview.context["choice"].ticked == {1, 2, 3}
    page = preview.content.decode()
    assert page.count('name="table"') == 3 and "按所选表格重新检查" in page
    done = _confirm(client, preview, [1, 3])
    assert done.status_code == 302
    assert _stored_names() == {NAMES[0], NAMES[2]}
    assert "未勾选的 1 张表格没有导入" in client.get(done.url).content.decode()


def test_a_table_with_a_blocking_problem_starts_unticked_and_the_others_import(
    client, unit, preparer
):
    client.force_login(preparer)
    preview = _preview(client, _book([TABLES[0], _broken(TABLES[1]), TABLES[2]]))
    choice = preview.context["choice"]
    assert choice.ticked == {1, 3}
    assert [t.blocking for t in choice.tables] == [0, 1, 0]
    page = preview.content.decode()
    assert "确认导入勾选的表格" in page and 'data-testid="blocked"' not in page
    assert "1 张表格有必须先在文件中改正的问题" in page
    # The problem names the table, its project, the indicator and the field.
    (listed,) = [p for p in choice.problems if p.problem.blocking]
    assert (listed.place, listed.name, listed.field) == (
        "第 2 个表格第 2 条指标",
        NAMES[1],
        "二级指标",
    )
    assert "第 2 个表格第 2 条指标" in page and "二级指标“时间指标”不属于" in page
    _confirm(client, preview, [1, 3])
    assert _stored_names() == {NAMES[0], NAMES[2]}


def test_a_ticked_table_with_a_problem_imports_nothing_and_keeps_the_choice(
    client, unit, preparer
):
    client.force_login(preparer)
    preview = _preview(client, _book([TABLES[0], _broken(TABLES[1]), TABLES[2]]))
    again = _confirm(client, preview, [1, 2, 3])
    assert again.status_code == 200
    assert "勾选的第 2 个表格还有必须先改正的问题" in again.content.decode()
    assert again.context["choice"].ticked == {1, 2, 3}
    assert not Declaration.objects.exists()
    _confirm(client, again, [1, 3])  # the same upload, another choice
    assert _stored_names() == {NAMES[0], NAMES[2]}


def test_a_table_that_blocks_only_at_the_confirm_shows_the_preview_again(
    client, unit, preparer
):
    """Approved since the preview: the file can no longer change it."""
    client.force_login(preparer)
    preview = _preview(client, _book())
    approved = make_declaration(
        unit, year=2020, project_code=TABLES[0]["project_code"], project_name=NAMES[0]
    )
    Declaration.objects.filter(pk=approved.pk).update(status="approved")
    again = _confirm(client, preview, [1, 2, 3])
    assert again.context["choice_message"] == STILL_BLOCKED
    assert again.context["choice"].ticked == {1, 2, 3}
    assert [t.blocking for t in again.context["choice"].tables] == [1, 0, 0]
    assert _stored_names() == {NAMES[0]}


def test_nothing_ticked_imports_nothing_and_says_so(client, unit, preparer):
    client.force_login(preparer)
    again = _confirm(client, _preview(client, _book()), [])
    assert "没有勾选任何表格" in again.content.decode()
    assert again.context["choice"].ticked == set()
    assert not Declaration.objects.exists()


def test_a_confirm_that_posts_no_choice_imports_what_the_preview_ticked(
    client, unit, preparer
):
    client.force_login(preparer)
    preview = _preview(client, _book([TABLES[0], _broken(TABLES[1]), TABLES[2]]))
    client.post(
        reverse("declaration_import_confirm"), {"token": preview.context["token"]}
    )
    assert _stored_names() == {NAMES[0], NAMES[2]}


def test_checking_again_counts_the_ticked_tables_and_writes_nothing(
    client, unit, preparer
):
    client.force_login(preparer)
    again = _confirm(client, _preview(client, _book()), [2], recheck="1")
    assert again.context["choice_message"] == RECHECKED
    choice = again.context["choice"]
    assert (choice.ticked, choice.count_create) == ({2}, 1)
    assert "按勾选的 1 张表格：将新建 <strong>1</strong> 份" in again.content.decode()
    assert not Declaration.objects.exists()


def test_rows_keep_their_tables_when_a_table_before_them_is_left_out(unit, preparer):
    content = _book([TABLES[0], TABLES[1], _broken(TABLES[2])])
    read, plan = imports.analyse_upload(
        content, "书.docx", user=preparer, leave_out=frozenset({1})
    )
    assert [f.number for f in read.word.found] == [2, 3]
    (problem,) = plan.blocking
    place = read.places[problem.row]
    assert (place.table, place.indicator, place.name) == (3, 2, NAMES[2])


def test_a_table_of_another_unit_is_flagged_with_both_names_and_starts_unticked(
    client, unit, preparer, other_unit
):
    client.force_login(preparer)
    content = _book(unit_lines={3: "430424001衡东县医疗保障局"})
    preview = _preview(client, content)
    choice = preview.context["choice"]
    assert choice.ticked == {1, 2}
    foreign = choice.tables[2].foreign
    assert "文件中的单位：430424001 衡东县医疗保障局" in foreign
    assert "可导入的单位：450002 秦皇岛市北戴河区医疗保障局" in foreign
    assert [t.foreign for t in choice.tables[:2]] == ["", ""]
    blocking = {(p.place, p.field) for p in choice.problems if p.problem.blocking}
    assert blocking == {("第 3 个表格", "单位")}
    assert "不是您可导入的单位" in preview.content.decode()


def test_a_table_of_another_department_may_be_ticked_into_the_users_unit(
    client, unit, preparer
):
    """Its unit line is the user's, its 主管部门 another's: flagged and
    unticked, yet nothing blocks it once the user ticks it."""
    table = {
        **CENTRAL_2023[0],
        "department": "衡东县医疗保障局",
        "implementing_unit": "秦皇岛市北戴河区医疗保障局",
    }
    client.force_login(preparer)
    content = docx_from_table(table, layout="central", year_line="（2023年度）")
    preview = _preview(client, content, "表.docx")
    (offered,) = preview.context["choice"].tables
    assert not offered.ticked and not offered.blocking
    assert "文件中的主管部门：衡东县医疗保障局" in offered.foreign
    assert "可导入单位所属的主管部门：450 秦皇岛市北戴河区医疗保障局" in offered.foreign
    _confirm(client, preview, [1])
    assert Declaration.objects.get().organization == unit


def test_part_one_is_written_only_when_ticked(client, unit, department, preparer):
    Membership.objects.create(user=preparer, organization=department, role="preparer")
    client.force_login(preparer)
    content = _book(part_one=BEIDAIHE_GOALS_2020)
    preview = _preview(client, content)
    assert preview.context["choice"].ticked == {0, 1, 2, 3}
    _confirm(client, preview, [1, 2, 3])
    assert Declaration.objects.count() == 3
    assert not DepartmentGoals.objects.exists()
    preview = _preview(client, content)
    _confirm(client, preview, [0, 1])
    assert DepartmentGoals.objects.get(year=2020).items.count() == len(
        BEIDAIHE_GOALS_2020["items"]
    )


def test_a_background_import_leaves_out_the_same_tables(
    client, unit, preparer, settings
):
    settings.IMPORT_IN_REQUEST_MAX = 1
    client.force_login(preparer)
    preview = _preview(client, _book())
    answer = _confirm(client, preview, [1, 3])
    job = ImportJob.objects.get()
    assert answer.url == reverse("import_job", args=[job.pk])
    assert (job.left_out, job.declarations) == ([2], 2)
    page = client.get(answer.url).content.decode()
    assert "预览时没有勾选、不导入的：第 2 个表格。" in page
    imports.confirm_import.call(job.pk)  # what the worker runs, on commit
    assert _stored_names() == {NAMES[0], NAMES[2]}


def test_tables_that_are_not_performance_tables_and_row_classes_are_listed(
    client, unit, preparer, monkeypatch
):
    """What the recognition says of the file, whatever finds it."""
    read_book = word_import.read_book

    def with_more(content):
        book = read_book(content)
        book.skipped = [Skipped(4, "机构名称 人员编制 实有人数")]
        book.found[0].row_kinds = [
            RowKind(9, "head", "一级指标 二级指标 三级指标"),
            RowKind(10, "indicator", "产出指标 质量指标 优良率"),
            RowKind(13, "note", "注：指标值依据年度工作计划"),
        ]
        return book

    monkeypatch.setattr(word_import, "read_book", with_more)
    client.force_login(preparer)
    page = _preview(client, _book()).content.decode()
    assert "机构名称 人员编制 实有人数" in page and "不是绩效目标表，未导入" in page
    assert 'data-testid="row-kinds-1"' in page
    assert '第 13 行</td><td class="text-nowrap">说明（并入指标值确定依据）' in page


def test_a_book_of_many_rows_lists_the_classes_of_the_first_only(
    client, unit, preparer, monkeypatch
):
    read_book = word_import.read_book

    def with_kinds(content):
        book = read_book(content)
        for found in book.found:
            found.row_kinds = [RowKind(r, "indicator", "…") for r in (8, 9, 10)]
        return book

    monkeypatch.setattr(word_import, "read_book", with_kinds)
    monkeypatch.setattr(word_choice, "ROW_KINDS_LISTED", 4)
    client.force_login(preparer)
    page = _preview(client, _book()).content.decode()
    assert page.count("第 10 行</td>") == 1 and "只列出前 1 行，共 3 行" in page
    assert "第 3 个表格各行的识别结果不再列出" in page
