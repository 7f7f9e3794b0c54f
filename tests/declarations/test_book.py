"""The department book, read back with pypdf as its reader would use it."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from declarations import selectors
from declarations.demo.tables import HEBEI_2020
from declarations.models import Organization
from declarations.printing import assembly, book, kept, render
from tests.background import run_tasks
from tests.declarations.pdf_reading import row_holds, table_rows

# The five tables in the order the 2020 book prints them.
ORDER = [
    "财务外聘人员工作经费",
    "城乡居民医疗保险专项业务费",
    "计划生育特殊家庭人员医疗医保救助",
    "劳务派遣人员经费",
    "人事代理经费",
]


@pytest.fixture
def department(db):
    call_command("load_demo", "--reference-only")  # the reference tables alone
    return Organization.objects.get(code="450")


def _outline(reader):
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title, reader.get_destination_page_number(item) + 1

    return list(walk(reader.outline))


def _texts(data):
    return [
        re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages
    ]


def test_book_has_part_one_the_five_tables_in_order_and_bookmarks(department):
    data = book.render_book(department, 2020)
    reader = PdfReader(io.BytesIO(data))
    outline = _outline(reader)
    titles = [t for t, _ in outline]
    assert titles == [
        "第一部分 部门整体绩效目标",
        "第二部分 预算项目绩效目标",
        *(f"{i}、{name}绩效目标表" for i, name in enumerate(ORDER, start=1)),
    ]
    texts = _texts(data)
    for title, page in outline:
        assert title.replace(" ", "") in texts[page - 1], (title, page)
    assert "2020年部门预算绩效信息" in texts[0]
    assert "贯彻落实党中央和省、市、区委关于医疗保障工作的方针政策" in texts[2]
    assert "（三）工作保障措施" in texts[2]


def test_contents_page_numbers_match_the_pages(department):
    data = book.render_book(department, 2020)
    reader = PdfReader(io.BytesIO(data))
    contents = reader.pages[1].extract_text()
    listed = dict(re.findall(r"(\d、\S+?绩效目标表)\s*\.*\s*(\d+)", contents))
    outline = dict(_outline(reader))
    assert len(listed) == 5
    for title, page in listed.items():
        assert outline[title] == int(page)


def test_page_numbers_run_through_the_book(department):
    texts = _texts(book.render_book(department, 2020))
    total = len(texts)
    assert "第1页" not in texts[0]  # the cover carries no number
    for number, text in enumerate(texts[1:], start=2):
        assert f"第{number}页共{total}页" in text


def test_each_table_prints_every_cell(department):
    data = book.render_book(department, 2020)
    rows = table_rows(data)
    for table in HEBEI_2020:
        start = next(i for i, r in enumerate(rows) if table["project_code"] in r)
        assert row_holds(
            rows[start], ["项目编码", table["project_code"], table["project_name"]]
        )


def test_approval_keeps_a_new_book_and_a_download_serves_it(
    client, department, monkeypatch
):
    from declarations.models import Declaration, Status
    from declarations.services import workflow

    run_tasks()  # what load_demo's approvals asked for
    old_name = book.kept_name(department, 2020)
    reviewer = department.memberships.get(role="reviewer").user
    declaration = Declaration.objects.filter(status=Status.APPROVED).first()
    workflow.reopen(declaration, by=reviewer, reason="复核")
    preparer = declaration.organization.memberships.get(role="preparer").user
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="优")
    name = book.kept_name(department, 2020)
    assert name != old_name  # a new grade, a new book
    assert kept.read_kept(name) is None  # nothing printed in the request
    run_tasks()
    data = kept.read_kept(name)
    assert data is not None and len(PdfReader(io.BytesIO(data)).pages) == 9

    renders = []
    monkeypatch.setattr(render.HTML, "render", lambda *a, **k: renders.append(a))
    client.force_login(reviewer)
    response = client.get(reverse("department_book", args=[department.pk, 2020]))
    assert response.content == data
    assert renders == []  # the download served the kept book


def test_book_download_and_command(client, department, tmp_path):
    client.force_login(department.memberships.get(role="reviewer").user)
    response = client.get(reverse("department_book", args=[department.pk, 2020]))
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 9
    out = tmp_path / "book.pdf"
    call_command("render_book", "--department", "450", "--year", "2020", "-o", str(out))
    assert len(PdfReader(str(out)).pages) == 9


def test_a_year_without_approved_tables_still_prints_part_one(department):
    texts = _texts(book.render_book(department, 2019))
    assert "本年度尚无审核通过的项目绩效目标表" in "".join(texts)


def test_the_queries_of_a_book_do_not_grow_with_its_tables(department):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from declarations.models import Declaration, Status
    from tests.factories import make_declaration

    def queries():
        with CaptureQueriesContext(connection) as captured:
            contents = book.book_contents(department, 2020)
            book.tables_html(contents, contents.tables)
        return len(captured)

    five = queries()
    unit = department.units.get()
    for i in range(10):
        make_declaration(unit, year=2020, project_code=f"EXTRA-{i}")
    Declaration.objects.filter(project_code__startswith="EXTRA-").update(
        status=Status.APPROVED
    )
    assert selectors.approved_projects(department, 2020).count() == 15
    assert queries() == five


def test_rebuild_command_keeps_every_approved_table_and_the_book(department):
    from declarations.models import Declaration, Status

    out = io.StringIO()
    call_command("rebuild_printing", "--year", "2020", "--force", stdout=out)
    assert "5 张已审核项目表" in out.getvalue()
    for declaration in Declaration.objects.filter(status=Status.APPROVED):
        assert kept.read_kept(kept.declaration_name(declaration)) is not None
    assert kept.read_kept(book.kept_name(department, 2020)) is not None


@pytest.fixture
def twelve_tables(department, settings):
    """The demo's five tables and seven more: laid out in two parts, in two
    forked processes."""
    from declarations.models import Declaration, Status
    from tests.factories import make_declaration

    settings.PRINT_PROCESSES = 2
    unit = department.units.get()
    for i in range(7):
        make_declaration(unit, year=2020, project_code=f"MORE-{i}")
    Declaration.objects.filter(project_code__startswith="MORE-").update(
        status=Status.APPROVED, grade="良"
    )
    contents = book.book_contents(department, 2020)
    assert len(book.table_parts(contents.tables)) == 2
    return department


def test_a_book_laid_out_in_parts_numbers_its_pages_and_links_its_contents(
    twelve_tables,
):
    data = book.render_book(twelve_tables, 2020)
    reader = PdfReader(io.BytesIO(data))
    texts = _texts(data)
    total = len(texts)
    assert "第1页" not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert f"第{number}页共{total}页" in text, number

    outline = dict(_outline(reader))
    assert len(outline) == 2 + 12
    contents = reader.pages[1].extract_text()
    listed = dict(re.findall(r"(\d+、\S+?绩效目标表)\s*\.*\s*(\d+)", contents))
    assert len(listed) == 12
    for title, page in listed.items():
        assert outline[title] == int(page)
        assert title in texts[int(page) - 1]  # the heading is on that page

    # The contents link every entry to its page.
    targets = sorted(
        reader.get_destination_page_number(annotation.get_object()) + 1
        if "/Dest" not in annotation.get_object()
        else reader._get_page_number_by_indirect(annotation.get_object()["/Dest"][0])
        + 1
        for annotation in reader.pages[1]["/Annots"]
    )
    assert targets == sorted(outline.values())


def test_the_parts_of_a_book_share_one_subset_of_each_face(twelve_tables):
    data = book.render_book(twelve_tables, 2020)
    faces = [face for face, _pages in _font_programs(data).values()]
    assert sorted(faces) == ["Noto-Sans-CJK-SC-Bold", "Noto-Serif-CJK-SC"]
    assert len(data) < 700 * 1024


def _font_programs(data):
    """Each embedded font program: its face, and the 0-based pages using it."""
    programs = {}
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        for font in page["/Resources"]["/Font"].values():
            descriptor = font["/DescendantFonts"][0]["/FontDescriptor"]
            program = descriptor.raw_get("/FontFile3")
            face = str(font["/BaseFont"]).split("+")[1]
            programs.setdefault(program.idnum, (face, set()))[1].add(number)
    return programs


def test_a_part_whose_glyphs_the_shared_fonts_lack_is_laid_out_with_its_own(
    twelve_tables, monkeypatch
):
    """Parts are written without font programs, for the join to give them
    the shared ones; a part drawing a glyph those lack (here 遣, left out of
    the fonts page) is laid out again with its own fonts, and prints."""
    fonts_page = assembly.fonts_page
    monkeypatch.setattr(
        assembly, "fonts_page", lambda text: fonts_page(text.replace("遣", ""))
    )
    again = []
    render_part = book.render_part

    def spy(html, **kwargs):
        again.append("front" if 'class="contents"' in html else html.count("遣"))
        return render_part(html, **kwargs)

    monkeypatch.setattr(book, "render_part", spy)
    data = book.render_book(twelve_tables, 2020)  # checked as every PDF is
    # Laid out again here, after the layout processes: the part with 遣 alone.
    assert len(again) == 1 and again[0] not in ("front", 0)
    texts = _texts(data)
    page = next(i for i, text in enumerate(texts) if "4、劳务派遣人员经费" in text)
    assert "劳务派遣人员经费" in texts[page]
    # The shared pair serves the other part; that part brings its own pair
    # (and the front, whose contents print 遣 too, keeps its own text face).
    programs = _font_programs(data)
    last = len(texts) - 1
    assert "遣" not in texts[last]
    sharing_last = {p for p, (_face, pages) in programs.items() if last in pages}
    assert len(sharing_last) == 2
    on_page = {p for p, (_face, pages) in programs.items() if page in pages}
    assert on_page - sharing_last  # a program of its own, holding 遣


def test_parts_hold_at_most_12_tables_in_their_order(settings):
    settings.PRINT_PROCESSES = 2
    for count, sizes in [
        (3, [3]),
        (8, [4, 4]),
        (24, [12, 12]),
        (356, [12] * 29 + [8]),
    ]:
        tables = list(range(count))
        parts = book.table_parts(tables)
        assert [len(p) for p in parts] == sizes
        assert [t for p in parts for t in p] == tables
