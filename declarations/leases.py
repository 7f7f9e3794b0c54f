"""Leases of background tasks: a task whose worker died is noticed and run
again, or marked failed, instead of staying RUNNING for ever.

The worker (`manage.py db_worker`, our own command) takes a task's lease as
it claims it and renews it every TASK_HEARTBEAT_SECONDS from a thread while
the task runs. A lease left unrenewed for TASK_LEASE_SECONDS means that its
worker died (killed, out of memory, its machine gone): the task is queued
again if it is `idempotent` and has been queued again fewer than
TASK_REQUEUES times, else it fails with WorkerLost, which its page shows.

Who notices: every worker at every heartbeat, for all tasks; a worker as it
starts, at once for the tasks of the dead workers of its own machine; and a
page that waits for a task, for that task. The leases live in the database,
which is all that workers on several machines share.
"""

import logging
import os
import socket
import threading
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from declarations.models import TaskLease

try:  # Django 6 has the tasks framework built in; 5.2 uses its backport.
    from django.tasks import TaskResultStatus
except ImportError:
    from django_tasks import TaskResultStatus

logger = logging.getLogger(__name__)

HOST = socket.gethostname()[:255]
_IDEMPOTENT: set[str] = set()


class WorkerLost(Exception):
    """The worker running a task died before the task finished."""


LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def idempotent(task):
    """Mark a task safe to run again from its start (put `@idempotent` above
    `@task()`): when its worker dies, the task is queued again."""
    _IDEMPOTENT.add(task.module_path)
    return task


def take(result: DBTaskResult, worker_id: str) -> None:
    """The worker that has just claimed `result` holds its lease."""
    TaskLease.objects.update_or_create(
        result=result,
        defaults={
            "worker_id": worker_id,
            "host": HOST,
            "pid": os.getpid(),
            "renewed_at": timezone.now(),
        },
    )


def renew(result_id, worker_id: str) -> None:
    """Still alive; a lease another worker has taken since stays its own."""
    TaskLease.objects.filter(result_id=result_id, worker_id=worker_id).update(
        renewed_at=timezone.now()
    )


def expired(results: QuerySet[DBTaskResult] | None = None) -> QuerySet:
    """The running tasks (of `results`, else all) whose lease is older than
    TASK_LEASE_SECONDS, or that have none: claimed by a worker that died at
    once, or before there were leases. A task claimed again has as long to
    take its lease as a lease lasts."""
    since = timezone.now() - timedelta(seconds=settings.TASK_LEASE_SECONDS)
    results = DBTaskResult.objects.all() if results is None else results
    return (
        results.running()
        .filter(started_at__lt=since)
        .filter(Q(lease__isnull=True) | Q(lease__renewed_at__lt=since))
    )


def recover(results: QuerySet[DBTaskResult] | None = None) -> int:
    """Queue again, or fail, the expired tasks of `results` (else all); how
    many."""
    return sum(_recover(row) for row in expired(results).select_related("lease"))


def recover_dead_here() -> int:
    """At a worker's start: the running tasks of this machine's workers that
    are gone, without waiting for their leases to run out."""
    # A lease older than the claim is an earlier run's: the task has just
    # been claimed again, maybe elsewhere, and its lease is being taken.
    running = DBTaskResult.objects.running().filter(
        lease__host=HOST, lease__renewed_at__gte=F("started_at")
    )
    return sum(
        _recover(row)
        for row in running.select_related("lease")
        if not _alive(row.lease.pid)
    )


def is_lost(result: DBTaskResult) -> bool:
    """The task failed because its worker died, not because of an error."""
    return (
        result.status == TaskResultStatus.FAILED and result.exception_class_path == LOST
    )


def _recover(row: DBTaskResult) -> bool:
    """Queue the task again or fail it, unless a worker has claimed or
    finished it meanwhile."""
    unchanged = DBTaskResult.objects.filter(
        pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
    )
    # Each claim adds its worker's id: the runs so far.
    attempts = len(row.worker_ids)
    lease = getattr(row, "lease", None)
    where = f"{lease.host} pid {lease.pid}" if lease else "an unknown worker"
    if _is_idempotent(row) and attempts <= settings.TASK_REQUEUES:
        if not unchanged.update(status=TaskResultStatus.READY):
            return False
        logger.warning(
            "Task %s (%s) lost its worker (%s) on run %d; queued again",
            row.pk,
            row.task_path,
            where,
            attempts,
        )
        return True
    why = (
        f"{LOST}: the worker running this task ({where}) stopped renewing "
        f"its lease (run {attempts}); the task was not run again."
    )
    if not unchanged.update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=LOST,
        traceback=why,
    ):
        return False
    logger.error("Task %s (%s) failed: %s", row.pk, row.task_path, why)
    return True


def _is_idempotent(row: DBTaskResult) -> bool:
    try:
        import_string(row.task_path)  # its module marks it as it loads
    except ImportError:
        return False
    return row.task_path in _IDEMPOTENT


def _alive(pid: int) -> bool:
    if pid == os.getpid():  # a worker before this one, in a restarted container
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:  # killed, not yet reaped by its parent: as dead
        return stat.read_text().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


class Heartbeat(threading.Thread):
    """In a worker: every TASK_HEARTBEAT_SECONDS, renews the lease of the task
    it runs (`task_id`) and recovers the tasks of workers that died."""

    def __init__(self, worker_id: str):
        super().__init__(name="task-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.task_id = None
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(settings.TASK_HEARTBEAT_SECONDS):
                self.beat()
                # This thread's connection, not the task's: one that broke
                # or aged is opened afresh at the next beat.
                close_old_connections()
        finally:
            connection.close()  # this thread's own

    def beat(self) -> None:
        try:
            if (task_id := self.task_id) is not None:
                renew(task_id, self.worker_id)
            recover()
        except DatabaseError:  # locked or gone for a moment: the next beat
            logger.exception("The task heartbeat could not reach the database")

    def stop(self) -> None:
        self.stopping.set()
