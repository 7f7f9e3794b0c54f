"""Recognising tables by what they are, and their rows as people write them:
blocks built by hand (as reading.py gives them), so that each idiom is
seen alone. The generated corpus (test_corpus.py) tries them together."""

from declarations.wordfiles.reading import Cell, Paragraph, Table
from declarations.wordfiles.recognise import recognise

HEAD = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
ABOVE = "^"  # the lower part of a vertical merge


def table(*rows) -> Table:
    """Rows of cells, each `text` or `(text, span)`; ABOVE continues the
    cell above in the same grid column."""
    built, above = Table(), {}
    for row in rows:
        cells, column = [], 0
        for item in row:
            text, span = (item, 1) if isinstance(item, str) else item
            if text == ABOVE:
                cell = Cell(above[column].text, column, span, continued=True)
            else:
                cell = Cell(text, column, span)
            cells.append(cell)
            above[column] = cell
            column += span
        built.rows.append(cells)
    return built


def hebei(*indicator_rows, top=None) -> Table:
    return table(
        *(
            top
            or [
                ["项目名称", ("医保经办", 5)],
                ["绩效目标", ("1、按时完成。", 5)],
            ]
        ),
        HEAD,
        *indicator_rows,
    )


PROCUREMENT = table(
    ["项目名称", "采购品目", "预算数", "主管部门及代码"],
    ["办公设备购置", "台式计算机", "12.00", "秦皇岛市北戴河区医疗保障局（450002）"],
)
THREE_PUBLIC = table(
    ["合计", "因公出国（境）费", "公务接待费"],
    ["3.20", "0.00", "3.20"],
)


def test_tables_that_are_not_performance_tables_are_listed_and_never_read():
    book = recognise(
        [
            Paragraph("政府采购预算表"),
            PROCUREMENT,
            Paragraph("三公经费预算表"),
            THREE_PUBLIC,
            Paragraph("1、医保经办绩效目标表"),
            hebei(["产出指标", "数量指标", "参保人数", "", "≥90%", "计划标准"]),
        ]
    )
    assert [f.project_name for f in book.found] == ["医保经办"]
    assert [(s.number, s.opening) for s in book.skipped] == [
        (1, "项目名称、采购品目、预算数、主管部门及代码"),
        (2, "合计、因公出国（境）费、公务接待费、3.20"),
    ]
    assert book.unplaced == []  # nothing of theirs is "to be checked"


def test_a_table_that_speaks_of_targets_but_cannot_be_read_is_a_problem():
    garbled = table(["项目名称", "甲"], ["绩效目标及指标值见附件"])
    (found,) = recognise([garbled]).found
    assert "无法读取" in found.trouble


def test_a_note_row_fills_the_basis_of_the_rows_above_and_is_never_an_indicator():
    book = recognise(
        [
            hebei(
                ["产出指标", "数量指标", "参保人数", "", "≥90%", ""],
                [ABOVE, ABOVE, "结算时间", "", "≤30日", "计划标准"],
                [("冀财社【2021】34号文", 6)],
                [ABOVE, "时效指标", "办结率", "", "100%", ""],
            )
        ]
    )
    (found,) = book.found
    assert [row[2] for row in found.rows] == ["参保人数", "结算时间", "办结率"]
    assert [row[5] for row in found.rows] == [
        "冀财社【2021】34号文",
        "计划标准；冀财社【2021】34号文",
        "",
    ]
    # Its 一级 is the row's above the note, not the note.
    assert found.rows[2][0] == "产出指标"
    assert [k.kind for k in found.row_kinds] == [
        "head",
        "indicator",
        "indicator",
        "note",
        "indicator",
    ]
    assert book.unplaced == []


def test_a_note_before_any_row_goes_to_the_rows_below():
    (found,) = recognise(
        [
            hebei(
                [("依据：年度工作计划", 6)],
                ["产出指标", "数量指标", "参保人数", "", "≥90%", ""],
            )
        ]
    ).found
    assert found.rows[0][5] == "依据：年度工作计划"


def test_a_row_that_goes_on_the_row_above_is_joined_to_it():
    book = recognise(
        [
            hebei(
                ["产出指标", "数量指标", "参保人数", "城乡居民", "≥90%", "计划标准"],
                [ABOVE, ABOVE, "", "和职工", "", "（近三年）"],
            )
        ]
    )
    (found,) = book.found
    assert found.rows == [
        [
            "产出指标",
            "数量指标",
            "参保人数",
            "城乡居民\n和职工",
            "≥90%",
            "计划标准\n（近三年）",
        ]
    ]
    assert found.row_kinds[-1].kind == "continuation"


FUNDS = ["预算规模及资金用途", "预算数", "10", "其中：财政资金", "10", "其他资金", "0"]


def test_fund_use_under_its_label_as_people_write_it():
    merged = [ABOVE, ("用于医保经办。", 6)]
    empty = ["", ("用于医保经办。", 6)]
    repeated = ["预算规模及资金用途", ("用于医保经办。", 6)]
    for second in (merged, empty, repeated):
        book = recognise(
            [
                table(
                    ["项目名称", ("甲", 6)], FUNDS, second, ["绩效目标", ("1、完成", 6)]
                )
            ]
        )
        (found,) = book.found
        assert found.fields["fund_use"] == "用于医保经办。", second
        assert found.fields["total"] == "10"
        assert book.unplaced == []


def test_goals_written_a_row_each_are_all_kept():
    for lead in (ABOVE, "", "绩效目标"):
        (found,) = recognise(
            [
                table(
                    ["项目名称", "甲"],
                    ["绩效目标", "目标1：按时完成。"],
                    [lead, "目标2：群众满意。"],
                )
            ]
        ).found
        assert found.goals == "按时完成。\n群众满意。", lead


def test_the_spending_plan_with_its_label_written_again():
    (found,) = recognise(
        [
            table(
                ["项目名称", "甲", "", "", ""],
                ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"],
                ["资金支出计划（%）", "25", "50", "75", "100"],
                ["绩效目标", ("完成", 4)],
            )
        ]
    ).found
    assert found.plan == [[3, "25"], [6, "50"], [10, "75"], [12, "100"]]


def test_the_unit_line_as_a_wide_first_row_sets_unit_and_amounts():
    (found,) = recognise(
        [
            table(
                [("450002秦皇岛市北戴河区医疗保障局", 5), "", "单位：元"],
                ["项目名称", ("甲", 6)],
                ["绩效目标", ("完成", 6)],
            )
        ]
    ).found
    assert (found.unit_code, found.unit_name) == (
        "450002",
        "秦皇岛市北戴河区医疗保障局",
    )
    assert found.in_yuan


def test_the_unit_line_with_spaces_or_in_one_cell():
    one_cell = table(
        ["450002秦皇岛市北戴河区医疗保障局  （单位：万元）"],
        ["项目名称", "甲"],
        ["绩效目标", "完成"],
    )
    (found,) = recognise([one_cell]).found
    assert found.unit_code == "450002" and not found.in_yuan
    spaced = [
        Paragraph("450002秦皇岛市北戴河区医疗保障局\u3000\u3000单位：元"),
        table(["项目名称", "甲"], ["绩效目标", "完成"]),
    ]
    (found,) = recognise(spaced).found
    assert found.unit_name == "秦皇岛市北戴河区医疗保障局" and found.in_yuan


def test_part_one_under_the_fifth_part_of_a_budget_disclosure():
    book = recognise(
        [
            Paragraph("第四部分：政府采购情况"),
            PROCUREMENT,
            Paragraph("第五部分：预算绩效信息"),
            Paragraph("一、部门整体绩效目标"),
            Paragraph("（一）总体绩效目标：保障参保群众待遇。"),
            Paragraph("（二）分项绩效目标："),
            Paragraph("1.完成参保扩面。"),
            Paragraph("（三）工作保障措施："),
            Paragraph("1.加强基金监管。"),
            Paragraph("二、预算项目绩效目标"),
            Paragraph("1、医保经办绩效目标表"),
            hebei(["产出指标", "数量指标", "参保人数", "", "≥90%", ""]),
        ]
    )
    assert book.part_one.overall == ["保障参保群众待遇。"]
    assert book.part_one.items == ["完成参保扩面。"]
    assert book.part_one.measures == ["加强基金监管。"]
    assert len(book.found) == 1 and len(book.skipped) == 1


def test_a_table_that_cannot_be_read_blocks_only_itself_at_the_preview(
    client, unit, preparer
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from scripts import hostile_files

    rows_ok = [
        ["450002秦皇岛市北戴河区医疗保障局"],
        ["项目名称", "医保经办"],
        ["绩效目标", "按时完成。"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "参保人数", "≥90%"],
    ]
    garbled = [["项目名称", "乙"], ["绩效目标及指标值见附件"]]
    content = hostile_files.docx_of(
        [
            hostile_files.table_xml(rows_ok),
            hostile_files.paragraph_xml("2、乙项目绩效目标表"),
            hostile_files.table_xml(garbled),
        ]
    )
    client.force_login(preparer)
    page = client.post(
        reverse("declaration_import"),
        {"file": SimpleUploadedFile("书.docx", content), "year": "2024"},
    )
    choice = page.context["choice"]
    assert [(t.number, t.ticked, t.blocking) for t in choice.tables] == [
        (1, True, 0),
        (2, False, 1),
    ]
    assert "无法读取" in page.content.decode()


def test_a_second_level_left_blank_goes_on_under_the_same_first_level_only():
    (found,) = recognise(
        [
            hebei(
                ["产出指标", "数量指标", "参保人数", "", "≥90%", ""],
                ["产出指标", "", "结算人数", "", "≥80%", ""],
                ["效益指标", "", "群众受益", "", "显著", ""],
            )
        ]
    ).found
    assert [row[:2] for row in found.rows] == [
        ["产出指标", "数量指标"],
        ["产出指标", "数量指标"],
        ["效益指标", ""],  # a new first level: its second is not the one above
    ]


def test_a_split_by_spending_on_a_row_of_its_own_below_the_heads():
    (found,) = recognise(
        [
            table(
                ["部门名称", ("衡东县医疗保障局", 4)],
                ["年度预算申请（万元）", ("资金总额：834.02万元", 4)],
                [ABOVE, ("按收入性质分", 2), ("按支出性质分", 2)],
                [ABOVE, ("其中：公共财政拨款：834.02万元", 4)],
                [("其中：\n基本支出：728.02万元\n项目支出：106万元", 5)],
                ["年度总体目标", ("目标1：保障运转。", 4)],
            )
        ]
    ).found
    assert found.fields["income_split"] == "公共财政拨款:834.02"
    assert found.fields["spending_split"] == "基本支出:728.02；项目支出:106"
