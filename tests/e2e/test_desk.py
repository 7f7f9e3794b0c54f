"""The department's desk in the browser: a reviewer filters the list to one
unit's waiting tables and approves three at once; returns one with a ready
opinion of the checklist and a warning's ready comment; the preparer finds
the comment on the desk and beside its row. Both desks are photographed at
1366 px and printed to PDF."""

import subprocess
from decimal import Decimal

from playwright.sync_api import expect

from declarations.demo import loading as demo
from declarations.models import (
    Aspect,
    Declaration,
    DeclarationEvent,
    OpinionTemplate,
    ReviewQuestion,
    Status,
    default_year,
)
from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.factories import make_declaration, make_unit
from tests.pdf_checks import assert_readable_everywhere


def _log_out(page):
    page.get_by_role("button", name="退出登录").click()


def _print(page, name):
    """The page printed as Chromium prints it, checked and turned to PNGs."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / f"{name}.pdf"
    page.emulate_media(media="print")
    pdf.write_bytes(page.pdf(format="A4", print_background=True))
    page.emulate_media(media="screen")
    assert_readable_everywhere(pdf.read_bytes())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / name)],
        check=True,
    )


def test_the_reviewer_approves_three_of_one_units_waiting_tables_at_once(
    page, transactional_db, screenshot
):
    units = demo.load_people()
    unit = units["450002"]
    centre = make_unit(unit.parent, "450003", "秦皇岛市北戴河区医疗保障服务中心")
    year = default_year()  # the desk's year
    mine = [
        make_declaration(unit, project_code=f"450-W-{i}", year=year) for i in range(4)
    ]
    theirs = make_declaration(centre, project_code="450003-W", year=year)
    for table in [*mine, theirs]:
        Declaration.objects.filter(pk=table.pk).update(status=Status.SUBMITTED)

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "bdh_sh", demo.DEMO_PASSWORD)
    expect(page.get_by_test_id("reviewer-progress")).to_contain_text("0 / 5 份已审核")
    screenshot("desk-reviewer")
    _print(page, "desk-reviewer-print")
    page.get_by_role("link", name="项目申报").click()
    filters = page.get_by_test_id("list-filters")
    filters.get_by_label("状态").select_option(label="待审核")
    filters.get_by_label("单位").select_option(label=f"{unit.code} {unit.name}")
    filters.get_by_role("button", name="查询").click()
    rows = page.get_by_test_id("declaration-list").locator("tbody tr")
    expect(rows).to_have_count(4)
    for table in mine[:3]:
        page.get_by_label(f"选择 {table.project_name}").nth(mine.index(table)).check()
    batch = page.get_by_test_id("batch-bar")
    batch.get_by_label("综合评定等级").select_option("良")
    page.once("dialog", lambda dialog: dialog.accept())
    batch.get_by_role("button", name="批量审核通过").click()
    expect(page.get_by_test_id("batch-summary")).to_have_text("审核通过 3 份。")
    expect(page.get_by_test_id("batch-done").locator("tbody tr")).to_have_count(3)
    screenshot("batch-result")
    approved = Declaration.objects.filter(status=Status.APPROVED, grade="良")
    assert set(approved.values_list("pk", flat=True)) == {t.pk for t in mine[:3]}
    page.get_by_role("link", name="返回列表").click()
    # The list as it was filtered (待审核 of the unit): the one left waiting.
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("450-W-3")


def test_a_return_with_a_ready_opinion_and_comment_reaches_the_preparers_desk(
    page, transactional_db, screenshot
):
    units = demo.load_people()
    # 业务经费 ≤35万元 against a budget of 5.07: a warning on row 4.
    table = make_declaration(
        units["450002"],
        total=Decimal("5.07"),
        fiscal=Decimal("5.07"),
        year=default_year(),
    )
    Declaration.objects.filter(pk=table.pk).update(status=Status.SUBMITTED)
    question = ReviewQuestion.objects.create(
        aspect=Aspect.APPROPRIATENESS, text="成本指标是否不超过预算", position=1
    )
    OpinionTemplate.objects.create(
        question=question, text="成本指标高于预算，请按预算调整"
    )

    log_in(page, "bdh_sh", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{table.pk}/review/")
    asked = page.locator(f"[data-question='{question.pk}']")
    asked.get_by_role("radio", name="否", exact=True).check()
    asked.get_by_role("button", name="成本指标高于预算，请按预算调整").click()
    expect(asked.get_by_role("textbox")).to_have_value("成本指标高于预算，请按预算调整")
    row = page.locator("tr[data-row='4']")
    row.get_by_role("button", name="采用为该行意见").click()
    comment = page.get_by_label("第 4 行的审核意见")
    expect(comment).to_have_value(
        "成本指标上限 ≤35万元（35 万元）超过项目预算 5.07 万元，请核对指标值或预算。"
    )
    screenshot("review-ready-comment")
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator(".messages .alert-success")).to_contain_text("已退回")
    event = DeclarationEvent.objects.filter(declaration=table).last()
    assert event.checklist[0]["answer"] == "否"
    assert event.checklist[0]["opinion"] == "成本指标高于预算，请按预算调整"
    _log_out(page)

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    returned = page.get_by_test_id("desk-returned")
    expect(returned).to_contain_text(table.project_name)
    expect(returned).to_contain_text("第 4 行“业务经费”：成本指标上限 ≤35万元")
    expect(page.get_by_test_id("bell")).to_contain_text("2")  # the return, its comment
    screenshot("desk-preparer")
    _print(page, "desk-preparer-print")
    returned.get_by_role("link", name=table.project_name).click()
    expect(page.locator("tr[data-row='4']")).to_contain_text("超过项目预算 5.07 万元")
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "成本指标高于预算，请按预算调整"
    )
