from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from declarations import selectors
from declarations.models import DeclarationKind, Organization
from declarations.spreadsheet.export import export_file
from declarations.spreadsheet.files import FORMATS


class Command(BaseCommand):
    help = "把申报表导出为 .xlsx 或 .csv（按文件扩展名）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度")
        parser.add_argument("--unit", help="单位代码（不填则导出全部单位）")
        parser.add_argument(
            "-o", "--output", required=True, help="输出文件 .xlsx 或 .csv"
        )

    def handle(self, *args, year, unit, output, **options):
        file_format = Path(output).suffix.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError("输出文件的扩展名须为 .xlsx 或 .csv。")
        found = None
        if unit:
            found = Organization.objects.filter(code=unit).first()
            if found is None:
                raise CommandError(f"找不到代码为 {unit} 的单位。")
        declarations = selectors.declarations_of(
            Organization.objects.all(), year=year, unit=found
        )
        Path(output).write_bytes(export_file(declarations, file_format))
        count = declarations.filter(kind=DeclarationKind.PROJECT).count()
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 份申报表 → {output}"))
