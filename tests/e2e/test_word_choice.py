"""A whole 预算公开说明 in the browser: its performance tables among tables
that are not, one table left out at the preview, the others confirmed and
stored cell for cell."""

import io
from decimal import Decimal

from docx import Document
from playwright.sync_api import expect

from declarations.demo import loading as demo
from declarations.demo.tables import HEBEI_2020, full_row
from declarations.models import Declaration
from tests.e2e.conftest import log_in
from tests.wordfiles.builders import DEFAULT_UNIT_LINE, PART_TWO, docx_book

TABLES = HEBEI_2020[:4]
LEFT_OUT = TABLES[1]


def _disclosure() -> bytes:
    """The department's 2020 预算公开说明: 三公经费 and 机构设置 tables
    before its 第五部分 of performance tables, 政府采购 after them."""
    document = Document(
        io.BytesIO(
            docx_book(TABLES, part_one=None, year_title="2020年部门预算公开说明")
        )
    )
    (part_two,) = [p for p in document.paragraphs if p.text == PART_TWO]
    for heading, rows in [
        (
            "一、“三公”经费支出情况",
            [
                ["项目", "上年预算数", "本年预算数"],
                ["因公出国（境）费", "0.00", "0.00"],
            ],
        ),
        (
            "二、机构设置",
            [["机构名称", "人员编制", "实有人数"], ["北戴河区医疗保障局", "12", "11"]],
        ),
    ]:
        part_two.insert_paragraph_before(heading)
        part_two._p.addprevious(_table(document, rows)._tbl)
    document.add_paragraph("六、政府采购情况")
    _table(document, [["采购项目", "采购金额（万元）"], ["办公设备", "3.20"]])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, rows):
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for texts in rows:
        for cell, text in zip(table.add_row().cells, texts, strict=True):
            cell.text = text
    return table


def _stored_as_in_the_file(table: dict):
    stored = Declaration.objects.get(year=2021, project_name=table["project_name"])
    assert stored.status == "draft"
    assert stored.project_code == table["project_code"]
    for key in ("total", "fiscal"):
        assert getattr(stored, key) == Decimal(table[key]), key
    assert stored.fund_use == table["fund_use"]
    assert [g.text for g in stored.goals.all()] == list(table["goals"])
    rows = [
        [r.level1.name, r.level2.name, r.level3, r.description, r.value, r.basis]
        for r in stored.indicators.select_related("level1", "level2")
    ]
    # 效果指标, as the 2020 tables write it, is stored as the level it names.
    assert rows == [
        ["效益指标" if r[0] == "效果指标" else r[0], *r[1:]]
        for r in (list(full_row(row)) for row in table["rows"])
    ]


def test_a_table_left_out_at_the_preview_stays_out_and_the_others_are_stored(
    page, transactional_db, tmp_path, screenshot
):
    demo.load_people()
    upload = tmp_path / "2020年部门预算公开说明.docx"
    upload.write_bytes(_disclosure())
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto("/declarations/import/")
    page.get_by_label("申报数据文件").set_input_files(upload)
    page.get_by_label("导入为年度").fill("2021")
    page.get_by_role("button", name="上传并预览").click()
    tables = page.get_by_test_id("word-tables")
    expect(tables).to_contain_text(f"Word 文件中识别出 {len(TABLES)} 张表")
    boxes = tables.get_by_role("checkbox")
    expect(boxes).to_have_count(len(TABLES))
    for box in boxes.all():
        expect(box).to_be_checked()
    page.screenshot(path="/tmp/word_choice_preview.png", full_page=True)
    screenshot("word-choice-preview")
    tables.locator("tr", has_text=LEFT_OUT["project_name"]).get_by_role(
        "checkbox"
    ).uncheck()
    page.get_by_role("button", name="按所选表格重新检查").click()
    expect(page.get_by_test_id("choice-message")).to_contain_text("重新检查")
    expect(page.get_by_test_id("choice-counts")).to_contain_text(
        f"按勾选的 {len(TABLES) - 1} 张表格：将新建 {len(TABLES) - 1} 份"
    )
    left_out = tables.locator("tr", has_text=LEFT_OUT["project_name"])
    expect(left_out.get_by_role("checkbox")).not_to_be_checked()
    screenshot("word-choice-rechecked")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messages .alert-success")).to_contain_text(
        f"新建 {len(TABLES) - 1} 份"
    )
    assert not Declaration.objects.filter(
        project_name=LEFT_OUT["project_name"]
    ).exists()
    assert Declaration.objects.count() == len(TABLES) - 1
    for table in TABLES:
        if table is not LEFT_OUT:
            _stored_as_in_the_file(table)


def _with_problems() -> bytes:
    """Three tables: the second with a 二级指标 its 一级指标 lacks, the
    third of another bureau's unit."""
    broken = dict(HEBEI_2020[1])
    rows = list(broken["rows"])
    rows[1] = (rows[1][0], "时间指标", *rows[1][2:])
    broken["rows"] = rows
    document = Document(
        io.BytesIO(docx_book([HEBEI_2020[0], broken, HEBEI_2020[2]], part_one=None))
    )
    lines = [p for p in document.paragraphs if p.text == DEFAULT_UNIT_LINE]
    lines[2].text = "430424001衡东县医疗保障局"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_tables_with_problems_start_unticked_and_ticking_one_imports_nothing(
    page, transactional_db, tmp_path, screenshot
):
    demo.load_people()
    upload = tmp_path / "2020年部门预算绩效信息.docx"
    upload.write_bytes(_with_problems())
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto("/declarations/import/")
    page.get_by_label("申报数据文件").set_input_files(upload)
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_label("导入第 1 个表格")).to_be_checked()
    expect(page.get_by_label("导入第 2 个表格")).not_to_be_checked()
    expect(page.get_by_label("导入第 3 个表格")).not_to_be_checked()
    expect(page.get_by_test_id("foreign-unit")).to_contain_text(
        "文件中的单位：430424001 衡东县医疗保障局"
    )
    expect(page.get_by_test_id("tables-blocked")).to_contain_text("2 张表格")
    expect(page.get_by_test_id("problems")).to_contain_text("第 2 个表格第 2 条指标")
    page.get_by_test_id("word-tables").locator("details summary").first.click()
    page.screenshot(path="/tmp/word_choice_problems.png", full_page=True)
    screenshot("word-choice-problems")
    page.get_by_label("导入第 2 个表格").check()
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_test_id("choice-message")).to_contain_text(
        "勾选的第 2 个表格还有必须先改正的问题"
    )
    expect(page.get_by_label("导入第 2 个表格")).to_be_checked()  # kept
    assert not Declaration.objects.exists()
    page.get_by_label("导入第 2 个表格").uncheck()
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("新建 1 份")
    assert list(Declaration.objects.values_list("project_name", flat=True)) == [
        HEBEI_2020[0]["project_name"]
    ]
