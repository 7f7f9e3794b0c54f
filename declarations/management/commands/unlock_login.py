from django.core.management.base import BaseCommand, CommandError

from declarations import logins


class Command(BaseCommand):
    help = (
        "解除登录锁定和账号放慢，并清除相应的密码错误记录："
        "unlock_login 用户名（这个账号在各地址的锁定和放慢）、"
        "unlock_login --address 地址（这个地址的锁定）、"
        "两者都给（这个账号在这个地址的锁定），或 --all（全部）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="账号的用户名")
        parser.add_argument("--address", help="IP 地址")
        parser.add_argument("--all", action="store_true", help="解除全部锁定")

    def handle(self, *args, username=None, address=None, **options):
        if options["all"] == bool(username or address):
            raise CommandError("请给出用户名或 --address 地址，或者只给 --all。")
        lifted = logins.unlock(username=username, address=address)
        self.stdout.write(self.style.SUCCESS(f"已解除 {lifted} 项锁定或放慢。"))
