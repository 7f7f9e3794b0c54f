import re

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_demo_preparer_logs_in_and_sees_the_home_page(
    page, transactional_db, screenshot
):
    call_command("load_demo")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    screenshot("login")
    log_in(page, "bdh_tb", "Demo@2026")
    expect(page.get_by_role("heading", level=1)).to_contain_text("北戴河区填报人")
    memberships = page.get_by_test_id("memberships")
    expect(memberships).to_contain_text("450002")
    expect(memberships).to_contain_text("填报人")
    screenshot("home-preparer")


def test_wrong_password_shows_a_chinese_message(page, transactional_db):
    call_command("load_demo")
    log_in(page, "bdh_tb", "not-the-password")
    expect(page.get_by_role("alert").or_(page.locator(".alert"))).to_contain_text(
        "请输入一个正确的用户名和密码"
    )


def test_repeated_wrong_passwords_lock_the_account_here_with_a_message(
    page, transactional_db, settings, screenshot
):
    settings.LOGIN_SLOWDOWN_AFTER = 1000  # the pair's lock alone, no waits
    call_command("load_demo")
    for _ in range(10):
        log_in(page, "bdh_tb", "not-the-password")
    # Even the right password is refused now, with why and until when.
    log_in(page, "bdh_tb", "Demo@2026")
    locked = page.get_by_test_id("locked-out")
    expect(locked).to_contain_text("这个账号在这台电脑上暂时不能登录")
    expect(locked).to_contain_text("15 分钟内输错密码 10 次")
    expect(locked).to_contain_text("换一台不在同一网络的电脑仍可登录这个账号")
    screenshot("login-locked-out")


def test_a_weak_new_password_is_refused_in_chinese(page, transactional_db, screenshot):
    call_command("load_demo")
    log_in(page, "bdh_tb", "Demo@2026")
    page.get_by_test_id("current-user").click()
    page.get_by_label("旧密码").fill("Demo@2026")
    page.locator("#id_new_password1").fill("Caizheng@2027")
    page.get_by_label("新密码确认").fill("Caizheng@2027")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("常见的词加上数字或符号")
    screenshot("password-weak")
