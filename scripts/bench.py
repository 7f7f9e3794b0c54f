"""Speed and memory figures, printed (not asserted): `make bench`.

Runs against a throwaway SQLite database in a temporary folder, so it never
touches the real data; with BENCH_POSTGRES set to a server
(postgres://root@127.0.0.1:5432), against a throwaway database made on it
and dropped afterwards. Each timing is the median of 5 runs after one
warm-up.
"""

import io
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
POSTGRES = os.environ.get("BENCH_POSTGRES", "").rstrip("/")
POSTGRES_DATABASE = "jixiao_bench"
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    DEBUG="1",
    DATABASE_URL=(
        f"{POSTGRES}/{POSTGRES_DATABASE}"
        if POSTGRES
        else f"sqlite:///{WORK / 'bench.sqlite3'}"
    ),
    MEDIA_ROOT=str(WORK / "media"),
)


def _postgres(*statements):
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
        for statement in statements:
            db.execute(statement)


if POSTGRES:
    _drop = f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)'
    _postgres(_drop, f'CREATE DATABASE "{POSTGRES_DATABASE}"')

import django  # noqa: E402

django.setup()

import pikepdf  # noqa: E402
from django.core.management import call_command  # noqa: E402

from declarations import selectors  # noqa: E402
from declarations.demo import loading as demo  # noqa: E402
from declarations.models import (  # noqa: E402
    Declaration,
    Goal,
    IndicatorRow,
    Organization,
)
from declarations.printing import book, kept  # noqa: E402
from declarations.printing import declaration as pdf  # noqa: E402
from declarations.printing.render import print_processes  # noqa: E402
from declarations.services import drafts  # noqa: E402
from declarations.spreadsheet import files, importing  # noqa: E402
from declarations.spreadsheet.columns import HEADERS, SHEET  # noqa: E402
from declarations.spreadsheet.export import export_file  # noqa: E402
from declarations.wordfiles import export as word  # noqa: E402
from indicators.taxonomy import Taxonomy  # noqa: E402
from scripts import hostile_files  # noqa: E402

RUNS = 5


def median_seconds(action, runs=RUNS):
    action()  # warm-up: fonts, templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_python_memory(action):
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def declaration(unit, rows, code):
    kinds = [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "可持续影响指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    table = [
        (
            *kinds[i * len(kinds) // rows],
            f"指标名称{i}",
            "指标描述" * 4,
            f"≥{i}%",
            "计划标准",
        )
        for i in range(rows)
    ]
    return drafts.create_draft(
        unit,
        by=None,
        fields={
            "year": 2026,
            "project_code": code,
            "project_name": f"基准项目{code}",
            "total": 35,
            "fiscal": 35,
            "fund_use": "保障业务正常办理",
        },
        goals=["确保医保业务正常办理", "提高参保缴费率，实现应保尽保"],
        rows=drafts.rows_from_names(table, Taxonomy.load()),
        spending_plan=[[3, "25.00"], [6, "50.00"], [10, "75.00"], [12, "100.00"]],
    )


def bench_book(units):
    """A county bureau's book: 24 approved project tables, about 200 rows."""
    unit = units["430424001"]
    for i in range(24):
        declaration(unit, 8 + (i % 3 == 0), f"BOOK-{i:02d}")
    Declaration.objects.filter(project_code__startswith="BOOK-").update(
        status="approved", grade="良"
    )
    department = unit.department
    rows = sum(
        d.indicators.count() for d in selectors.approved_projects(department, 2026)
    )
    fresh = book.render_book(department, 2026)
    n = pages(fresh)
    seconds = median_seconds(lambda: book.render_book(department, 2026))
    print(
        f"book, 24 tables / {rows} indicator rows / {n} pages, from nothing: "
        f"{seconds:.2f} s (goal < 1.5 s), {len(fresh) / 1024:.0f} KiB "
        "(goal < 1536 KiB)"
    )
    kept.keep(book.kept_name(department, 2026), fresh)  # as the worker does
    kept_download = median_seconds(
        lambda: book.prepared_book(department, 2026, render_up_to=0)
    )
    print(
        f"book download once the worker has kept it: {kept_download:.3f} s "
        "(goal < 0.3 s)"
    )
    peak = peak_python_memory(lambda: book.render_book(department, 2026))
    print(f"book, peak Python memory rendering from nothing: {peak / 2**20:.1f} MiB")


def bench_word(units):
    """The 24-table book of bench_book as a Word file (its tables made here
    when bench_book has not run)."""
    unit = units["430424001"]
    if not Declaration.objects.filter(project_code__startswith="BOOK-").exists():
        for i in range(24):
            declaration(unit, 8 + (i % 3 == 0), f"BOOK-{i:02d}")
        Declaration.objects.filter(project_code__startswith="BOOK-").update(
            status="approved", grade="良"
        )
    department = unit.department
    content = word.book_docx(department, 2026)
    seconds = median_seconds(lambda: word.book_docx(department, 2026))
    print(
        f"Word, 24-table book: {seconds:.2f} s (goal < 2 s), "
        f"{len(content) / 1024:.0f} KiB"
    )
    # The same book imported as next year's drafts: the preview reads and
    # checks it; the confirm reads it again (as the view does) and writes.
    from declarations.models import Membership
    from declarations.wordfiles import importing as word_import

    user = Membership.objects.filter(organization=unit, role="preparer").first().user

    def preview(year):
        read = word_import.read_upload(content, "book.docx", user=user, year=year)
        return read, importing.analyse(read.rows, user)

    read, plan = preview(2027)
    assert not plan.blocking, plan.blocking[:3]
    seconds = median_seconds(lambda: preview(2027))
    print(
        f"Word import, preview of the 24-table book: {seconds:.2f} s (goal < 3 s), "
        f"{len(read.word.found)} tables, {len(read.word.unplaced)} cells unplaced"
    )
    times = []
    for year in range(2040, 2040 + RUNS):
        start = time.perf_counter()
        read, plan = preview(year)
        word_import.apply(plan, read, user)
        times.append(time.perf_counter() - start)
    made = Declaration.objects.filter(year=2040, organization=unit).count()
    print(
        f"Word import, confirm of the 24-table book: {statistics.median(times):.2f} s "
        f"(goal < 5 s), {made} drafts made"
    )
    Declaration.objects.filter(year__gte=2040).delete()


# The tables a 预算公开说明 has beside its performance tables, as
# (title, header, a row): 60 of them in the bench's file.
_DISCLOSURE_TABLES = [
    (
        "机构设置",
        ["机构名称", "人员编制", "实有人数", "内设机构"],
        ["本级", "25", "23", "5"],
    ),
    (
        "收支预算总表",
        ["项目", "上年预算数", "本年预算数", "增减"],
        ["一般公共预算", "850.20", "834.02", "-16.18"],
    ),
    (
        "“三公”经费预算表",
        ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"],
        ["3.20", "0.00", "2.00", "1.20"],
    ),
    (
        "政府采购预算表",
        ["项目名称", "采购品目", "预算数", "主管部门及代码"],
        ["办公设备购置", "台式计算机", "12.00", "医疗保障局（430424）"],
    ),
]


def _disclosure(book_content: bytes, others: int) -> bytes:
    """A department's 预算公开说明: the book's tables under 第五部分 预算绩效
    信息, after `others` tables of the disclosure's other parts."""
    from docx import Document

    document = Document(io.BytesIO(book_content))
    first = document.paragraphs[0]
    for i in range(others):
        title, header, row = _DISCLOSURE_TABLES[i % len(_DISCLOSURE_TABLES)]
        first.insert_paragraph_before(f"表{i + 1}：{title}")
        table = document.add_table(rows=1 + 5, cols=len(header))
        for column, text in enumerate(header):
            table.cell(0, column).text = text
        for r in range(1, 6):
            for column, text in enumerate(row):
                table.cell(r, column).text = text
        first._p.addprevious(table._tbl)
    first.insert_paragraph_before("第五部分：预算绩效信息")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def bench_disclosure(units):
    """A 预算公开说明 of 100 tables, 60 of them not performance tables (机构设置,
    收支预算, 三公经费, 政府采购), previewed as a preparer uploads it: its
    reading and recognition in the bounded child, within its limits."""
    from django.conf import settings

    from declarations.models import Membership
    from declarations.services import imports
    from declarations.wordfiles import reading

    unit = units["450002"]
    made = [declaration(unit, 8, f"DISC-{i:02d}") for i in range(40)]
    Declaration.objects.filter(pk__in=[d.pk for d in made]).update(
        status="approved", grade="良"
    )
    content = _disclosure(word.book_docx(unit.department, 2026), 60)
    user = Membership.objects.filter(organization=unit, role="preparer").first().user

    def preview():
        return imports.analyse_upload(
            content, "预算公开说明.docx", user=user, year=2027
        )

    preview()  # warm
    result, seconds, worker, grew, child = _cost_of_reading(reading, preview)
    if isinstance(result, files.ImportFileError):
        print(f"预算公开说明 of 100 tables: refused: {result}")
    else:
        read, plan = result
        print(
            f"Word import, preview of a 预算公开说明 of 100 tables "
            f"({len(content) / 1024:.0f} KiB): {seconds:.2f} s (goal < 5 s), "
            f"{len(read.word.found)} performance tables read, "
            f"{len(read.word.skipped)} others skipped, "
            f"{len(plan.blocking)} blocking problems; the reading child {child} "
            f"(limit {settings.IMPORT_PARSE_MEMORY / 2**20:.0f} MiB), "
            f"the worker ({worker:.0f} MiB) grew {grew:.0f} MiB"
        )
    Declaration.objects.filter(project_code__startswith="DISC-").delete()


def bench_word_conversion(units):
    """A Word 97 .doc (one declaration of 8 indicators, saved as .doc by
    LibreOffice here) converted to .docx as an upload is: LibreOffice
    starts cold each time, with a fresh profile; then the whole preview of
    the upload, its conversion included."""
    import shutil
    import subprocess

    from django.conf import settings

    from declarations.models import Membership
    from declarations.services import imports
    from declarations.wordfiles import converting

    unit = units["450002"]
    folder = WORK / "conversion"
    folder.mkdir()
    docx = folder / "table.docx"
    docx.write_bytes(word.declaration_docx(declaration(unit, 8, "CONVERT-8")))
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            "--headless",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--convert-to",
            "doc",
            "--outdir",
            str(folder),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    content = (folder / "table.doc").read_bytes()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        converting.as_docx(content)
        times.append(time.perf_counter() - start)
    print(
        f"Word 97 .doc ({len(content) / 1024:.0f} KiB) converted by LibreOffice, "
        f"a cold start each: {statistics.median(times):.1f} s (median of 3; "
        f"limit {settings.WORD_CONVERT_SECONDS} s)"
    )
    user = Membership.objects.filter(organization=unit, role="preparer").first().user
    start = time.perf_counter()
    read, plan = imports.analyse_upload(content, "表.doc", user=user, year=2027)
    print(
        f"Word 97 .doc upload, preview with its conversion: "
        f"{time.perf_counter() - start:.1f} s, {len(plan.declarations)} declaration"
    )
    Declaration.objects.filter(project_code="CONVERT-8").delete()


def bench_layouts(units):
    """A department's year in the layouts added as data: 12 tables in the
    central form with 中期 and 12 in the Shanxi form in 元 make one book;
    1,000 declarations in 元 with their term columns go out and back."""
    unit = units["450002"]
    department = unit.department
    original = department.layout_id
    year = 2028
    taxonomy = Taxonomy.load()
    rows = [
        ("产出指标", "数量指标", "参保人数", "", "≥30万人", ""),
        ("产出指标", "成本指标", "业务经费", "", "≤35万元", ""),
        ("效益指标", "社会效益指标", "政策知晓率", "", "≥80%", ""),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "", "≥90%", ""),
    ] * 2

    def make(layout, count, wan, prefix):
        department.layout_id = layout
        department.save(update_fields=["layout"])
        unit.refresh_from_db()
        made = []
        for i in range(count):
            table = drafts.rows_from_names(rows, taxonomy)
            for row in table:
                row.term_value = row.value
            made.append(
                drafts.NewDraft(
                    unit,
                    fields={
                        "year": year,
                        "project_code": f"{prefix}-{i:04d}",
                        "project_name": f"样式项目{prefix}{i}",
                        "total": 35 / wan,
                        "fiscal": 35 / wan,
                        "term_total": 105 / wan,
                        "term_fiscal": 105 / wan,
                    },
                    goals=["确保医保业务正常办理"],
                    term_goals=["三年内全面实现应保尽保"],
                    rows=table,
                )
            )
        drafts.create_drafts(made, by=None)

    make("central_full", 12, 1, "FULL")
    make("shanxi", 12, 0.0001, "YUAN")
    Declaration.objects.filter(year=year).update(status="approved")
    fresh = book.render_book(department, year)
    seconds = median_seconds(lambda: book.render_book(department, year), runs=3)
    print(
        f"book in two layouts as data, 24 tables / {pages(fresh)} pages, from "
        f"nothing: {seconds:.2f} s, {len(fresh) / 1024:.0f} KiB (goal < 1536 KiB)"
    )
    Declaration.objects.filter(year=year).delete()

    make("shanxi", 1000, 0.0001, "YUAN")
    everyone = Organization.objects.all()
    declarations = Declaration.objects.filter(year=year)
    start = time.perf_counter()
    exported = export_file(declarations, "xlsx")
    exporting = time.perf_counter() - start
    start = time.perf_counter()
    plan = importing.analyse(
        files.read_rows(exported, "bench.xlsx"), None, allowed_units=everyone
    )
    preview = time.perf_counter() - start
    assert plan.count("unchanged") == 1000 and not plan.blocking, plan.problems[:3]
    print(
        f"1,000 declarations in 元 with term funds, goals and values: export "
        f"{exporting:.2f} s, re-import preview {preview:.2f} s (all unchanged)"
    )
    declarations.delete()
    department.layout_id = original
    department.save(update_fields=["layout"])


def bench_suggestions(units):
    """Suggestion quality on the reference tables, then their speed with a
    library of 10,000 entries and a year of 100,000 indicator rows."""
    import random

    from declarations.checks import DeclarationData
    from declarations.models import Membership
    from declarations.suggestions import draft, suggest
    from indicators.checks import LayoutRules, RowData, check_indicators
    from indicators.library.seed import load_seed
    from indicators.library.similarity import grams, similarity
    from indicators.models import IndicatorLevel2, LibraryEntry

    load_seed()
    demo.load_declarations(units)
    taxonomy = Taxonomy.load()
    references = list(
        Declaration.objects.filter(year__in=[2020, 2023], kind="project")
        .exclude(project_code__startswith="BENCH")
        .prefetch_related("indicators")
    )
    Declaration.objects.filter(pk__in=[d.pk for d in references]).update(
        status="approved"
    )
    for own_entries in (True, False):
        hits = near = reachable = total = covered = 0
        for table in references:
            Declaration.objects.filter(pk=table.pk).update(status="draft")
            hidden = LibraryEntry.objects.filter(
                source__contains=f"参考申报表：{table.project_name}"
            )
            if not own_entries:
                hidden.update(state="retired")
            user = (
                Membership.objects.filter(
                    organization=table.organization, role="preparer"
                )
                .first()
                .user
            )
            new = drafts.create_draft(
                table.organization,
                by=None,
                fields={
                    "year": table.year,
                    "project_code": f"RECALL-{table.pk}",
                    "project_name": table.project_name,
                    "fund_use": table.fund_use,
                },
                goals=[],
                rows=[],
            )
            for row in table.indicators.all():
                every = [
                    s.name
                    for s in suggest(new, user, level2_id=row.level2_id, limit=None)
                ]
                real = grams(row.level3)
                hits += row.level3 in every[:5]
                near += any(similarity(real, grams(n)) >= 0.6 for n in every[:5])
                reachable += row.level3 in every
                total += 1
            rows = draft(new, user, taxonomy)
            data = DeclarationData.of(new, goals=[], rows=[])
            findings = check_indicators(
                [RowData(r.level1_id, r.level2_id, r.name, "", r.value) for r in rows],
                taxonomy,
                budget=None,
                rules=data.rules or LayoutRules(),
            )
            codes = {f.code for f in findings}
            covered += not codes & {"level1_missing", "mandatory_level2_missing"}
            new.delete()
            Declaration.objects.filter(pk=table.pk).update(status="approved")
            if not own_entries:
                hidden.update(state="approved")
        label = "with" if own_entries else "without"
        print(
            f"suggestions, {len(references)} reference tables {label} their own "
            f"library entries: recall@5 {hits}/{total} = {hits / total:.0%} "
            f"(a near name, bigram likeness ≥ 0.6, in the top 5: {near}/{total}; "
            f"the real name anywhere among the suggestions: {reachable}/{total}), "
            f"draft covers every required level in {covered}/{len(references)}"
        )

    levels = list(IndicatorLevel2.objects.all())
    LibraryEntry.objects.bulk_create(
        [
            LibraryEntry(
                level2=levels[i % len(levels)],
                name=f"基准指标{i}号",
                unit="人",
                operator="≥",
                values="≥10人",
                categories="培训类" if i % 3 else "通用",
                state="approved",
            )
            for i in range(10_000 - LibraryEntry.objects.count())
        ],
        batch_size=2000,
    )
    call_command("load_year", declarations=12_500, year=2030, verbosity=0)
    if POSTGRES:  # as autovacuum would after such a load
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rows = IndicatorRow.objects.count()
    sample = list(Declaration.objects.filter(year=2030).select_related("organization"))
    random.seed(7)
    times = []
    for declaration in random.sample(sample, 200):
        reviewer = Membership.objects.filter(
            organization=declaration.organization.parent, role="reviewer"
        ).first()
        user = reviewer.user if reviewer else None
        for typed in ("", "人数"):
            start = time.perf_counter()
            suggest(declaration, user, level2_id=random.choice(levels).pk, typed=typed)
            times.append(time.perf_counter() - start)
    times.sort()
    print(
        f"suggestions with {LibraryEntry.objects.count():,} library entries and "
        f"{rows:,} indicator rows, as the department's reviewer: p50 "
        f"{statistics.median(times) * 1000:.1f} ms, p95 "
        f"{times[int(len(times) * 0.95)] * 1000:.1f} ms (goal < 50 ms)"
    )


def bench_desk(units, declarations=10_000):
    """The desk, the list, the review queue and 部门绩效信息 with a year of
    10,000 declarations (50 departments of 200 tables), as one department's
    reviewer: median time, SQL queries and HTML size; then a batch approval
    of 50 of its submissions (the printing is only enqueued)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from declarations.models import Membership, Status

    call_command("load_year", declarations=declarations, year=2031, verbosity=0)
    if POSTGRES:  # as autovacuum would after such a load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    reviewer = (
        Membership.objects.filter(role="reviewer", user__username="year07_sh")
        .select_related("user", "organization")
        .get()
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(reviewer.user)
    pages = [
        ("desk (home)", reverse("home"), {"year": 2031}),
        ("list, first page", reverse("declaration_list"), {}),
        ("list, last page", reverse("declaration_list"), {"page": "last"}),
        (
            "list, 待审核 of one unit sorted by 预算数",
            reverse("declaration_list"),
            {
                "status": "submitted",
                "unit": reviewer.organization.units.order_by("code").first().pk,
                "sort": "-total",
            },
        ),
        ("list, search", reverse("declaration_list"), {"q": "经费1"}),
        ("review queue", reverse("review_queue"), {}),
        ("部门绩效信息", reverse("department_home"), {}),
    ]
    total = Declaration.objects.count()
    print(f"pages with {total:,} declarations, as the reviewer of one department:")
    for label, url, query in pages:
        client.get(url, query)  # warm-up
        reset_queries()  # the log is full after the load: counts need room
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200, (label, response.status_code)
        seconds = median_seconds(lambda u=url, q=query: client.get(u, q), runs=9)
        print(
            f"  {label}: {seconds * 1000:.1f} ms median, "
            f"{len(queries.captured_queries)} queries, "
            f"{len(response.content) / 1024:.0f} KiB (goal < 100 ms)"
        )
    admin = Client(HTTP_HOST="localhost")
    admin.force_login(get_user_model().objects.get(username="admin"))
    url = reverse("declaration_list")
    for label, query in [("first", {}), ("last", {"page": "last"})]:
        seconds = median_seconds(lambda q=query: admin.get(url, q), runs=9)
        print(
            f"  list as the administrator (every declaration), {label} page: "
            f"{seconds * 1000:.1f} ms median (goal < 100 ms)"
        )
    department = reviewer.organization
    waiting = Declaration.objects.filter(
        organization__parent=department, status=Status.SUBMITTED
    )
    more = 50 - waiting.count()
    if more > 0:
        drafts_of = Declaration.objects.filter(
            organization__parent=department, status=Status.DRAFT
        ).values_list("pk", flat=True)[:more]
        Declaration.objects.filter(pk__in=list(drafts_of)).update(
            status=Status.SUBMITTED, submitted_at=timezone.now()
        )
    ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:50])
    start = time.perf_counter()
    response = client.post(
        reverse("review_batch"),
        {"declaration": ids, "decision": "approve", "grade": "良"},
    )
    seconds = time.perf_counter() - start
    approved = Declaration.objects.filter(pk__in=ids, status=Status.APPROVED).count()
    print(
        f"batch approval of {len(ids)} submissions: {seconds:.2f} s of request "
        f"time, {approved} approved (goal < 5 s; printing enqueued)"
    )


def bench_approve(units, tables=350):
    """The reviewer's approve POST in a department of `tables` approved tables:
    it only enqueues the printing, so it should not grow with the department."""
    from django.test import Client

    from declarations.services import workflow

    unit = units["640502001"]
    for i in range(tables):
        declaration(unit, 8, f"BIG-{i:03d}")
    Declaration.objects.filter(project_code__startswith="BIG-").update(
        status="approved", grade="良"
    )
    preparer = unit.memberships.get(role="preparer").user
    reviewer = unit.department.memberships.get(role="reviewer").user
    waiting = [declaration(unit, 8, f"WAIT-{i}") for i in range(RUNS + 1)]
    for d in waiting:
        workflow.submit(d, by=preparer)
    client = Client(HTTP_HOST="localhost")
    client.force_login(reviewer)
    times = []
    for d in waiting:
        start = time.perf_counter()
        response = client.post(
            f"/declarations/{d.pk}/review/", {"decision": "approve", "grade": "优"}
        )
        times.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
    print(
        f"approve POST in a department of {tables} approved tables: "
        f"{statistics.median(times[1:]):.3f} s (median of {RUNS}; goal < 0.3 s)"
    )

    department = unit.department
    start = time.perf_counter()
    data = book.render_book(department, 2026)
    seconds = time.perf_counter() - start
    processes = print_processes()
    print(
        f"book, {tables + RUNS + 1} tables / {pages(data)} pages, from nothing (once, "
        f"in the worker, {processes} layout processes): {seconds:.1f} s (goal < 12 s), "
        f"{len(data) / 2**20:.1f} MiB (goal < 6 MiB)"
    )
    # Reading the processes' memory maps 20 times a second holds up their
    # page faults (the first run here took 17 s with it): memory is
    # measured on a second layout of the same book.
    before = _proportional(os.getpid()) / 1024
    start = time.perf_counter()
    _, held = held_memory(lambda: book.render_book(department, 2026))
    sampled = time.perf_counter() - start
    print(
        f"book, the same again while sampling memory: {sampled:.1f} s; memory held "
        f"by the worker and its layout processes together, at most {held:.0f} MiB = "
        f"{held * 2**20 / 1e6:.0f} MB (proportional set sizes, the worker "
        f"{before:.0f} MiB before; goal < 500 MB)"
    )
    kept.keep(book.kept_name(department, 2026), data)  # as the worker does
    kept_download = median_seconds(
        lambda: book.prepared_book(department, 2026, render_up_to=0)
    )
    print(
        f"book download of those {tables + RUNS + 1} tables once kept: "
        f"{kept_download:.3f} s (goal < 1 s)"
    )


def bench_import(units):
    """1,000 declarations with 8,000 indicator rows, from one xlsx file."""
    unit = units["640502001"]
    rows = [HEADERS]
    kinds = [
        ("产出指标", "数量指标", "≥200人"),
        ("产出指标", "质量指标", "≥90%"),
        ("产出指标", "时效指标", "100%"),
        ("产出指标", "成本指标", "≤30万元"),
        ("效益指标", "社会效益指标", "效果显著"),
        ("效益指标", "可持续影响指标", "显著提升"),
        ("满意度指标", "服务对象满意度指标", "≥90%"),
        ("产出指标", "数量指标", "≥500人"),
    ]
    for i in range(1000):
        declaration = {
            "单位代码": unit.code,
            "年度": 2027,
            "项目编码": f"IMPORT-{i:04d}",
            "项目名称": f"导入项目{i}",
            "预算数（万元）": 35,
            "财政资金（万元）": 35,
            "资金支出计划（%）": "3月底:25；6月底:50；9月底:75；12月底:100",
            "绩效目标": "1、确保医保业务正常办理\n2、提高参保缴费率",
        }
        for j, (level1, level2, value) in enumerate(kinds):
            row = {
                **declaration,
                "一级指标": level1,
                "二级指标": level2,
                "三级指标": f"指标{j}",
                "指标值": value,
            }
            rows.append([row.get(h, "") for h in HEADERS])
    content = files.write_file(SHEET, rows[0], rows[1:], "xlsx")
    everyone = Organization.objects.all()

    def run():
        plan = importing.analyse(
            files.read_rows(content, "bench.xlsx"), None, allowed_units=everyone
        )
        importing.apply(plan, None)
        return plan

    def clear():
        imported = Declaration.objects.filter(project_code__startswith="IMPORT-")
        IndicatorRow.objects.filter(declaration__in=imported).delete()
        Goal.objects.filter(declaration__in=imported).delete()
        imported.delete()

    times = []
    for _ in range(3):
        clear()
        start = time.perf_counter()
        plan = run()
        times.append(time.perf_counter() - start)
    assert plan.count("create") == 1000 and not plan.blocking
    clear()
    peak = peak_python_memory(run)
    print(
        f"import, 1,000 declarations / 8,000 indicator rows from "
        f"{len(content) / 2**20:.1f} MiB xlsx: {statistics.median(times):.1f} s "
        f"(median of 3; goal < 30 s), peak Python memory {peak / 2**20:.0f} MiB "
        f"(goal < 500 MB)"
    )
    # Exported and imported again, as a user does to change a few: each
    # declaration is compared with the stored one.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    exported = export_file(
        Declaration.objects.filter(project_code__startswith="IMPORT-"), "xlsx"
    )
    connection.queries_log.clear()  # the import filled it
    start = time.perf_counter()
    rows = files.read_rows(exported, "bench.xlsx")
    reading = time.perf_counter() - start
    with CaptureQueriesContext(connection) as queries:
        plan = importing.analyse(rows, None, allowed_units=everyone)
    seconds = time.perf_counter() - start
    assert plan.count("unchanged") == 1000 and not plan.problems
    print(
        f"re-import preview of those 1,000 declarations, exported: {seconds:.2f} s "
        f"({reading:.2f} s of it reading the file; goal < 3 s), "
        f"{len(queries)} queries (goal: as many for 10 as for 1,000)"
    )
    # The 1,000 imported declarations are still there: export them.
    imported = Declaration.objects.filter(project_code__startswith="IMPORT-")
    for file_format in ("xlsx", "csv"):
        seconds = median_seconds(
            lambda file_format=file_format: export_file(imported, file_format), runs=3
        )
        print(
            f"export of 1,000 declarations / 8,000 rows as {file_format}: "
            f"{seconds:.2f} s (median of 3; goal < 1.5 s)"
        )


def bench_copies(units):
    """The copied-table check compares a table with the other tables of its
    unit and year: importing 250, 500 and 1,000 tables into one unit, and
    saving one table in a unit of 10 and in a unit of 1,000."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    department = units["640502001"].parent
    everyone = Organization.objects.all()
    kinds = [
        ("产出指标", "数量指标", "≥200人"),
        ("产出指标", "质量指标", "≥90%"),
        ("产出指标", "时效指标", "100%"),
        ("产出指标", "成本指标", "≤30万元"),
        ("效益指标", "社会效益指标", "效果显著"),
        ("效益指标", "可持续影响指标", "显著提升"),
        ("满意度指标", "服务对象满意度指标", "≥90%"),
        ("产出指标", "数量指标", "≥500人"),
    ]

    def new_unit(code):
        return Organization.objects.create(
            code=code, name=f"基准单位{code}", kind="unit", parent=department
        )

    def import_file(unit, tables, same):
        """`tables` tables of 8 rows: all alike (each a copy of all the
        others), or each its own but for its satisfaction row."""
        rows = [HEADERS]
        for i in range(tables):
            declaration = {
                "单位代码": unit.code,
                "年度": 2027,
                "项目编码": f"{unit.code}-{i:04d}",
                "项目名称": f"导入项目{i}",
                "预算数（万元）": 35,
                "财政资金（万元）": 35,
                "资金支出计划（%）": "3月底:25；6月底:50；9月底:75；12月底:100",
                "绩效目标": "1、确保医保业务正常办理\n2、提高参保缴费率",
            }
            for j, (level1, level2, value) in enumerate(kinds):
                name = f"指标{j}" if same or j == 6 else f"项目{i}指标{j}"
                rows.append(
                    [
                        {
                            **declaration,
                            "一级指标": level1,
                            "二级指标": level2,
                            "三级指标": name,
                            "指标值": value,
                        }.get(h, "")
                        for h in HEADERS
                    ]
                )
        return files.write_file(SHEET, rows[0], rows[1:], "xlsx")

    for tables, same in [(250, True), (500, True), (1000, True), (1000, False)]:
        unit = new_unit(f"COPIES-{tables}-{'same' if same else 'own'}")
        content = import_file(unit, tables, same)
        start = time.perf_counter()
        plan = importing.analyse(
            files.read_rows(content, "bench.xlsx"), None, allowed_units=everyone
        )
        importing.apply(plan, None)
        seconds = time.perf_counter() - start
        assert plan.count("create") == tables and not plan.blocking
        warned = Declaration.objects.filter(organization=unit, warning_count__gt=0)
        print(
            f"import of {tables:,} tables into one unit, "
            f"{'all alike' if same else 'each its own'}: {seconds:.1f} s "
            f"({warned.count():,} warned as copies; goal < 10 s for 1,000)"
        )

    taxonomy = Taxonomy.load()
    level = {}
    for level1, level2, _ in kinds:
        first = taxonomy.find_level1(level1)
        level[level1, level2] = (first.pk, taxonomy.find_level2(first, level2).pk)

    def unit_of(tables):
        """A unit of `tables` tables, each with rows of its own, made in bulk."""
        unit = new_unit(f"COPIES-UNIT-{tables}")
        Declaration.objects.bulk_create(
            [
                Declaration(
                    organization=unit,
                    year=2027,
                    project_code=f"{unit.code}-{t:04d}",
                    project_name=f"项目{t}",
                    total=35,
                    fiscal=35,
                    spending_plan=[[12, "100.00"]],
                )
                for t in range(tables)
            ],
            batch_size=1000,
        )
        made = Declaration.objects.filter(organization=unit).order_by("pk")
        written = []
        for declaration in made:
            for j, (level1, level2, value) in enumerate(kinds):
                row = IndicatorRow(
                    declaration=declaration,
                    position=j + 1,
                    level1_id=level[level1, level2][0],
                    level2_id=level[level1, level2][1],
                    level3=f"{declaration.project_code}指标{j}",
                    value=value,
                )
                row.fill_parsed_value()
                written.append(row)
        IndicatorRow.objects.bulk_create(written, batch_size=2000)
        return list(made)

    def rows_like(declaration):
        return drafts.rows_from_names(
            [
                (level1, level2, f"{declaration.project_code}指标{j}", "", value, "")
                for j, (level1, level2, value) in enumerate(kinds)
            ],
            taxonomy,
        )

    def save(declaration, rows):
        version = Declaration.objects.get(pk=declaration.pk).version
        drafts.save_changes(
            declaration.pk,
            expected_version=version,
            by=None,
            changes=drafts.DraftChanges(fields={}, rows=rows),
        )

    for tables in (10, 1000):
        *others, saved = unit_of(tables)
        for what, like in [("its own rows", saved), ("a copy of another", others[0])]:
            seconds = median_seconds(
                lambda saved=saved, like=like: save(saved, rows_like(like))
            )
            connection.queries_log.clear()  # the import filled it
            with CaptureQueriesContext(connection) as queries:
                save(saved, rows_like(like))
            print(
                f"save of one table ({what}) in a unit of {tables:,} tables: "
                f"{seconds * 1000:.0f} ms, {len(queries)} queries "
                "(goal: as in a unit of 10)"
            )


def bench_hostile_uploads(units):
    """Files built to bloat or stall the worker that parses them, and the
    largest file that may be imported: what each costs the worker."""

    unit = units["450002"]
    full = [
        [
            unit.code,
            2027,
            f"FULL-{i}",
            "项目" * 20,
            *(["文字" * 20] * (len(HEADERS) - 4)),
        ]
        for i in range(20000)
    ]
    cases = [
        ("a full file of 20,000 rows", files.write_file(SHEET, HEADERS, full, "xlsx"))
    ]
    del full

    def far_cell(cell):
        return hostile_files.far_cell(cell, HEADERS)

    cases += [
        ("one cell at XFD1048576", far_cell("XFD1048576")),
        ("one cell at Z20000", far_cell("Z20000")),
    ]
    # A sheet of 400 MB of cells in 1.3 MB, and one just within what a zip
    # may unpack to, with more rows than may be imported.
    for name, megabytes in [
        ("a zip of 400 MB of cells", 400),
        ("a zip of 95 MB of cells", 95),
    ]:
        cases.append((name, hostile_files.sheet_of(far_cell("A2"), megabytes)))

    for name, content in cases:
        result, seconds, _, grew, child = _cost_of_reading(
            files, lambda content=content: files.read_rows(content, "upload.xlsx")
        )
        if isinstance(result, files.ImportFileError):
            outcome = f"refused: {str(result)[:36]}…"
        else:
            outcome = f"{len(result)} rows read"
        print(
            f"upload, {name} ({len(content) / 2**20:.1f} MiB): {seconds:.1f} s, "
            f"the worker's peak grew {grew:.0f} MiB, the parsing child {child} "
            f"(goals < 10 s, < 200 MB); {outcome}"
        )


def _cost_of_reading(module, read):
    """read(), with `module._parse` (what the bounded child runs) wrapped so
    that the child writes its peak where the bench can read it: what read
    returned or the ImportFileError it raised, the seconds, the worker's
    size before and how far its peak grew (MiB), and what the child grew."""
    peak_file = WORK / "child-peak"
    parse = module._parse

    def measured_parse(*args):
        try:
            return parse(*args)
        finally:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            peak_file.write_text(str(peak))

    module._parse = measured_parse
    peak_file.write_text("0")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    current = _resident()
    start = time.perf_counter()
    try:
        result = read()
    except files.ImportFileError as error:
        result = error
    finally:
        module._parse = parse
    seconds = time.perf_counter() - start
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    child_peak = float(peak_file.read_text())
    child = (
        f"grew {max(child_peak - current, 0):.0f} MiB"
        if child_peak
        else "was stopped at its limit"
    )
    return result, seconds, current, grew, child


def bench_hostile_word(units):
    """The Word files that held a worker for a minute or grew it to 1.4 GB,
    through the import's preview as a preparer uploads them; then the most
    tables a file may hold (500), previewed and written."""
    from declarations.models import Membership
    from declarations.services import imports
    from declarations.wordfiles import importing as word_import
    from declarations.wordfiles import reading

    unit = units["450002"]
    user = Membership.objects.filter(organization=unit, role="preparer").first().user
    cases = [(name, build()) for name, build in hostile_files.WORST_WORD_FILES.items()]
    cases.append(("500 tables, the most a file may hold", None))
    for name, content in cases:
        content = content or hostile_files.word_many_tables(500)
        result, seconds, current, grew, child = _cost_of_reading(
            reading,
            lambda content=content: imports.analyse_upload(
                content, "upload.docx", user=user, year=2027
            ),
        )
        if isinstance(result, files.ImportFileError):
            outcome = f"refused: {str(result)[:40]}…"
        else:
            read, plan = result
            outcome = f"previewed, {len(plan.declarations)} declarations"
        print(
            f"Word upload, {name} ({len(content) / 1024:.0f} KiB): {seconds:.2f} s, "
            f"the worker at {current:.0f} MiB, its peak grew {grew:.0f} MiB, "
            f"the reading child {child} (goals < 10 s, < 200 MB); {outcome}"
        )
    start = time.perf_counter()
    word_import.apply(plan, read, user)
    print(
        f"Word import, confirm of those 500 tables (a task worker's work): "
        f"{time.perf_counter() - start:.1f} s, "
        f"{Declaration.objects.filter(year=2027, organization=unit).count()} drafts"
    )
    Declaration.objects.filter(year=2027, organization=unit).delete()


def bench_hostile_posts(units):
    """Posts built to make a worker build forms or hold text: what each
    costs, answered with a page that says what to do."""
    from urllib.parse import urlencode

    from django.test import Client

    unit = units["450002"]
    draft = declaration(unit, 8, "POSTS")
    preparer = unit.memberships.get(role="preparer").user
    client = Client(HTTP_HOST="localhost")
    client.force_login(preparer)
    url = f"/declarations/{draft.pk}/edit/"
    management = {"version": draft.version, "indicators-INITIAL_FORMS": 0}
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    text = "用" * (limit // 9 - 2000)
    cases = [
        (
            "100,000 indicator forms announced",
            url + "indicators/",
            False,
            {**management, "indicators-TOTAL_FORMS": 100_000},
        ),
        (
            f"a text of {len(text):,} characters, as the form posts it",
            url + "funds/",
            True,
            {"version": draft.version, "fund_use": text},
        ),
        (
            f"the same, form-encoded: {files.human_size(limit)}, the limit",
            url + "funds/",
            False,
            {"version": draft.version, "fund_use": text},
        ),
        (
            "a form-encoded text past the limit",
            url + "funds/",
            False,
            {"version": draft.version, "fund_use": text * 3},
        ),
        (
            "2,995 fields",
            url + "funds/",
            False,
            {"version": draft.version, **{f"x{i}": "用" for i in range(2995)}},
        ),
    ]
    for name, target, multipart, data in cases:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        if multipart:  # how the entry forms post
            response = client.post(target, data)
        else:  # as a form without an enctype posts (a Chinese character: 9 bytes)
            response = client.post(
                target,
                urlencode(data),
                content_type="application/x-www-form-urlencoded",
            )
        seconds = time.perf_counter() - start
        grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
        print(
            f"post, {name}: {seconds:.2f} s, the worker's peak grew {grew:.0f} MiB "
            f"(goals < 10 s, < 200 MB); answered {response.status_code}"
        )


def bench_backup(units):
    """`manage.py backup` of a year of 10,000 declarations (80,000 rows, the
    kept PDFs of the parts before), and `restore` into an empty installation,
    each as its own process as an administrator runs them."""
    import subprocess

    from declarations.demo.year import load_year

    started = time.perf_counter()
    loaded = load_year(declarations=10_000)
    print(
        f"backup: a year of {loaded.declarations} declarations loaded in "
        f"{time.perf_counter() - started:.1f} s"
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    folder = WORK / "backups"
    started = time.perf_counter()
    subprocess.run(
        [*manage, "backup", "-o", str(folder)], check=True, capture_output=True
    )
    backup = time.perf_counter() - started
    (archive,) = folder.glob("*.tar.gz")
    empty = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{WORK / 'restored.sqlite3'}",
        "MEDIA_ROOT": str(WORK / "restored-media"),
    }
    started = time.perf_counter()
    done = subprocess.run(
        [*manage, "restore", str(archive)],
        env=empty,
        check=True,
        capture_output=True,
        text=True,
    )
    restore = time.perf_counter() - started
    print(
        f"backup of {Declaration.objects.count()} declarations (SQLite): "
        f"{backup:.1f} s (goal < 30 s), {archive.stat().st_size / 2**20:.1f} MiB; "
        f"restore into an empty installation: {restore:.1f} s (goal < 30 s)"
    )
    print(f"  {done.stdout.strip()}")


def _resident() -> float:
    """This process's resident memory now, in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _proportional(pid: int) -> int:
    """A process's proportional set size in KiB: its own pages, and its
    share of the pages it shares with others (a forked layout process shares
    most of the worker's)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:  # the process has just ended
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    # pid (name) state ppid …: the name may hold spaces.
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


def held_memory(action):
    """What `action` returns, and the most memory this process and its
    layout processes held together while it ran, in MiB: their proportional
    set sizes summed, sampled every 50 ms."""
    import threading

    peak, done = [0], threading.Event()

    def sample():
        me = os.getpid()
        while not done.is_set():
            held = _proportional(me) + sum(map(_proportional, _children(me)))
            peak[0] = max(peak[0], held)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = action()
    finally:
        done.set()
        sampler.join()
    return result, peak[0] / 1024


def chromium_ratios(cases):
    """The same HTML printed by WeasyPrint and by headless Chromium (what a
    user would otherwise reach for), interleaved run by run."""
    import shutil

    from playwright.sync_api import sync_playwright

    from declarations.printing.render import PDF_ASSETS, html_to_pdf

    chromium = shutil.which("chromium")
    if chromium is None:
        print("WeasyPrint ÷ Chromium: skipped, /usr/bin/chromium is not installed")
        return
    folder = WORK / "chromium"
    shutil.copytree(PDF_ASSETS, folder)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        for name, html in cases:
            path = folder / "page.html"
            path.write_text(html, encoding="utf-8")
            weasy, chrome = [], []
            for _ in range(RUNS + 1):
                start = time.perf_counter()
                html_to_pdf(html)
                weasy.append(time.perf_counter() - start)
                start = time.perf_counter()
                page.goto(path.as_uri())
                page.pdf(format="A4", prefer_css_page_size=True)
                chrome.append(time.perf_counter() - start)
            w, c = statistics.median(weasy[1:]), statistics.median(chrome[1:])
            print(
                f"{name}: WeasyPrint {w:.3f} s, Chromium {c:.3f} s, "
                f"WeasyPrint ÷ Chromium = {w / c:.1f}"
            )
        browser.close()


def _book_as_one_html(department):
    """The 24-table book's front and tables as one HTML document, for the
    comparison with Chromium, which would print it in one go."""
    contents = book.book_contents(department, 2026)
    pages = {"part-one": 2, "part-two": 3}
    pages.update((t.anchor, 3 + t.number) for t in contents.tables)
    front = book.front_html(contents, pages)
    tables = book.tables_html(contents, contents.tables)
    return front.replace("</body>", tables.split("<body>", 1)[1].split("</body>")[0])


def _python_loop():
    total = 0
    for i in range(10_000_000):
        total += i
    return total


def pages(pdf_bytes):
    with pikepdf.open(io.BytesIO(pdf_bytes)) as document:
        return len(document.pages)


def main():
    call_command("migrate", verbosity=0)
    if POSTGRES:
        print(f"on PostgreSQL ({POSTGRES}, database {POSTGRES_DATABASE})")
    units = demo.load_people()
    parts = {
        "import": bench_import,
        "copies": bench_copies,
        "uploads": bench_hostile_uploads,
        "word_uploads": bench_hostile_word,
        "posts": bench_hostile_posts,
        "backup": bench_backup,
        "book": bench_book,
        "word": bench_word,
        "word_conversion": bench_word_conversion,
        "disclosure": bench_disclosure,
        "layouts": bench_layouts,
        "suggestions": bench_suggestions,
        "desk": bench_desk,
        "approve": bench_approve,
    }
    if sys.argv[1:]:  # `bench.py import uploads`: those parts alone
        for name in sys.argv[1:]:
            parts[name](units)
        return
    unit = units["450002"]
    print(f"benchmark on {os.cpu_count()} cores, median of {RUNS} after one warm-up")
    print(
        f"this machine's speed, to compare runs on other machines: a Python loop "
        f"of 10 million additions takes {median_seconds(_python_loop):.2f} s"
    )

    small = declaration(unit, 8, "BENCH-8")
    one = median_seconds(lambda: pdf.render_declaration(small))
    size = len(pdf.render_declaration(small))
    print(
        f"PDF, one declaration with 8 indicators: {one:.3f} s (goal < 0.3 s), "
        f"{size / 1024:.0f} KiB (goal < 1024 KiB)"
    )

    large = declaration(unit, 100, "BENCH-100")
    long_pdf = pdf.render_declaration(large)
    n = pages(long_pdf)
    seconds = median_seconds(lambda: pdf.render_declaration(large))
    print(
        f"PDF, one declaration with 100 indicators: {seconds:.3f} s for {n} pages = "
        f"{seconds / n:.3f} s per page (goal < 0.15 s), {len(long_pdf) / 1024:.0f} KiB"
    )

    peak = peak_python_memory(lambda: pdf.render_declaration(small))
    print(f"PDF, peak Python memory rendering one declaration: {peak / 2**20:.1f} MiB")

    large.status = "approved"
    large.save(update_fields=["status"])
    pdf.declaration_pdf(large)  # renders and keeps it
    kept = median_seconds(lambda: pdf.declaration_pdf(large))
    print(f"PDF, second download of an approved declaration: {kept * 1000:.1f} ms")

    bench_book(units)
    bench_word(units)
    bench_word_conversion(units)
    bench_disclosure(units)
    # Before Chromium runs: the memory of child processes is that of layouts.
    bench_approve(units)
    department = units["430424001"].department
    chromium_ratios(
        [
            ("one declaration with 8 indicators", pdf.declaration_html(small)),
            ("24-table book", _book_as_one_html(department)),
        ]
    )
    bench_import(units)
    bench_layouts(units)
    # After the books the process's peak is past what an upload or a post
    # adds: `bench.py uploads posts`, run alone, shows their growth.
    print("uploads and posts (their memory growth: run `bench.py uploads posts`)")
    bench_hostile_uploads(units)
    bench_hostile_posts(units)
    bench_backup(units)
    # Last: their years of 10,000 declarations would weigh on the figures above.
    bench_suggestions(units)
    bench_desk(units)

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {rss:.0f} MiB")


if __name__ == "__main__":
    try:
        main()
    finally:
        if POSTGRES:
            from django.db import connections

            connections.close_all()
            _postgres(_drop)
