"""Uploads being worked on: one heavy upload per user at a time, a share of
the web workers at most, and imports too large to confirm in a request.

These live in the database because the web workers and the task workers
share nothing else."""

from django.conf import settings
from django.db import models


class UploadInProgress(models.Model):
    """A web worker reading or importing a user's upload, until `until` at
    the latest (a worker killed mid-request leaves its row, which then
    stops counting)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    worker = models.CharField(max_length=100)  # host and process id
    started = models.DateTimeField(auto_now_add=True)
    until = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "正在处理的上传文件"
        verbose_name_plural = "正在处理的上传文件"

    def __str__(self):
        return f"{self.user} @ {self.worker}"


class ImportJob(models.Model):
    """An import confirmed in the background: too many declarations to
    write within a request."""

    class State(models.TextChoices):
        WAITING = "waiting", "等待开始"
        RUNNING = "running", "正在导入"
        DONE = "done", "已完成"
        FAILED = "failed", "没有导入"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(max_length=200)  # the kept upload
    filename = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    declarations = models.PositiveIntegerField()  # as the preview counted
    # The numbers of a Word file's tables not ticked at the preview (0 for a
    # book's part one), which the import leaves out.
    left_out = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.WAITING)
    step = models.CharField(max_length=100, blank=True)  # what it is doing now
    outcome = models.TextField(blank=True)  # the summary, or why it failed
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    task = models.CharField(max_length=64, blank=True)  # its task result's id

    class Meta:
        verbose_name = "后台导入"
        verbose_name_plural = "后台导入"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.filename}（{self.get_state_display()}）"

    @property
    def ended(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
