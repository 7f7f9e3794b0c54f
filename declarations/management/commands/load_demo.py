from django.core.management.base import BaseCommand

from declarations.demo import loading as demo
from declarations.demo.desk import load_desk_year


class Command(BaseCommand):
    help = (
        "载入演示数据：三个医疗保障局、其下属单位、填报人和审核人账号（可重复运行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reference-only",
            action="store_true",
            help="只载入参考申报表（不载入首页工作台所用的本年度演示申报）",
        )

    def handle(self, *args, **options):
        units = demo.load_people()
        demo.load_declarations(units)
        demo.load_department_content()
        if not options["reference_only"]:
            load_desk_year()
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪。演示账号密码均为 {demo.DEMO_PASSWORD}")
        )
