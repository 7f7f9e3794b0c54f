"""Backups: what `manage.py backup` writes, `manage.py restore` brings back
into an empty installation, whole; and a restore that does not fit is
refused with a message and changes nothing. Run on SQLite and on PostgreSQL
(when DATABASE_URL names it) alike."""

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from declarations import backups
from declarations.models import Declaration, DeclarationEvent, Goal, IndicatorRow
from declarations.services import workflow
from tests.background import run_tasks
from tests.factories import PASSWORD, make_declaration


@pytest.fixture
def installation(transactional_db, unit, preparer, reviewer):
    """Three tables, one approved (its events and its kept PDF and book)."""
    approved = make_declaration(unit, preparer, project_code="BAK-1")
    make_declaration(unit, preparer, project_code="BAK-2")
    make_declaration(unit, preparer, project_code="BAK-3", year=2025)
    workflow.submit(approved, by=preparer)
    workflow.approve(approved, by=reviewer, grade="优", comment="同意")
    run_tasks()
    assert len(list(backups.kept_files())) == 2


def _everything():
    """Every declaration with its goals and rows, every event, every user,
    and every kept file's bytes."""
    return {
        "declarations": list(Declaration.objects.order_by("pk").values()),
        "goals": list(Goal.objects.order_by("pk").values()),
        "rows": list(IndicatorRow.objects.order_by("pk").values()),
        "events": list(DeclarationEvent.objects.order_by("pk").values()),
        "users": list(get_user_model().objects.order_by("pk").values()),
        "files": {
            name: default_storage.open(name, "rb").read()
            for name in backups.kept_files()
        },
    }


def _backup(tmp_path) -> Path:
    call_command("backup", "--output", str(tmp_path / "backups"), verbosity=0)
    (archive,) = (tmp_path / "backups").glob("jixiao-backup-*.tar.gz")
    return archive


def _wipe():
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    assert not Declaration.objects.exists()
    assert not list(backups.kept_files())


def _with_manifest(archive: Path, change) -> Path:
    """A copy of `archive` whose manifest was changed by `change`."""
    changed = archive.with_name("changed.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(changed, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, fileobj=io.BytesIO(data))
    return changed


def test_a_backup_restored_into_an_empty_installation_brings_back_everything(
    installation, tmp_path
):
    before = _everything()
    archive = _backup(tmp_path)
    _wipe()

    call_command("restore", str(archive), verbosity=0)

    assert _everything() == before
    assert before["events"] and before["files"] and before["rows"]


def test_the_restored_installation_works(installation, tmp_path, client):
    archive = _backup(tmp_path)
    _wipe()
    call_command("restore", str(archive), verbosity=0)
    # The password hashes came back too: the preparer logs in as before.
    login = client.post(
        reverse("login"), {"username": "preparer", "password": PASSWORD}
    )
    assert login.status_code == 302
    listed = client.get(reverse("declaration_list")).content.decode()
    assert "BAK-1" in listed and "BAK-3" in listed
    approved = Declaration.objects.get(project_code="BAK-1")
    pdf = client.get(reverse("declaration_pdf", args=[approved.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_archive_says_what_it_holds(installation, tmp_path):
    with tarfile.open(_backup(tmp_path)) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
    assert manifest["counts"]["申报表"] == 3
    assert manifest["counts"]["保存的文件"] == 2
    assert "declarations.0001_initial" in manifest["migrations"]
    assert len(manifest["files"]) == 2


def test_a_restore_into_an_installation_with_data_is_refused(installation, tmp_path):
    archive = _backup(tmp_path)
    make_declaration(Declaration.objects.first().organization, project_code="NEW")
    with pytest.raises(CommandError, match="当前安装已有数据（4 个申报表"):
        call_command("restore", str(archive), verbosity=0)
    assert Declaration.objects.filter(project_code="NEW").exists()


def test_a_restore_over_leftover_kept_files_is_refused(installation, tmp_path):
    archive = _backup(tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="文件存储中已有 2 个保存的文件"):
        call_command("restore", str(archive), verbosity=0)
    assert not Declaration.objects.exists()


def test_an_archive_from_a_newer_schema_is_refused(installation, tmp_path):
    newer = _with_manifest(
        _backup(tmp_path),
        lambda m: m["migrations"].append("declarations.0099_from_the_future"),
    )
    _wipe()
    with pytest.raises(CommandError, match="更新版本的系统.*0099_from_the_future"):
        call_command("restore", str(newer), verbosity=0)
    assert not Declaration.objects.exists()


def test_an_archive_made_with_an_app_since_dropped_restores(installation, tmp_path):
    """Archives made while django-axes was installed list its migrations."""
    before = _everything()
    older = _with_manifest(
        _backup(tmp_path),
        lambda m: m["migrations"].append("axes.0010_accessattemptexpiration"),
    )
    _wipe()
    call_command("restore", str(older), verbosity=0)
    assert _everything() == before


def test_an_archive_from_the_other_database_kind_is_refused(installation, tmp_path):
    other = (
        "postgresql"
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        else "sqlite"
    )
    changed = _with_manifest(_backup(tmp_path), lambda m: m.update(database=other))
    _wipe()
    with pytest.raises(CommandError, match="这份备份来自 .* 数据库，当前安装使用"):
        call_command("restore", str(changed), verbosity=0)


def test_a_damaged_kept_file_stops_the_restore_before_anything_is_written(
    installation, tmp_path
):
    damaged = _with_manifest(
        _backup(tmp_path),
        lambda m: m["files"].update(dict.fromkeys(m["files"], "0" * 64)),
    )
    _wipe()
    with pytest.raises(
        CommandError, match="已损坏（校验值不符），本次没有恢复任何内容"
    ):
        call_command("restore", str(damaged), verbosity=0)
    assert not get_user_model().objects.exists()


def test_a_file_that_is_not_a_backup_gets_a_message(transactional_db, tmp_path):
    fake = tmp_path / "jixiao-backup-fake.tar.gz"
    fake.write_bytes(b"PK\x03\x04 not a tar at all")
    with pytest.raises(CommandError, match="不是本系统的备份文件"):
        call_command("restore", str(fake), verbosity=0)
