"""Word (.docx) files of a declaration and of the department book, read
back with python-docx as a bureau pasting them into its 预算公开 document
would see them."""

import io
from decimal import Decimal
from urllib.parse import quote

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from declarations.demo.department import HENGDONG_2021
from declarations.demo.loading import department_wide_content
from declarations.models import (
    Declaration,
    DepartmentGoals,
    GoalItem,
    SafeguardMeasure,
)
from declarations.services import drafts
from declarations.wordfiles import export
from tests.factories import STANDARD_ROWS, make_declaration, use_layout

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _read(data: bytes):
    return docx.Document(io.BytesIO(data))


def _blocks(document) -> list:
    """Paragraphs and tables in document order."""
    body = document.element.body
    return [
        Paragraph(e, document) if e.tag == qn("w:p") else Table(e, document)
        for e in body
        if e.tag in {qn("w:p"), qn("w:tbl")}
    ]


def _tables(document) -> list[Table]:
    return [b for b in _blocks(document) if isinstance(b, Table)]


def _above(document, table_number=0) -> list[str]:
    """The non-empty paragraphs above the table."""
    texts = []
    for block in _blocks(document):
        if isinstance(block, Table):
            if table_number == 0:
                return texts
            table_number -= 1
        elif block.text:
            texts.append(block.text)
    return texts


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _approve(*declarations):
    Declaration.objects.filter(pk__in=[d.pk for d in declarations]).update(
        status="approved", grade="良"
    )


@pytest.fixture
def hebei(unit):
    return use_layout(unit, "hebei")


@pytest.fixture
def declaration(hebei, preparer):
    return make_declaration(
        hebei, preparer, fiscal=Decimal("30.00"), other=Decimal("5.00")
    )


def test_title_unit_line_and_money_unit_stand_above_the_table(declaration):
    document = _read(export.declaration_docx(declaration))
    title, unit_line = _above(document)
    assert title == "医保经办工作经费绩效目标表"
    left, right = unit_line.split("\t")
    assert (left, right) == ("450002秦皇岛市北戴河区医疗保障局", "单位：万元")
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_the_table_holds_the_code_the_amounts_and_every_row_in_order(declaration):
    info, indicators = _tables(_read(export.declaration_docx(declaration)))
    first, budget = _rows(info)[:2]
    assert first[0] == "项目编码" and "450-0101-TEST" in first
    assert {"预算数", "35.00", "其中：财政资金", "30.00", "其他资金", "5.00"} <= set(
        budget
    )
    head, *rows = _rows(indicators)
    assert head == ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"] + [
        "指标值确定依据"
    ]
    assert [(r[2], r[4]) for r in rows] == [(r[2], r[4]) for r in STANDARD_ROWS]
    assert rows[1][4] == "≥90%"  # as written


def test_a_first_level_is_one_merged_cell_over_its_rows(declaration):
    _, indicators = _tables(_read(export.declaration_docx(declaration)))
    output = [indicators.cell(r, 0)._tc for r in range(1, 5)]  # 产出指标
    assert all(tc is output[0] for tc in output)
    assert output[0].vMerge == "restart"
    assert indicators.cell(1, 0).text == "产出指标"
    continued = [indicators.rows[r]._tr.tc_lst[0].vMerge for r in range(2, 5)]
    assert continued == ["continue"] * 3
    assert indicators.cell(5, 0)._tc is not output[0]
    assert indicators.cell(5, 0).text == "效益指标"
    # The use of funds spans the whole width of its row: one cell.
    info = _tables(_read(export.declaration_docx(declaration)))[0]
    fund_use = info.rows[2]._tr.tc_lst
    assert [tc.grid_span for tc in fund_use] == [1, 24]
    assert fund_use[0].vMerge == "continue"  # under 预算规模及资金用途


def test_text_runs_carry_an_east_asian_font_and_headers_are_bold(declaration):
    info, _ = _tables(_read(export.declaration_docx(declaration)))
    run = info.cell(0, 0).paragraphs[0].runs[0]
    assert run.text == "项目编码" and run.bold
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert info.style.name == "Table Grid"


def test_multi_line_text_is_one_paragraph_a_line(hebei, preparer):
    found = make_declaration(hebei, preparer, goals=["确保业务办理", "提高参保率"])
    info, _ = _tables(_read(export.declaration_docx(found)))
    goals = info.rows[5].cells[-1]
    assert [p.text for p in goals.paragraphs] == ["1、确保业务办理", "2、提高参保率"]


def test_characters_xml_cannot_hold_are_dropped(hebei, preparer):
    found = make_declaration(hebei, preparer, fund_use="保障\x01业务\ufffe办理")
    info, _ = _tables(_read(export.declaration_docx(found)))
    assert info.rows[2].cells[-1].text == "保障业务办理"


def test_the_central_layout_exports_its_own_cells(unit, preparer):
    found = make_declaration(use_layout(unit, "central"), preparer)
    document = _read(export.declaration_docx(found))
    assert _above(document) == ["项目支出绩效目标申报表", "（2024年度）"]
    info, indicators = _tables(document)
    labels = {text for row in _rows(info) for text in row}
    assert {"主管部门及代码", "实施单位", "项目属性", "年度资金总额："} <= labels
    assert "目标1：确保医保业务正常办理" in labels
    head, *rows = _rows(indicators)
    assert head == ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"]
    # 绩效指标 is one cell down the left, as on paper.
    assert all(indicators.cell(r, 0)._tc is indicators.cell(0, 0)._tc for r in range(8))
    assert rows[0][2] == "数量指标\n(必填硬性指标)"
    assert rows[0][3] == "指标1：参保人数"
    assert rows[-1][:2] == ["综合评定等级", "优□ 良□ 中□ 差□"]


def _department_wide(department, user):
    return drafts.create_draft(
        department, by=user, **department_wide_content(HENGDONG_2021)
    )


def test_a_department_wide_declaration_exports(department, reviewer):
    found = _department_wide(department, reviewer)
    document = _read(export.declaration_docx(found))
    assert _above(document)[0] == "部门整体支出绩效目标申报表"
    info, indicators = _tables(document)
    labels = {text for row in _rows(info) for text in row}
    assert {"部门名称", "按收入性质分", "按支出性质分", "部门职能职责概述"} <= labels
    assert _rows(indicators)[0][0] == "部门整体支出年度绩效指标"
    assert len(indicators.rows) == 1 + len(HENGDONG_2021["rows"])


@pytest.fixture
def book_year(department, hebei, preparer):
    """Three tables, two approved, and part one."""
    unit = hebei
    first = make_declaration(unit, preparer, project_name="甲项目", project_code="B1")
    make_declaration(unit, preparer, project_name="草稿项目", project_code="B2")
    second = make_declaration(unit, preparer, project_name="乙项目", project_code="B3")
    _approve(first, second)
    goals = DepartmentGoals.objects.create(
        organization=department, year=2024, overall="保障医保基金安全"
    )
    GoalItem.objects.create(goals=goals, goal="提高参保率", indicators="参保率≥95%")
    SafeguardMeasure.objects.create(goals=goals, text="加强组织领导")
    return 2024


def _book(department, year):
    return _read(export.book_docx(department, year))


def test_book_has_a_contents_field_word_updates_on_opening(department, book_year):
    document = _book(department, book_year)
    body = document.element.body.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert "右键单击此处，选择“更新域”生成目录" in body
    update = document.settings.element.find(qn("w:updateFields"))
    assert update.get(qn("w:val")) == "true"


def test_book_prints_part_one(department, book_year):
    texts = [p.text for p in _book(department, book_year).paragraphs]
    start = texts.index("第一部分 部门整体绩效目标")
    assert texts[start : start + 9] == [
        "第一部分 部门整体绩效目标",
        "（一）总体绩效目标：",
        "保障医保基金安全",
        "（二）分项绩效目标：",
        "1. 提高参保率",
        "绩效指标：参保率≥95%",
        "（三）工作保障措施：",
        "1. 加强组织领导",
        "第二部分 预算项目绩效目标",
    ]
    assert texts[0:2] == [department.name, "2024年部门预算绩效信息"]


def test_book_numbers_the_approved_tables_in_its_order(department, book_year):
    document = _book(department, book_year)
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"
    ]
    assert headings == [
        ("Heading 1", "第一部分 部门整体绩效目标"),
        ("Heading 1", "第二部分 预算项目绩效目标"),
        ("Heading 2", "1、甲项目绩效目标表"),
        ("Heading 2", "2、乙项目绩效目标表"),
    ]
    # Under each heading: the unit line and 单位：万元, then its two tables.
    assert _above(document, 2)[-2:] == [
        "2、乙项目绩效目标表",
        "450002秦皇岛市北戴河区医疗保障局\t单位：万元",
    ]
    assert len(_tables(document)) == 4


def test_each_table_of_the_book_begins_a_page(department, book_year):
    document = _book(department, book_year)
    tables = [p for p in document.paragraphs if p.style.name == "Heading 2"]
    assert all(p.paragraph_format.page_break_before for p in tables)


def test_a_landscape_layout_turns_its_pages(department, reviewer):
    department.department_wide_layout_id = "zhejiang"
    department.save()
    found = _department_wide(department, reviewer)
    section = _read(export.declaration_docx(found)).sections[0]
    assert section.page_width > section.page_height


def test_downloads_are_word_files_with_chinese_names(
    client, preparer, reviewer, department, declaration, book_year
):
    client.force_login(preparer)
    one = client.get(reverse("declaration_docx", args=[declaration.pk]))
    assert one.status_code == 200 and one["Content-Type"] == DOCX
    name = quote("2024-450-0101-TEST-医保经办工作经费.docx")
    assert one["Content-Disposition"] == f"attachment; filename*=UTF-8''{name}"
    _read(one.content)
    client.force_login(reviewer)  # the book is the department's
    whole = client.get(reverse("department_book_docx", args=[department.pk, 2024]))
    assert whole.status_code == 200 and whole["Content-Type"] == DOCX
    name = quote(f"2024年部门预算绩效信息-{department.name}.docx")
    assert whole["Content-Disposition"] == f"attachment; filename*=UTF-8''{name}"


def test_foreign_declaration_and_department_give_404(
    client, outsider, declaration, department
):
    client.force_login(outsider)
    assert (
        client.get(reverse("declaration_docx", args=[declaration.pk])).status_code
        == 404
    )
    url = reverse("department_book_docx", args=[department.pk, 2024])
    assert client.get(url).status_code == 404


def test_the_pages_offer_the_word_download(
    client, preparer, reviewer, department, declaration
):
    docx_url = reverse("declaration_docx", args=[declaration.pk])
    client.force_login(preparer)
    assert (
        docx_url
        in client.get(reverse("declaration_detail", args=[declaration.pk])).text
    )
    client.force_login(reviewer)
    assert docx_url in client.get(reverse("review", args=[declaration.pk])).text
    book_url = reverse("department_book_docx", args=[department.pk, 2024])
    assert book_url in client.get(reverse("department_home")).text
