from django.core.management.base import BaseCommand, CommandError

from declarations import selectors
from declarations.models import Organization


class Command(BaseCommand):
    help = (
        "重新生成某年度已审核申报表的 PDF 和各主管部门的绩效信息册，"
        "保存好供下载（例如升级后或更换存储后运行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2024")
        parser.add_argument("--department", help="主管部门代码（不填则全部部门）")
        parser.add_argument(
            "--force", action="store_true", help="已保存的申报表 PDF 也重新生成"
        )

    def handle(self, *args, year, department, force, **options):
        # The renderer takes 0.8 s to import: not for --help or a wrong argument.
        from declarations.printing import book, kept
        from declarations.printing.declaration import NotPrinted, declaration_pdf

        departments = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT)
        if department:
            departments = departments.filter(code=department)
            if not departments.exists():
                raise CommandError(f"找不到代码为 {department} 的主管部门。")
        tables = books = 0
        for found in departments.order_by("code"):
            approved = list(selectors.approved_projects(found, year))
            for declaration in approved:
                if force:
                    kept.forget(kept.declaration_name(declaration))
                try:
                    declaration_pdf(declaration)
                except NotPrinted as refused:
                    self.stderr.write(f"{declaration}：{refused}")
            tables += len(approved)
            if approved:
                book.prepare(found, year)
                books += 1
        done = f"已生成 {year} 年 {tables} 张已审核项目表的 PDF、{books} 本绩效信息册。"
        self.stdout.write(self.style.SUCCESS(done))
