"""Background tasks: the lease a worker renews while it runs a task."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0018_uploads_in_progress"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaskLease",
            fields=[
                (
                    "result",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="lease",
                        serialize=False,
                        to="django_tasks_database.dbtaskresult",
                        verbose_name="后台任务",
                    ),
                ),
                ("worker_id", models.CharField(max_length=64, verbose_name="工作进程")),
                ("host", models.CharField(max_length=255, verbose_name="主机")),
                ("pid", models.PositiveIntegerField(verbose_name="进程号")),
                (
                    "renewed_at",
                    models.DateTimeField(db_index=True, verbose_name="最近心跳"),
                ),
            ],
            options={
                "verbose_name": "后台任务租约",
                "verbose_name_plural": "后台任务租约",
            },
        ),
    ]
