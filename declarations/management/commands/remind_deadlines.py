from django.core.management.base import BaseCommand
from django.utils import timezone

from declarations.reminders import DAYS_AHEAD, remind_deadlines


class Command(BaseCommand):
    help = (
        f"提醒尚有申报表未提交的填报人：{DAYS_AHEAD} 天内截止的申报，"
        "每人每天一条站内通知（同一天重复运行不会重复提醒）。请每天运行一次。"
    )

    def handle(self, *args, **options):
        made = remind_deadlines(timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"已发出 {made} 条截止提醒。"))
