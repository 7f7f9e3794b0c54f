"""What Word writes for what a person sees as plain text (tracked changes,
fields, content controls, text boxes, nested tables, old merges) is read
as that text: once, and nothing of it lost."""

import pytest

from declarations.spreadsheet.files import ImportFileError
from declarations.wordfiles.reading import Cell, Paragraph, Table, read_blocks
from declarations.wordfiles.recognise import read_book
from scripts.hostile_files import docx_of

# The namespaces of a text box beside Word's own, declared where one starts.
TEXT_BOX_NAMESPACES = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
CHANGE = 'w:id="1" w:author="审核人" w:date="2024-01-01T00:00:00Z"'


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def p(*inline: str, mark: str = "") -> str:
    """A paragraph of runs (text is made a run); `mark` goes in its
    properties."""
    runs = "".join(part if part.startswith("<") else r(part) for part in inline)
    properties = f"<w:pPr>{mark}</w:pPr>" if mark else ""
    return f"<w:p>{properties}{runs}</w:p>"


def tc(*content: str, properties: str = "") -> str:
    """A cell of paragraphs (text is made one) and tables."""
    blocks = "".join(part if part.startswith("<") else p(part) for part in content)
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{blocks or p()}</w:tc>"


def tr(*cells: str, properties: str = "") -> str:
    """A row of cells (text is made one)."""
    made = "".join(cell if cell.startswith("<") else tc(cell) for cell in cells)
    return f"<w:tr><w:trPr>{properties}</w:trPr>{made}</w:tr>"


def tbl(*rows: str) -> str:
    return f"<w:tbl>{''.join(rows)}</w:tbl>"


def field(code: str, result: str) -> str:
    """A complex field: its code, then the result Word shows."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{code}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{r(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def text_box(*paragraphs: str) -> str:
    """A run holding a text box as Word 2010 and later write it: for readers
    that know text boxes, and again for those that do not."""
    content = f"<w:txbxContent>{''.join(paragraphs)}</w:txbxContent>"
    return (
        f"<w:r><mc:AlternateContent {TEXT_BOX_NAMESPACES}>"
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" '
        'name="文本框 1"/><a:graphic><a:graphicData><wps:wsp>'
        f"<wps:txbx>{content}</wps:txbx><wps:bodyPr/>"
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape>"
        f"<v:textbox>{content}</v:textbox>"
        "</v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def control(content: str, properties: str = "") -> str:
    return (
        f"<w:sdt><w:sdtPr>{properties}</w:sdtPr>"
        f"<w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )


def read(*body: str) -> list[Paragraph | Table]:
    return read_blocks(docx_of(body))


def shown(blocks) -> list:
    """Each paragraph's text; each table as the texts of its rows."""
    return [texts(b) if isinstance(b, Table) else b.text for b in blocks]


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def columns(table: Table) -> list[list[int]]:
    return [[cell.column for cell in row] for row in table.rows]


# Tracked changes: read as accepted.


def test_inserted_text_is_kept_and_deleted_text_dropped():
    (paragraph,) = read(
        p(
            "目标",
            f"<w:ins {CHANGE}>{r('提高')}</w:ins>",
            f"<w:del {CHANGE}><w:r><w:delText>降低</w:delText></w:r></w:del>",
            f"<w:del {CHANGE}>{r('（旧）')}</w:del>",  # w:t where w:delText belongs
            "效率",
        )
    )
    assert paragraph.text == "目标提高效率"


def test_moved_text_is_read_where_it_was_moved_to():
    blocks = read(
        p(f"<w:moveFrom {CHANGE}>{r('甲')}</w:moveFrom>", "乙"),
        p("丙", f"<w:moveTo {CHANGE}>{r('甲')}</w:moveTo>"),
    )
    assert [block.text for block in blocks] == ["乙", "丙甲"]


def test_a_deleted_row_is_dropped_and_an_inserted_one_kept():
    (table,) = read(
        tbl(
            tr("一级指标", "指标值"),
            tr("产出指标", "100人", properties=f"<w:del {CHANGE}/>"),
            tr("效益指标", "≥90%", properties=f"<w:ins {CHANGE}/>"),
        )
    )
    assert texts(table) == [["一级指标", "指标值"], ["效益指标", "≥90%"]]


def test_a_table_whose_rows_were_all_deleted_is_no_table():
    deleted = f"<w:del {CHANGE}/>"
    blocks = read(tbl(tr("甲", properties=deleted)), tbl(tr("乙")))
    (table,) = blocks
    assert texts(table) == [["乙"]]


def test_a_deleted_paragraph_mark_runs_the_paragraph_on_into_the_next():
    deleted_mark = f"<w:rPr><w:del {CHANGE}/></w:rPr>"
    blocks = read(
        p("资金总额：", mark=deleted_mark),
        p("834.02万元"),
        # A paragraph deleted whole, its mark too, is gone.
        p(f"<w:del {CHANGE}>{r('删去的一段')}</w:del>", mark=deleted_mark),
        p("（2024年度）"),
        tbl(tr(tc(p("项目", mark=deleted_mark), p("名称")), "甲")),
    )
    assert [b.text for b in blocks[:-1]] == ["资金总额：834.02万元", "（2024年度）"]
    assert texts(blocks[-1]) == [["项目名称", "甲"]]


def test_a_deleted_mark_before_a_table_loses_no_text():
    deleted_mark = f"<w:rPr><w:del {CHANGE}/></w:rPr>"
    blocks = read(p("单位：万元", mark=deleted_mark), tbl(tr("甲")))
    assert blocks[0].text == "单位：万元"
    assert texts(blocks[1]) == [["甲"]]


# Fields: the result, never the code.


def test_a_simple_field_shows_its_result():
    (paragraph,) = read(
        p("第", f'<w:fldSimple w:instr=" PAGE ">{r("3")}</w:fldSimple>', "页")
    )
    assert paragraph.text == "第3页"


@pytest.mark.parametrize(
    "code, result",
    [
        (" PAGE ", "3"),
        (' HYPERLINK "http://www.mof.gov.cn" ', "财政部网站"),
        (" MERGEFIELD 项目名称 ", "甲项目"),
    ],
)
def test_a_complex_field_shows_its_result_and_not_its_code(code, result):
    (paragraph,) = read(p("见", field(code, result), "。"))
    assert paragraph.text == f"见{result}。"


def test_a_field_nested_in_another_fields_code_is_not_shown():
    begin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    separate = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    (paragraph,) = read(
        p(
            begin,
            "<w:r><w:instrText>IF </w:instrText></w:r>",
            field(" MERGEFIELD 属性 ", "新增"),  # its result is part of the code
            '<w:r><w:instrText> = "新增" "新增项目" "延续性项目"</w:instrText></w:r>',
            separate,
            "新增项目",
            end,
        )
    )
    assert paragraph.text == "新增项目"


def test_a_contents_field_over_several_paragraphs_shows_each_line():
    begin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    separate = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    code = '<w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
    tab = "<w:r><w:tab/></w:r>"
    blocks = read(
        p(begin, code, separate, "第一部分", tab, "3"),
        p("第二部分", tab, "5", end),
    )
    assert [block.text for block in blocks] == ["第一部分\t3", "第二部分\t5"]


def test_a_form_check_box_shows_as_a_box():
    def box(checked: str) -> str:
        return (
            '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox>'
            f"{checked}</w:checkBox></w:ffData></w:fldChar></w:r>"
            "<w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )

    (paragraph,) = read(
        p(
            box('<w:default w:val="1"/>'),
            "延续性项目 ",
            box('<w:default w:val="1"/><w:checked w:val="0"/>'),
            "新增项目",
        )
    )
    assert paragraph.text == "☒延续性项目 ☐新增项目"


# Breaks, hyphens and symbols.


def test_breaks_and_hyphens_read_as_the_characters_they_print():
    (paragraph,) = read(
        p(
            "<w:r><w:t>甲</w:t><w:br/><w:t>乙</w:t>"
            '<w:br w:type="textWrapping"/><w:t>丙</w:t><w:cr/>'
            "<w:t>2020</w:t><w:noBreakHyphen/><w:t>20</w:t><w:softHyphen/>"
            "<w:t>22</w:t><w:tab/><w:t>丁</w:t></w:r>"
        )
    )
    assert paragraph.text == "甲\n乙\n丙\n2020-2022\t丁"


def test_a_page_break_marks_the_paragraph_and_prints_nothing():
    (paragraph,) = read(p("甲", '<w:r><w:br w:type="page"/></w:r>', "乙"))
    assert (paragraph.text, paragraph.page_break) == ("甲乙", True)


@pytest.mark.parametrize(
    "font, char, printed",
    [
        ("Wingdings", "F0FE", "☑"),
        ("Wingdings", "F0A8", "□"),
        ("Wingdings", "F06F", "□"),
        ("Wingdings 2", "F052", "☑"),
        ("Wingdings 2", "F0A3", "□"),
        ("Symbol", "F0B3", "≥"),
        ("Symbol", "F0A3", "≤"),
        ("Symbol", "F06D", "μ"),
        ("宋体", "2611", "☑"),
        ("Webdings", "F021", ""),  # a picture, not a character
        ("Wingdings", "F0", ""),
        ("Wingdings", "zz", ""),
        ("Symbol", "9" * 5_000, ""),
    ],
)
def test_a_symbol_reads_as_the_character_it_looks_like(font, char, printed):
    symbol = f'<w:sym w:font="{font}" w:char="{char}"/>'
    (paragraph,) = read(p(f"<w:r><w:t>[</w:t>{symbol}<w:t>]</w:t></w:r>"))
    assert paragraph.text == f"[{printed}]"


# Text boxes: once, after the paragraph they are anchored in.


def test_a_text_box_is_read_once_after_its_paragraph():
    blocks = read(p("前", text_box(p("1、甲项目绩效目标表"), p("单位：万元")), "后"))
    assert [block.text for block in blocks] == [
        "前后",
        "1、甲项目绩效目标表",
        "单位：万元",
    ]


def test_a_text_box_of_older_files_is_read_once():
    vml = (
        f'<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml">'
        f"<v:textbox><w:txbxContent>{p('框中')}</w:txbxContent></v:textbox>"
        "</v:shape></w:pict></w:r>"
    )
    assert [block.text for block in read(p("甲", vml))] == ["甲", "框中"]


def test_a_text_box_in_a_cell_is_one_more_line_of_it():
    (table,) = read(tbl(tr("项目名称", tc(p("甲", text_box(p("乙"), p("丙")))))))
    assert texts(table) == [["项目名称", "甲\n乙\n丙"]]


# Content controls, hyperlinks, smart tags, custom XML.


def test_a_content_control_in_a_paragraph_gives_its_text():
    (paragraph,) = read(p("项目名称：", control(r("甲项目")), "。"))
    assert paragraph.text == "项目名称：甲项目。"


def test_a_content_control_left_empty_gives_no_prompt():
    prompt = control(r("单击或点击此处输入文字。"), "<w:showingPlcHdr/>")
    blocks = read(p("项目名称：", prompt), tbl(tr("项目名称", tc(p(prompt)))))
    assert blocks[0].text == "项目名称："
    assert texts(blocks[1]) == [["项目名称", ""]]


def test_rows_and_cells_in_content_controls_keep_their_places():
    (table,) = read(
        tbl(
            tr("一级指标", "二级指标", "指标值"),
            control(tr("产出指标", control(tc("数量指标")), "100人")),
            control(control(tr("效益指标", "社会效益", control(control(tc("≥90%")))))),
        )
    )
    assert texts(table) == [
        ["一级指标", "二级指标", "指标值"],
        ["产出指标", "数量指标", "100人"],
        ["效益指标", "社会效益", "≥90%"],
    ]
    assert columns(table) == [[0, 1, 2]] * 3


def test_a_cell_deep_in_content_controls_is_read_without_recursion():
    depth = 2_000
    deep = (
        "<w:sdt><w:sdtContent>" * depth + tc("甲") + "</w:sdtContent></w:sdt>" * depth
    )
    (table,) = read(tbl(tr("项目名称", deep)))
    assert texts(table) == [["项目名称", "甲"]]


def test_hyperlinks_smart_tags_and_custom_xml_give_their_text():
    blocks = read(
        p(
            "详见",
            f'<w:hyperlink w:anchor="_Toc1">{r("第二部分")}</w:hyperlink>',
            '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" '
            f'w:element="place">{r("北戴河区")}</w:smartTag>',
            f'<w:customXml w:element="unit">{r("医疗保障局")}</w:customXml>',
        ),
        f'<w:customXml w:element="goals">{p("年度目标")}</w:customXml>',
    )
    assert [block.text for block in blocks] == [
        "详见第二部分北戴河区医疗保障局",
        "年度目标",
    ]


# Tables nested in a cell.

INDICATORS = tbl(
    tr("一级指标", "二级指标", "三级指标", "指标值"),
    tr(
        tc("产出指标", properties='<w:vMerge w:val="restart"/>'),
        "数量指标",
        "人数",
        "≥1人",
    ),
    tr(tc(properties="<w:vMerge/>"), "质量指标", "合格率", "100%"),
)


def test_a_table_in_a_cell_gives_its_rows_after_the_row_of_that_cell():
    (table,) = read(
        tbl(
            tr("项目名称", "甲"),
            tr("年度绩效指标", tc("见下表", INDICATORS, "（共两项）")),
            tr("备注", "无"),
        )
    )
    assert texts(table) == [
        ["项目名称", "甲"],
        ["年度绩效指标", "见下表\n（共两项）"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "人数", "≥1人"],
        ["产出指标", "质量指标", "合格率", "100%"],
        ["备注", "无"],
    ]
    assert columns(table)[2:5] == [[1, 2, 3, 4]] * 3  # from the cell's column
    assert table.rows[4][0] == Cell("产出指标", 1, continued=True)


def test_an_indicator_block_nested_in_the_form_is_read_as_its_indicators():
    book = read_book(
        docx_of([tbl(tr("项目名称", "甲"), tr("年度绩效指标", tc(INDICATORS)))])
    )
    (found,) = book.found
    assert found.project_name == "甲"
    assert [row[:3] for row in found.rows] == [
        ["产出指标", "数量指标", "人数"],
        ["产出指标", "质量指标", "合格率"],
    ]
    assert book.unplaced == []


def test_a_one_cell_table_that_frames_a_form_is_read_as_what_it_holds():
    blocks = read(
        tbl(tr(tc(p("1、甲项目绩效目标表"), tbl(tr("项目名称", "甲")), p()))),
        tbl(tr(tc("只有文字的一格"))),  # a box around text is a table
    )
    assert shown(blocks) == [
        "1、甲项目绩效目标表",
        [["项目名称", "甲"]],
        "",  # the paragraph Word keeps after a table in a cell
        [["只有文字的一格"]],
    ]


def test_frames_inside_frames_are_read_without_recursion():
    depth = 2_000
    opening, closing = "<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>"
    body = opening * depth + tbl(tr("项目名称", "甲")) + p() + closing * depth
    assert shown(read(body)) == [[["项目名称", "甲"]], ""]


def test_tables_nested_deep_in_cells_are_read_without_recursion():
    depth = 400
    opening = "<w:tbl><w:tr><w:tc>" + p("左")
    closing = "</w:tc>" + tc("右") + "</w:tr></w:tbl>"
    (table,) = read(opening * depth + closing * depth)
    assert texts(table) == [["左", "右"]] * depth
    assert columns(table) == [[0, 1]] * depth


def test_nested_rows_count_toward_the_cap_on_rows():
    rows = [tr("产出指标", "数量指标", "人数", "1人")] * 300
    with pytest.raises(ImportFileError, match="第 1 个表格有 500 行以上"):
        read(tbl(*rows[:299], tr("年度绩效指标", tc(tbl(*rows)))))


# Old merges and skipped grid columns.


def test_an_old_horizontal_merge_widens_the_cell_it_continues():
    (table,) = read(
        tbl(
            tr(
                tc("项目名称", properties='<w:hMerge w:val="restart"/>'),
                tc(properties="<w:hMerge/>"),
                "甲",
            ),
            tr(
                "资金",
                tc("3.50", properties='<w:hMerge w:val="restart"/>'),
                tc("（万元）", properties='<w:hMerge w:val="continue"/>'),
            ),
        )
    )
    assert table.rows == [
        [Cell("项目名称", 0, span=2), Cell("甲", 2)],
        [Cell("资金", 0), Cell("3.50\n（万元）", 1, span=2)],
    ]


def test_cells_after_skipped_grid_columns_keep_their_columns():
    (table,) = read(
        tbl(
            tr("一级指标", "二级指标", "指标值"),
            tr("数量指标", "100人", properties='<w:gridBefore w:val="1"/>'),
            tr("产出指标", properties='<w:gridAfter w:val="2"/>'),
        )
    )
    assert columns(table) == [[0, 1, 2], [1, 2], [0]]
