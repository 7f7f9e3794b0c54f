"""Backups: the database and the kept files in one dated archive, and back.

An archive is a tar.gz holding `manifest.json` (when, from which database,
at which migrations, how many of each thing, a checksum of every file), the
database (`database.sqlite3` from SQLite's online backup API, or
`database.pgdump` from pg_dump) and the kept files under `files/`.

A restore goes only into an empty installation of the same database kind,
at the same or a newer schema: everything is checked before anything is
written, PostgreSQL is restored in one transaction, and what was restored is
counted against the manifest. A newer schema than this code knows, a target
that holds data, or a damaged archive gets a message and changes nothing.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from declarations.models import (
    Declaration,
    DeclarationEvent,
    Goal,
    IndicatorRow,
    Organization,
)

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
# What a backup carries from storage: the kept PDFs. Pending uploads are
# left out: they are removed within a day anyway.
KEPT_FOLDERS = ["pdf"]
_DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_VENDOR_NAME = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """What stopped a backup or a restore, in words for the person running it."""


@dataclass
class BackedUp:
    path: Path
    counts: dict[str, int]  # what the archive holds, as its manifest says


@dataclass
class Restored:
    counts: dict[str, int]
    created_at: str
    migrated: bool


def _counted():
    return [
        ("用户", get_user_model()),
        ("组织", Organization),
        ("申报表", Declaration),
        ("绩效目标", Goal),
        ("绩效指标", IndicatorRow),
        ("审核记录", DeclarationEvent),
    ]


def counts() -> dict[str, int]:
    """How many of each thing the installation holds, to compare after a restore."""
    with connection.cursor() as cursor:
        found = _counts_in(cursor)
    found["保存的文件"] = sum(1 for _ in kept_files())
    return found


def _counts_in(cursor) -> dict[str, int]:
    """The counts of the tables through a plain cursor: of this database, of
    a copy, or in a snapshot."""
    found = {}
    for what, model in _counted():
        cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')
        found[what] = cursor.fetchone()[0]
    return found


def kept_files():
    """Names of the kept files in storage, folder by folder (any STORAGES
    backend that can list, so shared storage is backed up the same way)."""

    def walk(folder):
        if not default_storage.exists(folder):
            return
        folders, files = default_storage.listdir(folder)
        for name in sorted(files):
            yield f"{folder}/{name}"
        for sub in sorted(folders):
            yield from walk(f"{folder}/{sub}")

    for folder in KEPT_FOLDERS:
        yield from walk(folder)


def backup(folder: Path) -> BackedUp:
    """Write one archive into `folder`."""
    vendor = _vendor()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = folder / f"jixiao-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="jixiao-backup-") as work:
        database = Path(work) / _DATABASE_FILE[vendor]
        manifest = {
            "format": FORMAT,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "database": vendor,
            "migrations": sorted(
                f"{app}.{name}"
                for app, name in MigrationRecorder(connection).applied_migrations()
            ),
            "files": {},
        }
        manifest["counts"] = _dump(vendor, database)
        partial = target.with_suffix(".partial")
        # Level 1: the dump and the PDFs are mostly compressed already, and
        # level 6 takes five times as long for a few percent.
        with tarfile.open(partial, "w:gz", compresslevel=1) as archive:
            archive.add(database, arcname=database.name)
            for name in kept_files():
                with default_storage.open(name, "rb") as kept:
                    data = kept.read()
                manifest["files"][name] = hashlib.sha256(data).hexdigest()
                _add_bytes(archive, FILES + name, data)
            manifest["counts"]["保存的文件"] = len(manifest["files"])
            text = json.dumps(manifest, ensure_ascii=False, indent=1)
            _add_bytes(archive, MANIFEST, text.encode())
        partial.rename(target)
    return BackedUp(target, manifest["counts"])


def restore(archive_path: Path) -> Restored:
    """Bring an archive back into this (empty) installation."""
    vendor = _vendor()
    with tempfile.TemporaryDirectory(prefix="jixiao-restore-") as work:
        manifest = _unpack(archive_path, Path(work))
        _check_fits(manifest, vendor)
        database = Path(work) / _DATABASE_FILE[vendor]
        if not database.is_file():
            raise BackupError(f"{archive_path.name} 中没有数据库，不是完整的备份。")
        _check_empty()
        _load(vendor, database)
        ContentType.objects.clear_cache()
        for name in manifest["files"]:
            default_storage.save(
                name, ContentFile((Path(work) / FILES / name).read_bytes())
            )
    migrated = _migrate_forward()
    found = counts()
    if found != manifest["counts"]:
        differ = "，".join(
            f"{what}应为 {manifest['counts'].get(what)}、实为 {n}"
            for what, n in found.items()
            if manifest["counts"].get(what) != n
        )
        raise BackupError(
            f"恢复后的数量与备份清单不符：{differ}。请检查备份文件后重新恢复。"
        )
    return Restored(found, manifest["created_at"], migrated)


def _vendor() -> str:
    if connection.vendor not in _DATABASE_FILE:
        raise BackupError(
            f"不支持备份 {connection.vendor} 数据库，只支持 SQLite 和 PostgreSQL。"
        )
    return connection.vendor


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, fileobj=io.BytesIO(data))


def _unpack(archive_path: Path, work: Path) -> dict:
    """Unpack into `work` what a backup holds and nothing else, and check
    every file against the manifest's checksums."""
    not_ours = (
        f"{archive_path.name} 不是本系统的备份文件，或已损坏。"
        "请选择 manage.py backup 生成的 .tar.gz 文件。"
    )
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive:
                target = _member_path(work, member)
                if target is None:
                    raise BackupError(not_ours)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as data, target.open("wb") as out:
                    shutil.copyfileobj(data, out)
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, tarfile.TarError, ValueError, KeyError) as error:
        raise BackupError(not_ours) from error
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError(not_ours)
    for name, digest in manifest["files"].items():
        path = work / FILES / name
        if (
            not path.is_file()
            or hashlib.sha256(path.read_bytes()).hexdigest() != digest
        ):
            raise BackupError(
                f"备份中的文件 {name} 已损坏（校验值不符），本次没有恢复任何内容。"
            )
    if manifest.get("database") not in _DATABASE_FILE:
        raise BackupError(not_ours)
    return manifest


def _member_path(work: Path, member: tarfile.TarInfo) -> Path | None:
    """Where a member of a backup goes, or None for anything a backup never
    holds: links, devices, absolute paths, a way out of `work`."""
    name = member.name
    expected = name in _DATABASE_FILE.values() or name == MANIFEST
    if not member.isfile() or not (expected or name.startswith(FILES)):
        return None
    target = (work / name).resolve()
    return target if target.is_relative_to(work.resolve()) else None


def _check_fits(manifest: dict, vendor: str) -> None:
    if manifest["database"] != vendor:
        raise BackupError(
            f"这份备份来自 {_VENDOR_NAME[manifest['database']]} 数据库，当前安装使用"
            f" {_VENDOR_NAME[vendor]}。请在使用 {_VENDOR_NAME[manifest['database']]}"
            " 的安装上恢复。"
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    # An app this release no longer installs (django-axes) left migrations
    # and tables that nothing reads: not newer, just gone.
    installed = {config.label for config in apps.get_app_configs()}
    newer = sorted(
        migration
        for migration in set(manifest["migrations"]) - known
        if migration.split(".", 1)[0] in installed
    )
    if newer:
        raise BackupError(
            f"这份备份来自更新版本的系统（本版本没有数据库迁移 {'、'.join(newer[:3])}"
            f"{' 等' if len(newer) > 3 else ''}）。"
            "请先把系统升级到备份时的版本或更新的版本，再恢复。"
        )


def _check_empty() -> None:
    tables = set(connection.introspection.table_names())
    held = []
    for model, what in [
        (Declaration, "申报表"),
        (Organization, "组织"),
        (get_user_model(), "用户"),
    ]:
        if model._meta.db_table in tables and (n := model.objects.count()):
            held.append(f"{n} 个{what}")
    if held:
        raise BackupError(
            f"当前安装已有数据（{'、'.join(held)}）。恢复只能在空的安装上进行，以免覆盖现有数据；"
            "请新建一个空数据库（并清空保存文件的目录）后再恢复。"
        )
    files = sum(1 for _ in kept_files())
    if files:
        raise BackupError(
            f"文件存储中已有 {files} 个保存的文件。恢复只能在空的安装上进行；"
            "请清空保存文件的目录（MEDIA_ROOT）后再恢复。"
        )


def _dump(vendor: str, target: Path) -> dict[str, int]:
    """Write the database to `target`; the counts of what the copy holds.

    The site may keep running: SQLite's backup copies one consistent state,
    and pg_dump runs in a snapshot that the counts were read in."""
    connection.ensure_connection()
    if vendor == "sqlite":
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
            found = _counts_in(copy.cursor())
        copy.close()
        return found
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        found = _counts_in(cursor)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
            + [f"--snapshot={snapshot}", f"--file={target}"],
            "pg_dump",
        )
    return found


def _load(vendor: str, source: Path) -> None:
    connection.ensure_connection()
    if vendor == "sqlite":
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        copy.close()
        return
    # The tables of an empty installation are dropped and the dump replayed
    # in one transaction: a failure anywhere leaves the target as it was.
    tables = connection.introspection.table_names()
    drops = ["-c", "".join(f'DROP TABLE IF EXISTS "{t}" CASCADE;' for t in tables)]
    connection.close()
    _require("pg_restore")
    with subprocess.Popen(
        ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_pg_env(),
    ) as script:
        _run(
            ["psql", "--no-psqlrc", "--quiet", "--single-transaction"]
            + ["-v", "ON_ERROR_STOP=1", *(drops if tables else []), "-f", "-"],
            "psql",
            stdin=script.stdout,
        )
        failed = script.wait()
        if failed:
            message = script.stderr.read().decode(errors="replace").strip()
            raise BackupError(f"pg_restore 没有完成：{message[-500:]}")


def _pg_env() -> dict[str, str]:
    settings = connection.settings_dict
    return {
        **os.environ,
        "PGDATABASE": settings["NAME"],
        "PGHOST": settings.get("HOST") or "",
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": settings.get("USER") or "",
        "PGPASSWORD": settings.get("PASSWORD") or "",
    }


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(
            f"找不到 {tool}。请安装 PostgreSQL 客户端"
            "（Debian：apt-get install postgresql-client）后再试。"
        )


def _run(command: list[str], tool: str, stdin=None) -> None:
    _require(command[0])
    done = subprocess.run(
        command, stdin=stdin, capture_output=True, env=_pg_env(), check=False
    )
    if done.returncode:
        message = done.stderr.decode(errors="replace").strip()
        raise BackupError(f"{tool} 没有完成：{message[-500:]}")


def _migrate_forward() -> bool:
    """An archive from an older version is brought up to this one's schema."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", verbosity=0)
    return True
