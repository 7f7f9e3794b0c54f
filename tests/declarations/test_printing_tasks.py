"""Printing runs in the background: an approval enqueues, a worker renders,
changes of a book coalesce, and a download never serves a stale book."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from declarations import selectors
from declarations.models import Declaration, Organization, Status
from declarations.printing import book, kept, render, tasks
from declarations.services import workflow
from tests.background import run_tasks
from tests.factories import make_declaration


@pytest.fixture
def demo_department(db):
    call_command("load_demo", "--reference-only")  # the reference tables alone
    # load_demo approved its tables: let the workers keep their files.
    run_tasks()
    return Organization.objects.get(code="450")


def _pending(task):
    return DBTaskResult.objects.filter(
        status="READY", task_path=task.module_path
    ).count()


def _count_renders(monkeypatch):
    """Every layout WeasyPrint does from now on."""
    renders = []
    monkeypatch.setattr(render.HTML, "render", _counting(render.HTML.render, renders))
    return renders


def _counting(function, calls):
    def counted(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)

    return counted


def test_approval_enqueues_the_printing_and_renders_nothing(
    unit, preparer, reviewer, monkeypatch
):
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    renders = _count_renders(monkeypatch)
    workflow.approve(declaration, by=reviewer, grade="优")
    declaration.refresh_from_db()
    assert renders == []
    assert _pending(tasks.keep_approved) == 1
    assert kept.read_kept(kept.declaration_name(declaration)) is None
    assert run_tasks() == 2  # the table's PDF, then the book
    assert kept.read_kept(kept.declaration_name(declaration)) is not None
    department = declaration.organization.department
    assert kept.read_kept(book.kept_name(department, 2024)) is not None


def test_a_task_for_a_declaration_reopened_meanwhile_keeps_nothing(
    unit, preparer, reviewer
):
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="优")
    declaration.refresh_from_db()
    approved_pdf = kept.declaration_name(declaration)
    workflow.reopen(declaration, by=reviewer, reason="复核")
    assert run_tasks() == 2  # the approval's task, and the book without it
    assert kept.read_kept(approved_pdf) is None


def test_many_changes_of_a_book_lay_it_out_once(demo_department, monkeypatch):
    for _ in range(24):
        tasks.book_changed(demo_department, 2020)
    assert _pending(tasks.prepare_book) == 1
    prepared = []
    monkeypatch.setattr(book, "prepare", lambda d, y: prepared.append((d.pk, y)))
    run_tasks()
    assert prepared == [(demo_department.pk, 2020)]
    tasks.book_changed(demo_department, 2020)  # a change after it ran: once more
    assert _pending(tasks.prepare_book) == 1


def test_after_the_workers_ran_a_download_only_assembles(
    client, demo_department, monkeypatch
):
    renders = _count_renders(monkeypatch)
    client.force_login(demo_department.memberships.get(role="reviewer").user)
    response = client.get(reverse("department_book", args=[demo_department.pk, 2020]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert renders == []


def test_a_large_book_not_yet_prepared_says_so_and_is_prepared(
    client, demo_department, settings
):
    settings.BOOK_RENDER_IN_REQUEST_MAX = 3
    declaration = selectors.approved_projects(demo_department, 2020).first()
    reviewer = demo_department.memberships.get(role="reviewer").user
    preparer = declaration.organization.memberships.get(role="preparer").user
    workflow.reopen(declaration, by=reviewer, reason="复核")
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="优")
    client.force_login(reviewer)
    url = reverse("department_book", args=[demo_department.pk, 2020])
    waiting = client.get(url)
    assert waiting.status_code == 202
    assert "正在生成" in waiting.content.decode()
    run_tasks()
    ready = client.get(url)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert Declaration.objects.get(pk=declaration.pk).status == Status.APPROVED


def test_a_small_book_not_yet_prepared_is_laid_out_during_the_download(
    client, demo_department
):
    declaration = selectors.approved_projects(demo_department, 2020).first()
    reviewer = demo_department.memberships.get(role="reviewer").user
    workflow.reopen(declaration, by=reviewer, reason="复核")
    client.force_login(reviewer)
    response = client.get(reverse("department_book", args=[demo_department.pk, 2020]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_small_book_too_slow_to_lay_out_in_a_request_goes_to_the_worker(
    client, demo_department, settings, monkeypatch
):
    import time

    from declarations.printing import book

    settings.PRINT_SECONDS = 1
    declaration = selectors.approved_projects(demo_department, 2020).first()
    reviewer = demo_department.memberships.get(role="reviewer").user
    workflow.reopen(declaration, by=reviewer, reason="复核")
    render_book = book.render_book
    monkeypatch.setattr(book, "render_book", lambda *a: time.sleep(10))
    client.force_login(reviewer)
    url = reverse("department_book", args=[demo_department.pk, 2020])
    start = time.monotonic()
    waiting = client.get(url)
    assert time.monotonic() - start < 5
    assert waiting.status_code == 202 and "正在生成" in waiting.content.decode()
    monkeypatch.setattr(book, "render_book", render_book)
    run_tasks()
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_renaming_a_unit_lays_the_book_out_anew(demo_department):
    before = book.kept_name(demo_department, 2020)
    unit = selectors.approved_projects(demo_department, 2020).first().organization
    unit.name = "改名后的单位"
    unit.save()
    assert book.kept_name(demo_department, 2020) != before
    assert book.prepared_book(demo_department, 2020, render_up_to=30) is not None


def test_a_book_or_table_kept_anew_replaces_the_one_kept_before(
    demo_department, settings
):
    from pathlib import Path

    declaration = selectors.approved_projects(demo_department, 2020).first()
    reviewer = demo_department.memberships.get(role="reviewer").user
    preparer = declaration.organization.memberships.get(role="preparer").user
    books = Path(settings.MEDIA_ROOT) / "pdf" / "books" / str(demo_department.pk)
    tables = Path(settings.MEDIA_ROOT) / "pdf" / "declarations" / str(declaration.pk)
    first_book, first_table = list(books.glob("2020/*")), list(tables.iterdir())
    assert len(first_book) == 1 and len(first_table) == 1
    workflow.reopen(declaration, by=reviewer, reason="复核")
    workflow.submit(declaration, by=preparer)
    # Another grade: the book and the table print differently.
    grade = "差" if declaration.grade != "差" else "中"
    workflow.approve(declaration, by=reviewer, grade=grade)
    run_tasks()
    (book_file,) = books.glob("2020/*")
    (table_file,) = tables.iterdir()
    assert book_file != first_book[0] and table_file != first_table[0]
    assert book_file.name == Path(book.kept_name(demo_department, 2020)).name
