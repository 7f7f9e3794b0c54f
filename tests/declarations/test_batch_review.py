"""Batch review from the list: several submitted declarations approved with
one grade or returned with one comment, each on its own; the result says
which went through and why the others did not. Several PDFs download as
one zip, packed by a worker when there are more than a few."""

import io
import zipfile

import pytest
from django.urls import reverse

from declarations.models import DeclarationEvent, Status
from declarations.services import workflow
from tests.background import run_tasks
from tests.factories import make_declaration


@pytest.fixture
def submitted(unit, preparer):
    tables = []
    for i in range(3):
        table = make_declaration(unit, preparer, project_code=f"S-{i}")
        workflow.submit(table, by=preparer)
        tables.append(table)
    return tables


def _post(client, url_name, ids, **data):
    return client.post(
        reverse(url_name),
        {
            "declaration": [str(i) for i in ids],
            "back": "/declarations/?status=submitted",
            **data,
        },
    )


def test_three_are_approved_at_once_and_a_draft_among_them_is_refused_with_why(
    client, reviewer, submitted, unit, preparer, other_unit
):
    draft = make_declaration(unit, preparer, project_code="D-1")
    foreign = make_declaration(other_unit, None, project_code="F-1")
    client.force_login(reviewer)
    ids = [d.pk for d in submitted] + [draft.pk, foreign.pk]
    response = _post(client, "review_batch", ids, decision="approve", grade="良")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "审核通过 3 份，1 份未处理，另有 1 份不存在或您无权查看。" in page
    for table in submitted:
        table.refresh_from_db()
        assert (table.status, table.grade) == (Status.APPROVED, "良")
        assert table.project_code in page
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert "D-1" in page
    assert "这份申报表现在是“草稿”，不能审核通过" in page  # the transition's reason
    foreign.refresh_from_db()
    assert foreign.status == Status.DRAFT
    assert "F-1" not in page


def test_returning_several_needs_a_comment_that_each_then_gets(
    client, reviewer, submitted
):
    client.force_login(reviewer)
    ids = [d.pk for d in submitted[:2]]
    refused = _post(client, "review_batch", ids, decision="return", comment="  ")
    assert refused.status_code == 302
    assert f"selected={ids[0]}%2C{ids[1]}" in refused["Location"]  # still ticked
    page = client.get(refused["Location"]).content.decode()
    assert "批量退回时请写明退回意见" in page
    assert page.count(" checked>") == 2
    _post(client, "review_batch", ids, decision="return", comment="请补充成本指标依据")
    for table in submitted[:2]:
        event = DeclarationEvent.objects.filter(declaration=table).last()
        assert (event.action, event.comment) == ("return", "请补充成本指标依据")
    submitted[2].refresh_from_db()
    assert submitted[2].status == Status.SUBMITTED


def test_approving_several_without_a_grade_changes_nothing(client, reviewer, submitted):
    client.force_login(reviewer)
    response = _post(client, "review_batch", [submitted[0].pk], decision="approve")
    page = client.get(response["Location"]).content.decode()
    assert "批量审核通过时请选择综合评定等级" in page
    submitted[0].refresh_from_db()
    assert submitted[0].status == Status.SUBMITTED


def test_a_preparer_cannot_approve_through_the_batch(client, preparer, submitted):
    client.force_login(preparer)
    response = _post(
        client, "review_batch", [submitted[0].pk], decision="approve", grade="优"
    )
    page = client.get(response["Location"]).content.decode()
    assert "1 份未处理" in page
    submitted[0].refresh_from_db()
    assert submitted[0].status == Status.SUBMITTED


def _zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".pdf"):
                assert archive.read(name).startswith(b"%PDF")
        return sorted(archive.namelist())


def test_a_few_pdfs_download_at_once_as_one_zip(client, reviewer, submitted):
    client.force_login(reviewer)
    response = _post(client, "review_batch_pdfs", [d.pk for d in submitted[:2]])
    assert response["Content-Type"] == "application/zip"
    assert _zip_names(response.content) == [
        "2024-S-0-医保经办工作经费.pdf",
        "2024-S-1-医保经办工作经费.pdf",
    ]


def test_many_pdfs_are_packed_by_a_worker_then_downloaded(
    client, reviewer, unit, preparer, outsider
):
    tables = [make_declaration(unit, preparer, project_code=f"P-{i}") for i in range(6)]
    client.force_login(reviewer)
    response = _post(client, "review_batch_pdfs", [d.pk for d in tables])
    waiting = client.get(response["Location"])
    assert waiting.status_code == 202
    assert "正在打包 6 份申报表的 PDF" in waiting.content.decode()
    assert run_tasks() == 1
    done = client.get(response["Location"])
    assert done["Content-Type"] == "application/zip"
    assert len(_zip_names(done.content)) == 6
    client.force_login(outsider)  # another user does not get the zip
    assert client.get(response["Location"]).status_code == 404


def test_an_earlier_refused_batchs_ticks_are_not_carried_into_the_next(
    client, reviewer, submitted
):
    client.force_login(reviewer)
    response = client.post(
        reverse("review_batch"),
        {
            "declaration": [str(submitted[1].pk)],
            "decision": "approve",
            "back": f"/declarations/?status=submitted&selected={submitted[0].pk}",
        },
    )
    assert response["Location"].count("selected=") == 1
    assert f"selected={submitted[1].pk}" in response["Location"]


def test_zips_left_undownloaded_are_swept_by_the_next_pack(db):
    import os
    import time

    from django.core.files.storage import default_storage

    from declarations.printing import packs

    empty = packs.pack([])
    packs.keep_pack("old", empty)
    day_ago = time.time() - 25 * 3600
    os.utime(default_storage.path(packs.kept_pack_name("old")), (day_ago, day_ago))
    packs.keep_pack("new", empty)
    assert packs.read_pack("old") is None
    assert packs.read_pack("new") == empty
