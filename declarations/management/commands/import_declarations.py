from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from declarations.models import Organization
from declarations.services.errors import DomainError
from declarations.spreadsheet import files, importing
from declarations.wordfiles import importing as word_import
from declarations.wordfiles.importing import read_upload


class Command(BaseCommand):
    help = "从 .xlsx、.csv 或 Word .docx 导入申报表：全部成功或一份也不导入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument(
            "--user", help="以哪个用户的名义导入（默认：可导入全部单位，记录为无人）"
        )
        parser.add_argument(
            "--year", type=int, help="Word 文件导入为哪一年（默认：文件中写明的年度）"
        )

    def handle(self, *args, file, dry_run, user, year=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}。")
        account = None
        units = Organization.objects.all()
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"没有用户 {user}。")
            units = None  # the user's own units
        try:
            read = read_upload(path.read_bytes(), path.name, user=account, year=year)
        except files.ImportFileError as error:
            raise CommandError(str(error)) from None
        if read.word is not None:
            found = len(read.word.found)
            self.stdout.write(
                f"Word 文件：识别出 {found} 张表，导入为 {read.year} 年。"
            )
            if read.word.part_one:
                where = read.goals_of.name if read.goals_of else ""
                self.stdout.write(
                    f"第一部分将写入{where} {read.year} 年的部门整体绩效目标。"
                    if where
                    else read.goals_refused
                )
            for cell in read.word.unplaced:
                self.stdout.write(
                    f"未导入：第 {cell.table} 个表格第 {cell.row} 行：{cell.text[:80]}"
                )
        import_plan = importing.analyse(read.rows, account, allowed_units=units)
        for problem in import_plan.problems:
            mark = "问题" if problem.blocking else "提醒"
            self.stdout.write(
                f"{mark}：{problem.sheet} 第 {problem.row} 行 〔{problem.column}〕 "
                f"{problem.message}"
            )
        summary = import_plan.summary()
        if import_plan.blocking:
            problems = len(import_plan.blocking)
            raise CommandError(f"有 {problems} 个问题，没有导入任何内容（{summary}）。")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"检查通过（未写入）：{summary}。"))
            return
        try:
            word_import.apply(import_plan, read, account)
        except DomainError as error:
            raise CommandError(f"没有导入任何内容：{error}") from None
        self.stdout.write(self.style.SUCCESS(f"导入完成：{summary}。"))
