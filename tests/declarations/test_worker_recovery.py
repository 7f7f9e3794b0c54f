"""Workers recover: a task whose worker died is queued again (printing,
packing: at most TASK_REQUEUES times) or fails, its page says so and offers
to try again, and layout processes die with their worker."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from declarations import leases
from declarations.models import TaskLease
from declarations.printing import tasks
from declarations.services import workflow
from tests.background import run_tasks
from tests.declarations.stalling_tasks import stall_once, stall_once_unsafe
from tests.factories import make_declaration

ROOT = Path(__file__).resolve().parents[2]
LONG_AGO = timedelta(minutes=10)


def _claimed_by_a_dead_worker(result_id, *, runs: int = 1, renewed=LONG_AGO):
    """The task as a worker left it that claimed it (its `runs`-th run) and
    was killed."""
    row = DBTaskResult.objects.get(pk=result_id)
    row.claim(f"dead-{runs}")
    leases.take(row, f"dead-{runs}")
    DBTaskResult.objects.filter(pk=row.pk).update(
        worker_ids=[f"dead-{n}" for n in range(1, runs + 1)],
        started_at=timezone.now() - LONG_AGO,
    )
    TaskLease.objects.filter(result=row).update(renewed_at=timezone.now() - renewed)


def _status(result_id) -> str:
    return DBTaskResult.objects.get(pk=result_id).status


def test_a_task_whose_lease_ran_out_is_queued_again(db, tmp_path):
    result = stall_once.enqueue(str(tmp_path))
    _claimed_by_a_dead_worker(result.id)
    assert leases.recover() == 1
    assert _status(result.id) == "READY"


def test_a_task_is_queued_again_three_times_then_fails_saying_why(
    db, tmp_path, settings
):
    settings.TASK_REQUEUES = 3
    result = stall_once.enqueue(str(tmp_path))
    _claimed_by_a_dead_worker(result.id, runs=3)
    assert leases.recover() == 1 and _status(result.id) == "READY"
    _claimed_by_a_dead_worker(result.id, runs=4)
    assert leases.recover() == 1
    failed = DBTaskResult.objects.get(pk=result.id)
    assert failed.status == "FAILED" and leases.is_lost(failed)
    assert "stopped renewing its lease" in failed.traceback


def test_a_task_that_may_not_run_twice_fails_at_once(db, tmp_path):
    result = stall_once_unsafe.enqueue(str(tmp_path))
    _claimed_by_a_dead_worker(result.id)
    assert leases.recover() == 1
    assert leases.is_lost(DBTaskResult.objects.get(pk=result.id))


def test_a_renewed_lease_and_a_task_just_claimed_are_left_alone(db, tmp_path):
    renewed = stall_once.enqueue(str(tmp_path))
    _claimed_by_a_dead_worker(renewed.id, renewed=timedelta(seconds=5))
    just_claimed = stall_once.enqueue(str(tmp_path))
    DBTaskResult.objects.get(pk=just_claimed.id).claim("alive")  # no lease yet
    assert leases.recover() == 0
    assert _status(renewed.id) == _status(just_claimed.id) == "RUNNING"


def test_the_heartbeat_renews_the_lease_of_its_task(db, tmp_path):
    result = stall_once.enqueue(str(tmp_path))
    _claimed_by_a_dead_worker(result.id)
    TaskLease.objects.filter(result_id=result.id).update(worker_id="me")
    heartbeat = leases.Heartbeat("me")
    heartbeat.task_id = result.id
    heartbeat.beat()
    lease = TaskLease.objects.get(result_id=result.id)
    assert timezone.now() - lease.renewed_at < timedelta(seconds=5)
    assert _status(result.id) == "RUNNING"


def test_a_starting_worker_recovers_the_tasks_of_its_machines_dead_workers_at_once(
    db, tmp_path
):
    gone = subprocess.Popen(["true"])
    gone.wait()
    result = stall_once.enqueue(str(tmp_path))
    _claimed_by_a_dead_worker(result.id, renewed=timedelta(0))  # lease fresh
    TaskLease.objects.filter(result_id=result.id).update(pid=gone.pid)
    assert leases.recover() == 0  # its lease has not run out
    assert leases.recover_dead_here() == 1
    assert _status(result.id) == "READY"


def test_a_task_claimed_again_is_not_taken_for_its_dead_predecessors(db, tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()
    result = stall_once.enqueue(str(tmp_path))
    _claimed_by_a_dead_worker(result.id)
    TaskLease.objects.filter(result_id=result.id).update(pid=gone.pid)
    assert leases.recover() == 1  # queued again
    DBTaskResult.objects.get(pk=result.id).claim("alive")  # lease not yet taken
    assert leases.recover_dead_here() == 0
    assert _status(result.id) == "RUNNING"


@pytest.fixture
def pack_page(client, reviewer, unit, preparer):
    """The page of a zip of six PDFs that a worker packs."""
    tables = [make_declaration(unit, preparer, project_code=f"P-{i}") for i in range(6)]
    client.force_login(reviewer)
    response = client.post(
        reverse("review_batch_pdfs"), {"declaration": [d.pk for d in tables]}
    )
    return response["Location"]


def _pack_result(client) -> str:
    return next(iter(client.session["packs"].values()))["result"]


def test_a_zip_whose_worker_died_is_packed_by_another(client, pack_page):
    _claimed_by_a_dead_worker(_pack_result(client))
    waiting = client.get(pack_page)
    assert waiting.status_code == 202 and "正在打包 6 份" in waiting.content.decode()
    assert run_tasks() == 1
    assert client.get(pack_page)["Content-Type"] == "application/zip"


def test_a_zip_whose_workers_kept_dying_says_so_and_packs_again_on_retry(
    client, pack_page
):
    _claimed_by_a_dead_worker(_pack_result(client), runs=4)
    failed = client.get(pack_page)
    page = failed.content.decode()
    assert failed.status_code == 500
    assert "打包中断了" in page and "请点击“重试”重新打包" in page
    assert 'http-equiv="refresh"' not in page
    retry = reverse("pdf_pack_retry", args=[pack_page.rstrip("/").rsplit("/", 1)[1]])
    assert retry in page
    assert client.post(retry)["Location"] == pack_page
    assert run_tasks() == 1
    assert client.get(pack_page)["Content-Type"] == "application/zip"


def test_a_zip_cut_short_is_not_served_and_is_packed_again(client, pack_page):
    from django.core.files.storage import default_storage

    from declarations.printing import packs

    assert run_tasks() == 1
    token = pack_page.rstrip("/").rsplit("/", 1)[1]
    with default_storage.open(packs.kept_pack_name(token), "rb") as whole:
        data = whole.read()
    packs.keep_pack(token, data[: len(data) // 2])  # killed while writing
    assert client.get(pack_page).status_code == 500
    client.post(reverse("pdf_pack_retry", args=[token]))
    assert run_tasks() == 1
    assert client.get(pack_page)["Content-Type"] == "application/zip"


def test_another_user_cannot_retry_a_pack(client, pack_page, outsider):
    result = _pack_result(client)
    _claimed_by_a_dead_worker(result, runs=4)
    client.get(pack_page)  # noticed: failed
    assert tasks.pack_again(result, outsider.pk) is None


def test_a_book_whose_workers_kept_dying_says_so_and_is_laid_out_again_on_retry(
    client, unit, preparer, reviewer, settings
):
    settings.BOOK_RENDER_IN_REQUEST_MAX = 0  # every book goes to a worker
    declaration = make_declaration(unit, preparer)
    workflow.submit(declaration, by=preparer)
    workflow.approve(declaration, by=reviewer, grade="优")
    department = unit.parent
    url = reverse("department_book", args=[department.pk, 2024])
    client.force_login(reviewer)
    assert client.get(url).status_code == 202
    layout = DBTaskResult.objects.get(task_path=tasks.prepare_book.module_path)
    _claimed_by_a_dead_worker(layout.pk, runs=4)
    failed = client.get(url)
    page = failed.content.decode()
    assert failed.status_code == 500
    assert "排版中断了" in page and "请点击“重试”重新生成" in page
    assert not tasks.is_book_pending(department, 2024)  # no layout behind its back
    retry = reverse("department_book_retry", args=[department.pk, 2024])
    assert client.post(retry)["Location"] == url
    run_tasks()
    ready = client.get(url)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"


# A real `manage.py db_worker`, killed with SIGKILL while its task runs. The
# workers share a database file (the tests' own database is in memory).

LEASE, HEARTBEAT = 3, 1


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("workers") / "migrated.sqlite3"
    done = _manage(database, "migrate", "--noinput")
    assert done.returncode == 0, done.stderr
    return database


@pytest.fixture
def database(migrated, tmp_path) -> Path:
    copy = tmp_path / "db.sqlite3"
    shutil.copy(migrated, copy)
    return copy


def _env(database: Path, **settings) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(database.parent / "media"),
        "TASK_LEASE_SECONDS": str(LEASE),
        "TASK_HEARTBEAT_SECONDS": str(HEARTBEAT),
        **{name: str(value) for name, value in settings.items()},
    }


def _manage(database: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(database),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _enqueue(database: Path, task_name: str, folder: Path) -> None:
    code = (
        f"from tests.declarations.stalling_tasks import {task_name}; "
        f"{task_name}.enqueue({str(folder)!r})"
    )
    done = _manage(database, "shell", "-c", code)
    assert done.returncode == 0, done.stderr


def _worker(database: Path, log: Path, **settings) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay"],
        cwd=ROOT,
        env=_env(database, **settings),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _task(database: Path) -> dict:
    with sqlite3.connect(database, timeout=10) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute(
            "SELECT status, worker_ids, exception_class_path, return_value "
            "FROM django_tasks_database_dbtaskresult"
        ).fetchone()
    return dict(row)


def _until(condition, seconds: float) -> float:
    """Seconds until `condition()` held; fails after `seconds`."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, "waited in vain"
        time.sleep(0.1)
    return time.monotonic() - start


@pytest.fixture
def workers():
    started = []
    yield started
    for worker in started:
        if worker.poll() is None:
            worker.kill()
        worker.wait()


def test_a_task_whose_worker_is_killed_is_done_by_another_worker(
    database, tmp_path, workers
):
    runs = tmp_path / "runs"
    runs.mkdir()
    _enqueue(database, "stall_once", runs)
    first = _worker(database, tmp_path / "first.log")
    workers.append(first)
    _until(lambda: (runs / "run-1").exists(), 60)
    workers.append(_worker(database, tmp_path / "second.log"))
    time.sleep(LEASE + 2)  # its heartbeat keeps the running task its own
    assert _task(database)["status"] == "RUNNING"
    first.kill()
    first.wait()
    noticed = _until(lambda: _task(database)["status"] == "SUCCESSFUL", 30)
    assert noticed < LEASE + HEARTBEAT + 5
    assert (runs / "run-2").read_text() == str(workers[1].pid)
    assert _task(database)["return_value"] == "2"


def test_a_restarted_worker_does_at_once_what_its_killed_predecessor_left(
    database, tmp_path, workers
):
    runs = tmp_path / "runs"
    runs.mkdir()
    _enqueue(database, "stall_once", runs)
    hour = {"TASK_LEASE_SECONDS": 3600}  # no lease runs out meanwhile
    first = _worker(database, tmp_path / "first.log", **hour)
    workers.append(first)
    _until(lambda: (runs / "run-1").exists(), 60)
    first.kill()
    first.wait()
    workers.append(_worker(database, tmp_path / "second.log", **hour))
    _until(lambda: _task(database)["status"] == "SUCCESSFUL", 30)
    assert (runs / "run-2").exists()


def test_a_task_that_may_not_run_twice_fails_visibly_when_its_worker_is_killed(
    database, tmp_path, workers
):
    runs = tmp_path / "runs"
    runs.mkdir()
    _enqueue(database, "stall_once_unsafe", runs)
    first = _worker(database, tmp_path / "first.log")
    workers.append(first)
    _until(lambda: (runs / "run-1").exists(), 60)
    first.kill()
    first.wait()
    workers.append(_worker(database, tmp_path / "second.log"))
    _until(lambda: _task(database)["status"] == "FAILED", 30)
    assert _task(database)["exception_class_path"] == leases.LOST
    assert not (runs / "run-2").exists()


LAYING_OUT = """
import os, sys, time
import django

django.setup()
from declarations.printing import render

def lay_out_slowly(html, leave_out_fonts):
    open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
    time.sleep(600)

render._render_and_collect = lay_out_slowly
with render.rendering_parts(2, processes=2) as parts:
    parts.add("<p>一</p>")
    parts.add("<p>二</p>")
    parts.results()
"""


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"  # dead, waiting to be reaped


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_layout_processes_die_when_their_worker_is_killed(tmp_path):
    worker = subprocess.Popen(
        [sys.executable, "-c", LAYING_OUT, str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
    )
    try:
        _until(lambda: len(list(tmp_path.iterdir())) == 2, 60)
        children = [int(p.name) for p in tmp_path.iterdir()]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        _until(lambda: all(_gone(pid) for pid in children), 10)
    finally:
        worker.kill()
        worker.wait()
        for pid in [int(p.name) for p in tmp_path.iterdir()]:
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
