"""Word files built to stall or bloat the worker that reads them: each is
answered at once with a message that says what is wrong, and the
recognition of a file runs in the bounded child, never in the worker."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from declarations.models import Declaration
from declarations.spreadsheet.files import ImportFileError
from declarations.wordfiles.recognise import read_book
from scripts import hostile_files


def _preview(client, content, name="绩效信息.docx"):
    return client.post(
        reverse("declaration_import"),
        {"file": SimpleUploadedFile(name, content)},
    )


def _file_error(page) -> str:
    return " ".join(page.context["form"].errors.get("file", []))


@pytest.mark.parametrize(
    "build, said",
    [
        (
            hostile_files.word_tabs,
            "第 1 段文字有 100,000 个字符，超过了 10,000 个的上限",
        ),
        (hostile_files.word_spaces, "这段文字以“部门名称：a…”开头"),
        (hostile_files.word_wide_table, "第 1 个表格第 1 行有 60 列以上"),
        (hostile_files.word_unpacking_text, "52,410,000 个字符"),
        (hostile_files.word_many_tables, "500 个以上的表格"),
    ],
    ids=["tabs", "spaces", "wide table", "50 MB of text", "13,000 tables"],
)
def test_a_hostile_word_file_gets_a_message_and_writes_nothing(
    client, preparer, build, said
):
    client.force_login(preparer)
    page = _preview(client, build())
    assert page.status_code == 200
    assert said in _file_error(page)
    assert "token" not in page.context
    assert not Declaration.objects.exists()


def test_nested_content_controls_are_read_without_recursion(client, preparer):
    client.force_login(preparer)
    page = _preview(client, hostile_files.word_nested_controls(2_000))
    assert page.status_code == 200
    assert "没有找到绩效目标表" in _file_error(page)


def test_a_paragraph_deep_in_content_controls_keeps_its_place():
    content = hostile_files.docx_of(
        [
            "<w:sdt><w:sdtContent>" * 50,
            hostile_files.paragraph_xml("（2024年度）"),
            "</w:sdtContent></w:sdt>" * 50,
        ]
    )
    assert read_book(content).year == 2024


@pytest.mark.parametrize(
    "text",
    [
        "部门名称：a" + " " * 9_980 + "。",  # DEPARTMENT_LINE's lazy name
        "450002" + "秦" + " " * 9_980 + "局",  # UNIT_LINE
        "1、" + "项" * 9_980 + " 绩效目标表 x",  # HEADING
        "\t" * 9_999 + "x",  # the contents' page-number pattern
        "（一）总体目标" + " " * 9_000 + "x\nx",  # part one's sections
    ],
    ids=["department line", "unit line", "heading", "contents line", "part one"],
)
def test_a_line_just_under_the_cap_is_read_within_a_second(settings, text):
    """Patterns that backtracked took the square of a line's length: a line
    of 10,000 characters held the reader for seconds. The child has one."""
    settings.IMPORT_PARSE_SECONDS = 1
    content = hostile_files.docx_of(
        [hostile_files.paragraph_xml("第一部分"), hostile_files.paragraph_xml(text)]
    )
    book = read_book(content)
    assert book.found == []


def test_a_cell_just_under_the_cap_is_read_within_a_second(settings):
    settings.IMPORT_PARSE_SECONDS = 1
    long = "主管部门及代码 " + "1" * 9_000 + "x"
    rows = [["项目名称", "甲"], ["绩效目标", "目标一"], [long, "（1" + " " * 9_000]]
    book = read_book(hostile_files.docx_of([hostile_files.table_xml(rows)]))
    assert book.found[0].fields["project_name"] == "甲"


def test_a_table_past_500_rows_is_refused_with_its_number():
    rows = [["项目名称", "甲"], ["一级指标", "二级指标", "三级指标", "指标值"]]
    rows += [["产出指标", "数量指标", "人数", "1人"]] * 499
    with pytest.raises(ImportFileError, match="第 1 个表格有 500 行以上"):
        read_book(hostile_files.docx_of([hostile_files.table_xml(rows)]))


def test_a_table_split_past_500_rows_is_refused_too():
    rows = [["一级指标", "二级指标", "三级指标", "指标值"]]
    rows += [["产出指标", "数量指标", "人数", "1人"]] * 300
    content = hostile_files.docx_of(
        [
            hostile_files.table_xml([["项目名称", "甲"], *rows]),
            hostile_files.table_xml(rows),
        ]
    )
    with pytest.raises(ImportFileError, match="跨页接续"):
        read_book(content)


def test_a_file_is_recognised_in_the_child_not_in_the_worker(monkeypatch, tmp_path):
    """What recognition costs (50 MB of text grew the worker to 1.4 GB)
    stays in the child, which ends with it."""
    from declarations.wordfiles import recognise

    seen = tmp_path / "pid"
    real = recognise.recognise

    def recording(blocks):
        seen.write_text(str(os.getpid()))
        return real(blocks)

    monkeypatch.setattr(recognise, "recognise", recording)
    content = hostile_files.docx_of([hostile_files.paragraph_xml("（2024年度）")])
    assert recognise.read_book(content).year == 2024
    assert int(seen.read_text()) != os.getpid()


@pytest.mark.parametrize("span", ["²", "9" * 5_000, "-1", "٣"])
def test_a_garbled_span_is_read_as_one_column(span):
    table = (
        "<w:tbl><w:tr>"
        f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>'
        "<w:p><w:r><w:t>项目名称</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>绩效目标</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>目标一</w:t></w:r></w:p></w:tc>"
        "</w:tr></w:tbl>"
    )
    (found,) = read_book(hostile_files.docx_of([table])).found
    assert found.project_name == "甲"
