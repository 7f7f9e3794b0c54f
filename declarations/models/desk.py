"""What the desk shows beside the declarations: the year's deadline of a
department, the review opinions a reviewer picks from, and the in-app
notifications."""

from django.conf import settings
from django.db import models

from declarations.models.declarations import Declaration
from declarations.models.organizations import Organization


class Deadline(models.Model):
    """The day a department's units must have submitted the year's tables."""

    department = models.ForeignKey(
        Organization,
        verbose_name="主管部门",
        on_delete=models.CASCADE,
        related_name="deadlines",
        limit_choices_to={"kind": Organization.Kind.DEPARTMENT},
    )
    year = models.PositiveSmallIntegerField("年度")
    due = models.DateField("截止日期", help_text="单位须在此日期（含）前提交审核")

    class Meta:
        verbose_name = "申报截止日期"
        verbose_name_plural = "申报截止日期"
        ordering = ["-year", "department__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"], name="one_deadline_per_department_year"
            )
        ]

    def __str__(self):
        return f"{self.department} {self.year} 年 截止 {self.due:%Y-%m-%d}"


class Aspect(models.TextChoices):
    """The four questions of a review (四性审核)."""

    COMPLETENESS = "completeness", "完整性"
    RELEVANCE = "relevance", "相关性"
    APPROPRIATENESS = "appropriateness", "适当性"
    FEASIBILITY = "feasibility", "可行性"


class ReviewQuestion(models.Model):
    """One question of the review checklist, under one of the four aspects."""

    aspect = models.CharField("审核方面", max_length=16, choices=Aspect.choices)
    text = models.CharField("审核内容", max_length=200)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "审核要点"
        verbose_name_plural = "审核要点"
        ordering = ["aspect", "position", "pk"]

    def __str__(self):
        return f"{self.get_aspect_display()}：{self.text}"


class OpinionTemplate(models.Model):
    """A ready review opinion, offered beside its question."""

    question = models.ForeignKey(
        ReviewQuestion,
        verbose_name="审核要点",
        on_delete=models.CASCADE,
        related_name="opinions",
    )
    text = models.CharField("意见", max_length=300)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "审核意见模板"
        verbose_name_plural = "审核意见模板"
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.text


class Notification(models.Model):
    """Something for one user to see in the bell: a return, a comment, an
    approval or a deadline drawing near."""

    class Kind(models.TextChoices):
        RETURNED = "returned", "退回修改"
        COMMENT = "comment", "审核意见"
        APPROVED = "approved", "审核通过"
        DEADLINE = "deadline", "截止提醒"
        LOGIN = "login", "登录提醒"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    declaration = models.ForeignKey(
        Declaration,
        verbose_name="申报表",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.text
