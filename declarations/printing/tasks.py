"""Printing in the background, never in a reviewer's request.

An approval enqueues `keep_approved` in its own transaction, so the task
exists exactly when the approval does. The task renders and keeps the
table's PDF, then asks for the department's book. Changes
of a book (an approval, a reopening, new goals) within BOOK_LAYOUT_DELAY
seconds share one `prepare_book`: 24 approvals in a minute lay it out once.
The renderer (WeasyPrint, 0.8 s to import) is imported by the tasks that
render, not by the approval that enqueues them. Both tasks are idempotent:
run twice, or after the declaration changed again, they do nothing more.
Workers are `manage.py db_worker` processes (django-tasks-db), any number of
them, on any machine sharing the database.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from declarations.models import Declaration, Organization, Status

try:  # Django 6 has the tasks framework built in; 5.2 uses its backport.
    from django.tasks import TaskResultStatus, task
except ImportError:
    from django_tasks import TaskResultStatus, task


logger = logging.getLogger(__name__)


@task()
def keep_approved(declaration_id: int, version: int) -> None:
    """Render and keep an approved declaration's PDF; then the book."""
    declaration = (
        Declaration.objects.select_related("organization__parent")
        .filter(pk=declaration_id, version=version, status=Status.APPROVED)
        .first()
    )
    if declaration is None:  # reopened or gone since: nothing to keep
        return
    from declarations.printing.declaration import NotPrinted, declaration_pdf

    try:
        declaration_pdf(declaration)  # WeasyPrint
    except NotPrinted as refused:  # the download will say the same
        logger.warning("%s was not printed: %s", declaration, refused)
    if not declaration.is_department_wide:
        book_changed(declaration.organization.department, declaration.year)


@task()
def prepare_book(department_id: int, year: int) -> None:
    """Lay out and keep the department's book of the year, so that a download
    serves a kept file."""
    department = Organization.objects.filter(pk=department_id).first()
    if department is not None:
        from declarations.printing import book  # WeasyPrint

        book.prepare(department, year)


def approved(declaration: Declaration) -> None:
    """Call inside the approval's transaction."""
    keep_approved.enqueue(declaration.pk, declaration.version)


def book_changed(department: Organization, year: int) -> None:
    """The book's contents changed: lay it out again soon, once for all the
    changes that come before it starts."""
    if is_book_pending(department, year):
        return
    delay = settings.BOOK_LAYOUT_DELAY
    runner = prepare_book
    if delay:
        runner = prepare_book.using(run_after=timezone.now() + timedelta(seconds=delay))
    runner.enqueue(department.pk, year)


def is_book_pending(department: Organization, year: int) -> bool:
    """A layout of the book is waiting for a worker."""
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=prepare_book.module_path,
        args_kwargs={"args": [department.pk, year], "kwargs": {}},
    ).exists()


@task()
def pack_pdfs(user_id: int, ids: list[int], token: str) -> int:
    """Pack the PDFs of the declarations the user may still read into the
    kept zip of `token`; returns how many declarations it holds."""
    from django.contrib.auth import get_user_model

    from declarations.printing import packs  # WeasyPrint
    from declarations.selectors import readable_declarations

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    chosen = readable_declarations(user, ids)
    packs.keep_pack(token, packs.pack(chosen))
    return len(chosen)


def pack_status(result_id: str) -> str:
    """waiting, done or failed: how a `pack_pdfs` task stands."""
    result = DBTaskResult.objects.filter(pk=result_id).only("status").first()
    if result is None or result.status == TaskResultStatus.FAILED:
        return "failed"
    if result.status == TaskResultStatus.SUCCESSFUL:
        return "done"
    return "waiting"
