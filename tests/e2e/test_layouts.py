"""A new layout made in the admin, without code: an administrator copies the
Hebei layout, adds a 指标解释 column to the copy's definition, has a
department use it, and its preparer enters and prints the new column."""

import json

from playwright.sync_api import expect

from declarations.models import Organization, TableLayout
from tests.declarations.pdf_reading import table_rows
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, make_declaration, make_user
from tests.pdf_checks import assert_readable_everywhere


def _edit_definition(page, change):
    box = page.locator("textarea[name=document]")
    document = json.loads(box.input_value())
    change(document)
    box.fill(json.dumps(document, ensure_ascii=False, indent=2))
    page.get_by_role("button", name="保存并继续编辑").click()


def _indicator_table(document):
    return next(p for p in document["parts"] if p["kind"] == "indicators")


def test_an_admin_adds_a_column_to_a_copy_and_a_preparer_prints_it(
    page, unit, preparer, screenshot
):
    make_user("root-admin", is_staff=True, is_superuser=True)
    log_in(page, "root-admin", PASSWORD)
    page.goto("/admin/declarations/tablelayout/")
    hebei = TableLayout.objects.get(code="hebei")
    page.locator(f"input[name=_selected_action][value='{hebei.pk}']").check()
    page.locator("select[name=action]").select_option(
        label="复制所选样式（在副本上修改）"
    )
    page.get_by_role("button", name="执行").click()
    expect(page.locator(".messagelist")).to_contain_text("hebei-copy")

    # A column without its width: the admin is told where, and keeps the text.
    def add_column(document):
        _indicator_table(document)["columns"].insert(
            4, {"field": "explanation", "label": "指标解释"}
        )

    _edit_definition(page, add_column)
    expect(page.locator(".errorlist")).to_contain_text(
        "parts[3].widths：列宽的个数应与栏目个数（含 lead 列）相同"
    )
    assert "指标解释" in page.locator("textarea[name=document]").input_value()
    screenshot("layout-admin-error")

    def set_widths(document):
        _indicator_table(document)["widths"] = [11, 13, 14, 18, 14, 12, 18]

    _edit_definition(page, set_widths)
    expect(page.locator(".messagelist")).to_contain_text("现为第 2 版")
    expect(page.locator(".layout-versions")).to_contain_text("下载第 2 版")
    screenshot("layout-admin-saved")

    # The department chooses the copy.
    department = unit.parent
    page.goto(f"/admin/declarations/organization/{department.pk}/change/")
    page.locator("select[name=layout]").select_option(
        label="项目绩效目标表（河北样式）（副本）"
    )
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("成功修改了")
    assert Organization.objects.get(pk=department.pk).layout_id == "hebei-copy"

    # Its preparer fills the new column and prints it.
    unit.refresh_from_db()
    declaration = make_declaration(unit, preparer)
    assert (declaration.layout_id, declaration.layout_version) == ("hebei-copy", 2)
    page.context.clear_cookies()
    log_in(page, preparer.username, PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/indicators/")
    expect(page.locator("th", has_text="指标解释")).to_be_visible()
    first = page.locator("textarea[name='indicators-0-explanation']")
    first.fill("按年末参保登记人数计")
    screenshot("layout-copy-entry")
    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    declaration.refresh_from_db()
    assert declaration.indicators.first().explanation == "按年末参保登记人数计"

    response = page.request.get(f"/declarations/{declaration.pk}/pdf/")
    data = response.body()
    assert_readable_everywhere(data)
    rows = table_rows(data)
    header = next(r for r in rows if r[0] == "一级指标")
    assert header[:5] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "绩效指标描述",
        "指标解释",
    ]
    assert any("按年末参保登记人数计" in r for r in rows)


def test_a_preparer_fills_a_side_table_adding_rows(page, unit, preparer, screenshot):
    from declarations.services.layouts import save_definition
    from tests.declarations.test_side_tables import COUNTY

    save_definition(TableLayout(code="county"), COUNTY, by=None)
    Organization.objects.filter(pk=unit.parent_id).update(layout="county")
    unit.refresh_from_db()
    declaration = make_declaration(unit, preparer)
    log_in(page, preparer.username, PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/goals/")
    page.get_by_role("button", name="保存并下一步").click()
    expect(page.get_by_role("heading", name="项目实施进度计划")).to_be_visible()
    rows = page.locator("[data-testid=side-schedule] tr[data-form-row]")
    rows.nth(0).locator("textarea").fill("完成参保登记")
    rows.nth(0).locator("input[name$='-start']").fill("2026-01-01")
    rows.nth(0).locator("input[name$='-end']").fill("2026-03-31")
    page.get_by_role("button", name="＋ 添加一行").click()
    rows.nth(1).locator("textarea").fill("待遇支付")
    rows.nth(1).locator("input[name$='-end']").fill("2026-12-31")
    screenshot("layout-side-table-entry")
    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    declaration.refresh_from_db()
    assert declaration.extra["schedule"] == [
        {"content": "完成参保登记", "start": "2026-01-01", "end": "2026-03-31"},
        {"content": "待遇支付", "start": "", "end": "2026-12-31"},
    ]
