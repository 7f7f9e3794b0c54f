"""Reading an upload is heavy work: one at a time per user, a share of the
web workers at most, and an import too large for a request is written by a
task worker while a page follows it."""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from declarations.models import Declaration, ImportJob, UploadInProgress
from declarations.services import imports
from declarations.spreadsheet import files
from declarations.spreadsheet.columns import HEADERS
from tests.factories import make_user
from tests.processes import database_url_for_others

ROOT = Path(__file__).resolve().parents[2]


def _sheet(unit, count: int, *, first: int = 0) -> bytes:
    """A CSV of `count` declarations of the unit, one indicator row each."""
    rows = []
    for number in range(first, first + count):
        row = dict.fromkeys(HEADERS, "")
        row.update(
            {
                "单位代码": unit.code,
                "年度": "2025",
                "项目编码": f"450-{number:05d}",
                "项目名称": f"项目{number}",
                "预算数（万元）": "10.00",
                "财政资金（万元）": "10.00",
                "其他资金（万元）": "0.00",
                "绩效目标": "完成年度工作",
                "一级指标": "产出指标",
                "二级指标": "数量指标",
                "三级指标": "服务人数",
                "指标值": "≥100人",
            }
        )
        rows.append([row[h] for h in HEADERS])
    return files.write_file("申报数据", HEADERS, rows, "csv")


def _preview(client, content, name="申报.csv"):
    return client.post(
        reverse("declaration_import"), {"file": SimpleUploadedFile(name, content)}
    )


def test_a_second_upload_while_the_first_is_read_is_told_to_wait(
    client, preparer, unit
):
    UploadInProgress.objects.create(
        user=preparer, worker="other:1", until=timezone.now() + timedelta(seconds=60)
    )
    client.force_login(preparer)
    page = _preview(client, _sheet(unit, 1))
    assert "上一个文件还在处理" in " ".join(page.context["form"].errors["file"])
    assert "token" not in page.context


def test_a_hold_left_by_a_killed_worker_lapses(client, preparer, unit):
    UploadInProgress.objects.create(
        user=preparer, worker="gone:1", until=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(preparer)
    page = _preview(client, _sheet(unit, 1))
    assert page.context["import_plan"].count_create == 1
    assert not UploadInProgress.objects.exists()  # its own hold is given back


def test_past_the_workers_share_the_next_user_is_told_when_to_try(
    client, preparer, unit, settings
):
    settings.HEAVY_UPLOADS_AT_ONCE = 3
    until = timezone.now() + timedelta(seconds=60)
    for number in range(3):
        other = make_user(f"other{number}", "preparer", unit)
        UploadInProgress.objects.create(user=other, worker=f"w:{number}", until=until)
    client.force_login(preparer)
    page = _preview(client, _sheet(unit, 1))
    error = " ".join(page.context["form"].errors["file"])
    assert "请过 10 秒左右再上传" in error
    assert UploadInProgress.objects.count() == 3  # nothing of this one is left


def test_the_default_share_leaves_a_quarter_of_the_workers_to_pages():
    from config.settings import HEAVY_UPLOADS_AT_ONCE, WEB_WORKERS

    assert (WEB_WORKERS, HEAVY_UPLOADS_AT_ONCE) == (4, 3)


def test_a_large_import_is_written_in_the_background_with_a_page_that_follows_it(
    client, preparer, unit, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_IN_REQUEST_MAX = 5
    client.force_login(preparer)
    preview = _preview(client, _sheet(unit, 8))
    assert "确认后由后台写入" in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        answer = client.post(
            reverse("declaration_import_confirm"), {"token": preview.context["token"]}
        )
    job = ImportJob.objects.get()
    assert answer.url == reverse("import_job", args=[job.pk])
    waiting = client.get(answer.url)
    assert "等待后台开始导入" in waiting.content.decode()
    assert 'http-equiv="refresh"' in waiting.content.decode()
    # Meanwhile the same user's next upload waits for it.
    assert "上一个文件还在处理" in " ".join(
        _preview(client, _sheet(unit, 1, first=50)).context["form"].errors["file"]
    )
    assert not Declaration.objects.exists()
    imports.confirm_import.call(job.pk)  # what the worker runs, on commit
    assert len(enqueued) == 1
    done = client.get(answer.url).content.decode()
    assert "导入完成：新建 8 份" in done
    assert Declaration.objects.count() == 8


def test_a_background_import_that_finds_a_problem_imports_nothing_and_says_why(
    client, preparer, unit, settings
):
    settings.IMPORT_IN_REQUEST_MAX = 2
    client.force_login(preparer)
    preview = _preview(client, _sheet(unit, 3))
    client.post(
        reverse("declaration_import_confirm"), {"token": preview.context["token"]}
    )
    job = ImportJob.objects.get()
    preparer.memberships.all().delete()  # no longer a preparer of the unit
    imports.confirm_import.call(job.pk)
    page = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "没有导入任何内容" in page
    assert not Declaration.objects.exists()


def test_another_users_import_job_is_a_404(client, preparer, unit, reviewer):
    job = ImportJob.objects.create(
        user=preparer, path="imports/x.csv", filename="x.csv", declarations=200
    )
    client.force_login(reviewer)
    assert client.get(reverse("import_job", args=[job.pk])).status_code == 404


def test_more_declarations_than_an_import_takes_are_refused(
    client, preparer, unit, settings
):
    settings.IMPORT_MAX_DECLARATIONS = 3
    client.force_login(preparer)
    page = _preview(client, _sheet(unit, 4))
    assert "超过了一次导入 3 份的上限" in " ".join(page.context["form"].errors["file"])


# Two processes: the holds are rows of the database, which is all that the
# web workers share.

_HOLD = """
import os, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from declarations.services import imports
user = get_user_model().objects.get(username=sys.argv[1])
try:
    with imports.heavy_upload(user):
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    print("done", flush=True)
except imports.Busy as busy:
    print(busy, flush=True)
"""


def _start(url, username, seconds):
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-c", _HOLD, username, str(seconds)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_hold_in_one_process_is_seen_by_another(transactional_db, tmp_path, unit):
    make_user("first", "preparer", unit)
    url = database_url_for_others(tmp_path)
    holder = _start(url, "first", 5)
    assert holder.stdout.readline().strip() == "holding"
    second = _start(url, "first", 0)
    out, err = second.communicate(timeout=60)
    assert "上一个文件还在处理" in out, err
    assert holder.communicate(timeout=60)[0].strip() == "done"
    # Given back: the next one goes through.
    out, err = _start(url, "first", 0).communicate(timeout=60)
    assert out.split() == ["holding", "done"], err


def test_no_upload_is_held_after_the_work(preparer):
    with imports.heavy_upload(preparer):
        assert UploadInProgress.objects.filter(user=preparer).exists()
    assert not UploadInProgress.objects.exists()
    with pytest.raises(ValueError), imports.heavy_upload(preparer):
        raise ValueError
    assert not UploadInProgress.objects.exists()


def test_an_import_whose_worker_died_for_good_says_so_and_offers_to_upload_again(
    client, preparer, unit, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.IMPORT_IN_REQUEST_MAX = 2
    client.force_login(preparer)
    preview = _preview(client, _sheet(unit, 3))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("declaration_import_confirm"), {"token": preview.context["token"]}
        )
    job = ImportJob.objects.get()
    assert job.task
    # Its worker died on every run it was given.
    DBTaskResult.objects.filter(pk=job.task).update(
        status="FAILED",
        exception_class_path="declarations.leases.WorkerLost",
        finished_at=timezone.now(),
    )
    page = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "导入中断了" in page
    assert "重新上传" in page
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(
    "header, text",
    [
        ("资金支出计划（%）", "3月底:" + " " * 100_000 + "x"),
        ("资金支出计划（%）", "3" + " " * 100_000 + "x"),
        ("按收入性质分", "公共财政拨款" + " " * 100_000 + "x"),
    ],
)
def test_a_cell_of_spaces_is_read_at_once_not_backtracked(
    unit, department, preparer, header, text
):
    """The import reads cells in the worker: its patterns must be linear
    (a lazy part before a trailing \\s* took a minute on such a cell)."""
    from declarations.bounded import time_limit
    from declarations.models import Membership
    from declarations.spreadsheet import importing

    Membership.objects.create(user=preparer, organization=department, role="preparer")
    row = dict.fromkeys(HEADERS, "")
    row.update({"单位代码": unit.code, "年度": "2025", "项目名称": "甲", header: text})
    if header == "按收入性质分":
        row.update({"单位代码": department.code, "申报类型": "部门整体支出"})
    with time_limit(3):
        plan = importing.analyse([row], preparer)
    quoted = [p.message for p in plan.problems if p.column == header]
    assert all(len(message) < 200 for message in quoted)  # the cell's start


def test_an_import_never_queued_stops_blocking_its_user(client, preparer, unit):
    job = ImportJob.objects.create(
        user=preparer, path="imports/x.csv", filename="x.csv", declarations=200
    )
    ImportJob.objects.filter(pk=job.pk).update(
        created=timezone.now() - timedelta(minutes=5)
    )
    client.force_login(preparer)
    page = _preview(client, _sheet(unit, 1))
    assert page.context["import_plan"].count_create == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "没有开始" in job.outcome


def test_a_preview_of_many_declarations_lists_the_first_300_and_says_so(
    client, preparer, unit
):
    client.force_login(preparer)
    page = _preview(client, _sheet(unit, 320))
    body = page.content.decode()
    assert "只列出前 300 份，共 320 份" in body
    assert "项目299" in body and "项目300<" not in body


def test_a_refused_file_leaves_its_user_a_rest_answered_at_once(
    preparer, unit, settings
):
    """Bad files sent from many tabs: each refusal took its time, so the
    next upload waits twice that, told how long, without a worker held."""
    settings.HEAVY_UPLOAD_REST = 200  # 0.01 s of work, 2 s of rest
    with pytest.raises(files.ImportFileError), imports.heavy_upload(preparer):
        time.sleep(0.01)
        raise files.ImportFileError("这个文件不是有效的 Excel 文件。")
    with pytest.raises(imports.Busy) as busy, imports.heavy_upload(preparer):
        pytest.fail("an upload went through during its user's rest")
    assert re.search(r"请于 [1-3] 秒后再上传", str(busy.value))
    # The rest holds none of the workers' shares …
    settings.HEAVY_UPLOADS_AT_ONCE = 1
    other = make_user("other", "preparer", unit)
    with imports.heavy_upload(other):
        pass
    # … and lapses by itself.
    UploadInProgress.objects.update(until=timezone.now() - timedelta(seconds=1))
    with imports.heavy_upload(preparer):
        pass


def test_a_file_that_reads_well_leaves_no_rest(preparer, settings):
    settings.HEAVY_UPLOAD_REST = 200
    with imports.heavy_upload(preparer):
        time.sleep(0.01)
    with imports.heavy_upload(preparer):  # the confirm that follows a preview
        pass
