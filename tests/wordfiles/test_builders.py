"""The Word files of the import's tests open in python-docx and hold what
their builders say: merged cells where Word merges them, a paragraph per goal,
split tables, the lines above a table, and every text of a reference file in
its order."""

import io
import re
import zipfile

import pytest
from docx import Document
from docx.table import Table

from declarations.demo.department import BEIDAIHE_GOALS_2020
from declarations.demo.tables import CENTRAL_2023, HEBEI_2020, HEBEI_PLAN, full_row
from tests.wordfiles.builders import (
    OLE_SIGNATURE,
    PART_ONE,
    PART_TWO,
    doc_bytes,
    docx_book,
    docx_from_reference,
    docx_from_table,
    reference,
)

SHAPOTOU_LINE = "640502001中卫市沙坡头区医疗保障局"
# A Hebei table with many rows under one 一级指标: 产出指标 over nine rows,
# 数量指标 over the first three.
LONG_HEBEI = {**HEBEI_2020[0], "rows": [full_row(r) for r in CENTRAL_2023[0]["rows"]]}
HEBEI_COLUMNS = (0, 1, 2, 3, 5, 6)  # 描述 spans grid columns 3 and 4
CENTRAL_COLUMNS = (1, 2, 3, 4)


def _open(content: bytes):
    return Document(io.BytesIO(content))


def _row(table: Table, first_text: str) -> int:
    """The first row whose first cell reads `first_text`."""
    for r, row in enumerate(table.rows):
        if row.cells[0].text == first_text:
            return r
    raise AssertionError(f"no row starts with {first_text}")


def _cells(table: Table, r: int) -> list:
    """A row's cells, a merged cell once."""
    cells = []
    for cell in table.rows[r].cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return cells


def _page_break(paragraph) -> bool:
    return bool(paragraph._p.xpath(".//w:br[@w:type='page']"))


def _bookmarks(paragraph) -> list[str]:
    return [
        mark.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name")
        for mark in paragraph._p.xpath("./w:bookmarkStart")
    ]


def _vmerge(table: Table, r: int, c: int) -> str | None:
    """The w:vMerge of the w:tc that covers grid column `c` of row `r`."""
    return table._tbl.tr_lst[r].tc_at_grid_offset(c).vMerge


def _indicators(table: Table, header: int, columns) -> list[tuple]:
    return [
        tuple(table.cell(r, c).text for c in columns)
        for r in range(header + 1, len(table.rows))
    ]


def _is_grid(table: Table) -> bool:
    width = len(table.columns)
    return all(len(row.cells) == width for row in table.rows)


# --------------------------------------------------------------------------
# docx_from_table, Hebei


def test_the_first_level_is_one_merged_cell_over_the_rows_that_share_it():
    table = _open(docx_from_table(LONG_HEBEI)).tables[0]
    r = _row(table, "一级指标") + 1
    assert table.cell(r, 0)._tc is table.cell(r + 1, 0)._tc is table.cell(r + 2, 0)._tc
    assert all(table.cell(r + i, 0)._tc is table.cell(r, 0)._tc for i in range(9))
    assert table.cell(r + 9, 0)._tc is not table.cell(r, 0)._tc
    assert (table.cell(r, 0).text, table.cell(r + 9, 0).text) == (
        "产出指标",
        "效益指标",
    )
    # As Word writes it: a first cell that restarts, cells below that continue.
    assert _vmerge(table, r, 0) == "restart"
    assert _vmerge(table, r + 1, 0) == "continue"
    # 二级指标 merged within it: 数量指标 over three rows, then 质量指标.
    assert table.cell(r, 1)._tc is table.cell(r + 2, 1)._tc
    assert table.cell(r + 3, 1)._tc is not table.cell(r + 2, 1)._tc
    assert table.cell(r + 3, 1).text == "质量指标"
    assert _is_grid(table)


def test_without_merging_each_row_has_its_own_first_level_cell():
    table = _open(docx_from_table(LONG_HEBEI, merged_level1=False)).tables[0]
    r = _row(table, "一级指标") + 1
    assert table.cell(r, 0)._tc is not table.cell(r + 1, 0)._tc
    assert table.cell(r, 1)._tc is not table.cell(r + 1, 1)._tc
    assert [table.cell(r + i, 0).text for i in range(3)] == ["产出指标"] * 3
    rows = table._tbl.tr_lst[r:]
    assert all(tc.vMerge is None for tr in rows for tc in tr.tc_lst)


@pytest.mark.parametrize("number", range(len(HEBEI_2020)))
def test_a_hebei_table_holds_every_field_of_its_dict(number):
    declared = HEBEI_2020[number]
    table = _open(docx_from_table(declared)).tables[0]
    assert [c.text for c in _cells(table, 0)] == [
        "项目编码",
        declared["project_code"],
        "项目名称",
        declared["project_name"],
    ]
    budget = _row(table, "预算规模及资金用途")
    assert [c.text for c in _cells(table, budget)] == [
        "预算规模及资金用途",
        "预算数",
        declared["total"],
        "其中：财政资金",
        declared["fiscal"],
        "其他资金",
        "",
    ]
    months = _row(table, "资金支出计划（%）")
    assert [c.text for c in _cells(table, months)][1:] == [
        f"{m}月底" for m, _ in HEBEI_PLAN
    ]
    assert [c.text for c in _cells(table, months + 1)][1:] == [v for _, v in HEBEI_PLAN]
    header = _row(table, "一级指标")
    assert [c.text for c in _cells(table, header)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "绩效指标描述",
        "指标值",
        "指标值确定依据",
    ]
    # python-docx gives a merged cell's text in every row it covers.
    assert _indicators(table, header, HEBEI_COLUMNS) == declared["rows"]


def test_the_budget_labels_are_merged_over_their_two_rows_and_goals_are_paragraphs():
    table = _open(docx_from_table(HEBEI_2020[0])).tables[0]
    budget = _row(table, "预算规模及资金用途")
    assert table.cell(budget, 0)._tc is table.cell(budget + 1, 0)._tc
    assert table.cell(budget + 2, 0)._tc is not table.cell(budget + 1, 0)._tc
    # The fund use spans the six columns beside the label.
    use = table.cell(budget + 1, 1)
    assert use.text == "财务外聘人员工作经费"
    assert use._tc is table.cell(budget + 1, 6)._tc and use._tc.grid_span == 6
    months = _row(table, "资金支出计划（%）")
    assert table.cell(months, 0)._tc is table.cell(months + 1, 0)._tc
    goals = table.cell(_row(table, "绩效目标"), 1)
    assert [p.text for p in goals.paragraphs] == [
        "1、保障财务外聘人员工作顺利进行",
        "2、保障财务外聘人员工作经费",
    ]


def test_the_heading_year_line_and_unit_line_stand_above_the_table():
    document = _open(docx_from_table(HEBEI_2020[0], year_line="（2020年度）"))
    blocks = list(document.iter_inner_content())
    assert isinstance(blocks[4], Table)
    above = blocks[:4]
    assert [p.text for p in above] == [
        "1、财务外聘人员工作经费绩效目标表",
        "（2020年度）",
        "450002秦皇岛市北戴河区医疗保障局",
        "单位：万元",
    ]
    assert above[0].style.name == "Heading 2"
    assert _bookmarks(above[0]) == ["_Toc41056480"]


def test_the_unit_line_can_share_a_line_or_open_the_table():
    line = _open(docx_from_table(HEBEI_2020[0], unit_as="line"))
    assert line.paragraphs[1].text == "450002秦皇岛市北戴河区医疗保障局\t单位：万元"
    row = _open(docx_from_table(HEBEI_2020[0], unit_as="row")).tables[0]
    assert [c.text for c in _cells(row, 0)] == [
        "450002秦皇岛市北戴河区医疗保障局",
        "单位：万元",
    ]
    assert [c.text for c in _cells(row, 1)][0] == "项目编码"


def test_a_table_without_a_name_leaves_it_to_the_heading():
    document = _open(
        docx_from_table(
            HEBEI_2020[1],
            heading="2.城乡居民医疗保险专项业务费绩效目标表",
            name_in_table=False,
        )
    )
    assert document.paragraphs[0].text == "2.城乡居民医疗保险专项业务费绩效目标表"
    table = document.tables[0]
    assert [c.text for c in _cells(table, 0)] == ["项目编码", "450-0104-JBN-5ZL1"]
    assert "项目名称" not in {c.text for row in table.rows for c in row.cells}


def test_a_split_table_is_two_tables_with_a_page_break_between():
    declared = HEBEI_2020[2]  # 产出指标 and 数量指标 over its first two rows
    document = _open(docx_from_table(declared, split_after_row=1))
    blocks = list(document.iter_inner_content())
    first, second = document.tables
    at = [i for i, b in enumerate(blocks) if isinstance(b, Table)]
    assert at[1] == at[0] + 2 and _page_break(blocks[at[0] + 1])
    assert _indicators(first, _row(first, "一级指标"), HEBEI_COLUMNS) == [
        declared["rows"][0]
    ]
    # No header in the second part, and the merges that the page break cut
    # leave their text above it: 产出指标 and 数量指标 are empty here.
    assert len(second.rows) == 3 and "一级指标" not in second.rows[0].cells[0].text
    assert [second.cell(0, c).text for c in HEBEI_COLUMNS] == [
        "",
        "",
        *declared["rows"][1][2:],
    ]
    assert _indicators(second, -1, HEBEI_COLUMNS)[1:] == declared["rows"][2:]
    assert len(second.columns) == len(first.columns) and _is_grid(second)

    second = _open(docx_from_table(declared, split_after_row=2)).tables[1]
    assert second.cell(0, 0).text == "效果指标"


def test_spare_rows_are_empty_and_come_last():
    declared = HEBEI_2020[0]
    table = _open(docx_from_table(declared, spare_rows=2)).tables[0]
    assert [c.text for c in table.rows[-3].cells][:3] == list(declared["rows"][-1][:3])
    for row in table.rows[-2:]:
        assert all(cell.text == "" for cell in row.cells)
    assert _is_grid(table)


def test_effect_alias_writes_the_old_name_of_the_benefit_indicators():
    document = _open(docx_from_table(LONG_HEBEI, effect_alias=True))
    texts = [c.text for row in document.tables[0].rows for c in row.cells]
    assert "效果指标" in texts and "效益指标" not in texts
    plain = _open(docx_from_table(LONG_HEBEI))
    assert "效果指标" not in [c.text for row in plain.tables[0].rows for c in row.cells]


# --------------------------------------------------------------------------
# docx_from_table, central


@pytest.mark.parametrize("number", range(len(CENTRAL_2023)))
def test_a_central_table_is_laid_out_as_the_central_form(number):
    declared = CENTRAL_2023[number]
    document = _open(
        docx_from_table(
            declared,
            layout="central",
            unit_line=SHAPOTOU_LINE,
            heading="部门项目支出预算绩效目标申报表",
            year_line="（2023年度）",
        )
    )
    assert [p.text for p in document.paragraphs[:2]] == [
        "部门项目支出预算绩效目标申报表",
        "（2023年度）",
    ]
    (table,) = document.tables
    texts = [[c.text for c in _cells(table, r)] for r in range(7)]
    assert texts == [
        ["项目名称", declared["project_name"]],
        [
            "主管部门及代码",
            "中卫市沙坡头区医疗保障局",
            "实施单位",
            "中卫市沙坡头区医疗保障局",
        ],
        ["项目属性", "延续性项目", "项目期", "1年期"],
        ["项目资金（万元）", "年度资金总额：", declared["total"]],
        ["项目资金（万元）", "其中：财政拨款", declared["fiscal"]],
        ["项目资金（万元）", "其他资金", ""],
        [
            "年度总体目标",
            "\n".join(f"目标{n}：{g}" for n, g in enumerate(declared["goals"], 1)),
        ],
    ]
    assert table.cell(3, 0)._tc is table.cell(5, 0)._tc
    assert len(table.cell(6, 1).paragraphs) == len(declared["goals"])
    header = _row(table, "绩效指标")
    assert [c.text for c in _cells(table, header)] == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
    ]
    # 绩效指标 down the whole block, 一级指标 down the rows that share it.
    last = len(table.rows) - 1
    assert table.cell(header, 0)._tc is table.cell(last, 0)._tc
    assert table.cell(header + 1, 1)._tc is table.cell(header + 2, 1)._tc
    assert _indicators(table, header, CENTRAL_COLUMNS) == declared["rows"]
    assert _is_grid(table)


def test_a_split_central_table_starts_its_frame_again_and_ends_with_the_rating():
    declared = CENTRAL_2023[1]
    document = _open(
        docx_from_table(
            declared,
            layout="central",
            unit_line=SHAPOTOU_LINE,
            split_after_row=4,
            spare_rows=1,
            rating_row=True,
        )
    )
    first, second = document.tables
    header = _row(first, "绩效指标")
    assert len(first.rows) == header + 1 + 4
    # rows, one spare row, the rating row
    assert len(second.rows) == len(declared["rows"]) - 4 + 2
    assert (
        second.cell(0, 0).text == "" and second.cell(0, 0)._tc is second.cell(-2, 0)._tc
    )
    assert [c.text for c in _cells(second, len(second.rows) - 1)] == [
        "综合评定等级",
        "优□ 良□ 中□ 差□",
    ]
    assert [second.cell(-2, c).text for c in CENTRAL_COLUMNS] == ["", "", "", ""]
    # 质量指标 continues from the first part: its cell here is empty.
    assert [second.cell(0, c).text for c in CENTRAL_COLUMNS] == [
        "",
        "",
        *declared["rows"][4][2:],
    ]


# --------------------------------------------------------------------------
# docx_book


def _headings(document, style):
    return [p.text for p in document.paragraphs if p.style.name == style]


def _tables_under_headings(document) -> list[str]:
    """For each table, the Heading 2 it stands under."""
    under, heading = [], None
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            under.append(heading)
        elif block.style.name == "Heading 2":
            heading = block.text
    return under


def test_a_book_holds_part_one_and_then_every_table_under_its_heading():
    document = _open(docx_book(HEBEI_2020, part_one=BEIDAIHE_GOALS_2020))
    paragraphs = document.paragraphs
    assert (paragraphs[0].text, paragraphs[0].style.name) == (
        "2020年部门预算绩效信息",
        "Title",
    )
    assert _headings(document, "Heading 1") == [PART_ONE, PART_TWO]
    texts = [p.text for p in paragraphs]
    start, end = texts.index(PART_ONE), texts.index(PART_TWO)
    goals = BEIDAIHE_GOALS_2020
    assert [t for t in texts[start + 1 : end] if t] == [
        "（一）总体绩效目标：",
        goals["overall"],
        "（二）分项绩效目标：",
        *goals["items"],
        "（三）工作保障措施：",
        *goals["measures"],
    ]
    assert _page_break(paragraphs[end - 1])
    headings = [
        f"{n}、{t['project_name']}绩效目标表" for n, t in enumerate(HEBEI_2020, 1)
    ]
    assert _headings(document, "Heading 2") == headings
    assert _tables_under_headings(document) == headings
    for table, declared in zip(document.tables, HEBEI_2020, strict=True):
        header = _row(table, "一级指标")
        assert _indicators(table, header, HEBEI_COLUMNS) == declared["rows"]


def test_a_book_passes_its_options_to_every_table():
    document = _open(
        docx_book(
            CENTRAL_2023,
            part_one=None,
            year_title="2023年部门预算绩效信息",
            layout="central",
            unit_line=SHAPOTOU_LINE,
            split_after_row=1,
        )
    )
    assert _headings(document, "Heading 1") == [PART_TWO]
    assert len(document.tables) == 4
    assert _tables_under_headings(document) == [
        f"{n}、{t['project_name']}绩效目标表"
        for n, t in enumerate(CENTRAL_2023, 1)
        for _ in (1, 2)
    ]
    with pytest.raises(TypeError):
        docx_book(HEBEI_2020, part_one=None, heading="一")


# --------------------------------------------------------------------------
# docx_from_reference


def _txt_texts(path) -> list[str]:
    """The texts of a reference file in order, each cell's and each line's:
    tabs and the `<p>` marks part them; bookmarks are no text."""
    texts = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        line = re.sub(r"^\[bookmark: [^\]]*\]", "", line)
        line = line.replace('<input type="checkbox"/>', "□")
        texts += [t.strip() for t in re.split(r"\t|</?p>", line) if t.strip()]
    return texts


def _docx_texts(content: bytes) -> list[str]:
    """The texts of a document in order, as python-docx reads its body:
    paragraphs, and tables row by row, a merged cell once."""
    texts = []

    def add(text):
        texts.extend(t.strip() for t in text.split("\t") if t.strip())

    for block in _open(content).iter_inner_content():
        if isinstance(block, Table):
            seen = set()
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        for paragraph in cell.paragraphs:
                            add(paragraph.text)
        else:
            add(block.text)
    return texts


@pytest.mark.parametrize("prefix", ["000", "002", "003"])
def test_every_text_of_a_reference_file_is_in_its_document_in_order(prefix):
    path = reference(prefix)
    content = docx_from_reference(path)
    assert _docx_texts(content) == _txt_texts(path)
    assert all(_is_grid(table) for table in _open(content).tables)


def test_the_reference_unit_line_can_open_the_table_or_share_a_line():
    path = reference("000")
    unit = ["450002秦皇岛市北戴河区医疗保障局", "单位：万元"]
    row = _open(docx_from_reference(path, unit_as="row"))
    assert [c.text for c in _cells(row.tables[0], 0)] == unit
    assert _cells(row.tables[0], 0)[0]._tc.grid_span == 6
    assert _docx_texts(docx_from_reference(path, unit_as="row")) == _txt_texts(path)
    line = _open(docx_from_reference(path, unit_as="line"))
    assert "\t".join(unit) in [p.text for p in line.paragraphs]


def test_the_reference_book_is_part_one_then_five_tables_one_of_them_split():
    document = _open(docx_from_reference(reference("000")))
    assert _headings(document, "Heading 1") == [
        "第一部分 部门整体绩效目标",
        "第二部分  预算项目绩效目标",
    ]
    headings = [
        f"{n}、{t['project_name']}绩效目标表" for n, t in enumerate(HEBEI_2020, 1)
    ]
    assert _headings(document, "Heading 2") == headings
    heading_paragraphs = [p for p in document.paragraphs if p.style.name == "Heading 2"]
    assert [_bookmarks(p) for p in heading_paragraphs] == [
        [f"_Toc{41056480 + n}"] for n in range(5)
    ]
    # The first table was split after its goals: two Word tables, one grid.
    assert _tables_under_headings(document) == [headings[0], *headings]
    first, rest = document.tables[0], document.tables[1]
    assert len(first.columns) == len(rest.columns) == 7
    assert _row(rest, "一级指标") == 0

    texts = [p.text for p in document.paragraphs]
    part_one = texts[
        texts.index("第一部分 部门整体绩效目标") : texts.index(headings[0])
    ]
    goals = BEIDAIHE_GOALS_2020
    for text in [goals["overall"], *goals["items"], *goals["measures"]]:
        assert text in part_one
    # Above each table, after its heading, the unit line and 单位：万元.
    for heading in headings:
        at = texts.index(heading)
        assert texts[at + 1 : at + 3] == [
            "450002秦皇岛市北戴河区医疗保障局",
            "单位：万元",
        ]


def test_the_reference_book_merges_the_labels_and_first_levels_down():
    document = _open(docx_from_reference(reference("000")))
    first, rest = document.tables[:2]
    budget = _row(first, "预算规模及资金用途")
    assert first.cell(budget, 0)._tc is first.cell(budget + 1, 0)._tc
    assert [c.text for c in _cells(first, budget + 1)] == [
        "预算规模及资金用途",
        "财务外聘人员工作经费",
    ]
    months = _row(first, "资金支出计划（%）")
    assert first.cell(months, 0)._tc is first.cell(months + 1, 0)._tc
    goals = first.cell(_row(first, "绩效目标"), 1)
    assert [p.text for p in goals.paragraphs] == [
        "1、保障财务外聘人员工作顺利进行",
        "2、保障财务外聘人员工作经费",
    ]
    assert rest.cell(1, 0)._tc is rest.cell(2, 0)._tc
    assert rest.cell(3, 0)._tc is not rest.cell(2, 0)._tc
    # 计划生育…: 产出指标 merged, its 数量指标 twice as two cells, as written.
    third = document.tables[3]
    r = _row(third, "一级指标") + 1
    assert third.cell(r, 0)._tc is third.cell(r + 1, 0)._tc
    assert third.cell(r, 1)._tc is not third.cell(r + 1, 1)._tc
    assert third.cell(r + 1, 1).text == "数量指标"
    description = _cells(third, r + 2)[3]
    assert [p.text for p in description.paragraphs] == ["城乡居民医疗保险参", "保率"]


def _as_transcribed(text: str) -> str:
    """A cell as demo/tables.py transcribed it: without the empty paragraphs
    that end some cells, nor the quotes that an Excel paste left around
    `"人事代理工作完成率¶"`."""
    return text.strip().strip('"').strip()


def test_the_reference_tables_hold_the_transcribed_rows():
    document = _open(docx_from_reference(reference("000")))
    tables = [document.tables[1], *document.tables[2:]]
    for table, declared in zip(tables, HEBEI_2020, strict=True):
        header = _row(table, "一级指标")
        rows = [
            tuple(_as_transcribed(c.text) for c in _cells(table, r))
            for r in range(header + 1, len(table.rows))
        ]
        assert rows == declared["rows"]
    # What the import meets as written: trailing empty paragraphs and quotes.
    fifth = document.tables[5]
    basis = _cells(fifth, _row(fifth, "一级指标") + 1)[5]
    assert [p.text for p in basis.paragraphs] == ['"人事代理工作完成率', '"', ""]


def test_the_central_reference_keeps_its_five_columns_and_paragraphs():
    document = _open(docx_from_reference(reference("002")))
    first, second = document.tables
    assert len(first.columns) == len(second.columns) == 5
    money = _row(first, "项目资金 (万元)")
    assert first.cell(money, 0)._tc is first.cell(money + 2, 0)._tc
    header = _row(first, "绩效指标")
    assert first.cell(header, 0)._tc is first.cell(header + 14, 0)._tc
    assert first.cell(header + 15, 0).text == "满意度指标"
    goals = first.cell(_row(first, "年度总体目标"), 1).paragraphs
    assert [p.text[:3] for p in goals] == ["目标1", "目标2", "目标3", "目标4"]
    assert first.cell(len(first.rows) - 1, 2).text == "优□ 良□ 中□ 差□"
    assert "优 □ 良 □ 中 □ 差 □" in [c.text for c in second.rows[-1].cells]
    assert [p.text for p in document.paragraphs if "年度" in p.text] == [
        "(2023 年度)",
        "（ 2023年度）",
    ]


def test_the_department_reference_keeps_its_long_cells_and_lines_around():
    document = _open(docx_from_reference(reference("003")))
    (table,) = document.tables
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[3].startswith("填报单位（盖章）：\t")
    assert paragraphs[-1] == " "  # Word's paragraph after the last table
    budget = _row(table, "年度预算申请\n（万元）")
    assert table.cell(budget, 0)._tc is table.cell(budget + 2, 0)._tc
    # The blank line before 其中：基本支出… could as well be an empty paragraph
    # of the cell above; before the header row a blank line ends the row, so
    # here it is a row of one cell across the grid.
    (spending,) = _cells(table, budget + 3)
    assert spending._tc.grid_span == 5
    assert [p.text for p in spending.paragraphs] == [
        "其中：",
        "基本支出：728.02万元",
        "项目支出：106万元",
        "",
        "",
    ]
    duties = [p.text for p in table.cell(_row(table, "部门职能职责概述"), 1).paragraphs]
    assert [d.split("、")[0] for d in duties if d] == [str(n) for n in range(1, 13)]
    header = _row(table, "部门整体支出\n年度绩效指标")
    assert table.cell(header, 0)._tc is table.cell(len(table.rows) - 1, 0)._tc
    assert [table.cell(header + 1, c).text for c in range(1, 5)] == [
        "",
        "数量指标",
        "财政供养人员",
        "72人",
    ]


# --------------------------------------------------------------------------
# doc_bytes


def test_doc_bytes_start_as_a_word_97_file_and_are_no_docx():
    content = doc_bytes()
    assert content.startswith(OLE_SIGNATURE) and len(content) >= 512
    assert not zipfile.is_zipfile(io.BytesIO(content))
    with pytest.raises(zipfile.BadZipFile):
        Document(io.BytesIO(content))
