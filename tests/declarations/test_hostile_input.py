"""Hostile and clumsy input: control characters, odd field names, refused
twice-made copies. Each test is a finding of issue 13 that once gave a 500
or stored what the export could not write."""

import io
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from declarations.models import Declaration, RowComment, Status
from declarations.services import workflow
from declarations.spreadsheet.export import export_file
from declarations.text import clean_text
from tests.factories import make_declaration, use_layout

# What Word pastes for a line break, a NUL, and the rest of the C0 set.
HOSTILE = "甲\x0b乙\x00丙\x1f丁\r\n戊\x07"
CLEAN = "甲\n乙丙丁\n戊"


def test_clean_text_keeps_line_breaks_and_tabs_and_drops_other_controls():
    assert clean_text(HOSTILE) == CLEAN
    assert clean_text("a\tb\u2028c\x85d\x7f") == "a\tb\nc\nd"
    every_control = "".join(chr(c) for c in range(32)) + "\x7f"
    assert clean_text(every_control) == "\t\n\n\n\n"  # tab; LF, VT, FF, CR


def test_entry_form_stores_text_without_control_characters(client, preparer, unit):
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.post(
        reverse("declaration_step", args=[declaration.pk, "basic"]),
        {
            "version": declaration.version,
            "year": declaration.year,
            "project_code": declaration.project_code,
            "project_name": "医保\x00经费",
            "department_name": declaration.department_name,
            "department_code": "450",
            "implementing_unit": "秦皇岛市\x0b医保局",
            "attribute": "continuing",
            "period": "1年期",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    declaration.refresh_from_db()
    assert declaration.project_name == "医保经费"
    assert declaration.implementing_unit == "秦皇岛市\n医保局"


def test_a_stored_control_character_does_not_break_the_excel_export(unit, preparer):
    # Stored before text was cleaned at the door, e.g. by an older release
    # (PostgreSQL never holds a NUL).
    declaration = make_declaration(unit, preparer)
    stored = HOSTILE.replace("\x00", "")
    Declaration.objects.filter(pk=declaration.pk).update(fund_use=stored)
    data = export_file(Declaration.objects.filter(pk=declaration.pk), "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert CLEAN in values


def test_review_with_a_non_ascii_digit_field_and_nul_in_comments(
    client, unit, preparer, reviewer
):
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    client.force_login(reviewer)
    response = client.post(
        reverse("review", args=[declaration.pk]),
        {
            "decision": "return",
            "comment": "请\x00核实",
            "row_comment_²": "上标数字不是行号",
            "row_comment_2": "金额\x00有误",
        },
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == Status.RETURNED
    comments = RowComment.objects.filter(event__declaration=declaration)
    assert [(c.row_number, c.text) for c in comments] == [(2, "金额有误")]


@pytest.mark.parametrize("reason", ["需\x00复核", "需复核\x0b附件"])
def test_reopen_reason_with_control_characters(
    client, unit, preparer, reviewer, reason
):
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="良")
    client.force_login(reviewer)
    response = client.post(
        reverse("declaration_reopen", args=[declaration.pk]), {"reason": reason}
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == Status.RETURNED
    assert "\x00" not in declaration.events.latest("pk").comment


def test_list_search_with_nul_is_not_an_error(client, preparer, unit):
    make_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.get(reverse("declaration_list"), {"q": "医保\x00"})
    assert response.status_code == 200
    assert "医保经办工作经费" in response.content.decode()


@pytest.mark.parametrize("project_code", ["450-0101-TEST", ""])
def test_copying_to_next_year_twice_says_it_was_copied(
    client, preparer, unit, project_code
):
    source = make_declaration(unit, preparer, year=2024, project_code=project_code)
    client.force_login(preparer)
    url = reverse("declaration_copy_next_year", args=[source.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert Declaration.objects.filter(year=2025).count() == 1
    message = "已有项目编码为" if project_code else "已复制到 2025 年"
    assert message in response.content.decode()


def test_copying_a_department_wide_declaration_twice_says_so(client, department):
    from declarations.models import DeclarationKind
    from declarations.services import drafts
    from tests.factories import make_user

    preparer = make_user("dept-preparer", "preparer", department)
    source = drafts.create_declaration(
        department,
        by=preparer,
        fields={"kind": DeclarationKind.DEPARTMENT_WIDE, "year": 2024},
    )
    client.force_login(preparer)
    url = reverse("declaration_copy_next_year", args=[source.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "年已有部门整体支出绩效目标申报表" in response.content.decode()
    assert Declaration.objects.filter(year=2025).count() == 1


# The import: a preview that says OK must confirm; what confirm could not
# write is a problem at preview, in the row and column it is in.

from tests.declarations.test_exchange import _import, _row, _sheet  # noqa: E402


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("项目名称", "名" * 250, "项目名称最多 200 个字，这里有 250 个"),
        ("项目编码", "C" * 80, "项目编码最多 64 个字，这里有 80 个"),
        ("指标值", "≥" + "9" * 249, "指标值最多 200 个字，这里有 250 个"),
        (
            "预算数（万元）",
            "1e20",
            "金额太大：整数部分最多 12 位。请核对单位是否为万元",
        ),
        ("预算数（万元）", "NaN", "请填写数字（单位：万元）"),
        ("预算数（万元）", "Infinity", "请填写数字（单位：万元）"),
        ("财政资金（万元）", "1e309", "金额太大"),
        ("财政资金（万元）", "-Infinity", "请填写数字（单位：万元）"),
        (
            "资金支出计划（%）",
            "3月底:NaN；12月底:100",
            "3月底：请填写 0–100 之间的数字",
        ),
        ("单位代码", "450", "是主管部门：项目申报表由所属单位填报"),
    ],
)
def test_what_the_database_cannot_hold_is_a_problem_at_preview(
    unit, column, value, message
):
    plan = _import(_sheet([_row(**{column: value})]), "bad.xlsx")
    assert [(p.row, p.column) for p in plan.blocking] == [(2, column)]
    assert message in plan.blocking[0].message


def test_an_array_formula_is_refused_not_imported_as_its_object(db):
    from openpyxl import Workbook
    from openpyxl.worksheet.formula import ArrayFormula

    from declarations.spreadsheet.columns import HEADERS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(_row())
    letter = sheet.cell(row=2, column=HEADERS.index("三级指标") + 1).column_letter
    sheet[f"{letter}2"] = ArrayFormula(f"{letter}2", "=TEXT(A1:A2,0)")
    out = io.BytesIO()
    workbook.save(out)
    from declarations.spreadsheet import files

    with pytest.raises(files.ImportFileError, match=f"公式还没有计算结果（{letter}2）"):
        files.read_rows(out.getvalue(), "array.xlsx")


def test_a_value_with_a_huge_number_confirms(unit):
    from declarations.models import IndicatorRow
    from declarations.spreadsheet import importing

    plan = _import(_sheet([_row(指标值="≥" + "9" * 30 + "人")]), "huge.xlsx")
    assert plan.blocking == []
    importing.apply(plan, None)
    row = IndicatorRow.objects.get(declaration__project_code="450-0101-NEW")
    assert row.value == "≥" + "9" * 30 + "人" and row.value_number is None


@pytest.mark.parametrize("count", [201, 100_000])
def test_a_formset_count_past_the_limit_builds_no_more_forms_and_says_so(
    client, preparer, unit, count
):
    from tests.declarations.test_entry import _indicator_data

    declaration = make_declaration(unit, preparer)
    before = list(declaration.indicators.values_list("pk", flat=True))
    client.force_login(preparer)
    data = _indicator_data(declaration, [], version=declaration.version)
    data["indicators-TOTAL_FORMS"] = count
    response = client.post(
        reverse("declaration_step", args=[declaration.pk, "indicators"]), data
    )
    assert response.status_code == 200
    assert "最多只能填 200 行，请删去多余的行后再保存。" in response.content.decode()
    assert len(response.context["formset"].forms) <= 200
    assert list(declaration.indicators.values_list("pk", flat=True)) == before


def test_an_import_past_200_rows_in_one_declaration_is_refused(unit):
    rows = [_row(三级指标=f"指标{i}") for i in range(201)]
    plan = _import(_sheet(rows), "long.xlsx")
    (problem,) = plan.blocking
    assert problem.row == 202
    assert "一份申报表最多 200 行绩效指标" in problem.message


# Spreadsheet bombs: sized before parsing, streamed while parsing.


def _workbook_bytes(fill):
    from openpyxl import Workbook

    from declarations.spreadsheet.columns import HEADERS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append(_row())
    fill(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_sheet_declared_to_the_last_cell_reads_only_its_rows(unit):
    import re
    import zipfile

    from declarations.spreadsheet import files

    content = _workbook_bytes(lambda sheet: None)
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/"):
                data = re.sub(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data
                )
            target.writestr(member, data)
    rows = files.read_rows(out.getvalue(), "declared.xlsx")
    assert [r["项目名称"] for r in rows] == ["新项目"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("XFD2", "表格第 16384 列（XFD 列）还有内容，超出了可导入的 200 列"),
        ("A1048576", "表格一直用到第 1048576 行，超过了一次最多 20000 行的上限"),
    ],
)
def test_a_cell_far_away_is_named_before_the_sheet_is_read(db, cell, message):
    from declarations.spreadsheet import files

    def far_cell(sheet):
        sheet[cell] = "远处的一格"  # a reader would fill out the rectangle

    content = _workbook_bytes(far_cell)
    assert len(content) < 10_000
    with pytest.raises(files.ImportFileError, match=message):
        files.read_rows(content, "far.xlsx")


def test_a_zip_that_unpacks_past_the_limit_is_refused_before_parsing(db, settings):
    import zipfile

    from declarations.spreadsheet import files

    settings.IMPORT_MAX_UNPACKED_BYTES = 2**20
    content = _workbook_bytes(lambda sheet: None)
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (3 * 2**20))
    assert len(out.getvalue()) < 100_000
    with pytest.raises(files.ImportFileError, match="解压后有 3 MB，超过了 1 MB"):
        files.read_rows(out.getvalue(), "bomb.xlsx")


def test_rows_past_the_limit_stop_the_reading(db, settings):
    from declarations.spreadsheet import files

    settings.IMPORT_MAX_ROWS = 5

    def many(sheet):
        for i in range(20):
            sheet.append(_row(三级指标=f"指标{i}"))

    with pytest.raises(files.ImportFileError, match="超过了一次最多 5 行的上限"):
        files.read_rows(_workbook_bytes(many), "many.xlsx")


def test_rows_without_positions_past_the_limit_are_refused_before_parsing(db, settings):
    import zipfile

    from declarations.spreadsheet import files

    settings.IMPORT_MAX_ROWS = 100
    # A sheet of 20 MB of rows that leave out their optional r="…": the same
    # bytes again and again, which deflate packs into a few kilobytes.
    row = b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * 25 + b"</row>"
    base = zipfile.ZipFile(io.BytesIO(_workbook_bytes(lambda sheet: None)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in base.infolist():
            data = base.read(member)
            if member.filename.startswith("xl/worksheets/"):
                head, _, rest = data.partition(b"<sheetData>")
                data = head + b"<sheetData>" + row * 20_000 + b"</sheetData>"
                data += rest.split(b"</sheetData>", 1)[1]
            bomb.writestr(member, data)
    parse = mock.Mock(side_effect=AssertionError("the sheet was parsed"))
    refused = pytest.raises(files.ImportFileError, match="行数超过了一次最多 100 行")
    with mock.patch.object(files, "CalamineWorkbook", parse), refused:
        files.read_rows(out.getvalue(), "rows.xlsx")


def test_merged_cells_are_still_found_in_read_only_mode(db):
    from declarations.spreadsheet import files

    def merge(sheet):
        sheet.append(_row(三级指标="救助人次"))
        sheet.merge_cells("A2:A3")

    with pytest.raises(files.ImportFileError, match="合并单元格（A2:A3）"):
        files.read_rows(_workbook_bytes(merge), "merged.xlsx")


# Bounded text: every free text has a limit that fits the printed table.


def test_a_use_of_funds_past_its_limit_is_refused_and_kept(client, preparer, unit):
    declaration = make_declaration(use_layout(unit, "hebei"), preparer)
    client.force_login(preparer)
    typed = "保障" * 1001  # 2,002 characters; 600,000 once took 80 s to print
    response = client.post(
        reverse("declaration_step", args=[declaration.pk, "funds"]),
        {
            "version": declaration.version,
            "total": "35",
            "fiscal": "35",
            "fund_use": typed,
            **{f"month_{i}": m for i, m in enumerate([3, 6, 9, 12])},
            **{f"percent_{i}": p for i, p in enumerate([25, 50, 75, 100])},
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "2000" in page and "2002" in page
    )  # 确保该值不超过 2000 个字符（现在有 2002 个）
    assert typed in page
    declaration.refresh_from_db()
    assert declaration.fund_use == "保障医保业务正常办理"


def test_an_imported_text_past_its_limit_is_a_problem_at_preview(unit):
    plan = _import(
        _sheet([_row(资金用途="用" * 2001, 绩效目标="1、" + "标" * 501)]), "long.xlsx"
    )
    messages = {p.column: p.message for p in plan.blocking}
    assert "资金用途最多 2000 个字，这里有 2001 个" in messages["资金用途"]
    assert "第 1 条目标最多 500 个字，这里有 501 个" in messages["绩效目标"]


def test_a_row_comment_past_its_limit_is_refused_and_kept(
    client, unit, preparer, reviewer
):
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    client.force_login(reviewer)
    typed = "意" * 1001
    response = client.post(
        reverse("review", args=[declaration.pk]),
        {"decision": "return", "comment": "", "row_comment_2": typed},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "第 2 行的意见最多 1000 字，现在有 1001 字，请删减。" in page
    assert typed in page
    declaration.refresh_from_db()
    assert declaration.status == Status.SUBMITTED


# Posts past the server's limits: a page that says how to keep the text.


def _funds(declaration, **values):
    return {
        "version": declaration.version,
        "total": "35",
        "fiscal": "35",
        "fund_use": "保障业务",
        **values,
    }


def test_a_post_past_the_size_limit_gets_a_chinese_page_and_changes_nothing(
    client, preparer, unit, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.post(
        reverse("declaration_step", args=[declaration.pk, "funds"]),
        _funds(declaration, fund_use="用" * 12_000),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "内容太多，这次没有保存" in page and "一次提交最多 10 KB" in page
    assert "后退" in page
    declaration.refresh_from_db()
    assert declaration.fund_use == "保障医保业务正常办理"


def test_a_post_with_too_many_fields_gets_a_chinese_page(client, preparer, unit):
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    data = _funds(declaration)
    data.update((f"extra-{i}", "x") for i in range(3001))
    response = client.post(
        reverse("declaration_step", args=[declaration.pk, "funds"]), data
    )
    assert response.status_code == 400
    assert "一页最多 3000 项内容" in response.content.decode()


def test_the_largest_indicator_page_the_form_allows_fits_the_post_limits(
    client, preparer, unit
):
    from indicators.taxonomy import Taxonomy
    from tests.declarations.test_entry import _indicator_data

    taxonomy = Taxonomy.load()
    output = taxonomy.find_level1("产出指标")
    quantity = taxonomy.find_level2(output, "数量指标")
    declaration = make_declaration(unit, preparer, rows=[])
    row = {
        "level1": output.pk,
        "level2": quantity.pk,
        "level3": "指" * 300,
        "description": "述" * 500,
        "value": "≥1" + "人" * 198,
        "basis": "依" * 300,
    }
    data = _indicator_data(
        declaration,
        [{**row, "ORDER": i + 1} for i in range(200)],
        version=declaration.version,
    )
    client.force_login(preparer)
    response = client.post(
        reverse("declaration_step", args=[declaration.pk, "indicators"]), data
    )
    assert response.status_code == 302
    assert declaration.indicators.count() == 200


def test_a_review_post_without_a_decision_says_to_choose_one(
    client, preparer, reviewer, unit
):
    # Found by the fuzz suite: the page came back without a word.
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    client.force_login(reviewer)
    response = client.post(
        reverse("review", args=[declaration.pk]), {"decision": "", "grade": "优"}
    )
    assert response.status_code == 200
    assert "请选择退回修改或审核通过。" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.status == Status.SUBMITTED


# Tables too long to print: a message, before any layout and past a time limit.


def _long_declaration(unit, preparer):
    rows = [
        ("产出指标", "数量指标", f"指标{i}", "述" * 500, "≥1人", "") for i in range(8)
    ]
    return make_declaration(unit, preparer, rows=rows)


def test_a_table_estimated_past_the_page_limit_gets_a_message_not_a_pdf(
    client, preparer, unit, settings
):
    settings.PRINT_MAX_PAGES = 3
    declaration = _long_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.get(reverse("declaration_pdf", args=[declaration.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "这份申报表打印出来约有 17 页，超过了 3 页的上限，没有生成 PDF。" in page
    assert "请精简较长的绩效指标描述" in page


def test_a_table_past_the_page_limit_cannot_be_submitted(unit, preparer, settings):
    from declarations.services.errors import SubmissionBlocked

    settings.PRINT_MAX_PAGES = 3
    declaration = _long_declaration(unit, preparer)
    with pytest.raises(SubmissionBlocked) as blocked:
        workflow.submit(declaration, by=preparer)
    assert "约有 17 页，超过了 3 页的上限" in str(blocked.value)


def test_a_layout_past_the_time_limit_gets_a_message(
    client, preparer, unit, settings, monkeypatch
):
    import time

    from declarations.printing import declaration as printing

    settings.PRINT_SECONDS = 1
    monkeypatch.setattr(printing, "render_declaration", lambda d: time.sleep(10))
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    start = time.monotonic()
    response = client.get(reverse("declaration_pdf", args=[declaration.pk]))
    assert time.monotonic() - start < 5
    assert "排版超过了 1 秒，没有生成 PDF" in response.content.decode()
