from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declarations.models import Organization
from declarations.selectors import approved_projects


class Command(BaseCommand):
    help = "输出主管部门某年度的部门预算绩效信息册（PDF）。"

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="主管部门代码，如 450")
        parser.add_argument("--year", type=int, required=True, help="年度，如 2020")
        parser.add_argument(
            "-o", "--output", required=True, help="输出文件，如 绩效信息.pdf"
        )

    def handle(self, *args, department, year, output, **options):
        # The renderer takes 0.8 s to import: not for --help or a wrong argument.
        from declarations.printing import book

        found = Organization.objects.filter(
            code=department, kind=Organization.Kind.DEPARTMENT
        ).first()
        if found is None:
            raise CommandError(f"找不到代码为 {department} 的主管部门。")
        Path(output).write_bytes(book.render_book(found, year))
        count = approved_projects(found, year).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"已输出 {found.name} {year} 年绩效信息册（{count} 张项目表）→ {output}"
            )
        )
