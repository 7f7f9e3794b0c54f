"""The guide beside the layouts: an administrator goes from the list of
layouts to the guide, looks up a field key, sees the first pages of the
layouts drawn and downloads one's definition to start from."""

import json

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, make_user


def test_an_admin_reads_the_guide_and_downloads_a_layout(page, screenshot):
    make_user("root-admin", is_staff=True, is_superuser=True)
    log_in(page, "root-admin", PASSWORD)
    page.goto("/admin/declarations/tablelayout/")
    page.get_by_role("link", name="样式定义说明").click()
    expect(page.get_by_role("heading", name="样式定义说明")).to_be_visible()

    key = page.locator("tr[data-key=project_code]")
    expect(key).to_contain_text("项目编码")
    expect(key).to_contain_text("基本信息")

    hebei = page.locator(".layout-gallery li[data-code=hebei]")
    picture = hebei.locator("img")
    picture.scroll_into_view_if_needed()
    expect(picture).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0",
        arg=picture.element_handle(),
        timeout=60_000,
    )
    assert picture.evaluate("img => img.naturalWidth") == 600
    gallery = page.locator(".layout-gallery img")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.layout-gallery img')]"
        ".every(img => img.complete && img.naturalWidth > 0)",
        timeout=120_000,
    )
    assert gallery.count() >= 7

    with page.expect_download() as download:
        hebei.get_by_role("link", name="下载定义（JSON）").click()
    document = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert document["name"] == "项目绩效目标表（河北样式）"
    page.locator("#fields").scroll_into_view_if_needed()
    screenshot("layout-guide")
