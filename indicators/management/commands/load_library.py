from django.core.management.base import BaseCommand

from indicators.library.seed import load_seed


class Command(BaseCommand):
    help = "载入指标库的种子条目；已有人修改、审核或停用的条目保持原样。"

    def handle(self, *args, **options):
        loaded = load_seed()
        self.stdout.write(
            f"指标库：新增 {loaded.created} 条，更新 {loaded.updated} 条，"
            f"{loaded.kept} 条已有人整理，保持原样。"
        )
