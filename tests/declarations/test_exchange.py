"""Export to and import from xlsx and csv: round trip, bad files, all or nothing."""

import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from declarations.models import Declaration, Goal, IndicatorRow, Status
from declarations.services import errors, workflow
from declarations.spreadsheet import files, importing
from declarations.spreadsheet.columns import HEADERS
from declarations.spreadsheet.export import export_file
from tests.factories import make_declaration


def _content(declaration):
    return (
        declaration.organization.code,
        declaration.year,
        declaration.project_code,
        declaration.project_name,
        declaration.department_name,
        declaration.implementing_unit,
        declaration.attribute,
        declaration.period,
        declaration.total,
        declaration.fiscal,
        declaration.other,
        declaration.fund_use,
        declaration.spending_plan,
        [g.text for g in declaration.goals.all()],
        [
            (
                r.position,
                r.level1.name,
                r.level2.name,
                r.level3,
                r.description,
                r.value,
                r.basis,
            )
            for r in declaration.indicators.select_related("level1", "level2")
        ],
    )


def _all():
    return sorted(
        (_content(d) for d in Declaration.objects.filter(kind="project")),
        key=lambda c: (c[0], c[1], c[2], c[3]),
    )


@pytest.fixture
def demo(db):
    call_command("load_demo", "--reference-only")  # the reference tables alone


def _import(content, name, user=None, units=None):
    from declarations.models import Organization

    rows = files.read_rows(content, name)
    plan = importing.analyse(
        rows,
        user,
        allowed_units=units if units is not None else Organization.objects.all(),
    )
    return plan


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_database_gives_the_same_declarations(
    demo, file_format
):
    before = _all()
    data = export_file(Declaration.objects.all(), file_format)
    IndicatorRow.objects.all().delete()
    Goal.objects.all().delete()
    Declaration.objects.filter(kind="project").delete()
    plan = _import(data, f"export.{file_format}")
    assert plan.blocking == []
    importing.apply(plan, None)
    assert _all() == before
    assert len(before) == 7


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_importing_a_fresh_export_again_changes_nothing(demo, file_format):
    data = export_file(Declaration.objects.all(), file_format)
    versions = list(Declaration.objects.values_list("pk", "version"))
    plan = _import(data, f"again.{file_format}")
    assert plan.problems == []
    assert {d.action for d in plan.declarations} == {"unchanged"}
    assert Declaration.objects.filter(status=Status.APPROVED).count() == 5
    importing.apply(plan, None)
    assert list(Declaration.objects.values_list("pk", "version")) == versions


def test_headers_are_chinese_and_formulas_are_escaped(unit, preparer):
    make_declaration(
        unit,
        preparer,
        project_name='=HYPERLINK("http://evil","点我")',
        fund_use="+1+1",
        rows=[("产出指标", "数量指标", "@SUM(A1)", "-2", "≥90%", "\t计划")],
    )
    data = export_file(Declaration.objects.all(), "xlsx")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["单位代码", "年度", "项目编码", "项目名称"]
    cells = {h: c.value for h, c in zip(headers, sheet[2], strict=True)}
    assert cells["项目名称"] == '\'=HYPERLINK("http://evil","点我")'
    assert cells["资金用途"] == "'+1+1"
    assert cells["三级指标"] == "'@SUM(A1)"
    assert cells["绩效指标描述"] == "'-2"
    assert cells["指标值确定依据"] == "'\t计划"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    csv = export_file(Declaration.objects.all(), "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'+1+1" in csv
    # …and the import gives the text back as typed.
    before = _all()
    Declaration.objects.all().delete()
    importing.apply(_import(data, "x.xlsx"), None)
    assert _all() == before


def _sheet(rows, headers=HEADERS, merge=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row(**values):
    base = {
        "单位代码": "450002",
        "年度": 2025,
        "项目编码": "450-0101-NEW",
        "项目名称": "新项目",
        "预算数（万元）": 10,
        "财政资金（万元）": 10,
        "资金支出计划（%）": "3月底:25；6月底:50；10月底:75；12月底:100",
        "绩效目标": "1、保障业务",
        "一级指标": "产出指标",
        "二级指标": "数量指标",
        "三级指标": "参保人数",
        "指标值": "≥100人",
    }
    base.update(values)
    return [base.get(h, "") for h in HEADERS]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.xlsx", "文件是空的"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "picture.xlsx", "不是有效的 Excel"),
        (b"GIF89a\x00\x01", "picture.png", "只能导入 .xlsx 或 .csv"),
        (b"\x00\x01\x02binary", "data.csv", "不是 CSV"),
    ],
)
def test_files_that_are_not_spreadsheets_get_a_clear_message(
    db, content, name, message
):
    with pytest.raises(files.ImportFileError, match=message):
        files.read_rows(content, name)


def test_wrong_headers_are_named(db):
    data = _sheet([["x"]], headers=["单位", "年份", "名称"])
    with pytest.raises(files.ImportFileError, match="表头缺少这些列：单位代码、年度"):
        files.read_rows(data, "wrong.xlsx")


def test_merged_cells_are_refused(db):
    data = _sheet([_row(), _row(三级指标="救助人次")], merge="A2:A3")
    with pytest.raises(files.ImportFileError, match="合并单元格（A2:A3）"):
        files.read_rows(data, "merged.xlsx")


def test_a_formula_without_its_result_is_refused_where_it_is(db):
    # Excel keeps each formula's last result; a program that wrote the file
    # may not, and the cell would read as empty.
    data = _sheet([_row(**{"预算数（万元）": "=5+5"})])
    with pytest.raises(files.ImportFileError, match="公式还没有计算结果（J2）"):
        files.read_rows(data, "formula.xlsx")


def test_a_formula_reads_as_the_value_excel_shows(unit):
    data = _with_results(_sheet([_row(**{"预算数（万元）": "=5+5"})]), "10")
    plan = _import(data, "formula.xlsx")
    assert plan.blocking == []
    assert plan.declarations[0].fields["total"] == Decimal("10.00")


def _with_results(content: bytes, value: str) -> bytes:
    """The file as Excel saves it: each formula with its last result."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/"):
                # However the writer spelled the empty value (lxml: <v/>).
                data = re.sub(rb"<v ?/>|<v></v>", f"<v>{value}</v>".encode(), data)
            target.writestr(member, data)
    return out.getvalue()


def test_a_file_over_the_limit_is_refused_before_reading(db, settings):
    settings.IMPORT_MAX_BYTES = 10 * 2**20
    with pytest.raises(
        files.ImportFileError, match="文件有 20 MB，超过了 10 MB 的上限"
    ):
        files.read_rows(b"x" * (20 * 2**20), "big.csv")


def test_ten_thousand_rows_are_read_and_checked(unit, preparer):
    rows = [
        _row(
            项目编码=f"P-{i // 10:04d}", 项目名称=f"项目{i // 10}", 三级指标=f"指标{i}"
        )
        for i in range(10_000)
    ]
    plan = _import(_sheet(rows), "big.xlsx")
    assert plan.row_count == 10_000
    assert len(plan.declarations) == 1000
    assert plan.blocking == []


def test_each_problem_names_its_sheet_row_and_column(unit, other_unit):
    data = _sheet(
        [
            _row(),
            _row(单位代码="999999"),
            _row(项目编码="B", 一级指标="产出", 二级指标="效益"),
            _row(项目编码="C", **{"预算数（万元）": "十万"}),
            _row(项目编码="D", 年度="24"),
        ]
    )
    plan = _import(data, "problems.xlsx", units=[unit])
    found = [(p.sheet, p.row, p.column) for p in plan.blocking]
    assert found == [
        ("申报数据", 3, "单位代码"),
        ("申报数据", 4, "二级指标"),
        ("申报数据", 5, "预算数（万元）"),
        ("申报数据", 6, "年度"),
    ]
    messages = " ".join(p.message for p in plan.blocking)
    assert "没有代码为 999999 的单位" in messages
    assert "不属于“产出指标”" in messages
    assert "请填写数字（单位：万元），如 3.50。" in messages


def test_check_errors_are_listed_but_do_not_block_a_draft(unit):
    data = _sheet([_row(**{"财政资金（万元）": 8})])
    plan = _import(data, "sum.xlsx")
    assert plan.blocking == []
    assert any("不等于财政资金" in p.message and not p.blocking for p in plan.problems)


def test_a_check_finding_names_the_column_it_is_about(unit):
    data = _sheet([_row(**{"财政资金（万元）": 8})])
    plan = _import(data, "sum.xlsx")
    (budget,) = [p for p in plan.problems if "不等于财政资金" in p.message]
    assert budget.column == "预算数（万元）"
    missing = [p for p in plan.problems if "至少需要" in p.message]
    assert missing and {p.column for p in missing} == {"绩效指标"}


def test_an_approved_declaration_cannot_be_changed_by_import(demo):
    data = export_file(Declaration.objects.all(), "xlsx")
    sheet_book = load_workbook(io.BytesIO(data))
    sheet = sheet_book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    approved = next(
        row[0].row
        for row in sheet.iter_rows(min_row=2)
        if row[headers.index("状态")].value == "已审核"
    )
    sheet.cell(row=approved, column=headers.index("项目名称") + 1, value="改过的名称")
    out = io.BytesIO()
    sheet_book.save(out)
    plan = _import(out.getvalue(), "changed.xlsx")
    assert any("已审核，不能通过导入修改" in p.message for p in plan.blocking)


def test_an_error_in_the_last_row_leaves_the_database_untouched(unit):
    rows = [_row(项目编码=f"OK-{i}") for i in range(3)] + [
        _row(项目编码="BAD", 二级指标="不存在的指标")
    ]
    plan = _import(_sheet(rows), "last.xlsx")
    assert len(plan.blocking) == 1 and plan.blocking[0].row == 5
    with pytest.raises(errors.ImportRefused):
        importing.apply(plan, None)
    assert Declaration.objects.count() == 0


def test_a_failure_while_writing_rolls_everything_back(unit, monkeypatch):
    plan = _import(_sheet([_row(项目编码=f"OK-{i}") for i in range(3)]), "ok.xlsx")

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(IndicatorRow.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        importing.apply(plan, None)
    assert Declaration.objects.count() == 0


def test_users_import_only_into_their_own_units(unit, outsider):
    plan = importing.analyse(files.read_rows(_sheet([_row()]), "x.xlsx"), outsider)
    (problem,) = plan.blocking
    assert "不是您可以填报的单位" in problem.message


def test_upload_preview_and_confirm_through_the_pages(client, unit, preparer):
    client.force_login(preparer)
    upload = io.BytesIO(_sheet([_row()]))
    upload.name = "新项目.xlsx"
    response = client.post(reverse("declaration_import"), {"file": upload})
    assert response.status_code == 200
    plan = response.context["import_plan"]
    assert plan.count("create") == 1 and Declaration.objects.count() == 0
    client.post(
        reverse("declaration_import_confirm"), {"token": response.context["token"]}
    )
    declaration = Declaration.objects.get()
    assert (declaration.project_code, declaration.created_by) == (
        "450-0101-NEW",
        preparer,
    )
    again = client.post(
        reverse("declaration_import_confirm"),
        {"token": response.context["token"]},
        follow=True,
    )
    assert "导入已过期或已完成" in again.content.decode()


def test_a_preview_left_unconfirmed_leaves_no_file_behind(
    client, unit, preparer, settings
):
    import os
    import time
    from pathlib import Path

    client.force_login(preparer)

    def preview(name):
        upload = io.BytesIO(_sheet([_row()]))
        upload.name = name
        return client.post(reverse("declaration_import"), {"file": upload})

    left = preview("左下的.xlsx")
    folder = Path(settings.MEDIA_ROOT) / "imports"
    (left_file,) = folder.iterdir()
    two_days_ago = time.time() - 2 * 86400
    os.utime(left_file, (two_days_ago, two_days_ago))
    confirmed = preview("确认的.xlsx")
    assert left_file not in folder.iterdir() and len(list(folder.iterdir())) == 1
    expired = client.post(
        reverse("declaration_import_confirm"),
        {"token": left.context["token"]},
        follow=True,
    )
    assert "导入已过期或已完成，请重新上传文件。" in expired.content.decode()
    client.post(
        reverse("declaration_import_confirm"), {"token": confirmed.context["token"]}
    )
    assert Declaration.objects.count() == 1
    assert list(folder.iterdir()) == []


def test_an_oversized_upload_gets_a_message_not_a_500(client, preparer, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(preparer)
    upload = io.BytesIO(b"x" * 5000)
    upload.name = "big.csv"
    response = client.post(reverse("declaration_import"), {"file": upload})
    assert response.status_code == 200
    assert "文件有 5 KB，超过了 1 KB 的上限" in response.content.decode()


def test_export_from_the_list_respects_filters_and_access(
    client, unit, preparer, other_unit
):
    make_declaration(unit, preparer, year=2024, project_code="MINE-24")
    make_declaration(unit, preparer, year=2025, project_code="MINE-25")
    make_declaration(other_unit, None, year=2024, project_code="THEIRS")
    client.force_login(preparer)
    response = client.get(
        reverse("declaration_export"), {"format": "csv", "year": 2024}
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "MINE-24" in text and "MINE-25" not in text and "THEIRS" not in text


def test_commands_export_and_import(demo, tmp_path):
    out = tmp_path / "2020.xlsx"
    call_command("export_declarations", "--year", "2020", "-o", str(out))
    call_command("import_declarations", str(out), "--dry-run")
    Declaration.objects.filter(year=2020).update(status=Status.DRAFT)
    Declaration.objects.filter(year=2020).delete()
    call_command("import_declarations", str(out))
    assert Declaration.objects.filter(year=2020).count() == 5


def test_submitted_declarations_are_refused_too(unit, preparer):
    declaration = make_declaration(unit, preparer, project_code="450-0101-NEW")
    workflow.submit(declaration, by=preparer)
    plan = _import(_sheet([_row(年度=2024)]), "x.xlsx")
    assert any("待审核" in p.message for p in plan.blocking)


def test_the_reimport_preview_asks_as_many_queries_for_twelve_as_for_two(
    unit, preparer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from declarations.models import Organization

    def preview_queries(count):
        for i in range(count):
            make_declaration(unit, preparer, project_code=f"Q{count}-{i}")
        make_declaration(unit, preparer, project_code="", project_name=f"无编码{count}")
        data = export_file(Declaration.objects.filter(year=2024), "csv")
        # One declaration of the file is changed: its checks run too.
        data = data.replace(
            f"Q{count}-0,医保".encode(), f"Q{count}-0,改名医保".encode()
        )
        rows = files.read_rows(data, "again.csv")
        with CaptureQueriesContext(connection) as queries:
            plan = importing.analyse(
                rows, None, allowed_units=Organization.objects.all()
            )
        assert plan.count_update == 1
        assert plan.count_unchanged == len(plan.declarations) - 1
        Declaration.objects.filter(year=2024).delete()
        return len(queries)

    assert preview_queries(12) == preview_queries(2) < 12


def test_the_xlsx_export_opens_with_a_bold_frozen_header_and_typed_cells(
    unit, preparer
):
    make_declaration(
        unit, preparer, project_name="A&B <项目> \"引号\" 'x'", total=Decimal("12.50")
    )
    data = export_file(Declaration.objects.all(), "xlsx")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "申报数据" and sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    cells = {h.value: c for h, c in zip(sheet[1], sheet[2], strict=True)}
    assert cells["项目名称"].value == "A&B <项目> \"引号\" 'x'"
    assert (
        cells["预算数（万元）"].value == 12.5
        and cells["预算数（万元）"].data_type == "n"
    )
    assert cells["年度"].value == 2024


def test_a_formula_typed_into_a_csv_is_reported_where_it_is(unit):
    import csv

    out = io.StringIO()
    csv.writer(out).writerows([HEADERS, _row(**{"预算数（万元）": "=5+5"})])
    plan = _import(out.getvalue().encode(), "formula.csv")
    (problem,) = plan.blocking
    assert (problem.row, problem.column) == (2, "预算数（万元）")
    assert "单元格是公式（=5+5），请改为直接填写的数值或文字。" in problem.message


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_draft_with_an_unfinished_row_goes_out_and_back_in(
    unit, preparer, file_format
):
    declaration = make_declaration(unit, preparer, project_code="UNFINISHED")
    unfinished = declaration.indicators.last()
    unfinished.level1 = unfinished.level2 = None
    unfinished.level3 = "还没选指标层级的一行"
    unfinished.save()
    data = export_file(Declaration.objects.filter(pk=declaration.pk), file_format)
    declaration.delete()
    plan = _import(data, f"draft.{file_format}")
    assert plan.blocking == []
    importing.apply(plan, preparer)
    back = Declaration.objects.get(project_code="UNFINISHED")
    row = back.indicators.get(level3="还没选指标层级的一行")
    assert (row.level1, row.level2) == (None, None)
    assert back.indicators.count() == 7


def test_a_blank_first_level_is_its_second_levels_own_or_refused(unit, preparer):
    make_declaration(unit, preparer, project_code="HALF")
    declaration = Declaration.objects.get(project_code="HALF")
    row = declaration.indicators.first()
    row.level1 = None
    row.save()
    data = export_file(Declaration.objects.filter(pk=declaration.pk), "csv")
    # A second level that belongs to one first level alone gives it.
    plan = _import(data, "half.csv")
    assert plan.blocking == []
    assert plan.declarations[0].rows[0].level1 == row.level2.level1
    # One that is no second level of any does not.
    unknown = data.decode("utf-8-sig").replace(row.level2.name, "自拟指标", 1)
    plan = _import(unknown.encode("utf-8-sig"), "half.csv")
    assert [p.message for p in plan.blocking] == ["请填写这一行的一级指标。"]
