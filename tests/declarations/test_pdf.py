import http.server
import threading
from decimal import Decimal

import pypdfium2
import pytest
import tinyhtml5
from django.core.management import call_command
from django.urls import reverse

from declarations.demo.tables import CENTRAL_2023, HEBEI_2020, full_row
from declarations.models import Declaration, Organization, Status
from declarations.printing import declaration as pdf
from declarations.printing import render
from tests.declarations.pdf_reading import (
    body_text,
    font_names,
    page_texts,
    prints_as_on_weasyprints_own_styles,
    row_holds,
    table_rows,
)
from tests.factories import make_declaration


def _approve(declaration, grade=""):
    Declaration.objects.filter(pk=declaration.pk).update(
        status=Status.APPROVED, grade=grade
    )
    declaration.refresh_from_db()
    return declaration


def _canonical(level1):
    return "效益指标" if level1 == "效果指标" else level1


def _indicator_rows(table, *, central):
    rows, previous = [], (None, None)
    for row in table["rows"]:
        level1, level2, name, description, value, basis = full_row(row)
        cells = []
        if level1 != previous[0]:
            cells.append(_canonical(level1))
        if (level1, level2) != previous:
            cells.append(level2)
        previous = (level1, level2)
        cells += [name, value] if central else [name, description, value, basis]
        rows.append(cells)
    return rows


def expected_hebei(table):
    return [
        ["项目编码", table["project_code"], "项目名称", table["project_name"]],
        [
            "预算规模及资金用途",
            "预算数",
            table["total"],
            "其中：财政资金",
            table["fiscal"],
            "其他资金",
        ],
        [table["fund_use"]],
        ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"],
        ["25.00", "50.00", "75.00", "100.00"],
        ["绩效目标", *table["goals"]],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "绩效指标描述",
            "指标值",
            "指标值确定依据",
        ],
        *_indicator_rows(table, central=False),
    ]


def expected_central(table):
    return [
        ["项目名称", table["project_name"]],
        [
            "主管部门及代码",
            "中卫市沙坡头区医疗保障局",
            "实施单位",
            "中卫市沙坡头区医疗保障局",
        ],
        ["项目属性", "延续性项目", "项目期", table["period"]],
        ["项目资金（万元）", "年度资金总额", table["total"]],
        ["其中：财政拨款", table["fiscal"]],
        ["其他资金"],
        ["年度总体目标", *table["goals"]],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        *_indicator_rows(table, central=True),
        ["综合评定等级", "优□良□中□差□"],
    ]


@pytest.fixture
def demo(db):
    call_command("load_demo", "--reference-only")  # the reference tables alone


@pytest.mark.parametrize(
    ("table", "expected"),
    [(t, expected_hebei) for t in HEBEI_2020]
    + [(t, expected_central) for t in CENTRAL_2023],
    ids=lambda x: x["project_name"] if isinstance(x, dict) else "",
)
def test_each_reference_table_prints_every_cell_in_row_and_column_order(
    demo, table, expected
):
    declaration = Declaration.objects.get(project_name=table["project_name"])
    output = pdf.render_declaration(_approve(declaration))
    rows = table_rows(output)
    wanted = expected(table)
    if expected is expected_central:
        assert "绩效指标一级指标二级指标三级指标指标值" in body_text(output)
    assert len(rows) == len(wanted), rows
    for actual, cells in zip(rows, wanted, strict=True):
        assert row_holds(actual, cells), (actual, cells)


def test_pdf_uses_only_the_noto_cjk_fonts(demo):
    declaration = Declaration.objects.filter(layout="central").first()
    fonts = font_names(pdf.render_declaration(declaration))
    assert fonts, "no text in the PDF"
    assert all(f.startswith(("NotoSerifCJKSC", "NotoSansCJKSC")) for f in fonts), fonts
    assert any("NotoSansCJK" in f for f in fonts)  # titles and headers


def test_draft_prints_a_watermark_and_an_approved_one_its_grade(demo):
    declaration = Declaration.objects.filter(layout="central").first()
    draft = "".join(page_texts(pdf.render_declaration(declaration)))
    assert "草" in draft and "稿" in draft
    approved = "".join(page_texts(pdf.render_declaration(_approve(declaration, "良"))))
    assert "草" not in approved and "稿" not in approved
    assert "良■" in approved.replace(" ", "")


def test_footer_numbers_the_pages(demo):
    declaration = Declaration.objects.get(
        project_name="城乡居民医疗保险业务经办工作经费"
    )
    texts = page_texts(pdf.render_declaration(declaration))
    assert len(texts) == 2
    assert "第 1 页 共 2 页" in texts[0] and "第 2 页 共 2 页" in texts[1]


def test_long_goal_and_100_rows_print_cleanly_across_pages(unit, preparer):
    rows = [
        (
            "产出指标",
            "数量指标",
            f"第{i:03d}项指标名称",
            "描述" * 10,
            f"≥{i}人",
            "计划标准",
        )
        for i in range(100)
    ]
    goal = "确保医保业务正常办理" * 200  # 2,000 characters
    declaration = make_declaration(unit, preparer, rows=rows, goals=[goal])
    output = pdf.render_declaration(_approve(declaration))
    texts = page_texts(output)
    assert len(texts) >= 4
    assert body_text(output).count("确保医保业务正常办理") == 200
    for i in range(100):
        # A row is never split: its name stands whole on exactly one page.
        assert sum(f"第{i:03d}项指标名称" in t.replace("\n", "") for t in texts) == 1
    headed = [t for t in texts if "第050项" in t or "第099项" in t]
    assert all("三级指标" in t for t in headed)  # the header repeats


def test_user_text_is_escaped_and_fetches_nothing(unit, preparer):
    hits = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/x.png"
    try:
        declaration = make_declaration(
            unit,
            preparer,
            project_name=f'<img src="{url}">',
            goals=[f'<link rel="stylesheet" href="{url}">'],
        )
        text = "".join(page_texts(pdf.render_declaration(declaration)))
        render.html_to_pdf(f'<img src="{url}"><link rel="stylesheet" href="{url}">')
    finally:
        server.shutdown()
    assert hits == []
    assert "<img" in text  # printed as text, not obeyed


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/print.css",
        "https://example.gov.cn/logo.png",
        "file:///etc/passwd",
        "file://otherhost/static/pdf/print.css",
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_anything_but_our_own_assets(url):
    with pytest.raises(render.RefusedURL):
        render.StaticOnlyFetcher().fetch(url)


def test_fetcher_refuses_a_path_that_climbs_out_of_the_assets():
    sneaky = (render.PDF_ASSETS / ".." / ".." / "manage.py").as_uri()
    with pytest.raises(render.RefusedURL):
        render.StaticOnlyFetcher().fetch(sneaky)


def test_fetcher_serves_our_stylesheet():
    response = render.StaticOnlyFetcher().fetch(
        (render.PDF_ASSETS / "print.css").as_uri()
    )
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_an_approved_pdf_is_rendered_once_and_kept(unit, preparer, monkeypatch):
    declaration = _approve(make_declaration(unit, preparer), "优")
    calls = []
    real = pdf.render_declaration
    monkeypatch.setattr(pdf, "render_declaration", lambda d: calls.append(d) or real(d))
    first = pdf.declaration_pdf(declaration)
    second = pdf.declaration_pdf(declaration)
    assert first == second and len(calls) == 1
    draft = make_declaration(unit, preparer, project_code="DRAFT")
    pdf.declaration_pdf(draft)
    pdf.declaration_pdf(draft)
    assert len(calls) == 3  # drafts change, so they are never kept


def test_download_from_the_page(client, unit, preparer):
    declaration = make_declaration(unit, preparer)
    client.force_login(preparer)
    response = client.get(
        reverse("declaration_pdf", args=[declaration.pk]), {"download": 1}
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        "attachment; filename*=UTF-8''2024-450-0101-TEST-"
        in response["Content-Disposition"]
    )


def test_a_user_of_another_department_gets_404_for_the_pdf(client, unit, outsider):
    declaration = make_declaration(unit)
    client.force_login(outsider)
    response = client.get(reverse("declaration_pdf", args=[declaration.pk]))
    assert response.status_code == 404


def test_render_pdf_command_by_code_and_year(demo, tmp_path):
    out = tmp_path / "table.pdf"
    call_command("render_pdf", "450-0201-JBN-GGHB", "--year", "2020", "-o", str(out))
    rows = table_rows(out.read_bytes())
    assert rows[0][:2] == ["项目编码", "450-0201-JBN-GGHB"]


def test_render_pdf_command_explains_an_unknown_code(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到项目编码"):
        call_command("render_pdf", "NO-SUCH", "-o", str(tmp_path / "x.pdf"))


def test_amounts_print_with_two_decimals(unit, preparer):
    declaration = make_declaration(
        unit,
        preparer,
        total=Decimal("5.07"),
        fiscal=Decimal("5"),
        other=Decimal("0.07"),
    )
    declaration.layout_id = "hebei"
    declaration.save()
    rows = table_rows(pdf.render_declaration(declaration))
    assert rows[1][1:] == [
        "预算数",
        "5.07",
        "其中：财政资金",
        "5.00",
        "其他资金",
        "0.07",
    ]


@pytest.mark.parametrize("command", ["render_pdf", "render_book", "rebuild_printing"])
def test_a_printing_command_starts_without_loading_the_renderer(command):
    """`--help` (or a wrong argument) answers without importing WeasyPrint,
    which takes most of a second."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = (
        "import sys\n"
        "from django.core.management import ManagementUtility\n"
        "try:\n"
        f"    ManagementUtility(['manage.py', '{command}', '--help']).execute()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('weasyprint' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "usage:" in result.stdout, result.stderr
    assert result.stdout.strip().endswith("False")  # WeasyPrint not imported


def _tree(element):
    """An element as its tag, attributes, text and children; whitespace
    between elements, which prints nothing, counts as none."""

    def text(value):
        return value if value and value.strip() else ""

    return (
        element.tag,
        dict(element.attrib),
        text(element.text),
        [_tree(child) for child in element],
        text(element.tail),
    )


def _every_print_template():
    """The demo's declarations, drafts and approved ones, and its book's
    front, tables and fonts page."""
    from declarations.printing import assembly, book

    htmls = [pdf.declaration_html(d) for d in Declaration.objects.all()]
    department = Organization.objects.get(code="450")
    contents = book.book_contents(department, 2020)
    front = book.front_html(contents, book._guess_pages(contents))
    tables = book.tables_html(contents, contents.tables)
    htmls += [front, tables, assembly.fonts_page(front + tables)]
    assert {d.status for d in Declaration.objects.all()} >= {"draft", "approved"}
    return htmls


def test_print_templates_are_read_as_xml_into_the_tree_html_gives(demo):
    """The fast reading of render.parsed_as_xml is taken for every print
    template, and gives the tree WeasyPrint's HTML parser would."""
    for html in _every_print_template():
        root = render.parsed_as_xml(html)
        assert root is not None, html[:200]
        parsed = tinyhtml5.parse(html, namespace_html_elements=False)
        assert _tree(root) == _tree(parsed)


def test_print_templates_draw_on_our_base_styles_what_weasyprints_draw(demo):
    """static/pdf/base.css (a sixth faster) changes no pixel of any page,
    read as XML or as HTML, and no bookmark."""
    htmls = _every_print_template()
    htmls.append(htmls[0].replace("</body>", "<p>\x0b</p></body>"))
    assert render.parsed_as_xml(htmls[-1]) is None  # read as HTML
    for html in htmls:
        assert prints_as_on_weasyprints_own_styles(html), html[:300]


def _pdfium_text(data: bytes) -> str:
    # pdfplumber loses a page's text around the blank glyph WeasyPrint
    # draws for a control character; PDFium (Chrome's viewer) reads it.
    document = pypdfium2.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in document)


_PRINTED = '<html><head><link rel="stylesheet" href="print.css"></head><body>{}'


@pytest.mark.parametrize(
    "html",
    [
        _PRINTED.format("<p>项目\x0b名称</p></body></html>"),  # XML allows no VT
        '<!DOCTYPE html [<!ENTITY a "项目名称">]>' + _PRINTED.format("<p>项目名称</p>"),
        _PRINTED.format("<p>项目<p>名称"),  # HTML, not XML
    ],
)
def test_what_is_not_plain_xml_is_read_as_html(html):
    assert render.parsed_as_xml(html) is None
    text = _pdfium_text(render.html_to_pdf(html))
    assert "项目" in text and "名称" in text


def test_a_declaration_whose_text_xml_refuses_still_prints(unit, preparer):
    declaration = make_declaration(unit, preparer, project_name="医保\x0c经办服务")
    assert render.parsed_as_xml(pdf.declaration_html(declaration)) is None
    text = _pdfium_text(pdf.render_declaration(declaration))
    assert "医保" in text and "经办服务" in text
