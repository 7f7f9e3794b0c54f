"""Declarations read from Word files: tables recognised by their labels,
merged cells, the unit line and heading around them, into the import."""

import io

from docx import Document

from declarations.models import Declaration
from declarations.spreadsheet import importing
from declarations.wordfiles.reading import read_blocks
from declarations.wordfiles.recognise import import_rows, recognise


def _hebei_table() -> bytes:
    """A Hebei table as Word holds it: labels merged down, goals over two
    paragraphs, 一级指标 merged over its rows, a spare row."""
    document = Document()
    document.add_paragraph("2020年部门预算绩效信息")
    document.add_paragraph("1、财务外聘人员工作经费绩效目标表")
    document.add_paragraph("450002秦皇岛市北戴河区医疗保障局")
    document.add_paragraph("单位：万元")
    table = document.add_table(rows=0, cols=7)

    def row(*texts):
        cells = table.add_row().cells
        for cell, text in zip(cells, texts, strict=False):
            cell.text = text
        return cells

    first = row(
        "项目编码", "450-0101-JBN-GZ2I", "", "", "项目名称", "财务外聘人员工作经费"
    )
    first[1].merge(first[3])
    first[5].merge(first[6])
    budget = row(
        "预算规模及资金用途", "预算数", "3.50", "其中：财政资金", "3.50", "其他资金", ""
    )
    use = row("", "保障财务外聘人员工作经费")
    budget[0].merge(use[0])
    use[1].merge(use[6])
    months = row("资金支出计划（%）", "3月底", "6月底", "10月底", "12月底")
    percent = row("", "25.00", "50.00", "75.00", "100.00")
    months[0].merge(percent[0])
    goals = row("绩效目标")
    goals[1].merge(goals[6])
    goals[1].text = "1、保障财务工作正常开展"
    goals[1].add_paragraph("2、提高财务工作效率")
    row("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
    one = row("产出指标", "数量指标", "外聘人数", "", "≥1人", "计划标准")
    two = row("", "质量指标", "优良率", "", "≥90%", "计划标准")
    one[0].merge(two[0])
    row("效果指标", "可持续影响指标", "长期使用性", "", "≥90百分比", "计划标准")
    row()  # a spare row
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_hebei_table_is_read_with_its_merged_cells_and_surroundings():
    book = recognise(read_blocks(_hebei_table()))
    assert book.year == 2020
    (found,) = book.found
    assert (found.unit_code, found.project_name) == ("450002", "财务外聘人员工作经费")
    assert found.fields["project_code"] == "450-0101-JBN-GZ2I"
    assert (found.fields["total"], found.fields["fiscal"]) == ("3.50", "3.50")
    assert found.fields["fund_use"] == "保障财务外聘人员工作经费"
    assert found.plan == [[3, "25.00"], [6, "50.00"], [10, "75.00"], [12, "100.00"]]
    assert found.goals == "保障财务工作正常开展\n提高财务工作效率"  # numbers off
    assert found.rows == [
        ["产出指标", "数量指标", "外聘人数", "", "≥1人", "计划标准"],
        ["产出指标", "质量指标", "优良率", "", "≥90%", "计划标准"],
        ["效果指标", "可持续影响指标", "长期使用性", "", "≥90百分比", "计划标准"],
    ]
    assert book.unplaced == []


def test_the_table_imports_as_a_draft_through_the_spreadsheet_import(unit, preparer):
    book = recognise(read_blocks(_hebei_table()))
    plan = importing.analyse(import_rows(book, year=book.year), preparer)
    assert not plan.blocking, [str(p) for p in plan.problems]
    importing.apply(plan, preparer)
    declaration = Declaration.objects.get()
    assert (declaration.year, declaration.project_name) == (
        2020,
        "财务外聘人员工作经费",
    )
    assert [g.text for g in declaration.goals.all()] == [
        "保障财务工作正常开展",
        "提高财务工作效率",
    ]
    rows = [(r.level1.name, r.level3, r.value) for r in declaration.indicators.all()]
    assert rows == [
        ("产出指标", "外聘人数", "≥1人"),
        ("产出指标", "优良率", "≥90%"),
        ("效益指标", "长期使用性", "≥90百分比"),  # 效果指标 is an old name
    ]


def _upload(client, content, name="绩效信息.docx", **data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    return client.post(
        reverse("declaration_import"),
        {"file": SimpleUploadedFile(name, content), **data},
    )


def test_the_import_page_previews_a_word_file_and_confirms_it(client, unit, preparer):
    from django.urls import reverse

    client.force_login(preparer)
    preview = _upload(client, _hebei_table())
    page = preview.content.decode()
    assert "Word 文件中识别出 <strong>1</strong> 张表" in page
    assert "项目绩效目标表" in page and "财务外聘人员工作经费" in page
    assert "导入为 <strong>2020</strong> 年" in page
    token = preview.context["token"]
    done = client.post(reverse("declaration_import_confirm"), {"token": token})
    assert done.status_code == 302
    assert Declaration.objects.get().status == "draft"


def test_last_years_book_imports_as_this_years_drafts(client, unit, preparer):
    client.force_login(preparer)
    preview = _upload(client, _hebei_table(), year="2021")
    assert "导入为 <strong>2021</strong> 年" in preview.content.decode()
    assert preview.context["import_plan"].declarations[0].fields["year"] == 2021


def test_a_word_97_file_is_told_how_to_save_it_as_docx(client, unit, preparer):
    client.force_login(preparer)
    old = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512
    page = _upload(client, old, name="绩效目标表.doc").content.decode()
    assert "Word 97-2003 格式（.doc）" in page and "另存为" in page
    assert not Declaration.objects.exists()


def test_a_word_file_without_a_year_asks_for_it(client, unit, preparer):
    document = Document(io.BytesIO(_hebei_table()))
    document.paragraphs[0].text = "部门预算绩效信息"  # no year written
    content = io.BytesIO()
    document.save(content)
    client.force_login(preparer)
    page = _upload(client, content.getvalue()).content.decode()
    assert "文件中没有写明年度" in page and "导入为年度" in page
    assert not Declaration.objects.exists()


def _book() -> bytes:
    """Part one, then the table, as a department's book has them."""
    table = Document(io.BytesIO(_hebei_table()))
    first = table.paragraphs[1]  # before the table's heading
    for text in [
        "第一部分 部门整体绩效目标",
        "（一）总体绩效目标：",
        "贯彻落实医疗保障工作的方针政策。",
        "（二）分项绩效目标：",
        "贯彻全市医疗保险政策。",
        "建立健全基金安全防控机制。",
        "（三）工作保障措施：规范医保经办业务。",
        "第二部分  预算项目绩效目标",
    ]:
        first.insert_paragraph_before(text)
    content = io.BytesIO()
    table.save(content)
    return content.getvalue()


def test_a_books_part_one_goes_into_the_departments_goals(
    client, unit, department, preparer
):
    from django.urls import reverse

    from declarations.models import DepartmentGoals, Membership

    Membership.objects.create(user=preparer, organization=department, role="preparer")
    client.force_login(preparer)
    preview = _upload(client, _book())
    page = preview.content.decode()
    assert (
        "分项绩效目标 2 条" in page
        and "将写入秦皇岛市北戴河区医疗保障局 2020 年" in page
    )
    client.post(
        reverse("declaration_import_confirm"), {"token": preview.context["token"]}
    )
    goals = DepartmentGoals.objects.get(organization=department, year=2020)
    assert goals.overall == "贯彻落实医疗保障工作的方针政策。"
    assert [i.goal for i in goals.items.all()] == [
        "贯彻全市医疗保险政策。",
        "建立健全基金安全防控机制。",
    ]
    assert [m.text for m in goals.measures.all()] == ["规范医保经办业务。"]
    assert Declaration.objects.count() == 1


def test_part_one_is_left_out_for_a_preparer_of_the_unit_only(client, unit, preparer):
    from declarations.models import DepartmentGoals

    client.force_login(preparer)
    page = _upload(client, _book()).content.decode()
    assert "需由秦皇岛市北戴河区医疗保障局的填报人导入，本次不导入" in page
    assert not DepartmentGoals.objects.exists()


def _central_table() -> bytes:
    """The central 项目支出绩效目标申报表 as the 2023 Shapotou file has it:
    labels with colons, empty cells between merged ones, 指标1: numbering,
    (必填) notes on the levels, the grade row at the bottom."""
    document = Document()
    document.add_paragraph("部门项目支出预算绩效目标申报表")
    document.add_paragraph("(2023 年度)")
    table = document.add_table(rows=0, cols=5)

    def row(*texts):
        cells = table.add_row().cells
        for cell, text in zip(cells, texts, strict=False):
            cell.text = text
        return cells

    name = row("项目名称", "", "城乡居民医疗保险业务经办工作经费")
    name[2].merge(name[4])
    row(
        "主管部门及代码",
        "",
        "中卫市沙坡头区医疗保障局",
        "实施单位",
        "中卫市沙坡头区医疗保障局",
    )
    row("项目属性", "", "延续性项目", "项目日期", "1年期")
    total = row("项目资金 (万元)", "年度资金总额:", "", "35", "")
    fiscal = row("", "其中:财政拨款", "", "35", "")
    other = row("", "其他资金", "", "", "")
    total[0].merge(fiscal[0]).merge(other[0])
    goals = row("年度总体目标", "目标1: 确保医保业务正常办理;")
    goals[1].merge(goals[4])
    goals[1].add_paragraph("目标2: 提高政策知晓率;")
    row("绩效指标", "一级指标", "二级指标", "三级指标", "指标值")
    first = row(
        "",
        "产出指标",
        "数量指标 (必填硬性指标)",
        "指标1: 2023年缴费期内参保人数",
        "31.7万",
    )
    second = row("", "", "", "指标2: 开展培训班人数", "≥200人")
    third = row(
        "", "效益指标", "社会效益 指标 (必填)", "指标1: 减少因病致贫人口", "效果显著"
    )
    first[0].merge(second[0]).merge(third[0])
    first[1].merge(second[1])
    first[2].merge(second[2])
    grade = row("综合评定等级", "", "优□ 良□ 中□ 差□")
    grade[2].merge(grade[4])
    content = io.BytesIO()
    document.save(content)
    return content.getvalue()


def test_a_central_table_is_read_label_by_label(unit, preparer):
    book = recognise(read_blocks(_central_table()))
    assert book.year == 2023
    (found,) = book.found
    assert found.kind == "central"
    assert found.project_name == "城乡居民医疗保险业务经办工作经费"
    assert found.fields["department_name"] == "中卫市沙坡头区医疗保障局"
    assert found.fields["implementing_unit"] == "中卫市沙坡头区医疗保障局"
    assert (found.fields["attribute"], found.fields["period"]) == (
        "延续性项目",
        "1年期",
    )
    assert (found.fields["total"], found.fields["fiscal"]) == ("35", "35")
    assert found.fields["other"] == ""
    assert found.goals == "确保医保业务正常办理;\n提高政策知晓率;"
    assert [r[:3] + r[4:5] for r in found.rows] == [
        ["产出指标", "数量指标", "2023年缴费期内参保人数", "31.7万"],
        ["产出指标", "数量指标", "开展培训班人数", "≥200人"],
        ["效益指标", "社会效益指标", "减少因病致贫人口", "效果显著"],
    ]
    assert book.unplaced == []
    plan = importing.analyse(import_rows(book, year=2023, unit_code="450002"), preparer)
    assert not plan.blocking, [str(p) for p in plan.problems]


def _department_wide_table() -> bytes:
    """The 部门整体支出绩效目标申报表 as the 2021 Hengdong file has it: the
    total written in its label's cell, the two splits under their headers,
    the signature line above."""
    document = Document()
    document.add_paragraph("附件3")
    document.add_paragraph("部门整体支出绩效目标申报表")
    document.add_paragraph("（ 2021年度）")
    table = document.add_table(rows=0, cols=5)

    def row(*texts):
        cells = table.add_row().cells
        for cell, text in zip(cells, texts, strict=False):
            cell.text = text
        return cells

    sign = row("填报单位（盖章）：", "", "", "单位负责人（签名）：")
    sign[0].merge(sign[2])
    sign[3].merge(sign[4])
    name = row("部门名称", "衡东县医疗保障局")
    name[1].merge(name[4])
    total = row("年度预算申请\n（万元）", "资金总额：  834.02万元")
    heads = row("", "按收入性质分", "", "按支出性质分")
    amounts = row(
        "",
        "其中：公共财政拨款：834.02",
        "",
        "其中：\n基本支出：728.02万元\n项目支出：106万元",
    )
    total[0].merge(heads[0]).merge(amounts[0])
    total[1].merge(total[4])
    heads[1].merge(heads[2])
    heads[3].merge(heads[4])
    amounts[1].merge(amounts[2])
    amounts[3].merge(amounts[4])
    duties = row(
        "部门职能职责概述", "1、贯彻执行医疗保障法律法规。\n2、监督管理医疗保障基金。"
    )
    duties[1].merge(duties[4])
    goals = row("年度总体目标", "目标1：通过预算执行，保证正常工作运转。")
    goals[1].merge(goals[4])
    row(
        "部门整体支出\n年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值及单位"
    )
    first = row("", "产出指标", "数量指标", "财政供养人员", "72人")
    second = row("", "", "", "部门单位履职、运转", "予以保障")
    first[0].merge(second[0])
    first[1].merge(second[1])
    first[2].merge(second[2])
    content = io.BytesIO()
    document.save(content)
    return content.getvalue()


def test_a_department_wide_table_is_read_with_its_splits(department, preparer):
    from declarations.models import Membership

    book = recognise(read_blocks(_department_wide_table()))
    assert book.year == 2021
    (found,) = book.found
    assert found.kind == "department_wide"
    assert found.project_name == "衡东县医疗保障局"
    assert found.fields["total"] == "834.02"
    assert found.fields["income_split"] == "公共财政拨款:834.02"
    assert found.fields["spending_split"] == "基本支出:728.02；项目支出:106"
    assert found.fields["duties"].startswith("1、贯彻执行医疗保障法律法规。\n2、")
    assert found.goals == "通过预算执行，保证正常工作运转。"
    assert [r[:3] + r[4:5] for r in found.rows] == [
        ["产出指标", "数量指标", "财政供养人员", "72人"],
        ["产出指标", "数量指标", "部门单位履职、运转", "予以保障"],
    ]
    assert book.unplaced == []
    Membership.objects.create(user=preparer, organization=department, role="preparer")
    rows = import_rows(book, year=2021, department_code=department.code)
    plan = importing.analyse(rows, preparer)
    assert not plan.blocking, [str(p) for p in plan.problems]
    importing.apply(plan, preparer)
    wide = Declaration.objects.get(kind="department_wide")
    assert wide.organization == department
    assert wide.spending_split == [["基本支出", "728.02"], ["项目支出", "106.00"]]


def _zip(document_xml: bytes) -> bytes:
    import zipfile

    content = io.BytesIO()
    with zipfile.ZipFile(content, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document_xml)
    return content.getvalue()


def test_a_word_zip_bomb_is_refused_before_it_is_unpacked(settings):
    import pytest

    from declarations.spreadsheet.files import ImportFileError

    settings.IMPORT_MAX_UNPACKED_BYTES = 2**20
    bomb = _zip(b"<w:document>" + b" " * (3 * 2**20) + b"</w:document>")
    assert len(bomb) < 50_000
    with pytest.raises(ImportFileError, match="解压后有 3 MB，超过了 1 MB 的上限"):
        read_blocks(bomb)


def test_entities_that_expand_without_end_are_refused():
    import pytest

    from declarations.spreadsheet.files import ImportFileError

    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode()
            for i in range(8)
        )
        + b']><d xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></d>"
    )
    with pytest.raises(ImportFileError, match="不是有效的 Word 文档"):
        read_blocks(_zip(laughs))  # expat stops the expansion: not a document


def test_a_file_that_is_no_word_file_says_how_to_save_one():
    import pytest

    from declarations.spreadsheet.files import ImportFileError

    with pytest.raises(ImportFileError, match="不是有效的 Word 文档"):
        read_blocks(b"PK\x03\x04 not really a zip")


def test_a_problem_in_a_word_file_says_which_table_and_indicator(
    client, unit, preparer
):
    document = Document(io.BytesIO(_hebei_table()))
    second = document.tables[0].rows[8].cells  # the second indicator row
    second[1].text = "时间指标"  # no such 二级指标 under 产出指标
    content = io.BytesIO()
    document.save(content)
    client.force_login(preparer)
    page = _upload(client, content.getvalue()).content.decode()
    assert "第 1 个表格第 2 条指标" in page
    assert "二级指标“时间指标”不属于“产出指标”" in page


def _document(*paragraphs, table_rows=(), cols=5) -> Document:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table_rows:
        table = document.add_table(rows=0, cols=cols)
        for texts in table_rows:
            for cell, text in zip(table.add_row().cells, texts, strict=False):
                cell.text = text
    return document


def _bytes(document) -> bytes:
    content = io.BytesIO()
    document.save(content)
    return content.getvalue()


INDICATORS = [
    ("一级指标", "二级指标", "三级指标", "指标值"),
    ("产出指标", "数量指标", "养护里程", "≥120公里"),
]


def test_a_year_or_an_amount_leading_a_text_is_no_unit_code():
    content = _bytes(
        _document(
            "项目支出绩效目标申报表",
            "（2025年度）",
            table_rows=[
                ("项目名称", "2024年农村公路养护工程"),
                ("年度总体目标", "300万元用于公路养护"),
                *INDICATORS,
            ],
        )
    )
    book = recognise(read_blocks(content))
    assert book.year == 2025  # not the 2024 of the project's name
    (found,) = book.found
    assert found.unit_code == ""
    assert found.project_name == "2024年农村公路养护工程"


def test_a_heading_naming_a_year_does_not_set_the_documents():
    content = _bytes(
        _document(
            "1、2023年医保宣传经费绩效目标表",
            "（2024年度）",
            table_rows=[("项目名称", "医保宣传经费"), *INDICATORS],
        )
    )
    assert recognise(read_blocks(content)).year == 2024


def test_part_one_is_read_after_word_filled_in_the_contents():
    document = _document(
        "2020年部门预算绩效信息",
        "目录",
        "第一部分 部门整体绩效目标\t3",
        "第二部分 预算项目绩效目标\t5",
        "第一部分 部门整体绩效目标",
        "（一）总体绩效目标：",
        "贯彻落实医疗保障政策。",
        "（二）分项绩效目标：",
        "1、完善医保政策。",
        "绩效指标：政策文件出台数≥2件",
        "（三）工作保障措施：",
        "规范经办业务。",
        "第二部分 预算项目绩效目标",
        table_rows=[("项目名称", "医保宣传经费"), *INDICATORS],
    )
    part = recognise(read_blocks(_bytes(document))).part_one
    assert part.overall == ["贯彻落实医疗保障政策。"]
    assert part.items == ["完善医保政策。"]
    assert part.indicators == {0: "政策文件出台数≥2件"}
    assert part.measures == ["规范经办业务。"]


def test_a_continued_table_repeating_its_header_joins_the_first_half():
    document = _document(
        "（2024年度）",
        table_rows=[("项目名称", "医保宣传经费"), *INDICATORS],
    )
    document.add_paragraph("续表")
    second = document.add_table(rows=0, cols=5)
    for texts in [INDICATORS[0], ("效益指标", "社会效益指标", "知晓率", "≥80%")]:
        for cell, text in zip(second.add_row().cells, texts, strict=False):
            cell.text = text
    book = recognise(read_blocks(_bytes(document)))
    (found,) = book.found
    assert [r[2] for r in found.rows] == ["养护里程", "知晓率"]
    assert book.unplaced == []


def test_amounts_under_a_label_in_yuan_are_read_as_wan():
    content = _bytes(
        _document(
            "（2024年度）",
            table_rows=[
                ("项目名称", "医保宣传经费"),
                ("项目资金（元）", "年度资金总额", "350000"),
                ("", "其中：财政拨款", "350000"),
                *INDICATORS,
            ],
        )
    )
    (found,) = recognise(read_blocks(content)).found
    assert found.in_yuan
    rows = import_rows(recognise(read_blocks(content)), year=2024)
    assert rows[0]["预算数（万元）"] == "35"


def test_an_old_excel_file_gets_the_spreadsheet_message(client, unit, preparer):
    client.force_login(preparer)
    old = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512
    page = _upload(client, old, name="申报数据.xls").content.decode()
    assert "Word 97-2003" not in page
    assert ".xlsx" in page
