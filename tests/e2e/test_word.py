"""Word files in the browser: a department's book uploaded, previewed with
the tables recognised and confirmed into drafts; a declaration downloaded
as .docx."""

import io

from docx import Document
from playwright.sync_api import expect

from declarations.demo import loading as demo
from declarations.demo.department import BEIDAIHE_GOALS_2020
from declarations.demo.tables import HEBEI_2020
from declarations.models import Declaration, DepartmentGoals
from tests.e2e.conftest import log_in
from tests.factories import make_declaration
from tests.wordfiles.builders import docx_book


def test_a_word_book_is_previewed_confirmed_and_its_drafts_listed(
    page, transactional_db, tmp_path, screenshot
):
    demo.load_people()
    book = tmp_path / "2020年部门预算绩效信息.docx"
    book.write_bytes(docx_book(HEBEI_2020, part_one=BEIDAIHE_GOALS_2020))
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto("/declarations/")
    page.get_by_role("link", name="导入").click()
    page.get_by_label("申报数据文件").set_input_files(book)
    page.get_by_label("导入为年度").fill("2021")  # last year's book, this year's drafts
    page.get_by_role("button", name="上传并预览").click()
    tables = page.get_by_test_id("word-tables")
    expect(tables).to_contain_text("Word 文件中识别出 5 张表")
    expect(tables).to_contain_text("导入为 2021 年")
    for table in HEBEI_2020:
        expect(tables).to_contain_text(table["project_name"])
    expect(page.get_by_test_id("word-part-one")).to_contain_text("分项绩效目标 9 条")
    expect(page.get_by_test_id("planned").locator("tbody tr")).to_have_count(5)
    screenshot("word-import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("导入完成")
    listed = page.get_by_test_id("declaration-list")
    for table in HEBEI_2020:
        expect(listed).to_contain_text(table["project_name"])
    screenshot("word-import-done")
    assert Declaration.objects.filter(year=2021, status="draft").count() == 5
    assert DepartmentGoals.objects.get(year=2021).items.count() == len(
        BEIDAIHE_GOALS_2020["items"]
    )


def test_a_declaration_downloads_as_a_word_file(page, transactional_db):
    units = demo.load_people()
    declaration = make_declaration(units["450002"], project_name="医保经办工作经费")
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/")
    with page.expect_download() as download:
        page.get_by_test_id("docx-download").click()
    saved = download.value
    assert saved.suggested_filename.endswith("医保经办工作经费.docx")
    with open(saved.path(), "rb") as docx:
        document = Document(io.BytesIO(docx.read()))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "医保经办工作经费" in cells and "参保人数" in cells
