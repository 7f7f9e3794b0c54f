from django.core.management.base import BaseCommand

from declarations.demo import loading as demo
from declarations.demo.desk import load_desk_year


class Command(BaseCommand):
    help = (
        "载入演示数据：三个医疗保障局、其下属单位、填报人和审核人账号（可重复运行）。"
    )

    def handle(self, *args, **options):
        units = demo.load_people()
        demo.load_declarations(units)
        demo.load_department_content()
        load_desk_year()
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪。演示账号密码均为 {demo.DEMO_PASSWORD}")
        )
