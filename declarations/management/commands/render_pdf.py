from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declarations.models import Declaration


class Command(BaseCommand):
    help = "把一份申报表输出为 PDF：按项目编码（可加 --year）或按编号。"

    def add_arguments(self, parser):
        parser.add_argument("declaration", help="项目编码，或申报表编号")
        parser.add_argument("--year", type=int, help="年度（同一项目编码有多年时必填）")
        parser.add_argument("-o", "--output", required=True, help="输出文件，如 表.pdf")

    def handle(self, *args, declaration, year, output, **options):
        # The renderer takes 0.8 s to import: not for --help or a wrong argument.
        from declarations.printing.declaration import NotPrinted, declaration_pdf

        found = self._find(declaration, year)
        try:
            Path(output).write_bytes(declaration_pdf(found))
        except NotPrinted as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(self.style.SUCCESS(f"已输出 {found} → {output}"))

    def _find(self, key, year):
        matches = Declaration.objects.filter(project_code=key)
        if year:
            matches = matches.filter(year=year)
        if not matches.exists() and key.isdigit():
            matches = Declaration.objects.filter(pk=int(key))
        count = matches.count()
        if count == 0:
            raise CommandError(f"找不到项目编码或编号为 {key} 的申报表。")
        if count > 1:
            years = "、".join(str(y) for y in matches.values_list("year", flat=True))
            raise CommandError(
                f"项目编码 {key} 有多份申报表（{years}），请用 --year 指定年度。"
            )
        return matches.get()
