from django.core.management.base import BaseCommand, CommandError

from declarations.demo import year as bulk


class Command(BaseCommand):
    help = (
        "批量载入一个年度的申报表（默认 10,000 份，40 个主管部门），"
        "用于压力测试和基准测试。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--declarations", type=int, default=10_000)
        parser.add_argument("--year", type=int, default=2027)

    def handle(self, *args, declarations, year, **options):
        try:
            loaded = bulk.load_year(declarations=declarations, year=year)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"已载入 {loaded.year} 年 {loaded.declarations} 份申报表，"
                    f"{len(loaded.departments)} 个主管部门；"
                    f"账号密码均为 {bulk.PASSWORD}"
                )
            )
