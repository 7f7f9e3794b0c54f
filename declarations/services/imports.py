"""Uploads as heavy work: held one at a time per user and a share of the
workers at most, and imports too large for a request confirmed by a task
worker while a page follows them.

A hold is a row of UploadInProgress, made and counted in autocommit so that
every process sees it at once. Two uploads started at the same moment may
each see the other and both be told to wait; never are more let through
than HEAVY_UPLOADS_AT_ONCE.
"""

import math
import os
import time
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from declarations import leases
from declarations.models import ImportJob, UploadInProgress
from declarations.services.errors import DomainError
from declarations.spreadsheet import files, importing, uploads

try:  # Django 6 has the tasks framework built in; 5.2 uses its backport.
    from django.tasks import TaskResultStatus, task
except ImportError:
    from django_tasks import TaskResultStatus, task

STILL_WORKING = (
    "上一个文件还在处理，请等它完成后再上传（通常不到一分钟）。"
    "后台导入的进度可在“导入”页面查看。"
)


# The worker of a hold that is a rest after a refused file.
RESTING = ""


class Busy(DomainError):
    """The upload cannot start now; the message says when to try again."""


def _rest_message(seconds: float) -> str:
    return (
        "上一个文件没有通过检查。为了不影响其他人使用系统，请于 "
        f"{max(1, math.ceil(seconds))} 秒后再上传改好的文件。"
    )


@contextmanager
def heavy_upload(user):
    """Holds one of the workers' shares for reading a user's upload.

    A file refused as unreadable or wrong leaves its user a rest of
    HEAVY_UPLOAD_REST times the time it took, answered at once: one user
    sending bad files from many tabs, each taking its full time to refuse,
    then has a worker for a third of the time at most instead of always.
    A file that reads well leaves no rest: its confirm follows at once."""
    if any(not job_as_it_stands(job).ended for job in open_jobs(user)):
        raise Busy(STILL_WORKING)
    now = timezone.now()
    UploadInProgress.objects.filter(until__lt=now).delete()
    try:
        with transaction.atomic():
            hold = UploadInProgress.objects.create(
                user=user,
                worker=f"{leases.HOST}:{os.getpid()}"[:100],
                until=now + timedelta(seconds=settings.HEAVY_UPLOAD_SECONDS),
            )
    except IntegrityError:
        resting = UploadInProgress.objects.filter(
            user=user, worker=RESTING, until__gte=now
        ).first()
        if resting is not None:
            raise Busy(_rest_message((resting.until - now).total_seconds())) from None
        raise Busy(STILL_WORKING) from None
    started = time.monotonic()
    refused = False
    try:
        others = (
            UploadInProgress.objects.filter(until__gte=now)
            .exclude(pk=hold.pk)
            .exclude(worker=RESTING)
        )
        if others.count() >= settings.HEAVY_UPLOADS_AT_ONCE:
            raise Busy(
                "系统正在处理其他人上传的文件，请过 10 秒左右再上传。"
                "浏览和填写申报表不受影响。"
            )
        try:
            yield
        except files.ImportFileError:
            refused = True
            raise
    finally:
        rest = (time.monotonic() - started) * settings.HEAVY_UPLOAD_REST
        if refused and rest >= 0.5:
            UploadInProgress.objects.filter(pk=hold.pk).update(
                worker=RESTING, until=timezone.now() + timedelta(seconds=rest)
            )
        else:
            UploadInProgress.objects.filter(pk=hold.pk).delete()


def analyse_upload(
    content: bytes,
    filename: str,
    *,
    user,
    year=None,
    leave_out: frozenset[int] = frozenset(),
):
    """What importing an upload would do: (what was read, the import plan).
    A Word file's tables numbered in `leave_out` are left out, and its part
    one if PART_ONE is. Refuses a file of more than IMPORT_MAX_DECLARATIONS
    declarations."""
    from declarations.wordfiles import importing as word_import
    from declarations.wordfiles.choice import PART_ONE

    read = word_import.read_upload(
        content, filename, user=user, year=year, leave_out=leave_out
    )
    if PART_ONE in leave_out and read.goals_of is not None:
        read.goals_of = None
        read.goals_refused = "第一部分（部门整体绩效目标）没有勾选，本次不导入。"
    import_plan = importing.analyse(read.rows, user)
    import_plan.problems[:0] = word_import.troubles(read)
    if (count := len(import_plan.declarations)) > settings.IMPORT_MAX_DECLARATIONS:
        raise files.ImportFileError(
            f"文件中有 {count:,} 份申报表，超过了一次导入 "
            f"{settings.IMPORT_MAX_DECLARATIONS:,} 份的上限。请按单位或年度分成几个"
            "文件分别导入。"
        )
    return read, import_plan


def import_in_background(
    *,
    user,
    path: str,
    filename: str,
    year,
    count: int,
    left_out: frozenset[int] = frozenset(),
):
    """Leaves a confirmed import of `count` declarations to a task worker,
    which leaves out the tables the preview left out."""
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=user,
            path=path,
            filename=filename,
            year=year,
            declarations=count,
            left_out=sorted(left_out),
        )
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: ImportJob) -> None:
    job.task = str(confirm_import.enqueue(job.pk).id)
    job.save(update_fields=["task"])


def open_jobs(user):
    return ImportJob.objects.filter(
        user=user, state__in=[ImportJob.State.WAITING, ImportJob.State.RUNNING]
    )


def job_as_it_stands(job: ImportJob) -> ImportJob:
    """The job, failed if its task did (a task worker that died while it ran,
    queued again until TASK_REQUEUES, or an error it did not expect), or if
    it was never queued."""
    if job.ended:
        return job
    if not job.task:
        if timezone.now() - job.created > timedelta(minutes=1):
            _end(
                job,
                ImportJob.State.FAILED,
                "导入没有开始（后台任务没有排上队），没有导入任何内容。请重新上传文件再导入。",
            )
        return job
    results = DBTaskResult.objects.filter(pk=job.task)
    leases.recover(results)
    result = results.first()
    if result is None or result.status == TaskResultStatus.FAILED:
        _end(
            job,
            ImportJob.State.FAILED,
            "导入中断了（后台任务的进程停止了），没有导入任何内容。请重新上传文件再导入；"
            "如果再次中断，请联系系统管理员检查后台任务（db_worker）。",
        )
    return job


@leases.idempotent
@task()
def confirm_import(job_id: int) -> None:
    """Reads, checks and writes a kept upload, all or nothing, as the
    confirm of a preview does; the job says how far it got and how it
    ended. Run again after its worker died, it reads the file again: a
    transaction cut short wrote nothing, and what a finished one wrote is
    unchanged now."""
    from declarations.wordfiles import importing as word_import

    job = ImportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.ended:  # done before its worker died, or failed
        return
    _step(job, ImportJob.State.RUNNING, "正在读取和检查文件")
    content = uploads.read(job.path)
    if content is None:
        _end(job, ImportJob.State.FAILED, "上传的文件已过期，请重新上传。")
        return
    try:
        read, import_plan = analyse_upload(
            content,
            job.filename,
            user=job.user,
            year=job.year,
            leave_out=frozenset(job.left_out),
        )
        _step(job, ImportJob.State.RUNNING, f"正在写入 {job.declarations} 份申报表")
        with transaction.atomic():
            word_import.apply(import_plan, read, job.user)
            # With what it wrote: a run again after a crash finds it done.
            _end(job, ImportJob.State.DONE, f"导入完成：{import_plan.summary()}。")
            transaction.on_commit(lambda: uploads.forget(job.path))
    except (files.ImportFileError, DomainError) as error:
        _end(job, ImportJob.State.FAILED, f"没有导入任何内容：{error}")
        return
    except Exception:
        _end(
            job,
            ImportJob.State.FAILED,
            "导入时系统出错，没有导入任何内容。请重新上传；如果再次出错，请联系系统管理员。",
        )
        raise


def _step(job: ImportJob, state: str, step: str):
    job.state, job.step = state, step
    job.save(update_fields=["state", "step"])


def _end(job: ImportJob, state: str, outcome: str):
    job.state, job.outcome, job.finished = state, outcome, timezone.now()
    job.save(update_fields=["state", "outcome", "finished"])
