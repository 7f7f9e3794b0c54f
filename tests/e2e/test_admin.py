"""The admin in a real browser: its pages work under the Content-Security-
Policy (the page fixture fails on any refused script or style), and a change
made there shows in the admin log."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, make_user


def test_an_admin_renames_a_unit_and_finds_it_in_the_log(
    page, unit, preparer, screenshot
):
    make_user("root-admin", is_staff=True, is_superuser=True)
    log_in(page, "root-admin", PASSWORD)
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="系统管理")).to_be_visible()
    page.goto(f"/admin/declarations/organization/{unit.pk}/change/")
    page.get_by_label("名称").fill("北戴河区医疗保障局（新名）")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("成功修改了")

    page.goto("/admin/admin/logentry/")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("北戴河区医疗保障局（新名）")
    expect(row).to_contain_text("root-admin")
    expect(row).to_contain_text("修改：已修改名称。")
    screenshot("admin-log")
