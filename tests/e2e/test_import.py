"""Upload a spreadsheet, read the preview's problem, fix the file, confirm."""

import io

from openpyxl import Workbook
from playwright.sync_api import expect

from declarations.demo import loading as demo
from declarations.models import Declaration
from declarations.spreadsheet.columns import HEADERS
from tests.e2e.conftest import log_in


def _file(tmp_path, level2):
    values = {
        "单位代码": "450002",
        "年度": 2025,
        "项目编码": "450-0101-JBN-GZ2I",
        "项目名称": "财务外聘人员工作经费",
        "预算数（万元）": 3.5,
        "财政资金（万元）": 3.5,
        "资金支出计划（%）": "3月底:25；6月底:50；10月底:75；12月底:100",
        "绩效目标": "1、保障财务外聘人员工作顺利进行",
        "一级指标": "产出指标",
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for name, value, l2 in [
        ("优良率", "≥90%", "质量指标"),
        ("完成率", "≥90%", level2),
    ]:
        row = {**values, "三级指标": name, "指标值": value, "二级指标": l2}
        sheet.append([row.get(h, "") for h in HEADERS])
    path = tmp_path / "财务外聘.xlsx"
    out = io.BytesIO()
    workbook.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_upload_see_the_error_fix_and_confirm(
    page, transactional_db, tmp_path, screenshot
):
    demo.load_people()
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto("/declarations/")
    page.get_by_role("link", name="导入").click()
    page.get_by_label("申报数据文件").set_input_files(_file(tmp_path, "时间指标"))
    page.get_by_role("button", name="上传并预览").click()
    problems = page.get_by_test_id("problems")
    blocking = problems.locator("tr.table-danger")
    expect(blocking).to_have_count(1)
    expect(blocking).to_contain_text("二级指标“时间指标”不属于“产出指标”")
    expect(blocking.locator("td").nth(1)).to_have_text("3")
    expect(page.get_by_test_id("blocked")).to_be_visible()
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    screenshot("import-preview-error")
    assert Declaration.objects.count() == 0

    page.get_by_label("申报数据文件").set_input_files(_file(tmp_path, "时效指标"))
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("planned")).to_contain_text("新建")
    screenshot("import-preview-ok")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("新建 1 份")
    declaration = Declaration.objects.get()
    assert [r.level3 for r in declaration.indicators.all()] == ["优良率", "完成率"]
