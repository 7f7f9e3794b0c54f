"""Logins: failures kept per account and address, locks and retry-afters."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("declarations", "0020_row_signatures")]

    operations = [
        migrations.CreateModel(
            name="AccountSlowdown",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "username",
                    models.CharField(
                        max_length=150, unique=True, verbose_name="用户名"
                    ),
                ),
                ("retry_after", models.DateTimeField(verbose_name="下次可试时间")),
                (
                    "notified_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="最近通知时间"
                    ),
                ),
            ],
            options={
                "verbose_name": "账号放慢",
                "verbose_name_plural": "账号放慢",
                "ordering": ["-retry_after"],
            },
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("returned", "退回修改"),
                    ("comment", "审核意见"),
                    ("approved", "审核通过"),
                    ("deadline", "截止提醒"),
                    ("login", "登录提醒"),
                ],
                max_length=16,
                verbose_name="类型",
            ),
        ),
        migrations.CreateModel(
            name="LoginFailure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("username", models.CharField(max_length=150, verbose_name="用户名")),
                ("address", models.CharField(max_length=64, verbose_name="地址")),
                ("at", models.DateTimeField(db_index=True, verbose_name="时间")),
            ],
            options={
                "verbose_name": "登录失败记录",
                "verbose_name_plural": "登录失败记录",
                "ordering": ["-at", "-pk"],
                "indexes": [
                    models.Index(
                        fields=["username", "at"], name="declaration_usernam_f224aa_idx"
                    ),
                    models.Index(
                        fields=["address", "at"], name="declaration_address_95eeea_idx"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LoginLock",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "username",
                    models.CharField(
                        blank=True,
                        help_text="空：整个地址",
                        max_length=150,
                        verbose_name="用户名",
                    ),
                ),
                ("address", models.CharField(max_length=64, verbose_name="地址")),
                ("until", models.DateTimeField(verbose_name="锁定到")),
                (
                    "failures",
                    models.PositiveIntegerField(verbose_name="锁定时的失败次数"),
                ),
                ("locked_at", models.DateTimeField(verbose_name="锁定时间")),
            ],
            options={
                "verbose_name": "登录锁定",
                "verbose_name_plural": "登录锁定",
                "ordering": ["-locked_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("username", "address"), name="one_login_lock_per_target"
                    )
                ],
            },
        ),
    ]
