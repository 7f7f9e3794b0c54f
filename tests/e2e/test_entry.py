"""Staff enter real reference tables through the pages, cell by cell."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from declarations.demo import loading as demo
from declarations.demo.tables import CENTRAL_2023, HEBEI_2020, full_row
from declarations.models import Declaration
from tests.e2e.conftest import SCREENSHOTS, log_in


def _save_and_next(page):
    page.get_by_role("button", name="保存并下一步").click()


def _field(page, label):
    """A form control by its label; required ones carry crispy's asterisk."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def _fill_basic(page, fields):
    page.goto("/declarations/new/")
    for label, value in fields.items():
        control = _field(page, label)
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    page.get_by_role("button", name="新建并填写资金").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("资金与支出计划")


def _fill_funds(page, table, percents, screenshot, name):
    # The labels are the layout's (预算数 on the Hebei table).
    total, fiscal = (
        page.locator("input[name=total]"),
        page.locator("input[name=fiscal]"),
    )
    total.fill("3.505")  # a typo first
    fiscal.fill(table["fiscal"])
    if "fund_use" in table:
        page.get_by_label("资金用途").fill(table["fund_use"])
    for i, percent in enumerate(percents):
        page.locator(f"input[name=percent_{i}]").fill(percent)
    _save_and_next(page)
    expect(page.locator(".invalid-feedback")).to_contain_text("最多保留两位小数")
    # Everything else typed is still there.
    expect(fiscal).to_have_value(table["fiscal"])
    screenshot(f"{name}-2-funds-error")
    total.fill(table["total"])
    expect(page.locator("[data-funds-sum]")).to_contain_text(
        "等于财政资金与其他资金之和"
    )
    screenshot(f"{name}-2-funds")
    _save_and_next(page)
    expect(page.locator("[aria-current=step]")).to_contain_text("绩效目标")


def _rows(page, formset):
    return page.locator(f"[data-formset={formset}] [data-form-row]")


def _ensure_rows(page, formset, count, button):
    while _rows(page, formset).count() < count:
        page.get_by_role("button", name=button).click()


def _fill_goals(page, goals, screenshot, name):
    _ensure_rows(page, "goals", len(goals), "＋ 添加一条目标")
    for i, goal in enumerate(goals):
        _rows(page, "goals").nth(i).locator("textarea").fill(goal)
    screenshot(f"{name}-3-goals")
    _save_and_next(page)
    expect(page.locator("[aria-current=step]")).to_contain_text("绩效指标")


def _fill_indicators(page, rows, screenshot, name, *, hebei):
    _ensure_rows(page, "indicators", len(rows), "＋ 添加一行指标")
    for i, (level1, level2, title, description, value, basis) in enumerate(rows):
        row = _rows(page, "indicators").nth(i)
        row.locator("select[name$='-level1']").select_option(
            label="效益指标" if level1 == "效果指标" else level1
        )
        row.locator("select[name$='-level2']").select_option(label=level2)
        row.locator("textarea[name$='-level3']").fill(title)
        row.locator("input[name$='-value']").fill(value)
        if hebei:
            row.locator("textarea[name$='-description']").fill(description)
            row.locator("textarea[name$='-basis']").fill(basis)
    screenshot(f"{name}-4-indicators")
    _save_and_next(page)
    expect(page.locator("[aria-current=step]")).to_contain_text("核对")


def _stored(declaration):
    rows = [
        (r.level1.name, r.level2.name, r.level3, r.description, r.value, r.basis)
        for r in declaration.indicators.select_related("level1", "level2")
    ]
    goals = [g.text for g in declaration.goals.all()]
    return goals, rows


def _expected_rows(table):
    expected = []
    for row in map(full_row, table["rows"]):
        level1 = "效益指标" if row[0] == "效果指标" else row[0]
        expected.append((level1, *row[1:]))
    return expected


def test_preparer_enters_the_first_hebei_table(page, transactional_db, screenshot):
    demo.load_people()
    from declarations.models import Organization

    Organization.objects.filter(code="450").update(layout="hebei")
    table = HEBEI_2020[0]
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    _fill_basic(
        page,
        {
            "年度": "2020",
            "项目编码": table["project_code"],
            "项目名称": table["project_name"],
        },
    )
    _fill_funds(page, table, ["25.00", "50.00", "75.00", "100.00"], screenshot, "hebei")
    _fill_goals(page, table["goals"], screenshot, "hebei")
    _fill_indicators(page, table["rows"], screenshot, "hebei", hebei=True)
    expect(page.get_by_test_id("check-summary")).to_contain_text("核对通过")
    screenshot("hebei-5-review")

    declaration = Declaration.objects.get()
    assert (declaration.year, declaration.project_code, declaration.project_name) == (
        2020,
        "450-0101-JBN-GZ2I",
        "财务外聘人员工作经费",
    )
    assert str(declaration.organization) == "450002秦皇岛市北戴河区医疗保障局"
    assert (declaration.total, declaration.fiscal, declaration.other) == (
        Decimal("3.50"),
        Decimal("3.50"),
        None,
    )
    assert declaration.fund_use == table["fund_use"]
    assert declaration.spending_plan == [
        [3, "25.00"],
        [6, "50.00"],
        [10, "75.00"],
        [12, "100.00"],
    ]
    assert _stored(declaration) == (table["goals"], _expected_rows(table))


def test_preparer_enters_the_first_central_table(page, transactional_db, screenshot):
    demo.load_people()
    table = CENTRAL_2023[0]
    log_in(page, "spt_tb", demo.DEMO_PASSWORD)
    _fill_basic(
        page,
        {
            "年度": "2023",
            "项目名称": table["project_name"],
            "项目属性": "延续性项目",
            "项目期": table["period"],
        },
    )
    screenshot("central-1-basic-saved")
    # The central table prints no spending plan: its entry asks for none.
    expect(page.locator("input[name=percent_0]")).to_have_count(0)
    _fill_funds(page, table, [], screenshot, "central")
    _fill_goals(page, table["goals"], screenshot, "central")
    _fill_indicators(page, _expected_rows(table), screenshot, "central", hebei=False)
    expect(page.get_by_test_id("check-summary")).to_contain_text("核对通过")
    screenshot("central-5-review")

    declaration = Declaration.objects.get()
    assert (declaration.layout_id, declaration.year, declaration.project_name) == (
        "central",
        2023,
        "城乡居民医疗保险业务经办工作经费",
    )
    assert (declaration.department_name, declaration.implementing_unit) == (
        "中卫市沙坡头区医疗保障局",
        "中卫市沙坡头区医疗保障局",
    )
    assert (declaration.get_attribute_display(), declaration.period) == (
        "延续性项目",
        "1年期",
    )
    assert (declaration.total, declaration.fiscal, declaration.other) == (
        Decimal(35),
        Decimal(35),
        None,
    )
    # Not printed on this table, the plan stays as it was made, unchecked.
    assert declaration.spending_plan == [[3, None], [6, None], [9, None], [12, None]]
    assert _stored(declaration) == (table["goals"], _expected_rows(table))


def test_rows_are_reordered_and_removed_in_the_page(page, transactional_db, screenshot):
    from tests.factories import make_declaration

    units = demo.load_people()
    declaration = make_declaration(units["450002"], goals=["甲", "乙", "丙"])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/goals/")
    rows = _rows(page, "goals")
    rows.nth(2).get_by_role("button", name="上移").click()  # 丙 above 乙
    rows.nth(0).get_by_label("删除").check()  # drop 甲
    expect(rows.nth(1).locator(".row-number")).to_have_text("1")
    screenshot("goals-reordered")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    assert [g.text for g in declaration.goals.all()] == ["丙", "乙"]


def test_second_level_choices_follow_the_first_level(page, transactional_db):
    from tests.factories import make_declaration

    units = demo.load_people()
    declaration = make_declaration(units["450002"], rows=[])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/indicators/")
    row = _rows(page, "indicators").nth(0)
    row.locator("select[name$='-level1']").select_option(label="满意度指标")
    enabled = row.locator("select[name$='-level2'] optgroup:not([disabled]) option")
    expect(enabled).to_have_text(["服务对象满意度指标"])


def test_errors_are_shown_beside_their_rows(page, transactional_db, screenshot):
    from tests.factories import make_declaration

    units = demo.load_people()
    rows = [
        ("产出指标", "数量指标", "参保人数", "", "效果显著", ""),
        ("产出指标", "成本指标", "医保基金监管核查费用", "", "≤15.87万元", ""),
        ("效益指标", "社会效益指标", "政策知晓率", "", "%", ""),
    ]
    declaration = make_declaration(
        units["450002"], rows=rows, total=Decimal("5.07"), fiscal=Decimal("5.07")
    )
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/indicators/")
    spare = _rows(page, "indicators").nth(3)
    spare.locator("textarea[name$='-level3']").fill("没有选指标层级的一行")
    # A draft always saves, an unfinished row included; 核对 names it.
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(spare.locator("textarea[name$='-level3']")).to_have_value(
        "没有选指标层级的一行"
    )
    screenshot("indicators-unfinished-row-saved")

    page.goto(f"/declarations/{declaration.pk}/")
    expect(page.get_by_test_id("check-summary")).to_contain_text("3 处错误")
    expect(page.locator("tr[data-row='4']")).to_contain_text("请选择一级指标和二级指标")
    expect(page.locator("tr[data-row='1']")).to_contain_text("应为可衡量的定量值")
    expect(page.locator("tr[data-row='2']")).to_contain_text("超过项目预算")
    expect(page.locator("tr[data-row='3']")).to_contain_text("没有数值")
    expect(page.get_by_test_id("general-findings")).to_contain_text("满意度指标")
    screenshot("review-with-findings")


def test_a_counter_shows_how_much_of_a_text_is_left(page, transactional_db, screenshot):
    from tests.factories import make_declaration

    units = demo.load_people()
    declaration = make_declaration(units["450002"])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/funds/")
    area = page.get_by_label("资金用途")
    counter = page.locator(".text-counter")
    expect(counter).to_have_text("10 / 2000 字")
    area.fill("用" * 2003)  # not cut by the browser: the server names it
    expect(counter).to_have_text("2003 / 2000 字，超出 3 字，请删减后再保存。")
    expect(counter).to_have_class(re.compile("text-danger"))
    screenshot("funds-text-over-limit")
    _save_and_next(page)
    expect(page.locator("body")).to_contain_text("最多 2000 字，现在有 2003 字")
    expect(area).to_have_value("用" * 2003)


def test_a_page_too_large_to_post_is_stopped_with_the_text_kept(
    page, transactional_db, screenshot, settings
):
    from tests.factories import make_declaration

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4_000  # about 1,300 Chinese characters
    units = demo.load_people()
    declaration = make_declaration(units["450002"])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/funds/")
    requests = []
    page.on("request", lambda r: requests.append(r) if r.method == "POST" else None)
    area = page.get_by_label("资金用途")
    area.fill("用" * 1500)
    _save_and_next(page)
    alert = page.locator("[data-post-limit-alert]")
    expect(alert).to_contain_text("超过了一次最多 4 KB 的上限，没有提交")
    expect(alert).to_contain_text("您填写的内容都还在页面上")
    expect(area).to_have_value("用" * 1500)
    screenshot("funds-post-too-large")
    assert requests == []
    area.fill("用" * 100)
    _save_and_next(page)
    expect(page).to_have_url(re.compile(r"/edit/goals/$"))
    declaration.refresh_from_db()
    assert declaration.fund_use == "用" * 100


def test_a_table_too_long_to_print_says_what_to_shorten(
    page, transactional_db, screenshot, settings
):
    from tests.factories import make_declaration

    settings.PRINT_MAX_PAGES = 2
    units = demo.load_people()
    rows = [
        ("产出指标", "数量指标", f"指标{i}", "述" * 500, "≥1人", "") for i in range(4)
    ]
    declaration = make_declaration(units["450002"], rows=rows)
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/")
    expect(page.locator("body")).to_contain_text("打印出来约有 9 页，超过了 2 页的上限")
    page.get_by_test_id("pdf-download").click()
    message = page.get_by_test_id("not-printed")
    expect(message).to_contain_text("没有生成 PDF：医保经办工作经费")
    expect(message).to_contain_text("请精简较长的绩效指标描述")
    screenshot("pdf-too-long")
    message.get_by_role("link", name="返回申报表").click()
    expect(page).to_have_url(re.compile(rf"/declarations/{declaration.pk}/$"))


def test_leaving_a_step_with_unsaved_changes_asks_first(page, transactional_db):
    from tests.factories import make_declaration

    units = demo.load_people()
    declaration = make_declaration(units["450002"], goals=["确保医保业务正常办理"])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/goals/")
    goal = _rows(page, "goals").nth(0).locator("textarea")
    goal.fill("确保医保业务正常办理，群众满意")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.get_by_test_id("stepper").get_by_role("link", name="绩效指标").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    expect(page.locator("[aria-current=step]")).to_contain_text("绩效目标")
    expect(goal).to_have_value("确保医保业务正常办理，群众满意")
    # Saved, it leaves without asking.
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    page.get_by_test_id("stepper").get_by_role("link", name="绩效指标").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("绩效指标")
    assert asked == ["beforeunload"]


def test_typing_survives_an_expired_login(page, transactional_db, screenshot):
    from tests.factories import make_declaration

    units = demo.load_people()
    declaration = make_declaration(units["450002"], goals=["确保医保业务正常办理"])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    url = f"/declarations/{declaration.pk}/edit/goals/"
    page.goto(url)
    typed = "确保医保业务正常办理，全年经办差错为零"
    _rows(page, "goals").nth(0).locator("textarea").fill(typed)
    _rows(page, "goals").nth(1).locator("textarea").fill("提高参保缴费率")
    # The session ends (the CSRF cookie stays, as it does when a login expires).
    kept = [c for c in page.context.cookies() if c["name"] != "sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies(kept)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("用户名").fill("bdh_tb")
    page.get_by_label("密码").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    banner = page.get_by_test_id("kept-draft")
    expect(banner).to_contain_text("填写但没有保存的内容")
    screenshot("entry-kept-draft")
    banner.get_by_role("button", name="恢复这些内容").click()
    expect(_rows(page, "goals").nth(0).locator("textarea")).to_have_value(typed)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    assert [g.text for g in declaration.goals.all()] == [typed, "提高参保缴费率"]
    # Saved: the copy in the browser is gone, and nothing is offered again.
    page.reload()
    expect(page.get_by_test_id("stepper")).to_be_visible()
    expect(page.get_by_test_id("kept-draft")).to_have_count(0)


def test_typed_operators_become_ge_and_le(page, transactional_db):
    from tests.factories import make_declaration

    units = demo.load_people()
    declaration = make_declaration(units["450002"])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/indicators/")
    first, second = _rows(page, "indicators").nth(0), _rows(page, "indicators").nth(1)
    first.locator("input[name$='-value']").fill(">=90%")
    first.locator("input[name$='-value']").blur()
    expect(first.locator("input[name$='-value']")).to_have_value("≥90%")
    second.locator("input[name$='-value']").fill("60分钟")
    second.get_by_role("button", name="在指标值前加上 ≤").click()
    expect(second.locator("input[name$='-value']")).to_have_value("≤60分钟")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    values = [r.value for r in declaration.indicators.all()]
    assert values[:2] == ["≥90%", "≤60分钟"]


def _paste(locator, text):
    """Paste `text` into a field as a browser does from the clipboard."""
    locator.evaluate(
        """(el, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            el.focus();
            el.dispatchEvent(new ClipboardEvent("paste",
                {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        text,
    )


def test_a_block_copied_from_a_spreadsheet_fills_the_rows(
    page, transactional_db, screenshot
):
    from tests.factories import make_declaration

    units = demo.load_people()
    declaration = make_declaration(units["450002"], rows=[])
    # Eleven rows of six cells, as Excel copies them: tabs, line breaks, and
    # quotes around a cell holding a line break.
    rows = [full_row(r) for t in HEBEI_2020 for r in t["rows"]][:11]
    cells = [list(r) for r in rows]
    cells[0][3] = "结项鉴定优秀等级\n项目数量占比"
    block = "\r\n".join(
        "\t".join(f'"{c}"' if "\n" in c else c for c in row) for row in cells
    )
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/indicators/")
    # A whole row copied, pasted into the third-level field: filled from 一级.
    _paste(_rows(page, "indicators").nth(0).locator("textarea[name$='-level3']"), block)
    expect(_rows(page, "indicators")).to_have_count(11)
    last = _rows(page, "indicators").nth(10)
    expect(last.locator("textarea[name$='-level3']")).to_have_value(rows[10][2])
    expect(last.locator(".row-number")).to_have_text("11")
    screenshot("indicators-pasted")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    stored = [
        (r.level1.name, r.level2.name, r.level3, r.value)
        for r in declaration.indicators.select_related("level1", "level2")
    ]
    # 效果指标, as the Hebei tables name it, is the taxonomy's 效益指标.
    named = {"效果指标": "效益指标"}
    assert stored == [(named.get(r[0], r[0]), r[1], r[2], r[4]) for r in rows]
    assert (
        declaration.indicators.first().description == "结项鉴定优秀等级\n项目数量占比"
    )


def test_four_numbered_goals_pasted_print_as_four_goals(page, transactional_db):
    from declarations.printing import declaration as pdf
    from tests.declarations.pdf_reading import body_text
    from tests.factories import make_declaration

    units = demo.load_people()
    declaration = make_declaration(units["450002"], goals=[])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/goals/")
    pasted = (
        "1.确保医保业务正常办理\n2、提高参保缴费率\n（3）实现应保尽保\n④参保群众满意"
    )
    _paste(_rows(page, "goals").nth(0).locator("textarea"), pasted)
    expect(_rows(page, "goals")).to_have_count(4)
    expect(_rows(page, "goals").nth(2).locator("textarea")).to_have_value(
        "实现应保尽保"
    )
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    text = body_text(pdf.render_declaration(declaration)).replace(" ", "")
    for line in [
        "1、确保医保业务正常办理",
        "2、提高参保缴费率",
        "3、实现应保尽保",
        "4、参保群众满意",
    ]:
        assert line in text
    assert "1、1." not in text


def test_a_project_name_past_its_limit_is_named_not_cut(page, transactional_db):
    from tests.factories import make_declaration

    units = demo.load_people()
    declaration = make_declaration(units["450002"])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/basic/")
    name = _field(page, "项目名称")
    name.fill("医保" * 115)  # 230 characters: the browser no longer cuts it
    expect(name).to_have_value("医保" * 115)
    expect(page.locator(".text-counter").first).to_contain_text(
        "230 / 200 字，超出 30 字"
    )
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("body")).to_contain_text("最多 200 字，现在有 230 字")
    expect(name).to_have_value("医保" * 115)


def test_an_error_on_the_check_page_links_to_its_field(
    page, transactional_db, screenshot
):
    from tests.factories import make_declaration

    units = demo.load_people()
    rows = [
        ("产出指标", "数量指标", "参保人数", "", "≥200人", ""),
        ("产出指标", "成本指标", "业务经费", "", "≤30万元", ""),
        ("效益指标", "社会效益指标", "政策知晓率", "", "", ""),
        ("满意度指标", "服务对象满意度指标", "满意度", "", "≥90%", ""),
    ]
    declaration = make_declaration(units["450002"], rows=rows, goals=[])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/")
    screenshot("check-linked-errors")
    page.locator("tr[data-row='3']").get_by_role("link", name="去修改").click()
    field = page.locator("input[name='indicators-2-value']")
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    field.fill("≥80%")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    page.goto(f"/declarations/{declaration.pk}/")
    page.get_by_test_id("general-findings").get_by_role("link", name="去修改").click()
    expect(page.locator("textarea[name='goals-0-text']")).to_be_focused()


def test_the_indicator_editor_fits_a_laptop_and_a_phone(
    page, transactional_db, screenshot
):
    from tests.factories import make_declaration

    units = demo.load_people()
    # The Hebei layout: six columns, the narrowest lists.
    declaration = make_declaration(units["450002"])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    url = f"/declarations/{declaration.pk}/edit/indicators/"
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(url)
    screenshot("indicators-1366")
    # The longest second level is shown whole in its list.
    cut = page.evaluate(
        """() => {
            const pen = document.createElement("canvas").getContext("2d");
            return Array.from(document.querySelectorAll("select[name$='-level2']"))
              .filter(s => s.offsetParent && s.value)
              .map(s => {
                const style = getComputedStyle(s);
                pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                const text = s.options[s.selectedIndex].text;
                const room = s.clientWidth - parseFloat(style.paddingLeft)
                  - parseFloat(style.paddingRight);
                return pen.measureText(text).width <= room ? null : text;
              }).filter(Boolean);
        }"""
    )
    assert cut == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    screenshot("indicators-390")
    page.locator("[data-form-row]").first.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "indicators-390-first-row.png")
    # On a phone a row's fields stack: one column, none beside another.
    lefts = page.evaluate(
        """() => {
            const row = document.querySelector("[data-form-row]");
            const fields = row.querySelectorAll("select, textarea, input[type=text]");
            return Array.from(fields)
              .map(el => Math.round(el.getBoundingClientRect().left));
        }"""
    )
    assert len(set(lefts)) == 1, lefts
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_logging_out_forgets_what_was_typed_in_this_browser(page, transactional_db):
    from tests.factories import make_declaration

    units = demo.load_people()
    declaration = make_declaration(units["450002"], goals=["确保医保业务正常办理"])
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{declaration.pk}/edit/goals/")
    _rows(page, "goals").nth(0).locator("textarea").fill("没保存的内容")
    kept = "() => Object.keys(localStorage).filter(k => k.startsWith('jixiao-draft:'))"
    assert len(page.evaluate(kept)) == 1
    page.once("dialog", lambda dialog: dialog.accept())  # leave without saving
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert page.evaluate(kept) == []


def test_typing_a_name_offers_indicators_with_their_sources_and_fills_the_row(
    page, transactional_db, screenshot
):
    from indicators.library.seed import load_seed
    from tests.factories import make_declaration

    load_seed()
    units = demo.load_people()
    unit = units["450002"]
    earlier = make_declaration(unit, year=2023, project_name="医保政策业务培训")
    earlier.indicators.filter(level3="参保人数").update(
        level3="参训人数", value="≥120人"
    )
    current = make_declaration(
        unit, year=2024, project_name="医保政策业务培训", fund_use="举办培训班", rows=[]
    )
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{current.pk}/edit/indicators/")
    row = _rows(page, "indicators").nth(0)
    row.locator("select[name$='-level1']").select_option(label="产出指标")
    row.locator("select[name$='-level2']").select_option(label="数量指标")
    row.locator("textarea[name$='-level3']").fill("参训")
    suggestions = row.get_by_test_id("suggestions")
    expect(suggestions).to_contain_text("2023 年 本单位")
    expect(suggestions).to_contain_text("指标库")
    expect(suggestions).not_to_contain_text("培训班次")  # narrowed to 参训
    screenshot("suggestions")
    suggestions.get_by_role("option").first.click()
    expect(row.locator("textarea[name$='-level3']")).to_have_value("参训人数")
    expect(row.locator("input[name$='-value']")).to_have_value("≥120人")
    expect(suggestions).to_have_count(0)


def test_a_draft_from_similar_projects_fills_a_new_table_that_passes_the_levels(
    page, transactional_db, screenshot
):
    from declarations.models import Status
    from indicators.library.seed import load_seed
    from tests.factories import make_declaration

    load_seed()
    unit = demo.load_people()["450002"]
    similar = make_declaration(
        unit, year=2024, project_code="OLD-1", project_name="医保政策业务培训"
    )
    Declaration.objects.filter(pk=similar.pk).update(status=Status.APPROVED)
    current = make_declaration(
        unit,
        year=2024,
        project_name="医保政策业务培训班",
        fund_use="举办培训班",
        rows=[],
    )
    log_in(page, "bdh_tb", demo.DEMO_PASSWORD)
    page.goto(f"/declarations/{current.pk}/edit/indicators/")
    page.get_by_role("button", name="按相似项目生成指标").click()
    expect(page.locator("[data-draft-note]")).to_contain_text("请逐行核对修改后保存")
    rows = _rows(page, "indicators")
    expect(rows.nth(0).locator("textarea[name$='-level3']")).to_have_value("参保人数")
    screenshot("indicator-draft")
    _save_and_next(page)
    expect(page.locator("[aria-current=step]")).to_contain_text("核对")
    body = page.locator("main").inner_text()
    assert "下至少需要一条绩效指标" not in body
    assert current.indicators.count() >= similar.indicators.count()
