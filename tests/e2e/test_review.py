"""The whole review round trip in the browser."""

from playwright.sync_api import expect

from declarations.demo import loading as demo
from declarations.models import Declaration
from declarations.services import workflow
from tests.background import run_tasks
from tests.declarations.pdf_reading import body_text
from tests.e2e.conftest import log_in
from tests.factories import make_declaration
from tests.pdf_checks import assert_readable_everywhere


def _log_out(page):
    page.get_by_role("button", name="退出登录").click()


def test_return_fix_resubmit_and_approve(page, transactional_db, screenshot):
    units = demo.load_people()
    declaration = make_declaration(units["450002"], project_name="医保经办工作经费")
    pk = declaration.pk

    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{pk}/")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("已提交审核")
    _log_out(page)

    log_in(page, "bdh_sh", demo.DEMO_PASSWORD)
    expect(page.get_by_test_id("badge-to-review")).to_have_text("1")
    page.get_by_role("link", name="审核").first.click()
    page.get_by_test_id("review-queue").get_by_role("link", name="审核").click()
    page.get_by_label("第 4 行的审核意见").fill("业务经费应低于预算，请核实")
    page.get_by_label("总体意见").fill("成本指标需要修改")
    screenshot("review-return")
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("已退回")
    _log_out(page)

    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    expect(page.get_by_test_id("badge-returned")).to_have_text("1")
    page.goto(f"/declarations/{pk}/")
    expect(page.locator("tr[data-row='4']")).to_contain_text("业务经费应低于预算")
    # The preparer answers the comment beside its row.
    page.get_by_label("答复第 4 行的审核意见").fill("已按预算调整为 ≤30万元")
    page.locator("tr[data-row='4']").get_by_role("button", name="答复").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("已保存答复")
    expect(page.locator("tr[data-row='4'] [data-row-answer]")).to_contain_text(
        "已按预算调整为 ≤30万元"
    )
    screenshot("row-comment-answered")
    page.goto(f"/declarations/{pk}/edit/indicators/")
    expect(page.get_by_test_id("return-comments")).to_contain_text("成本指标需要修改")
    row = page.locator("[data-formset=indicators] [data-form-row]").nth(3)
    expect(row.locator("[data-row-comment]")).to_contain_text("业务经费应低于预算")
    row.locator("input[name$='-value']").fill("≤30万元")
    page.get_by_role("button", name="保存并下一步").click()
    screenshot("returned-fixed")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("已提交审核")
    _log_out(page)

    log_in(page, "bdh_sh", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{pk}/review/")
    # The comment and its answer beside the row, on the next look.
    expect(page.locator("tr[data-row='4']")).to_contain_text("业务经费应低于预算")
    expect(page.locator("tr[data-row='4']")).to_contain_text("已按预算调整为 ≤30万元")
    changes = page.get_by_test_id("changes")
    expect(changes).to_contain_text("业务经费")
    expect(changes).to_contain_text("≤35万元")
    expect(changes).to_contain_text("≤30万元")
    page.get_by_label("良").check()
    screenshot("review-diff-approve")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("已审核通过")
    _log_out(page)

    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{pk}/")
    expect(page.get_by_test_id("workflow-actions")).to_contain_text("综合评定等级：良")
    expect(page.get_by_role("button", name="提交审核")).to_have_count(0)
    expect(page.get_by_test_id("timeline")).to_contain_text("审核通过")
    screenshot("approved-detail")
    response = page.goto(f"/declarations/{pk}/edit/basic/")
    assert response.status == 403
    expect(page.locator("body")).to_contain_text("撤销审核")

    declaration = Declaration.objects.get(pk=pk)
    assert (declaration.status, declaration.grade) == ("approved", "良")
    assert list(declaration.events.values_list("action", flat=True)) == [
        "submit",
        "return",
        "submit",
        "approve",
    ]


def test_pdf_download_button(page, transactional_db):
    units = demo.load_people()
    declaration = make_declaration(units["450002"])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/")
    with page.expect_download() as info:
        page.get_by_test_id("pdf-download").click()
    download = info.value
    assert download.suggested_filename == "2024-450-0101-TEST-医保经办工作经费.pdf"
    with open(download.path(), "rb") as f:
        assert f.read(4) == b"%PDF"


def test_approving_then_downloading_the_department_book(page, transactional_db):
    """The approval only enqueues the printing; the worker keeps the files and
    the reviewer's download is a book that reads in every viewer."""
    units = demo.load_people()
    declaration = make_declaration(units["450002"], project_name="医保经办工作经费")
    preparer = declaration.organization.memberships.get(role="preparer").user
    workflow.submit(declaration, by=preparer)

    log_in(page, "bdh_sh", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/review/")
    page.get_by_label("优").check()
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("已审核通过")
    assert run_tasks() == 2  # the table's files, then the book's own pages

    page.get_by_role("link", name="部门绩效信息").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 2024 年绩效信息册（PDF）").click()
    with open(info.value.path(), "rb") as f:
        data = f.read()
    assert_readable_everywhere(data)
    assert "医保经办工作经费绩效目标表" in body_text(data)


def test_approving_without_a_grade_shows_the_message_in_view(
    page, transactional_db, screenshot
):
    units = demo.load_people()
    from django.contrib.auth import get_user_model

    preparer = get_user_model().objects.get(username="bdh_tb")
    declaration = make_declaration(units["450002"], preparer)
    workflow.submit(declaration, by=preparer)
    log_in(page, "bdh_sh", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/review/")
    page.get_by_role("button", name="审核通过").click()
    message = page.locator(".invalid-feedback", has_text="综合评定等级")
    expect(message).to_be_in_viewport()
    screenshot("review-missing-grade")
    assert Declaration.objects.get(pk=declaration.pk).status == "submitted"
