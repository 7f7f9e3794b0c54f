from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declarations import backups


class Command(BaseCommand):
    help = (
        "把 backup 生成的归档恢复到一个空的安装（同一种数据库）。"
        "请先停止网站和后台任务进程。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help="备份文件，如 var/backups/jixiao-backup-….tar.gz"
        )

    def handle(self, *args, archive, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"找不到备份文件 {archive}。")
        try:
            restored = backups.restore(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        counts = "，".join(f"{what} {n}" for what, n in restored.counts.items())
        migrated = "，并已升级到本版本的数据库结构" if restored.migrated else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 {restored.created_at} 的备份（{counts}）{migrated}。"
            )
        )
