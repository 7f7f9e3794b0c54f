"""What happened to a declaration: one event per transition, and the content
of every submitted version so that a reviewer sees what changed."""

from django.conf import settings
from django.db import models

from declarations.models.declarations import Declaration, Status
from declarations.text import TEXT_LIMITS


class Action(models.TextChoices):
    SUBMIT = "submit", "提交审核"
    WITHDRAW = "withdraw", "撤回"
    RETURN = "return", "退回修改"
    APPROVE = "approve", "审核通过"
    REOPEN = "reopen", "撤销审核"


class Submission(models.Model):
    """The content of a declaration as it was when submitted."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="submissions"
    )
    version = models.PositiveIntegerField("版本")
    content = models.JSONField("内容")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "提交版本"
        verbose_name_plural = "提交版本"
        ordering = ["declaration", "created_at", "pk"]

    def __str__(self):
        return f"{self.declaration} 第{self.version}版"


class DeclarationEvent(models.Model):
    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=16, choices=Status.choices)
    to_status = models.CharField("新状态", max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField("意见", max_length=TEXT_LIMITS["comment"], blank=True)
    grade = models.CharField("综合评定等级", max_length=2, blank=True)
    submission = models.ForeignKey(
        Submission,
        verbose_name="提交版本",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    # The review checklist as answered: [{"aspect", "question", "answer",
    # "opinion"}, …], kept with the approval or return it led to.
    checklist = models.JSONField("审核要点", default=list, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.from_status}→{self.to_status}"


class RowComment(models.Model):
    """A reviewer's comment on one indicator row, made when returning."""

    event = models.ForeignKey(
        DeclarationEvent, on_delete=models.CASCADE, related_name="row_comments"
    )
    row_number = models.PositiveSmallIntegerField("行号")
    row_name = models.CharField("三级指标", max_length=300)
    text = models.TextField("意见", max_length=TEXT_LIMITS["row_comment"])
    # The preparer's answer, which the reviewer reads beside the comment on
    # the next look.
    answer = models.TextField(
        "填报人答复", max_length=TEXT_LIMITS["row_comment"], blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "指标行意见"
        verbose_name_plural = "指标行意见"
        ordering = ["row_number", "pk"]

    def __str__(self):
        return f"第{self.row_number}行 {self.row_name}：{self.text}"
