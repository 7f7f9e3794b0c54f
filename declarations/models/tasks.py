"""The lease of a background task: the worker running it renews it while it
runs, so that a task whose worker died is noticed (declarations/leases.py)."""

from django.db import models
from django_tasks_db.models import DBTaskResult


class TaskLease(models.Model):
    """Who runs a task and when it last said it was alive. One row per task
    result, taken again by each worker that claims it."""

    result = models.OneToOneField(
        DBTaskResult,
        verbose_name="后台任务",
        primary_key=True,
        on_delete=models.CASCADE,  # pruned with its result
        related_name="lease",
    )
    worker_id = models.CharField("工作进程", max_length=64)
    host = models.CharField("主机", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    renewed_at = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "后台任务租约"
        verbose_name_plural = "后台任务租约"

    def __str__(self):
        return f"{self.result_id} @ {self.host}:{self.pid}"
