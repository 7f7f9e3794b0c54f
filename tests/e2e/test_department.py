"""The department-wide table of reference/003, entered through the pages."""

from decimal import Decimal

from playwright.sync_api import expect

from declarations.demo import loading as demo
from declarations.demo.department import HENGDONG_2021
from declarations.models import Declaration
from declarations.printing import declaration as pdf
from indicators.values import normalised
from tests.declarations.pdf_reading import row_holds, table_rows
from tests.e2e.conftest import log_in
from tests.e2e.test_entry import _ensure_rows, _rows, _save_and_next


def test_preparer_enters_the_hengdong_department_table(
    page, transactional_db, screenshot
):
    demo.load_people()
    table = HENGDONG_2021
    log_in(page, "hd_tb", demo.DEMO_PASSWORD)
    page.goto("/declarations/")
    page.get_by_role("link", name="＋ 部门整体支出申报").click()
    page.get_by_label("年度").fill("2021")
    page.get_by_role("button", name="新建并填写预算申请").click()

    page.get_by_label("资金总额（万元）").fill(table["total"])
    page.get_by_label("按收入性质分：公共财政拨款").fill("834.02")
    page.get_by_label("按支出性质分：基本支出").fill("728.02")
    page.get_by_label("按支出性质分：项目支出").fill("106")
    screenshot("department-2-funds")
    _save_and_next(page)

    page.get_by_label("部门职能职责概述").fill(table["duties"])
    _save_and_next(page)

    _ensure_rows(page, "goals", len(table["goals"]), "＋ 添加一条目标")
    for i, goal in enumerate(table["goals"]):
        _rows(page, "goals").nth(i).locator("textarea").fill(goal)
    _save_and_next(page)

    _ensure_rows(page, "indicators", len(table["rows"]), "＋ 添加一行指标")
    for i, (level1, level2, name, value) in enumerate(table["rows"]):
        row = _rows(page, "indicators").nth(i)
        row.locator("select[name$='-level1']").select_option(label=level1)
        row.locator("select[name$='-level2']").select_option(label=level2)
        row.locator("textarea[name$='-level3']").fill(name)
        row.locator("input[name$='-value']").fill(value)
    _save_and_next(page)
    expect(page.get_by_test_id("check-summary")).to_contain_text("没有错误")
    screenshot("department-5-review")

    declaration = Declaration.objects.get()
    assert (declaration.kind, declaration.year, declaration.project_name) == (
        "department_wide",
        2021,
        "衡东县医疗保障局",
    )
    assert declaration.total == Decimal("834.02")
    assert declaration.income_split[0] == ["公共财政拨款", "834.02"]
    assert declaration.spending_split == [
        ["基本支出", "728.02"],
        ["项目支出", "106.00"],
    ]
    assert declaration.duties == table["duties"]
    stored = [
        (r.level1.name, r.level2.name, r.level3, r.value)
        for r in declaration.indicators.select_related("level1", "level2")
    ]
    # As typed, but ≧ stored as ≥ (indicators.values.normalised).
    assert stored == [(*row[:3], normalised(row[3])) for row in table["rows"]]

    declaration.status = "approved"  # print without the draft watermark
    rows = table_rows(pdf.render_declaration(declaration))
    assert row_holds(rows[0], ["部门名称", "衡东县医疗保障局"])
    assert row_holds(
        rows[3], ["公共财政拨款：834.02", "基本支出：728.02", "项目支出：106.00"]
    )
