from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from declarations import backups


class Command(BaseCommand):
    help = "把数据库和保存的文件备份成一个带日期的归档（.tar.gz）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            default=str(settings.BACKUP_DIR),
            help=f"存放备份的目录，默认 {settings.BACKUP_DIR}",
        )

    def handle(self, *args, output, **options):
        try:
            done = backups.backup(Path(output))
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        counts = "，".join(f"{what} {n}" for what, n in done.counts.items())
        size = done.path.stat().st_size / 2**20
        self.stdout.write(
            self.style.SUCCESS(f"已备份（{counts}）→ {done.path}（{size:.1f} MiB）")
        )
