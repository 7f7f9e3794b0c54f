"""Printing in the background, never in a reviewer's request.

An approval enqueues `keep_approved` in its own transaction, so the task
exists exactly when the approval does. The task renders and keeps the
table's PDF, then asks for the department's book. Changes
of a book (an approval, a reopening, new goals) within BOOK_LAYOUT_DELAY
seconds share one `prepare_book`: 24 approvals in a minute lay it out once.
The renderer (WeasyPrint, 0.8 s to import) is imported by the tasks that
render, not by the approval that enqueues them. Every task here is
idempotent: run twice, or after the declaration changed again, it does
nothing more; so a task whose worker died is queued again (declarations/
leases.py), and its page says when it could not be done.
Workers are `manage.py db_worker` processes (django-tasks-db), any number of
them, on any machine sharing the database.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from declarations import leases
from declarations.models import Declaration, Organization, Status

try:  # Django 6 has the tasks framework built in; 5.2 uses its backport.
    from django.tasks import TaskResultStatus, task
except ImportError:
    from django_tasks import TaskResultStatus, task


logger = logging.getLogger(__name__)


@leases.idempotent
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


@leases.idempotent
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
    return _layouts(department, year).filter(status=TaskResultStatus.READY).exists()


def book_status(department: Organization, year: int) -> str:
    """waiting, failed or lost (its worker died every time): how the latest
    layout of the book stands. A layout whose worker died is first queued
    again, or failed."""
    layouts = _layouts(department, year)
    leases.recover(layouts)
    latest = layouts.order_by("-enqueued_at").first()
    status = "waiting" if latest is None else _status(latest)
    return "waiting" if status == "done" else status  # done, then changed


def _layouts(department: Organization, year: int):
    return DBTaskResult.objects.filter(
        task_path=prepare_book.module_path,
        args_kwargs={"args": [department.pk, year], "kwargs": {}},
    )


@leases.idempotent
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
    """waiting, done, failed or lost (its worker died every time): how a
    `pack_pdfs` task stands. A task whose worker died is first queued again,
    or failed."""
    results = DBTaskResult.objects.filter(pk=result_id)
    leases.recover(results)
    result = results.first()
    return "failed" if result is None else _status(result)


def pack_again(result_id: str, user_id: int) -> str | None:
    """Queue again the packing of `result_id`, finished (failed, or its zip
    gone), for the user who asked for it; the new task's id, or None when
    it is still to be done."""
    finished = (
        DBTaskResult.objects.finished()
        .filter(pk=result_id, task_path=pack_pdfs.module_path)
        .first()
    )
    if finished is None:
        return None
    owner, ids, token = finished.args_kwargs["args"]
    if owner != user_id:
        return None
    return str(pack_pdfs.enqueue(owner, ids, token).id)


def _status(result: DBTaskResult) -> str:
    if result.status == TaskResultStatus.FAILED:
        return "lost" if leases.is_lost(result) else "failed"
    if result.status == TaskResultStatus.SUCCESSFUL:
        return "done"
    return "waiting"
